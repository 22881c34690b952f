//! Outcome scores: the clinical scales a result is measured on, each
//! defined once here with its valid range, and the scores recorded against
//! a session, a follow-up visit or a photo pair.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::client;
use crate::db::{Db, Row};
use crate::ids::{ClientId, FollowUpId, PhotoId, ScoreId, SessionId};
use crate::store::format_instant;
use crate::{Error, Result};

/// A clinical scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Global Aesthetic Improvement Scale, rated by the practitioner:
    /// 1 exceptional improvement … 5 worse.
    GaisPractitioner,
    /// The same scale, rated by the client.
    GaisClient,
    /// Goodman & Baron qualitative acne-scar grade, 1 (macular) to 4 (severe).
    GoodmanBaronGrade,
    /// Goodman & Baron quantitative global scarring score, 0 to 84.
    GoodmanBaronScore,
    /// ECCA acne-scar score (échelle d'évaluation clinique des cicatrices
    /// d'acné), 0 to 540.
    Ecca,
    /// Modified Melasma Area and Severity Index, 0 to 24.
    Mmasi,
    /// Patient satisfaction, 0 (not at all) to 10 (completely).
    Satisfaction,
    /// Pain, 0 (none) to 10 (worst imaginable).
    Pain,
}

/// How a scale is read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScaleInfo {
    pub scale: Scale,
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// The finest step a score can take (1 for whole numbers).
    pub step: f64,
    /// Whether a lower score is the better outcome.
    pub lower_is_better: bool,
    /// Words for each whole value, where the scale has them.
    pub labels: Vec<String>,
}

pub const ALL_SCALES: [Scale; 8] = [
    Scale::GaisPractitioner,
    Scale::GaisClient,
    Scale::GoodmanBaronGrade,
    Scale::GoodmanBaronScore,
    Scale::Ecca,
    Scale::Mmasi,
    Scale::Satisfaction,
    Scale::Pain,
];

text_enum! {
    Scale, field "scale", called "scale" {
        GaisPractitioner = "gais_practitioner",
        GaisClient = "gais_client",
        GoodmanBaronGrade = "goodman_baron_grade",
        GoodmanBaronScore = "goodman_baron_score",
        Ecca = "ecca",
        Mmasi = "mmasi",
        Satisfaction = "satisfaction",
        Pain = "pain",
    }
}

impl Scale {
    pub fn info(self) -> ScaleInfo {
        let gais = || {
            [
                "exceptional improvement",
                "very improved",
                "improved",
                "no change",
                "worse",
            ]
            .map(String::from)
            .to_vec()
        };
        let (name, min, max, step, lower_is_better, labels) = match self {
            Scale::GaisPractitioner => ("GAIS (practitioner)", 1.0, 5.0, 1.0, true, gais()),
            Scale::GaisClient => ("GAIS (client)", 1.0, 5.0, 1.0, true, gais()),
            Scale::GoodmanBaronGrade => (
                "Goodman & Baron grade",
                1.0,
                4.0,
                1.0,
                true,
                ["macular", "mild", "moderate", "severe"]
                    .map(String::from)
                    .to_vec(),
            ),
            Scale::GoodmanBaronScore => ("Goodman & Baron score", 0.0, 84.0, 1.0, true, Vec::new()),
            Scale::Ecca => ("ECCA", 0.0, 540.0, 1.0, true, Vec::new()),
            Scale::Mmasi => ("mMASI", 0.0, 24.0, 0.1, true, Vec::new()),
            Scale::Satisfaction => ("Satisfaction", 0.0, 10.0, 1.0, false, Vec::new()),
            Scale::Pain => ("Pain", 0.0, 10.0, 1.0, true, Vec::new()),
        };
        ScaleInfo {
            scale: self,
            name: name.to_owned(),
            min,
            max,
            step,
            lower_is_better,
            labels,
        }
    }

    /// Checks a value against the scale's range and step.
    pub fn check(self, value: f64) -> Result<f64> {
        let info = self.info();
        let on_step = ((value - info.min) / info.step).round() * info.step + info.min;
        if !value.is_finite() || value < info.min || value > info.max {
            return Err(Error::invalid(
                "value",
                format!(
                    "{} {value} is outside its range {} to {}",
                    info.name, info.min, info.max
                ),
            ));
        }
        if (on_step - value).abs() > 1e-9 {
            return Err(Error::invalid(
                "value",
                format!("{} {value} is not in steps of {}", info.name, info.step),
            ));
        }
        // Keep one decimal at most, as the scales are written.
        Ok((value * 10.0).round() / 10.0)
    }
}

/// What a score is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScoreSubject {
    pub session_id: Option<SessionId>,
    pub follow_up_id: Option<FollowUpId>,
    /// The pair of photos compared, when the score rates a comparison.
    pub before_photo_id: Option<PhotoId>,
    pub after_photo_id: Option<PhotoId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutcomeScore {
    pub id: ScoreId,
    pub client_id: ClientId,
    pub scale: Scale,
    pub value: f64,
    pub recorded_on: NaiveDate,
    pub subject: ScoreSubject,
    pub note: String,
}

/// An outcome score as the form or the command line gives it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewScore {
    pub client_id: ClientId,
    pub scale: Scale,
    pub value: f64,
    pub recorded_on: NaiveDate,
    pub subject: ScoreSubject,
    pub note: String,
}

/// Records a score.
pub fn add<'c>(
    tx: impl Into<Db<'c>>,
    id: ScoreId,
    input: &NewScore,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<OutcomeScore> {
    let tx = tx.into();
    let (client_id, scale, value, recorded_on, subject, note) = (
        input.client_id,
        input.scale,
        input.value,
        input.recorded_on,
        &input.subject,
        input.note.as_str(),
    );
    client::get(tx, client_id)?;
    let value = scale.check(value)?;
    if recorded_on > today {
        return Err(Error::invalid(
            "recorded_on",
            format!("score date {recorded_on} is in the future"),
        ));
    }
    let belongs = |table: &str, id: String| -> Result<()> {
        let owner: Option<ClientId> = tx
            .query_opt(
                &format!("SELECT client_id FROM {table} WHERE id = ?1"),
                &[&id],
                |r| r.get(0),
            )
            .ok()
            .flatten();
        match owner {
            Some(owner) if owner == client_id => Ok(()),
            Some(_) => Err(Error::invalid(
                "subject",
                format!("that {table} belongs to another client"),
            )),
            None => Err(Error::not_found(format!("{table} {id}"))),
        }
    };
    // A score rates what was there: never before the session or visit it
    // is about.
    let not_before = |sql: &str, id: String, what: &str| -> Result<()> {
        let on: Option<NaiveDate> = tx.query_opt(sql, &[&id], |r| r.get(0)).ok().flatten();
        match on {
            Some(on) if recorded_on < on => Err(Error::invalid(
                "recorded_on",
                format!("score date {recorded_on} is before the {what} it rates ({on})"),
            )),
            _ => Ok(()),
        }
    };
    if let Some(id) = subject.session_id {
        belongs("treatment_session", id.to_string())?;
        not_before(
            "SELECT local_date FROM treatment_session WHERE id = ?1",
            id.to_string(),
            "session",
        )?;
    }
    if let Some(id) = subject.follow_up_id {
        belongs("follow_up", id.to_string())?;
        not_before(
            "SELECT visited_on FROM follow_up WHERE id = ?1",
            id.to_string(),
            "follow-up visit",
        )?;
    }
    for id in [subject.before_photo_id, subject.after_photo_id]
        .into_iter()
        .flatten()
    {
        belongs("photo", id.to_string())?;
    }
    tx.execute(
        "INSERT INTO outcome_score (id, client_id, scale, value, recorded_on, session_id, follow_up_id,
                                    before_photo_id, after_photo_id, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            &id,
            &client_id,
            &scale.as_str(),
            &value,
            &recorded_on,
            &subject.session_id,
            &subject.follow_up_id,
            &subject.before_photo_id,
            &subject.after_photo_id,
            &note.trim(),
            &format_instant(now),
        ],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "outcome_score",
        &id.to_string(),
        &serde_json::json!({ "client_id": client_id.to_string(), "scale": scale.as_str() }),
    )?;
    Ok(OutcomeScore {
        id,
        client_id,
        scale,
        value,
        recorded_on,
        subject: subject.clone(),
        note: note.trim().to_owned(),
    })
}

fn from_row(row: &Row) -> Result<OutcomeScore> {
    let id: ScoreId = row.get(0)?;
    let scale: String = row.get(2)?;
    Ok(OutcomeScore {
        id,
        client_id: row.get(1)?,
        scale: Scale::from_record(&scale, format_args!("score {id}"))?,
        value: row.get(3)?,
        recorded_on: row.get(4)?,
        subject: ScoreSubject {
            session_id: row.get(5)?,
            follow_up_id: row.get(6)?,
            before_photo_id: row.get(7)?,
            after_photo_id: row.get(8)?,
        },
        note: row.get(9)?,
    })
}

/// A client's scores, oldest first.
pub fn list<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Vec<OutcomeScore>> {
    let conn = conn.into();
    conn.query_map(
        "SELECT id, client_id, scale, value, recorded_on, session_id, follow_up_id, before_photo_id,
                after_photo_id, note
         FROM outcome_score WHERE client_id = ?1 ORDER BY recorded_on, created_at",
        &[&client_id],
        from_row,
    )
}
