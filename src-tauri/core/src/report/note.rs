//! The one-page treatment note of a session (everything recorded, the care
//! warnings with the reasons to proceed, signature and amendments) and the
//! aftercare sheet the client takes home.

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::Serialize;

use super::engine::Document;
use super::progress::{phase_words, position};
use super::{day, fact, Prepared};
use crate::client::Client;
use crate::db::Db;
use crate::ids::SessionId;
use crate::session::{Endpoint, TreatmentSession};
use crate::settings::ClinicSettings;
use crate::{client, practitioner, session, settings, Result};

const NOTE_TEMPLATE: &str = include_str!("templates/note.typ");
const AFTERCARE_TEMPLATE: &str = include_str!("templates/aftercare.typ");

#[derive(Debug, Serialize)]
struct NoteData {
    title: String,
    clinic: String,
    practitioners: String,
    footer: String,
    subtitle: String,
    client: Vec<(String, String)>,
    session: Vec<(String, String)>,
    zones: Vec<[String; 4]>,
    products: Vec<[String; 4]>,
    texts: Vec<(String, String)>,
    warnings: Vec<[String; 2]>,
    signed: bool,
    signature: String,
    amendments: Vec<AmendmentRow>,
}

#[derive(Debug, Serialize)]
struct AmendmentRow {
    when: String,
    reason: String,
    changes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct AftercareData {
    title: String,
    clinic: String,
    practitioners: String,
    footer: String,
    client: String,
    treated: String,
    zones: String,
    /// Paragraphs of the aftercare text.
    aftercare: Vec<String>,
    watch_for: Vec<String>,
    urgent: String,
    contact: String,
}

/// What the client should call about, printed on every aftercare sheet.
pub const WATCH_FOR: [&str; 5] = [
    "Swelling, redness or pain that gets worse after the first two days",
    "Pus, yellow crusts, warmth or fever: signs of an infection",
    "Blisters or cold sores in the treated area",
    "A rash, hives or itching, which may be a reaction to a product",
    "Redness lasting longer than five days, or dark patches appearing",
];

pub const URGENT: &str = "If your lips, tongue or throat swell or you find it hard to breathe, \
     call the emergency services at once.";

fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%H:%M").to_string()
}

fn local_day_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    format!("{} {}", day(local.date_naive()), local.format("%H:%M"))
}

fn endpoint_words(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Erythema => "even erythema",
        Endpoint::PinpointBleeding => "pinpoint bleeding",
        Endpoint::NotReached => "not reached",
    }
}

fn practitioner_line(conn: Db<'_>, s: &TreatmentSession) -> Result<String> {
    let p = practitioner::get(conn, s.practitioner_id)?;
    Ok(if p.credentials.trim().is_empty() {
        p.name
    } else {
        format!("{} ({})", p.name, p.credentials.trim())
    })
}

fn footer(clinic: &ClinicSettings, client: &Client, today: NaiveDate) -> String {
    format!(
        "{} · {} · printed {}",
        clinic.clinic_name,
        client.name,
        day(today)
    )
}

/// Reads everything the treatment note shows.
pub fn prepare_treatment_note<'c>(
    conn: impl Into<Db<'c>>,
    session_id: SessionId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Prepared> {
    let conn = conn.into();
    let s = session::get(conn, session_id)?;
    let client = client::get(conn, s.client_id)?;
    let clinic = settings::get(conn)?;
    let treated_by = practitioner_line(conn, &s)?;

    let mut client_facts = vec![fact("Name", client.name.clone())];
    if let Some(born) = client.date_of_birth {
        client_facts.push(fact("Date of birth", day(born)));
    }
    if let Some(f) = client.fitzpatrick {
        client_facts.push(fact("Fitzpatrick type", f.roman()));
    }
    if let Some(g) = client.glogau.map(|g| g.roman()) {
        client_facts.push(fact("Glogau type", g));
    }
    if !client.alerts.trim().is_empty() {
        client_facts.push(fact("Alerts", client.alerts.trim()));
    }

    let mut facts = vec![
        fact("Date and time", local_day_time(s.started_at)),
        fact("Practitioner", treated_by.clone()),
    ];
    let n = position(&s);
    if !n.is_empty() {
        facts.push(fact("Session", format!("{n} in the course")));
    }
    if let Some(d) = &s.device {
        facts.push(fact("Device", format!("{} (serial {})", d.model, d.serial)));
    }
    if let Some(c) = &s.cartridge {
        facts.push(fact(
            "Cartridge",
            format!(
                "{}, lot {}{}",
                c.product,
                c.lot_number,
                c.expires_on
                    .map(|e| format!(", expires {}", day(e)))
                    .unwrap_or_default()
            ),
        ));
    }
    if let Some(a) = &s.anaesthetic {
        let mut words = a.product.clone();
        if let Some(lot) = &a.lot {
            words.push_str(&format!(", lot {}", lot.lot_number));
        }
        if let Some(t) = &a.applied_at {
            words.push_str(&format!(", applied {t}"));
        }
        if let Some(t) = &a.removed_at {
            words.push_str(&format!(", removed {t}"));
        }
        facts.push(fact("Anaesthetic", words));
    }
    if let Some(e) = s.endpoint {
        facts.push(fact("Endpoint", endpoint_words(e)));
    }
    if let Some(p) = s.pain {
        facts.push(fact("Pain", format!("{p}/10")));
    }

    let zones = s
        .zones
        .iter()
        .map(|z| {
            [
                z.zone_name.clone(),
                z.depth.to_string(),
                z.passes.to_string(),
                z.technique.clone(),
            ]
        })
        .collect();
    let products = s
        .products
        .iter()
        .map(|p| {
            [
                p.lot.product.clone(),
                p.lot.lot_number.clone(),
                p.lot.expires_on.map(day).unwrap_or_default(),
                phase_words(p.phase).to_owned(),
            ]
        })
        .collect();
    let texts = [
        ("Immediate reaction", &s.immediate_reaction),
        ("Adverse events", &s.adverse_events),
        ("Aftercare given", &s.aftercare),
        ("Notes", &s.notes),
    ]
    .into_iter()
    .filter(|(_, text)| !text.trim().is_empty())
    .map(|(label, text)| fact(label, text.trim()))
    .collect();
    let warnings = s
        .warnings
        .iter()
        .map(|w| [w.message.clone(), w.reason.clone()])
        .collect();
    let signature = match (s.signed_at, s.signed_by) {
        (Some(at), Some(by)) => {
            let name = practitioner::get(conn, by)
                .map(|p| p.name)
                .unwrap_or_else(|_| "a practitioner".to_owned());
            format!(
                "Signed by {name} on {}. The record is locked; changes are amendments.",
                local_day_time(at)
            )
        }
        (Some(at), None) => format!("Signed on {}.", local_day_time(at)),
        _ => "Not signed: this record is a draft and may still change.".to_owned(),
    };
    let amendments = s
        .amendments
        .iter()
        .map(|a| AmendmentRow {
            when: local_day_time(a.at),
            reason: a.reason.clone(),
            changes: a.changes.clone(),
        })
        .collect();
    let title = "Treatment note".to_owned();
    let data = NoteData {
        title: title.clone(),
        clinic: clinic.clinic_name.clone(),
        practitioners: treated_by,
        footer: footer(&clinic, &client, today),
        subtitle: format!(
            "{}{}",
            day(s.local_date),
            if n.is_empty() {
                String::new()
            } else {
                format!(" · session {n}")
            }
        ),
        client: client_facts,
        session: facts,
        zones,
        products,
        texts,
        warnings,
        signed: s.signed_at.is_some(),
        signature,
        amendments,
    };
    Ok(one_session_document(
        NOTE_TEMPLATE,
        &data,
        format!("{title}: {}, {}", client.name, s.local_date),
        now,
    ))
}

/// The aftercare text for a session: what was given, else the clinic's
/// first template.
pub fn aftercare_text(s: &TreatmentSession, clinic: &ClinicSettings) -> String {
    if !s.aftercare.trim().is_empty() {
        return s.aftercare.trim().to_owned();
    }
    clinic
        .aftercare_templates
        .first()
        .map(|t| t.text.trim().to_owned())
        .unwrap_or_default()
}

/// Reads everything the aftercare sheet shows.
pub fn prepare_aftercare_sheet<'c>(
    conn: impl Into<Db<'c>>,
    session_id: SessionId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Prepared> {
    let conn = conn.into();
    let s = session::get(conn, session_id)?;
    let client = client::get(conn, s.client_id)?;
    let clinic = settings::get(conn)?;
    let text = aftercare_text(&s, &clinic);
    let aftercare: Vec<String> = text
        .split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let mut zones: Vec<String> = Vec::new();
    for z in &s.zones {
        if !zones.contains(&z.zone_name) {
            zones.push(z.zone_name.clone());
        }
    }
    let title = "Aftercare".to_owned();
    let data = AftercareData {
        title: title.clone(),
        clinic: clinic.clinic_name.clone(),
        practitioners: practitioner_line(conn, &s)?,
        footer: footer(&clinic, &client, today),
        client: client.name.clone(),
        treated: format!("{} at {}", day(s.local_date), local_time(s.started_at)),
        zones: zones.join(", "),
        aftercare,
        watch_for: WATCH_FOR.iter().map(|w| (*w).to_owned()).collect(),
        urgent: URGENT.to_owned(),
        contact: format!(
            "If you are worried about anything, call {} and ask for your practitioner. \
             Please bring this sheet to your next appointment.",
            clinic.clinic_name
        ),
    };
    Ok(one_session_document(
        AFTERCARE_TEMPLATE,
        &data,
        format!("{title}: {}, {}", client.name, s.local_date),
        now,
    ))
}

/// A document about one session: its data, no photos.
fn one_session_document(
    template: &'static str,
    data: &impl Serialize,
    title: String,
    now: DateTime<Utc>,
) -> Prepared {
    Prepared {
        doc: Document {
            template,
            data: serde_json::to_value(data).expect("document data serialises"),
            files: Vec::new(),
            title,
        },
        now,
        photos: 0,
    }
}
