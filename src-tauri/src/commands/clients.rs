//! Commands for the Clients screen.

use pinpoint_core::client::{self, Client, ClientInput, ClientQuery};
use pinpoint_core::ids::ClientId;
use tauri::State;

use super::CommandResult;
use crate::clock::today_and_now;
use crate::AppState;

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
        limit: Some(500),
    };
    state.with_store(|store| Ok(client::search(store.conn(), &query)?))
}

#[tauri::command]
#[specta::specta]
pub async fn get_client(state: State<'_, AppState>, id: ClientId) -> CommandResult<Client> {
    state.with_store(|store| Ok(client::get(store.conn(), id)?))
}

#[tauri::command]
#[specta::specta]
pub async fn create_client(
    state: State<'_, AppState>,
    input: ClientInput,
) -> CommandResult<Client> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| client::create(tx, ClientId::new(), &input, today, now))?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn update_client(
    state: State<'_, AppState>,
    id: ClientId,
    input: ClientInput,
) -> CommandResult<Client> {
    let (today, now) = today_and_now();
    state.with_store(|store| Ok(store.write(|tx| client::update(tx, id, &input, today, now))?))
}

#[tauri::command]
#[specta::specta]
pub async fn set_client_archived(
    state: State<'_, AppState>,
    id: ClientId,
    archived: bool,
) -> CommandResult<Client> {
    let (_, now) = today_and_now();
    state.with_store(|store| Ok(store.write(|tx| client::set_archived(tx, id, archived, now))?))
}
