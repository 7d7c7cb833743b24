//! Template recursion that can never end. Tera has no depth limit: a template that
//! includes itself (directly or through others), or a macro that always calls itself,
//! overflows the stack and aborts the whole process. Both are found here, before any
//! page is rendered, and reported at the template line that starts the loop.
//!
//! A macro that calls itself only inside `{% if %}` or `{% for %}` is fine (that is how
//! a navigation tree is drawn) and is not reported.

use std::collections::{HashMap, HashSet};

use tera::ast::{Expr, ExprVal, LogicOperator, Node};

use super::TemplateSource;
use crate::error::{Diagnostic, Location, Result};

/// Reports a cycle of `{% extends %}`, read from the sources before Tera parses them:
/// Tera's own check can overflow the stack on such a cycle, depending on the order it
/// visits templates in.
pub fn check_extends(sources: &[TemplateSource]) -> Result<()> {
    let extends = regex::Regex::new(r#"\{%-?\s*extends\s+["']([^"']+)["']"#).expect("valid regex");
    let parent: HashMap<&str, String> = sources
        .iter()
        .filter_map(|s| {
            extends
                .captures(&s.text)
                .map(|c| (s.name.as_str(), c[1].to_string()))
        })
        .collect();
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let graph = |name: &String| parent.get(name.as_str()).cloned().into_iter().collect();
    if let Some(cycle) = find_cycle(&names, graph) {
        let source = source_of(sources, &cycle[0]);
        let offset = source.text.find("extends").unwrap_or(0);
        return Err(Diagnostic::at(
            Location::from_offset(&source.path, &source.text, offset),
            format!(
                "these templates extend each other in a circle: {}",
                cycle_text(&cycle)
            ),
        )
        .with_help("one of them must extend a template that does not lead back to it")
        .into());
    }
    Ok(())
}

/// Reports the first include cycle or unconditional macro recursion, if any.
pub fn check(tera: &tera::Tera, sources: &[TemplateSource]) -> Result<()> {
    include_cycle(tera, sources)?;
    macro_cycle(tera, sources)
}

fn include_cycle(tera: &tera::Tera, sources: &[TemplateSource]) -> Result<()> {
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    for source in sources {
        let Ok(template) = tera.get_template(&source.name) else {
            continue;
        };
        let mut includes = Vec::new();
        walk_nodes(&template.ast, &mut |node| {
            if let Node::Include(_, names, _) = node {
                includes.extend(names.iter().cloned());
            }
        });
        edges.insert(source.name.as_str(), includes);
    }
    let graph = |name: &String| edges.get(name.as_str()).cloned().unwrap_or_default();
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    if let Some(cycle) = find_cycle(&names, graph) {
        let (from, to) = (&cycle[0], &cycle[1 % cycle.len()]);
        let source = source_of(sources, from);
        let needle = format!("\"{to}\"");
        let offset = source
            .text
            .match_indices(&needle)
            .map(|(i, _)| i)
            .find(|&i| source.text[..i].trim_end().ends_with("include"))
            .or_else(|| source.text.find("include"))
            .unwrap_or(0);
        return Err(Diagnostic::at(
            Location::from_offset(&source.path, &source.text, offset),
            format!(
                "these templates include each other without end: {}",
                cycle_text(&cycle)
            ),
        )
        .with_help("remove one of the includes")
        .into());
    }
    Ok(())
}

fn macro_cycle(tera: &tera::Tera, sources: &[TemplateSource]) -> Result<()> {
    // (template, macro) → the macros it always calls.
    let mut edges: HashMap<String, Vec<String>> = HashMap::new();
    let mut nodes = Vec::new();
    for source in sources {
        let Ok(template) = tera.get_template(&source.name) else {
            continue;
        };
        for (name, definition) in &template.macros {
            let mut calls = Vec::new();
            unconditional_calls(&definition.body, &mut calls);
            let targets = calls
                .into_iter()
                .filter_map(|(namespace, called)| {
                    let file = if namespace == "self" {
                        Some(source.name.clone())
                    } else {
                        template
                            .imported_macro_files
                            .iter()
                            .find(|(_, ns)| *ns == namespace)
                            .map(|(file, _)| file.clone())
                    };
                    file.map(|file| format!("{file}::{called}"))
                })
                .collect();
            let key = format!("{}::{name}", source.name);
            nodes.push(key.clone());
            edges.insert(key, targets);
        }
    }
    nodes.sort();
    let graph = |name: &String| edges.get(name).cloned().unwrap_or_default();
    if let Some(cycle) = find_cycle(&nodes, graph) {
        let (file, name) = cycle[0].split_once("::").expect("file::macro");
        let source = source_of(sources, file);
        let offset = source
            .text
            .match_indices(name)
            .map(|(i, _)| i)
            .find(|&i| source.text[..i].trim_end().ends_with("macro"))
            .unwrap_or(0);
        return Err(Diagnostic::at(
            Location::from_offset(&source.path, &source.text, offset),
            format!(
                "this macro always calls itself, so it never ends: {}",
                cycle_text(&cycle)
            ),
        )
        .with_help("call it again only inside an `{% if %}` or `{% for %}` that stops")
        .into());
    }
    Ok(())
}

fn source_of<'a>(sources: &'a [TemplateSource], name: &str) -> &'a TemplateSource {
    sources
        .iter()
        .find(|s| s.name == name)
        .expect("a cycle runs through known templates")
}

fn cycle_text(cycle: &[String]) -> String {
    let mut shown: Vec<&str> = cycle.iter().map(String::as_str).collect();
    shown.push(&cycle[0]);
    shown.join(" → ")
}

/// A cycle in the graph reachable from any of `starts`, as the list of its nodes.
fn find_cycle(starts: &[String], edges: impl Fn(&String) -> Vec<String>) -> Option<Vec<String>> {
    let mut done: HashSet<String> = HashSet::new();
    for start in starts {
        if done.contains(start) {
            continue;
        }
        // Iterative depth-first search: a long chain must not overflow the stack either.
        let mut path: Vec<String> = vec![start.clone()];
        let mut pending: Vec<Vec<String>> = vec![edges(start)];
        while let Some(next) = pending.last_mut() {
            match next.pop() {
                Some(node) => {
                    if let Some(at) = path.iter().position(|p| *p == node) {
                        return Some(path[at..].to_vec());
                    }
                    if !done.contains(&node) {
                        pending.push(edges(&node));
                        path.push(node);
                    }
                }
                None => {
                    pending.pop();
                    if let Some(node) = path.pop() {
                        done.insert(node);
                    }
                }
            }
        }
    }
    None
}

/// Calls every node of `nodes`, and of everything nested inside them.
pub(super) fn walk_nodes(nodes: &[Node], visit: &mut dyn FnMut(&Node)) {
    for node in nodes {
        visit(node);
        match node {
            Node::MacroDefinition(_, definition, _) => walk_nodes(&definition.body, visit),
            Node::FilterSection(_, section, _) => walk_nodes(&section.body, visit),
            Node::Block(_, block, _) => walk_nodes(&block.body, visit),
            Node::Forloop(_, forloop, _) => {
                walk_nodes(&forloop.body, visit);
                if let Some(body) = &forloop.empty_body {
                    walk_nodes(body, visit);
                }
            }
            Node::If(branches, _) => {
                for (_, _, body) in &branches.conditions {
                    walk_nodes(body, visit);
                }
                if let Some((_, body)) = &branches.otherwise {
                    walk_nodes(body, visit);
                }
            }
            _ => {}
        }
    }
}

/// Macro calls made every time `nodes` run: outside any `if` or `for`.
fn unconditional_calls(nodes: &[Node], calls: &mut Vec<(String, String)>) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => expr_calls(expr, calls),
            Node::Set(_, set) => expr_calls(&set.value, calls),
            Node::FilterSection(_, section, _) => unconditional_calls(&section.body, calls),
            Node::Block(_, block, _) => unconditional_calls(&block.body, calls),
            Node::If(branches, _) => {
                // The first condition is always evaluated.
                if let Some((_, condition, _)) = branches.conditions.first() {
                    expr_calls(condition, calls);
                }
            }
            Node::Forloop(_, forloop, _) => expr_calls(&forloop.container, calls),
            _ => {}
        }
    }
}

fn expr_calls(expr: &Expr, calls: &mut Vec<(String, String)>) {
    val_calls(&expr.val, calls);
    for filter in &expr.filters {
        for arg in filter.args.values() {
            expr_calls(arg, calls);
        }
    }
}

fn val_calls(val: &ExprVal, calls: &mut Vec<(String, String)>) {
    match val {
        ExprVal::MacroCall(call) => {
            calls.push((call.namespace.clone(), call.name.clone()));
            for arg in call.args.values() {
                expr_calls(arg, calls);
            }
        }
        ExprVal::Math(math) => {
            expr_calls(&math.lhs, calls);
            expr_calls(&math.rhs, calls);
        }
        ExprVal::Logic(logic) => {
            expr_calls(&logic.lhs, calls);
            // `and` and `or` may stop before their right side.
            if !matches!(logic.operator, LogicOperator::And | LogicOperator::Or) {
                expr_calls(&logic.rhs, calls);
            }
        }
        ExprVal::FunctionCall(call) => {
            for arg in call.args.values() {
                expr_calls(arg, calls);
            }
        }
        ExprVal::Array(items) => {
            for item in items {
                expr_calls(item, calls);
            }
        }
        ExprVal::StringConcat(concat) => {
            for value in &concat.values {
                val_calls(value, calls);
            }
        }
        ExprVal::In(within) => {
            expr_calls(&within.lhs, calls);
            expr_calls(&within.rhs, calls);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn check_templates(templates: &[(&str, &str)]) -> Result<()> {
        let sources: Vec<TemplateSource> = templates
            .iter()
            .map(|(name, text)| TemplateSource {
                name: name.to_string(),
                path: PathBuf::from(format!("templates/{name}")),
                text: text.to_string(),
            })
            .collect();
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        check(&tera, &sources)
    }

    #[test]
    fn finds_an_include_cycle_at_the_include() {
        let err = check_templates(&[
            ("a.html", "x\n{% include \"b.html\" %}"),
            ("b.html", "{% include \"a.html\" %}"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("include each other"), "{err}");
        assert!(
            err.contains("templates/a.html:2:") || err.contains("templates/b.html:1:"),
            "{err}"
        );
    }

    #[test]
    fn finds_a_macro_that_always_calls_itself() {
        let err = check_templates(&[(
            "m.html",
            "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}",
        )])
        .unwrap_err()
        .to_string();
        assert!(err.contains("templates/m.html:1:10"), "{err}");
    }

    #[test]
    fn allows_recursion_that_can_stop() {
        check_templates(&[(
            "m.html",
            "{% macro f(n) %}{% if n > 0 %}{{ self::f(n=n - 1) }}{% endif %}{% endmacro f %}",
        )])
        .unwrap();
    }
}
