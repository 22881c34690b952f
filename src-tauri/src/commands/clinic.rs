//! Commands for clinic settings: practitioners, devices, the product
//! catalogue with lots, guide ranges and templates, and lot recall.

use chrono::NaiveDate;
use pinpoint_core::catalogue::{self, Device, DeviceInput, Lot, Product, ProductKind};
use pinpoint_core::ids::{DeviceId, LotId, PractitionerId, ProductId};
use pinpoint_core::practitioner::{self, Practitioner};
use pinpoint_core::recall::{self, RecallHit};
use pinpoint_core::settings::{self, ClinicSettings};
use tauri::State;

use super::CommandResult;
use crate::clock::today_and_now;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> CommandResult<ClinicSettings> {
    state.with_store(|store| Ok(settings::get(store.conn())?))
}

#[tauri::command]
#[specta::specta]
pub async fn save_settings(
    state: State<'_, AppState>,
    settings: ClinicSettings,
) -> CommandResult<ClinicSettings> {
    let (_, now) = today_and_now();
    state.with_store(|store| {
        store.write(|tx| settings::save(tx, &settings, now))?;
        Ok(settings::get(store.conn())?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn list_practitioners(state: State<'_, AppState>) -> CommandResult<Vec<Practitioner>> {
    state.with_store(|store| Ok(practitioner::list(store.conn())?))
}

#[tauri::command]
#[specta::specta]
pub async fn add_practitioner(
    state: State<'_, AppState>,
    name: String,
    credentials: String,
) -> CommandResult<Practitioner> {
    let (_, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            practitioner::create(tx, PractitionerId::new(), &name, &credentials, now)
        })?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn list_devices(state: State<'_, AppState>) -> CommandResult<Vec<Device>> {
    state.with_store(|store| Ok(catalogue::list_devices(store.conn())?))
}

#[tauri::command]
#[specta::specta]
pub async fn add_device(state: State<'_, AppState>, input: DeviceInput) -> CommandResult<Device> {
    let (_, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| catalogue::add_device(tx, DeviceId::new(), &input, now))?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn list_products(state: State<'_, AppState>) -> CommandResult<Vec<Product>> {
    state.with_store(|store| Ok(catalogue::list_products(store.conn())?))
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
    let (_, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            catalogue::add_product(
                tx,
                ProductId::new(),
                &name,
                kind,
                &manufacturer,
                needle_count,
                now,
            )
        })?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn add_lot(
    state: State<'_, AppState>,
    product_id: ProductId,
    lot_number: String,
    expires_on: Option<NaiveDate>,
) -> CommandResult<Lot> {
    let (_, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            catalogue::add_lot(tx, LotId::new(), product_id, &lot_number, expires_on, now)
        })?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn recall_lot(
    state: State<'_, AppState>,
    lot_number: String,
) -> CommandResult<Vec<RecallHit>> {
    state.with_store(|store| Ok(recall::recall(store.conn(), &lot_number)?))
}
