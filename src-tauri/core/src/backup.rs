//! Backups that restore: one tar archive holding a consistent snapshot of
//! the database (SQLite's online backup API, safe while the app runs),
//! every original photo, and a manifest with the SHA-256 of each part.
//!
//! Restore goes only into an empty folder, through a staging folder: every
//! hash is checked first, and the data is moved into place only when all of
//! it is sound, so a damaged archive never touches anything.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::{format_instant, DATABASE_FILE};
use crate::{DataFolder, Error, Result, Store};

/// The archive's manifest entry name.
pub const MANIFEST: &str = "manifest.json";
const FORMAT: &str = "pinpoint-backup";
const FORMAT_VERSION: u32 = 1;
const PHOTOS: &str = "photos";

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

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

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
        if part.sha256.len() != 64 || !part.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
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
/// or a file under `photos/`; anything else (absolute, `..`) is refused.
fn archive_path(path: &str) -> Result<PathBuf> {
    let candidate = Path::new(path);
    let safe = candidate
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    let allowed = path == DATABASE_FILE
        || path == MANIFEST
        || (path.starts_with("photos/") && candidate.components().count() >= 2);
    if !safe || !allowed || path.contains('\\') {
        return Err(Error::invalid_input(format!(
            "the backup holds an unexpected entry {path:?}"
        )));
    }
    Ok(candidate.to_owned())
}

/// Every file under `dir`, as paths relative to `base`, sorted.
fn files_under(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
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
struct Hashing<'a, R> {
    inner: R,
    hasher: Sha256,
    read: u64,
    progress: &'a mut dyn FnMut(u64) -> bool,
    cancelled: &'a std::cell::Cell<bool>,
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

fn cancelled(what: &str) -> Error {
    Error::Cancelled(format!("{what} cancelled; nothing was changed"))
}

/// Writes a backup of `store` to `out` (through a temporary file renamed
/// at the end). Safe while the app is running.
pub fn create(
    store: &impl DataFolder,
    out: &Path,
    app_version: &str,
    now: DateTime<Utc>,
    progress: OnProgress<'_>,
) -> Result<BackupSummary> {
    let name = out
        .file_name()
        .ok_or_else(|| Error::invalid("out", format!("{} is not a file name", out.display())))?
        .to_string_lossy()
        .into_owned();
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::invalid(
            "out",
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    let snapshot = dir.join(format!(".{name}.db.partial"));
    let temp = dir.join(format!(".{name}.partial"));
    let result = write_archive(store, &snapshot, &temp, app_version, now, progress);
    // The snapshot and whatever SQLite kept beside it (a failed write on a
    // full disk leaves its rollback journal).
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut path = snapshot.clone().into_os_string();
        path.push(suffix);
        let _ = fs::remove_file(path);
    }
    match result {
        Ok(summary) => {
            fs::rename(&temp, out).map_err(|e| {
                Error::io(format!("cannot move the backup to {}", out.display()), e)
            })?;
            sync_dir(&dir);
            Ok(BackupSummary {
                path: out.display().to_string(),
                ..summary
            })
        }
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Copies the database behind `conn` to `path` in one step: one read
/// transaction, so the copy is a single moment of the database, and in WAL
/// mode the app's own connection goes on writing meanwhile (a stepwise copy
/// would start over after each of those writes).
fn snapshot_database(conn: &rusqlite::Connection, path: &Path) -> rusqlite::Result<()> {
    let mut target = rusqlite::Connection::open(path)?;
    let copy = rusqlite::backup::Backup::new(conn, &mut target)?;
    match copy.step(-1)? {
        rusqlite::backup::StepResult::Done => Ok(()),
        _ => Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("the database stayed busy during the snapshot".to_owned()),
        )),
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn write_archive(
    store: &impl DataFolder,
    snapshot: &Path,
    temp: &Path,
    app_version: &str,
    now: DateTime<Utc>,
    progress: OnProgress<'_>,
) -> Result<BackupSummary> {
    let stopped = std::cell::Cell::new(false);
    let io_err = |what: &str| {
        let what = what.to_owned();
        let stopped = &stopped;
        move |e: io::Error| {
            if stopped.get() {
                cancelled("the backup")
            } else {
                Error::io(format!("cannot write the backup ({what})"), e)
            }
        }
    };
    // A consistent snapshot of the live database.
    let _ = fs::remove_file(snapshot);
    snapshot_database(store.conn(), snapshot)
        .map_err(|e| Error::io("cannot snapshot the database", io::Error::other(e)))?;
    let schema_version = Store::schema_version() as u32;

    let mut files = vec![(DATABASE_FILE.to_owned(), snapshot.to_owned())];
    let mut photos = Vec::new();
    files_under(
        store.data_dir(),
        &store.data_dir().join(PHOTOS),
        &mut photos,
    )?;
    for rel in photos {
        let name = rel.to_string_lossy().replace('\\', "/");
        files.push((name, store.data_dir().join(rel)));
    }
    let total: u64 = files
        .iter()
        .map(|(_, p)| fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let mut done = 0u64;
    if !progress(Progress {
        done_bytes: 0.0,
        total_bytes: total as f64,
    }) {
        return Err(cancelled("the backup"));
    }

    let file = File::create(temp).map_err(io_err("create"))?;
    let mut builder = tar::Builder::new(BufWriter::new(file));
    let mut parts = Vec::with_capacity(files.len());
    for (name, path) in &files {
        let source = match File::open(path) {
            Ok(file) => file,
            // A photo whose import was rolled back after the listing: its
            // row was never committed, so the snapshot does not need it.
            Err(e) if e.kind() == io::ErrorKind::NotFound && name != DATABASE_FILE => continue,
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let size = source.metadata().map_err(io_err("size"))?.len();
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o644);
        header.set_mtime(now.timestamp().max(0) as u64);
        header.set_cksum();
        let mut on_bytes = |n: u64| {
            done += n;
            progress(Progress {
                done_bytes: done as f64,
                total_bytes: total as f64,
            })
        };
        let mut reader = Hashing {
            inner: BufReader::new(source),
            hasher: Sha256::new(),
            read: 0,
            progress: &mut on_bytes,
            cancelled: &stopped,
        };
        builder
            .append_data(&mut header, name, &mut reader)
            .map_err(io_err(name))?;
        if reader.read != size {
            return Err(Error::Conflict(format!(
                "{name} changed while it was backed up"
            )));
        }
        parts.push(Part {
            path: name.clone(),
            size,
            sha256: hex(&reader.hasher.finalize()),
        });
    }
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        app_version: app_version.to_owned(),
        schema_version,
        created_at: format_instant(now),
        parts,
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(now.timestamp().max(0) as u64);
    header.set_cksum();
    builder
        .append_data(&mut header, MANIFEST, json.as_slice())
        .map_err(io_err("manifest"))?;
    let writer = builder.into_inner().map_err(io_err("finish"))?;
    let file = writer
        .into_inner()
        .map_err(|e| io_err("flush")(e.into_error()))?;
    file.sync_all().map_err(io_err("sync"))?;
    Ok(BackupSummary {
        path: String::new(),
        parts: manifest.parts.len() as u32,
        bytes: total as f64,
        schema_version,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestoreSummary {
    pub data_dir: String,
    pub parts: u32,
    /// The schema the backup was made with (older ones are upgraded).
    pub backup_schema_version: u32,
}

/// Restores `archive` into `data_dir`, which must be missing or empty.
pub fn restore(
    archive: &Path,
    data_dir: &Path,
    progress: OnProgress<'_>,
) -> Result<RestoreSummary> {
    if data_dir.exists() {
        let mut entries = fs::read_dir(data_dir)
            .map_err(|e| Error::io(format!("cannot read {}", data_dir.display()), e))?;
        if entries.next().is_some() {
            return Err(Error::invalid(
                "data_dir",
                format!(
                    "{} is not empty; restore into a new, empty folder so no current data is touched",
                    data_dir.display()
                ),
            ));
        }
    }
    let name = data_dir
        .file_name()
        .ok_or_else(|| Error::invalid("data_dir", "restore needs a folder name"))?
        .to_string_lossy()
        .into_owned();
    let parent = match data_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    let staging = parent.join(format!(".{name}.restoring"));
    let _ = fs::remove_dir_all(&staging);
    let result = unpack_and_check(archive, &staging, progress);
    match result {
        Ok(summary) => {
            if data_dir.exists() {
                fs::remove_dir(data_dir).map_err(|e| {
                    Error::io(
                        format!("cannot replace the empty {}", data_dir.display()),
                        e,
                    )
                })?;
            }
            fs::rename(&staging, data_dir).map_err(|e| {
                Error::io(
                    format!("cannot move the restored data to {}", data_dir.display()),
                    e,
                )
            })?;
            sync_dir(&parent);
            Ok(RestoreSummary {
                data_dir: data_dir.display().to_string(),
                ..summary
            })
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

fn unpack_and_check(
    archive: &Path,
    staging: &Path,
    progress: OnProgress<'_>,
) -> Result<RestoreSummary> {
    let file = File::open(archive).map_err(|e| {
        Error::invalid(
            "archive",
            format!("cannot open the backup {}: {e}", archive.display()),
        )
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    fs::create_dir_all(staging)
        .map_err(|e| Error::io(format!("cannot create {}", staging.display()), e))?;
    let damaged =
        |what: String| Error::invalid("archive", format!("the backup is damaged: {what}"));
    let stopped = std::cell::Cell::new(false);
    let mut tar = tar::Archive::new(BufReader::new(file));
    let mut found: Vec<Part> = Vec::new();
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let mut done = 0u64;
    let entries = tar.entries().map_err(|e| damaged(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(e.to_string()))?;
        let path = entry
            .path()
            .map_err(|e| damaged(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        let rel = archive_path(&path)?;
        if path == MANIFEST {
            let mut bytes = Vec::new();
            entry
                .by_ref()
                .take(1 << 24)
                .read_to_end(&mut bytes)
                .map_err(|e| damaged(format!("{MANIFEST}: {e}")))?;
            manifest_bytes = Some(bytes);
            continue;
        }
        if found.iter().any(|p| p.path == path) {
            return Err(damaged(format!("{path} appears twice")));
        }
        let target = staging.join(&rel);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        }
        let out = File::create(&target)
            .map_err(|e| Error::io(format!("cannot write {}", target.display()), e))?;
        let mut on_bytes = |n: u64| {
            done += n;
            progress(Progress {
                done_bytes: done as f64,
                total_bytes: total as f64,
            })
        };
        let mut reader = Hashing {
            inner: &mut entry,
            hasher: Sha256::new(),
            read: 0,
            progress: &mut on_bytes,
            cancelled: &stopped,
        };
        let mut writer = BufWriter::new(out);
        io::copy(&mut reader, &mut writer).map_err(|e| {
            if stopped.get() {
                cancelled("the restore")
            } else {
                damaged(format!("{path}: {e}"))
            }
        })?;
        let size = reader.read;
        let sha256 = hex(&reader.hasher.finalize());
        let out = writer
            .into_inner()
            .map_err(|e| Error::io("cannot write the restored data", e.into_error()))?;
        out.sync_all()
            .map_err(|e| Error::io("cannot write the restored data", e))?;
        found.push(Part { path, size, sha256 });
    }
    let manifest =
        read_manifest(&manifest_bytes.ok_or_else(|| damaged("it has no manifest".to_owned()))?)?;
    for part in &manifest.parts {
        match found.iter().find(|f| f.path == part.path) {
            None => return Err(damaged(format!("{} is missing", part.path))),
            Some(f) if f.size != part.size || f.sha256 != part.sha256 => {
                return Err(damaged(format!(
                    "{} does not match its checksum",
                    part.path
                )))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = found
        .iter()
        .find(|f| !manifest.parts.iter().any(|p| p.path == f.path))
    {
        return Err(damaged(format!("{} is not in its manifest", extra.path)));
    }
    // Open it once: refuses a newer schema, upgrades an older one.
    let store = Store::open(staging)?;
    let integrity: String = store
        .conn()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if integrity != "ok" {
        return Err(damaged(format!(
            "the database fails its integrity check: {integrity}"
        )));
    }
    drop(store);
    Ok(RestoreSummary {
        data_dir: String::new(),
        parts: manifest.parts.len() as u32,
        backup_schema_version: manifest.schema_version,
    })
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

/// When automatic backups run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    Off,
    /// At start, when the last backup is a day old or more.
    Daily,
    /// Each time the app closes.
    OnExit,
}

/// The clinic's automatic-backup settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AutoBackup {
    /// Where archives go (ideally another disk); none means off.
    pub folder: Option<String>,
    pub schedule: Schedule,
    /// How many automatic archives to keep; older ones are removed.
    pub keep: u32,
    /// When the last automatic backup finished.
    pub last_at: Option<DateTime<Utc>>,
}

impl Default for AutoBackup {
    fn default() -> Self {
        AutoBackup {
            folder: None,
            schedule: Schedule::Off,
            keep: 14,
            last_at: None,
        }
    }
}

/// Whether an automatic backup is due now; `closing` is true when the app
/// is about to exit.
pub fn due(settings: &AutoBackup, now: DateTime<Utc>, closing: bool) -> bool {
    if settings
        .folder
        .as_deref()
        .is_none_or(|f| f.trim().is_empty())
    {
        return false;
    }
    match settings.schedule {
        Schedule::Off => false,
        Schedule::OnExit => closing,
        Schedule::Daily => {
            !closing
                && settings
                    .last_at
                    .is_none_or(|last| now - last >= chrono::Duration::hours(24))
        }
    }
}

const AUTO_PREFIX: &str = "pinpoint-auto-";

/// The file name of an automatic backup made at `now`; names sort by time.
pub fn auto_file_name(now: DateTime<Utc>) -> String {
    format!("{AUTO_PREFIX}{}.tar", now.format("%Y%m%d-%H%M%S"))
}

/// The file name of a backup made on request at `now` ("Back up now"):
/// never pruned, since it does not start with the automatic prefix.
pub fn manual_file_name(now: DateTime<Utc>) -> String {
    format!("pinpoint-manual-{}.tar", now.format("%Y%m%d-%H%M%S"))
}

/// Removes the oldest automatic archives in `folder` beyond the newest
/// `keep` (never fewer than one); other files are never touched. Returns
/// the names removed.
pub fn prune(folder: &Path, keep: u32) -> Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .map_err(|e| Error::io(format!("cannot read {}", folder.display()), e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(AUTO_PREFIX) && n.ends_with(".tar"))
        .collect();
    names.sort();
    let keep = keep.max(1) as usize;
    let excess = names.len().saturating_sub(keep);
    let removed: Vec<String> = names.drain(..excess).collect();
    for name in &removed {
        fs::remove_file(folder.join(name))
            .map_err(|e| Error::io(format!("cannot remove the old backup {name}"), e))?;
    }
    Ok(removed)
}

const AUTO_KEY: &str = "auto_backup";

/// The automatic-backup settings (defaults when never saved).
pub fn auto_settings(conn: &rusqlite::Connection) -> Result<AutoBackup> {
    use rusqlite::OptionalExtension;
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM clinic_setting WHERE key = ?1",
            [AUTO_KEY],
            |row| row.get(0),
        )
        .optional()?;
    match stored {
        None => Ok(AutoBackup::default()),
        Some(json) => serde_json::from_str(&json).map_err(|e| {
            Error::Damaged(format!(
                "the stored automatic-backup settings cannot be read: {e}"
            ))
        }),
    }
}

/// Saves the automatic-backup settings.
pub fn save_auto_settings(
    tx: &rusqlite::Transaction<'_>,
    settings: &AutoBackup,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Some(folder) = settings.folder.as_deref().filter(|f| !f.trim().is_empty()) {
        if !Path::new(folder).is_dir() {
            return Err(Error::invalid(
                "folder",
                format!("the backup folder {folder} does not exist"),
            ));
        }
    }
    if settings.keep == 0 || settings.keep > 1000 {
        return Err(Error::invalid(
            "keep",
            format!("keep {} backups? choose 1 to 1000", settings.keep),
        ));
    }
    tx.execute(
        "INSERT INTO clinic_setting (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        rusqlite::params![
            AUTO_KEY,
            serde_json::to_string(settings).expect("serialises"),
            format_instant(now)
        ],
    )?;
    crate::audit::record(
        tx,
        now,
        "update",
        "settings",
        AUTO_KEY,
        &serde_json::json!({}),
    )?;
    Ok(())
}

/// Runs an automatic backup into the configured folder and prunes old
/// ones. Reads only, so it can run on a [`crate::Reader`] while the app
/// works; the caller then stores `last_at` with [`remember_auto`].
pub fn run_auto(
    store: &impl DataFolder,
    app_version: &str,
    now: DateTime<Utc>,
    progress: OnProgress<'_>,
) -> Result<BackupSummary> {
    let settings = auto_settings(store.conn())?;
    let folder = settings
        .folder
        .clone()
        .filter(|f| !f.trim().is_empty())
        .ok_or_else(|| Error::invalid("folder", "choose a folder for automatic backups first"))?;
    let folder = PathBuf::from(folder);
    let summary = create(
        store,
        &folder.join(auto_file_name(now)),
        app_version,
        now,
        progress,
    )?;
    prune(&folder, settings.keep)?;
    Ok(summary)
}

/// Records that an automatic backup finished at `now`.
pub fn remember_auto(tx: &rusqlite::Transaction<'_>, now: DateTime<Utc>) -> Result<()> {
    let mut settings = auto_settings(tx)?;
    settings.last_at = Some(now);
    save_auto_settings(tx, &settings, now)?;
    Ok(())
}
