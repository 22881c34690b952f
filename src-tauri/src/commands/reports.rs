//! Commands for documents and exports: the progress report, treatment note
//! and aftercare sheet as PDF, the client's data export (in the background,
//! with `export-progress` events and `cancel_export`), de-identified
//! photos, a comparison image, and opening or revealing what was written. Each runs its action
//! on a blocking thread, since laying out and copying take a while.

use std::path::{Path, PathBuf};

use pinpoint_core::action::documents::{self, Document};
use pinpoint_core::action::photos::{self, ComparisonUse, ExportedComparison};
use pinpoint_core::action::Task;
use pinpoint_core::backup::Progress;
use pinpoint_core::export::{DeidentifiedSummary, ExportSummary};
use pinpoint_core::ids::{ClientId, PhotoId};
use pinpoint_core::report::{PdfDocument, WrittenPdf};
use pinpoint_core::{Error, ErrorKind};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;
use tauri_specta::Event;

use crate::grants::Want;

use super::{off_the_workers, AppError, CommandResult};
use crate::AppState;

/// Emitted as `export-progress` while `export_client` runs.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ExportProgress {
    pub done_bytes: f64,
    pub total_bytes: f64,
}

/// Writes a document as PDF to `path` (a `.pdf` chosen in a save dialog):
/// the progress report (`id` is the client's), the treatment note or the
/// aftercare sheet (`id` is the session's). An existing file is replaced
/// only with `replace`; otherwise the answer is a `conflict`, for the
/// window to ask. The file is remembered for `open_path` / `reveal_path`.
#[tauri::command]
#[specta::specta]
pub async fn export_pdf(
    app: AppHandle,
    document: PdfDocument,
    id: String,
    path: String,
    replace: bool,
) -> CommandResult<WrittenPdf> {
    let document = Document::of(document, &id)?;
    off_the_workers("the export", move || {
        let state = app.state::<AppState>();
        let ctx = state.ctx()?;
        let path = state.allow(&app, &path, Want::WriteFile { replace })?;
        let written = documents::export_document(&ctx, document, &path, replace)?;
        state.remember_written(Path::new(&written.path));
        Ok(written)
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

/// The suggested path of a document in the documents folder: named after
/// the client, the document and its date. `id` is the client's id for the
/// progress report, else the session's.
#[tauri::command]
#[specta::specta]
pub async fn suggest_pdf_path(
    app: AppHandle,
    state: State<'_, AppState>,
    document: PdfDocument,
    id: String,
) -> CommandResult<String> {
    let folder = default_folder(&app)?;
    let path = documents::suggest_pdf_path(&state.ctx()?, &folder, document, &id)?;
    Ok(path.display().to_string())
}

/// Exports the client's data into `folder` (a folder with things in it
/// gets a new folder named after the client and today), emitting
/// `export-progress`; `cancel_export` stops it and leaves nothing behind
/// (an error of kind `cancelled`).
#[tauri::command]
#[specta::specta]
pub async fn export_client(
    app: AppHandle,
    client_id: ClientId,
    folder: String,
) -> CommandResult<ExportSummary> {
    off_the_workers("the export", move || {
        let state = app.state::<AppState>();
        let mut report = |p: &Progress| {
            let _ = ExportProgress {
                done_bytes: p.done_bytes,
                total_bytes: p.total_bytes,
            }
            .emit(&app);
        };
        let ctx = state.ctx()?;
        let folder = state.allow(&app, &folder, Want::WriteInto)?;
        let mut task = Task::new(&state.client_export, &mut report);
        let summary = documents::export_client(&ctx, client_id, &folder, &mut task)?;
        state.remember_written(Path::new(&summary.folder));
        Ok(summary)
    })
    .await
}

/// Stops the running client export.
#[tauri::command]
#[specta::specta]
pub async fn cancel_export(state: State<'_, AppState>) -> CommandResult<()> {
    state.client_export.cancel();
    Ok(())
}

/// Writes de-identified copies of the chosen photos (all when empty) into
/// a new folder inside `folder`. Refused (kind `conflict`) unless the
/// client's marketing-photo consent is in force.
#[tauri::command]
#[specta::specta]
pub async fn export_deidentified_photos(
    app: AppHandle,
    client_id: ClientId,
    photo_ids: Vec<PhotoId>,
    folder: String,
) -> CommandResult<DeidentifiedSummary> {
    off_the_workers("the export", move || {
        let state = app.state::<AppState>();
        let ctx = state.ctx()?;
        let folder = state.allow(&app, &folder, Want::WriteInto)?;
        let summary = documents::export_deidentified_photos(&ctx, client_id, &photo_ids, &folder)?;
        state.remember_written(Path::new(&summary.folder));
        Ok(summary)
    })
    .await
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

/// Writes the comparison image the viewer drew (a JPEG, in base64) for the
/// client's copy or, with their marketing-photo consent, for marketing.
#[tauri::command]
#[specta::specta]
pub async fn export_comparison(
    app: AppHandle,
    first: PhotoId,
    second: PhotoId,
    usage: ComparisonUse,
    jpeg_base64: String,
    path: String,
    replace: bool,
) -> CommandResult<ExportedComparison> {
    off_the_workers("the export", move || {
        use base64::Engine as _;
        let image = base64::engine::general_purpose::STANDARD
            .decode(jpeg_base64.as_bytes())
            .map_err(|_| Error::invalid("image", "the comparison image did not arrive whole"))?;
        let state = app.state::<AppState>();
        let ctx = state.ctx()?;
        let path = state.allow(&app, &path, Want::WriteFile { replace })?;
        let written =
            photos::export_comparison(&ctx, (first, second), usage, &image, &path, replace)?;
        state.remember_written(Path::new(&written.path));
        Ok(written)
    })
    .await
}
