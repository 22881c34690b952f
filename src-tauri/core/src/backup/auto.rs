//! Automatic backups: when one is due, how archives are named, pruning the
//! old ones, and the clinic's settings for them.

use super::*;
use crate::db::Db;

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

pub(super) const AUTO_PREFIX: &str = "pinpoint-auto-";

/// The file name of an automatic backup of the clinic `tag` made at `now`;
/// one clinic's names sort by time.
pub fn auto_file_name(tag: &str, now: DateTime<Utc>) -> String {
    format!("{AUTO_PREFIX}{tag}-{}.tar", now.format("%Y%m%d-%H%M%S"))
}

/// What tells this clinic's automatic backups from another's in a shared
/// folder: the start of the hash of its first audit event, which never
/// changes (a restored copy is the same clinic and keeps it).
pub fn clinic_tag<'c>(conn: impl Into<Db<'c>>) -> Result<String> {
    let conn = conn.into();
    let first: Option<String> =
        conn.query_opt("SELECT hash FROM audit_event WHERE seq = 1", &[], |row| {
            row.get(0)
        })?;
    Ok(first
        .filter(|hash| crate::photo::files::is_sha256_hex(hash))
        .map_or_else(|| "new".to_owned(), |hash| hash[..12].to_owned()))
}

/// Refuses a backup folder inside the data folder (a backup would then
/// hold the backups before it, and go down with the disk it guards).
pub fn check_backup_folder(folder: &Path, data_dir: &Path) -> Result<()> {
    let inside = match (folder.canonicalize(), data_dir.canonicalize()) {
        (Ok(folder), Ok(data)) => folder.starts_with(&data),
        _ => folder.starts_with(data_dir),
    };
    if inside {
        return Err(Error::invalid(
            "folder",
            format!(
                "{} is inside the data folder; keep backups somewhere else, ideally another disk",
                folder.display()
            ),
        ));
    }
    Ok(())
}

/// The file name of a backup made on request at `now` ("Back up now"):
/// never pruned, since it does not start with the automatic prefix.
pub fn manual_file_name(now: DateTime<Utc>) -> String {
    format!("pinpoint-manual-{}.tar", now.format("%Y%m%d-%H%M%S"))
}

/// Removes the oldest automatic archives of the clinic `tag` in `folder`
/// beyond the newest `keep` (never fewer than one); other files, another
/// clinic's archives among them, are never touched. Returns the names
/// removed.
pub fn prune(folder: &Path, tag: &str, keep: u32) -> Result<Vec<String>> {
    let prefix = format!("{AUTO_PREFIX}{tag}-");
    let mut names: Vec<String> = fs::read_dir(folder)
        .map_err(|e| Error::io(format!("cannot read {}", folder.display()), e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".tar"))
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

pub(super) const AUTO_KEY: &str = "auto_backup";

/// The automatic-backup settings (defaults when never saved).
pub fn auto_settings<'c>(conn: impl Into<Db<'c>>) -> Result<AutoBackup> {
    let conn = conn.into();
    let stored: Option<String> = conn.query_opt(
        "SELECT value FROM clinic_setting WHERE key = ?1",
        &[&AUTO_KEY],
        |row| row.get(0),
    )?;
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
pub fn save_auto_settings<'c>(
    tx: impl Into<Db<'c>>,
    settings: &AutoBackup,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = tx.into();
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
        &[
            &AUTO_KEY,
            &serde_json::to_string(settings).expect("serialises"),
            &format_instant(now),
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
    let settings = auto_settings(store.db())?;
    let folder = settings
        .folder
        .clone()
        .filter(|f| !f.trim().is_empty())
        .ok_or_else(|| Error::invalid("folder", "choose a folder for automatic backups first"))?;
    let folder = PathBuf::from(folder);
    check_backup_folder(&folder, store.data_dir())?;
    let tag = clinic_tag(store.db())?;
    let summary = create(
        store,
        &folder.join(auto_file_name(&tag, now)),
        app_version,
        now,
        progress,
    )?;
    prune(&folder, &tag, settings.keep)?;
    Ok(summary)
}

/// Records that an automatic backup finished at `now`.
pub fn remember_auto<'c>(tx: impl Into<Db<'c>>, now: DateTime<Utc>) -> Result<()> {
    let tx = tx.into();
    let mut settings = auto_settings(tx)?;
    settings.last_at = Some(now);
    save_auto_settings(tx, &settings, now)?;
    Ok(())
}
