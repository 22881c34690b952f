//! Commands for logging, signing and amending treatment sessions.

use pinpoint_core::action::sessions;
use pinpoint_core::ids::{ClientId, PractitionerId, SessionId};
use pinpoint_core::plan::TreatmentPlan;
use pinpoint_core::session::{SessionDraft, TreatmentSession};
use pinpoint_core::warnings::{CareWarning, WarningOverride};
use tauri::State;

use super::CommandResult;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_session(
    state: State<'_, AppState>,
    id: SessionId,
) -> CommandResult<TreatmentSession> {
    Ok(sessions::get_session(&state.ctx(), id)?)
}

/// The plan a new session for the client follows unless the practitioner
/// picks another: the client's open plan.
#[tauri::command]
#[specta::specta]
pub async fn default_session_plan(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<Option<TreatmentPlan>> {
    Ok(sessions::default_session_plan(&state.ctx(), client_id)?)
}

/// The care warnings a draft raises, before anything is saved.
#[tauri::command]
#[specta::specta]
pub async fn preview_session(
    state: State<'_, AppState>,
    draft: SessionDraft,
    editing: Option<SessionId>,
) -> CommandResult<Vec<CareWarning>> {
    Ok(sessions::preview_session(&state.ctx(), &draft, editing)?)
}

#[tauri::command]
#[specta::specta]
pub async fn create_session(
    state: State<'_, AppState>,
    draft: SessionDraft,
    overrides: Vec<WarningOverride>,
) -> CommandResult<TreatmentSession> {
    Ok(sessions::create_session(&state.ctx(), &draft, &overrides)?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_session(
    state: State<'_, AppState>,
    id: SessionId,
    draft: SessionDraft,
    overrides: Vec<WarningOverride>,
) -> CommandResult<TreatmentSession> {
    Ok(sessions::update_session(
        &state.ctx(),
        id,
        &draft,
        &overrides,
    )?)
}

#[tauri::command]
#[specta::specta]
pub async fn sign_session(
    state: State<'_, AppState>,
    id: SessionId,
    by: PractitionerId,
) -> CommandResult<TreatmentSession> {
    Ok(sessions::sign_session(&state.ctx(), id, Some(by))?)
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
    Ok(sessions::amend_session(
        &state.ctx(),
        id,
        &draft,
        &overrides,
        &reason,
    )?)
}
