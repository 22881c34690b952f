//! Commands for clinical photos: import (with progress events and cancel),
//! listing, tags, alignment and comparison pairs. The pictures themselves
//! reach the page through the `pinpoint:` URI scheme (`protocol.rs`).

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use pinpoint_core::ids::{ClientId, FollowUpId, PhotoId, SessionId};
use pinpoint_core::photo::{
    self, Alignment, CompareCandidates, ImportProgress, ImportResult, Photo, PhotoKind, PhotoPose,
    PhotoTags,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use super::{off_the_workers, AppError, CommandResult};
use crate::clock::today_and_now;
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
#[allow(clippy::too_many_arguments)]
pub async fn import_photos(
    app: AppHandle,
    client_id: ClientId,
    session_id: Option<SessionId>,
    follow_up_id: Option<FollowUpId>,
    kind: PhotoKind,
    zone: String,
    pose: PhotoPose,
    custom_pose: Option<String>,
    paths: Vec<String>,
) -> CommandResult<Vec<ImportResult>> {
    let tags = PhotoTags {
        session_id,
        follow_up_id,
        kind,
        zone,
        pose,
        custom_pose,
    };
    let files: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    // Decoding takes seconds for a batch: keep it off the async workers.
    off_the_workers("the import", move || {
        let state = app.state::<AppState>();
        state.photo_import_cancel.store(false, Ordering::SeqCst);
        let (_, now) = today_and_now();
        let result = photo::import_files(
            &state.store,
            client_id,
            &tags,
            &files,
            now,
            &mut PhotoId::new,
            &mut |progress| {
                let _ = PhotoImportProgress::from(progress).emit(&app);
                !state.photo_import_cancel.load(Ordering::SeqCst)
            },
        );
        result.map_err(AppError::from)
    })
    .await
}

/// Stops the running import after the files already started.
#[tauri::command]
#[specta::specta]
pub async fn cancel_photo_import(state: State<'_, AppState>) -> CommandResult<()> {
    state.photo_import_cancel.store(true, Ordering::SeqCst);
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
    state.with_store(|store| Ok(photo::list(store.conn(), client_id)?))
}

#[tauri::command]
#[specta::specta]
pub async fn set_photo_tags(
    state: State<'_, AppState>,
    photo_id: PhotoId,
    tags: PhotoTags,
) -> CommandResult<Photo> {
    let (_, now) = today_and_now();
    state.with_store(|store| Ok(store.write(|tx| photo::set_tags(tx, photo_id, &tags, now))?))
}

/// Saves how a photo is aligned onto its reference, or clears it (`null`).
#[tauri::command]
#[specta::specta]
pub async fn set_photo_alignment(
    state: State<'_, AppState>,
    photo_id: PhotoId,
    alignment: Option<Alignment>,
) -> CommandResult<Photo> {
    let (_, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| photo::set_alignment(tx, photo_id, alignment, now))?)
    })
}

/// The proposed before/after pair and every possible pair for a client.
#[tauri::command]
#[specta::specta]
pub async fn compare_candidates(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<CompareCandidates> {
    state.with_store(|store| Ok(photo::candidates(store.conn(), client_id)?))
}

/// The photo files in a folder (a camera card, an export folder), to pick
/// from for an import.
#[tauri::command]
#[specta::specta]
pub async fn importable_files(folder: String) -> CommandResult<Vec<photo::ImportableFile>> {
    Ok(photo::importable_files(std::path::Path::new(&folder))?)
}
