//! Commands for documents and exports: the progress report, treatment note
//! and aftercare sheet as PDF, the client's data export (in the background,
//! with `export-progress` events and `cancel_export`), de-identified
//! photos, and opening or revealing what was written.
//!
//! The records are read under the store's lock; laying out and writing
//! happen after it is released, so the app stays usable meanwhile.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use pinpoint_core::export::{self, DeidentifiedSummary, ExportSummary};
use pinpoint_core::ids::{ClientId, PhotoId, SessionId};
use pinpoint_core::report::{self, PdfDocument, Prepared, WrittenPdf};
use pinpoint_core::{Error, ErrorKind};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;
use tauri_specta::Event;

use super::{off_the_workers, AppError, CommandResult};
use crate::clock::today_and_now;
use crate::AppState;

/// Emitted as `export-progress` while `export_client` runs.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ExportProgress {
    pub done_bytes: f64,
    pub total_bytes: f64,
}

/// Lays out a prepared document off the async workers and writes it to
/// `path`; the path is remembered for `open_path` / `reveal_path`. A file
/// already at `path` is replaced only when `replace` says so; otherwise the
/// answer is a `conflict`, for the window to ask.
async fn write_pdf(
    app: AppHandle,
    state: &AppState,
    path: String,
    replace: bool,
    prepare: impl FnOnce(&pinpoint_core::Store) -> pinpoint_core::Result<Prepared>,
) -> CommandResult<WrittenPdf> {
    // A name typed without `.pdf` (or from a dialog that does not add it).
    let path = report::pdf_path(Path::new(&path));
    report::check_out_file(&path, replace)?;
    let prepared = state.with_store(|store| prepare(store))?;
    let written = off_the_workers("the export", move || {
        let pdf = prepared.render()?;
        Ok(report::write_pdf(&path, &pdf)?)
    })
    .await?;
    app.state::<AppState>()
        .remember_written(Path::new(&written.path));
    Ok(written)
}

/// Writes the client's progress report to `path` (a `.pdf` chosen in a
/// save dialog).
#[tauri::command]
#[specta::specta]
pub async fn export_report(
    app: AppHandle,
    state: State<'_, AppState>,
    client_id: ClientId,
    path: String,
    replace: bool,
) -> CommandResult<WrittenPdf> {
    let (today, now) = today_and_now();
    write_pdf(app, &state, path, replace, |store| {
        report::prepare_progress_report(store.conn(), store.data_dir(), client_id, today, now)
    })
    .await
}

/// Where exports go unless the person chooses otherwise: their documents
/// folder, else their home folder.
fn default_folder(app: &AppHandle) -> CommandResult<PathBuf> {
    app.path()
        .document_dir()
        .ok()
        .filter(|d| d.is_dir())
        .or_else(|| app.path().home_dir().ok())
        .ok_or_else(|| {
            Error::invalid(
                "folder",
                "no documents or home folder is known; choose a folder",
            )
            .into()
        })
}

/// The folder exports are suggested to go into.
#[tauri::command]
#[specta::specta]
pub async fn export_folder(app: AppHandle) -> CommandResult<String> {
    Ok(default_folder(&app)?.display().to_string())
}

/// The suggested path of a document: in the documents folder, named after
/// the client, the document and its date (today for the progress report,
/// the session's date for a session's documents). `id` is the client's id
/// for the progress report, else the session's.
#[tauri::command]
#[specta::specta]
pub async fn suggest_pdf_path(
    app: AppHandle,
    state: State<'_, AppState>,
    document: PdfDocument,
    id: String,
) -> CommandResult<String> {
    let (today, _) = today_and_now();
    let folder = default_folder(&app)?;
    let path = state.with_store(|store| {
        report::suggested_pdf_path_for(store.conn(), &folder, document, &id, today)
    })?;
    Ok(path.display().to_string())
}

/// Writes the treatment note of a session to `path`.
#[tauri::command]
#[specta::specta]
pub async fn export_treatment_note(
    app: AppHandle,
    state: State<'_, AppState>,
    session_id: SessionId,
    path: String,
    replace: bool,
) -> CommandResult<WrittenPdf> {
    let (today, now) = today_and_now();
    write_pdf(app, &state, path, replace, |store| {
        report::prepare_treatment_note(store.conn(), session_id, today, now)
    })
    .await
}

/// Writes the client's aftercare sheet for a session to `path`.
#[tauri::command]
#[specta::specta]
pub async fn export_aftercare(
    app: AppHandle,
    state: State<'_, AppState>,
    session_id: SessionId,
    path: String,
    replace: bool,
) -> CommandResult<WrittenPdf> {
    let (today, now) = today_and_now();
    write_pdf(app, &state, path, replace, |store| {
        report::prepare_aftercare_sheet(store.conn(), session_id, today, now)
    })
    .await
}

/// Exports the client's data into a new folder inside `folder` (named
/// after the client and today), emitting `export-progress`; `cancel_export`
/// stops it and leaves nothing behind (an error of kind `cancelled`).
#[tauri::command]
#[specta::specta]
pub async fn export_client(
    app: AppHandle,
    state: State<'_, AppState>,
    client_id: ClientId,
    folder: String,
) -> CommandResult<ExportSummary> {
    let (today, now) = today_and_now();
    let parent = PathBuf::from(folder);
    if !parent.is_dir() {
        return Err(Error::invalid(
            "folder",
            format!("the folder {} does not exist", parent.display()),
        )
        .into());
    }
    if state.export_running.swap(true, Ordering::SeqCst) {
        return Err(Error::Conflict(
            "another client export is running; wait for it or cancel it".to_owned(),
        )
        .into());
    }
    let _running = Running(&state.export_running);
    state.export_cancel.store(false, Ordering::SeqCst);
    let prepared = state.with_store(|store| {
        export::prepare(store.conn(), store.data_dir(), client_id, today, now)
    })?;
    let out = prepared.new_folder_in(&parent);
    let worker = app.clone();
    let summary = off_the_workers("the export", move || {
        let state = worker.state::<AppState>();
        Ok(prepared.write(&out, &mut |p| {
            let _ = ExportProgress {
                done_bytes: p.done_bytes,
                total_bytes: p.total_bytes,
            }
            .emit(&worker);
            !state.export_cancel.load(Ordering::SeqCst)
        })?)
    })
    .await?;
    state.remember_written(Path::new(&summary.folder));
    Ok(summary)
}

/// Marks the client export finished however its command ends.
struct Running<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Stops the running client export.
#[tauri::command]
#[specta::specta]
pub async fn cancel_export(state: State<'_, AppState>) -> CommandResult<()> {
    state.export_cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// Writes de-identified copies of the chosen photos (all when empty) into
/// a new folder inside `folder`. Refused (kind `conflict`) unless the
/// client's marketing-photo consent is in force.
#[tauri::command]
#[specta::specta]
pub async fn export_deidentified_photos(
    state: State<'_, AppState>,
    client_id: ClientId,
    photo_ids: Vec<PhotoId>,
    folder: String,
) -> CommandResult<DeidentifiedSummary> {
    let (today, _) = today_and_now();
    let out = export::unused_folder(Path::new(&folder), &export::deidentified_folder_name(today));
    let summary = state.with_store(|store| {
        export::deidentified_photos(
            store.conn(),
            store.data_dir(),
            client_id,
            &photo_ids,
            &out,
            today,
        )
    })?;
    state.remember_written(Path::new(&summary.folder));
    Ok(summary)
}

/// Opens a file or folder this app wrote (a report, an export) with the
/// system's default program. Other paths are refused.
#[tauri::command]
#[specta::specta]
pub async fn open_path(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CommandResult<()> {
    let path = state.written(Path::new(&path))?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| opener_failed(&path, e))
}

/// Shows a file or folder this app wrote in the system's file manager.
#[tauri::command]
#[specta::specta]
pub async fn reveal_path(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CommandResult<()> {
    let path = state.written(Path::new(&path))?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| opener_failed(&path, e))
}

fn opener_failed(path: &Path, e: tauri_plugin_opener::Error) -> AppError {
    AppError {
        kind: ErrorKind::Internal,
        message: format!("cannot open {}: {e}", path.display()),
        field: None,
    }
}
