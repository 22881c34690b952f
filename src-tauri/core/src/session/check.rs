//! Checking a session draft: every value in range, the lots and device it
//! names, and the care warnings it raises (what `preview` shows).

use super::*;

pub(super) const MAX_TEXT: usize = 10_000;

/// One treated zone that passed the checks.
pub(super) struct CheckedZone {
    /// The clinic's zone key.
    pub(super) zone: String,
    pub(super) depth: NeedleDepth,
    pub(super) passes: u32,
    pub(super) technique: String,
}

/// A draft that passed every check, with its lots still as typed.
pub(super) struct Checked {
    pub(super) started_at: DateTime<FixedOffset>,
    /// The clinic's calendar date of the session.
    pub(super) date: NaiveDate,
    pub(super) zones: Vec<CheckedZone>,
    pub(super) settings: ClinicSettings,
    pub(super) device: Option<Device>,
}

pub(super) fn parse_time(field: &str, text: &Option<String>) -> Result<Option<NaiveTime>> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
            .map(Some)
            .map_err(|_| Error::invalid(field, format!("{t:?} is not a time; write it as HH:MM"))),
    }
}

pub(super) fn check(
    conn: Db<'_>,
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
        Some(id) => conn.query_opt(
            "SELECT started_at, local_date FROM treatment_session WHERE id = ?1",
            &[&id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?,
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
        zones.push(CheckedZone {
            zone: z.zone.clone(),
            depth,
            passes: z.passes,
            technique: z.technique.trim().to_owned(),
        });
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
pub(super) fn find_lot(
    conn: Db<'_>,
    input: &LotInput,
    kind: ProductKind,
) -> Result<Option<LotRef>> {
    let id: Option<LotId> = conn.query_opt(
        &format!(
            "SELECT l.id FROM lot l JOIN product p ON p.id = l.product_id
             WHERE {} AND {}
             ORDER BY p.kind = ?2 DESC LIMIT 1",
            conn.same_text("p.name", "?1"),
            conn.same_text("l.lot_number", "?3")
        ),
        &[&input.product.trim(), &kind.as_str(), &input.lot.trim()],
        |row| row.get(0),
    )?;
    id.map(|id| catalogue::lot_ref(conn, id)).transpose()
}

/// Every lot a draft uses, as far as the catalogue knows them.
pub(super) fn known_lots(conn: Db<'_>, draft: &SessionDraft) -> Result<Vec<LotRef>> {
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

pub(super) fn warnings_for(
    conn: Db<'_>,
    draft: &SessionDraft,
    checked: &Checked,
    this: Option<SessionId>,
) -> Result<Vec<CareWarning>> {
    let date = checked.date;
    let screening = screening::latest(conn, draft.client_id, date)?;
    let at = format_instant(checked.started_at.with_timezone(&Utc));
    let neighbour = |sql: &str| -> Result<Option<NaiveDate>> {
        conn.query_opt(sql, &[&draft.client_id, &at, &this], |row| row.get(0))
    };
    // `IS NOT` compares with NULL as a value on SQLite; PostgreSQL spells
    // it `IS DISTINCT FROM`.
    let not_this = match conn.engine() {
        Engine::Sqlite => "id IS NOT ?3",
        Engine::Postgres => "id IS DISTINCT FROM ?3",
    };
    let previous = neighbour(&format!(
        "SELECT local_date FROM treatment_session
         WHERE client_id = ?1 AND started_at <= ?2 AND {not_this}
         ORDER BY started_at DESC LIMIT 1"
    ))?;
    let next = neighbour(&format!(
        "SELECT local_date FROM treatment_session
         WHERE client_id = ?1 AND started_at > ?2 AND {not_this}
         ORDER BY started_at LIMIT 1"
    ))?;
    let consent = consent::holds(conn, draft.client_id, ConsentKind::Treatment, date)?;
    let zones: Vec<(String, NeedleDepth)> = checked
        .zones
        .iter()
        .map(|z| (z.zone.clone(), z.depth))
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
pub fn preview<'c>(
    conn: impl Into<Db<'c>>,
    draft: &SessionDraft,
    this: Option<SessionId>,
    now: DateTime<Utc>,
) -> Result<Vec<CareWarning>> {
    let conn = conn.into();
    let checked = check(conn, draft, this, now)?;
    warnings_for(conn, draft, &checked, this)
}
