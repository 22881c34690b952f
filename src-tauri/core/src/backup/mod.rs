//! Backups that restore: one tar archive holding a consistent snapshot of
//! the database (SQLite's online backup API, safe while the app runs),
//! every original photo, and a manifest with the SHA-256 of each part.
//!
//! Restore goes only into an empty folder, through a staging folder: every
//! hash is checked first, and the data is moved into place only when all of
//! it is sound, so a damaged archive never touches anything.
//!
//! This module holds the manifest and what the parts share; `create`
//! writes an archive, `restore` reads one back, `auto` is the clinic's
//! automatic backups (when one is due, names, pruning, settings).

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use hmac::Mac;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::{format_instant, DATABASE_FILE};
use crate::{DataFolder, Error, Result, Store};

mod auto;
mod create;
mod restore;

pub use auto::{
    auto_file_name, auto_settings, check_backup_folder, clinic_tag, due, manual_file_name, prune,
    remember_auto, run_auto, save_auto_settings, AutoBackup, Schedule,
};
pub use create::create;
pub use restore::{restore, restore_with, RestoreSummary};

/// The archive's manifest entry name.
pub const MANIFEST: &str = "manifest.json";
pub(super) const FORMAT: &str = "pinpoint-backup";
pub(super) const FORMAT_VERSION: u32 = 1;
pub(super) const PHOTOS: &str = "photos";

/// What a backup holds, written as the archive's last entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub schema_version: u32,
    pub created_at: String,
    pub parts: Vec<Part>,
    /// The data folder was sealed: its parts are sealed, the archive holds
    /// its keyring, and `mac` authenticates this manifest.
    #[serde(default)]
    pub sealed: bool,
    /// The audit chain's last event in the database backed up: a restore
    /// checks that the database still reaches it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<crate::audit::Head>,
    /// HMAC-SHA-256 of the manifest without this field, under a key derived
    /// from the data key: a sealed backup's manifest cannot be edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

impl Manifest {
    fn mac_under(&self, key: &crate::seal::DataKey) -> hmac::Hmac<Sha256> {
        let unsigned = Manifest {
            mac: None,
            ..self.clone()
        };
        let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(key.manifest_key().as_slice())
            .expect("HMAC takes a key of any length");
        mac.update(&serde_json::to_vec(&unsigned).expect("manifest serialises"));
        mac
    }

    /// Signs the manifest of a sealed backup.
    pub(super) fn sign(&mut self, key: &crate::seal::DataKey) {
        self.mac = Some(hex(&self.mac_under(key).finalize().into_bytes()));
    }

    /// Whether the manifest is the one `key`'s folder signed.
    pub(super) fn check_mac(&self, key: &crate::seal::DataKey) -> bool {
        let Some(given) = self.mac.as_deref().and_then(crate::hex::decode) else {
            return false;
        };
        self.mac_under(key).verify_slice(&given).is_ok()
    }
}

/// One file in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Part {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// How far a long task has come, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Progress {
    pub done_bytes: f64,
    pub total_bytes: f64,
}

/// Called as work proceeds; returning `false` cancels.
pub type OnProgress<'a> = &'a mut dyn FnMut(Progress) -> bool;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupSummary {
    pub path: String,
    pub parts: u32,
    pub bytes: f64,
    pub schema_version: u32,
}

pub(super) use crate::hex::encode as hex;

/// Parses and checks a manifest (also the fuzz target for backup input).
pub fn read_manifest(bytes: &[u8]) -> Result<Manifest> {
    let manifest: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid_input(format!("the backup's manifest cannot be read: {e}")))?;
    if manifest.format != FORMAT {
        return Err(Error::invalid_input(format!(
            "this is not a Pinpoint backup (format {:?})",
            manifest.format
        )));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(Error::invalid_input(format!(
            "the backup was made by a newer Pinpoint (backup format {}); update Pinpoint to restore it",
            manifest.format_version
        )));
    }
    for part in &manifest.parts {
        archive_path(&part.path)?;
        if !crate::photo::files::is_sha256_hex(&part.sha256) {
            return Err(Error::invalid_input(format!(
                "the backup's manifest has a malformed checksum for {}",
                part.path
            )));
        }
    }
    if !manifest.parts.iter().any(|p| p.path == DATABASE_FILE) {
        return Err(Error::invalid_input(
            "the backup's manifest lists no database",
        ));
    }
    Ok(manifest)
}

/// The safe relative path of an archive entry: the database, the manifest,
/// the keyring, or a file under `photos/`; anything else (absolute, `..`) is refused.
pub(super) fn archive_path(path: &str) -> Result<PathBuf> {
    let candidate = Path::new(path);
    let safe = candidate
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    let allowed = path == DATABASE_FILE
        || path == MANIFEST
        || path == crate::seal::KEYRING_FILE
        || (path.starts_with("photos/") && candidate.components().count() >= 2);
    if !safe || !allowed || path.contains('\\') {
        return Err(Error::invalid_input(format!(
            "the backup holds an unexpected entry {path:?}"
        )));
    }
    Ok(candidate.to_owned())
}

/// Every file under `dir`, as paths relative to `base`, sorted.
pub(super) fn files_under(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let entries =
        fs::read_dir(dir).map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| Error::io("cannot read the photo folder", e))?
            .path();
        if path.is_dir() {
            files_under(base, &path, out)?;
        } else if !path.to_string_lossy().contains(".partial") {
            out.push(path.strip_prefix(base).expect("under base").to_owned());
        }
    }
    out.sort();
    Ok(())
}

/// Reads through `inner`, hashing and counting. When `progress` asks to
/// stop, reading fails (not with `Interrupted`, which readers retry) and
/// `cancelled` is set, so the caller can tell a cancel from a failure.
pub(super) struct Hashing<'a, R> {
    pub(super) inner: R,
    pub(super) hasher: Sha256,
    pub(super) read: u64,
    pub(super) progress: &'a mut dyn FnMut(u64) -> bool,
    pub(super) cancelled: &'a std::cell::Cell<bool>,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        if !(self.progress)(n as u64) {
            self.cancelled.set(true);
            return Err(io::Error::other("cancelled"));
        }
        Ok(n)
    }
}

pub(super) fn cancelled(what: &str) -> Error {
    Error::Cancelled(format!("{what} cancelled; nothing was changed"))
}

impl Progress {
    /// A fraction from 0 to 1.
    pub fn fraction(self) -> f64 {
        if self.total_bytes <= 0.0 {
            0.0
        } else {
            (self.done_bytes / self.total_bytes).min(1.0)
        }
    }
}
