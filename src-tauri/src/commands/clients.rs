//! Commands for the Clients screen.

use pinpoint_core::action::clients;
use pinpoint_core::client::{Client, ClientInput, ClientQuery, FieldError};
use pinpoint_core::erasure::{Erased, ErasureReason, Retention};
use pinpoint_core::ids::ClientId;
use tauri::State;

use super::CommandResult;
use crate::AppState;

/// The most clients the list shows at once.
const LIST_LIMIT: u32 = 500;

#[tauri::command]
#[specta::specta]
pub async fn list_clients(
    state: State<'_, AppState>,
    search: Option<String>,
    include_archived: bool,
) -> CommandResult<Vec<Client>> {
    let query = ClientQuery {
        search,
        include_archived,
        limit: Some(LIST_LIMIT),
    };
    Ok(clients::list_clients(&state.ctx()?, &query)?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_client(state: State<'_, AppState>, id: ClientId) -> CommandResult<Client> {
    Ok(clients::get_client(&state.ctx()?, id)?)
}

/// Every problem with a client as typed so far, field by field; the limits
/// behind them are the bindings' `CLIENT_LIMITS`.
#[tauri::command]
#[specta::specta]
pub async fn check_client(
    state: State<'_, AppState>,
    input: ClientInput,
) -> CommandResult<Vec<FieldError>> {
    Ok(clients::check_client(&state.ctx()?, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn create_client(
    state: State<'_, AppState>,
    input: ClientInput,
) -> CommandResult<Client> {
    Ok(clients::create_client(&state.ctx()?, &input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_client(
    state: State<'_, AppState>,
    id: ClientId,
    input: ClientInput,
    seen: Option<chrono::DateTime<chrono::Utc>>,
) -> CommandResult<Client> {
    Ok(clients::update_client(&state.ctx()?, id, &input, seen)?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_client_archived(
    state: State<'_, AppState>,
    id: ClientId,
    archived: bool,
) -> CommandResult<Client> {
    Ok(clients::set_client_archived(&state.ctx()?, id, archived)?)
}

/// How long a client's record is kept (the clinic's retention).
#[tauri::command]
#[specta::specta]
pub async fn client_retention(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<Retention> {
    Ok(clients::client_retention(&state.ctx()?, client_id)?)
}

/// The records past the clinic's retention (the owner's list).
#[tauri::command]
#[specta::specta]
pub async fn past_retention(state: State<'_, AppState>) -> CommandResult<Vec<Retention>> {
    Ok(clients::past_retention(&state.ctx()?)?)
}

/// Erases a client's whole record; `confirm_name` must be their name.
#[tauri::command]
#[specta::specta]
pub async fn erase_client(
    app: tauri::AppHandle,
    client_id: ClientId,
    reason: ErasureReason,
    confirm_name: String,
) -> CommandResult<Erased> {
    super::off_the_workers("the erasure", move || {
        let state = tauri::Manager::state::<AppState>(&app);
        Ok(clients::erase_client(
            &state.ctx()?,
            client_id,
            reason,
            &confirm_name,
        )?)
    })
    .await
}
