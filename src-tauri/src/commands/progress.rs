//! Commands for following progress: the timeline, outcome scores, follow-up
//! visits and adverse events.

use chrono::NaiveDate;
use pinpoint_core::followup::{self, AdverseEvent, FollowUp, Severity};
use pinpoint_core::ids::{AdverseEventId, ClientId, FollowUpId, ScoreId, SessionId};
use pinpoint_core::outcome::{self, OutcomeScore, Scale, ScaleInfo, ScoreSubject, ALL_SCALES};
use pinpoint_core::timeline::{self, Timeline};
use tauri::State;

use super::CommandResult;
use crate::clock::today_and_now;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn client_timeline(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<Timeline> {
    let (today, _) = today_and_now();
    state.with_store(|store| Ok(timeline::build(store.conn(), client_id, today)?))
}

/// The clinical scales with their ranges and labels.
#[tauri::command]
#[specta::specta]
pub async fn list_scales() -> CommandResult<Vec<ScaleInfo>> {
    Ok(ALL_SCALES.iter().map(|s| s.info()).collect())
}

#[tauri::command]
#[specta::specta]
pub async fn add_score(
    state: State<'_, AppState>,
    client_id: ClientId,
    scale: Scale,
    value: f64,
    recorded_on: NaiveDate,
    subject: ScoreSubject,
    note: String,
) -> CommandResult<OutcomeScore> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            outcome::add(
                tx,
                ScoreId::new(),
                client_id,
                scale,
                value,
                recorded_on,
                &subject,
                &note,
                today,
                now,
            )
        })?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn add_follow_up(
    state: State<'_, AppState>,
    client_id: ClientId,
    visited_on: NaiveDate,
    notes: String,
) -> CommandResult<FollowUp> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            followup::add_visit(
                tx,
                FollowUpId::new(),
                client_id,
                visited_on,
                &notes,
                today,
                now,
            )
        })?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn report_adverse_event(
    state: State<'_, AppState>,
    client_id: ClientId,
    session_id: Option<SessionId>,
    started_on: NaiveDate,
    description: String,
    severity: Severity,
) -> CommandResult<AdverseEvent> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| {
            followup::report_event(
                tx,
                AdverseEventId::new(),
                client_id,
                session_id,
                started_on,
                &description,
                severity,
                today,
                now,
            )
        })?)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_adverse_event(
    state: State<'_, AppState>,
    id: AdverseEventId,
    resolved_on: NaiveDate,
    outcome: String,
) -> CommandResult<AdverseEvent> {
    let (today, now) = today_and_now();
    state.with_store(|store| {
        Ok(store.write(|tx| followup::resolve_event(tx, id, resolved_on, &outcome, today, now))?)
    })
}
