//! Between and after sessions: follow-up visits (progress photos and scores
//! without needling) and adverse events followed until they resolve.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::client;
use crate::db::{Db, Row};
use crate::ids::{AdverseEventId, ClientId, FollowUpId, SessionId};
use crate::store::format_instant;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FollowUp {
    pub id: FollowUpId,
    pub client_id: ClientId,
    pub visited_on: NaiveDate,
    pub notes: String,
}

pub fn add_visit<'c>(
    tx: impl Into<Db<'c>>,
    id: FollowUpId,
    client_id: ClientId,
    visited_on: NaiveDate,
    notes: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<FollowUp> {
    let tx = tx.into();
    client::get(tx, client_id)?;
    if visited_on > today {
        return Err(Error::invalid(
            "visited_on",
            format!("visit date {visited_on} is in the future"),
        ));
    }
    tx.execute(
        "INSERT INTO follow_up (id, client_id, visited_on, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[&id, &client_id, &visited_on, &notes.trim(), &format_instant(now)],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "follow_up",
        &id.to_string(),
        &serde_json::json!({ "client_id": client_id.to_string() }),
    )?;
    Ok(FollowUp {
        id,
        client_id,
        visited_on,
        notes: notes.trim().to_owned(),
    })
}

/// A client's follow-up visits, oldest first.
pub fn list_visits<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Vec<FollowUp>> {
    let conn = conn.into();
    conn.query_map(
        "SELECT id, client_id, visited_on, notes FROM follow_up WHERE client_id = ?1
         ORDER BY visited_on, created_at",
        &[&client_id],
        |row| {
            Ok(FollowUp {
                id: row.get(0)?,
                client_id: row.get(1)?,
                visited_on: row.get(2)?,
                notes: row.get(3)?,
            })
        },
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

text_enum! {
    Severity, field "severity", called "severity" {
        Mild = "mild",
        Moderate = "moderate",
        Severe = "severe",
    }
}

/// An adverse event, open until resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AdverseEvent {
    pub id: AdverseEventId,
    pub client_id: ClientId,
    /// The session it followed, when known.
    pub session_id: Option<SessionId>,
    pub started_on: NaiveDate,
    pub description: String,
    pub severity: Severity,
    pub resolved_on: Option<NaiveDate>,
    pub outcome: String,
}

/// An adverse event as the form or the command line reports it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewAdverseEvent {
    pub client_id: ClientId,
    /// The session it followed, when known.
    pub session_id: Option<SessionId>,
    pub started_on: NaiveDate,
    pub description: String,
    pub severity: Severity,
}

/// Reports an adverse event, open until resolved.
pub fn report_event<'c>(
    tx: impl Into<Db<'c>>,
    id: AdverseEventId,
    input: &NewAdverseEvent,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<AdverseEvent> {
    let tx = tx.into();
    let (client_id, session_id, started_on, description, severity) = (
        input.client_id,
        input.session_id,
        input.started_on,
        input.description.as_str(),
        input.severity,
    );
    client::get(tx, client_id)?;
    if started_on > today {
        return Err(Error::invalid(
            "started_on",
            format!("start date {started_on} is in the future"),
        ));
    }
    if description.trim().is_empty() {
        return Err(Error::invalid("description", "describe the adverse event"));
    }
    if let Some(session) = session_id {
        let owner: Option<ClientId> = tx.query_opt(
            "SELECT client_id FROM treatment_session WHERE id = ?1",
            &[&session],
            |r| r.get(0),
        )?;
        if owner != Some(client_id) {
            return Err(Error::invalid(
                "session_id",
                "that session is not this client's",
            ));
        }
    }
    tx.execute(
        "INSERT INTO adverse_event (id, client_id, session_id, started_on, description, severity, outcome, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7)",
        &[&id, &client_id, &session_id, &started_on, &description.trim(), &severity.as_str(), &format_instant(now)],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "adverse_event",
        &id.to_string(),
        &serde_json::json!({ "client_id": client_id.to_string() }),
    )?;
    get_event(tx, id)
}

/// Marks an adverse event resolved.
pub fn resolve_event<'c>(
    tx: impl Into<Db<'c>>,
    id: AdverseEventId,
    resolved_on: NaiveDate,
    outcome: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<AdverseEvent> {
    let tx = tx.into();
    let event = get_event(tx, id)?;
    if event.resolved_on.is_some() {
        return Err(Error::Conflict(format!(
            "adverse event {id} is already resolved"
        )));
    }
    if resolved_on > today {
        return Err(Error::invalid(
            "resolved_on",
            format!("resolution date {resolved_on} is in the future"),
        ));
    }
    if resolved_on < event.started_on {
        return Err(Error::invalid(
            "resolved_on",
            "it cannot resolve before it started",
        ));
    }
    tx.execute(
        "UPDATE adverse_event SET resolved_on = ?2, outcome = ?3 WHERE id = ?1",
        &[&id, &resolved_on, &outcome.trim()],
    )?;
    audit::record(
        tx,
        now,
        "resolve",
        "adverse_event",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get_event(tx, id)
}

fn event_from_row(row: &Row) -> Result<AdverseEvent> {
    let id: AdverseEventId = row.get(0)?;
    let severity: String = row.get(5)?;
    Ok(AdverseEvent {
        id,
        client_id: row.get(1)?,
        session_id: row.get(2)?,
        started_on: row.get(3)?,
        description: row.get(4)?,
        severity: Severity::from_record(&severity, format_args!("adverse event {id}"))?,
        resolved_on: row.get(6)?,
        outcome: row.get(7)?,
    })
}

const EVENT_COLUMNS: &str =
    "id, client_id, session_id, started_on, description, severity, resolved_on, outcome";

pub fn get_event<'c>(conn: impl Into<Db<'c>>, id: AdverseEventId) -> Result<AdverseEvent> {
    let conn = conn.into();
    conn.query_one(
        &format!("SELECT {EVENT_COLUMNS} FROM adverse_event WHERE id = ?1"),
        &[&id],
        &format!("adverse event {id}"),
        event_from_row,
    )
}

/// A client's adverse events, oldest first.
pub fn list_events<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Vec<AdverseEvent>> {
    let conn = conn.into();
    conn.query_map(
        &format!(
            "SELECT {EVENT_COLUMNS} FROM adverse_event WHERE client_id = ?1 ORDER BY started_on, created_at"
        ),
        &[&client_id],
        event_from_row,
    )
}
