//! Commands for following progress: the timeline, outcome scores, follow-up
//! visits and adverse events.

use chrono::NaiveDate;
use pinpoint_core::action::progress::{self as actions, NewAdverseEvent, NewScore};
use pinpoint_core::followup::{AdverseEvent, FollowUp};
use pinpoint_core::ids::{AdverseEventId, ClientId};
use pinpoint_core::outcome::{OutcomeScore, ScaleInfo};
use pinpoint_core::timeline::Timeline;
use tauri::State;

use super::CommandResult;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn client_timeline(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<Timeline> {
    Ok(actions::client_timeline(&state.ctx()?, client_id)?)
}

/// The clinical scales with their ranges and labels.
#[tauri::command]
#[specta::specta]
pub async fn list_scales() -> CommandResult<Vec<ScaleInfo>> {
    Ok(actions::list_scales())
}

#[tauri::command]
#[specta::specta]
pub async fn add_score(state: State<'_, AppState>, input: NewScore) -> CommandResult<OutcomeScore> {
    Ok(actions::add_score(&state.ctx()?, &input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_follow_up(
    state: State<'_, AppState>,
    client_id: ClientId,
    visited_on: NaiveDate,
    notes: String,
) -> CommandResult<FollowUp> {
    Ok(actions::add_follow_up(
        &state.ctx()?,
        client_id,
        visited_on,
        &notes,
    )?)
}

#[tauri::command]
#[specta::specta]
pub async fn report_adverse_event(
    state: State<'_, AppState>,
    input: NewAdverseEvent,
) -> CommandResult<AdverseEvent> {
    Ok(actions::report_adverse_event(&state.ctx()?, &input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_adverse_event(
    state: State<'_, AppState>,
    id: AdverseEventId,
    resolved_on: NaiveDate,
    outcome: String,
) -> CommandResult<AdverseEvent> {
    Ok(actions::resolve_adverse_event(
        &state.ctx()?,
        id,
        resolved_on,
        &outcome,
    )?)
}
