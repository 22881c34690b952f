//! Treatment sessions: what was done, to which zones, how deep, with what;
//! the care warnings and the reasons to proceed; signing that locks the
//! record, and amendments with a reason kept beside it.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::catalogue::{self, Device, LotRef, ProductKind};
use crate::client;
use crate::consent::{self, ConsentKind};
use crate::depth::NeedleDepth;
use crate::ids::{AmendmentId, ClientId, DeviceId, LotId, PlanId, PractitionerId, SessionId};
use crate::plan;
use crate::practitioner;
use crate::screening;
use crate::settings::{self, ClinicSettings};
use crate::store::{format_instant, parse_instant};
use crate::warnings::{self, CareWarning, Facts, WarningOverride, WarningRule};
use crate::{Error, Result};

/// When a product was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Before,
    During,
    After,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Before => "before",
            Phase::During => "during",
            Phase::After => "after",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "before" | "pre" => Ok(Phase::Before),
            "during" => Ok(Phase::During),
            "after" | "post" => Ok(Phase::After),
            other => Err(Error::invalid(
                "products",
                format!("product phase {other:?} should be before, during or after"),
            )),
        }
    }
}

/// The clinical endpoint reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// Even redness (erythema) across the zone.
    Erythema,
    /// Pinpoint bleeding.
    PinpointBleeding,
    /// Stopped before the intended endpoint.
    NotReached,
}

impl Endpoint {
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Erythema => "erythema",
            Endpoint::PinpointBleeding => "pinpoint_bleeding",
            Endpoint::NotReached => "not_reached",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "erythema" => Ok(Endpoint::Erythema),
            "pinpoint_bleeding" | "bleeding" => Ok(Endpoint::PinpointBleeding),
            "not_reached" | "none" => Ok(Endpoint::NotReached),
            other => Err(Error::invalid(
                "endpoint",
                format!("endpoint {other:?} should be erythema, pinpoint_bleeding or not_reached"),
            )),
        }
    }
}

/// A product and lot as typed: looked up in the catalogue, added when new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LotInput {
    pub product: String,
    pub lot: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AnaestheticInput {
    pub product: String,
    /// The lot, when recorded.
    pub lot: Option<String>,
    /// Local time `HH:MM`.
    pub applied_at: Option<String>,
    /// Local time `HH:MM`.
    pub removed_at: Option<String>,
}

/// One treated zone as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ZoneInput {
    /// A zone key from the clinic settings, e.g. `cheeks`.
    pub zone: String,
    pub depth_mm: f64,
    pub passes: u32,
    pub technique: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductInput {
    pub product: String,
    pub lot: String,
    pub phase: Phase,
}

/// A session as the practitioner fills it in, before it is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionDraft {
    pub client_id: ClientId,
    pub practitioner_id: PractitionerId,
    /// RFC 3339 with the clinic's UTC offset, e.g. `2026-11-25T10:30:00+01:00`.
    pub started_at: String,
    pub plan_id: Option<PlanId>,
    pub device_id: Option<DeviceId>,
    pub cartridge: Option<LotInput>,
    pub anaesthetic: Option<AnaestheticInput>,
    pub zones: Vec<ZoneInput>,
    pub products: Vec<ProductInput>,
    pub endpoint: Option<Endpoint>,
    /// 0 (none) to 10 (worst imaginable).
    pub pain: Option<u8>,
    pub immediate_reaction: String,
    pub adverse_events: String,
    pub aftercare: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TreatedZone {
    pub zone: String,
    pub zone_name: String,
    pub depth: NeedleDepth,
    pub passes: u32,
    pub technique: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductUse {
    pub lot: LotRef,
    pub phase: Phase,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Anaesthetic {
    pub product: String,
    pub lot: Option<LotRef>,
    pub applied_at: Option<String>,
    pub removed_at: Option<String>,
}

/// A warning shown when the session was saved, with the reason to proceed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecordedWarning {
    pub rule: WarningRule,
    pub subject: String,
    pub message: String,
    pub reason: String,
}

/// A change to a signed session, kept beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Amendment {
    pub id: AmendmentId,
    pub at: DateTime<Utc>,
    pub reason: String,
    /// What changed, in words, one line per part of the record, e.g.
    /// `zones: "Cheeks 1 mm × 3" → "Cheeks 1.25 mm × 3"`.
    pub changes: Vec<String>,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TreatmentSession {
    pub id: SessionId,
    pub client_id: ClientId,
    pub practitioner_id: PractitionerId,
    pub practitioner: String,
    pub started_at: DateTime<Utc>,
    /// The clinic's calendar date of the session.
    pub local_date: NaiveDate,
    pub plan_id: Option<PlanId>,
    /// n of N in the plan's course.
    pub course_position: Option<u32>,
    pub course_length: Option<u32>,
    pub device: Option<Device>,
    pub cartridge: Option<LotRef>,
    pub anaesthetic: Option<Anaesthetic>,
    pub zones: Vec<TreatedZone>,
    pub products: Vec<ProductUse>,
    pub endpoint: Option<Endpoint>,
    pub pain: Option<u8>,
    pub immediate_reaction: String,
    pub adverse_events: String,
    pub aftercare: String,
    pub notes: String,
    pub warnings: Vec<RecordedWarning>,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<PractitionerId>,
    pub amendments: Vec<Amendment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const MAX_TEXT: usize = 10_000;

/// A draft that passed every check, with its lots still as typed.
struct Checked {
    started_at: DateTime<FixedOffset>,
    /// The clinic's calendar date of the session.
    date: NaiveDate,
    zones: Vec<(String, NeedleDepth, u32, String)>,
    settings: ClinicSettings,
    device: Option<Device>,
}

fn parse_time(field: &str, text: &Option<String>) -> Result<Option<NaiveTime>> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
            .map(Some)
            .map_err(|_| Error::invalid(field, format!("{t:?} is not a time; write it as HH:MM"))),
    }
}

fn check(
    conn: &Connection,
    draft: &SessionDraft,
    this: Option<SessionId>,
    now: DateTime<Utc>,
) -> Result<Checked> {
    let settings = settings::get(conn)?;
    let started_at = DateTime::parse_from_rfc3339(draft.started_at.trim()).map_err(|_| {
        Error::invalid(
            "started_at",
            format!("{:?} is not a date and time (RFC 3339)", draft.started_at),
        )
    })?;
    if started_at.with_timezone(&Utc) > now + chrono::Duration::minutes(10) {
        return Err(Error::invalid(
            "started_at",
            format!(
                "session time {} is in the future",
                started_at.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    if started_at.date_naive() < NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid") {
        return Err(Error::invalid(
            "started_at",
            format!("session date {} is before 2000", started_at.date_naive()),
        ));
    }
    // An unchanged start keeps the date it was saved with: a draft from
    // `to_draft` carries the instant in UTC, which may fall on another
    // calendar day than the clinic's.
    let stored: Option<(String, NaiveDate)> = match this {
        Some(id) => conn
            .query_row(
                "SELECT started_at, local_date FROM treatment_session WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?,
        None => None,
    };
    let date = match stored {
        Some((at, date)) if at == format_instant(started_at.with_timezone(&Utc)) => date,
        _ => started_at.date_naive(),
    };
    client::get(conn, draft.client_id)?;
    practitioner::get(conn, draft.practitioner_id)
        .map_err(|_| Error::invalid("practitioner_id", "choose the practitioner who treated"))?;
    if let Some(plan_id) = draft.plan_id {
        let plan = plan::get(conn, plan_id)?;
        if plan.client_id != draft.client_id {
            return Err(Error::invalid(
                "plan_id",
                "the treatment plan belongs to another client",
            ));
        }
    }
    let device = draft
        .device_id
        .map(|id| catalogue::get_device(conn, id))
        .transpose()?;
    if draft.zones.is_empty() {
        return Err(Error::invalid("zones", "record at least one treated zone"));
    }
    let mut zones = Vec::with_capacity(draft.zones.len());
    for z in &draft.zones {
        let Some(guide) = settings.zone(&z.zone) else {
            return Err(Error::invalid(
                "zones",
                format!("{:?} is not one of the clinic's zones", z.zone),
            ));
        };
        let depth = NeedleDepth::from_mm(z.depth_mm)
            .map_err(|e| Error::invalid("zones", format!("{}: {e}", guide.name)))?;
        if !(1..=20).contains(&z.passes) {
            return Err(Error::invalid(
                "zones",
                format!(
                    "{}: {} passes is not possible; record 1 to 20",
                    guide.name, z.passes
                ),
            ));
        }
        zones.push((
            z.zone.clone(),
            depth,
            z.passes,
            z.technique.trim().to_owned(),
        ));
    }
    if let Some(pain) = draft.pain {
        if pain > 10 {
            return Err(Error::invalid(
                "pain",
                format!("pain {pain} is off the 0 to 10 scale"),
            ));
        }
    }
    if let Some(a) = &draft.anaesthetic {
        if a.product.trim().is_empty() {
            return Err(Error::invalid(
                "anaesthetic",
                "name the anaesthetic product",
            ));
        }
        let applied = parse_time("anaesthetic", &a.applied_at)?;
        let removed = parse_time("anaesthetic", &a.removed_at)?;
        if let (Some(applied), Some(removed)) = (applied, removed) {
            if removed < applied {
                return Err(Error::invalid(
                    "anaesthetic",
                    format!(
                        "the anaesthetic was removed ({removed}) before it was applied ({applied})"
                    ),
                ));
            }
        }
    }
    if let Some(c) = &draft.cartridge {
        if c.product.trim().is_empty() || c.lot.trim().is_empty() {
            return Err(Error::invalid(
                "cartridge",
                "a cartridge needs its name and lot number",
            ));
        }
    }
    for p in &draft.products {
        if p.product.trim().is_empty() || p.lot.trim().is_empty() {
            return Err(Error::invalid(
                "products",
                "each product needs its name and lot number",
            ));
        }
    }
    for (field, text) in [
        ("immediate_reaction", &draft.immediate_reaction),
        ("adverse_events", &draft.adverse_events),
        ("aftercare", &draft.aftercare),
        ("notes", &draft.notes),
    ] {
        if text.chars().count() > MAX_TEXT {
            return Err(Error::invalid(
                field,
                format!("longer than {MAX_TEXT} characters"),
            ));
        }
    }
    Ok(Checked {
        started_at,
        date,
        zones,
        settings,
        device,
    })
}

/// Looks a typed lot up without adding anything (for previews).
fn find_lot(conn: &Connection, input: &LotInput, kind: ProductKind) -> Result<Option<LotRef>> {
    let id: Option<LotId> = conn
        .query_row(
            "SELECT l.id FROM lot l JOIN product p ON p.id = l.product_id
             WHERE p.name = ?1 COLLATE NOCASE AND l.lot_number = ?3 COLLATE NOCASE
             ORDER BY p.kind = ?2 DESC LIMIT 1",
            params![input.product.trim(), kind.as_str(), input.lot.trim()],
            |row| row.get(0),
        )
        .optional()?;
    id.map(|id| catalogue::lot_ref(conn, id)).transpose()
}

/// Every lot a draft uses, as far as the catalogue knows them.
fn known_lots(conn: &Connection, draft: &SessionDraft) -> Result<Vec<LotRef>> {
    let mut lots = Vec::new();
    if let Some(c) = &draft.cartridge {
        lots.extend(find_lot(conn, c, ProductKind::Cartridge)?);
    }
    if let Some(a) = &draft.anaesthetic {
        if let Some(lot) = &a.lot {
            let input = LotInput {
                product: a.product.clone(),
                lot: lot.clone(),
            };
            lots.extend(find_lot(conn, &input, ProductKind::Anaesthetic)?);
        }
    }
    for p in &draft.products {
        let input = LotInput {
            product: p.product.clone(),
            lot: p.lot.clone(),
        };
        lots.extend(find_lot(conn, &input, ProductKind::Serum)?);
    }
    Ok(lots)
}

fn warnings_for(
    conn: &Connection,
    draft: &SessionDraft,
    checked: &Checked,
    this: Option<SessionId>,
) -> Result<Vec<CareWarning>> {
    let date = checked.date;
    let screening = screening::latest(conn, draft.client_id, date)?;
    let previous: Option<NaiveDate> = conn
        .query_row(
            "SELECT local_date FROM treatment_session
             WHERE client_id = ?1 AND started_at <= ?2 AND id IS NOT ?3
             ORDER BY started_at DESC LIMIT 1",
            params![
                draft.client_id,
                format_instant(checked.started_at.with_timezone(&Utc)),
                this
            ],
            |row| row.get(0),
        )
        .optional()?;
    let next: Option<NaiveDate> = conn
        .query_row(
            "SELECT local_date FROM treatment_session
             WHERE client_id = ?1 AND started_at > ?2 AND id IS NOT ?3
             ORDER BY started_at LIMIT 1",
            params![
                draft.client_id,
                format_instant(checked.started_at.with_timezone(&Utc)),
                this
            ],
            |row| row.get(0),
        )
        .optional()?;
    let consent = consent::holds(conn, draft.client_id, ConsentKind::Treatment, date)?;
    let zones: Vec<(String, NeedleDepth)> = checked
        .zones
        .iter()
        .map(|(zone, depth, _, _)| (zone.clone(), *depth))
        .collect();
    let lots = known_lots(conn, draft)?;
    Ok(warnings::evaluate(&Facts {
        settings: &checked.settings,
        session_date: date,
        screening: screening.as_ref(),
        previous_session: previous,
        next_session: next,
        treatment_consent: consent,
        device: checked.device.as_ref(),
        zones: &zones,
        lots: &lots,
    }))
}

/// Checks a draft and lists the care warnings it raises, writing nothing.
/// `this` is the session being edited, if any.
pub fn preview(
    conn: &Connection,
    draft: &SessionDraft,
    this: Option<SessionId>,
    now: DateTime<Utc>,
) -> Result<Vec<CareWarning>> {
    let checked = check(conn, draft, this, now)?;
    warnings_for(conn, draft, &checked, this)
}

/// Writes the draft's content into session `id` (new or existing, unsigned
/// or being amended) and returns the warnings with their reasons.
fn write_content(
    tx: &Transaction<'_>,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    now: DateTime<Utc>,
    existing: bool,
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
    let values = params![
        id,
        draft.client_id,
        draft.practitioner_id,
        draft.plan_id,
        format_instant(started_utc),
        checked.date,
        draft.device_id,
        cartridge.as_ref().map(|l| l.lot_id),
        draft
            .anaesthetic
            .as_ref()
            .map(|a| a.product.trim().to_owned()),
        anaesthetic_lot.as_ref().map(|l| l.lot_id),
        draft
            .anaesthetic
            .as_ref()
            .and_then(|a| a.applied_at.clone())
            .filter(|t| !t.trim().is_empty()),
        draft
            .anaesthetic
            .as_ref()
            .and_then(|a| a.removed_at.clone())
            .filter(|t| !t.trim().is_empty()),
        draft.endpoint.map(Endpoint::as_str),
        draft.pain,
        draft.immediate_reaction.trim(),
        draft.adverse_events.trim(),
        draft.aftercare.trim(),
        draft.notes.trim(),
        format_instant(now),
    ];
    if existing {
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
            tx.execute(&format!("DELETE FROM {table} WHERE session_id = ?1"), [id])?;
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
    for (ordinal, (zone, depth, passes, technique)) in checked.zones.iter().enumerate() {
        tx.execute(
            "INSERT INTO session_zone (session_id, ordinal, zone, depth_um, passes, technique)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, ordinal, zone, depth.micrometres(), passes, technique],
        )?;
    }
    for (ordinal, p) in draft.products.iter().enumerate() {
        let lot = catalogue::resolve_lot(tx, &p.product, ProductKind::Serum, &p.lot, now)?;
        tx.execute(
            "INSERT INTO session_product (session_id, ordinal, lot_id, phase) VALUES (?1, ?2, ?3, ?4)",
            params![id, ordinal, lot.lot_id, p.phase.as_str()],
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
            params![id, ordinal, w.rule.as_str(), w.subject, w.message, reason],
        )?;
    }
    Ok(())
}

/// Records a new session. Every care warning it raises must be answered by
/// an override with a reason, or nothing is stored.
pub fn create(
    tx: &Transaction<'_>,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
    write_content(tx, id, draft, overrides, now, false)?;
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

fn locked(session: &TreatmentSession) -> Error {
    Error::Locked(format!(
        "this session was signed on {} and is locked; record an amendment with a reason instead",
        session
            .signed_at
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    ))
}

/// Changes an unsigned session. A signed one is refused as locked.
pub fn update(
    tx: &Transaction<'_>,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
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
    write_content(tx, id, draft, overrides, now, true)?;
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

/// Signs a session: from now on it changes only through amendments.
pub fn sign(
    tx: &Transaction<'_>,
    id: SessionId,
    by: PractitionerId,
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
    let session = get(tx, id)?;
    if session.signed_at.is_some() {
        return Err(Error::Conflict(format!("session {id} is already signed")));
    }
    practitioner::get(tx, by)?;
    tx.execute(
        "UPDATE treatment_session SET signed_at = ?2, signed_by = ?3 WHERE id = ?1",
        params![id, format_instant(now), by],
    )?;
    audit::record(
        tx,
        now,
        "sign",
        "session",
        &id.to_string(),
        &serde_json::json!({ "by": by.to_string() }),
    )?;
    get(tx, id)
}

/// Amends a signed session: the new content replaces the current one, and
/// an amendment with the reason and the before/after record is kept.
pub fn amend(
    tx: &Transaction<'_>,
    id: AmendmentId,
    session_id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    reason: &str,
    now: DateTime<Utc>,
) -> Result<TreatmentSession> {
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
    write_content(tx, session_id, draft, overrides, now, true)?;
    let after = get(tx, session_id)?;
    let changes = describe_changes(&before, &after);
    if changes.is_empty() {
        return Err(Error::invalid("reason", "the amendment changes nothing"));
    }
    tx.execute(
        "INSERT INTO session_amendment (id, session_id, at, reason, changed, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            session_id,
            format_instant(now),
            reason,
            serde_json::to_string(&changes).expect("strings serialise"),
            serde_json::to_string(&content(&before)).expect("session serialises"),
            serde_json::to_string(&content(&after)).expect("session serialises"),
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
fn content(s: &TreatmentSession) -> TreatmentSession {
    TreatmentSession {
        amendments: Vec::new(),
        ..s.clone()
    }
}

fn or_none(text: &str) -> String {
    if text.is_empty() {
        "(none)".to_owned()
    } else {
        format!("{text:?}")
    }
}

/// What differs between two versions of a session, in words.
fn describe_changes(a: &TreatmentSession, b: &TreatmentSession) -> Vec<String> {
    let mut out = Vec::new();
    let mut text = |label: &str, x: &str, y: &str| {
        if x != y {
            out.push(format!("{label}: {} → {}", or_none(x), or_none(y)));
        }
    };
    text(
        "started",
        &a.started_at.to_rfc3339(),
        &b.started_at.to_rfc3339(),
    );
    text("practitioner", &a.practitioner, &b.practitioner);
    let course = |s: &TreatmentSession| match (s.plan_id, s.course_position, s.course_length) {
        (Some(_), Some(n), Some(of)) => format!("session {n} of {of}"),
        (Some(id), _, _) => format!("plan {id}"),
        _ => String::new(),
    };
    if a.plan_id != b.plan_id {
        // Two plans can read alike ("session 1 of 4"); say so by id then.
        let (x, y) = (course(a), course(b));
        if x == y {
            text(
                "treatment plan",
                &format!("{x} (plan {:?})", a.plan_id),
                &format!("{y} (plan {:?})", b.plan_id),
            );
        } else {
            text("treatment plan", &x, &y);
        }
    }
    let device = |s: &TreatmentSession| {
        s.device
            .as_ref()
            .map(|d| format!("{} {}", d.model, d.serial).trim().to_owned())
            .unwrap_or_default()
    };
    text("device", &device(a), &device(b));
    let lot = |l: &Option<LotRef>| {
        l.as_ref()
            .map(|l| format!("{} lot {}", l.product, l.lot_number))
            .unwrap_or_default()
    };
    text("cartridge", &lot(&a.cartridge), &lot(&b.cartridge));
    let anaesthetic = |s: &TreatmentSession| {
        s.anaesthetic
            .as_ref()
            .map(|x| {
                format!(
                    "{} {} {}–{}",
                    x.product,
                    x.lot.as_ref().map(|l| l.lot_number.as_str()).unwrap_or(""),
                    x.applied_at.as_deref().unwrap_or(""),
                    x.removed_at.as_deref().unwrap_or("")
                )
            })
            .unwrap_or_default()
    };
    text("anaesthetic", &anaesthetic(a), &anaesthetic(b));
    let zones = |s: &TreatmentSession| {
        s.zones
            .iter()
            .map(|z| {
                let technique = if z.technique.is_empty() {
                    String::new()
                } else {
                    format!(", {}", z.technique)
                };
                format!("{} {} × {}{technique}", z.zone_name, z.depth, z.passes)
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    text("zones", &zones(a), &zones(b));
    let products = |s: &TreatmentSession| {
        s.products
            .iter()
            .map(|p| {
                format!(
                    "{} lot {} ({})",
                    p.lot.product,
                    p.lot.lot_number,
                    p.phase.as_str()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    text("products", &products(a), &products(b));
    text(
        "endpoint",
        a.endpoint.map(Endpoint::as_str).unwrap_or(""),
        b.endpoint.map(Endpoint::as_str).unwrap_or(""),
    );
    text(
        "pain",
        &a.pain.map(|p| p.to_string()).unwrap_or_default(),
        &b.pain.map(|p| p.to_string()).unwrap_or_default(),
    );
    text(
        "immediate reaction",
        &a.immediate_reaction,
        &b.immediate_reaction,
    );
    text("adverse events", &a.adverse_events, &b.adverse_events);
    text("aftercare", &a.aftercare, &b.aftercare);
    text("notes", &a.notes, &b.notes);
    out
}

const COLUMNS: &str = "s.id, s.client_id, s.practitioner_id, p.name, s.started_at, s.local_date,
    s.plan_id, s.device_id, s.cartridge_lot_id, s.anaesthetic, s.anaesthetic_lot_id,
    s.anaesthetic_applied, s.anaesthetic_removed, s.endpoint, s.pain, s.immediate_reaction,
    s.adverse_events, s.aftercare, s.notes, s.signed_at, s.signed_by, s.created_at, s.updated_at";

struct Row {
    session: TreatmentSession,
    device_id: Option<DeviceId>,
    cartridge: Option<LotId>,
    anaesthetic_lot: Option<LotId>,
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let text_instant =
        |i: usize| -> rusqlite::Result<DateTime<Utc>> { parse_instant(&row.get::<_, String>(i)?) };
    let endpoint: Option<String> = row.get(13)?;
    let anaesthetic: Option<String> = row.get(9)?;
    let signed_at: Option<String> = row.get(19)?;
    Ok(Row {
        device_id: row.get(7)?,
        cartridge: row.get(8)?,
        anaesthetic_lot: row.get(10)?,
        session: TreatmentSession {
            id: row.get(0)?,
            client_id: row.get(1)?,
            practitioner_id: row.get(2)?,
            practitioner: row.get(3)?,
            started_at: text_instant(4)?,
            local_date: row.get(5)?,
            plan_id: row.get(6)?,
            course_position: None,
            course_length: None,
            device: None,
            cartridge: None,
            anaesthetic: anaesthetic.map(|product| Anaesthetic {
                product,
                lot: None,
                applied_at: row.get(11).ok().flatten(),
                removed_at: row.get(12).ok().flatten(),
            }),
            zones: Vec::new(),
            products: Vec::new(),
            endpoint: endpoint.and_then(|e| Endpoint::parse(&e).ok()),
            pain: row.get(14)?,
            immediate_reaction: row.get(15)?,
            adverse_events: row.get(16)?,
            aftercare: row.get(17)?,
            notes: row.get(18)?,
            warnings: Vec::new(),
            signed_at: signed_at.map(|t| parse_instant(&t)).transpose()?,
            signed_by: row.get(20)?,
            amendments: Vec::new(),
            created_at: text_instant(21)?,
            updated_at: text_instant(22)?,
        },
    })
}

/// One session, complete.
pub fn get(conn: &Connection, id: SessionId) -> Result<TreatmentSession> {
    let row = conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM treatment_session s JOIN practitioner p ON p.id = s.practitioner_id
                 WHERE s.id = ?1"
            ),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| Error::not_found(format!("session {id}")))?;
    let mut lookups = Lookups::new(conn)?;
    let mut children = children(conn, "session_id = ?1", &id)?;
    let mut s = complete(&mut lookups, row, children.remove(&id).unwrap_or_default())?;
    if let Some(plan_id) = s.plan_id {
        let position: u32 = conn.query_row(
            "SELECT count(*) FROM treatment_session WHERE plan_id = ?1 AND started_at <= ?2",
            params![plan_id, format_instant(s.started_at)],
            |row| row.get(0),
        )?;
        s.course_position = Some(position);
        s.course_length = Some(lookups.plan_length(plan_id)?);
    }
    Ok(s)
}

/// A client's sessions, oldest first. Read set-wise: one query per kind of
/// detail for all the sessions, and each device, lot and plan read once.
pub fn list(conn: &Connection, client_id: ClientId) -> Result<Vec<TreatmentSession>> {
    client::get(conn, client_id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM treatment_session s JOIN practitioner p ON p.id = s.practitioner_id
         WHERE s.client_id = ?1 ORDER BY s.started_at, s.id"
    ))?;
    let rows = stmt
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut lookups = Lookups::new(conn)?;
    let mut children = children(
        conn,
        "session_id IN (SELECT id FROM treatment_session WHERE client_id = ?1)",
        &client_id,
    )?;
    let mut sessions = rows
        .into_iter()
        .map(|row| {
            let details = children.remove(&row.session.id).unwrap_or_default();
            complete(&mut lookups, row, details)
        })
        .collect::<Result<Vec<_>>>()?;
    // n of N: a plan is one client's, so all its sessions are here.
    let starts: Vec<(Option<PlanId>, DateTime<Utc>)> =
        sessions.iter().map(|s| (s.plan_id, s.started_at)).collect();
    for s in &mut sessions {
        if let Some(plan_id) = s.plan_id {
            let position = starts
                .iter()
                .filter(|(plan, at)| *plan == Some(plan_id) && *at <= s.started_at)
                .count();
            s.course_position = Some(position as u32);
            s.course_length = Some(lookups.plan_length(plan_id)?);
        }
    }
    Ok(sessions)
}

/// Devices, lots and plan lengths read once per call, however many
/// sessions share them.
struct Lookups<'c> {
    conn: &'c Connection,
    settings: ClinicSettings,
    devices: HashMap<DeviceId, Device>,
    lots: HashMap<LotId, LotRef>,
    plans: HashMap<PlanId, u32>,
}

impl<'c> Lookups<'c> {
    fn new(conn: &'c Connection) -> Result<Self> {
        Ok(Lookups {
            conn,
            settings: settings::get(conn)?,
            devices: HashMap::new(),
            lots: HashMap::new(),
            plans: HashMap::new(),
        })
    }

    fn device(&mut self, id: DeviceId) -> Result<Device> {
        if let Some(device) = self.devices.get(&id) {
            return Ok(device.clone());
        }
        let device = catalogue::get_device(self.conn, id)?;
        self.devices.insert(id, device.clone());
        Ok(device)
    }

    fn lot(&mut self, id: LotId) -> Result<LotRef> {
        if let Some(lot) = self.lots.get(&id) {
            return Ok(lot.clone());
        }
        let lot = catalogue::lot_ref(self.conn, id)?;
        self.lots.insert(id, lot.clone());
        Ok(lot)
    }

    fn plan_length(&mut self, id: PlanId) -> Result<u32> {
        if let Some(length) = self.plans.get(&id) {
            return Ok(*length);
        }
        let length: u32 = self.conn.query_row(
            "SELECT sessions_planned FROM treatment_plan WHERE id = ?1",
            [id],
            |row| row.get(0),
        )?;
        self.plans.insert(id, length);
        Ok(length)
    }
}

/// What a session row is completed with, from its child tables.
#[derive(Default)]
struct Children {
    /// (zone key, depth in µm, passes, technique), in order.
    zones: Vec<(String, u32, u32, String)>,
    /// (lot, phase), in order.
    products: Vec<(LotId, String)>,
    warnings: Vec<RecordedWarning>,
    amendments: Vec<Amendment>,
}

/// The child rows of the sessions `filter` picks (a condition on
/// `session_id` with one parameter), by session.
fn children(
    conn: &Connection,
    filter: &str,
    param: &dyn rusqlite::ToSql,
) -> Result<HashMap<SessionId, Children>> {
    let mut out: HashMap<SessionId, Children> = HashMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT session_id, zone, depth_um, passes, technique FROM session_zone
         WHERE {filter} ORDER BY session_id, ordinal"
    ))?;
    let mut rows = stmt.query([param])?;
    while let Some(row) = rows.next()? {
        out.entry(row.get(0)?).or_default().zones.push((
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
        ));
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT session_id, lot_id, phase FROM session_product
         WHERE {filter} ORDER BY session_id, ordinal"
    ))?;
    let mut rows = stmt.query([param])?;
    while let Some(row) = rows.next()? {
        out.entry(row.get(0)?)
            .or_default()
            .products
            .push((row.get(1)?, row.get(2)?));
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT session_id, rule, zone, message, reason FROM session_warning
         WHERE {filter} ORDER BY session_id, ordinal"
    ))?;
    let mut rows = stmt.query([param])?;
    while let Some(row) = rows.next()? {
        let rule: String = row.get(1)?;
        out.entry(row.get(0)?)
            .or_default()
            .warnings
            .push(RecordedWarning {
                rule: WarningRule::parse(&rule).unwrap_or(WarningRule::Caution),
                subject: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                message: row.get(3)?,
                reason: row.get(4)?,
            });
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT session_id, id, at, reason, changed FROM session_amendment
         WHERE {filter} ORDER BY session_id, at, rowid"
    ))?;
    let mut rows = stmt.query([param])?;
    while let Some(row) = rows.next()? {
        let changed: String = row.get(4)?;
        out.entry(row.get(0)?)
            .or_default()
            .amendments
            .push(Amendment {
                id: row.get(1)?,
                at: parse_instant(&row.get::<_, String>(2)?)?,
                reason: row.get(3)?,
                changes: serde_json::from_str(&changed).unwrap_or_default(),
            });
    }
    Ok(out)
}

/// A session row with its device, lots, zones, products, warnings and
/// amendments filled in (the course position is the caller's).
fn complete(lookups: &mut Lookups<'_>, row: Row, details: Children) -> Result<TreatmentSession> {
    let mut s = row.session;
    s.device = row.device_id.map(|id| lookups.device(id)).transpose()?;
    s.cartridge = row.cartridge.map(|id| lookups.lot(id)).transpose()?;
    if let (Some(a), Some(lot)) = (s.anaesthetic.as_mut(), row.anaesthetic_lot) {
        a.lot = Some(lookups.lot(lot)?);
    }
    for (key, um, passes, technique) in details.zones {
        s.zones.push(TreatedZone {
            zone_name: lookups
                .settings
                .zone(&key)
                .map(|z| z.name.clone())
                .unwrap_or_else(|| key.clone()),
            zone: key,
            depth: NeedleDepth::from_micrometres(um)?,
            passes,
            technique,
        });
    }
    for (lot, phase) in details.products {
        s.products.push(ProductUse {
            lot: lookups.lot(lot)?,
            phase: Phase::parse(&phase)?,
        });
    }
    s.warnings = details.warnings;
    s.amendments = details.amendments;
    Ok(s)
}

/// The draft that reproduces a stored session, to start an edit or an
/// amendment from.
pub fn to_draft(s: &TreatmentSession) -> SessionDraft {
    SessionDraft {
        client_id: s.client_id,
        practitioner_id: s.practitioner_id,
        started_at: s.started_at.to_rfc3339(),
        plan_id: s.plan_id,
        device_id: s.device.as_ref().map(|d| d.id),
        cartridge: s.cartridge.as_ref().map(|l| LotInput {
            product: l.product.clone(),
            lot: l.lot_number.clone(),
        }),
        anaesthetic: s.anaesthetic.as_ref().map(|a| AnaestheticInput {
            product: a.product.clone(),
            lot: a.lot.as_ref().map(|l| l.lot_number.clone()),
            applied_at: a.applied_at.clone(),
            removed_at: a.removed_at.clone(),
        }),
        zones: s
            .zones
            .iter()
            .map(|z| ZoneInput {
                zone: z.zone.clone(),
                depth_mm: z.depth.mm(),
                passes: z.passes,
                technique: z.technique.clone(),
            })
            .collect(),
        products: s
            .products
            .iter()
            .map(|p| ProductInput {
                product: p.lot.product.clone(),
                lot: p.lot.lot_number.clone(),
                phase: p.phase,
            })
            .collect(),
        endpoint: s.endpoint,
        pain: s.pain,
        immediate_reaction: s.immediate_reaction.clone(),
        adverse_events: s.adverse_events.clone(),
        aftercare: s.aftercare.clone(),
        notes: s.notes.clone(),
    }
}

/// The overrides that carry a session's recorded reasons forward (for an
/// amendment that does not touch what raised them).
pub fn recorded_overrides(s: &TreatmentSession) -> Vec<WarningOverride> {
    s.warnings
        .iter()
        .map(|w| WarningOverride {
            rule: w.rule,
            subject: w.subject.clone(),
            reason: w.reason.clone(),
        })
        .collect()
}
