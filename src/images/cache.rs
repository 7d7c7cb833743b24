//! The image stage's cache, `.lectern/images/` in the site: each photo's encoded
//! variants, named by a hash of its bytes and of the stage's settings, and a stamp per
//! source path that says a photo is unchanged without reading it.
//!
//! The folder is gitignored, not forbidden: a pull request can commit files into it. So
//! every read and write goes through one handle of the folder, by plain names, and never
//! follows a link: a committed `.lectern/images/<key>-480.jpg` linking to a file of the
//! machine must not be published as a photo, nor a link there make the build write
//! outside the site. What a planted regular file can do is what a committed photo can:
//! show a picture.

use std::io::Write as _;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use rustix::fs::{self as sys, Mode, OFlags};
use rustix::io::Errno;

use super::{Bytes, Variant};
use crate::output::{open_folder, read_file_in};

/// Where the cache lives, inside the site's state folder.
const CACHE_DIR: &str = "images";

/// The cache folder, opened once.
#[derive(Debug)]
pub(super) struct ImageCache {
    dir: OwnedFd,
}

impl ImageCache {
    /// The cache of the site at `root`: `.lectern/images/`, made when missing; `None`
    /// when either is a link or not a folder (never followed, as for lectern's other
    /// state) or cannot be made. A build without its cache is slower, never wrong.
    pub fn open(root: &Path) -> Option<ImageCache> {
        let site = sys::open(
            root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .ok()?;
        let state = open_or_make(site.as_fd(), crate::output::STATE_DIR)?;
        let dir = open_or_make(state.as_fd(), CACHE_DIR)?;
        Some(ImageCache { dir })
    }

    /// The cache in the folder `path` itself, which must exist (for tests).
    #[cfg(test)]
    pub fn at(path: &Path) -> ImageCache {
        let dir = sys::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .expect("the cache folder opens");
        ImageCache { dir }
    }

    /// The bytes of the regular file `name`; `None` when it is missing, a link or not a
    /// regular file.
    fn read(&self, name: &str) -> Option<Vec<u8>> {
        read_file_in(self.dir.as_fd(), name).ok().flatten()
    }

    /// Writes `name` whole or not at all: a new file beside it, never through a link,
    /// renamed over it (a link there is replaced, not followed).
    fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let temporary = format!("{name}.tmp");
        match sys::unlinkat(self.dir.as_fd(), temporary.as_str(), sys::AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => {}
            Err(e) => return Err(e.into()),
        }
        let fd = sys::openat(
            self.dir.as_fd(),
            temporary.as_str(),
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o666),
        )?;
        std::fs::File::from(fd).write_all(bytes)?;
        sys::renameat(self.dir.as_fd(), temporary.as_str(), self.dir.as_fd(), name)?;
        Ok(())
    }

    /// The variants stored under `key`: a manifest `key.txt` of `width height extension
    /// hash` lines, beside one file per variant. The files are not read: each must be a
    /// regular file, and its bytes are read (and their hash checked) only when the
    /// output needs them ([`ImageCache::load`]).
    pub fn variants(&self, key: &str) -> Option<Vec<Variant>> {
        let manifest = String::from_utf8(self.read(&format!("{key}.txt"))?).ok()?;
        let mut variants = Vec::new();
        for line in manifest.lines() {
            let mut fields = line.split(' ');
            let width: u32 = fields.next()?.parse().ok()?;
            let height: u32 = fields.next()?.parse().ok()?;
            let extension = match fields.next()? {
                "jpg" => "jpg",
                "png" => "png",
                "webp" => "webp",
                _ => return None,
            };
            let hash = blake3::Hash::from_hex(fields.next()?).ok()?;
            let name = format!("{key}-{width}.{extension}");
            let regular = sys::statat(
                self.dir.as_fd(),
                name.as_str(),
                sys::AtFlags::SYMLINK_NOFOLLOW,
            )
            .is_ok_and(|stat| {
                sys::FileType::from_raw_mode(stat.st_mode) == sys::FileType::RegularFile
            });
            if !regular {
                return None;
            }
            variants.push(Variant {
                width,
                height,
                extension,
                hash,
                bytes: Bytes::InCache(name),
            });
        }
        (!variants.is_empty()).then_some(variants)
    }

    /// The bytes of the cached file `name`, if they are still those of `hash`: a file
    /// changed since the manifest was written (by hand, or by a pull request) is never
    /// published as the photo.
    pub fn load(&self, name: &str, hash: &blake3::Hash) -> Option<Vec<u8>> {
        self.read(name).filter(|bytes| blake3::hash(bytes) == *hash)
    }

    /// Stores the `variants` just encoded under `key`; the manifest is written last, so
    /// an entry is complete whenever it is found.
    pub fn store(&self, key: &str, variants: &[Variant]) -> std::io::Result<()> {
        let mut manifest = String::new();
        for v in variants {
            let Bytes::InHand(bytes) = &v.bytes else {
                return Err(std::io::Error::other("a variant not encoded here"));
            };
            self.write(&format!("{key}-{}.{}", v.width, v.extension), bytes)?;
            manifest.push_str(&format!(
                "{} {} {} {}\n",
                v.width,
                v.height,
                v.extension,
                v.hash.to_hex()
            ));
        }
        self.write(&format!("{key}.txt"), manifest.as_bytes())
    }

    /// The key the stamp of `source` recorded, if it was recorded for this very `stamp`.
    pub fn stamped_key(&self, source: &Path, settings_key: &str, stamp: &Stamp) -> Option<String> {
        let text = String::from_utf8(self.read(&stamp_name(source, settings_key))?).ok()?;
        let key = text.trim_end().rsplit(' ').next()?;
        (key.len() == 64 && stamp.line(key)? == text).then(|| key.to_string())
    }

    /// Records that `source`, as `stamp` describes it, holds the bytes of entry `key`.
    pub fn record_stamp(
        &self,
        source: &Path,
        settings_key: &str,
        stamp: &Stamp,
        key: &str,
    ) -> std::io::Result<()> {
        let line = stamp
            .line(key)
            .ok_or_else(|| std::io::Error::other("a time before 1970"))?;
        self.write(&stamp_name(source, settings_key), line.as_bytes())
    }
}

/// Opens the folder `name` in `dir` without following a link, making it when missing.
fn open_or_make(dir: std::os::fd::BorrowedFd<'_>, name: &str) -> Option<OwnedFd> {
    match open_folder(dir, name) {
        Ok(fd) => Some(fd),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match sys::mkdirat(dir, name, Mode::from_raw_mode(0o777)) {
                Ok(()) | Err(Errno::EXIST) => open_folder(dir, name).ok(),
                Err(_) => None,
            }
        }
        Err(_) => None,
    }
}

/// The stamp file of the source at `source` under the settings `settings_key`: named by
/// a hash of both, so a path of any length or script fits.
fn stamp_name(source: &Path, settings_key: &str) -> String {
    use std::os::unix::ffi::OsStrExt;
    let name = blake3::Hasher::new()
        .update(settings_key.as_bytes())
        .update(&[0])
        .update(source.as_os_str().as_bytes())
        .finalize()
        .to_hex();
    format!("{name}.stamp")
}

/// What says a source file is unchanged without reading it: size, modification time and
/// inode (a file replaced by another, as `git checkout` and many editors do, is a new
/// inode even with the same size and time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    size: u64,
    modified: std::time::SystemTime,
    inode: u64,
}

impl Stamp {
    /// The stamp of a file, or `None` where the system gives no modification time.
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        Some(Stamp {
            size: meta.len(),
            modified: meta.modified().ok()?,
            inode: meta.ino(),
        })
    }

    /// Whether the file was last written long enough ago for a write within the same tick
    /// of the file system's clock (as coarse as 2 s on some) to be impossible: a file
    /// written just now could be written again, with the same size, without its time
    /// changing. Such a file is hashed on each build until it is older.
    pub fn is_settled(&self) -> bool {
        std::time::SystemTime::now()
            .duration_since(self.modified)
            .is_ok_and(|age| age >= std::time::Duration::from_secs(2))
    }

    /// The line a stamp file holds: size, modification time (seconds and nanoseconds
    /// since the epoch), inode, then the cache key.
    fn line(&self, key: &str) -> Option<String> {
        let since = self.modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(format!(
            "{} {} {} {} {key}\n",
            self.size,
            since.as_secs(),
            since.subsec_nanos(),
            self.inode
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_in_the_cache_is_never_read_nor_written_through() {
        let temp = tempfile::tempdir().unwrap();
        let outside = temp.path().join("outside.txt");
        std::fs::write(&outside, "a file of the machine").unwrap();
        let cache_path = temp.path().join("cache");
        std::fs::create_dir(&cache_path).unwrap();
        let cache = ImageCache::at(&cache_path);
        let variant = |bytes: &[u8]| Variant::encoded(480, 320, "jpg", bytes.to_vec());
        let loaded = |cache: &ImageCache| {
            let found = cache.variants("k")?;
            let Bytes::InCache(name) = &found[0].bytes else {
                panic!("read from the cache")
            };
            cache.load(name, &found[0].hash)
        };
        cache.store("k", &[variant(b"pixels")]).unwrap();
        assert_eq!(loaded(&cache).unwrap(), b"pixels");

        // A committed link in place of a variant: the entry is not found (the photo is
        // encoded again), and the outside file is not read.
        std::fs::remove_file(cache_path.join("k-480.jpg")).unwrap();
        std::os::unix::fs::symlink(&outside, cache_path.join("k-480.jpg")).unwrap();
        assert!(cache.variants("k").is_none());
        assert!(loaded(&cache).is_none());

        // Storing over it replaces the link; the file it pointed at is untouched.
        cache.store("k", &[variant(b"new pixels")]).unwrap();
        assert_eq!(std::fs::read(&outside).unwrap(), b"a file of the machine");
        assert!(!cache_path.join("k-480.jpg").is_symlink());
        assert_eq!(loaded(&cache).unwrap(), b"new pixels");

        // A variant changed behind the manifest's back is not loaded as the photo.
        std::fs::write(cache_path.join("k-480.jpg"), b"other bytes").unwrap();
        assert!(loaded(&cache).is_none());

        // A link as the manifest's temporary file is replaced too, not written through.
        std::os::unix::fs::symlink(&outside, cache_path.join("k.txt.tmp")).unwrap();
        cache.store("k", &[variant(b"again")]).unwrap();
        assert_eq!(std::fs::read(&outside).unwrap(), b"a file of the machine");
    }

    #[test]
    fn a_linked_state_or_cache_folder_is_not_used() {
        let temp = tempfile::tempdir().unwrap();
        let elsewhere = temp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let site = temp.path().join("site");
        std::fs::create_dir(&site).unwrap();
        std::os::unix::fs::symlink(&elsewhere, site.join(".lectern")).unwrap();
        assert!(ImageCache::open(&site).is_none());
        std::fs::remove_file(site.join(".lectern")).unwrap();
        std::fs::create_dir(site.join(".lectern")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, site.join(".lectern/images")).unwrap();
        assert!(ImageCache::open(&site).is_none());
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
}
