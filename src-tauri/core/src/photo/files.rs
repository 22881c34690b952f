//! Where photo files live in the data folder, and how they are written:
//! originals at `photos/<first 2 hex>/<sha256>.<ext>`, derived JPEGs at
//! `cache/<thumb|preview>/<first 2 hex>/<sha256>.jpg`, each written to a
//! `.partial` name first and renamed into place.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::PhotoFormat;

/// The originals' folder inside the data folder.
pub const PHOTOS_DIR: &str = "photos";
/// The derived images' folder inside the data folder.
pub const CACHE_DIR: &str = "cache";
/// Marks a file still being written; backups and verify know it.
pub(crate) const PARTIAL: &str = ".partial-";

/// A derived image kept in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derived {
    Thumb,
    Preview,
}

impl Derived {
    fn folder(self) -> &'static str {
        match self {
            Derived::Thumb => "thumb",
            Derived::Preview => "preview",
        }
    }
}

/// The original's path relative to the data folder, with `/` separators.
pub fn original_relative(sha256: &str, format: PhotoFormat) -> String {
    format!(
        "{PHOTOS_DIR}/{}/{sha256}.{}",
        &sha256[..2.min(sha256.len())],
        format.extension()
    )
}

pub(crate) fn original_path(data_dir: &Path, sha256: &str, format: PhotoFormat) -> PathBuf {
    data_dir.join(original_relative(sha256, format))
}

pub(crate) fn derived_path(data_dir: &Path, derived: Derived, sha256: &str) -> PathBuf {
    data_dir
        .join(CACHE_DIR)
        .join(derived.folder())
        .join(&sha256[..2.min(sha256.len())])
        .join(format!("{sha256}.jpg"))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so `path` is either absent or complete. `durable` also flushes
/// the file and its folder to disk before returning (originals).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let folder = path
        .parent()
        .ok_or_else(|| io::Error::other("the path has no folder"))?;
    fs::create_dir_all(folder)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("the path has no file name"))?
        .to_string_lossy();
    let temp = folder.join(format!(
        ".{name}{PARTIAL}{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        if durable {
            file.sync_all()?;
        }
        drop(file);
        fs::rename(&temp, path)?;
        if durable {
            // The rename itself must survive a power cut.
            #[cfg(unix)]
            fs::File::open(folder)?.sync_all()?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Removes `path` and then its folder if that became empty (best effort).
pub(crate) fn remove_with_empty_folder(path: &Path) {
    if fs::remove_file(path).is_ok() {
        if let Some(folder) = path.parent() {
            let _ = fs::remove_dir(folder);
        }
    }
}
