//! Lot recall: every client and session that used a given cartridge,
//! product or anaesthetic lot.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalogue::ProductKind;
use crate::db::{Db, Engine};
use crate::ids::{ClientId, SessionId};
use crate::Result;

/// How the lot was used in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LotUse {
    Cartridge,
    Anaesthetic,
    Product,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecallHit {
    pub client_id: ClientId,
    pub client_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub session_id: SessionId,
    pub session_date: NaiveDate,
    pub product: String,
    pub kind: ProductKind,
    pub lot_number: String,
    pub used_as: LotUse,
}

/// The query [`recall`] runs, `?1` being the lot number. It starts from the
/// lot (`lot_by_number_only`) and reaches each kind of use through that
/// use's lot index, so a recall is a few index lookups whatever the size of
/// the clinic. Public so the benchmark can time the same SQL in the `sqlite3`
/// shell.
pub const RECALL_SQL: &str = "WITH wanted AS (
         SELECT id FROM lot WHERE lot_number = ?1 COLLATE NOCASE
     ),
     uses (session_id, lot_id, used_as) AS (
         SELECT s.id, s.cartridge_lot_id, 'cartridge'
         FROM wanted w JOIN treatment_session s ON s.cartridge_lot_id = w.id
         UNION ALL
         SELECT s.id, s.anaesthetic_lot_id, 'anaesthetic'
         FROM wanted w JOIN treatment_session s ON s.anaesthetic_lot_id = w.id
         UNION ALL
         SELECT DISTINCT sp.session_id, sp.lot_id, 'product'
         FROM wanted w JOIN session_product sp ON sp.lot_id = w.id
     )
     SELECT c.id, c.name, c.phone, c.email, s.id, s.local_date, p.name, p.kind, l.lot_number, u.used_as
     FROM uses u
     JOIN lot l ON l.id = u.lot_id
     JOIN product p ON p.id = l.product_id
     JOIN treatment_session s ON s.id = u.session_id
     JOIN client c ON c.id = s.client_id
     ORDER BY s.started_at, c.name";

/// [`RECALL_SQL`] as `db` runs it: on PostgreSQL the lot number is
/// compared as `lower()` of both sides, which its `lot_by_number_only`
/// index is made on.
fn recall_sql(db: Db<'_>) -> Cow<'static, str> {
    const SQLITE_LOT: &str = "lot_number = ?1 COLLATE NOCASE";
    debug_assert!(RECALL_SQL.contains(SQLITE_LOT));
    match db.engine() {
        Engine::Sqlite => Cow::Borrowed(RECALL_SQL),
        Engine::Postgres => {
            Cow::Owned(RECALL_SQL.replacen(SQLITE_LOT, &db.same_text("lot_number", "?1"), 1))
        }
    }
}

/// Every use of lot number `lot_number` (any product, ignoring case), by
/// session date.
pub fn recall<'c>(conn: impl Into<Db<'c>>, lot_number: &str) -> Result<Vec<RecallHit>> {
    let conn = conn.into();
    conn.query_map(&recall_sql(conn), &[&lot_number.trim()], |row| {
        let kind: String = row.get(7)?;
        let used: String = row.get(9)?;
        Ok(RecallHit {
            client_id: row.get(0)?,
            client_name: row.get(1)?,
            phone: row.get(2)?,
            email: row.get(3)?,
            session_id: row.get(4)?,
            session_date: row.get(5)?,
            product: row.get(6)?,
            kind: match kind.as_str() {
                "cartridge" => ProductKind::Cartridge,
                "serum" => ProductKind::Serum,
                "anaesthetic" => ProductKind::Anaesthetic,
                "aftercare" => ProductKind::Aftercare,
                _ => ProductKind::Other,
            },
            lot_number: row.get(8)?,
            used_as: match used.as_str() {
                "cartridge" => LotUse::Cartridge,
                "anaesthetic" => LotUse::Anaesthetic,
                _ => LotUse::Product,
            },
        })
    })
}
