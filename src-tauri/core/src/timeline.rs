//! A client's progress timeline: sessions, follow-up visits and adverse
//! events in date order with the intervals between sessions flagged, and the
//! series behind the charts (depth per zone, outcome scores over time).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::client;
use crate::db::Db;
use crate::depth::NeedleDepth;
use crate::followup::{self, AdverseEvent, FollowUp};
use crate::ids::{ClientId, FollowUpId, PhotoId, SessionId};
use crate::outcome::{self, OutcomeScore, Scale, ScaleInfo};
use crate::plan;
use crate::session::{self, TreatmentSession};
use crate::settings::{self, ClinicSettings};
use crate::Result;

/// How a session's distance from the one before reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum IntervalFlag {
    /// The first session: nothing to measure against.
    First,
    Ok,
    /// Closer than the clinic's minimum interval.
    TooShort,
    /// Later than the planned interval plus a grace period.
    Overdue,
}

/// Days after the expected interval before a session counts as overdue.
pub const OVERDUE_GRACE_DAYS: i64 = 14;

/// The gap before each session (given in date order) and how it reads.
pub fn interval_flags(
    dates: &[NaiveDate],
    min_days: u32,
    expected_days: u32,
) -> Vec<(Option<i64>, IntervalFlag)> {
    let mut out = Vec::with_capacity(dates.len());
    for (i, date) in dates.iter().enumerate() {
        if i == 0 {
            out.push((None, IntervalFlag::First));
            continue;
        }
        let days = (*date - dates[i - 1]).num_days();
        let flag = if days < i64::from(min_days) {
            IntervalFlag::TooShort
        } else if days > i64::from(expected_days) + OVERDUE_GRACE_DAYS {
            IntervalFlag::Overdue
        } else {
            IntervalFlag::Ok
        };
        out.push((Some(days), flag));
    }
    out
}

/// A photo as the timeline shows it (thumbnails only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PhotoRef {
    pub id: PhotoId,
    pub kind: String,
    pub zone: String,
    pub pose: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionEntry {
    pub session: TreatmentSession,
    pub days_since_previous: Option<i32>,
    pub interval: IntervalFlag,
    pub photos: Vec<PhotoRef>,
    pub scores: Vec<OutcomeScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FollowUpEntry {
    pub visit: FollowUp,
    pub photos: Vec<PhotoRef>,
    pub scores: Vec<OutcomeScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEntry {
    Session(Box<SessionEntry>),
    FollowUp(FollowUpEntry),
    AdverseEvent(AdverseEvent),
}

impl TimelineEntry {
    pub fn date(&self) -> NaiveDate {
        match self {
            TimelineEntry::Session(s) => s.session.local_date,
            TimelineEntry::FollowUp(f) => f.visit.visited_on,
            TimelineEntry::AdverseEvent(e) => e.started_on,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DepthPoint {
    pub date: NaiveDate,
    pub session_id: SessionId,
    pub depth: NeedleDepth,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DepthSeries {
    pub zone: String,
    pub zone_name: String,
    pub points: Vec<DepthPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScorePoint {
    pub date: NaiveDate,
    pub value: f64,
    pub session_id: Option<SessionId>,
    pub follow_up_id: Option<FollowUpId>,
    /// The photo to open from this point of the chart, when there is one.
    pub photo_id: Option<PhotoId>,
    /// When the score rates a before/after pair: the before photo, to open
    /// the very comparison that was scored (`photo_id` is the after one).
    pub compared_with: Option<PhotoId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScoreSeries {
    pub scale: ScaleInfo,
    pub points: Vec<ScorePoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Timeline {
    pub client_id: ClientId,
    /// Everything in date order (same day: sessions, then visits, then events).
    pub entries: Vec<TimelineEntry>,
    pub depth_series: Vec<DepthSeries>,
    pub score_series: Vec<ScoreSeries>,
    /// When the open plan's next session is due, if one is.
    pub next_due: Option<NaiveDate>,
    /// The next session is more than a week past due.
    pub overdue: bool,
    /// Adverse events not yet resolved.
    pub open_adverse_events: u32,
}

/// A photo and what it was taken at.
type PlacedPhoto = (PhotoRef, Option<SessionId>, Option<FollowUpId>);

fn photos_of(conn: Db<'_>, client_id: ClientId) -> Result<Vec<PlacedPhoto>> {
    conn.query_map(
        "SELECT id, kind, zone, pose, session_id, follow_up_id FROM photo WHERE client_id = ?1
         ORDER BY coalesce(captured_at, imported_at), id",
        &[&client_id],
        |row| {
            Ok((
                PhotoRef {
                    id: row.get(0)?,
                    kind: row.get(1)?,
                    zone: row.get(2)?,
                    pose: row.get(3)?,
                },
                row.get(4)?,
                row.get(5)?,
            ))
        },
    )
}

/// Builds the client's timeline as of `today`.
pub fn build<'c>(
    conn: impl Into<Db<'c>>,
    client_id: ClientId,
    today: NaiveDate,
) -> Result<Timeline> {
    let conn = conn.into();
    client::get(conn, client_id)?;
    let settings: ClinicSettings = settings::get(conn)?;
    let sessions = session::list(conn, client_id)?;
    let visits = followup::list_visits(conn, client_id)?;
    let events = followup::list_events(conn, client_id)?;
    let scores = outcome::list(conn, client_id)?;
    let photos = photos_of(conn, client_id)?;
    let active_plan = plan::active(conn, client_id)?;
    let expected = active_plan
        .as_ref()
        .map(|p| p.interval_days)
        .unwrap_or(settings.usual_interval_days);

    let dates: Vec<NaiveDate> = sessions.iter().map(|s| s.local_date).collect();
    let flags = interval_flags(&dates, settings.min_interval_days, expected);

    let mut depth: BTreeMap<String, DepthSeries> = BTreeMap::new();
    let mut entries = Vec::with_capacity(sessions.len() + visits.len() + events.len());
    for (s, (days, flag)) in sessions.into_iter().zip(flags) {
        for z in &s.zones {
            depth
                .entry(z.zone.clone())
                .or_insert_with(|| DepthSeries {
                    zone: z.zone.clone(),
                    zone_name: z.zone_name.clone(),
                    points: Vec::new(),
                })
                .points
                .push(DepthPoint {
                    date: s.local_date,
                    session_id: s.id,
                    depth: z.depth,
                });
        }
        entries.push(TimelineEntry::Session(Box::new(SessionEntry {
            photos: photos
                .iter()
                .filter(|(_, session, _)| *session == Some(s.id))
                .map(|(p, _, _)| p.clone())
                .collect(),
            scores: scores
                .iter()
                .filter(|o| o.subject.session_id == Some(s.id))
                .cloned()
                .collect(),
            days_since_previous: days.map(|d| d as i32),
            interval: flag,
            session: s,
        })));
    }
    for visit in visits {
        entries.push(TimelineEntry::FollowUp(FollowUpEntry {
            photos: photos
                .iter()
                .filter(|(_, _, follow_up)| *follow_up == Some(visit.id))
                .map(|(p, _, _)| p.clone())
                .collect(),
            scores: scores
                .iter()
                .filter(|o| o.subject.follow_up_id == Some(visit.id))
                .cloned()
                .collect(),
            visit,
        }));
    }
    let open_adverse_events = events.iter().filter(|e| e.resolved_on.is_none()).count() as u32;
    entries.extend(events.into_iter().map(TimelineEntry::AdverseEvent));
    entries.sort_by_key(|e| {
        let rank = match e {
            TimelineEntry::Session(_) => 0,
            TimelineEntry::FollowUp(_) => 1,
            TimelineEntry::AdverseEvent(_) => 2,
        };
        (e.date(), rank)
    });

    let mut by_scale: BTreeMap<Scale, Vec<ScorePoint>> = BTreeMap::new();
    for score in &scores {
        by_scale.entry(score.scale).or_default().push(ScorePoint {
            date: score.recorded_on,
            value: score.value,
            session_id: score.subject.session_id,
            follow_up_id: score.subject.follow_up_id,
            photo_id: score
                .subject
                .after_photo_id
                .or(score.subject.before_photo_id)
                .or_else(|| {
                    photos
                        .iter()
                        .find(|(_, session, visit)| {
                            (score.subject.session_id.is_some()
                                && *session == score.subject.session_id)
                                || (score.subject.follow_up_id.is_some()
                                    && *visit == score.subject.follow_up_id)
                        })
                        .map(|(p, _, _)| p.id)
                }),
            compared_with: score
                .subject
                .after_photo_id
                .and(score.subject.before_photo_id),
        });
    }

    let last_session = dates.last().copied();
    let next_due = match (&active_plan, last_session) {
        (Some(p), Some(last)) if p.sessions_done < p.sessions_planned => {
            Some(last + Duration::days(i64::from(p.interval_days)))
        }
        _ => None,
    };
    Ok(Timeline {
        client_id,
        entries,
        depth_series: depth.into_values().collect(),
        score_series: by_scale
            .into_iter()
            .map(|(scale, points)| ScoreSeries {
                scale: scale.info(),
                points,
            })
            .collect(),
        overdue: next_due.is_some_and(|due| today > due + Duration::days(7)),
        next_due,
        open_adverse_events,
    })
}
