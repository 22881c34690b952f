//! Commands for logging, signing and amending treatment sessions.

use pinpoint_core::action::sessions;
use pinpoint_core::ids::{ClientId, SessionId};
use pinpoint_core::plan::TreatmentPlan;
use pinpoint_core::session::{SessionDraft, TreatmentSession};
use pinpoint_core::warnings::{CareWarning, WarningOverride};
use tauri::{AppHandle, Manager, State};

use super::{off_the_workers, CommandResult};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_session(
    state: State<'_, AppState>,
    id: SessionId,
) -> CommandResult<TreatmentSession> {
    Ok(sessions::get_session(&state.ctx()?, id)?)
}

/// The plan a new session for the client follows unless the practitioner
/// picks another: the client's open plan.
#[tauri::command]
#[specta::specta]
pub async fn default_session_plan(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<Option<TreatmentPlan>> {
    Ok(sessions::default_session_plan(&state.ctx()?, client_id)?)
}

/// The care warnings a draft raises, before anything is saved.
#[tauri::command]
#[specta::specta]
pub async fn preview_session(
    state: State<'_, AppState>,
    draft: SessionDraft,
    editing: Option<SessionId>,
) -> CommandResult<Vec<CareWarning>> {
    Ok(sessions::preview_session(&state.ctx()?, &draft, editing)?)
}

#[tauri::command]
#[specta::specta]
pub async fn create_session(
    state: State<'_, AppState>,
    draft: SessionDraft,
    overrides: Vec<WarningOverride>,
) -> CommandResult<TreatmentSession> {
    Ok(sessions::create_session(&state.ctx()?, &draft, &overrides)?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_session(
    state: State<'_, AppState>,
    id: SessionId,
    draft: SessionDraft,
    overrides: Vec<WarningOverride>,
    seen: Option<chrono::DateTime<chrono::Utc>>,
) -> CommandResult<TreatmentSession> {
    Ok(sessions::update_session(
        &state.ctx()?,
        id,
        &draft,
        &overrides,
        seen,
    )?)
}

/// Signs a session as the person signed in, confirmed with their PIN
/// (checked off the window's workers: a PIN check takes a fifth of a
/// second on purpose).
#[tauri::command]
#[specta::specta]
pub async fn sign_session(
    app: AppHandle,
    id: SessionId,
    pin: String,
) -> CommandResult<TreatmentSession> {
    off_the_workers("signing", move || {
        let state = app.state::<AppState>();
        Ok(sessions::sign_session(&state.ctx()?, id, None, Some(&pin))?)
    })
    .await
}

/// Co-signs a session that waits for it, with the co-signer's PIN.
#[tauri::command]
#[specta::specta]
pub async fn cosign_session(
    app: AppHandle,
    id: SessionId,
    pin: String,
) -> CommandResult<TreatmentSession> {
    off_the_workers("co-signing", move || {
        let state = app.state::<AppState>();
        Ok(sessions::cosign_session(&state.ctx()?, id, &pin)?)
    })
    .await
}

/// Signed sessions waiting for a co-signature.
#[tauri::command]
#[specta::specta]
pub async fn sessions_to_cosign(
    state: State<'_, AppState>,
) -> CommandResult<Vec<TreatmentSession>> {
    Ok(sessions::sessions_to_cosign(&state.ctx()?)?)
}

/// Amends a signed session, confirmed with the PIN of the person signed in.
#[tauri::command]
#[specta::specta]
pub async fn amend_session(
    app: AppHandle,
    id: SessionId,
    draft: SessionDraft,
    overrides: Vec<WarningOverride>,
    reason: String,
    pin: String,
) -> CommandResult<TreatmentSession> {
    off_the_workers("the amendment", move || {
        let state = app.state::<AppState>();
        Ok(sessions::amend_session(
            &state.ctx()?,
            id,
            &draft,
            &overrides,
            &reason,
            Some(&pin),
        )?)
    })
    .await
}
