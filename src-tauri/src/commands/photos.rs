//! Commands for clinical photos: import (with progress events and cancel),
//! listing, tags, alignment and comparison pairs. The pictures themselves
//! reach the page through the `pinpoint:` URI scheme (`protocol.rs`).

use pinpoint_core::action::photos::{self, AutoAlignment, PhotoImport};
use pinpoint_core::action::Task;
use pinpoint_core::ids::{ClientId, PhotoId};
use pinpoint_core::photo::{
    Alignment, CompareCandidates, ImportProgress, ImportResult, ImportableFile, Photo, PhotoTags,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use super::{off_the_workers, CommandResult};
use crate::AppState;

/// Emitted as `photo-import-progress` after each file of an import.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct PhotoImportProgress {
    pub done: u32,
    pub total: u32,
    /// The file name just finished (empty before the first).
    pub current: String,
}

impl From<&ImportProgress> for PhotoImportProgress {
    fn from(p: &ImportProgress) -> Self {
        PhotoImportProgress {
            done: p.done,
            total: p.total,
            current: p.current.clone(),
        }
    }
}

/// Imports files (from a file dialog or a drop) for a client, all with the
/// same tags. One result per file; progress comes as events, and
/// `cancel_photo_import` stops the files not yet started.
#[tauri::command]
#[specta::specta]
pub async fn import_photos(
    app: AppHandle,
    client_id: ClientId,
    tags: PhotoTags,
    paths: Vec<String>,
) -> CommandResult<Vec<ImportResult>> {
    // Decoding takes seconds for a batch: keep it off the async workers.
    off_the_workers("the import", move || {
        let state = app.state::<AppState>();
        let import = PhotoImport {
            client_id,
            tags,
            files: state.allow_files(&app, &paths)?,
        };
        let mut report = |p: &ImportProgress| {
            let _ = PhotoImportProgress::from(p).emit(&app);
        };
        let mut task = Task::new(&state.photo_import, &mut report);
        Ok(photos::import_photos(&state.ctx()?, &import, &mut task)?)
    })
    .await
}

/// Stops the running import after the files already started.
#[tauri::command]
#[specta::specta]
pub async fn cancel_photo_import(state: State<'_, AppState>) -> CommandResult<()> {
    state.photo_import.cancel();
    Ok(())
}

/// A client's photos, oldest first. Show them with
/// `pinpoint://localhost/photo/<id>/thumb|preview|original`.
#[tauri::command]
#[specta::specta]
pub async fn list_photos(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<Vec<Photo>> {
    Ok(photos::list_photos(&state.ctx()?, client_id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_photo_tags(
    state: State<'_, AppState>,
    photo_id: PhotoId,
    tags: PhotoTags,
) -> CommandResult<Photo> {
    Ok(photos::set_photo_tags(&state.ctx()?, photo_id, &tags)?)
}

/// Saves how a photo is aligned onto its reference, or clears it (`null`).
#[tauri::command]
#[specta::specta]
pub async fn set_photo_alignment(
    state: State<'_, AppState>,
    photo_id: PhotoId,
    alignment: Option<Alignment>,
) -> CommandResult<Photo> {
    Ok(photos::set_photo_alignment(
        &state.ctx()?,
        photo_id,
        alignment,
    )?)
}

/// The proposed before/after pair and every possible pair for a client.
#[tauri::command]
#[specta::specta]
pub async fn compare_candidates(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<CompareCandidates> {
    Ok(photos::compare_candidates(&state.ctx()?, client_id)?)
}

/// The photo files in a folder (a camera card, an export folder), to pick
/// from for an import.
#[tauri::command]
#[specta::specta]
pub async fn importable_files(
    app: AppHandle,
    folder: String,
) -> CommandResult<Vec<ImportableFile>> {
    off_the_workers("listing the folder", move || {
        let state = app.state::<AppState>();
        let folder = state.allow(&app, folder.trim(), crate::grants::Want::ReadFolder)?;
        Ok(photos::importable_files(&folder)?)
    })
    .await
}

/// Aligns a photo onto an earlier one automatically; saved only when
/// Pinpoint is confident, and over an existing alignment only with
/// `replace`.
#[tauri::command]
#[specta::specta]
pub async fn auto_align_photo(
    app: AppHandle,
    photo_id: PhotoId,
    reference: PhotoId,
    replace: bool,
) -> CommandResult<AutoAlignment> {
    off_the_workers("aligning the photo", move || {
        let state = app.state::<AppState>();
        Ok(photos::auto_align(
            &state.ctx()?,
            photo_id,
            reference,
            replace,
        )?)
    })
    .await
}

/// Makes a photo the client's portrait, or (`chosen` false) goes back to
/// their latest front photo.
#[tauri::command]
#[specta::specta]
pub async fn set_photo_portrait(
    state: State<'_, AppState>,
    photo_id: PhotoId,
    chosen: bool,
) -> CommandResult<Photo> {
    Ok(photos::set_photo_portrait(&state.ctx()?, photo_id, chosen)?)
}

/// The photo that shows the client's face: the one chosen, else the latest
/// front photo; `null` when there is neither. Refused to those who may not
/// see photos (the page then shows initials).
#[tauri::command]
#[specta::specta]
pub async fn client_portrait(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<Option<Photo>> {
    Ok(photos::client_portrait(&state.ctx()?, client_id)?)
}
