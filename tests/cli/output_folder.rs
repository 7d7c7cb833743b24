//! The output folder belongs to a person: lectern writes only inside it, deletes only
//! files it can prove it wrote, never moves or replaces anything else (the folder
//! itself included), builds one at a time, and leaves every file whole when killed.
//! Each test runs the real binary on a site in a temp folder, with the hostile or
//! unlucky thing done to the output by hand.

use crate::util;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{page, TestSite};

fn small_site() -> TestSite {
    TestSite::with(&[
        ("content/_index.md", "+++\ntitle = \"首頁\"\n+++\n歡迎。\n"),
        ("content/docs/_index.md", &page("文檔", 1, "說明。\n")),
        ("content/docs/a.md", &page("甲", 1, "甲文。\n")),
        ("content/about.md", &page("關於", 5, "關於本站。\n")),
    ])
}

/// Every file under `dir`, with its bytes (links as their target).
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = if e.file_type().is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .display()
                    .to_string()
                    .into_bytes()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (rel, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn stale_files_behind_a_link_in_the_output_are_never_deleted() {
    let site = small_site();
    site.build().ok();
    // The person (or an attacker) puts a link where lectern's docs/ folder was, to a
    // folder holding files with exactly the bytes lectern wrote there.
    let outside = site.path("outside");
    std::fs::create_dir(&outside).unwrap();
    for name in ["index.html", "a/index.html"] {
        let bytes = std::fs::read(site.path(&format!("public/docs/{name}"))).unwrap();
        std::fs::create_dir_all(outside.join(name).parent().unwrap()).unwrap();
        std::fs::write(outside.join(name), bytes).unwrap();
    }
    std::fs::write(outside.join("id_rsa"), "secret").unwrap();
    std::fs::remove_dir_all(site.path("public/docs")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("public/docs")).unwrap();
    let before = tree(&outside);
    // The docs section goes: its pages are stale, and their paths lead through the link.
    std::fs::remove_dir_all(site.path("content/docs")).unwrap();
    site.build().ok();
    assert_eq!(tree(&outside), before, "nothing behind the link changed");
    assert!(std::fs::symlink_metadata(site.path("public/docs"))
        .unwrap()
        .file_type()
        .is_symlink());
    // With the section back, the build refuses to write through the link.
    site.write("content/docs/_index.md", &page("文檔", 1, "說明。\n"));
    let stderr = site.build().fails();
    assert!(stderr.contains("public/docs"), "{stderr}");
    assert_eq!(tree(&outside), before);
    // Nor through a link to another folder inside the output: the person's own.
    site.write("public/mine/notes.txt", "mine");
    std::fs::remove_file(site.path("public/docs")).unwrap();
    std::os::unix::fs::symlink("mine", site.path("public/docs")).unwrap();
    let stderr = site.build().fails();
    assert!(stderr.contains("public/docs"), "{stderr}");
    assert_eq!(
        tree(&site.path("public/mine")),
        vec![("notes.txt".into(), b"mine".to_vec())]
    );
}

#[test]
fn a_forged_record_or_an_old_manifest_makes_nothing_lecterns() {
    let site = small_site();
    site.write("public/.git/config", "[core]\n");
    site.write("public/CNAME", "hand.example.org\n");
    // The line-based manifest of older versions, as a file name with a newline once
    // made it: lectern must not trust it.
    site.write(
        "public/.lectern-manifest",
        ".git/config\nCNAME\nindex.html\n",
    );
    site.build().ok();
    // A record claiming the person's files, as a pull request could commit it.
    let record = std::fs::read_dir(site.path(".lectern"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .expect("a record in .lectern/")
        .path();
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    let any = json["files"]["index.html"].clone();
    for claimed in [".git/config", "CNAME", "../outside.txt", "docs/../../x"] {
        json["files"][claimed] = any.clone();
    }
    std::fs::write(&record, json.to_string()).unwrap();
    site.write("outside.txt", "the site's own");
    std::fs::remove_dir_all(site.path("content/docs")).unwrap();
    site.build().ok();
    assert_eq!(site.read("public/.git/config"), "[core]\n");
    assert_eq!(site.read("public/CNAME"), "hand.example.org\n");
    assert_eq!(site.read("outside.txt"), "the site's own");
    assert!(site.exists("public/.lectern-manifest"));
    assert!(
        !site.exists("public/docs/index.html"),
        "lectern's own stale page went"
    );
}

#[test]
fn the_record_of_what_lectern_wrote_is_not_published() {
    let site = small_site();
    site.build().ok();
    let published: Vec<String> = tree(&site.path("public"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert!(
        !published
            .iter()
            .any(|p| p.contains(".lectern") || p.contains("manifest")),
        "{published:?}"
    );
    assert!(site.path(".lectern").is_dir());
}

#[test]
fn a_stale_path_the_person_replaced_with_their_own_file_or_folder_stays() {
    let site = small_site();
    site.write(
        "site.toml",
        &format!("{}cname = \"memorial.example.org\"\n", util::MINIMAL_CONFIG),
    );
    site.build().ok();
    assert_eq!(site.read("public/CNAME"), "memorial.example.org\n");
    // The person writes their own CNAME over lectern's, makes about/ their own, and
    // adds a file beside a page of lectern's.
    site.write("public/CNAME", "mine.example.org\n");
    site.write("public/about/index.html", "my own about page");
    site.write("public/docs/a/mine.txt", "mine");
    site.write("site.toml", util::MINIMAL_CONFIG);
    std::fs::remove_file(site.path("content/about.md")).unwrap();
    std::fs::remove_file(site.path("content/docs/a.md")).unwrap();
    let run = site.build().ok();
    assert_eq!(site.read("public/CNAME"), "mine.example.org\n");
    assert_eq!(site.read("public/about/index.html"), "my own about page");
    assert_eq!(site.read("public/docs/a/mine.txt"), "mine");
    assert!(!site.exists("public/docs/a/index.html"));
    assert!(run.stdout().contains("left"), "{}", run.stdout());
    // Left once, they are the person's: the next build says nothing of them.
    let run = site.build().ok();
    assert!(!run.stdout().contains("left"), "{}", run.stdout());
    assert_eq!(site.read("public/CNAME"), "mine.example.org\n");
}

#[test]
fn the_output_folder_keeps_its_inode_mode_and_the_persons_files_never_move() {
    let site = small_site();
    std::fs::create_dir(site.path("public")).unwrap();
    std::fs::set_permissions(site.path("public"), std::fs::Permissions::from_mode(0o700)).unwrap();
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/notes/mine.txt", "mine");
    let identity = |path: &str| {
        let meta = std::fs::symlink_metadata(site.path(path)).unwrap();
        (meta.ino(), meta.mode())
    };
    let folder = identity("public");
    let git = identity("public/.git/HEAD");
    let notes = identity("public/notes/mine.txt");
    site.build().ok();
    site.write("content/docs/b.md", &page("乙", 2, "乙文。\n"));
    site.build().ok();
    assert_eq!(identity("public"), folder);
    assert_eq!(folder.1 & 0o777, 0o700);
    assert_eq!(identity("public/.git/HEAD"), git);
    assert_eq!(identity("public/notes/mine.txt"), notes);
    assert!(site.exists("public/docs/b/index.html"));
}

#[test]
fn a_staging_folder_an_earlier_lectern_left_beside_the_output_is_named_and_kept() {
    let site = small_site();
    // Before the output was built through one handle, a killed build left its staging
    // beside the output, sometimes with the person's `.git` moved into it.
    site.write(
        ".public.lectern-staging-4242/.git/HEAD",
        "ref: refs/heads/gh-pages\n",
    );
    site.write(".public.lectern-staging-x/keep.txt", "not lectern's name");
    let stdout = site.build().ok().stdout();
    assert!(
        stdout.contains(".public.lectern-staging-4242: a killed build of an earlier lectern"),
        "{stdout}"
    );
    assert!(!stdout.contains("staging-x"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(site.path(".public.lectern-staging-4242/.git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n",
        "outside the output: named, never deleted"
    );
}

#[test]
fn an_output_folder_that_is_a_link_is_refused_and_its_target_untouched() {
    let site = small_site();
    site.write("www/keep.txt", "keep");
    std::os::unix::fs::symlink(site.path("www"), site.path("public")).unwrap();
    let stderr = site.build().fails();
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(stderr.contains("-o "), "{stderr}");
    assert_eq!(
        tree(&site.path("www")),
        vec![("keep.txt".into(), b"keep".to_vec())]
    );
    assert!(std::fs::symlink_metadata(site.path("public"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_name_lectern_cannot_write_is_an_error_naming_its_source() {
    let site = small_site();
    site.write("public/.git/config", "[core]\n");
    site.write("public/CNAME", "hand.example.org\n");
    site.build().ok();
    // A static file that asks for lectern's working folder.
    site.write("static/.lectern-staging/journal.json", "{}");
    let stderr = site.build().fails();
    assert!(
        stderr.contains("static/.lectern-staging/journal.json"),
        "{stderr}"
    );
    assert!(stderr.contains("lectern's own working folder"), "{stderr}");
    assert_eq!(site.read("public/.git/config"), "[core]\n");
    assert_eq!(site.read("public/CNAME"), "hand.example.org\n");
}

#[test]
fn a_static_file_and_a_page_at_one_path_name_both_sources() {
    let site = small_site();
    site.write("static/about/index.html", "static about");
    let stderr = site.build().fails();
    assert!(stderr.contains("about/index.html"), "{stderr}");
    assert!(stderr.contains("content/about.md"), "{stderr}");
    assert!(stderr.contains("static/about/index.html"), "{stderr}");
}

#[test]
fn two_builds_into_one_folder_take_turns() {
    let site = small_site();
    site.build().ok();
    // Another build holds the folder's lock: a build waits, says who has it, and
    // finishes once the lock is free.
    let folder = std::fs::File::open(site.path("public")).unwrap();
    rustix::fs::flock(&folder, rustix::fs::FlockOperation::LockExclusive).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .arg("build")
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the build waited");
    rustix::fs::flock(&folder, rustix::fs::FlockOperation::Unlock).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("waiting"), "{stderr}");
    assert!(
        stderr.contains(&format!("process {}", std::process::id())),
        "{stderr}"
    );
    // Many at once: all succeed and the output is what one build writes.
    let expected = tree(&site.path("public"));
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_lectern"))
                .arg("build")
                .current_dir(site.root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(tree(&site.path("public")), expected);
}

/// A site of `pages` pages whose every page says `version`.
fn write_pages(site: &TestSite, pages: usize, version: &str) {
    site.write(
        "content/_index.md",
        &format!("+++\ntitle = \"首頁\"\n+++\n{version}\n"),
    );
    for section in 0..10 {
        site.write(
            &format!("content/s{section}/_index.md"),
            &page(&format!("節{section}"), section as i64, version),
        );
    }
    for i in 0..pages {
        site.write(
            &format!("content/s{}/p{i}.md", i % 10),
            &page(
                &format!("頁{i}"),
                i as i64,
                &format!("{version}：第{i}頁。\n"),
            ),
        );
    }
}

/// A build killed with SIGKILL at 24 moments: 16 spread over its run by time, and 8 at
/// chosen steps of the swap (lectern's `LECTERN_KILL_IN_SWAP` hook, so that they land in
/// the swap on any machine). After each kill every file of the output is whole (its bytes
/// from the old build or the new one) and the person's files are as they were; the next
/// build finishes the job, equal byte for byte to a fresh build, with no staging left.
#[test]
fn a_build_killed_at_any_moment_leaves_every_file_whole() {
    // Enough pages that a swap takes a thousand renames and a kill lands inside it.
    const PAGES: usize = 1_000;
    let site = TestSite::with(&[]);
    let build_killed_at = |out: &str, kill_in_swap: Option<usize>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lectern"));
        if let Some(renames) = kill_in_swap {
            command.env("LECTERN_KILL_IN_SWAP", renames.to_string());
        }
        command
            .args(["build", "-o", out])
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let build = |out: &str| build_killed_at(out, None);
    let finish = |child: std::process::Child| {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    // The two versions, each built fresh into a folder of its own.
    let mut fresh = Vec::new();
    for version in ["第一版", "第二版"] {
        write_pages(&site, PAGES, version);
        let out = format!("fresh-{}", fresh.len());
        let started = Instant::now();
        finish(build(&out));
        eprintln!("fresh build of {version}: {:?}", started.elapsed());
        fresh.push(tree(&site.path(&out)));
    }
    let known: std::collections::HashMap<&str, [Option<&[u8]>; 2]> = {
        let mut map = std::collections::HashMap::new();
        for (v, files) in fresh.iter().enumerate() {
            for (path, bytes) in files {
                map.entry(path.as_str()).or_insert([None, None])[v] = Some(bytes.as_slice());
            }
        }
        map
    };
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/CNAME", "hand.example.org\n");
    site.write("public/notes/mine.txt", "mine");
    let persons =
        ["public/.git/HEAD", "public/CNAME", "public/notes/mine.txt"].map(|p| (p, site.read(p)));
    write_pages(&site, PAGES, "第一版");
    finish(build("public"));
    // How long a rebuild that changes every page takes, to spread the kills over it.
    write_pages(&site, PAGES, "第二版");
    let started = Instant::now();
    finish(build("public"));
    let full = started.elapsed();
    let journal = site.path("public/.lectern-staging/journal.json");
    // A swap of this site takes about PAGES renames: kill after none, a few, a tenth,
    // half, nearly all, all, and past the last.
    let swap_kills = [0, 1, 2, PAGES / 10, PAGES / 2, PAGES - 10, PAGES, PAGES + 3];
    let mut kills_in_swap = 0;
    for round in 0..24 {
        let version = round % 2; // the version this round builds
        write_pages(&site, PAGES, ["第一版", "第二版"][version]);
        if round % 3 == 2 {
            let renames = swap_kills[round / 3];
            let status = build_killed_at("public", Some(renames)).wait().unwrap();
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9), "round {round}: {status}");
            assert!(
                journal.exists(),
                "round {round}: killed after {renames} renames"
            );
            kills_in_swap += 1;
        } else {
            let mut child = build("public");
            std::thread::sleep(full.mul_f64(round as f64 / 24.0));
            let _ = child.kill();
            let _ = child.wait();
        }
        // Every file is whole: the old version's bytes or the new one's.
        for (path, bytes) in tree(&site.path("public")) {
            if path.starts_with(".lectern-staging")
                || persons.iter().any(|(p, _)| p.ends_with(&path))
            {
                continue;
            }
            let versions = known
                .get(path.as_str())
                .unwrap_or_else(|| panic!("round {round}: {path} is no file of either build"));
            assert!(
                versions.contains(&Some(bytes.as_slice())),
                "round {round}: {path} is neither version ({} bytes)",
                bytes.len()
            );
        }
        for (path, text) in &persons {
            assert_eq!(&site.read(path), text, "round {round}");
        }
        // The next build finishes the job: equal to a fresh build of this version.
        finish(build("public"));
        let mut output = tree(&site.path("public"));
        output.retain(|(path, _)| !persons.iter().any(|(p, _)| p.ends_with(path.as_str())));
        assert!(
            output == fresh[version],
            "round {round}: the output differs from a fresh build"
        );
        assert!(!site.exists("public/.lectern-staging"), "round {round}");
    }
    assert_eq!(kills_in_swap, swap_kills.len());
}
