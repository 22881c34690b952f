//! Actions for following a client's progress: the timeline, outcome
//! scores, follow-up visits and adverse events.

use chrono::NaiveDate;

pub use crate::followup::NewAdverseEvent;
use crate::followup::{self, AdverseEvent, FollowUp};
use crate::ids::{AdverseEventId, ClientId, FollowUpId, ScoreId};
pub use crate::outcome::NewScore;
use crate::outcome::{self, OutcomeScore, ScaleInfo, ALL_SCALES};
use crate::timeline::{self, Timeline};
use crate::Result;

use super::{Ctx, Permission};

/// The client's timeline as of today.
pub fn client_timeline(ctx: &Ctx<'_>, client_id: ClientId) -> Result<Timeline> {
    ctx.require(Permission::ReadClinical)?;
    ctx.clinic
        .read(|conn| timeline::build(conn, client_id, ctx.today()))
}

/// The clinical scales with their ranges and labels.
pub fn list_scales() -> Vec<ScaleInfo> {
    ALL_SCALES.iter().map(|s| s.info()).collect()
}

pub fn add_score(ctx: &Ctx<'_>, input: &NewScore) -> Result<OutcomeScore> {
    ctx.require(Permission::EditClinical)?;
    let id: ScoreId = ctx.id();
    ctx.write(|tx| outcome::add(tx, id, input, ctx.today(), ctx.now()))
}

pub fn add_follow_up(
    ctx: &Ctx<'_>,
    client_id: ClientId,
    visited_on: NaiveDate,
    notes: &str,
) -> Result<FollowUp> {
    ctx.require(Permission::EditClinical)?;
    let id: FollowUpId = ctx.id();
    ctx.write(|tx| {
        followup::add_visit(tx, id, client_id, visited_on, notes, ctx.today(), ctx.now())
    })
}

pub fn report_adverse_event(ctx: &Ctx<'_>, input: &NewAdverseEvent) -> Result<AdverseEvent> {
    ctx.require(Permission::EditClinical)?;
    let id: AdverseEventId = ctx.id();
    ctx.write(|tx| followup::report_event(tx, id, input, ctx.today(), ctx.now()))
}

pub fn resolve_adverse_event(
    ctx: &Ctx<'_>,
    id: AdverseEventId,
    resolved_on: NaiveDate,
    outcome: &str,
) -> Result<AdverseEvent> {
    ctx.require(Permission::EditClinical)?;
    ctx.write(|tx| followup::resolve_event(tx, id, resolved_on, outcome, ctx.today(), ctx.now()))
}
