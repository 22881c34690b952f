//! Commands for the client record: the whole record, screening, consents
//! and treatment plans.

use chrono::NaiveDate;
use pinpoint_core::action::{clients, records};
use pinpoint_core::consent::{Consent, ConsentKind};
use pinpoint_core::ids::{ClientId, ConsentId};
use pinpoint_core::plan::{PlanInput, TreatmentPlan};
use pinpoint_core::record::ClientRecord;
use pinpoint_core::screening::{Screening, ScreeningAnswer};
use tauri::State;

use super::CommandResult;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn client_record(
    state: State<'_, AppState>,
    id: ClientId,
) -> CommandResult<ClientRecord> {
    Ok(clients::client_record(&state.ctx()?, id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_screening(
    state: State<'_, AppState>,
    client_id: ClientId,
    taken_on: NaiveDate,
    answers: Vec<ScreeningAnswer>,
) -> CommandResult<Screening> {
    let input = records::NewScreening {
        client_id,
        taken_on,
        answers,
    };
    Ok(records::add_screening(&state.ctx()?, &input)?)
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
    let input = records::NewConsent {
        client_id,
        kind,
        given_on,
        signature,
    };
    Ok(records::add_consent(&state.ctx()?, &input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn revoke_consent(
    state: State<'_, AppState>,
    id: ConsentId,
    revoked_on: NaiveDate,
    reason: String,
) -> CommandResult<Consent> {
    Ok(records::revoke_consent(
        &state.ctx()?,
        id,
        revoked_on,
        &reason,
    )?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_plan(
    state: State<'_, AppState>,
    client_id: ClientId,
    input: PlanInput,
) -> CommandResult<TreatmentPlan> {
    Ok(records::add_plan(&state.ctx()?, client_id, &input)?)
}
