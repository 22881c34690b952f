//! The native file dialogs, opened from here rather than by the page: what
//! the person picks is noted as given (see `grants`), so the commands that
//! read or write it go ahead without asking again. The page only ever
//! receives the paths.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt as _, FileDialogBuilder};

use super::{off_the_workers, CommandResult};
use crate::grants::Want;
use crate::AppState;

/// What a chosen folder is for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FolderUse {
    /// Photos are listed and imported from it.
    Read,
    /// Exports or backups are written into it.
    Write,
}

/// The extensions a photo file may have.
const PHOTO_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "heic", "heif"];

/// Notes `path` as the person's choice for `want`; its text for the page.
fn chosen(app: &AppHandle, path: &Path, want: Want) -> String {
    app.state::<AppState>().grants.give(path, want);
    path.display().to_string()
}

fn dialog(app: &AppHandle, title: &str, start: Option<&str>) -> FileDialogBuilder<tauri::Wry> {
    let mut dialog = app.dialog().file().set_title(title);
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    if let Some(start) = start.map(str::trim).filter(|s| !s.is_empty()) {
        let start = Path::new(start);
        if start.is_dir() {
            dialog = dialog.set_directory(start);
        } else {
            if let Some(folder) = start.parent().filter(|p| p.is_dir()) {
                dialog = dialog.set_directory(folder);
            }
            if let Some(name) = start.file_name() {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
        }
    }
    dialog
}

/// Asks for photo files to import; an empty list when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn choose_photo_files(app: AppHandle) -> CommandResult<Vec<String>> {
    off_the_workers("the file dialog", move || {
        let picked = dialog(&app, "Import photos", None)
            .add_filter("Photos (JPEG, PNG, WebP, HEIC)", PHOTO_EXTENSIONS)
            .blocking_pick_files()
            .unwrap_or_default();
        Ok(picked
            .into_iter()
            .filter_map(|file| file.into_path().ok())
            .map(|path| chosen(&app, &path, Want::ReadFile))
            .collect())
    })
    .await
}

/// Asks for one folder, starting at `start`; `None` when the person
/// cancels.
#[tauri::command]
#[specta::specta]
pub async fn choose_folder(
    app: AppHandle,
    title: String,
    start: Option<String>,
    purpose: FolderUse,
) -> CommandResult<Option<String>> {
    off_the_workers("the folder dialog", move || {
        let want = match purpose {
            FolderUse::Read => Want::ReadFolder,
            FolderUse::Write => Want::WriteInto,
        };
        Ok(dialog(&app, &title, start.as_deref())
            .blocking_pick_folder()
            .and_then(|f| f.into_path().ok())
            .map(|path| chosen(&app, &path, want)))
    })
    .await
}

/// Asks where to save a file (`extension`: `pdf`, `csv` or `jpg`), starting at
/// `start`; `None` when the person cancels. The system's save dialog asks
/// before it lets an existing file be chosen, so that choice is also the
/// person's "replace".
#[tauri::command]
#[specta::specta]
pub async fn choose_save_path(
    app: AppHandle,
    title: String,
    start: Option<String>,
    extension: String,
) -> CommandResult<Option<String>> {
    off_the_workers("the save dialog", move || {
        let (name, extensions): (&str, &[&str]) = match extension.as_str() {
            "csv" => ("Spreadsheet (CSV)", &["csv"]),
            "jpg" => ("JPEG image", &["jpg", "jpeg"]),
            _ => ("PDF document", &["pdf"]),
        };
        Ok(dialog(&app, &title, start.as_deref())
            .add_filter(name, extensions)
            .blocking_save_file()
            .and_then(|f| f.into_path().ok())
            .map(|path| chosen(&app, &path, Want::WriteFile { replace: true })))
    })
    .await
}
