//! Consultation and treatment plan: the client's goals, the skin assessment,
//! and the course (zones, target depths, sessions, interval) that sessions
//! follow and count against.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::client;
use crate::db::{Db, Row};
use crate::depth::NeedleDepth;
use crate::ids::{ClientId, PlanId};
use crate::settings::ClinicSettings;
use crate::store::format_instant;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedZone {
    pub zone: String,
    pub target_depth: NeedleDepth,
}

/// What the practitioner writes at the consultation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanInput {
    pub created_on: NaiveDate,
    pub goals: String,
    pub concerns: String,
    pub skin_assessment: String,
    pub zones: Vec<PlannedZone>,
    pub sessions_planned: u32,
    pub interval_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TreatmentPlan {
    pub id: PlanId,
    pub client_id: ClientId,
    pub created_on: NaiveDate,
    pub goals: String,
    pub concerns: String,
    pub skin_assessment: String,
    pub zones: Vec<PlannedZone>,
    pub sessions_planned: u32,
    pub interval_days: u32,
    pub closed: bool,
    /// How many sessions have been recorded under this plan.
    pub sessions_done: u32,
}

/// Records a plan; an earlier open plan of the client is closed.
pub fn add<'c>(
    tx: impl Into<Db<'c>>,
    id: PlanId,
    client_id: ClientId,
    input: &PlanInput,
    settings: &ClinicSettings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<TreatmentPlan> {
    let tx = tx.into();
    client::get(tx, client_id)?;
    if input.created_on > today {
        return Err(Error::invalid(
            "created_on",
            format!("plan date {} is in the future", input.created_on),
        ));
    }
    if !(1..=20).contains(&input.sessions_planned) {
        return Err(Error::invalid(
            "sessions_planned",
            format!(
                "a course of {} sessions is not possible; plan 1 to 20",
                input.sessions_planned
            ),
        ));
    }
    if !(1..=365).contains(&input.interval_days) {
        return Err(Error::invalid(
            "interval_days",
            format!(
                "an interval of {} days is not possible; use 1 to 365",
                input.interval_days
            ),
        ));
    }
    if input.zones.is_empty() {
        return Err(Error::invalid("zones", "the plan names no zone"));
    }
    for zone in &input.zones {
        if settings.zone(&zone.zone).is_none() {
            return Err(Error::invalid(
                "zones",
                format!("{:?} is not one of the clinic's zones", zone.zone),
            ));
        }
    }
    tx.execute(
        "UPDATE treatment_plan SET closed = 1 WHERE client_id = ?1 AND closed = 0",
        &[&client_id],
    )?;
    tx.execute(
        "INSERT INTO treatment_plan (id, client_id, created_on, goals, concerns, skin_assessment, zones,
                                     sessions_planned, interval_days, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        &[
            &id,
            &client_id,
            &input.created_on,
            &input.goals.trim(),
            &input.concerns.trim(),
            &input.skin_assessment.trim(),
            &serde_json::to_string(&input.zones).expect("zones serialise"),
            &input.sessions_planned,
            &input.interval_days,
            &format_instant(now),
        ],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "treatment_plan",
        &id.to_string(),
        &serde_json::json!({ "client_id": client_id.to_string() }),
    )?;
    get(tx, id)
}

fn from_row(row: &Row) -> Result<TreatmentPlan> {
    let id: PlanId = row.get(0)?;
    let zones: String = row.get(6)?;
    Ok(TreatmentPlan {
        id,
        client_id: row.get(1)?,
        created_on: row.get(2)?,
        goals: row.get(3)?,
        concerns: row.get(4)?,
        skin_assessment: row.get(5)?,
        zones: crate::store::read_json(&zones, format_args!("plan {id}"), "zones")?,
        sessions_planned: row.get(7)?,
        interval_days: row.get(8)?,
        closed: row.get(9)?,
        sessions_done: row.get(10)?,
    })
}

const SELECT: &str =
    "SELECT p.id, p.client_id, p.created_on, p.goals, p.concerns, p.skin_assessment, p.zones,
        p.sessions_planned, p.interval_days, p.closed,
        (SELECT count(*) FROM treatment_session s WHERE s.plan_id = p.id)
 FROM treatment_plan p";

pub fn get<'c>(conn: impl Into<Db<'c>>, id: PlanId) -> Result<TreatmentPlan> {
    let conn = conn.into();
    conn.query_one(
        &format!("{SELECT} WHERE p.id = ?1"),
        &[&id],
        &format!("treatment plan {id}"),
        from_row,
    )
}

/// Every plan of a client, newest first.
pub fn list<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Vec<TreatmentPlan>> {
    let conn = conn.into();
    conn.query_map(
        &format!("{SELECT} WHERE p.client_id = ?1 ORDER BY p.created_on DESC, p.created_at DESC"),
        &[&client_id],
        from_row,
    )
}

/// The client's open plan, if any.
pub fn active<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Option<TreatmentPlan>> {
    Ok(list(conn, client_id)?.into_iter().find(|p| !p.closed))
}
