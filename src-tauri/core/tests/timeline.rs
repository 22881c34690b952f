//! The progress timeline: order, intervals and flags (data-driven), the
//! chart series, follow-ups and adverse events, and the outcome scales.

use chrono::{Duration, NaiveDate};
use pinpoint_core::followup::{self, Severity};
use pinpoint_core::ids::{AdverseEventId, FollowUpId, ScoreId};
use pinpoint_core::outcome::{self, Scale, ScoreSubject, ALL_SCALES};
use pinpoint_core::timeline::{self, IntervalFlag, TimelineEntry};
use pinpoint_core::warnings::WarningOverride;
use pinpoint_core::ErrorKind;

use crate::clinic::{clinic, days_before};
use crate::{now, today};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn intervals_are_flagged_against_the_minimum_and_the_plan() {
    use IntervalFlag::*;
    // (session dates, expected (days since previous, flag) for each), with a
    // 28-day minimum and a 42-day planned interval (overdue after 42 + 14).
    let check = |dates: &[&str], expected: &[(Option<i64>, IntervalFlag)]| {
        let dates: Vec<NaiveDate> = dates.iter().map(|d| date(d)).collect();
        assert_eq!(
            timeline::interval_flags(&dates, 28, 42),
            expected,
            "intervals for {dates:?}"
        );
    };
    check(&[], &[]);
    check(&["2026-01-01"], &[(None, First)]);
    check(
        &["2026-01-01", "2026-01-29"],
        &[(None, First), (Some(28), Ok)],
    );
    check(
        &["2026-01-01", "2026-01-28"],
        &[(None, First), (Some(27), TooShort)],
    );
    check(
        &["2026-01-01", "2026-01-01"],
        &[(None, First), (Some(0), TooShort)],
    );
    check(
        &["2026-01-01", "2026-02-26"],
        &[(None, First), (Some(56), Ok)],
    );
    check(
        &["2026-01-01", "2026-02-27"],
        &[(None, First), (Some(57), Overdue)],
    );
    check(
        &["2026-01-01", "2026-02-12", "2026-03-01", "2026-06-01"],
        &[
            (None, First),
            (Some(42), Ok),
            (Some(17), TooShort),
            (Some(92), Overdue),
        ],
    );
}

#[test]
fn the_timeline_orders_everything_and_builds_the_chart_series() {
    let mut c = clinic();
    let overrides = |reason: &str| {
        vec![WarningOverride {
            rule: pinpoint_core::warnings::WarningRule::IntervalShort,
            subject: String::new(),
            reason: reason.to_owned(),
        }]
    };
    // Entered out of order; the second one is only 20 days after the first.
    let mut later = c.draft_for(c.client, days_before(40));
    later.zones[0].depth_mm = 1.25;
    let first = c.create(&c.draft_for(c.client, days_before(80)));
    let second = c.create(&later);
    let mut early = c.draft_for(c.client, days_before(60));
    early.zones[0].depth_mm = 1.0;
    let middle = c.try_create(&early, &overrides("brought forward")).unwrap();

    let client = c.client;
    let visit =
        c.f.store
            .write(|tx| {
                followup::add_visit(
                    tx,
                    FollowUpId::new(),
                    client,
                    days_before(10),
                    "review",
                    today(),
                    now(),
                )
            })
            .unwrap();
    let event =
        c.f.store
            .write(|tx| {
                followup::report_event(
                    tx,
                    AdverseEventId::new(),
                    &followup::NewAdverseEvent {
                        client_id: client,
                        session_id: Some(middle.id),
                        started_on: days_before(59),
                        description: "petechiae on the left cheek".to_owned(),
                        severity: Severity::Mild,
                    },
                    today(),
                    now(),
                )
            })
            .unwrap();
    for (on, value, subject) in [
        (
            days_before(80),
            3.0,
            ScoreSubject {
                session_id: Some(first.id),
                ..Default::default()
            },
        ),
        (
            days_before(40),
            2.0,
            ScoreSubject {
                session_id: Some(second.id),
                ..Default::default()
            },
        ),
        (
            days_before(10),
            1.0,
            ScoreSubject {
                follow_up_id: Some(visit.id),
                ..Default::default()
            },
        ),
    ] {
        c.f.store
            .write(|tx| {
                outcome::add(
                    tx,
                    ScoreId::new(),
                    &outcome::NewScore {
                        client_id: client,
                        scale: Scale::GaisPractitioner,
                        value,
                        recorded_on: on,
                        subject: subject.clone(),
                        note: "".to_owned(),
                    },
                    today(),
                    now(),
                )
            })
            .unwrap();
    }

    let t = timeline::build(c.db(), client, today()).unwrap();
    let kinds: Vec<(NaiveDate, &str)> = t
        .entries
        .iter()
        .map(|e| {
            (
                e.date(),
                match e {
                    TimelineEntry::Session(_) => "session",
                    TimelineEntry::FollowUp(_) => "follow-up",
                    TimelineEntry::AdverseEvent(_) => "adverse event",
                },
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (days_before(80), "session"),
            (days_before(60), "session"),
            (days_before(59), "adverse event"),
            (days_before(40), "session"),
            (days_before(10), "follow-up"),
        ],
        "everything in date order"
    );
    let gaps: Vec<(Option<i32>, IntervalFlag)> = t
        .entries
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::Session(s) => Some((s.days_since_previous, s.interval)),
            _ => None,
        })
        .collect();
    assert_eq!(
        gaps,
        [
            (None, IntervalFlag::First),
            (Some(20), IntervalFlag::TooShort),
            (Some(20), IntervalFlag::TooShort)
        ]
    );
    assert_eq!(
        t.open_adverse_events, 1,
        "the petechiae are not resolved yet"
    );
    let cheeks = &t.depth_series[0];
    assert_eq!(cheeks.zone, "cheeks");
    let depths: Vec<f64> = cheeks.points.iter().map(|p| p.depth.mm()).collect();
    assert_eq!(
        depths,
        [1.0, 1.0, 1.25],
        "depth per zone across the course, in date order"
    );
    let gais = &t.score_series[0];
    assert_eq!(gais.scale.scale, Scale::GaisPractitioner);
    let values: Vec<f64> = gais.points.iter().map(|p| p.value).collect();
    assert_eq!(values, [3.0, 2.0, 1.0], "scores over time");

    c.f.store
        .write(|tx| {
            followup::resolve_event(tx, event.id, days_before(55), "settled", today(), now())
        })
        .unwrap();
    assert_eq!(
        timeline::build(c.db(), client, today())
            .unwrap()
            .open_adverse_events,
        0
    );
}

#[test]
fn scales_hold_their_ranges() {
    // (scale, value, accepted)
    let cases = [
        (Scale::GaisPractitioner, 1.0, true),
        (Scale::GaisPractitioner, 5.0, true),
        (Scale::GaisPractitioner, 0.0, false),
        (Scale::GaisClient, 6.0, false),
        (Scale::GaisClient, 2.5, false),
        (Scale::GoodmanBaronGrade, 4.0, true),
        (Scale::GoodmanBaronGrade, 5.0, false),
        (Scale::GoodmanBaronScore, 84.0, true),
        (Scale::GoodmanBaronScore, 85.0, false),
        (Scale::Ecca, 540.0, true),
        (Scale::Ecca, -5.0, false),
        (Scale::Mmasi, 12.3, true),
        (Scale::Mmasi, 24.1, false),
        (Scale::Mmasi, 1.25, false),
        (Scale::Satisfaction, 10.0, true),
        (Scale::Satisfaction, f64::NAN, false),
        (Scale::Pain, 0.0, true),
        (Scale::Pain, 11.0, false),
    ];
    for (scale, value, accepted) in cases {
        let result = scale.check(value);
        assert_eq!(result.is_ok(), accepted, "{scale:?} {value}: {result:?}");
        if let Err(e) = result {
            assert_eq!(e.field(), Some("value"));
        }
    }
    for scale in ALL_SCALES {
        assert_eq!(
            Scale::parse(scale.as_str()).unwrap(),
            scale,
            "names round trip"
        );
        let info = scale.info();
        assert!(info.min < info.max);
        assert!(info.labels.is_empty() || info.labels.len() as f64 == info.max - info.min + 1.0);
    }
    assert!(Scale::parse("vibes").is_err());
}

#[test]
fn scores_refuse_the_future_other_clients_records_and_dates_before_their_subject() {
    let mut c = clinic();
    let other = c.add_client("Someone Else");
    let theirs = c.create(&c.draft_for(other, days_before(30)));
    let client = c.client;
    let err =
        c.f.store
            .write(|tx| {
                outcome::add(
                    tx,
                    ScoreId::new(),
                    &outcome::NewScore {
                        client_id: client,
                        scale: Scale::Pain,
                        value: 3.0,
                        recorded_on: today() + Duration::days(1),
                        subject: ScoreSubject::default().clone(),
                        note: "".to_owned(),
                    },
                    today(),
                    now(),
                )
            })
            .unwrap_err();
    assert_eq!(err.field(), Some("recorded_on"));
    let err =
        c.f.store
            .write(|tx| {
                outcome::add(
                    tx,
                    ScoreId::new(),
                    &outcome::NewScore {
                        client_id: client,
                        scale: Scale::Pain,
                        value: 3.0,
                        recorded_on: today(),
                        subject: ScoreSubject {
                            session_id: Some(theirs.id),
                            ..Default::default()
                        }
                        .clone(),
                        note: "".to_owned(),
                    },
                    today(),
                    now(),
                )
            })
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    // A score dated before the session it rates.
    let own = c.create(&c.draft_for(client, days_before(10)));
    let err =
        c.f.store
            .write(|tx| {
                outcome::add(
                    tx,
                    ScoreId::new(),
                    &outcome::NewScore {
                        client_id: client,
                        scale: Scale::GaisPractitioner,
                        value: 2.0,
                        recorded_on: days_before(11),
                        subject: ScoreSubject {
                            session_id: Some(own.id),
                            ..Default::default()
                        }
                        .clone(),
                        note: "".to_owned(),
                    },
                    today(),
                    now(),
                )
            })
            .unwrap_err();
    assert_eq!(err.field(), Some("recorded_on"), "{err}");
    assert!(
        err.to_string().contains("before the session it rates"),
        "{err}"
    );
    assert!(
        outcome::list(c.db(), client).unwrap().is_empty(),
        "nothing stored"
    );
}
