//! Commands for clinic settings: practitioners, devices, the product
//! catalogue with lots, guide ranges and templates, and lot recall.

use chrono::NaiveDate;
use pinpoint_core::action::access::MatrixRow;
use pinpoint_core::action::catalogue::{self as actions, NewProduct};
use pinpoint_core::catalogue::{Device, DeviceInput, Lot, Product, ProductKind};
use pinpoint_core::ids::ProductId;
use pinpoint_core::practitioner::Practitioner;
use pinpoint_core::recall::RecallHit;
use pinpoint_core::settings::ClinicSettings;
use tauri::State;

use super::CommandResult;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> CommandResult<ClinicSettings> {
    Ok(actions::get_settings(&state.ctx()?)?)
}

#[tauri::command]
#[specta::specta]
pub async fn save_settings(
    state: State<'_, AppState>,
    settings: ClinicSettings,
) -> CommandResult<ClinicSettings> {
    Ok(actions::save_settings(&state.ctx()?, &settings)?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_practitioners(state: State<'_, AppState>) -> CommandResult<Vec<Practitioner>> {
    Ok(actions::list_practitioners(&state.ctx()?)?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_practitioner(
    state: State<'_, AppState>,
    name: String,
    credentials: String,
) -> CommandResult<Practitioner> {
    Ok(actions::add_practitioner(
        &state.ctx()?,
        &name,
        &credentials,
    )?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_devices(state: State<'_, AppState>) -> CommandResult<Vec<Device>> {
    Ok(actions::list_devices(&state.ctx()?)?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_device(state: State<'_, AppState>, input: DeviceInput) -> CommandResult<Device> {
    Ok(actions::add_device(&state.ctx()?, &input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_products(state: State<'_, AppState>) -> CommandResult<Vec<Product>> {
    Ok(actions::list_products(&state.ctx()?)?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_product(
    state: State<'_, AppState>,
    name: String,
    kind: ProductKind,
    manufacturer: String,
    needle_count: Option<u32>,
) -> CommandResult<Product> {
    let input = NewProduct {
        name,
        kind,
        manufacturer,
        needle_count,
    };
    Ok(actions::add_product(&state.ctx()?, &input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_lot(
    state: State<'_, AppState>,
    product_id: ProductId,
    lot_number: String,
    expires_on: Option<NaiveDate>,
) -> CommandResult<Lot> {
    Ok(actions::add_lot(
        &state.ctx()?,
        product_id,
        &lot_number,
        expires_on,
    )?)
}

/// Who may do what: the role matrix the core enforces, for Settings.
#[tauri::command]
#[specta::specta]
pub async fn role_matrix() -> CommandResult<Vec<MatrixRow>> {
    Ok(pinpoint_core::action::access::matrix_rows())
}

#[tauri::command]
#[specta::specta]
pub async fn recall_lot(
    state: State<'_, AppState>,
    lot_number: String,
) -> CommandResult<Vec<RecallHit>> {
    Ok(actions::recall_lot(&state.ctx()?, &lot_number)?)
}
