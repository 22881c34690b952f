//! Commands for data safety: the start-up check, backups now and
//! automatic backups.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use pinpoint_core::backup::{self, AutoBackup, BackupSummary, Progress};
use pinpoint_core::verify::{self, VerifyReport};
use tauri::{AppHandle, Emitter, State};

use super::{off_the_workers, CommandResult};
use crate::clock::today_and_now;
use crate::AppState;

/// The quick check the app runs at start.
#[tauri::command]
#[specta::specta]
pub async fn check_data(state: State<'_, AppState>) -> CommandResult<VerifyReport> {
    // On a reader: the check does not keep the first list of clients waiting.
    let reader = state.with_store(|store| store.reader())?;
    off_the_workers("the check", move || Ok(verify::run(&reader, false)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_auto_backup(state: State<'_, AppState>) -> CommandResult<AutoBackup> {
    state.with_store(|store| Ok(backup::auto_settings(store.conn())?))
}

#[tauri::command]
#[specta::specta]
pub async fn save_auto_backup(
    state: State<'_, AppState>,
    settings: AutoBackup,
) -> CommandResult<AutoBackup> {
    let (_, now) = today_and_now();
    state.with_store(|store| {
        store.write(|tx| backup::save_auto_settings(tx, &settings, now))?;
        Ok(backup::auto_settings(store.conn())?)
    })
}

/// Backs up now into `folder` (default: the automatic-backup folder),
/// emitting `backup-progress` events; `cancel_backup` stops it.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(
    app: AppHandle,
    state: State<'_, AppState>,
    folder: Option<String>,
) -> CommandResult<BackupSummary> {
    let (_, now) = today_and_now();
    state.cancel_backup.store(false, Ordering::SeqCst);
    let cancel = &state.cancel_backup;
    let mut on_progress = |p: Progress| {
        let _ = app.emit("backup-progress", p);
        !cancel.load(Ordering::SeqCst)
    };
    let (reader, folder) = state.with_store(|store| -> pinpoint_core::Result<_> {
        let folder = match folder {
            Some(folder) => PathBuf::from(folder),
            None => {
                PathBuf::from(backup::auto_settings(store.conn())?.folder.ok_or_else(|| {
                    pinpoint_core::Error::invalid("folder", "choose a backup folder first")
                })?)
            }
        };
        Ok((store.reader()?, folder))
    })?;
    // The copy runs on a reader: the practitioner can go on working.
    let out = folder.join(backup::auto_file_name(now).replace("-auto-", "-manual-"));
    Ok(backup::create(
        &reader,
        &out,
        env!("CARGO_PKG_VERSION"),
        now,
        &mut on_progress,
    )?)
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_backup(state: State<'_, AppState>) -> CommandResult<()> {
    state.cancel_backup.store(true, Ordering::SeqCst);
    Ok(())
}
