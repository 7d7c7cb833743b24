//! Generated files as a person meets them: readable ruby, an edit that wins over the
//! import (the build goes on and says so once; `lectern import` tells how to fold the
//! edit into the fixes file), warnings that say `warning:` once, and no absolute path
//! recorded in a file that is published with the site.

use crate::util::TestSite;

const IMPORT: &[&str] = &[
    "import",
    "sources/felix-hill.txt",
    "--fixes",
    "sources/fixes.toml",
];

/// The memorial's sources, built once so the import has written its files.
fn imported_memorial() -> TestSite {
    let site = TestSite::memorial(&[]);
    site.build().ok();
    site
}

/// Lines of `text` that mention `needle`.
fn lines_with<'t>(text: &'t str, needle: &str) -> Vec<&'t str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

#[test]
fn generated_files_write_ruby_in_the_compact_form() {
    let site = imported_memorial();
    let money = site.read("content/blog/money.md");
    assert!(money.contains("大多{數|shù}人工智能"), "{money}");
    assert!(!money.contains("<ruby>"), "{money}");
    let title = site.read("content/blog/scientists.md");
    assert!(
        title.contains("title = \"科{學|xué}家不{發|fā}揮作用\""),
        "{title}"
    );
    // And the page shows it as ruby, its title too.
    let page = site.read("public/blog/money/index.html");
    assert!(
        page.contains("大多<ruby>數<rp>(</rp><rt>shù</rt><rp>)</rp></ruby>人工智能"),
        "the page has the ruby markup"
    );
    let page = site.read("public/blog/scientists/index.html");
    assert!(page.contains("科<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>家"));
    assert!(
        page.contains("<title>科學家不發揮作用"),
        "the plain title has no reading"
    );
}

#[test]
fn a_hand_edited_file_is_built_as_written_and_import_shows_how_to_fold_the_edit_back() {
    let site = imported_memorial();
    let file = "content/blog/money.md";
    let generated = site.read(file);
    assert!(generated.contains("靈丹妙藥"));
    let edited = generated.replacen("靈丹妙藥", "靈丹良藥", 1);
    site.write(file, &edited);

    // The build goes on, uses the edit, and says once that it left the file alone.
    let run = site.build().ok();
    let out = run.stdout();
    let notes = lines_with(&out, "money.md");
    assert_eq!(notes.len(), 1, "one line about the file:\n{out}");
    assert!(notes[0].starts_with("note: "), "{out}");
    assert!(notes[0].contains("edited by hand"), "{out}");
    assert!(
        notes[0].contains("lectern import sources/felix-hill.txt --fixes sources/fixes.toml"),
        "it names the command that tells more:\n{out}"
    );
    assert!(site
        .read("public/blog/money/index.html")
        .contains("靈丹良藥"));
    assert_eq!(site.read(file), edited, "the person's file is untouched");
    // Again: nothing changed, so the import is skipped and the note is not repeated.
    let again = site.build().ok().stdout();
    assert!(lines_with(&again, "money.md").is_empty(), "{again}");
    assert_eq!(site.read(file), edited);

    // `lectern import` succeeds, leaves the file, and shows the change and what to do.
    let run = site.run(IMPORT).ok();
    let out = run.stdout();
    assert_eq!(site.read(file), edited);
    assert!(
        out.contains("content/blog/money.md was edited by hand"),
        "{out}"
    );
    let line = edited.lines().position(|l| l.contains("靈丹良藥")).unwrap() + 1;
    assert!(out.contains(&format!("line {line}:")), "{out}");
    assert!(out.contains("  - …") && out.contains("靈丹妙藥"), "{out}");
    assert!(out.contains("  + …") && out.contains("靈丹良藥"), "{out}");
    assert!(
        out.contains("no entry for the article's own words"),
        "{out}"
    );
    assert!(out.contains("remove the file's [generated] table"), "{out}");
    assert!(out.contains("delete it"), "{out}");
    assert!(out.contains("1 edited by hand"), "{out}");

    // Deleting the file lets the import write it again.
    std::fs::remove_file(site.path(file)).unwrap();
    let out = site.build().ok().stdout();
    assert!(!out.contains("money.md"), "{out}");
    assert_eq!(site.read(file), generated);
}

#[test]
fn an_edited_title_is_folded_back_through_the_fixes_file() {
    let site = imported_memorial();
    let file = "content/article.md";
    let generated = site.read(file);
    assert!(generated.contains("title = \"悼念文章\""), "{generated}");
    site.write(
        file,
        &generated.replace("title = \"悼念文章\"", "title = \"紀念文章\""),
    );

    let out = site.run(IMPORT).ok().stdout();
    assert!(out.contains("title: \"紀念文章\""), "{out}");
    assert!(
        out.contains("      title = \"紀念文章\""),
        "the entry to paste:\n{out}"
    );
    assert!(
        out.contains("with these entries in the fixes file, delete the file"),
        "{out}"
    );

    // Doing as told: the import owns the file again, with the person's title.
    let fixes = site.read("sources/fixes.toml");
    site.write(
        "sources/fixes.toml",
        &fixes.replace("title = \"悼念文章\"", "title = \"紀念文章\""),
    );
    std::fs::remove_file(site.path(file)).unwrap();
    let out = site.build().ok().stdout();
    assert!(!out.contains("edited by hand"), "{out}");
    let regenerated = site.read(file);
    assert!(
        regenerated.contains("title = \"紀念文章\""),
        "{regenerated}"
    );
    assert!(site.read("public/article/index.html").contains("紀念文章"));
}

#[test]
fn a_marked_span_corrected_by_hand_becomes_a_repairs_entry_the_damage_model_checks() {
    let site = TestSite::memorial(&[]);
    // Without its repair, line 64's span is left marked.
    let fixes = site.read("sources/fixes.toml");
    let without = &fixes[..fixes.find("\n[[repairs]]\n").unwrap()];
    site.write("sources/fixes.toml", without);
    site.build().ok();
    let file = "content/blog/why-write.md";
    let generated = site.read(file);
    let open = generated.find("<mark>").expect("a marked span");
    let close = generated.find("</mark>").unwrap() + "</mark>".len();
    let marked = &generated[open..close];
    // The person writes what the span says, as the fixes file had it.
    let corrected = fixes
        .lines()
        .find_map(|l| l.strip_prefix("corrected = \""))
        .unwrap()
        .trim_end_matches('"');
    let garbled = fixes
        .lines()
        .find_map(|l| l.strip_prefix("garbled = \""))
        .unwrap()
        .trim_end_matches('"');
    let inner = &marked["<mark>".len()..marked.len() - "</mark>".len()];
    // The marked text is the garbled text less what the import kept around it.
    let at = garbled
        .find(inner)
        .expect("the marked text is the garbled text's");
    let (before, after) = (&garbled[..at], &garbled[at + inner.len()..]);
    let fixed_part = corrected
        .strip_prefix(before)
        .and_then(|c| c.strip_suffix(after))
        .expect("the correction keeps the text around the span");
    site.write(file, &generated.replacen(marked, fixed_part, 1));

    let out = site.run(IMPORT).ok().stdout();
    assert!(out.contains("      [[repairs]]"), "{out}");
    assert!(
        !out.contains("does not turn this correction"),
        "the model confirms it:\n{out}"
    );
    assert!(
        out.contains("with these entries in the fixes file, delete the file"),
        "{out}"
    );

    // Doing as told: the entry goes into the fixes file, the file is deleted, and the
    // import writes it again with the person's correction and nothing marked.
    // The fold-back entry, not the suggestions of the warning about the span (which
    // come first in the import's output).
    let entry: String = out
        .lines()
        .skip_while(|l| !l.contains("the fixes file carries it as a repair"))
        .skip_while(|l| l.trim() != "[[repairs]]")
        .take(3)
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    assert!(
        entry.contains("garbled = ") && entry.contains("corrected = "),
        "{entry}"
    );
    site.write("sources/fixes.toml", &format!("{without}\n{entry}"));
    std::fs::remove_file(site.path(file)).unwrap();
    let out = site.build().ok().stdout();
    assert!(!out.contains("warning:"), "{out}");
    assert!(!out.contains("edited by hand"), "{out}");
    let regenerated = site.read(file);
    assert!(!regenerated.contains("<mark>"), "{regenerated}");
    // The correction's characters get their readings back, as every other's (and its
    // Simplified 并 becomes 並 by the residue rule, as everywhere).
    assert!(
        regenerated.contains("給我帶來希望的幾件事之一，就是我知道我並不孤單。如果你{現|xiàn}在"),
        "{regenerated}"
    );
}

#[test]
fn import_warnings_say_warning_once_and_name_the_place() {
    let site = TestSite::memorial(&[]);
    let fixes = site.read("sources/fixes.toml");
    site.write(
        "sources/fixes.toml",
        &fixes[..fixes.find("\n[[repairs]]\n").unwrap()],
    );
    // A site whose language is not the article's: a warning about site.toml too.
    let config = site.read("site.toml");
    // (Simplified, with a Traditional edition: a Traditional article needs the reverse.)
    let swapped = config
        .replace("language = \"zh-Hant\"", "language = \"swap\"")
        .replace("language = \"zh-Hans\"", "language = \"zh-Hant\"")
        .replace("language = \"swap\"", "language = \"zh-Hans\"");
    site.write("site.toml", &swapped);
    for out in [site.run(IMPORT).ok().stdout(), {
        std::fs::remove_dir_all(site.path("content/blog")).unwrap();
        site.build().ok().stdout()
    }] {
        let warning = lines_with(&out, "garbled span left as it is");
        assert_eq!(warning.len(), 1, "{out}");
        assert!(
            warning[0].starts_with("warning: garbled span"),
            "one `warning:` and no `error:`:\n{out}"
        );
        assert!(!out.contains("error:"), "{out}");
        assert!(out.contains("  --> sources/felix-hill.txt:64:"), "{out}");
        let language = lines_with(&out, "the site's language is `zh-Hans`");
        assert_eq!(language.len(), 1, "{out}");
        assert!(
            language[0].starts_with("warning: the site's language"),
            "{out}"
        );
        assert!(out.contains("--> site.toml:"), "{out}");
    }
}

#[test]
fn generated_files_never_record_an_absolute_path() {
    let site = TestSite::with(&[]);
    let elsewhere = tempfile::tempdir().unwrap();
    let article = elsewhere.path().join("article.txt");
    let memorial = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sources/felix-hill.txt"
    ))
    .unwrap();
    std::fs::write(&article, &memorial).unwrap();
    // Outside the site, given by an absolute path: the file name alone.
    site.run(&["import", article.to_str().unwrap(), "--into", "content"])
        .ok();
    let outside = elsewhere.path().to_str().unwrap();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(text.contains("\nsource = \"article.txt\"\n"), "{text}");
            assert!(!text.contains(outside), "{text}");
            checked += 1;
        }
    }
    assert!(checked > 1);
    // Inside the site, given by an absolute path (with `..` in it): relative to the site.
    site.write_bytes("sources/a.txt", &memorial);
    let absolute = site.path("sources/../sources/a.txt");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    site.run(&[
        "import",
        absolute.to_str().unwrap(),
        "--into",
        site.path("content").to_str().unwrap(),
    ])
    .ok();
    let home = site.read("content/_index.md");
    assert!(home.contains("\nsource = \"sources/a.txt\"\n"), "{home}");
    // And from another folder, by a relative path that leaves it: still the site's.
    std::fs::remove_dir_all(site.path("content")).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["import", "../sources/a.txt", "--into", "../content"])
        .current_dir(site.path("sources"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let home = site.read("content/_index.md");
    assert!(home.contains("\nsource = \"sources/a.txt\"\n"), "{home}");
}
