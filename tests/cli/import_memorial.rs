//! The memorial: importing `sources/felix-hill.txt` gives the committed `content/`,
//! with the counts of `docs/import.md` §10, and the pages read as the article.
//!
//! Set `LECTERN_BLESS=1` to regenerate `content/` from the article.

use std::path::{Path, PathBuf};

use lectern::import::damage::{damage, lost_pairs, Annotations};
use lectern::import::{import_article, rule, ImportOptions, ImportReport};

use crate::import_util::{files_under, reading_order_text};

const SOURCE: &str = "sources/felix-hill.txt";

fn import_into(dir: &Path) -> ImportReport {
    let options = ImportOptions {
        source: PathBuf::from(SOURCE),
        fixes: Some(PathBuf::from("sources/fixes.toml")),
        into: dir.to_path_buf(),
    };
    import_article(&options).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_fresh_import_reproduces_the_committed_content_byte_for_byte() {
    if std::env::var_os("LECTERN_BLESS").is_some() {
        import_into(Path::new("content"));
    }
    // A site of its own, the article in it as in this repository: the generated files
    // record the article's path relative to the site.
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("sources")).unwrap();
    std::fs::copy(SOURCE, site.path().join(SOURCE)).unwrap();
    let into = site.path().join("content");
    let import = || {
        import_article(&ImportOptions {
            source: site.path().join(SOURCE),
            fixes: Some(PathBuf::from("sources/fixes.toml")),
            into: into.clone(),
        })
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let report = import();
    let fresh = files_under(&into);
    // Files without a `[generated]` table are a person's (the tributes section): the
    // importer leaves them alone, so they are not part of what it reproduces.
    let mut committed = files_under(Path::new("content"));
    committed.retain(|_, bytes| String::from_utf8_lossy(bytes).contains("\n[generated]\n"));
    assert_eq!(fresh.len(), report.files_written());
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &fresh {
        assert!(
            committed[name] == *bytes,
            "content/{name} differs from a fresh import"
        );
    }
    // Importing over the committed content changes nothing and is allowed.
    let again = import();
    assert_eq!(again.files_written(), fresh.len());
    assert_eq!(files_under(&into), fresh);
}

#[test]
fn the_report_has_the_memorials_counts() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_into(dir.path());
    println!("{r}");
    assert_eq!(r.annotations(), 256);
    assert_eq!(r.hits(rule::RUBY), 251);
    assert_eq!(
        r.ruby(),
        252,
        "經 and 現 inside repaired spans keep their ruby; 機 on the source line goes to front matter"
    );
    assert_eq!(r.hits(rule::AUTO), 2);
    assert_eq!(r.hits(rule::FIXED), 1);
    assert_eq!(r.hits(rule::MARKED), 0);
    assert_eq!(r.hits(rule::DOT), 2);
    let emoji = r.rules().iter().find(|c| c.rule == rule::EMOJI).unwrap();
    assert_eq!((emoji.hits, emoji.removed), (1, 5));
    // 181 by the rule, plus the one the line-64 repair restores: 182 in all.
    assert_eq!(r.hits(rule::punctuation(',')), 181);
    let commas: usize = r
        .clean_lines()
        .iter()
        .map(|l| l.matches('，').count())
        .sum();
    let raw = std::fs::read_to_string(SOURCE).unwrap();
    assert_eq!(commas - raw.matches('，').count(), 182);
    assert_eq!(r.hits(rule::punctuation(':')), 9);
    assert_eq!(r.hits(rule::punctuation(';')), 4);
    assert_eq!(r.hits(rule::punctuation('?')), 2);
    assert_eq!(r.hits(rule::punctuation('!')), 1);
    assert_eq!(r.hits(rule::PARENS), 15);
    // Simplified characters the source's converter missed: 于 → 於 (16), 并 → 並 (15), …
    assert_eq!(r.hits(rule::RESIDUE), 74);
    let from = |c: char| r.residue_changes().iter().filter(|p| p.was == c).count();
    assert_eq!([from('于'), from('并'), from('后')], [16, 15, 14]);
    // The three URL lines go into the references page's front matter, out of its body.
    let urls = r
        .rules()
        .iter()
        .find(|c| c.rule == rule::REFERENCE_URLS)
        .unwrap();
    assert_eq!((urls.hits, urls.removed, urls.added), (3, 188, 0));
    assert_eq!(r.clean_lines().len(), 76);
    assert!(r.warnings().is_empty(), "{:?}", r.warnings());
    assert!(r.clean_lines().iter().all(|l| !l.contains('?')));
}

#[test]
fn every_source_character_is_kept_or_removed_by_a_named_rule() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_into(dir.path());
    let raw = std::fs::read_to_string(SOURCE).unwrap();
    assert_eq!(r.source_chars(), raw.chars().count());
    let removed: usize = r.rules().iter().map(|c| c.removed).sum();
    let added: usize = r.rules().iter().map(|c| c.added).sum();
    assert_eq!(r.source_chars(), r.kept_chars() + removed - added);
    assert!(r.balances());
}

#[test]
fn the_damage_model_turns_the_clean_article_back_into_the_raw_one() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_into(dir.path());
    let raw = std::fs::read_to_string(SOURCE).unwrap();
    let table = Annotations::builtin();
    // The Simplified residue the import made Traditional was in the raw text as written:
    // put it back, and the damage model gives the raw line.
    let mut as_written: Vec<Vec<char>> = r
        .clean_lines()
        .iter()
        .map(|l| l.chars().collect())
        .collect();
    for change in r.residue_changes() {
        assert_eq!(as_written[change.line][change.at], change.now);
        as_written[change.line][change.at] = change.was;
    }
    // The spaces the import removed beside full-width punctuation (`轉投 「敵人」`) are
    // taken out of the raw lines too, and counted against the report.
    let wide = |c: char| "「」『』（）《》〈〉【】，。、：；！？".contains(c);
    let chinese = |c: char| wide(c) || ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut spaces_removed = 0;
    let raw_lines: Vec<String> = raw
        .split('\n')
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let mut kept = String::new();
            for (i, &c) in chars.iter().enumerate() {
                let between = c == ' '
                    && i > 0
                    && chars.get(i + 1).is_some_and(|&after| {
                        let before = chars[i - 1];
                        chinese(before) && chinese(after) && (wide(before) || wide(after))
                    });
                if between {
                    spaces_removed += 1;
                } else {
                    kept.push(c);
                }
            }
            kept
        })
        .collect();
    let rule = r
        .rules()
        .iter()
        .find(|c| c.rule == rule::WIDE_SPACE)
        .unwrap();
    assert_eq!((rule.hits, rule.removed), (2, 2));
    assert_eq!(spaces_removed, 2);
    let differing: Vec<usize> = raw_lines
        .iter()
        .zip(&as_written)
        .enumerate()
        .filter(|(_, (raw, clean))| damage(&clean.iter().collect::<String>(), &table) != **raw)
        .map(|(i, _)| i + 1)
        .collect();
    // Only the lines whose lost characters GBK could not encode (emoji, a dot).
    assert_eq!(differing, [6, 9, 32]);
    assert_eq!(r.residue_changes().len(), r.hits(rule::RESIDUE));
}

#[test]
fn the_pages_in_reading_order_read_as_the_article_after_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_into(dir.path());
    let rendered = reading_order_text(dir.path());
    assert_eq!(rendered, r.reading_text());
    // Independently: the clean article, less exactly the structure rules' removals.
    let expected: Vec<String> = r
        .clean_lines()
        .iter()
        .filter(|l| !l.starts_with("來源丨"))
        // The reference URL lines, which went into front matter.
        .filter(|l| !l.starts_with("https://") || l.contains(' '))
        .map(|l| l.trim_start_matches('「').trim_end_matches('」'))
        .map(|l| {
            l.strip_suffix('：')
                .filter(|t| *t == "參考內容")
                .unwrap_or(l)
                .to_string()
        })
        .collect();
    assert_eq!(rendered.split('\n').collect::<Vec<_>>(), expected);
}

#[test]
fn references_are_declared_once_in_order_and_cited_where_the_text_cites_them() {
    let refs = std::fs::read_to_string("content/references.md").unwrap();
    let ids: Vec<&str> = refs
        .lines()
        .filter_map(|l| l.strip_prefix("id = "))
        .collect();
    assert_eq!(ids, ["\"felix-hill-blog\"", "\"kchonyc\"", "\"drjimfan\""]);
    let home = std::fs::read_to_string("content/article.md").unwrap();
    assert!(home.contains("Kyunghyun Cho[^kchonyc] 表示"));
    assert!(home.contains("Jim Fan[^drjimfan] 表示"));
    assert!(home.contains("以下是博客{內|nèi}容：[^felix-hill-blog]"));
    assert!(home.contains("source = \"機器之心\""));
    assert!(home.contains("\n> 人工智能不{應|yīng}"));
    assert!(home.contains("## 再見，菲利克斯！"));
    assert!(refs.contains("<small>特別聲明："));
    // The page lists them through its template; its body does not repeat the URLs.
    assert!(
        refs.contains("\ntemplate = \"references.html\"\n"),
        "{refs}"
    );
    let body = &refs[refs.rfind("+++\n").unwrap()..];
    assert!(!body.contains("https://"), "{body}");
    let all: String = files_under(Path::new("content"))
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert_eq!(all.matches("[[references]]").count(), 3);
}

#[test]
fn an_edited_file_and_a_hand_written_one_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    import_into(dir.path());
    let page = dir.path().join("blog/money.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let edited = original.replace("錢，錢，錢\"", "錢\"");
    std::fs::write(&page, &edited).unwrap();
    let before = files_under(dir.path());
    let options = ImportOptions {
        source: PathBuf::from(SOURCE),
        fixes: Some(PathBuf::from("sources/fixes.toml")),
        into: dir.path().to_path_buf(),
    };
    let report = import_article(&options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.edited_files(), ["blog/money.md"]);
    assert_eq!(
        files_under(dir.path()),
        before,
        "the edit is kept, nothing rewritten"
    );
    let shown = report.to_string();
    assert!(shown.contains("money.md was edited by hand"), "{shown}");
    assert!(shown.contains("title: \"錢\""), "{shown}");

    let start = edited.find("[generated]").unwrap();
    let end = edited[start..].find("+++").unwrap() + start;
    let mine = format!("{}{}", &edited[..start], &edited[end..]);
    std::fs::write(&page, &mine).unwrap();
    let report = import_article(&options).unwrap();
    assert_eq!(std::fs::read_to_string(&page).unwrap(), mine);
    assert_eq!(report.kept_files(), ["blog/money.md"]);
    assert!(report.edited_files().is_empty());
    assert!(report.warnings().iter().any(|w| w.contains("left alone")));
}

/// Without its fixes file, the memorial's line 64 (7 GBK byte pairs lost) is marked,
/// and the importer's best suggestion agrees with the fixes file's hand repair in at
/// least 5 of those 7 pairs; the hand repair itself is one the damage model accepts.
#[test]
fn without_the_fixes_file_the_lost_bytes_span_gets_suggestions_near_the_hand_repair() {
    let fixes = std::fs::read_to_string("sources/fixes.toml").unwrap();
    let value: toml::Value = toml::from_str(&fixes).unwrap();
    let repair = &value["repairs"][0];
    let (garbled, corrected) = (
        repair["garbled"].as_str().unwrap(),
        repair["corrected"].as_str().unwrap(),
    );
    let table = Annotations::builtin();
    assert_eq!(
        damage(corrected, &table),
        garbled,
        "the hand repair is accepted"
    );
    let hand = lost_pairs(corrected, &table);
    assert_eq!(hand.len(), 7);

    let dir = tempfile::tempdir().unwrap();
    let options = ImportOptions {
        source: PathBuf::from(SOURCE),
        fixes: None,
        into: dir.path().join("content"),
    };
    let report = import_article(&options).unwrap_or_else(|e| panic!("{e}"));
    println!("{report}");
    assert!(report.balances());
    assert_eq!(report.hits(rule::AUTO), 2, "lines 24 and 70 still invert");
    let [span] = report.marked_spans() else {
        panic!("{:?}", report.marked_spans())
    };
    assert_eq!(span.line, 64);
    assert!(garbled.contains(&span.garbled[..]) || span.garbled.contains(garbled));
    let (best, lost) = &span.suggestions[0];
    assert_eq!(
        &damage(best, &table),
        &span.garbled,
        "verified by the damage model"
    );
    let mut unmatched = lost.clone();
    let agree = hand
        .iter()
        .filter(|p| match unmatched.iter().position(|q| q == *p) {
            Some(i) => {
                unmatched.remove(i);
                true
            }
            None => false,
        })
        .count();
    assert!(
        agree >= 5,
        "{agree} of 7 pairs agree: {best} vs {corrected}"
    );
    let warning = report
        .warnings()
        .iter()
        .find(|w| w.contains(":64:"))
        .expect("a warning for line 64");
    assert!(
        warning.contains("[[repairs]]") && warning.contains(best.as_str()),
        "{warning}"
    );
}

/// `lectern --root DIR import …` reads and writes inside DIR, as the paths in its
/// site.toml are: the article, the fixes file and `--into` (by default `content`).
#[test]
fn import_under_root_resolves_its_paths_in_the_sites_folder() {
    let outer = crate::util::TestSite::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [SOURCE, "sources/fixes.toml"] {
        outer.write_bytes(
            &format!("site/{file}"),
            &std::fs::read(repo.join(file)).unwrap(),
        );
    }
    let run = outer
        .run(&[
            "--root",
            "site",
            "import",
            SOURCE,
            "--fixes",
            "sources/fixes.toml",
        ])
        .ok();
    assert!(
        run.stdout().contains("imported sources/felix-hill.txt"),
        "{}",
        run.stdout()
    );
    assert!(outer.exists("site/content/blog/no-escape.md"));
    assert!(!outer.exists("content"));
    // The same files, byte for byte, as a run inside the site's folder.
    let inside = crate::util::TestSite::empty();
    for file in [SOURCE, "sources/fixes.toml"] {
        inside.write_bytes(file, &std::fs::read(repo.join(file)).unwrap());
    }
    inside
        .run(&["import", SOURCE, "--fixes", "sources/fixes.toml"])
        .ok();
    assert!(files_under(&outer.path("site/content")) == files_under(&inside.path("content")));
    // A missing article is named where it was looked for.
    let err = outer
        .run(&["-r", "site", "import", "sources/missing.txt"])
        .fails();
    assert!(err.contains("site/sources/missing.txt"), "{err}");
}
