//! Actions on treatment sessions: read, preview the care warnings, record,
//! edit, sign and amend.

use crate::ids::{AmendmentId, ClientId, PlanId, PractitionerId, SessionId};
use crate::plan::{self, TreatmentPlan};
use crate::session::{self, SessionDraft, TreatmentSession};
use crate::warnings::{CareWarning, WarningOverride};
use crate::{Error, Result};

use super::{accounts, Ctx, Permission};

pub fn get_session(ctx: &Ctx<'_>, id: SessionId) -> Result<TreatmentSession> {
    ctx.require(Permission::ReadClinical)?;
    ctx.clinic.read(|conn| session::get(conn, id))
}

/// A client's sessions, oldest first.
pub fn list_sessions(ctx: &Ctx<'_>, client_id: ClientId) -> Result<Vec<TreatmentSession>> {
    ctx.require(Permission::ReadClinical)?;
    ctx.clinic.read(|conn| {
        crate::client::get(conn, client_id)?;
        session::list(conn, client_id)
    })
}

/// Which plan a new session follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanChoice {
    /// The client's open plan, if there is one (the default).
    Open,
    /// No plan: a session outside any course.
    None,
    /// This plan.
    Plan(PlanId),
}

/// The plan a new session for the client follows unless told otherwise:
/// the client's open plan.
pub fn default_session_plan(ctx: &Ctx<'_>, client_id: ClientId) -> Result<Option<TreatmentPlan>> {
    ctx.require(Permission::ReadClinical)?;
    ctx.clinic.read(|conn| {
        crate::client::get(conn, client_id)?;
        plan::active(conn, client_id)
    })
}

/// An empty session for the client, starting now (local time), under the
/// chosen plan.
pub fn blank_draft(
    ctx: &Ctx<'_>,
    client_id: ClientId,
    practitioner_id: PractitionerId,
    plan: PlanChoice,
) -> Result<SessionDraft> {
    ctx.require(Permission::EditClinical)?;
    let plan_id = match plan {
        PlanChoice::None => None,
        PlanChoice::Plan(id) => Some(id),
        PlanChoice::Open => default_session_plan(ctx, client_id)?.map(|p| p.id),
    };
    Ok(SessionDraft {
        client_id,
        practitioner_id,
        started_at: ctx.clock.local_now().to_rfc3339(),
        plan_id,
        device_id: None,
        cartridge: None,
        anaesthetic: None,
        zones: Vec::new(),
        products: Vec::new(),
        endpoint: None,
        pain: None,
        immediate_reaction: String::new(),
        adverse_events: String::new(),
        aftercare: String::new(),
        notes: String::new(),
    })
}

/// The care warnings a draft raises, before anything is saved; `editing`
/// is the session being changed, if any.
pub fn preview_session(
    ctx: &Ctx<'_>,
    draft: &SessionDraft,
    editing: Option<SessionId>,
) -> Result<Vec<CareWarning>> {
    ctx.require(Permission::EditClinical)?;
    ctx.clinic
        .read(|conn| session::preview(conn, draft, editing, ctx.now()))
}

/// `given` reasons, plus `proceed_reason` for every warning the draft
/// raises that has none yet.
pub fn answer_warnings(
    ctx: &Ctx<'_>,
    draft: &SessionDraft,
    editing: Option<SessionId>,
    given: Vec<WarningOverride>,
    proceed_reason: Option<&str>,
) -> Result<Vec<WarningOverride>> {
    ctx.require(Permission::EditClinical)?;
    let Some(reason) = proceed_reason else {
        return Ok(given);
    };
    let raised = preview_session(ctx, draft, editing)?;
    Ok(crate::warnings::answer_all(&raised, given, reason))
}

pub fn create_session(
    ctx: &Ctx<'_>,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
) -> Result<TreatmentSession> {
    ctx.require(Permission::EditClinical)?;
    let id: SessionId = ctx.id();
    ctx.write(|tx| session::create(tx, id, draft, overrides, ctx.now()))
}

/// Saves changes to an unsigned session. `seen` is the session's
/// `updated_at` when the form was filled: when someone has changed it
/// since, nothing is saved and the conflict names them.
pub fn update_session(
    ctx: &Ctx<'_>,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    seen: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<TreatmentSession> {
    ctx.require(Permission::EditClinical)?;
    ctx.write(|tx| {
        if let Some(seen) = seen {
            let current = session::get(tx, id)?.updated_at;
            let what = "this session";
            crate::audit::unchanged_since(
                tx,
                "session",
                &id.to_string(),
                what,
                seen,
                current,
                ctx.now(),
            )?;
        }
        session::update(tx, id, draft, overrides, ctx.now())
    })
}

/// Signs a session, locking it. A signed-in person signs their own
/// sessions (as the practitioner their account treats as), confirming with
/// their PIN; the signature records the account and the hash of the
/// content. A clinic without accounts signs as `by` (default: the treating
/// practitioner).
pub fn sign_session(
    ctx: &Ctx<'_>,
    id: SessionId,
    by: Option<PractitionerId>,
    pin: Option<&str>,
) -> Result<TreatmentSession> {
    ctx.require(Permission::SignSessions)?;
    let account = match ctx.actor.account() {
        Some(account) => {
            let (mine, session) = ctx.clinic.read(|conn| {
                let mine = crate::account::get(conn, account)?.practitioner_id;
                Ok((mine, session::get(conn, id)?))
            })?;
            if mine != Some(session.practitioner_id) || by.is_some_and(|by| Some(by) != mine) {
                return Err(Error::Forbidden(format!(
                    "sessions are signed by the practitioner who treated ({}), signed in as \
                     themselves",
                    session.practitioner
                )));
            }
            accounts::confirm_signature(ctx, pin)?;
            Some(account)
        }
        None => None,
    };
    ctx.write(|tx| {
        let practitioner = match by {
            Some(by) => by,
            None => session::get(tx, id)?.practitioner_id,
        };
        let rule = crate::settings::get(tx)?.cosign;
        let signer = session::Signer {
            practitioner,
            account,
        };
        session::sign(tx, id, signer, rule, ctx.now())
    })
}

/// Co-signs a session that waits for it (a reviewer or the owner), with
/// their PIN.
pub fn cosign_session(ctx: &Ctx<'_>, id: SessionId, pin: &str) -> Result<TreatmentSession> {
    ctx.require(Permission::CoSign)?;
    let Some(account) = ctx.actor.account() else {
        return Err(Error::Conflict(
            "a co-signature names a person: sign in to co-sign".to_owned(),
        ));
    };
    accounts::confirm_signature(ctx, Some(pin))?;
    ctx.write(|tx| session::cosign(tx, id, account, ctx.now()))
}

/// Signed sessions waiting for a co-signature, oldest first.
pub fn sessions_to_cosign(ctx: &Ctx<'_>) -> Result<Vec<TreatmentSession>> {
    ctx.require(Permission::CoSign)?;
    ctx.clinic.read(|conn| {
        session::awaiting_cosign(conn)?
            .into_iter()
            .map(|id| session::get(conn, id))
            .collect()
    })
}

/// A signed session as a draft to amend, with the reasons already on record.
pub fn amendment_draft(
    ctx: &Ctx<'_>,
    id: SessionId,
) -> Result<(SessionDraft, Vec<WarningOverride>)> {
    ctx.require(Permission::EditClinical)?;
    let current = get_session(ctx, id)?;
    Ok((
        session::to_draft(&current),
        session::recorded_overrides(&current),
    ))
}

/// Amends a signed session: the change is kept beside the original with
/// its reason.
pub fn amend_session(
    ctx: &Ctx<'_>,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    reason: &str,
    pin: Option<&str>,
) -> Result<TreatmentSession> {
    ctx.require(Permission::EditClinical)?;
    accounts::confirm_signature(ctx, pin)?;
    let amendment: AmendmentId = ctx.id();
    let by = ctx.actor.account();
    ctx.write(|tx| session::amend(tx, (amendment, by), id, draft, overrides, reason, ctx.now()))
}
