//! Commands for the client record: the whole record, screening, consents
//! and treatment plans.

use chrono::NaiveDate;
use pinpoint_core::consent::{self, Consent, ConsentKind};
use pinpoint_core::ids::{ClientId, ConsentId, PlanId, ScreeningId};
use pinpoint_core::plan::{self, PlanInput, TreatmentPlan};
use pinpoint_core::record::{self, ClientRecord};
use pinpoint_core::screening::{self, Screening, ScreeningAnswer};
use pinpoint_core::settings;
use tauri::State;

use super::CommandResult;
use crate::clock::today_and_now;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn client_record(
    state: State<'_, AppState>,
    id: ClientId,
) -> CommandResult<ClientRecord> {
    state.with_store(|store| Ok(record::load(store.conn(), id)?))
}

#[tauri::command]
#[specta::specta]
pub async fn add_screening(
    state: State<'_, AppState>,
    client_id: ClientId,
    taken_on: NaiveDate,
    answers: Vec<ScreeningAnswer>,
) -> CommandResult<Screening> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            let settings = settings::get(tx)?;
            screening::add(
                tx,
                ScreeningId::new(),
                client_id,
                taken_on,
                &answers,
                &settings,
                today,
                now,
            )
        })?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn add_consent(
    state: State<'_, AppState>,
    client_id: ClientId,
    kind: ConsentKind,
    given_on: NaiveDate,
    signature: String,
) -> CommandResult<Consent> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            let version = settings::get(tx)?.consent_template_version;
            consent::add(
                tx,
                ConsentId::new(),
                client_id,
                kind,
                &version,
                given_on,
                &signature,
                today,
                now,
            )
        })?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn revoke_consent(
    state: State<'_, AppState>,
    id: ConsentId,
    revoked_on: NaiveDate,
    reason: String,
) -> CommandResult<Consent> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| consent::revoke(tx, id, revoked_on, &reason, today, now))?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn add_plan(
    state: State<'_, AppState>,
    client_id: ClientId,
    input: PlanInput,
) -> CommandResult<TreatmentPlan> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            let settings = settings::get(tx)?;
            plan::add(tx, PlanId::new(), client_id, &input, &settings, today, now)
        })?)
    })
}
