//! The output folder as one handle that cannot leave it.
//!
//! Every write, rename and delete a build makes in its output goes through an
//! [`OutputDir`], and every path it takes is an [`OutputPath`]: relative, `/`-separated,
//! each part a plain name (no `.`, `..`, backslash or control character). Folders are
//! opened one part at a time from the output folder's own handle, never through a
//! symbolic link, and the last step (`renameat`, `unlinkat`, `openat` with `O_NOFOLLOW`)
//! never follows one either: no name, link or race inside the output can send a write or
//! a delete anywhere else. The output folder itself is opened once and never replaced,
//! so its inode, mode, owner and ACLs stay the person's.

use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{self as sys, AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

use crate::error::{Diagnostic, Error, Result};

/// The folder inside the output where a build's new files wait until they are swapped
/// in: on the output's own file system, so each swap is one rename.
pub const STAGING: &str = ".lectern-staging";

/// A path inside the output folder, checked where it is made: relative, `/`-separated,
/// every part a plain name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputPath(String);

impl OutputPath {
    /// Checks `path`; the error says what is wrong with it.
    pub fn new(path: &str) -> std::result::Result<OutputPath, String> {
        if path.is_empty() {
            return Err("the path is empty".into());
        }
        for part in path.split('/') {
            if part.is_empty() || part == "." || part == ".." {
                return Err(format!("`{}` is not a plain name", part.escape_debug()));
            }
            if let Some(c) = part.chars().find(|&c| c == '\\' || c.is_control()) {
                return Err(format!(
                    "the name contains `{}`, which lectern does not write",
                    c.escape_debug()
                ));
            }
        }
        if path.split('/').next() == Some(STAGING) {
            return Err(format!("`{STAGING}` is lectern's own working folder"));
        }
        Ok(OutputPath(path.to_string()))
    }

    /// The path as written, with `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder part (`blog/a` of `blog/a/index.html`), `""` at the top.
    pub fn folder(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(folder, _)| folder)
    }

    /// The last part (`index.html`).
    pub fn name(&self) -> &str {
        self.0.rsplit_once('/').map_or(&self.0, |(_, name)| name)
    }
}

/// What is at a path of the output, looked at without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Nothing.
    Missing,
    /// A regular file, with what identifies its bytes cheaply.
    File(Stamp),
    /// A real folder.
    Folder,
    /// A link, a device, a FIFO, or a path through something that is not a folder.
    Other,
}

/// What identifies a file's bytes without reading them: its inode, size and times.
/// Any write to the file changes its `ctime`, which no one can set by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// The inode number.
    pub inode: u64,
    /// The size in bytes.
    pub size: u64,
    /// The modification time, in nanoseconds.
    pub modified: i128,
    /// The change time, in nanoseconds.
    pub changed: i128,
}

impl Stamp {
    fn of(stat: &sys::Stat) -> Stamp {
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        #[allow(clippy::unnecessary_cast)] // the field types differ between systems
        Stamp {
            inode: stat.st_ino as u64,
            size: stat.st_size as u64,
            modified: ns(stat.st_mtime as i64, stat.st_mtime_nsec as i64),
            changed: ns(stat.st_ctime as i64, stat.st_ctime_nsec as i64),
        }
    }

    /// The same file with the same bytes, whatever renames did to its change time.
    pub fn same_bytes_as(&self, other: &Stamp) -> bool {
        (self.inode, self.size, self.modified) == (other.inode, other.size, other.modified)
    }
}

/// The output folder, opened once. See the module's documentation.
pub struct OutputDir {
    root: OwnedFd,
    path: PathBuf,
    /// Whether this build made the folder (and removes it again if it fails).
    made: bool,
}

impl OutputDir {
    /// Opens the output folder at `path`, making it (and its parents) when missing.
    /// A link or a file at `path` is refused: lectern builds only into a real folder.
    pub fn open(path: &Path) -> Result<OutputDir> {
        let mut made = false;
        // As the author would type it: relative to the folder lectern runs in.
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown = path.strip_prefix(&cwd).unwrap_or(path);
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(path).unwrap_or_default();
                return Err(Diagnostic::in_file(
                    shown,
                    format!(
                        "the output folder is a symbolic link (to {}); lectern builds only into a real folder",
                        target.display()
                    ),
                )
                .with_help(format!("build into the folder itself: -o {}", target.display()))
                .into());
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(Diagnostic::in_file(
                    shown,
                    format!(
                        "the output folder {} is a file, not a folder: lectern builds into a folder",
                        shown.display()
                    ),
                )
                .with_help(format!(
                    "build into another folder with `-o DIR` (`--output-dir`), or move {} away",
                    shown.display()
                ))
                .into());
            }
            Ok(_) => {}
            Err(_) => {
                std::fs::create_dir_all(path).map_err(|e| Error::io("create folder", path, e))?;
                made = true;
            }
        }
        let root = sys::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| Error::io("open", path, e.into()))?;
        Ok(OutputDir {
            root,
            path: path.to_path_buf(),
            made,
        })
    }

    /// A folder already open, such as the staging tree, used like an output folder.
    pub fn from_handle(root: OwnedFd, path: PathBuf) -> OutputDir {
        OutputDir {
            root,
            path,
            made: false,
        }
    }

    /// Whether this build made the folder.
    pub fn was_made(&self) -> bool {
        self.made
    }

    /// The folder's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `path` inside the output, for messages.
    pub fn shown(&self, path: &str) -> PathBuf {
        self.path.join(path)
    }

    /// The handle, for locking.
    pub fn handle(&self) -> BorrowedFd<'_> {
        self.root.as_fd()
    }

    /// Opens `folder` (`""` for the output itself) without following any link on the
    /// way: one `openat2` call confined beneath the output (Linux 5.6 and later), else
    /// one part at a time. With `made`, missing folders are created and their paths
    /// pushed there.
    pub fn folder(&self, folder: &str, made: Option<&mut Vec<String>>) -> io::Result<OwnedFd> {
        if made.is_none() {
            if let Some(fd) = self.folder_in_one_call(folder)? {
                return Ok(fd);
            }
        }
        let mut walker = self.walker();
        walker.open(folder, made)?;
        walker
            .open
            .pop()
            .map_or_else(|| open_folder(self.root.as_fd(), "."), |(_, fd)| Ok(fd))
    }

    /// Makes `folder` (and any missing folder above it), pushing each one made to
    /// `made`. Usually only a page's own folder is missing: it is made from its parent.
    pub fn make_folder(&self, folder: &str, made: &mut Vec<String>) -> io::Result<OwnedFd> {
        let (parent, name) = folder.rsplit_once('/').unwrap_or(("", folder));
        let parent = match self.folder(parent, None) {
            Ok(fd) => fd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return self.folder(folder, Some(made));
            }
            Err(e) => return Err(e),
        };
        match sys::mkdirat(&parent, plain(name)?, Mode::from_raw_mode(0o777)) {
            Ok(()) => made.push(folder.to_string()),
            Err(Errno::EXIST) => {}
            Err(e) => return Err(e.into()),
        }
        open_folder(parent.as_fd(), name)
    }

    /// `folder` through `openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS`; `None`
    /// where the system has no such call.
    fn folder_in_one_call(&self, folder: &str) -> io::Result<Option<OwnedFd>> {
        if !folder.is_empty() {
            for part in folder.split('/') {
                plain(part)?;
            }
        }
        let path = if folder.is_empty() { "." } else { folder };
        match sys::openat2(
            &self.root,
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
            sys::ResolveFlags::BENEATH
                | sys::ResolveFlags::NO_SYMLINKS
                | sys::ResolveFlags::NO_MAGICLINKS,
        ) {
            Ok(fd) => Ok(Some(fd)),
            Err(Errno::NOSYS | Errno::PERM) => Ok(None),
            // A link on the way: said as the walk would say it.
            Err(Errno::XDEV) => Err(Errno::LOOP.into()),
            Err(e) => Err(e.into()),
        }
    }

    /// A [`FolderWalker`] from the output folder.
    pub fn walker(&self) -> FolderWalker<'_> {
        FolderWalker {
            root: self.root.as_fd(),
            open: Vec::new(),
        }
    }

    /// What is at `path`, without following any link on the way.
    #[cfg(test)]
    pub fn entry(&self, path: &OutputPath) -> io::Result<Entry> {
        let folder = match self.folder(path.folder(), None) {
            Ok(fd) => fd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Entry::Missing),
            Err(e) if is_not_a_plain_folder(&e) => return Ok(Entry::Other),
            Err(e) => return Err(e),
        };
        entry_in(folder.as_fd(), path.name())
    }

    /// The hash of the regular file at `path` (never a link or a device), or `None`
    /// when there is no such file.
    #[cfg(test)]
    pub fn hash_of(&self, path: &OutputPath) -> io::Result<Option<blake3::Hash>> {
        let folder = match self.folder(path.folder(), None) {
            Ok(fd) => fd,
            Err(e) if e.kind() == io::ErrorKind::NotFound || is_not_a_plain_folder(&e) => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        hash_file_in(folder.as_fd(), path.name())
    }
}

/// Opens folders of the output one after another, keeping the chain of the last one
/// open: paths visited in sorted order open each folder once.
pub struct FolderWalker<'a> {
    root: BorrowedFd<'a>,
    /// The folders open now, outermost first: (path, handle).
    open: Vec<(String, OwnedFd)>,
}

impl FolderWalker<'_> {
    /// The handle of `folder` (`""` for the output itself), opened one part at a time
    /// from the longest open folder above it, never through a link. With `made`,
    /// missing folders are created and their paths pushed there.
    pub fn open(
        &mut self,
        folder: &str,
        mut made: Option<&mut Vec<String>>,
    ) -> io::Result<BorrowedFd<'_>> {
        while let Some((open, _)) = self.open.last() {
            if folder == open || folder.starts_with(&format!("{open}/")) {
                break;
            }
            self.open.pop();
        }
        let done = self.open.last().map_or(0, |(open, _)| open.len() + 1);
        if done < folder.len() {
            for (end, part) in parts_with_ends(&folder[done..]) {
                let end = done + end;
                let parent = self.open.last().map_or(self.root, |(_, fd)| fd.as_fd());
                let fd = match open_folder(parent, part) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound && made.is_some() => {
                        match sys::mkdirat(parent, part, Mode::from_raw_mode(0o777)) {
                            Ok(()) => {
                                if let Some(made) = made.as_deref_mut() {
                                    made.push(folder[..end].to_string());
                                }
                            }
                            Err(Errno::EXIST) => {}
                            Err(e) => return Err(e.into()),
                        }
                        open_folder(parent, part)?
                    }
                    other => other?,
                };
                self.open.push((folder[..end].to_string(), fd));
            }
        }
        Ok(self.open.last().map_or(self.root, |(_, fd)| fd.as_fd()))
    }
}

/// `name` when it is one plain name (not `.`, `..`, nor with a `/`): what every
/// `*at` call here takes, so that no caller's string can climb out.
pub fn plain(name: &str) -> io::Result<&str> {
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\', '\0']) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{}` is not a plain name", name.escape_debug()),
        ));
    }
    Ok(name)
}

/// Opens the folder `name` in `dir`, refusing a link.
pub fn open_folder(dir: BorrowedFd<'_>, name: &str) -> io::Result<OwnedFd> {
    let name = if name == "." { name } else { plain(name)? };
    sys::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(io::Error::from)
}

/// What `name` in `dir` is, without following a link.
pub fn entry_in(dir: BorrowedFd<'_>, name: &str) -> io::Result<Entry> {
    match sys::statat(dir, plain(name)?, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) => Ok(match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => Entry::File(Stamp::of(&stat)),
            FileType::Directory => Entry::Folder,
            _ => Entry::Other,
        }),
        Err(Errno::NOENT) => Ok(Entry::Missing),
        Err(Errno::NOTDIR) => Ok(Entry::Other),
        Err(e) => Err(e.into()),
    }
}

/// The hash of the regular file `name` in `dir`, or `None` when it is missing or not a
/// regular file. Opened without following a link and without waiting on a FIFO.
pub fn hash_file_in(dir: BorrowedFd<'_>, name: &str) -> io::Result<Option<blake3::Hash>> {
    let fd = match sys::openat(
        dir,
        plain(name)?,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => fd,
        Err(Errno::NOENT | Errno::LOOP | Errno::NOTDIR) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if FileType::from_raw_mode(sys::fstat(&fd)?.st_mode) != FileType::RegularFile {
        return Ok(None);
    }
    let mut file = std::fs::File::from(fd);
    let mut hasher = blake3::Hasher::new();
    let mut block = vec![0; 64 * 1024];
    loop {
        match file.read(&mut block)? {
            0 => return Ok(Some(hasher.finalize())),
            n => {
                hasher.update(&block[..n]);
            }
        }
    }
}

/// The bytes of the regular file `name` in `dir`, or `None` when it is missing or not a
/// regular file (a link, a FIFO: never waited on). For lectern's own small files, the
/// journal and the record, which sit where a pull request could have put something.
pub fn read_file_in(dir: BorrowedFd<'_>, name: &str) -> io::Result<Option<Vec<u8>>> {
    let fd = match sys::openat(
        dir,
        plain(name)?,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => fd,
        Err(Errno::NOENT | Errno::LOOP) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if FileType::from_raw_mode(sys::fstat(&fd)?.st_mode) != FileType::RegularFile {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    std::fs::File::from(fd).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Whether an error from opening a folder means a part of the path is a link or a file.
pub fn is_not_a_plain_folder(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error().map(Errno::from_raw_os_error),
        Some(Errno::LOOP | Errno::NOTDIR)
    )
}

/// Each part of `folder` with the byte offset where it ends.
fn parts_with_ends(folder: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    folder.split('/').map(move |part| {
        let end = start + part.len();
        start = end + 1;
        (end, part)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_are_plain_names_only() {
        for good in [
            "index.html",
            "blog/a/index.html",
            ".nojekyll",
            "文檔/index.html",
        ] {
            assert!(OutputPath::new(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "a//b",
            "a/../b",
            "..",
            "./x",
            "x\\..\\..\\f.txt",
            "\\tmp\\pwned.txt",
            "a\nb",
            "a\u{1b}b",
            "a\0b",
            "a/",
            ".lectern-staging/x",
        ] {
            assert!(OutputPath::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn folders_are_never_opened_through_a_link() {
        let temp = tempfile::tempdir().unwrap();
        let outside = temp.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("secret"), "s").unwrap();
        let out = OutputDir::open(&temp.path().join("public")).unwrap();
        std::os::unix::fs::symlink(&outside, temp.path().join("public/docs")).unwrap();
        let through = OutputPath::new("docs/secret").unwrap();
        assert_eq!(out.entry(&through).unwrap(), Entry::Other);
        assert_eq!(out.hash_of(&through).unwrap(), None);
        let error = out.folder("docs/new", Some(&mut Vec::new())).unwrap_err();
        assert!(is_not_a_plain_folder(&error), "{error}");
        assert!(!outside.join("new").exists());
        // Folders are made one part at a time, and each new one is reported.
        let mut made = Vec::new();
        out.folder("a/b/c", Some(&mut made)).unwrap();
        assert_eq!(made, ["a", "a/b", "a/b/c"]);
    }

    #[test]
    fn a_link_as_the_output_folder_is_refused() {
        let temp = tempfile::tempdir().unwrap();
        std::fs::create_dir(temp.path().join("www")).unwrap();
        std::os::unix::fs::symlink(temp.path().join("www"), temp.path().join("public")).unwrap();
        let error = OutputDir::open(&temp.path().join("public"))
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("symbolic link"), "{error}");
    }
}
