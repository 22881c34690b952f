//! Reading sessions: one complete session, or a client's sessions read
//! set-wise (one query per kind of detail, each device, lot and plan once).

use super::*;

pub(super) const COLUMNS: &str =
    "s.id, s.client_id, s.practitioner_id, p.name, s.started_at, s.local_date,
    s.plan_id, s.device_id, s.cartridge_lot_id, s.anaesthetic, s.anaesthetic_lot_id,
    s.anaesthetic_applied, s.anaesthetic_removed, s.endpoint, s.pain, s.immediate_reaction,
    s.adverse_events, s.aftercare, s.notes, s.signed_at, s.signed_by, s.created_at, s.updated_at,
    s.signed_by_account, (SELECT name FROM account WHERE id = s.signed_by_account), s.signed_hash,
    s.cosign_required, s.cosigned_at, s.cosigned_by_account,
    (SELECT name FROM account WHERE id = s.cosigned_by_account), s.cosigned_hash";

pub(super) struct Row {
    pub(super) session: TreatmentSession,
    pub(super) device_id: Option<DeviceId>,
    pub(super) cartridge: Option<LotId>,
    pub(super) anaesthetic_lot: Option<LotId>,
}

pub(super) fn from_row(row: &crate::db::Row) -> Result<Row> {
    let text_instant = |i: usize| -> Result<DateTime<Utc>> { read_instant(&row.get::<String>(i)?) };
    let id: SessionId = row.get(0)?;
    let damaged = |e: Error| e.in_record(format!("session {id}"));
    let endpoint: Option<String> = row.get(13)?;
    let anaesthetic: Option<String> = row.get(9)?;
    let signed_at: Option<String> = row.get(19)?;
    let signed_at_instant = signed_at.map(|t| read_instant(&t)).transpose()?;
    let stored_time = |i: usize, what: &str| -> Result<Option<String>> {
        let text: Option<String> = row.get(i)?;
        if let Some(t) = &text {
            NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| {
                damaged(Error::Damaged(format!(
                    "the anaesthetic's {what} time {t:?} is not HH:MM"
                )))
            })?;
        }
        Ok(text)
    };
    Ok(Row {
        device_id: row.get(7)?,
        cartridge: row.get(8)?,
        anaesthetic_lot: row.get(10)?,
        session: TreatmentSession {
            id,
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
            anaesthetic: match anaesthetic {
                Some(product) => Some(Anaesthetic {
                    product,
                    lot: None,
                    applied_at: stored_time(11, "applied")?,
                    removed_at: stored_time(12, "removed")?,
                }),
                None => None,
            },
            zones: Vec::new(),
            products: Vec::new(),
            endpoint: endpoint
                .map(|e| Endpoint::from_record(&e, format_args!("session {id}")))
                .transpose()?,
            pain: row.get(14)?,
            immediate_reaction: row.get(15)?,
            adverse_events: row.get(16)?,
            aftercare: row.get(17)?,
            notes: row.get(18)?,
            warnings: Vec::new(),
            signed_at: signed_at_instant,
            signed_by: row.get(20)?,
            signature: signature(row, 23, signed_at_instant)?,
            cosign_required: row.get(26)?,
            cosignature: match row.get::<Option<String>>(27)? {
                Some(at) => signature(row, 28, Some(read_instant(&at)?))?,
                None => None,
            },
            amendments: Vec::new(),
            created_at: text_instant(21)?,
            updated_at: text_instant(22)?,
        },
    })
}

/// The signature whose account id, name and hash start at column `first`,
/// made at `at`.
fn signature(
    row: &crate::db::Row,
    first: usize,
    at: Option<DateTime<Utc>>,
) -> Result<Option<Signature>> {
    let account: Option<AccountId> = row.get(first)?;
    Ok(match (account, at) {
        (Some(account_id), Some(at)) => Some(Signature {
            account_id,
            account_name: row.get(first + 1)?,
            at,
            content_hash: row.get(first + 2)?,
        }),
        _ => None,
    })
}

/// One session, complete.
pub fn get<'c>(conn: impl Into<Db<'c>>, id: SessionId) -> Result<TreatmentSession> {
    let conn = conn.into();
    let row = conn.query_one(
        &format!(
            "SELECT {COLUMNS} FROM treatment_session s JOIN practitioner p ON p.id = s.practitioner_id
                 WHERE s.id = ?1"
        ),
        &[&id],
        &format!("session {id}"),
        from_row,
    )?;
    let mut lookups = Lookups::new(conn)?;
    let mut children = children(conn, "session_id = ?1", &id)?;
    let mut s = complete(&mut lookups, row, children.remove(&id).unwrap_or_default())?;
    if let Some(plan_id) = s.plan_id {
        let position: u32 = conn.query_one(
            "SELECT count(*) FROM treatment_session WHERE plan_id = ?1 AND started_at <= ?2",
            &[&plan_id, &format_instant(s.started_at)],
            "the course position",
            |row| row.get(0),
        )?;
        s.course_position = Some(position);
        s.course_length = Some(lookups.plan_length(plan_id)?);
    }
    Ok(s)
}

/// A client's sessions, oldest first. Read set-wise: one query per kind of
/// detail for all the sessions, and each device, lot and plan read once.
pub fn list<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Vec<TreatmentSession>> {
    let conn = conn.into();
    client::get(conn, client_id)?;
    let rows = conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM treatment_session s JOIN practitioner p ON p.id = s.practitioner_id
         WHERE s.client_id = ?1 ORDER BY s.started_at, s.id"
        ),
        &[&client_id],
        from_row,
    )?;
    let mut lookups = Lookups::new(conn)?;
    lookups.prefetch_lots_of(client_id)?;
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
pub(super) struct Lookups<'c> {
    pub(super) conn: Db<'c>,
    pub(super) settings: ClinicSettings,
    pub(super) devices: HashMap<DeviceId, Device>,
    pub(super) lots: HashMap<LotId, LotRef>,
    pub(super) plans: HashMap<PlanId, u32>,
}

impl<'c> Lookups<'c> {
    fn new(conn: Db<'c>) -> Result<Self> {
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

    /// Reads every lot `client_id`'s sessions used in one statement: on a
    /// clinic server each lookup of its own would be a round trip.
    fn prefetch_lots_of(&mut self, client_id: ClientId) -> Result<()> {
        let lots = self.conn.query_map(
            &format!(
                "{} WHERE l.id IN (
                     SELECT cartridge_lot_id FROM treatment_session WHERE client_id = ?1
                     UNION SELECT anaesthetic_lot_id FROM treatment_session WHERE client_id = ?1
                     UNION SELECT sp.lot_id FROM session_product sp
                           JOIN treatment_session s ON s.id = sp.session_id
                           WHERE s.client_id = ?1)",
                catalogue::LOT_REF
            ),
            &[&client_id],
            catalogue::lot_ref_row,
        )?;
        for lot in lots {
            self.lots.insert(lot.lot_id, lot);
        }
        Ok(())
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
        let length: u32 = self.conn.query_one(
            "SELECT sessions_planned FROM treatment_plan WHERE id = ?1",
            &[&id],
            &format!("plan {id}"),
            |row| row.get(0),
        )?;
        self.plans.insert(id, length);
        Ok(length)
    }
}

/// One treated zone as stored (`session_zone`).
pub(super) struct StoredZone {
    pub(super) zone: String,
    pub(super) depth_um: u32,
    pub(super) passes: u32,
    pub(super) technique: String,
}

/// What a session row is completed with, from its child tables.
#[derive(Default)]
pub(super) struct Children {
    /// (zone key, depth in µm, passes, technique), in order.
    pub(super) zones: Vec<StoredZone>,
    /// (lot, phase), in order.
    pub(super) products: Vec<(LotId, String)>,
    pub(super) warnings: Vec<RecordedWarning>,
    pub(super) amendments: Vec<Amendment>,
}

/// The child rows of the sessions `filter` picks (a condition on
/// `session_id` with one parameter), by session.
pub(super) fn children(
    conn: Db<'_>,
    filter: &str,
    param: &dyn ToValue,
) -> Result<HashMap<SessionId, Children>> {
    let mut out: HashMap<SessionId, Children> = HashMap::new();
    let rows = conn.query(
        &format!(
            "SELECT session_id, zone, depth_um, passes, technique FROM session_zone
         WHERE {filter} ORDER BY session_id, ordinal"
        ),
        &[param],
    )?;
    for row in &rows {
        out.entry(row.get(0)?).or_default().zones.push(StoredZone {
            zone: row.get(1)?,
            depth_um: row.get(2)?,
            passes: row.get(3)?,
            technique: row.get(4)?,
        });
    }
    let rows = conn.query(
        &format!(
            "SELECT session_id, lot_id, phase FROM session_product
         WHERE {filter} ORDER BY session_id, ordinal"
        ),
        &[param],
    )?;
    for row in &rows {
        out.entry(row.get(0)?)
            .or_default()
            .products
            .push((row.get(1)?, row.get(2)?));
    }
    let rows = conn.query(
        &format!(
            "SELECT session_id, rule, zone, message, reason FROM session_warning
         WHERE {filter} ORDER BY session_id, ordinal"
        ),
        &[param],
    )?;
    for row in &rows {
        let session: SessionId = row.get(0)?;
        let rule: String = row.get(1)?;
        let rule = WarningRule::from_stored(&rule)
            .map_err(|e| e.in_record(format!("session {session}")))?;
        out.entry(session)
            .or_default()
            .warnings
            .push(RecordedWarning {
                rule,
                subject: row.get::<Option<String>>(2)?.unwrap_or_default(),
                message: row.get(3)?,
                reason: row.get(4)?,
            });
    }
    // Amendments made in the same millisecond: in the order they were made,
    // which is the rowid on SQLite; PostgreSQL's table has no rowid, and
    // the id (a UUID v7, time-ordered) stands in.
    let made = match conn.engine() {
        Engine::Sqlite => "rowid",
        Engine::Postgres => "id",
    };
    let rows = conn.query(
        &format!(
            "SELECT session_id, id, at, reason, changed,
                (SELECT name FROM account WHERE id = by_account)
         FROM session_amendment
         WHERE {filter} ORDER BY session_id, at, {made}"
        ),
        &[param],
    )?;
    for row in &rows {
        let session: SessionId = row.get(0)?;
        let id: AmendmentId = row.get(1)?;
        let changed: String = row.get(4)?;
        let changes = serde_json::from_str(&changed).map_err(|e| {
            Error::Damaged(format!(
                "session {session}: the list of changes of amendment {id} cannot be read ({e})"
            ))
        })?;
        out.entry(session).or_default().amendments.push(Amendment {
            id,
            at: read_instant(&row.get::<String>(2)?)?,
            reason: row.get(3)?,
            changes,
            by: row.get(5)?,
        });
    }
    Ok(out)
}

/// A session row with its device, lots, zones, products, warnings and
/// amendments filled in (the course position is the caller's).
pub(super) fn complete(
    lookups: &mut Lookups<'_>,
    row: Row,
    details: Children,
) -> Result<TreatmentSession> {
    let mut s = row.session;
    s.device = row.device_id.map(|id| lookups.device(id)).transpose()?;
    s.cartridge = row.cartridge.map(|id| lookups.lot(id)).transpose()?;
    if let (Some(a), Some(lot)) = (s.anaesthetic.as_mut(), row.anaesthetic_lot) {
        a.lot = Some(lookups.lot(lot)?);
    }
    for StoredZone {
        zone: key,
        depth_um: um,
        passes,
        technique,
    } in details.zones
    {
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
            phase: Phase::from_stored(&phase)
                .map_err(|e| e.in_record(format!("session {}", s.id)))?,
        });
    }
    s.warnings = details.warnings;
    s.amendments = details.amendments;
    Ok(s)
}
