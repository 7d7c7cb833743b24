//! The module graph of `src/` against the table of allowed edges in `ARCHITECTURE.md`:
//! every `crate::module` a file names (in `use`, in paths, in doc links) must be an edge
//! the table allows, every module must be in the table, and the table must have no
//! cycle, so that the stages keep flowing one way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The allowed edges: each module and the modules it may use.
fn allowed_edges() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap();
    let block = doc
        .split("```text allowed-edges\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md has a ```text allowed-edges block");
    block
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (module, uses) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("`{line}`: write `module: uses…`"));
            (
                module.trim().to_string(),
                uses.split_whitespace().map(str::to_string).collect(),
            )
        })
        .collect()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The top-level module a file under `src/` belongs to (`render/nav.rs` → `render`).
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// The top-level modules named after `crate::` in `text`, including the groups of
/// `use crate::{a::X, b::{Y, Z}}`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        // A preceding identifier character means a longer name (`mycrate::`).
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            for item in top_level_items(group) {
                found.insert(item);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// The first identifier of each comma-separated item at depth 0 of a `{…}` group
/// (`config::X, error::{Y, Z}}` → `config`, `error`).
fn top_level_items(group: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    let mut taking = true;
    for c in group.chars() {
        match c {
            '{' => {
                depth += 1;
                taking = false;
            }
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                if !current.is_empty() {
                    items.push(std::mem::take(&mut current));
                }
                taking = true;
            }
            c if depth == 0 && taking && (c.is_alphanumeric() || c == '_') => current.push(c),
            c if depth == 0 && taking && !c.is_whitespace() => taking = false,
            _ => {}
        }
    }
    if !current.is_empty() {
        items.push(current);
    }
    items.retain(|item| item != "self");
    items
}

/// The names `src/lib.rs` re-exports at the crate root, and the module of each
/// (`pub use error::{Error, Result}` → `Error` → `error`).
fn root_reexports() -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(repo().join("src/lib.rs")).unwrap();
    let mut names = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        for item in items.trim_matches(|c| "{};".contains(c)).split(',') {
            names.insert(item.trim().to_string(), module.to_string());
        }
    }
    names
}

/// Every edge of `src/`: (from, to) → the files that make it.
fn edges() -> BTreeMap<(String, String), Vec<String>> {
    let src = repo().join("src");
    let reexports = root_reexports();
    let mut edges: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let from = module_of(relative);
        if from == "main" || from == "lib" {
            continue; // the binary and the crate root may use every module
        }
        let text = std::fs::read_to_string(path).unwrap();
        for name in crate_paths(&text) {
            let to = reexports.get(&name).cloned().unwrap_or(name);
            if to != from {
                edges
                    .entry((from.clone(), to))
                    .or_default()
                    .push(relative.display().to_string());
            }
        }
    }
    edges
}

/// The top-level modules `src/lib.rs` declares.
fn declared_modules() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(repo().join("src/lib.rs")).unwrap();
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("pub(crate) mod "))
                .or_else(|| line.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').to_string())
        })
        .collect()
}

#[test]
fn every_edge_between_modules_is_in_the_allowed_table() {
    let allowed = allowed_edges();
    let broken: Vec<String> = edges()
        .into_iter()
        .filter(|((from, to), _)| !allowed.get(from).is_some_and(|uses| uses.contains(to)))
        .map(|((from, to), files)| format!("{from} → {to} (in {})", files.join(", ")))
        .collect();
    assert!(
        broken.is_empty(),
        "edges not in ARCHITECTURE.md's allowed-edges table:\n  {}",
        broken.join("\n  ")
    );
}

#[test]
fn every_module_is_in_the_table_and_the_table_names_only_modules() {
    let allowed = allowed_edges();
    let declared = declared_modules();
    let in_table: BTreeSet<String> = allowed.keys().cloned().collect();
    assert_eq!(
        declared, in_table,
        "src/lib.rs's modules and ARCHITECTURE.md's table differ"
    );
    for (module, uses) in &allowed {
        for used in uses {
            assert!(
                declared.contains(used),
                "{module} may use `{used}`, which is no module"
            );
        }
    }
}

#[test]
fn the_allowed_table_has_no_cycle() {
    let allowed = allowed_edges();
    // Kahn's algorithm: take modules that use nothing left, until none is left.
    let mut left = allowed.clone();
    while !left.is_empty() {
        let free: Vec<String> = left
            .iter()
            .filter(|(_, uses)| uses.iter().all(|u| !left.contains_key(u)))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(
            !free.is_empty(),
            "the allowed edges have a cycle among: {:?}",
            left.keys().collect::<Vec<_>>()
        );
        for module in free {
            left.remove(&module);
        }
    }
}

#[test]
fn paths_in_groups_and_doc_links_are_edges_too() {
    let text = "use crate::{config::X, error::{Y, Z}, self};\n\
                /// see [`crate::markdown::check_url`]\n\
                let a = crate::output::Staging::new(); mycrate::not_ours();";
    let found: Vec<String> = crate_paths(text).into_iter().collect();
    assert_eq!(found, ["config", "error", "markdown", "output"]);
}
