//! Commands for capturing photos with a phone (`capture/`): open a capture
//! for a client's session or visit (the QR code and the certificate's
//! fingerprint), close it, and the events that bring each photo to the
//! window as it arrives.

use pinpoint_core::action::capture::CaptureTarget;
use pinpoint_core::action::{Actor, Ctx};
use pinpoint_core::photo::ImportResult;
use pinpoint_core::Error;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use super::{off_the_workers, CommandResult};
use crate::capture::{self, Capture, CaptureInfo, Desk};
use crate::{clock, AppState};

/// Emitted as `capture-photo-arrived` for each photo a phone sends,
/// imported or refused.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct CapturePhotoArrived {
    pub target: CaptureTarget,
    pub result: ImportResult,
}

/// Emitted as `capture-paired` when a phone has opened the code (it is
/// spent: no other phone can use it).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct CapturePaired {
    pub target: CaptureTarget,
}

/// Emitted as `capture-closed` when a capture closes by itself.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct CaptureClosed {
    pub target: CaptureTarget,
    pub why: String,
}

/// The window's side of a capture: it acts as the person who opened it,
/// only while they are signed in at this window (locked or not: the idle
/// lock must not stop a capture in progress).
struct WindowDesk {
    app: AppHandle,
    actor: Actor,
    target: CaptureTarget,
}

impl Desk for WindowDesk {
    fn act<T>(
        &self,
        f: impl FnOnce(&Ctx<'_>) -> pinpoint_core::Result<T>,
    ) -> pinpoint_core::Result<T> {
        let state = self.app.state::<AppState>();
        if !state.presence().holds(&self.actor) {
            return Err(Error::Forbidden(
                "the person who opened this capture is no longer signed in".to_owned(),
            ));
        }
        f(&Ctx::new(&state.clinic, clock::now()).acting_as(self.actor.clone()))
    }

    fn paired(&self) {
        let _ = CapturePaired {
            target: self.target,
        }
        .emit(&self.app);
    }

    fn arrived(&self, result: &ImportResult) {
        let _ = CapturePhotoArrived {
            target: self.target,
            result: result.clone(),
        }
        .emit(&self.app);
    }

    fn closed(&self, why: &str) {
        let _ = CaptureClosed {
            target: self.target,
            why: why.to_owned(),
        }
        .emit(&self.app);
    }
}

/// Opens a capture for a client's session, visit, or neither (one at a
/// time: an open one is closed first) and gives the QR code to show.
#[tauri::command]
#[specta::specta]
pub async fn open_capture(app: AppHandle, target: CaptureTarget) -> CommandResult<CaptureInfo> {
    off_the_workers("opening the capture", move || {
        let state = app.state::<AppState>();
        let actor = state.presence().actor().map_err(super::AppError::from)?;
        state.close_capture();
        let desk = WindowDesk {
            app: app.clone(),
            actor: actor.clone(),
            target,
        };
        let opened = Capture::open(desk, target, capture::local_address())?;
        let info = opened.info.clone();
        state.keep_capture(actor, opened);
        Ok(info)
    })
    .await
}

/// Closes the open capture, if any: the phone's page stops working.
#[tauri::command]
#[specta::specta]
pub async fn close_capture(state: State<'_, AppState>) -> CommandResult<()> {
    state.close_capture();
    Ok(())
}
