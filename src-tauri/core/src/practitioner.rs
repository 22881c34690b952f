//! Practitioners: the people who treat clients and sign their records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::{Db, Row};
use crate::ids::PractitionerId;
use crate::store::{format_instant, read_instant};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Practitioner {
    pub id: PractitionerId,
    pub name: String,
    /// Qualifications as printed on reports, e.g. "RN, Aesthetic Nurse".
    pub credentials: String,
    /// May prescribe; a clinic can ask others' sessions to be co-signed.
    pub prescriber: bool,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
}

fn from_row(row: &Row) -> Result<Practitioner> {
    Ok(Practitioner {
        id: row.get(0)?,
        name: row.get(1)?,
        credentials: row.get(2)?,
        archived: row.get(3)?,
        created_at: read_instant(&row.get::<String>(4)?)?,
        prescriber: row.get(5)?,
    })
}

/// Adds a practitioner to the clinic.
pub fn create<'c>(
    tx: impl Into<Db<'c>>,
    id: PractitionerId,
    name: &str,
    credentials: &str,
    now: DateTime<Utc>,
) -> Result<Practitioner> {
    let tx = tx.into();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::invalid("name", "the practitioner's name is empty"));
    }
    tx.execute(
        "INSERT INTO practitioner (id, name, credentials, archived, created_at)
         VALUES (?1, ?2, ?3, 0, ?4)",
        &[&id, &name, &credentials.trim(), &format_instant(now)],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "practitioner",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get(tx, id)
}

/// Marks a practitioner as a prescriber, or not.
pub fn set_prescriber<'c>(
    tx: impl Into<Db<'c>>,
    id: PractitionerId,
    prescriber: bool,
) -> Result<()> {
    let tx = tx.into();
    get(tx, id)?;
    tx.execute(
        "UPDATE practitioner SET prescriber = ?2 WHERE id = ?1",
        &[&id, &prescriber],
    )?;
    Ok(())
}

pub fn get<'c>(conn: impl Into<Db<'c>>, id: PractitionerId) -> Result<Practitioner> {
    conn.into().query_one(
        "SELECT id, name, credentials, archived, created_at, prescriber FROM practitioner
         WHERE id = ?1",
        &[&id],
        &format!("practitioner {id}"),
        from_row,
    )
}

/// Every practitioner, active ones first, then by name.
pub fn list<'c>(conn: impl Into<Db<'c>>) -> Result<Vec<Practitioner>> {
    let conn = conn.into();
    conn.query_map(
        &format!(
            "SELECT id, name, credentials, archived, created_at, prescriber FROM practitioner
             ORDER BY archived, {}",
            conn.text_order("name")
        ),
        &[],
        from_row,
    )
}

/// A practitioner by id, or by name (ignoring case; a unique start of the
/// name is enough).
pub fn find<'c>(conn: impl Into<Db<'c>>, id_or_name: &str) -> Result<Practitioner> {
    let conn = conn.into();
    if let Ok(id) = id_or_name.parse::<PractitionerId>() {
        return get(conn, id);
    }
    let wanted = id_or_name.trim().to_lowercase();
    let all = list(conn)?;
    if let Some(exact) = all.iter().find(|p| p.name.to_lowercase() == wanted) {
        return Ok(exact.clone());
    }
    let matches: Vec<&Practitioner> = all
        .iter()
        .filter(|p| !wanted.is_empty() && p.name.to_lowercase().contains(&wanted))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::invalid(
            "practitioner",
            format!("no practitioner called {id_or_name:?}"),
        )),
        _ => Err(Error::invalid(
            "practitioner",
            format!("{id_or_name:?} matches more than one practitioner; give the full name"),
        )),
    }
}
