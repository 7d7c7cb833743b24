//! Reading the site's files and the article: the only way lectern reads them.
//!
//! Every file of a site may be hostile: a memorial takes tributes by pull request from
//! strangers, and the build runs in CI with secrets nearby. So a file is read only
//! through [`read_file`] (a regular file, at most a set number of bytes, never a pipe
//! or a device that would hang the build or fill its memory), and a site folder is
//! listed only through [`walk`], which checks every name where it is read (no
//! backslash, no control character, valid UTF-8, so a name can never step outside
//! the output) and follows a symbolic link only when it stays inside the site (so
//! `content/env.txt -> /proc/self/environ` publishes nothing).

use std::ffi::OsStr;
use std::fs::{File, FileType, Metadata};
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};

/// How much of one kind of file lectern reads, and what to tell the person whose
/// file is larger.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// The most bytes read.
    pub bytes: u64,
    /// What the files are called in the message, plural: "content files".
    pub what: &'static str,
    /// How to fix a file that is too large.
    pub help: &'static str,
}

impl Limit {
    fn exceeded(&self, shown: &Path, size: Option<u64>) -> Error {
        let size = match size {
            Some(size) => megabytes(size),
            None => format!("more than {}", megabytes(self.bytes)),
        };
        Diagnostic::in_file(
            shown,
            format!(
                "{} is {size}; {} may be at most {}",
                shown.display(),
                self.what,
                megabytes(self.bytes)
            ),
        )
        .with_help(self.help)
        .into()
    }
}

/// `bytes` in megabytes for a message, rounded up to a tenth so that a file just over
/// a limit never reads as the limit itself.
pub fn megabytes(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MB) {
        return format!("{} MB", bytes / MB);
    }
    let tenths = bytes.div_ceil(MB / 10);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// Reads the regular file at `path`, of at most `limit` bytes; `shown` is how messages
/// name it (`content/a.md`). A FIFO, socket, device or folder is refused at once,
/// before a byte is read: it is opened without blocking and checked on the opened
/// handle, so what is checked is what would be read.
pub fn read_file(path: &Path, shown: &Path, limit: &Limit) -> Result<Vec<u8>> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags((rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY).bits() as i32)
        .open(path)
        .map_err(|e| open_error(path, shown, e))?;
    let meta = file.metadata().map_err(|e| Error::io("read", shown, e))?;
    if let Some(kind) = not_regular(&meta.file_type()) {
        return Err(not_regular_error(shown, kind));
    }
    if meta.len() > limit.bytes {
        return Err(limit.exceeded(shown, Some(meta.len())));
    }
    read_capped(file, &meta, shown, limit)
}

fn read_capped(file: File, meta: &Metadata, shown: &Path, limit: &Limit) -> Result<Vec<u8>> {
    // One more byte than the limit: a file that grew since `fstat` is still caught.
    let mut bytes = Vec::with_capacity(meta.len().min(limit.bytes) as usize);
    file.take(limit.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", shown, e))?;
    if bytes.len() as u64 > limit.bytes {
        return Err(limit.exceeded(shown, None));
    }
    Ok(bytes)
}

/// A socket cannot even be opened (`ENXIO`): say what it is rather than the system's
/// "No such device or address".
fn open_error(path: &Path, shown: &Path, error: std::io::Error) -> Error {
    match std::fs::metadata(path) {
        Ok(meta) => match not_regular(&meta.file_type()) {
            Some(kind) if kind != "a folder" => not_regular_error(shown, kind),
            _ => Error::io("read", shown, error),
        },
        Err(_) => Error::io("read", shown, error),
    }
}

/// What a file that is not a regular file is, for messages; `None` for a regular file.
fn not_regular(kind: &FileType) -> Option<&'static str> {
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some("a folder")
    } else if kind.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if kind.is_socket() {
        Some("a socket")
    } else if kind.is_char_device() {
        Some("a character device")
    } else if kind.is_block_device() {
        Some("a block device")
    } else {
        Some("not a file")
    }
}

fn not_regular_error(shown: &Path, kind: &str) -> Error {
    Diagnostic::in_file(
        shown,
        format!("{} is {kind}, not a regular file", shown.display()),
    )
    .with_help("lectern reads only regular files: remove it, or put a file in its place")
    .into()
}

/// Reads `relative` (such as `site.toml`) in the site at `root`. When a symbolic link
/// is on the way, it must lead to a place inside the site (see [`walk`]).
pub fn read_in_site(root: &Path, relative: &Path, limit: &Limit) -> Result<Vec<u8>> {
    let path = resolve_in_site(root, relative)?;
    read_file(&path, relative, limit)
}

/// Where `relative` in the site at `root` really is: itself, or when a symbolic link
/// is on the way, its target, which must be inside the site. A path that does not
/// exist is returned as it is, for the read to report.
pub fn resolve_in_site(root: &Path, relative: &Path) -> Result<PathBuf> {
    if !is_plain_relative(relative) {
        return Err(Diagnostic::in_file(
            relative,
            format!("{} is not a path inside the site", relative.display()),
        )
        .with_help("name it relative to the site's folder, without `..`")
        .into());
    }
    let path = root.join(relative);
    let Ok(real) = path.canonicalize() else {
        return Ok(path);
    };
    let canonical_root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    if real == canonical_root.join(relative) {
        return Ok(path);
    }
    check_link_target(&canonical_root, &real, relative, &path)?;
    Ok(real)
}

/// A link (or a path through one) at `shown` may lead only inside the site, not to
/// the site's own folder, and not to a hidden file or folder (such as `.git`, whose
/// `config` holds the credentials CI checked the site out with).
fn check_link_target(canonical_root: &Path, real: &Path, shown: &Path, link: &Path) -> Result<()> {
    let how = match std::fs::read_link(link) {
        Ok(target) => format!("is a symbolic link to {}", shown_path(target.as_os_str())),
        Err(_) => format!(
            "leads through a symbolic link to {}",
            shown_path(real.as_os_str())
        ),
    };
    let problem = match real.strip_prefix(canonical_root) {
        Err(_) => "outside the site",
        Ok(inside) if inside.as_os_str().is_empty() => "the site's own folder",
        Ok(inside) if inside.components().any(|c| is_hidden(c.as_os_str())) => {
            "a hidden file or folder of the site"
        }
        Ok(_) => return Ok(()),
    };
    Err(
        Diagnostic::in_file(shown, format!("{} {how}, {problem}", shown.display()))
            .with_help(
                "lectern follows links only to files and folders inside the site: \
         copy the file into the site instead",
            )
            .into(),
    )
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_bytes().first() == Some(&b'.')
}

/// A file found in a site folder by [`walk`]; its name is checked.
#[derive(Debug, Clone)]
pub struct SiteFile {
    /// Its path below the folder, `/`-separated: `blog/a.md`.
    pub relative: String,
    /// Its path from the site root, for messages: `content/blog/a.md`.
    pub shown: PathBuf,
    /// Where to read it: the file, or for a symbolic link the file it leads to.
    pub path: PathBuf,
}

impl SiteFile {
    /// Its bytes, at most `limit` of them (see [`read_file`]).
    pub fn read(&self, limit: &Limit) -> Result<Vec<u8>> {
        read_file(&self.path, &self.shown, limit)
    }
}

/// Every regular file in the site folder `folder` (`content`, `static`, `templates`)
/// of the site at `root`, sorted by name, leaving out entries `skip` names (and what
/// is inside them). Refused, each with its name: a name with a backslash, a control
/// character or bytes that are not UTF-8; a FIFO, socket or device; a symbolic link
/// that leaves the site, loops, or leads nowhere. Every problem is reported at once.
pub fn walk(root: &Path, folder: &str, skip: impl Fn(&OsStr) -> bool) -> Result<Vec<SiteFile>> {
    let canonical_root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    let dir = resolve_in_site(root, Path::new(folder))?;
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    // While inside a linked folder, the depth of its link: what is hidden there is
    // refused as the link's own target would be.
    let mut linked_at: Option<usize> = None;
    let mut entries = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(e.file_name()));
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(walk_error(root, &dir, folder, e));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        if linked_at.is_some_and(|depth| entry.depth() <= depth) {
            linked_at = None;
        }
        let is_dir = entry.file_type().is_dir();
        let relative = entry.path().strip_prefix(&dir).expect("under the folder");
        let shown = Path::new(folder).join(relative);
        let checked = check_name(entry.file_name(), &shown, is_dir).and_then(|()| {
            if !entry.path_is_symlink() && linked_at.is_none() {
                return Ok(entry.path().to_path_buf());
            }
            // A link, or an entry inside a linked folder: where it really is must be
            // a place a link may lead to.
            let real = entry
                .path()
                .canonicalize()
                .map_err(|e| Error::io("read", &shown, e))?;
            check_link_target(&canonical_root, &real, &shown, entry.path())?;
            if is_dir && linked_at.is_none() {
                linked_at = Some(entry.depth());
            }
            Ok(real)
        });
        let path = match checked {
            Ok(path) => path,
            Err(error) => {
                errors.push(error);
                if is_dir {
                    entries.skip_current_dir();
                }
                continue;
            }
        };
        if is_dir {
            continue;
        }
        if let Some(kind) = not_regular(&entry.file_type()) {
            errors.push(not_regular_error(&shown, kind));
            continue;
        }
        let relative = relative
            .to_str()
            .expect("every name on the way was checked")
            .to_string();
        files.push(SiteFile {
            relative,
            shown,
            path,
        });
    }
    Error::from_list(errors)?;
    Ok(files)
}

fn walk_error(root: &Path, dir: &Path, folder: &str, e: walkdir::Error) -> Error {
    let path = e.path().unwrap_or(dir).to_path_buf();
    let shown = match path.strip_prefix(dir) {
        Ok(relative) => Path::new(folder).join(relative),
        Err(_) => path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
    };
    let shown = PathBuf::from(shown_path(shown.as_os_str()));
    if e.loop_ancestor().is_some() {
        return Diagnostic::in_file(
            &shown,
            format!("this symbolic link makes a loop in {folder}/"),
        )
        .with_help("remove the link or point it elsewhere")
        .into();
    }
    match e.into_io_error() {
        Some(io) => Error::io("read", &shown, io),
        None => Diagnostic::in_file(&shown, "cannot read this folder").into(),
    }
}

/// A name must be valid UTF-8, without a backslash (a folder separator elsewhere,
/// which would take the file out of the output) or a control character (which would
/// garble messages and URLs). `shown` is the whole path, for the message.
pub fn check_name(name: &OsStr, shown: &Path, is_dir: bool) -> Result<()> {
    let problem = match name.to_str() {
        None => "is not valid UTF-8",
        Some(name) if name.contains('\\') => {
            "contains a backslash, which some systems read as a folder separator"
        }
        Some(name) if name.chars().any(char::is_control) => "contains a control character",
        Some(_) => return Ok(()),
    };
    let what = if is_dir { "folder" } else { "file" };
    let shown = shown_path(shown.as_os_str());
    Err(Diagnostic::in_file(
        Path::new(&shown),
        format!("the {what} name {shown} {problem}"),
    )
    .with_help(format!(
        "rename the {what}: letters, digits, spaces and punctuation other than `\\`"
    ))
    .into())
}

/// A path as it can be shown in a terminal: control characters escaped (`\n`,
/// `\u{1b}`), bytes that are not UTF-8 as `\xFF`.
pub fn shown_path(path: &OsStr) -> String {
    let mut out = String::new();
    for chunk in path.as_bytes().utf8_chunks() {
        for ch in chunk.valid().chars() {
            if ch.is_control() {
                out.extend(ch.escape_debug());
            } else {
                out.push(ch);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

/// Whether `path` is a plain relative path inside a folder: no root, no `..`.
pub fn is_plain_relative(path: &Path) -> bool {
    !path.as_os_str().is_empty()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit {
        bytes: 16,
        what: "test files",
        help: "make it smaller",
    };

    fn mkfifo(path: &Path) {
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    }

    #[test]
    fn a_regular_file_within_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), b"sixteen bytes ok").unwrap();
        let bytes = read_file(&dir.path().join("a"), Path::new("a"), &SMALL).unwrap();
        assert_eq!(bytes, b"sixteen bytes ok");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_naming_it_and_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), [b'x'; 17]).unwrap();
        let err = read_file(&dir.path().join("a"), Path::new("content/a"), &SMALL)
            .unwrap_err()
            .to_string();
        assert!(err.contains("content/a is 0.1 MB"), "{err}");
        assert!(err.contains("test files may be at most"), "{err}");
        assert!(err.contains("help: make it smaller"), "{err}");
    }

    #[test]
    fn a_device_a_fifo_and_a_folder_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        mkfifo(&fifo);
        let cases = [
            (Path::new("/dev/zero"), "a character device"),
            (fifo.as_path(), "a FIFO (named pipe)"),
            (dir.path(), "a folder"),
        ];
        for (path, kind) in cases {
            let err = read_file(path, Path::new("x/y"), &SMALL)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(&format!("x/y is {kind}, not a regular file")),
                "{err}"
            );
        }
    }

    #[test]
    fn the_limit_holds_for_a_file_that_grows_after_it_is_checked() {
        // /proc files say they are 0 bytes long and then give more.
        let limit = Limit { bytes: 4, ..SMALL };
        let err = read_file(Path::new("/proc/self/status"), Path::new("s"), &limit)
            .unwrap_err()
            .to_string();
        assert!(err.contains("s is more than"), "{err}");
    }

    #[test]
    fn names_with_a_backslash_a_control_character_or_bad_utf8_are_refused() {
        let cases: [(&[u8], &str); 6] = [
            (b"x\\..\\f.txt", "x\\..\\f.txt"),
            (b"a\nb", "a\\nb"),
            (b"a\tb", "a\\tb"),
            (b"a\x1bb", "a\\u{1b}b"),
            (b"a\x7fb", "a\\u{7f}b"),
            (b"caf\xE9", "caf\\xE9"),
        ];
        for (name, shown) in cases {
            let name = OsStr::from_bytes(name);
            let err = check_name(name, &Path::new("static").join(name), false)
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("static/{shown}")), "{err}");
            assert!(err.contains("rename the file"), "{err}");
        }
        assert!(check_name(OsStr::new("漢字 a-b.md"), Path::new("x"), false).is_ok());
    }

    #[test]
    fn the_walk_follows_links_inside_the_site_and_refuses_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("static/sub")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("shared/logo.txt"), "logo").unwrap();
        std::fs::write(root.join("static/sub/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink("../shared/logo.txt", root.join("static/logo.txt")).unwrap();
        std::os::unix::fs::symlink("../shared", root.join("static/linked")).unwrap();
        let files = walk(root, "static", |_| false).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(names, ["linked/logo.txt", "logo.txt", "sub/a.txt"]);
        assert_eq!(files[1].read(&SMALL).unwrap(), b"logo");

        std::os::unix::fs::symlink("/etc/passwd", root.join("static/passwd")).unwrap();
        std::os::unix::fs::symlink("..", root.join("static/all")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::os::unix::fs::symlink("../.git", root.join("static/git")).unwrap();
        std::fs::write(root.join("shared/.env"), "SECRET=1").unwrap();
        let err = walk(root, "static", |_| false).unwrap_err().to_string();
        assert!(
            err.contains("static/passwd is a symbolic link to /etc/passwd, outside the site"),
            "{err}"
        );
        // A link to the site's folder is a loop: the walk never goes through it.
        assert!(err.contains("static/all"), "{err}");
        assert!(
            err.contains("static/git is a symbolic link to ../.git"),
            "{err}"
        );
        assert!(
            err.contains("static/linked/.env leads through a symbolic link"),
            "{err}"
        );
    }

    #[test]
    fn the_walk_refuses_a_fifo_and_a_site_folder_linked_outside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        mkfifo(&root.join("content/pipe.md"));
        let err = walk(root, "content", |_| false).unwrap_err().to_string();
        assert!(
            err.contains("content/pipe.md is a FIFO (named pipe), not a regular file"),
            "{err}"
        );
        std::os::unix::fs::symlink("/etc", root.join("static")).unwrap();
        let err = walk(root, "static", |_| false).unwrap_err().to_string();
        assert!(err.contains("static is a symbolic link to /etc"), "{err}");
    }

    #[test]
    fn plain_relative_paths_stay_inside() {
        assert!(is_plain_relative(Path::new("sources/a.txt")));
        assert!(is_plain_relative(Path::new("./content")));
        for bad in ["/dev/zero", "../x", "a/../../b", ""] {
            assert!(!is_plain_relative(Path::new(bad)), "{bad}");
        }
    }

    #[test]
    fn sizes_are_rounded_up() {
        assert_eq!(megabytes(16 * 1024 * 1024), "16 MB");
        assert_eq!(megabytes(16 * 1024 * 1024 + 1), "16.1 MB");
        assert_eq!(megabytes(1), "0.1 MB");
    }
}
