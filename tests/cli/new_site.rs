//! `lectern new DIR --article FILE`: the next memorial started from its article, as a
//! person making one would, with the real binary: the site is configured from the
//! article (language and script, interface words, the other script's edition, title,
//! `[article]`), builds and checks at once; a site whose language does not suit an
//! article warns when it is imported; a bad article makes nothing.

use lectern::import::damage::{damage, Annotations};

use crate::import_util::files_under;
use crate::util::{visible_text, TestSite};

/// A tribute in the 機器之心 style, in Traditional characters: a lede naming the person
/// (the name's dot is one GBK cannot encode, so the damage loses it), the source line, a
/// heading with her given name, a quoted post, a blog of two sections, references.
/// The README's command examples import it too (`readme_commands.rs`).
pub(crate) const HOPPER: &str = "\
上周，計算機協會發表了一篇紀念文章，引發了很多人的關注。
計算機科學家格蕾絲·霍普（Grace Hopper）的工作再次被人們提起；她的程序至今仍被討論！
來源丨科技評論
「再見，格蕾絲！」
這周，工程師們都在以自己的方式紀念她。
工程師 Alan Turing 說：我第一次讀到她的程序時就被打動了。
我想，我們今天的一切都離不開她的想法。
以下是原文：
編譯器是她最著名的設計，它讓程序員用接近英語的語言寫程序。
機器的語言
她花了很多年時間說服同事，但因為當時的觀念，很多人並不相信這件事可以做到。
未完成的夢想
後來的工程師根據她的想法設計了新的語言，證明她的看法是正確的。
參考資料：
https://x.com/aturing/status/42
https://example.org/hopper";

/// The same kind of article in Simplified characters, as UTF-8 without damage.
const LOVELACE: &str = "\
上个月，很多研究人员在网上分享了他们的回忆，这篇文章再次引发讨论。
数学家艾达·洛芙莱斯（Ada Lovelace）的故事再次被人们提起，她的笔记至今仍被阅读。
来源丨科技评论
「再见，艾达！」
许多学者都写下了自己的感受，我们会一直怀念她。
以下是她的笔记：
她认为机器不仅能计算数字，还能处理符号和音乐，这是一个非常超前的想法。";

/// `clean` as the broken pipeline would have delivered it: the name's dot replaced by
/// one GBK cannot encode, then pushed through the damage model.
pub(crate) fn damaged(clean: &str) -> String {
    let damaged = damage(&clean.replace('·', "•"), &Annotations::builtin());
    assert_ne!(damaged, clean, "the damage model changed nothing");
    damaged
}

/// A folder holding `name` with `bytes`, where `lectern new` is run.
fn with_article(name: &str, bytes: &[u8]) -> TestSite {
    let site = TestSite::empty();
    site.write_bytes(name, bytes);
    site
}

/// The memorial's own raw article, as received.
fn memorial_article() -> Vec<u8> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read(repo.join("sources/felix-hill.txt")).unwrap()
}

/// Runs `lectern --root mem ARGS` in `site`'s folder.
fn in_mem(site: &TestSite, args: &[&str]) -> crate::util::Run {
    let mut all = vec!["--root", "mem"];
    all.extend_from_slice(args);
    site.run(&all)
}

#[test]
fn a_damaged_gbk_article_makes_a_traditional_site_that_builds_and_checks() {
    let bytes = encoding_rs::GB18030.encode(&damaged(HOPPER)).0.into_owned();
    let site = with_article("hopper.txt", &bytes);
    let made = site
        .run(&["new", "mem", "--article", "hopper.txt"])
        .ok()
        .stdout();
    assert!(made.contains("zh-Hant"), "{made}");
    assert!(made.contains("格蕾絲·霍普（Grace Hopper）"), "{made}");
    assert!(made.contains("GB18030"), "{made}");

    // The site stands alone: its own copy of the article, byte for byte.
    assert_eq!(
        std::fs::read(site.path("mem/sources/hopper.txt")).unwrap(),
        bytes
    );
    let config: toml::Table = site.read("mem/site.toml").parse().unwrap();
    assert_eq!(
        config["title"].as_str(),
        Some("格蕾絲·霍普（Grace Hopper）")
    );
    assert_eq!(config["language"].as_str(), Some("zh-Hant"));
    assert_eq!(config["edition_name"].as_str(), Some("繁體"));
    assert_eq!(config["author"].as_str(), Some("科技評論"));
    let edition = &config["editions"].as_array().unwrap()[0];
    assert_eq!(edition["language"].as_str(), Some("zh-Hans"));
    assert_eq!(edition["path"].as_str(), Some("zh-hans"));
    assert_eq!(config["person"]["name"].as_str(), Some("格蕾絲·霍普"));
    assert_eq!(
        config["person"]["alternate_name"].as_str(),
        Some("Grace Hopper")
    );
    assert_eq!(
        config["article"]["source"].as_str(),
        Some("sources/hopper.txt")
    );
    assert_eq!(
        config["article"]["fixes"].as_str(),
        Some("sources/fixes.toml")
    );
    // The starter fixes file is all comments but what the article needs, and lists
    // the sections the import found.
    let fixes = site.read("mem/sources/fixes.toml");
    assert!(fixes.parse::<toml::Table>().unwrap().is_empty(), "{fixes}");
    assert!(fixes.contains("# \"機器的語言\" = "), "{fixes}");
    assert!(fixes.contains("# \"未完成的夢想\" = "), "{fixes}");
    assert!(fixes.contains("「再見，格蕾絲！」") || fixes.contains("再見，格蕾絲！"));

    // The README's build command, straight away; then check.
    in_mem(&site, &["build"]).ok();
    let home = site.read("mem/public/index.html");
    assert!(home.contains("<html lang=\"zh-Hant\">"), "{home}");
    assert!(
        home.contains("<title>再見，格蕾絲！ · 格蕾絲·霍普（Grace Hopper）</title>")
            || home.contains("格蕾絲·霍普（Grace Hopper）</title>"),
        "{home}"
    );
    // The interface words are Traditional Chinese, none of the English ones.
    for word in ["跳到正文", "網站導覽", "搜尋", "閱讀設定"] {
        assert!(home.contains(word), "{word} missing");
    }
    for english in ["Skip to content", ">Search<", "Contents"] {
        assert!(!home.contains(english), "{english} on the page");
    }
    // The repaired article, Traditional, not English around it.
    let text = visible_text(&home, true);
    assert!(
        text.contains("計算機科學家格蕾絲·霍普（Grace Hopper）的工作"),
        "{text}"
    );
    // The other script's edition, with its words and its conversion.
    let hans = site.read("mem/public/zh-hans/index.html");
    assert!(hans.contains("<html lang=\"zh-Hans\">"), "{hans}");
    assert!(hans.contains("搜索") && hans.contains("网站导览"));
    assert!(visible_text(&hans, true).contains("计算机科学家格蕾丝·霍普"));
    // The generated files name the article relative to the site.
    for (path, bytes) in files_under(&site.path("mem/content")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&*site.root().to_string_lossy()),
            "{path} names an absolute path"
        );
    }
    let checked = in_mem(&site, &["check"]).ok().stdout();
    assert!(checked.contains("0 problems"), "{checked}");
}

#[test]
fn a_simplified_article_makes_a_simplified_site_with_a_traditional_edition() {
    let site = with_article("艾达.txt", LOVELACE.as_bytes());
    site.run(&["new", "mem", "--article", "艾达.txt"]).ok();
    let config: toml::Table = site.read("mem/site.toml").parse().unwrap();
    assert_eq!(config["language"].as_str(), Some("zh-Hans"));
    assert_eq!(config["edition_name"].as_str(), Some("简体"));
    assert_eq!(
        config["title"].as_str(),
        Some("艾达·洛芙莱斯（Ada Lovelace）")
    );
    assert_eq!(
        config["article"]["source"].as_str(),
        Some("sources/艾达.txt")
    );
    let edition = &config["editions"].as_array().unwrap()[0];
    assert_eq!(edition["language"].as_str(), Some("zh-Hant"));
    assert_eq!(edition["name"].as_str(), Some("繁體"));

    in_mem(&site, &["build"]).ok();
    let home = site.read("mem/public/index.html");
    assert!(home.contains("<html lang=\"zh-Hans\">"), "{home}");
    assert!(home.contains("网站导览") && home.contains("搜索"));
    let hant = site.read("mem/public/zh-hant/index.html");
    assert!(hant.contains("<html lang=\"zh-Hant\">"), "{hant}");
    assert!(hant.contains("網站導覽") && hant.contains("搜尋"));
    assert!(visible_text(&hant, true).contains("數學家艾達·洛芙萊斯"));
    in_mem(&site, &["check"]).ok();
}

#[test]
fn the_memorials_own_article_makes_the_memorials_settings() {
    let site = with_article("felix-hill.txt", &memorial_article());
    let made = site
        .run(&["new", "mem", "--article", "felix-hill.txt"])
        .ok()
        .stdout();
    // The one span that lost bytes cannot be repaired without a person: the import
    // says where it is.
    assert!(made.contains("garbled span"), "{made}");
    // Counted in words that agree with the number: one warning, not "1 warnings".
    assert!(
        made.contains(": 12 content files, 12 rewritten, 1 warning\n"),
        "{made}"
    );
    let config: toml::Table = site.read("mem/site.toml").parse().unwrap();
    let memorial: toml::Table =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site.toml"))
            .unwrap()
            .parse()
            .unwrap();
    // What the memorial's site.toml says of its language, editions, title and person,
    // found from the article alone.
    for key in ["title", "language", "edition_name", "author"] {
        assert_eq!(config[key], memorial[key], "{key}");
    }
    assert_eq!(config["editions"], memorial["editions"]);
    for key in ["name", "alternate_name"] {
        assert_eq!(config["person"][key], memorial["person"][key], "{key}");
    }
    // The starter fixes file lists the sections the memorial's fixes file names, each
    // with the file name the import gave its page.
    let fixes = site.read("mem/sources/fixes.toml");
    let memorial_fixes: toml::Table = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sources/fixes.toml"),
    )
    .unwrap()
    .parse()
    .unwrap();
    let listed: Vec<toml::Table> = fixes
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter_map(|l| l.parse::<toml::Table>().ok())
        .filter(|t| t.len() == 1 && !t.keys().any(|k| k.is_ascii()))
        .collect();
    let headings: Vec<&String> = listed.iter().flat_map(|t| t.keys()).collect();
    let expected: Vec<&String> = memorial_fixes["slugs"].as_table().unwrap().keys().collect();
    let (mut headings, mut expected) = (headings, expected);
    headings.sort();
    expected.sort();
    assert_eq!(headings, expected, "{fixes}");
    for table in &listed {
        let slug = table.values().next().unwrap().as_str().unwrap();
        assert!(
            site.exists(&format!("mem/content/blog/{slug}.md")),
            "{slug}"
        );
    }

    in_mem(&site, &["build"]).ok();
    let home = site.read("mem/public/index.html");
    assert!(home.contains("<html lang=\"zh-Hant\">"));
    assert!(
        home.contains("菲利克斯·希爾（Felix Hill）</title>"),
        "{home}"
    );
    assert!(site
        .read("mem/public/zh-hans/index.html")
        .contains("<html lang=\"zh-Hans\">"));
    // Check names the span left marked, and nothing else; the memorial's repair, added
    // to the starter fixes file, makes the site check clean.
    let problems = in_mem(&site, &["check"]).fails();
    assert!(
        problems.contains("a damaged span is still marked unrepaired"),
        "{problems}"
    );
    let places: std::collections::BTreeSet<&str> = problems
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--> "))
        .filter(|place| *place != "content")
        .map(|place| place.rsplit_once(':').unwrap().0)
        .collect();
    assert_eq!(
        places.len(),
        1,
        "problems elsewhere than the span: {problems}"
    );
    let repair = r#"
[[repairs]]
garbled = "給我?guī)硐M膸准轮唬褪俏抑牢也⒉还聠巍H绻悻F(xiàn)在"
corrected = "給我帶來希望的幾件事之一，就是我知道我并不孤單。如果你現在"
"#;
    site.write("mem/sources/fixes.toml", &format!("{fixes}{repair}"));
    in_mem(&site, &["build"]).ok();
    in_mem(&site, &["check"]).ok();
}

#[test]
fn importing_into_a_site_of_another_language_warns_at_its_language_line() {
    let site = with_article("article.txt", &memorial_article());
    // The old way: a plain new site (English), then an import.
    site.run(&["new", "mem"]).ok();
    let config = site.read("mem/site.toml");
    let line = config
        .lines()
        .position(|l| l.starts_with("language = "))
        .unwrap()
        + 1;
    let imported = site
        .run(&["import", "article.txt", "--into", "mem/content"])
        .ok()
        .stdout();
    let at = format!("mem/site.toml:{line}:12");
    assert!(imported.contains(&at), "no warning at {at}:\n{imported}");
    assert!(
        imported.contains("the site's language is `en`, but the article is Chinese in Traditional characters (zh-Hant)"),
        "{imported}"
    );
    assert!(
        imported.contains("set language = \"zh-Hant\""),
        "{imported}"
    );

    // A Simplified site is wrong for it too; the build's import says so as well.
    site.write_bytes("mem/sources/article.txt", &memorial_article());
    let config = config.replace("language = \"en\"", "language = \"zh-Hans\"")
        + "\n[article]\nsource = \"sources/article.txt\"\n";
    site.write("mem/site.toml", &config);
    let built = in_mem(&site, &["build"]).ok().stdout();
    assert!(
        built.contains("the site's language is `zh-Hans`"),
        "{built}"
    );

    // A site in the article's language: no such warning.
    site.write("mem/site.toml", &config.replace("zh-Hans", "zh-Hant"));
    let built = in_mem(&site, &["build"]).ok().stdout();
    assert!(!built.contains("the site's language"), "{built}");
    let imported = site
        .run(&["import", "article.txt", "--into", "mem/content"])
        .ok()
        .stdout();
    assert!(!imported.contains("the site's language"), "{imported}");
}

#[test]
fn a_missing_binary_or_huge_article_makes_nothing() {
    let site = TestSite::empty();
    let stderr = site
        .run(&["new", "mem", "--article", "nowhere.txt"])
        .fails();
    assert!(stderr.contains("nowhere.txt"), "{stderr}");
    assert!(!site.exists("mem"));

    site.write_bytes("photo.zip", b"PK\x03\x04\x00\x00\xff\xfe binary");
    let stderr = site
        .run(&["new", "new/mem", "--article", "photo.zip"])
        .fails();
    assert!(stderr.contains("photo.zip"), "{stderr}");
    assert!(stderr.contains("binary"), "{stderr}");
    assert!(!site.exists("new"), "no folder on the way was made");

    let huge = "再見。\n".repeat(1024 * 1024);
    site.write("huge.txt", &huge);
    let stderr = site.run(&["new", "mem", "--article", "huge.txt"]).fails();
    assert!(stderr.contains("huge.txt"), "{stderr}");
    assert!(stderr.contains("MB"), "{stderr}");
    assert!(!site.exists("mem"));

    // A folder that was there before stays, empty, as it was.
    std::fs::create_dir(site.path("empty")).unwrap();
    site.run(&["new", "empty", "--article", "huge.txt"]).fails();
    assert!(site.exists("empty"));
    assert_eq!(std::fs::read_dir(site.path("empty")).unwrap().count(), 0);
    // A folder with something in it is never written into.
    site.write("full/notes.txt", "mine");
    site.write("article.txt", HOPPER);
    let stderr = site
        .run(&["new", "full", "--article", "article.txt"])
        .fails();
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(site.snapshot("full").len(), 1);
    assert_eq!(site.read("full/notes.txt"), "mine");
}

#[test]
fn new_makes_its_folder_in_the_root_folder_as_import_reads_from_it() {
    let bytes = encoding_rs::GB18030.encode(&damaged(HOPPER)).0.into_owned();
    let site = with_article("sites/hopper.txt", &bytes);
    let made = site.run(&["--root", "sites", "new", "plain"]).ok().stdout();
    assert!(
        made.contains(
            "created a new site in sites/plain; build it with `cd sites/plain && lectern build`"
        ),
        "{made}"
    );
    assert!(site.exists("sites/plain/site.toml") && !site.exists("plain"));
    // The article too is found in the root folder, as `import`'s is.
    let made = site
        .run(&["-r", "sites", "new", "mem", "--article", "hopper.txt"])
        .ok()
        .stdout();
    assert!(made.contains("cd sites/mem && lectern build"), "{made}");
    assert_eq!(
        std::fs::read(site.path("sites/mem/sources/hopper.txt")).unwrap(),
        bytes
    );
    assert!(!site.exists("mem"));
    site.run(&["-r", "sites/mem", "build"]).ok();
}
