//! Commands for data safety: the start-up check, backups now and
//! automatic backups, with typed progress events.

use pinpoint_core::action::{safety, Task};
use pinpoint_core::backup::{AutoBackup, BackupSummary, Progress};
use pinpoint_core::verify::VerifyReport;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use super::{off_the_workers, CommandResult};
use crate::grants::Want;
use crate::AppState;

/// Emitted as `backup-progress` while a backup runs (by hand or automatic).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct BackupProgress {
    pub done_bytes: f64,
    pub total_bytes: f64,
}

impl BackupProgress {
    pub(crate) fn send(app: &AppHandle, p: &Progress) {
        let _ = BackupProgress {
            done_bytes: p.done_bytes,
            total_bytes: p.total_bytes,
        }
        .emit(app);
    }
}

/// Emitted as `auto-backup-done` when an automatic backup was written.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct AutoBackupDone {
    pub path: String,
    pub parts: u32,
    pub bytes: f64,
    pub schema_version: u32,
}

impl From<BackupSummary> for AutoBackupDone {
    fn from(s: BackupSummary) -> Self {
        AutoBackupDone {
            path: s.path,
            parts: s.parts,
            bytes: s.bytes,
            schema_version: s.schema_version,
        }
    }
}

/// Emitted as `auto-backup-failed`, with the reason, when an automatic
/// backup could not be written.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct AutoBackupFailed {
    pub message: String,
}

/// The quick check the app runs at start, on a second connection so the
/// first list of clients does not wait.
#[tauri::command]
#[specta::specta]
pub async fn check_data(app: AppHandle) -> CommandResult<VerifyReport> {
    off_the_workers("the check", move || {
        Ok(safety::check_data(&app.state::<AppState>().ctx()?, false)?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_auto_backup(state: State<'_, AppState>) -> CommandResult<AutoBackup> {
    Ok(safety::get_auto_backup(&state.ctx()?)?)
}

/// Saves the automatic-backup settings. A folder other than the one saved
/// before must be one the person gave (chosen, or allowed when asked).
#[tauri::command]
#[specta::specta]
pub async fn save_auto_backup(app: AppHandle, settings: AutoBackup) -> CommandResult<AutoBackup> {
    off_the_workers("saving the backup settings", move || {
        let state = app.state::<AppState>();
        let ctx = state.ctx()?;
        let mut settings = settings;
        let before = safety::get_auto_backup(&ctx)?.folder;
        if let Some(folder) = settings.folder.as_deref().map(str::trim) {
            if !folder.is_empty() && before.as_deref() != Some(folder) {
                let folder = state.allow(&app, folder, Want::WriteInto)?;
                settings.folder = Some(folder.display().to_string());
            }
        }
        Ok(safety::save_auto_backup(&ctx, &settings)?)
    })
    .await
}

/// Backs up now into `folder` (default: the automatic-backup folder),
/// emitting `backup-progress`; `cancel_backup` stops it.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(app: AppHandle, folder: Option<String>) -> CommandResult<BackupSummary> {
    off_the_workers("the backup", move || {
        let state = app.state::<AppState>();
        let mut report = |p: &Progress| BackupProgress::send(&app, p);
        let mut task = Task::new(&state.backup, &mut report);
        let ctx = state.ctx()?;
        let folder = match folder {
            Some(folder) => Some(state.allow(&app, &folder, Want::WriteInto)?),
            None => None,
        };
        Ok(safety::backup_now(&ctx, folder.as_deref(), &mut task)?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_backup(state: State<'_, AppState>) -> CommandResult<()> {
    state.backup.cancel();
    Ok(())
}

/// Runs the automatic backup when it is due (at start for a daily one, at
/// exit for an on-exit one) and tells the window how it went. A failure is
/// reported, never fatal.
pub(crate) fn auto_backup(app: &AppHandle, closing: bool) {
    let state = app.state::<AppState>();
    // A sealed folder nobody has opened yet: it runs after the sign-in.
    if !state.clinic.is_open() {
        return;
    }
    let mut report = |p: &Progress| BackupProgress::send(app, p);
    let mut task = Task::new(&state.backup, &mut report);
    match safety::auto_backup_if_due(&state.system_ctx(), closing, &mut task) {
        Ok(Some(summary)) => {
            let _ = AutoBackupDone::from(summary).emit(app);
        }
        Ok(None) => {}
        Err(error) => {
            eprintln!("automatic backup failed: {error}");
            let _ = AutoBackupFailed {
                message: error.to_string(),
            }
            .emit(app);
        }
    }
}
