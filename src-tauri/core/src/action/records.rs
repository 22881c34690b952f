//! Actions on the clinical record around the sessions: medical-history
//! screening, consents and treatment plans. The clinic's settings they
//! depend on (questions, consent version) are read inside the same
//! transaction as the write, so a change of settings cannot slip between.

use chrono::NaiveDate;

pub use crate::consent::NewConsent;
use crate::consent::{self, Consent};
use crate::ids::{ClientId, ConsentId, PlanId, ScreeningId};
use crate::plan::{self, PlanInput, TreatmentPlan};
pub use crate::screening::NewScreening;
use crate::screening::{self, Screening};
use crate::settings::{self, ScreeningQuestion};
use crate::Result;

use super::{Ctx, Permission};

pub fn add_screening(ctx: &Ctx<'_>, input: &NewScreening) -> Result<Screening> {
    ctx.require(Permission::EditClinical)?;
    let id: ScreeningId = ctx.id();
    ctx.write(|tx| {
        let settings = settings::get(tx)?;
        screening::add(tx, id, input, &settings, ctx.today(), ctx.now())
    })
}

/// The clinic's screening questions, in order.
pub fn screening_questions(ctx: &Ctx<'_>) -> Result<Vec<ScreeningQuestion>> {
    ctx.require(Permission::ReadCatalogue)?;
    ctx.clinic
        .read(|conn| Ok(settings::get(conn)?.screening_questions))
}

/// Records a consent under the clinic's current consent template version.
pub fn add_consent(ctx: &Ctx<'_>, input: &NewConsent) -> Result<Consent> {
    ctx.require(Permission::ManageConsents)?;
    let id: ConsentId = ctx.id();
    ctx.write(|tx| {
        let version = settings::get(tx)?.consent_template_version;
        consent::add(tx, id, input, &version, ctx.today(), ctx.now())
    })
}

pub fn revoke_consent(
    ctx: &Ctx<'_>,
    id: ConsentId,
    revoked_on: NaiveDate,
    reason: &str,
) -> Result<Consent> {
    ctx.require(Permission::ManageConsents)?;
    ctx.write(|tx| consent::revoke(tx, id, revoked_on, reason, ctx.today(), ctx.now()))
}

/// A client's screenings, newest first.
pub fn list_screenings(ctx: &Ctx<'_>, client_id: ClientId) -> Result<Vec<Screening>> {
    ctx.require(Permission::ReadClinical)?;
    ctx.clinic.read(|conn| {
        crate::client::get(conn, client_id)?;
        screening::list(conn, client_id)
    })
}

/// A client's consents, newest first.
pub fn list_consents(ctx: &Ctx<'_>, client_id: ClientId) -> Result<Vec<Consent>> {
    ctx.require(Permission::ManageConsents)?;
    ctx.clinic.read(|conn| {
        crate::client::get(conn, client_id)?;
        consent::list(conn, client_id)
    })
}

/// Starts a treatment plan (closing the client's open one).
pub fn add_plan(ctx: &Ctx<'_>, client_id: ClientId, input: &PlanInput) -> Result<TreatmentPlan> {
    ctx.require(Permission::EditClinical)?;
    let id: PlanId = ctx.id();
    ctx.write(|tx| {
        let settings = settings::get(tx)?;
        plan::add(tx, id, client_id, input, &settings, ctx.today(), ctx.now())
    })
}

/// A client's plans, newest first.
pub fn list_plans(ctx: &Ctx<'_>, client_id: ClientId) -> Result<Vec<TreatmentPlan>> {
    ctx.require(Permission::ReadClinical)?;
    ctx.clinic.read(|conn| {
        crate::client::get(conn, client_id)?;
        plan::list(conn, client_id)
    })
}
