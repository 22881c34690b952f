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

pub fn get_auto_backup(ctx: &Ctx<'_>) -> Result<AutoBackup> {
    ctx.require(Permission::ManageBackups)?;
    ctx.clinic.read(backup::auto_settings)
}

/// Saves the automatic-backup settings and returns them as stored.
pub fn save_auto_backup(ctx: &Ctx<'_>, settings: &AutoBackup) -> Result<AutoBackup> {
    ctx.require(Permission::ManageBackups)?;
    ctx.clinic.write(|tx| {
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
    let _running = task.start()?;
    let reader = ctx.clinic.reader()?;
    backup::create(&reader, out, APP_VERSION, ctx.now(), &mut |p| task.step(&p))
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
    ctx.clinic
        .write(|tx| backup::remember_auto(tx, ctx.now()))?;
    Ok(Some(summary))
}

/// Restores `archive` into `data_dir`, which must be missing or empty. No
/// clinic is open: the restored folder is opened afterwards.
pub fn restore(
    archive: &Path,
    data_dir: &Path,
    task: &mut Task<'_, Progress>,
) -> Result<RestoreSummary> {
    let _running = task.start()?;
    backup::restore(archive, data_dir, &mut |p| task.step(&p))
}

/// What `demo` made.
#[derive(Debug, Clone, Serialize)]
pub struct DemoFilled {
    #[serde(flatten)]
    pub summary: demo::DemoSummary,
    pub photos: usize,
}

/// Fills an empty clinic with the demo clinic and its photos.
pub fn fill_demo(ctx: &Ctx<'_>) -> Result<DemoFilled> {
    ctx.require(Permission::ManageSettings)?;
    let summary = ctx
        .clinic
        .write(|tx| demo::fill(tx, ctx.today(), ctx.now()))?;
    let photos = crate::photo::demo::add_photos(ctx.clinic.store(), ctx.now())?;
    Ok(DemoFilled { summary, photos })
}
