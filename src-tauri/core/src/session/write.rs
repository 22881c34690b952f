//! Writing sessions: record, edit while unsigned, sign (which locks), and
//! amend a signed one with a reason kept beside it.

use super::*;

/// Whether [`write_content`] adds a session or replaces one's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Writing {
    /// A new session: its row is inserted.
    New,
    /// A stored session (unsigned, or being amended): its row is updated
    /// and its zones, products and warnings replaced.
    Replacing,
}

/// Writes the draft's content into session `id` and stores the warnings
/// with their reasons.
pub(super) fn write_content(
    tx: Db<'_>,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    now: DateTime<Utc>,
    writing: Writing,
) -> Result<()> {
    let checked = check(tx, draft, Some(id), now)?;
    let found = warnings_for(tx, draft, &checked, Some(id))?;
    let missing = warnings::unanswered(&found, overrides);
    if !missing.is_empty() {
        let list: Vec<&str> = missing.iter().map(|w| w.message.as_str()).collect();
        return Err(Error::invalid(
            "warnings",
            format!(
                "{} care warning{} need{} a reason to proceed: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                if missing.len() == 1 { "s" } else { "" },
                list.join("; ")
            ),
        ));
    }
    let cartridge = draft
        .cartridge
        .as_ref()
        .map(|c| catalogue::resolve_lot(tx, &c.product, ProductKind::Cartridge, &c.lot, now))
        .transpose()?;
    let anaesthetic_lot = match &draft.anaesthetic {
        Some(AnaestheticInput {
            product,
            lot: Some(lot),
            ..
        }) if !lot.trim().is_empty() => Some(catalogue::resolve_lot(
            tx,
            product,
            ProductKind::Anaesthetic,
            lot,
            now,
        )?),
        _ => None,
    };
    let started_utc = checked.started_at.with_timezone(&Utc);
    let values: &[&dyn ToValue] = &[
        &id,
        &draft.client_id,
        &draft.practitioner_id,
        &draft.plan_id,
        &format_instant(started_utc),
        &checked.date,
        &draft.device_id,
        &cartridge.as_ref().map(|l| l.lot_id),
        &draft
            .anaesthetic
            .as_ref()
            .map(|a| a.product.trim().to_owned()),
        &anaesthetic_lot.as_ref().map(|l| l.lot_id),
        &draft
            .anaesthetic
            .as_ref()
            .and_then(|a| a.applied_at.clone())
            .filter(|t| !t.trim().is_empty()),
        &draft
            .anaesthetic
            .as_ref()
            .and_then(|a| a.removed_at.clone())
            .filter(|t| !t.trim().is_empty()),
        &draft.endpoint.map(Endpoint::as_str),
        &draft.pain,
        &draft.immediate_reaction.trim(),
        &draft.adverse_events.trim(),
        &draft.aftercare.trim(),
        &draft.notes.trim(),
        &format_instant(now),
    ];
    if writing == Writing::Replacing {
        tx.execute(
            "UPDATE treatment_session SET client_id = ?2, practitioner_id = ?3, plan_id = ?4,
                started_at = ?5, local_date = ?6, device_id = ?7, cartridge_lot_id = ?8,
                anaesthetic = ?9, anaesthetic_lot_id = ?10, anaesthetic_applied = ?11,
                anaesthetic_removed = ?12, endpoint = ?13, pain = ?14, immediate_reaction = ?15,
                adverse_events = ?16, aftercare = ?17, notes = ?18, updated_at = ?19
             WHERE id = ?1",
            values,
        )?;
        for table in ["session_zone", "session_product", "session_warning"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE session_id = ?1"),
                &[&id],
            )?;
        }
    } else {
        tx.execute(
            "INSERT INTO treatment_session (id, client_id, practitioner_id, plan_id, started_at,
                local_date, device_id, cartridge_lot_id, anaesthetic, anaesthetic_lot_id,
                anaesthetic_applied, anaesthetic_removed, endpoint, pain, immediate_reaction,
                adverse_events, aftercare, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18, ?19, ?19)",
            values,
        )?;
    }
    for (ordinal, z) in checked.zones.iter().enumerate() {
        tx.execute(
            "INSERT INTO session_zone (session_id, ordinal, zone, depth_um, passes, technique)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                &id,
                &ordinal,
                &z.zone,
                &z.depth.micrometres(),
                &z.passes,
                &z.technique,
            ],
        )?;
    }
    for (ordinal, p) in draft.products.iter().enumerate() {
        let lot = catalogue::resolve_lot(tx, &p.product, ProductKind::Serum, &p.lot, now)?;
        tx.execute(
            "INSERT INTO session_product (session_id, ordinal, lot_id, phase) VALUES (?1, ?2, ?3, ?4)",
            &[&id, &ordinal, &lot.lot_id, &p.phase.as_str()],
        )?;
    }
    for (ordinal, w) in found.iter().enumerate() {
        let reason = overrides
            .iter()
            .find(|o| o.rule == w.rule && o.subject == w.subject && !o.reason.trim().is_empty())
            .map(|o| o.reason.trim().to_owned())
            .unwrap_or_default();
        tx.execute(
            "INSERT INTO session_warning (session_id, ordinal, rule, zone, message, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                &id,
                &ordinal,
                &w.rule.as_str(),
                &w.subject,
                &w.message,
                &reason,
            ],
        )?;
    }
    Ok(())
}

/// Records a new session. Every care warning it raises must be answered by
/// an override with a reason, or nothing is stored.
pub fn create<'c>(
    tx: impl Into<Db<'c>>,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
    let tx = tx.into();
    write_content(tx, id, draft, overrides, now, Writing::New)?;
    audit::record(
        tx,
        now,
        "create",
        "session",
        &id.to_string(),
        &serde_json::json!({ "client_id": draft.client_id.to_string() }),
    )?;
    get(tx, id)
}

pub(super) fn locked(session: &TreatmentSession) -> Error {
    Error::Locked(format!(
        "this session was signed on {} and is locked; record an amendment with a reason instead",
        session
            .signed_at
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    ))
}

/// Changes an unsigned session. A signed one is refused as locked.
pub fn update<'c>(
    tx: impl Into<Db<'c>>,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
    let tx = tx.into();
    let before = get(tx, id)?;
    if before.signed_at.is_some() {
        return Err(locked(&before));
    }
    if draft.client_id != before.client_id {
        return Err(Error::invalid(
            "client_id",
            "a session cannot move to another client",
        ));
    }
    write_content(tx, id, draft, overrides, now, Writing::Replacing)?;
    audit::record(
        tx,
        now,
        "update",
        "session",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get(tx, id)
}

/// Who signs a session: the practitioner who treated, and the account
/// signing (None for a clinic without accounts).
#[derive(Debug, Clone, Copy)]
pub struct Signer {
    pub practitioner: PractitionerId,
    pub account: Option<AccountId>,
}

/// Signs a session: from now on it changes only through amendments. The
/// signature records the account and the hash of the content it covers;
/// under `cosign` the session then waits for a second signature.
pub fn sign<'c>(
    tx: impl Into<Db<'c>>,
    id: SessionId,
    signer: Signer,
    cosign: CosignRule,
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
    let tx = tx.into();
    let session = get(tx, id)?;
    if session.signed_at.is_some() {
        return Err(Error::Conflict(format!("session {id} is already signed")));
    }
    let practitioner = practitioner::get(tx, signer.practitioner)?;
    let hash = content_hash(&session);
    let cosign_required = signer.account.is_some() && cosign.applies(practitioner.prescriber);
    tx.execute(
        "UPDATE treatment_session SET signed_at = ?2, signed_by = ?3, signed_by_account = ?4,
                signed_hash = ?5, cosign_required = ?6
         WHERE id = ?1",
        &[
            &id,
            &format_instant(now),
            &signer.practitioner,
            &signer.account,
            &signer.account.map(|_| hash.as_str()),
            &cosign_required,
        ],
    )?;
    audit::record(
        tx,
        now,
        "sign",
        "session",
        &id.to_string(),
        &serde_json::json!({ "by": signer.practitioner.to_string(), "content": hash }),
    )?;
    get(tx, id)
}

/// Co-signs a signed session that waits for it, by an account other than
/// the one that signed.
pub fn cosign<'c>(
    tx: impl Into<Db<'c>>,
    id: SessionId,
    account: AccountId,
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
    let tx = tx.into();
    let session = get(tx, id)?;
    if !session.cosign_required {
        return Err(Error::Conflict(format!(
            "session {id} does not wait for a co-signature"
        )));
    }
    if let Some(done) = &session.cosignature {
        return Err(Error::Conflict(format!(
            "session {id} was already co-signed by {}",
            done.account_name
        )));
    }
    if session.signature.as_ref().map(|s| s.account_id) == Some(account) {
        return Err(Error::Forbidden(
            "a co-signature comes from someone other than the person who signed".to_owned(),
        ));
    }
    let hash = content_hash(&session);
    tx.execute(
        "UPDATE treatment_session SET cosigned_at = ?2, cosigned_by_account = ?3,
                cosigned_hash = ?4
         WHERE id = ?1",
        &[&id, &format_instant(now), &account, &hash],
    )?;
    audit::record(
        tx,
        now,
        "cosign",
        "session",
        &id.to_string(),
        &serde_json::json!({ "content": hash }),
    )?;
    get(tx, id)
}

/// Signed sessions still waiting for a co-signature, oldest first.
pub fn awaiting_cosign<'c>(conn: impl Into<Db<'c>>) -> Result<Vec<SessionId>> {
    conn.into().query_map(
        "SELECT id FROM treatment_session
         WHERE cosign_required = 1 AND cosigned_at IS NULL
         ORDER BY started_at",
        &[],
        |row| row.get(0),
    )
}

/// The SHA-256 (hex) of what a signature covers: the session's clinical
/// content, without its signatures, history, edit times or its place in
/// the course (which later sessions change).
pub fn content_hash(s: &TreatmentSession) -> String {
    use sha2::{Digest, Sha256};
    let covered = TreatmentSession {
        amendments: Vec::new(),
        signed_at: None,
        signed_by: None,
        signature: None,
        cosign_required: false,
        cosignature: None,
        course_position: None,
        course_length: None,
        updated_at: s.created_at,
        ..s.clone()
    };
    let json = serde_json::to_vec(&covered).expect("a session serialises");
    crate::hex::encode(&Sha256::digest(json))
}

/// Amends a signed session: the new content replaces the current one, and
/// an amendment with the reason and the before/after record is kept.
///
/// `by` is the account amending (None for a clinic without accounts); the
/// amendment keeps the hash of the content it leaves.
pub fn amend<'c>(
    tx: impl Into<Db<'c>>,
    (id, by): (AmendmentId, Option<AccountId>),
    session_id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    reason: &str,
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
    let tx = tx.into();
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reason", "an amendment needs a reason"));
    }
    let before = get(tx, session_id)?;
    if before.signed_at.is_none() {
        return Err(Error::Conflict(format!(
            "session {session_id} is not signed yet; edit it directly"
        )));
    }
    if draft.client_id != before.client_id {
        return Err(Error::invalid(
            "client_id",
            "a session cannot move to another client",
        ));
    }
    write_content(tx, session_id, draft, overrides, now, Writing::Replacing)?;
    let after = get(tx, session_id)?;
    let changes = describe_changes(&before, &after);
    if changes.is_empty() {
        return Err(Error::invalid("reason", "the amendment changes nothing"));
    }
    tx.execute(
        "INSERT INTO session_amendment (id, session_id, at, reason, changed, before, after,
                                        by_account, signed_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            &id,
            &session_id,
            &format_instant(now),
            &reason,
            &serde_json::to_string(&changes).expect("strings serialise"),
            &serde_json::to_string(&content(&before)).expect("session serialises"),
            &serde_json::to_string(&content(&after)).expect("session serialises"),
            &by,
            &by.map(|_| content_hash(&after)),
        ],
    )?;
    audit::record(
        tx,
        now,
        "amend",
        "session",
        &session_id.to_string(),
        &serde_json::json!({ "amendment": id.to_string() }),
    )?;
    get(tx, session_id)
}

/// The clinical content of a session, without its history.
pub(super) fn content(s: &TreatmentSession) -> TreatmentSession {
    TreatmentSession {
        amendments: Vec::new(),
        ..s.clone()
    }
}
