//! Who saw or changed what: a client's access report (what GDPR Art. 15
//! lets a client ask for) and an account's activity, both read from the
//! audit chain, with each event put in words.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::Db;
use crate::ids::{AccountId, ClientId};
use crate::store::read_instant;
use crate::Result;

/// One line of an access report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AccessEntry {
    /// The event's place in the audit chain.
    pub seq: u32,
    pub at: DateTime<Utc>,
    /// Who: an account's name, "workstation" (a clinic before accounts),
    /// or None for events from before Pinpoint named actors.
    pub who: Option<String>,
    /// What they did, in words ("opened the record", "signed a session").
    pub what: String,
    /// The kind of event as stored (`view`, `sign`, …).
    pub action: String,
    /// The kind of record it touched (`client`, `session`, …).
    pub entity: String,
}

/// The tables whose rows belong to one client, as the audit names them.
const CLIENT_PARTS: &[(&str, &str)] = &[
    ("session", "treatment_session"),
    ("photo", "photo"),
    ("consent", "consent"),
    ("screening", "screening"),
    ("treatment_plan", "treatment_plan"),
    ("follow_up", "follow_up"),
    ("adverse_event", "adverse_event"),
    ("outcome_score", "outcome_score"),
];

/// Every event about `client`: their record and everything in it, oldest
/// first.
pub fn for_client<'c>(conn: impl Into<Db<'c>>, client: ClientId) -> Result<Vec<AccessEntry>> {
    let conn = conn.into();
    crate::client::get(conn, client)?;
    let mut filter = String::from("(entity = 'client' AND entity_id = ?1)");
    for (entity, table) in CLIENT_PARTS {
        filter.push_str(&format!(
            " OR (entity = '{entity}' AND entity_id IN (SELECT id FROM {table} WHERE client_id = ?1))"
        ));
    }
    query(
        conn,
        &format!(
            "SELECT seq, at, actor_name, action, entity, detail FROM audit_event
             WHERE {filter} ORDER BY seq"
        ),
        &client.to_string(),
    )
}

/// What account `id` did, newest first (at most `limit` events).
pub fn for_account<'c>(
    conn: impl Into<Db<'c>>,
    id: AccountId,
    limit: u32,
) -> Result<Vec<AccessEntry>> {
    let conn = conn.into();
    crate::account::get(conn, id)?;
    query(
        conn,
        &format!(
            "SELECT seq, at, actor_name, action, entity, detail FROM audit_event
             WHERE actor_id = ?1 ORDER BY seq DESC LIMIT {limit}"
        ),
        &id.to_string(),
    )
}

fn query(conn: Db<'_>, sql: &str, param: &str) -> Result<Vec<AccessEntry>> {
    conn.query_map(sql, &[&param], |row| {
        let action: String = row.get(3)?;
        let entity: String = row.get(4)?;
        let detail: String = row.get(5)?;
        let detail: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
        Ok(AccessEntry {
            seq: row.get(0)?,
            at: read_instant(&row.get::<String>(1)?)?,
            who: row.get(2)?,
            what: describe(&action, &entity, &detail),
            action,
            entity,
        })
    })
}

/// An event in words.
pub fn describe(action: &str, entity: &str, detail: &serde_json::Value) -> String {
    let thing = match entity {
        "client" => "the client's details",
        "session" => "a treatment session",
        "photo" => "a photo",
        "consent" => "a consent",
        "screening" => "a medical screening",
        "treatment_plan" => "a treatment plan",
        "follow_up" => "a follow-up visit",
        "adverse_event" => "an adverse event",
        "outcome_score" => "an outcome score",
        "account" => "an account",
        "settings" => "the clinic's settings",
        "practitioner" => "a practitioner",
        "device" => "a device",
        "product" => "a product",
        "lot" => "a lot",
        "clinic" => "the whole clinic",
        other => other,
    };
    let document = detail
        .get("document")
        .and_then(|d| d.as_str())
        .unwrap_or("document")
        .replace('_', " ");
    match action {
        "view" if entity == "client" => "opened the record".to_owned(),
        "view_photos" => "viewed the photos".to_owned(),
        "compare" => "compared photos".to_owned(),
        "print" => format!("printed the {document}"),
        "export_record" => "exported the whole record (JSON and CSV)".to_owned(),
        "export_deidentified" => "exported de-identified photos".to_owned(),
        "export_photo" => "exported a photo's file".to_owned(),
        "backup" => "backed up the whole clinic".to_owned(),
        "restore" => "restored the whole clinic from a backup".to_owned(),
        "create" => format!("added {thing}"),
        "import" => "imported a photo".to_owned(),
        "update" => format!("changed {thing}"),
        "align" => "aligned a photo".to_owned(),
        "sign" => "signed a treatment session".to_owned(),
        "cosign" => "co-signed a treatment session".to_owned(),
        "amend" => "amended a signed treatment session".to_owned(),
        "revoke" => "revoked a consent".to_owned(),
        "resolve" => "resolved an adverse event".to_owned(),
        "archive" => "archived the client".to_owned(),
        "unarchive" => "brought the client back from the archive".to_owned(),
        "sign_in" => "signed in".to_owned(),
        "sign_in_refused" => "was refused a sign-in (wrong passphrase)".to_owned(),
        "resume" => "resumed a locked window with the PIN".to_owned(),
        "pin_refused" => "entered a wrong PIN".to_owned(),
        "passphrase" => "set a passphrase or PIN".to_owned(),
        "disable" => "disabled an account".to_owned(),
        "enable" => "enabled an account".to_owned(),
        other => format!("{other} {thing}"),
    }
}

/// The report as CSV: one line per event, with a header; formula-looking
/// cells are defused as in every export.
pub fn to_csv(entries: &[AccessEntry]) -> Result<Vec<u8>> {
    use crate::export::spreadsheet::{cell, csv_bytes};
    let rows = entries
        .iter()
        .map(|e| {
            vec![
                e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                cell(e.who.as_deref().unwrap_or("(not recorded)")),
                cell(&e.what),
                e.entity.clone(),
                e.seq.to_string(),
            ]
        })
        .collect();
    csv_bytes(&["when (UTC)", "who", "what", "record", "event"], rows)
}
