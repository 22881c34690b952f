//! Medical-history screening: dated, versioned answers to the clinic's
//! questions. A new screening never replaces an old one; the latest counts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::client;
use crate::db::{Db, Row};
use crate::ids::{ClientId, ScreeningId};
use crate::settings::ClinicSettings;
use crate::store::format_instant;
use crate::{Error, Result};

/// One answer: `yes`, and for questions with a waiting period, when it last
/// applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScreeningAnswer {
    pub key: String,
    pub yes: bool,
    /// When it last applied (e.g. the last isotretinoin dose), for a "yes".
    pub last_on: Option<NaiveDate>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Screening {
    pub id: ScreeningId,
    pub client_id: ClientId,
    pub taken_on: NaiveDate,
    /// The clinic's question-set version the answers refer to.
    pub question_set: u32,
    pub answers: Vec<ScreeningAnswer>,
}

impl Screening {
    pub fn answer(&self, key: &str) -> Option<&ScreeningAnswer> {
        self.answers.iter().find(|a| a.key == key)
    }
}

/// A screening as the form or the command line gives it.
#[derive(Debug, Clone)]
pub struct NewScreening {
    pub client_id: ClientId,
    pub taken_on: NaiveDate,
    pub answers: Vec<ScreeningAnswer>,
}

/// Records a screening taken on `taken_on`. Answers not given count as "no";
/// unknown question keys are refused.
pub fn add<'c>(
    tx: impl Into<Db<'c>>,
    id: ScreeningId,
    input: &NewScreening,
    settings: &ClinicSettings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Screening> {
    let tx = tx.into();
    let (client_id, taken_on, answers) =
        (input.client_id, input.taken_on, input.answers.as_slice());
    client::get(tx, client_id)?;
    if taken_on > today {
        return Err(Error::invalid(
            "taken_on",
            format!("screening date {taken_on} is in the future"),
        ));
    }
    let mut stored = Vec::with_capacity(settings.screening_questions.len());
    for answer in answers {
        let Some(question) = settings.question(&answer.key) else {
            return Err(Error::invalid(
                "answers",
                format!(
                    "{:?} is not one of the clinic's screening questions",
                    answer.key
                ),
            ));
        };
        if let Some(last) = answer.last_on {
            if last > taken_on {
                return Err(Error::invalid(
                    "answers",
                    format!(
                        "{}: the date {last} is after the screening date",
                        question.text
                    ),
                ));
            }
        }
        if stored.iter().any(|a: &ScreeningAnswer| a.key == answer.key) {
            return Err(Error::invalid(
                "answers",
                format!("{:?} is answered twice", answer.key),
            ));
        }
        stored.push(ScreeningAnswer {
            key: answer.key.clone(),
            yes: answer.yes,
            last_on: if answer.yes { answer.last_on } else { None },
            note: answer.note.trim().to_owned(),
        });
    }
    for question in &settings.screening_questions {
        if !stored.iter().any(|a| a.key == question.key) {
            stored.push(ScreeningAnswer {
                key: question.key.clone(),
                yes: false,
                last_on: None,
                note: String::new(),
            });
        }
    }
    let json = serde_json::to_string(&stored).expect("answers serialise");
    tx.execute(
        "INSERT INTO screening (id, client_id, taken_on, question_set, answers, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            &id,
            &client_id,
            &taken_on,
            &settings.screening_version,
            &json,
            &format_instant(now),
        ],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "screening",
        &id.to_string(),
        &serde_json::json!({ "client_id": client_id.to_string() }),
    )?;
    Ok(Screening {
        id,
        client_id,
        taken_on,
        question_set: settings.screening_version,
        answers: stored,
    })
}

fn from_row(row: &Row) -> Result<Screening> {
    let id: ScreeningId = row.get(0)?;
    let answers: String = row.get(4)?;
    Ok(Screening {
        id,
        client_id: row.get(1)?,
        taken_on: row.get(2)?,
        question_set: row.get(3)?,
        answers: crate::store::read_json(&answers, format_args!("screening {id}"), "answers")?,
    })
}

/// Every screening of a client, newest first.
pub fn list<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Vec<Screening>> {
    let conn = conn.into();
    conn.query_map(
        "SELECT id, client_id, taken_on, question_set, answers FROM screening
         WHERE client_id = ?1 ORDER BY taken_on DESC, created_at DESC",
        &[&client_id],
        from_row,
    )
}

/// The screening that counts: the latest taken on or before `on`.
pub fn latest<'c>(
    conn: impl Into<Db<'c>>,
    client_id: ClientId,
    on: NaiveDate,
) -> Result<Option<Screening>> {
    let conn = conn.into();
    conn.query_opt(
        "SELECT id, client_id, taken_on, question_set, answers FROM screening
         WHERE client_id = ?1 AND taken_on <= ?2 ORDER BY taken_on DESC, created_at DESC LIMIT 1",
        &[&client_id, &on],
        from_row,
    )
}
