//! The typed commands the front end calls. Each is a few lines: take the
//! state, call one core function, map the error.

use pinpoint_core::ErrorKind;
use serde::Serialize;
use tauri::State;

use crate::AppState;

pub mod accounts;
pub mod capture;
pub mod clients;
pub mod clinic;
pub mod files;
pub mod photos;
pub mod progress;
pub mod records;
pub mod reports;
pub mod safety;
pub mod sessions;

/// An error as the front end receives it: it branches on `kind` and shows
/// `message` (next to `field` when there is one).
#[derive(Debug, Serialize, specta::Type)]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

impl From<pinpoint_core::Error> for AppError {
    fn from(error: pinpoint_core::Error) -> Self {
        AppError {
            kind: error.kind(),
            field: error.field().map(str::to_owned),
            message: error.to_string(),
        }
    }
}

type CommandResult<T> = Result<T, AppError>;

/// Runs `work` on a blocking thread, off the async workers that answer the
/// window; `what` names it if the thread panics ("the export").
async fn off_the_workers<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AppError {
            kind: ErrorKind::Internal,
            message: format!("{what} stopped unexpectedly: {e}"),
            field: None,
        })?
}

/// What the app shows about itself.
#[derive(Debug, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub client_count: u32,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    let ctx = state.ctx()?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: ctx.clinic.data_dir().display().to_string(),
        client_count: pinpoint_core::action::clients::count_clients(&ctx)?
            .try_into()
            .unwrap_or(u32::MAX),
    })
}
