//! Commands for logging, signing and amending treatment sessions.

use pinpoint_core::ids::{AmendmentId, PractitionerId, SessionId};
use pinpoint_core::session::{self, SessionDraft, TreatmentSession};
use pinpoint_core::warnings::{CareWarning, WarningOverride};
use tauri::State;

use super::CommandResult;
use crate::clock::today_and_now;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_session(
    state: State<'_, AppState>,
    id: SessionId,
) -> CommandResult<TreatmentSession> {
    state.with_store(|store| Ok(session::get(store.conn(), id)?))
}

/// The care warnings a draft raises, before anything is saved.
#[tauri::command]
#[specta::specta]
pub async fn preview_session(
    state: State<'_, AppState>,
    draft: SessionDraft,
    editing: Option<SessionId>,
) -> CommandResult<Vec<CareWarning>> {
    let (_, now) = today_and_now();
    state.with_store(|store| Ok(session::preview(store.conn(), &draft, editing, now)?))
}

#[tauri::command]
#[specta::specta]
pub async fn create_session(
    state: State<'_, AppState>,
    draft: SessionDraft,
    overrides: Vec<WarningOverride>,
) -> CommandResult<TreatmentSession> {
    let (_, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| session::create(tx, SessionId::new(), &draft, &overrides, now))?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn update_session(
    state: State<'_, AppState>,
    id: SessionId,
    draft: SessionDraft,
    overrides: Vec<WarningOverride>,
) -> CommandResult<TreatmentSession> {
    let (_, now) = today_and_now();
    state
        .with_store(|store| Ok(store.write(|tx| session::update(tx, id, &draft, &overrides, now))?))
}

#[tauri::command]
#[specta::specta]
pub async fn sign_session(
    state: State<'_, AppState>,
    id: SessionId,
    by: PractitionerId,
) -> CommandResult<TreatmentSession> {
    let (_, now) = today_and_now();
    state.with_store(|store| Ok(store.write(|tx| session::sign(tx, id, by, now))?))
}

#[tauri::command]
#[specta::specta]
pub async fn amend_session(
    state: State<'_, AppState>,
    id: SessionId,
    draft: SessionDraft,
    overrides: Vec<WarningOverride>,
    reason: String,
) -> CommandResult<TreatmentSession> {
    let (_, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            session::amend(tx, AmendmentId::new(), id, &draft, &overrides, &reason, now)
        })?)
    })
}
