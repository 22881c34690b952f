//! The access report as PDF: every event about one client's record, who
//! did it and when, for the client who asks (GDPR Art. 15).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::engine::Document;
use super::{day, Prepared};
use crate::access_log::AccessEntry;
use crate::db::Db;
use crate::ids::ClientId;
use crate::{client, settings, Result};

const ACCESS_TEMPLATE: &str = include_str!("templates/access.typ");

#[derive(Serialize)]
struct AccessData {
    title: String,
    clinic: String,
    practitioners: String,
    footer: String,
    client: String,
    covers: String,
    explain: String,
    rows: Vec<AccessRow>,
}

#[derive(Serialize)]
struct AccessRow {
    at: String,
    who: String,
    what: String,
}

/// Reads what the access report of `client` shows, from `entries` (the
/// client's events, oldest first).
pub fn prepare_access_report<'c>(
    conn: impl Into<Db<'c>>,
    client_id: ClientId,
    entries: &[AccessEntry],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Prepared> {
    let conn = conn.into();
    let client = client::get(conn, client_id)?;
    let clinic = settings::get(conn)?;
    let covers = match (entries.first(), entries.last()) {
        (Some(first), Some(last)) => format!(
            "{} to {}",
            day(first.at.date_naive()),
            day(last.at.date_naive())
        ),
        _ => "no events yet".to_owned(),
    };
    let title = "Access report".to_owned();
    let data = AccessData {
        title: title.clone(),
        clinic: clinic.clinic_name.clone(),
        practitioners: String::new(),
        footer: format!(
            "{} · {} · printed {}",
            clinic.clinic_name,
            client.name,
            day(today)
        ),
        client: client.name.clone(),
        covers,
        explain: "Pinpoint records every time someone at the clinic opens, changes, prints \
                  or exports your record, under their own account. Times are UTC. Events \
                  from before the clinic had accounts name no person."
            .to_owned(),
        rows: entries
            .iter()
            .map(|e| AccessRow {
                at: e.at.format("%Y-%m-%d %H:%M").to_string(),
                who: e.who.clone().unwrap_or_else(|| "(not recorded)".to_owned()),
                what: e.what.clone(),
            })
            .collect(),
    };
    Ok(Prepared {
        doc: Document {
            template: ACCESS_TEMPLATE,
            data: serde_json::to_value(&data).expect("document data serialises"),
            files: Vec::new(),
            title: format!("{title}: {}", client.name),
        },
        now,
        photos: 0,
    })
}
