//! Actions that keep the data safe: the start-up check and the full
//! verification, backups (now, to a file, automatic when due), restore,
//! and the demo clinic. Backups and checks run on a second, read-only
//! connection, so the window stays usable while they copy.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::backup::{self, AutoBackup, BackupSummary, Progress, RestoreSummary};
use crate::verify::{self, VerifyReport};
use crate::{demo, Error, Result};

use super::{Ctx, Permission, Task};

/// The version written into backup manifests.
const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The quick check the app runs at start (`thorough`: false) or the full
/// verification of `pinpoint verify` (every original re-hashed).
pub fn check_data(ctx: &Ctx<'_>, thorough: bool) -> Result<VerifyReport> {
    ctx.require(Permission::CheckData)?;
    let reader = ctx.clinic.reader()?;
    verify::run(&reader, thorough)
}

/// Moves this data folder into clinic mode (`pinpoint clinic migrate`):
/// every record into `to`, an empty clinic database, and every photo into
/// its bucket, sealed; the audit chain verified on both sides (see
/// [`crate::db::migrate::into_clinic`]). The folder itself is left as it
/// was. `progress` hears "photos" or a table's name, and a count.
pub fn move_into_clinic(
    ctx: &Ctx<'_>,
    to: &super::Clinic,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<crate::db::migrate::Moved> {
    ctx.require(Permission::ManageBackups)?;
    if !to.is_clinic() || std::ptr::eq(ctx.clinic, to) {
        return Err(Error::invalid_input(
            "a folder moves into another clinic database: give a clinic connection",
        ));
    }
    let moved = {
        let from = ctx.clinic.lock()?;
        let mut target = to.lock()?;
        crate::db::migrate::into_clinic(&from, &mut target, progress)?
    };
    ctx.note_read(
        "move_into_clinic",
        "clinic",
        "clinic",
        serde_json::json!({}),
    );
    Ok(moved)
}

/// Removes photo files no record names (left by a crash before this
/// Pinpoint swept them at start): `pinpoint verify --repair`. Returns the
/// files removed.
pub fn sweep_orphans(ctx: &Ctx<'_>) -> Result<Vec<String>> {
    ctx.require(Permission::ManageSettings)?;
    let data_dir = ctx.clinic.data_dir();
    let mut swept = ctx
        .clinic
        .read(|conn| crate::photo::orphans::sweep(conn, data_dir))?;
    // In clinic mode, the bucket's objects no row names, once a day old.
    let in_bucket = ctx
        .clinic
        .read(|conn| crate::photo::remote::sweep_bucket(conn, data_dir, ctx.now()))?;
    swept.extend(in_bucket.into_iter().map(|name| format!("bucket: {name}")));
    ctx.note_read(
        "repair",
        "clinic",
        "clinic",
        serde_json::json!({ "orphans_removed": swept.len() }),
    );
    Ok(swept)
}

pub fn get_auto_backup(ctx: &Ctx<'_>) -> Result<AutoBackup> {
    ctx.require(Permission::ManageBackups)?;
    ctx.clinic.read(|conn| backup::auto_settings(conn))
}

/// Saves the automatic-backup settings and returns them as stored.
pub fn save_auto_backup(ctx: &Ctx<'_>, settings: &AutoBackup) -> Result<AutoBackup> {
    ctx.require(Permission::ManageBackups)?;
    if let Some(folder) = settings.folder.as_deref().filter(|f| !f.trim().is_empty()) {
        backup::check_backup_folder(Path::new(folder), ctx.clinic.data_dir())?;
    }
    ctx.write(|tx| {
        backup::save_auto_settings(tx, settings, ctx.now())?;
        backup::auto_settings(tx)
    })
}

/// Writes a backup archive to the file `out`.
pub fn backup_to_file(
    ctx: &Ctx<'_>,
    out: &Path,
    task: &mut Task<'_, Progress>,
) -> Result<BackupSummary> {
    ctx.require(Permission::ManageBackups)?;
    if let Some(folder) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        backup::check_backup_folder(folder, ctx.clinic.data_dir())?;
    }
    let _running = task.start()?;
    let reader = ctx.clinic.reader()?;
    let summary = backup::create(&reader, out, APP_VERSION, ctx.now(), &mut |p| task.step(&p))?;
    ctx.note_read("backup", "clinic", "clinic", serde_json::json!({}));
    Ok(summary)
}

/// "Back up now": a backup into `folder`, or into the automatic-backup
/// folder when none is given, named `pinpoint-manual-<time>.tar` (never
/// pruned with the automatic ones).
pub fn backup_now(
    ctx: &Ctx<'_>,
    folder: Option<&Path>,
    task: &mut Task<'_, Progress>,
) -> Result<BackupSummary> {
    ctx.require(Permission::ManageBackups)?;
    let folder = match folder {
        Some(folder) => folder.to_owned(),
        None => get_auto_backup(ctx)?
            .folder
            .filter(|f| !f.trim().is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| Error::invalid("folder", "choose a backup folder first"))?,
    };
    backup_to_file(ctx, &folder.join(backup::manual_file_name(ctx.now())), task)
}

/// Runs the automatic backup when one is due (at start for a daily one,
/// `closing` for an on-exit one), prunes old ones and records when it
/// finished; `None` when none was due.
pub fn auto_backup_if_due(
    ctx: &Ctx<'_>,
    closing: bool,
    task: &mut Task<'_, Progress>,
) -> Result<Option<BackupSummary>> {
    let settings = get_auto_backup(ctx)?;
    if !backup::due(&settings, ctx.now(), closing) {
        return Ok(None);
    }
    let _running = task.start()?;
    let reader = ctx.clinic.reader()?;
    let summary = backup::run_auto(&reader, APP_VERSION, ctx.now(), &mut |p| task.step(&p))?;
    ctx.note_read(
        "backup",
        "clinic",
        "clinic",
        serde_json::json!({ "automatic": true }),
    );
    ctx.write(|tx| backup::remember_auto(tx, ctx.now()))?;
    Ok(Some(summary))
}

/// Restores `archive` into `data_dir`, which must be missing or empty. No
/// clinic is open: the restored folder is opened afterwards. A sealed
/// backup needs `unlock` (an account's passphrase or the recovery key).
pub fn restore(
    archive: &Path,
    data_dir: &Path,
    unlock: Option<crate::seal::Unlock<'_>>,
    now: chrono::DateTime<chrono::Utc>,
    task: &mut Task<'_, Progress>,
) -> Result<RestoreSummary> {
    let _running = task.start()?;
    let (summary, key) = backup::restore_with(archive, data_dir, unlock, &mut |p| task.step(&p))?;
    // The restored folder records that it was restored. Who restored it is
    // not known to it yet: the next sign-in names the person.
    let file = archive
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let workstation = super::Actor::Workstation.stamp();
    let hold = crate::Store::hold_folder(data_dir)?;
    let mut store = crate::Store::open_held(&hold, key.map(std::sync::Arc::new))?;
    store.write_as(&workstation, |tx| {
        crate::audit::record(
            tx,
            now,
            "restore",
            "clinic",
            "clinic",
            &serde_json::json!({ "archive": file }),
        )
    })?;
    store.reset_head()?;
    Ok(summary)
}

/// What `demo` made.
#[derive(Debug, Clone, Serialize)]
pub struct DemoFilled {
    #[serde(flatten)]
    pub summary: demo::DemoSummary,
    pub photos: usize,
    /// Demo accounts made (none when the clinic had accounts already).
    pub accounts: usize,
}

/// Fills an empty clinic with the demo clinic and its photos. A clinic
/// without accounts also gets the demo's accounts (one per role, with the
/// documented demo passphrase and PIN).
pub fn fill_demo(ctx: &Ctx<'_>) -> Result<DemoFilled> {
    ctx.require(Permission::ManageSettings)?;
    let needs_accounts = !ctx.clinic.read(|conn| crate::account::any(conn))?;
    let hashes = needs_accounts.then(demo::account_hashes).transpose()?;
    let (summary, accounts) = ctx.write(|tx| {
        let summary = demo::fill(tx, ctx.today(), ctx.now())?;
        let accounts = match &hashes {
            Some(hashes) if !crate::account::any(tx)? => demo::add_accounts(tx, hashes, ctx.now())?,
            _ => 0,
        };
        Ok((summary, accounts))
    })?;
    let photos = crate::photo::demo::add_photos(ctx.clinic.store(), &ctx.written())?;
    Ok(DemoFilled {
        summary,
        photos,
        accounts,
    })
}
