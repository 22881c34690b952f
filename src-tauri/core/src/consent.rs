//! Consents: treatment, clinical photos and marketing photos, each given
//! separately with a drawn signature and each revocable.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::client;
use crate::db::{Db, Row};
use crate::ids::{ClientId, ConsentId};
use crate::store::format_instant;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    Treatment,
    ClinicalPhotos,
    MarketingPhotos,
}

text_enum! {
    ConsentKind, field "kind", called "consent kind" {
        Treatment = "treatment",
        ClinicalPhotos = "clinical_photos",
        MarketingPhotos = "marketing_photos",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Consent {
    pub id: ConsentId,
    pub client_id: ClientId,
    pub kind: ConsentKind,
    pub template_version: String,
    pub given_on: NaiveDate,
    /// The drawn signature as SVG path data (`M x y L x y …`), or a typed
    /// name for consents taken on the command line.
    pub signature: String,
    pub revoked_on: Option<NaiveDate>,
    pub revoke_reason: Option<String>,
}

impl Consent {
    /// Whether the consent holds on `on`.
    pub fn active_on(&self, on: NaiveDate) -> bool {
        self.given_on <= on && self.revoked_on.is_none_or(|r| r > on)
    }
}

const MAX_SIGNATURE: usize = 200_000;

/// A consent as the form or the command line gives it.
#[derive(Debug, Clone)]
pub struct NewConsent {
    pub client_id: ClientId,
    pub kind: ConsentKind,
    pub given_on: NaiveDate,
    /// SVG path data of the drawn signature, or a typed name.
    pub signature: String,
}

/// Records a consent under the consent template `template_version`.
pub fn add<'c>(
    tx: impl Into<Db<'c>>,
    id: ConsentId,
    input: &NewConsent,
    template_version: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Consent> {
    let tx = tx.into();
    let (client_id, kind, given_on, signature) = (
        input.client_id,
        input.kind,
        input.given_on,
        input.signature.as_str(),
    );
    client::get(tx, client_id)?;
    if given_on > today {
        return Err(Error::invalid(
            "given_on",
            format!("consent date {given_on} is in the future"),
        ));
    }
    let signature = signature.trim();
    if signature.is_empty() {
        return Err(Error::invalid("signature", "the consent has no signature"));
    }
    if signature.len() > MAX_SIGNATURE {
        return Err(Error::invalid(
            "signature",
            "the signature drawing is too large",
        ));
    }
    if template_version.trim().is_empty() {
        return Err(Error::invalid(
            "template_version",
            "the consent template version is empty",
        ));
    }
    tx.execute(
        "INSERT INTO consent (id, client_id, kind, template_version, given_on, signature, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[&id, &client_id, &kind.as_str(), &template_version.trim(), &given_on, &signature, &format_instant(now)],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "consent",
        &id.to_string(),
        &serde_json::json!({ "client_id": client_id.to_string(), "kind": kind.as_str() }),
    )?;
    get(tx, id)
}

/// Revokes a consent from `on`; the record stays.
pub fn revoke<'c>(
    tx: impl Into<Db<'c>>,
    id: ConsentId,
    on: NaiveDate,
    reason: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Consent> {
    let tx = tx.into();
    let consent = get(tx, id)?;
    if consent.revoked_on.is_some() {
        return Err(Error::Conflict(format!("consent {id} is already revoked")));
    }
    if on > today {
        return Err(Error::invalid(
            "revoked_on",
            format!("revocation date {on} is in the future"),
        ));
    }
    if on < consent.given_on {
        return Err(Error::invalid(
            "revoked_on",
            format!("revocation date {on} is before the consent was given"),
        ));
    }
    tx.execute(
        "UPDATE consent SET revoked_on = ?2, revoke_reason = ?3 WHERE id = ?1",
        &[&id, &on, &reason.trim()],
    )?;
    audit::record(
        tx,
        now,
        "revoke",
        "consent",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get(tx, id)
}

fn from_row(row: &Row) -> Result<Consent> {
    let id: ConsentId = row.get(0)?;
    let kind: String = row.get(2)?;
    Ok(Consent {
        id,
        client_id: row.get(1)?,
        kind: ConsentKind::from_record(&kind, format_args!("consent {id}"))?,
        template_version: row.get(3)?,
        given_on: row.get(4)?,
        signature: row.get(5)?,
        revoked_on: row.get(6)?,
        revoke_reason: row.get(7)?,
    })
}

const COLUMNS: &str =
    "id, client_id, kind, template_version, given_on, signature, revoked_on, revoke_reason";

pub fn get<'c>(conn: impl Into<Db<'c>>, id: ConsentId) -> Result<Consent> {
    let conn = conn.into();
    conn.query_one(
        &format!("SELECT {COLUMNS} FROM consent WHERE id = ?1"),
        &[&id],
        &format!("consent {id}"),
        from_row,
    )
}

/// Every consent of a client, newest first.
pub fn list<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Vec<Consent>> {
    let conn = conn.into();
    conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM consent WHERE client_id = ?1 ORDER BY given_on DESC, created_at DESC"
        ),
        &[&client_id],
        from_row,
    )
}

/// Whether the client has a consent of `kind` in force on `on`.
pub fn holds<'c>(
    conn: impl Into<Db<'c>>,
    client_id: ClientId,
    kind: ConsentKind,
    on: NaiveDate,
) -> Result<bool> {
    Ok(list(conn, client_id)?
        .iter()
        .any(|c| c.kind == kind && c.active_on(on)))
}
