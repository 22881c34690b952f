//! Checks the photo store against the database: every photo has its
//! original with the right SHA-256, and nothing else lives under `photos/`
//! (an orphan is what a crash between writing an original and committing
//! its row leaves behind).

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use crate::db::Db;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::files::{original_relative, PHOTOS_DIR};
use super::PhotoFormat;
use crate::ids::PhotoId;
use crate::{Error, Result};

/// A photo whose original is missing or damaged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PhotoProblem {
    pub id: PhotoId,
    /// The original's path relative to the data folder.
    pub path: String,
    pub reason: String,
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PhotoVerifyReport {
    /// How many photos the database holds.
    pub photos: u32,
    /// Photos whose original is missing or does not match its hash.
    pub problems: Vec<PhotoProblem>,
    /// Files under `photos/` that no photo owns (relative paths).
    pub orphans: Vec<String>,
}

impl PhotoVerifyReport {
    /// Every photo has its original, unchanged. Orphans do not count: they
    /// are what an interrupted import leaves, harmless and listed for
    /// cleaning up.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Re-hashes every original and lists files no photo owns.
pub fn verify<'c>(conn: impl Into<Db<'c>>, data_dir: &Path) -> Result<PhotoVerifyReport> {
    check(conn.into(), data_dir, true)
}

/// The quick form for the app's start: every original is there with the
/// right size (no hashing), and orphans are listed.
pub fn verify_quick<'c>(conn: impl Into<Db<'c>>, data_dir: &Path) -> Result<PhotoVerifyReport> {
    check(conn.into(), data_dir, false)
}

fn check(conn: Db<'_>, data_dir: &Path, hash: bool) -> Result<PhotoVerifyReport> {
    let rows = conn.query_map(
        "SELECT id, sha256, format, bytes FROM photo ORDER BY id",
        &[],
        |row| {
            let id: PhotoId = row.get(0)?;
            Ok((
                id,
                row.get::<String>(1)?,
                PhotoFormat::from_record(&row.get::<String>(2)?, format_args!("photo {id}"))?,
                row.get::<u64>(3)?,
            ))
        },
    )?;
    // Sealed: a sealed folder, or a desktop in clinic mode (the clinic's key).
    let overhead = if sealed_here(data_dir) {
        crate::seal::FILE_OVERHEAD
    } else {
        0
    };
    // In clinic mode, what the bucket holds: one listing rather than a
    // question per photo this desktop has not cached.
    let remote = super::remote::for_folder(data_dir);
    let in_bucket = match &remote {
        Some(remote) if !hash => Some(remote.stored()?),
        _ => None,
    };
    let mut expected = HashSet::new();
    let mut problems = Vec::new();
    for (id, sha256, format, bytes) in &rows {
        if !super::files::is_sha256_hex(sha256) {
            problems.push(PhotoProblem {
                id: *id,
                path: String::new(),
                reason: "its stored hash is not a SHA-256 (64 lowercase hex characters); \
                         the row was changed outside Pinpoint"
                    .to_owned(),
            });
            continue;
        }
        let relative = original_relative(sha256, *format);
        let path = data_dir.join(&relative);
        let found = if hash {
            // In clinic mode a photo not cached here is read from the bucket.
            hash_file(data_dir, &relative)
        } else if let (Some(remote), Some(stored)) = (&remote, &in_bucket) {
            // In clinic mode the bucket has it, or it is missing (a copy
            // cached here is not the clinic's).
            if stored.contains_key(&remote.object_name(&relative)) {
                Ok(sha256.clone())
            } else {
                Err(std::io::Error::from(std::io::ErrorKind::NotFound))
            }
        } else {
            // Same size stands in for same content in the quick check (a
            // sealed file is longer by its seal).
            std::fs::metadata(&path).map(|m| {
                if m.len() == *bytes + overhead {
                    sha256.clone()
                } else {
                    String::new()
                }
            })
        };
        match found {
            Ok(actual) if &actual == sha256 => {}
            Ok(_) => problems.push(PhotoProblem {
                id: *id,
                path: relative.clone(),
                reason: "its content does not match its SHA-256 (the file was changed or damaged)"
                    .to_owned(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => problems.push(PhotoProblem {
                id: *id,
                path: relative.clone(),
                reason: "the original is missing".to_owned(),
            }),
            Err(e) => problems.push(PhotoProblem {
                id: *id,
                path: relative.clone(),
                reason: format!("the original cannot be read ({e})"),
            }),
        }
        expected.insert(relative);
    }
    let mut orphans = Vec::new();
    walk(data_dir, &data_dir.join(PHOTOS_DIR), &mut |relative| {
        if !expected.contains(&relative) {
            orphans.push(relative);
        }
    })?;
    orphans.sort();
    Ok(PhotoVerifyReport {
        photos: rows.len() as u32,
        problems,
        orphans,
    })
}

/// Whether the folder's photo files are sealed: a sealed folder, or a
/// desktop in clinic mode (the clinic's key, registered when it opened,
/// with its bucket if it has one).
fn sealed_here(data_dir: &Path) -> bool {
    crate::seal::is_sealed(data_dir) || matches!(crate::seal::key_for(data_dir), Ok(Some(_)))
}

/// The SHA-256 of a stored original's plain bytes.
fn hash_file(data_dir: &Path, relative: &str) -> std::io::Result<String> {
    // In clinic mode a photo not cached here is also read from the bucket.
    if sealed_here(data_dir) {
        let plain = super::files::read_stored(data_dir, relative).map_err(|e| match e {
            Error::NotFound { .. } => std::io::Error::from(std::io::ErrorKind::NotFound),
            other => std::io::Error::other(other.to_string()),
        })?;
        return Ok(crate::hex::encode(&Sha256::digest(&plain)));
    }
    let mut file = std::fs::File::open(data_dir.join(relative))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(crate::hex::encode(&hasher.finalize()))
}

/// Calls `found` with every file under `dir`, relative to `base`, `/`-separated.
/// A link is reported as a file, never followed: nothing outside the data
/// folder is listed (or swept).
pub(crate) fn walk(base: &Path, dir: &Path, found: &mut dyn FnMut(String)) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if is_dir {
            walk(base, &path, found)?;
        } else {
            let relative = path.strip_prefix(base).unwrap_or(&path);
            found(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}
