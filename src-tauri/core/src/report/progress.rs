//! The client progress report: who treats and who is treated (no more
//! personal data than the report needs), the course in a table, the charts,
//! and before/after photo pairs of the same zone and pose with the saved
//! alignment applied to the later photo.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::chart::{self, Line};
use super::engine::Document;
use super::{age, day, fact, indication_words, Prepared};
use crate::db::Db;
use crate::ids::{ClientId, PhotoId, PractitionerId, SessionId};
use crate::photo::{self, Photo, PhotoKind, PhotoPose, PhotoSize};
use crate::plan::TreatmentPlan;
use crate::session::{Phase, TreatmentSession};
use crate::timeline::{self, IntervalFlag, TimelineEntry};
use crate::{client, followup, plan, practitioner, settings, Result};

const TEMPLATE: &str = include_str!("templates/progress.typ");

#[derive(Debug, Serialize)]
struct ProgressData {
    title: String,
    clinic: String,
    practitioners: String,
    footer: String,
    subtitle: String,
    client: Vec<(String, String)>,
    plan: Vec<(String, String)>,
    course: Vec<(String, String)>,
    sessions: Vec<SessionRow>,
    depth_chart: Option<String>,
    score_charts: Vec<ChartRef>,
    adverse_events: Vec<EventRow>,
    pairs: Vec<PairData>,
    /// Pairs left out because a photo's file is missing.
    pairs_missing: u32,
}

#[derive(Debug, Serialize)]
struct SessionRow {
    date: String,
    position: String,
    zones: Vec<String>,
    products: Vec<String>,
    pain: String,
    reaction: String,
    /// The interval before this session, when it was off.
    interval: String,
}

#[derive(Debug, Serialize)]
struct ChartRef {
    title: String,
    note: String,
    path: String,
}

#[derive(Debug, Serialize)]
struct EventRow {
    started: String,
    description: String,
    severity: String,
    resolved: String,
}

#[derive(Debug, Serialize)]
struct PairData {
    title: String,
    /// Width over height of the first photo: the frame both are shown in.
    aspect: f64,
    first: PhotoData,
    second: PhotoData,
    /// The saved alignment of the second photo onto the first.
    alignment: Option<AlignmentData>,
}

#[derive(Debug, Serialize)]
struct PhotoData {
    path: String,
    caption: String,
}

#[derive(Debug, Serialize)]
struct AlignmentData {
    dx: f64,
    dy: f64,
    rotate: f64,
    scale: f64,
}

/// Reads everything the progress report shows (records and photo
/// previews); [`Prepared::render`] then needs no database.
pub fn prepare_progress_report<'c>(
    conn: impl Into<Db<'c>>,
    data_dir: &Path,
    client_id: ClientId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Prepared> {
    let conn = conn.into();
    let client = client::get(conn, client_id)?;
    let clinic = settings::get(conn)?;
    let timeline = timeline::build(conn, client_id, today)?;
    let plans = plan::list(conn, client_id)?;
    let the_plan = plans.iter().find(|p| !p.closed).or(plans.first());
    let events = followup::list_events(conn, client_id)?;
    let visits = followup::list_visits(conn, client_id)?;

    let sessions: Vec<(&TreatmentSession, Option<i32>, IntervalFlag)> = timeline
        .entries
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::Session(s) => Some((&s.session, s.days_since_previous, s.interval)),
            _ => None,
        })
        .collect();

    let mut practitioner_ids: Vec<PractitionerId> = Vec::new();
    for (s, _, _) in &sessions {
        if !practitioner_ids.contains(&s.practitioner_id) {
            practitioner_ids.push(s.practitioner_id);
        }
    }
    let practitioners = practitioner_ids
        .iter()
        .map(|id| {
            let p = practitioner::get(conn, *id)?;
            Ok(if p.credentials.trim().is_empty() {
                p.name
            } else {
                format!("{} ({})", p.name, p.credentials.trim())
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let zone_name = |key: &str| {
        clinic
            .zone(key)
            .map(|z| z.name.clone())
            .unwrap_or_else(|| key.replace('_', " "))
    };

    let mut client_facts = vec![fact("Name", client.name.clone())];
    if let Some(years) = client.date_of_birth.and_then(|b| age(b, today)) {
        client_facts.push(fact("Age", years.to_string()));
    }
    if let Some(f) = client.fitzpatrick {
        client_facts.push(fact("Fitzpatrick type", f.roman()));
    }
    if let Some(g) = client.glogau.map(|g| g.roman()) {
        client_facts.push(fact("Glogau type", g));
    }
    if !client.indications.is_empty() {
        client_facts.push(fact(
            "Treated for",
            client
                .indications
                .iter()
                .map(|i| indication_words(*i))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }

    let plan_facts = the_plan
        .map(|p| plan_facts(p, &zone_name))
        .unwrap_or_default();

    let mut course = Vec::new();
    let done = sessions.len();
    course.push(fact(
        "Sessions",
        match the_plan {
            Some(p) => format!("{done} of {} planned", p.sessions_planned),
            None => done.to_string(),
        },
    ));
    if let (Some(first), Some(last)) = (sessions.first(), sessions.last()) {
        course.push(fact("First session", day(first.0.local_date)));
        if done > 1 {
            course.push(fact("Latest session", day(last.0.local_date)));
        }
    }
    if let Some(due) = timeline.next_due {
        course.push(fact("Next session due", day(due)));
    }
    if !visits.is_empty() {
        course.push(fact("Follow-up visits", visits.len().to_string()));
    }
    if !events.is_empty() {
        let open = events.iter().filter(|e| e.resolved_on.is_none()).count();
        course.push(fact(
            "Adverse events",
            if open == 0 {
                format!("{}, all resolved", events.len())
            } else {
                format!("{}, {open} not yet resolved", events.len())
            },
        ));
    }

    let rows = sessions
        .iter()
        .map(|(s, days, flag)| session_row(s, *days, *flag))
        .collect();

    let mut files = Vec::new();
    let depth_lines: Vec<Line> = timeline
        .depth_series
        .iter()
        .map(|series| Line {
            label: series.zone_name.clone(),
            points: series
                .points
                .iter()
                .map(|p| (p.date, p.depth.mm()))
                .collect(),
        })
        .collect();
    let max_depth = depth_lines
        .iter()
        .flat_map(|l| l.points.iter().map(|(_, v)| *v))
        .fold(0.0, f64::max);
    let depth_chart = (!depth_lines.is_empty()).then(|| {
        let path = "charts/depth.svg".to_owned();
        files.push((
            path.clone(),
            chart::line_chart(&depth_lines, &chart::depth_axis(max_depth), 520.0, 200.0)
                .into_bytes(),
        ));
        path
    });
    let mut score_charts = Vec::new();
    for (i, series) in timeline.score_series.iter().enumerate() {
        let info = &series.scale;
        let path = format!("charts/score-{i}.svg");
        let line = Line {
            label: info.name.clone(),
            points: series.points.iter().map(|p| (p.date, p.value)).collect(),
        };
        files.push((
            path.clone(),
            chart::line_chart(
                &[line],
                &chart::scale_axis(info.min, info.max),
                250.0,
                135.0,
            )
            .into_bytes(),
        ));
        score_charts.push(ChartRef {
            title: info.name.clone(),
            note: format!(
                "{} to {}, {} is better",
                chart_number(info.min),
                chart_number(info.max),
                if info.lower_is_better {
                    "lower"
                } else {
                    "higher"
                }
            ),
            path,
        });
    }

    let adverse_events = events
        .iter()
        .map(|e| EventRow {
            started: day(e.started_on),
            description: e.description.clone(),
            severity: e.severity.as_str().to_owned(),
            resolved: match e.resolved_on {
                Some(d) if e.outcome.trim().is_empty() => day(d),
                Some(d) => format!("{}: {}", day(d), e.outcome.trim()),
                None => "not yet resolved".to_owned(),
            },
        })
        .collect();

    let session_info: HashMap<SessionId, &TreatmentSession> =
        sessions.iter().map(|(s, _, _)| (s.id, *s)).collect();
    let (pairs, pairs_missing) = photo_pairs(
        conn,
        data_dir,
        client_id,
        &session_info,
        &zone_name,
        &mut files,
    )?;
    let photos = pairs.len() * 2;

    let title = "Progress report".to_owned();
    let subtitle = match (sessions.first(), sessions.last()) {
        (Some(first), Some(last)) if done > 1 => format!(
            "Microneedling course, {} to {}",
            day(first.0.local_date),
            day(last.0.local_date)
        ),
        (Some(first), _) => format!("Microneedling, {}", day(first.0.local_date)),
        _ => "No sessions recorded yet".to_owned(),
    };
    let data = ProgressData {
        footer: format!(
            "{} · {} · printed {}",
            clinic.clinic_name,
            client.name,
            day(today)
        ),
        title: title.clone(),
        clinic: clinic.clinic_name.clone(),
        practitioners: practitioners.join(" · "),
        subtitle,
        client: client_facts,
        plan: plan_facts,
        course,
        sessions: rows,
        depth_chart,
        score_charts,
        adverse_events,
        pairs,
        pairs_missing,
    };
    Ok(Prepared {
        doc: Document {
            template: TEMPLATE,
            data: serde_json::to_value(&data).expect("report data serialises"),
            files,
            title: format!("{title}: {}", client.name),
        },
        now,
        photos,
    })
}

fn chart_number(value: f64) -> String {
    let text = format!("{value:.1}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn plan_facts(p: &TreatmentPlan, zone_name: &dyn Fn(&str) -> String) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    if !p.goals.trim().is_empty() {
        facts.push(fact("Goals", p.goals.trim()));
    }
    let every = if p.interval_days.is_multiple_of(7) {
        format!("{} weeks", p.interval_days / 7)
    } else {
        format!("{} days", p.interval_days)
    };
    facts.push(fact(
        "Course",
        format!("{} sessions, about every {every}", p.sessions_planned),
    ));
    if !p.zones.is_empty() {
        facts.push(fact(
            "Zones and target depths",
            p.zones
                .iter()
                .map(|z| format!("{} {}", zone_name(&z.zone), z.target_depth))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    facts.push(fact("Planned on", day(p.created_on)));
    facts
}

/// `5 of 6`, or nothing outside a plan.
pub(super) fn position(s: &TreatmentSession) -> String {
    match (s.course_position, s.course_length) {
        (Some(n), Some(of)) => format!("{n} of {of}"),
        (Some(n), None) => n.to_string(),
        _ => String::new(),
    }
}

pub(super) fn phase_words(phase: Phase) -> &'static str {
    match phase {
        Phase::Before => "before needling",
        Phase::During => "during needling",
        Phase::After => "after needling",
    }
}

fn session_row(s: &TreatmentSession, days: Option<i32>, flag: IntervalFlag) -> SessionRow {
    let mut products: Vec<String> = s
        .products
        .iter()
        .map(|p| {
            format!(
                "{}, lot {} ({})",
                p.lot.product,
                p.lot.lot_number,
                phase_words(p.phase)
            )
        })
        .collect();
    if let Some(a) = &s.anaesthetic {
        products.push(match &a.lot {
            Some(lot) => format!("{}, lot {} (anaesthetic)", a.product, lot.lot_number),
            None => format!("{} (anaesthetic)", a.product),
        });
    }
    SessionRow {
        date: day(s.local_date),
        position: position(s),
        zones: s
            .zones
            .iter()
            .map(|z| {
                format!(
                    "{} {} × {}{}",
                    z.zone_name,
                    z.depth,
                    z.passes,
                    if z.technique.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", z.technique)
                    }
                )
            })
            .collect(),
        products,
        pain: s.pain.map(|p| format!("{p}/10")).unwrap_or_default(),
        reaction: s.immediate_reaction.trim().to_owned(),
        interval: match (flag, days) {
            (IntervalFlag::TooShort, Some(d)) => format!("{d} days after the previous session"),
            (IntervalFlag::Overdue, Some(d)) => format!("{d} days after the previous session"),
            _ => String::new(),
        },
    }
}

/// When a photo was taken, as the report dates it.
fn photo_date(photo: &Photo, sessions: &HashMap<SessionId, &TreatmentSession>) -> NaiveDate {
    photo
        .session_id
        .and_then(|id| sessions.get(&id).map(|s| s.local_date))
        .or(photo.captured_at.map(|t| t.date()))
        .unwrap_or_else(|| photo.imported_at.date_naive())
}

fn kind_word(kind: PhotoKind) -> &'static str {
    match kind {
        PhotoKind::Before => "Before",
        PhotoKind::After => "After",
        PhotoKind::Progress => "Progress",
    }
}

pub(crate) fn pose_words(photo: &Photo) -> String {
    match (photo.pose, &photo.custom_pose) {
        (PhotoPose::Front, _) => "front".to_owned(),
        (PhotoPose::Left45, _) => "left 45°".to_owned(),
        (PhotoPose::Right45, _) => "right 45°".to_owned(),
        (PhotoPose::Left90, _) => "left 90°".to_owned(),
        (PhotoPose::Right90, _) => "right 90°".to_owned(),
        (PhotoPose::Custom, Some(words)) => words.clone(),
        (PhotoPose::Custom, None) => "custom pose".to_owned(),
    }
}

/// One pair per zone and pose: the earliest "before" against the latest
/// later photo (from the comparison candidates), in the clinic's zone order.
/// Their previews are added to `files`.
fn photo_pairs(
    conn: Db<'_>,
    data_dir: &Path,
    client_id: ClientId,
    sessions: &HashMap<SessionId, &TreatmentSession>,
    zone_name: &dyn Fn(&str) -> String,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Result<(Vec<PairData>, u32)> {
    let photos: HashMap<PhotoId, Photo> = photo::list(conn, client_id)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let zones = settings::get(conn)?.zones;
    let zone_rank = |key: &str| {
        zones
            .iter()
            .position(|z| z.key == key)
            .unwrap_or(usize::MAX)
    };
    let pose_rank = |pose: PhotoPose| PhotoPose::ALL.iter().position(|p| *p == pose);
    // Best pair per (zone, pose, custom pose), in the clinic's zone order:
    // a "before" first, a later kind second, then the longest span.
    type Key = (usize, String, Option<usize>, Option<String>);
    type Score = (bool, bool, i64);
    let mut best: BTreeMap<Key, (PhotoId, PhotoId, Score)> = BTreeMap::new();
    for pair in photo::candidates(conn, client_id)?.pairs {
        let (Some(a), Some(b)) = (photos.get(&pair.first), photos.get(&pair.second)) else {
            continue;
        };
        let score = (
            a.kind == PhotoKind::Before,
            b.kind != PhotoKind::Before,
            (photo_date(b, sessions) - photo_date(a, sessions)).num_days(),
        );
        let key = (
            zone_rank(&pair.zone),
            pair.zone.clone(),
            pose_rank(pair.pose),
            pair.custom_pose.clone(),
        );
        match best.get(&key) {
            Some((_, _, s)) if *s >= score => {}
            _ => {
                best.insert(key, (pair.first, pair.second, score));
            }
        }
    }
    let mut pairs = Vec::new();
    let mut missing = 0;
    for (first, second, _) in best.into_values() {
        let (a, b) = (&photos[&first], &photos[&second]);
        let preview = |p: &Photo| -> Result<Option<Vec<u8>>> {
            match photo::read(data_dir, p, PhotoSize::Preview) {
                Ok(file) => Ok(Some(file.bytes)),
                // A lost original (and so no preview): leave the pair out.
                Err(e) if e.kind() == crate::ErrorKind::NotFound => Ok(None),
                // An original that no longer decodes: leave the pair out too
                // (the start-up check and `verify` name it).
                Err(crate::Error::Damaged(_)) => Ok(None),
                Err(e) => Err(e),
            }
        };
        let (Some(a_bytes), Some(b_bytes)) = (preview(a)?, preview(b)?) else {
            missing += 1;
            continue;
        };
        let i = pairs.len();
        let (a_path, b_path) = (
            format!("photos/{}.jpg", 2 * i),
            format!("photos/{}.jpg", 2 * i + 1),
        );
        files.push((a_path.clone(), a_bytes));
        files.push((b_path.clone(), b_bytes));
        let caption = |p: &Photo| {
            let mut words = vec![kind_word(p.kind).to_owned(), day(photo_date(p, sessions))];
            if let Some(s) = p.session_id.and_then(|id| sessions.get(&id)) {
                let n = position(s);
                if !n.is_empty() {
                    words.push(format!("session {n}"));
                }
            } else {
                words.push("follow-up".to_owned());
            }
            words.join(" · ")
        };
        let alignment = b
            .alignment
            .filter(|al| al.reference == a.id)
            .map(|al| AlignmentData {
                dx: al.dx,
                dy: al.dy,
                rotate: al.rotate_deg,
                scale: al.scale,
            });
        let mut second_caption = caption(b);
        if alignment.is_some() {
            second_caption.push_str(" · aligned");
        }
        pairs.push(PairData {
            title: format!("{}, {}", zone_name(&a.zone), pose_words(a)),
            aspect: if a.height > 0 {
                f64::from(a.width) / f64::from(a.height)
            } else {
                4.0 / 3.0
            },
            first: PhotoData {
                path: a_path,
                caption: caption(a),
            },
            second: PhotoData {
                path: b_path,
                caption: second_caption,
            },
            alignment,
        });
    }
    Ok((pairs, missing))
}
