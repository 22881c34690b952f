//! The care-warning rules, case by case, through the pure `warnings::evaluate`.

use chrono::{Duration, NaiveDate};
use pinpoint_core::catalogue::{Device, LotRef, ProductKind};
use pinpoint_core::depth::NeedleDepth;
use pinpoint_core::ids::{ClientId, DeviceId, LotId, ProductId, ScreeningId};
use pinpoint_core::screening::{Screening, ScreeningAnswer};
use pinpoint_core::settings::ClinicSettings;
use pinpoint_core::warnings::{self, CareWarning, Facts, WarningOverride, WarningRule, ALL_RULES};
use WarningRule::*;

use crate::today;

/// Everything the rules look at, owned, so each case can change one thing.
struct Situation {
    settings: ClinicSettings,
    session_date: NaiveDate,
    screening: Option<Screening>,
    previous_session: Option<NaiveDate>,
    next_session: Option<NaiveDate>,
    treatment_consent: bool,
    device: Option<Device>,
    zones: Vec<(String, NeedleDepth)>,
    lots: Vec<LotRef>,
}

fn days_before(days: i64) -> NaiveDate {
    today() - Duration::days(days)
}

fn mm(mm: f64) -> NeedleDepth {
    NeedleDepth::from_mm(mm).expect("a valid test depth")
}

fn lot(product: &str, lot_number: &str, expires_on: Option<NaiveDate>) -> LotRef {
    LotRef {
        lot_id: LotId::new(),
        product_id: ProductId::new(),
        product: product.to_owned(),
        kind: ProductKind::Cartridge,
        lot_number: lot_number.to_owned(),
        expires_on,
    }
}

/// A session that raises nothing: screened 30 days ago with every answer
/// "no", consent given, the last session six weeks ago, cheeks at 1 mm on a
/// pen that sets 0.25 mm steps up to 2.5 mm, and a cartridge in date.
fn calm() -> Situation {
    let settings = ClinicSettings::default();
    let answers = settings
        .screening_questions
        .iter()
        .map(|q| ScreeningAnswer {
            key: q.key.clone(),
            yes: false,
            last_on: None,
            note: String::new(),
        })
        .collect();
    Situation {
        settings,
        session_date: today(),
        screening: Some(Screening {
            id: ScreeningId::new(),
            client_id: ClientId::new(),
            taken_on: days_before(30),
            question_set: 1,
            answers,
        }),
        previous_session: Some(days_before(42)),
        next_session: None,
        treatment_consent: true,
        device: Some(Device {
            id: DeviceId::new(),
            model: "Auriga MN-2 pen".to_owned(),
            serial: "AMN2-1".to_owned(),
            min_depth_mm: 0.25,
            max_depth: mm(2.5),
            step_mm: 0.25,
            evaluated_up_to: None,
            archived: false,
        }),
        zones: vec![("cheeks".to_owned(), mm(1.0))],
        lots: vec![lot(
            "Nano 36-pin",
            "C-100",
            Some(today() + Duration::days(200)),
        )],
    }
}

impl Situation {
    /// Answers `key` "yes", with the date it last applied.
    fn yes(&mut self, key: &str, last_on: Option<NaiveDate>) {
        let answer = self
            .screening
            .as_mut()
            .expect("a screening")
            .answers
            .iter_mut()
            .find(|a| a.key == key)
            .expect("a default question");
        answer.yes = true;
        answer.last_on = last_on;
    }

    fn zone(&mut self, key: &str, depth_mm: f64) {
        self.zones = vec![(key.to_owned(), mm(depth_mm))];
    }

    fn device(&mut self) -> &mut Device {
        self.device.as_mut().expect("a device")
    }

    fn evaluate(&self) -> Vec<CareWarning> {
        warnings::evaluate(&Facts {
            settings: &self.settings,
            session_date: self.session_date,
            screening: self.screening.as_ref(),
            previous_session: self.previous_session,
            next_session: self.next_session,
            treatment_consent: self.treatment_consent,
            device: self.device.as_ref(),
            zones: &self.zones,
            lots: &self.lots,
        })
    }
}

type Change = fn(&mut Situation);

/// The warnings a case must raise, as (rule, subject), in order.
type Expected = &'static [(WarningRule, &'static str)];

/// Applies `change` to the calm session and checks exactly which warnings
/// (rule and subject, in order) it raises.
fn check(case: &str, change: Change, expected: &[(WarningRule, &str)]) {
    let mut situation = calm();
    change(&mut situation);
    let found = situation.evaluate();
    let got: Vec<(WarningRule, &str)> =
        found.iter().map(|w| (w.rule, w.subject.as_str())).collect();
    assert_eq!(got, expected, "{case}: {found:#?}");
    for w in &found {
        assert!(
            !w.message.is_empty() && !w.message.ends_with('.'),
            "{case}: a warning says what is wrong, without a trailing dot: {:?}",
            w.message
        );
    }
}

#[test]
fn the_calm_session_raises_nothing() {
    check("calm", |_| {}, &[]);
}

#[test]
fn screening_answers() {
    let cases: &[(&str, Change, Expected)] = &[
        (
            "a yes to a contraindication warns",
            |s| s.yes("keloid", None),
            &[(Contraindication, "keloid")],
        ),
        (
            "a yes to a caution warns as a caution",
            |s| s.yes("herpes", None),
            &[(Caution, "herpes")],
        ),
        (
            "isotretinoin 179 days ago is inside the 180-day wait",
            |s| s.yes("isotretinoin", Some(days_before(179))),
            &[(Contraindication, "isotretinoin")],
        ),
        (
            "isotretinoin exactly 180 days ago has served the wait",
            |s| s.yes("isotretinoin", Some(days_before(180))),
            &[],
        ),
        (
            "isotretinoin 181 days ago has served the wait",
            |s| s.yes("isotretinoin", Some(days_before(181))),
            &[],
        ),
        (
            "isotretinoin with no date cannot be shown to be over",
            |s| s.yes("isotretinoin", None),
            &[(Contraindication, "isotretinoin")],
        ),
        (
            "a caution with a wait: sun 6 days ago is inside the 7-day wait",
            |s| s.yes("recent_sun_or_retinoids", Some(days_before(6))),
            &[(Caution, "recent_sun_or_retinoids")],
        ),
        (
            "a caution with a wait: sun exactly 7 days ago is over",
            |s| s.yes("recent_sun_or_retinoids", Some(days_before(7))),
            &[],
        ),
        (
            "a dated yes taken on the session day is inside the wait",
            |s| s.yes("recent_injectables_or_peel", Some(today())),
            &[(Caution, "recent_injectables_or_peel")],
        ),
        (
            "a no with a date is still a no",
            |s| {
                s.yes("isotretinoin", Some(days_before(10)));
                let answers = &mut s.screening.as_mut().unwrap().answers;
                answers.iter_mut().for_each(|a| a.yes = false);
            },
            &[],
        ),
        (
            "an answer to a question the clinic has since removed is ignored",
            |s| {
                s.yes("keloid", None);
                s.settings.screening_questions.retain(|q| q.key != "keloid");
            },
            &[],
        ),
        (
            "every yes is its own warning, contraindications before cautions",
            |s| {
                s.yes("herpes", None);
                s.yes("pregnant_or_breastfeeding", None);
                s.yes("diabetes", None);
            },
            &[
                (Contraindication, "pregnant_or_breastfeeding"),
                (Caution, "herpes"),
                (Caution, "diabetes"),
            ],
        ),
    ];
    for (case, change, expected) in cases {
        check(case, *change, expected);
    }
}

#[test]
fn screening_presence_and_age() {
    let cases: &[(&str, Change, Expected)] = &[
        (
            "no screening on record",
            |s| s.screening = None,
            &[(ScreeningMissing, "")],
        ),
        (
            "a screening exactly 180 days old is still valid",
            |s| s.screening.as_mut().unwrap().taken_on = days_before(180),
            &[],
        ),
        (
            "a screening 181 days old is stale",
            |s| s.screening.as_mut().unwrap().taken_on = days_before(181),
            &[(ScreeningStale, "")],
        ),
        (
            "a screening taken on the session day is valid",
            |s| s.screening.as_mut().unwrap().taken_on = today(),
            &[],
        ),
        (
            "a stale screening still raises its answers",
            |s| {
                s.screening.as_mut().unwrap().taken_on = days_before(400);
                s.yes("diabetes", None);
            },
            &[(Caution, "diabetes"), (ScreeningStale, "")],
        ),
        (
            "the clinic's own validity period counts",
            |s| {
                s.settings.screening_valid_days = 29;
                s.screening.as_mut().unwrap().taken_on = days_before(30);
            },
            &[(ScreeningStale, "")],
        ),
    ];
    for (case, change, expected) in cases {
        check(case, *change, expected);
    }
}

#[test]
fn consent_and_interval() {
    let cases: &[(&str, Change, Expected)] = &[
        (
            "no treatment consent in force",
            |s| s.treatment_consent = false,
            &[(ConsentMissing, "")],
        ),
        (
            "exactly the 28-day minimum interval",
            |s| s.previous_session = Some(days_before(28)),
            &[],
        ),
        (
            "one day short of the minimum interval",
            |s| s.previous_session = Some(days_before(27)),
            &[(IntervalShort, "")],
        ),
        (
            "a second session on the same day",
            |s| s.previous_session = Some(today()),
            &[(IntervalShort, "")],
        ),
        (
            "a session recorded late, 10 days before one already on record",
            |s| {
                s.previous_session = None;
                s.next_session = Some(today() + Duration::days(10));
            },
            &[(IntervalShort, "")],
        ),
        (
            "a session recorded late, 28 days before the next one",
            |s| {
                s.previous_session = None;
                s.next_session = Some(today() + Duration::days(28));
            },
            &[],
        ),
        (
            "a first session has no interval",
            |s| s.previous_session = None,
            &[],
        ),
        (
            "the clinic's own minimum counts",
            |s| {
                s.settings.min_interval_days = 14;
                s.previous_session = Some(days_before(14));
            },
            &[],
        ),
    ];
    for (case, change, expected) in cases {
        check(case, *change, expected);
    }
}

#[test]
fn depth_against_the_zone_guide() {
    // Cheeks are 0.5 to 1.5 mm in the default guide; no device here, so
    // only the guide speaks.
    let cases: &[(&str, Change, Expected)] = &[
        (
            "at the guide minimum",
            |s| {
                s.device = None;
                s.zone("cheeks", 0.5);
            },
            &[],
        ),
        (
            "at the guide maximum",
            |s| {
                s.device = None;
                s.zone("cheeks", 1.5);
            },
            &[],
        ),
        (
            "just below the guide",
            |s| {
                s.device = None;
                s.zone("cheeks", 0.49);
            },
            &[(DepthOutsideGuide, "cheeks")],
        ),
        (
            "just above the guide",
            |s| {
                s.device = None;
                s.zone("cheeks", 1.51);
            },
            &[(DepthOutsideGuide, "cheeks")],
        ),
        (
            "each zone is judged by its own guide",
            |s| {
                s.device = None;
                s.zones = vec![
                    ("forehead".to_owned(), mm(1.0)),
                    ("cheeks".to_owned(), mm(1.0)),
                    ("periorbital".to_owned(), mm(0.5)),
                ];
            },
            &[
                (DepthOutsideGuide, "forehead"),
                (DepthOutsideGuide, "periorbital"),
            ],
        ),
        (
            "a zone the clinic no longer has is not judged",
            |s| {
                s.device = None;
                s.zone("earlobes", 2.0);
            },
            &[],
        ),
    ];
    for (case, change, expected) in cases {
        check(case, *change, expected);
    }
}

#[test]
fn depth_against_the_device() {
    // The calm pen sets 0.25 mm steps from 0.25 mm up to 2.5 mm; body is
    // 0.5 to 2.5 mm in the guide, so only the device speaks.
    let cases: &[(&str, Change, Expected)] = &[
        ("at the device maximum", |s| s.zone("body", 2.5), &[]),
        (
            "above the device maximum",
            |s| {
                s.device().max_depth = mm(2.0);
                s.zone("body", 2.25);
            },
            &[(DepthAboveDevice, "body")],
        ),
        (
            "at the depth the device was evaluated up to",
            |s| {
                s.device().evaluated_up_to = Some(mm(1.5));
                s.zone("body", 1.5);
            },
            &[],
        ),
        (
            "above the depth the device was evaluated up to",
            |s| {
                s.device().evaluated_up_to = Some(mm(1.5));
                s.zone("body", 1.75);
            },
            &[(DepthAboveDevice, "body")],
        ),
        (
            "off the device's 0.25 mm steps",
            |s| s.zone("body", 1.1),
            &[(DepthAboveDevice, "body")],
        ),
        ("on a step", |s| s.zone("body", 1.75), &[]),
        (
            "below the device's shallowest setting (inside the zone's guide)",
            |s| s.zone("periorbital", 0.2),
            &[(DepthAboveDevice, "periorbital")],
        ),
        (
            "steps count from the device minimum",
            |s| {
                s.device().min_depth_mm = 0.2;
                s.zone("body", 0.7);
            },
            &[],
        ),
        (
            "a depth off the steps counted from the device minimum",
            |s| {
                s.device().min_depth_mm = 0.2;
                s.zone("body", 0.75);
            },
            &[(DepthAboveDevice, "body")],
        ),
        (
            "outside the guide and above the device: both warn",
            |s| {
                s.device().max_depth = mm(1.5);
                s.zone("cheeks", 1.75);
            },
            &[(DepthOutsideGuide, "cheeks"), (DepthAboveDevice, "cheeks")],
        ),
        (
            "no device recorded: no device warning",
            |s| {
                s.device = None;
                s.zone("body", 1.1);
            },
            &[],
        ),
    ];
    for (case, change, expected) in cases {
        check(case, *change, expected);
    }
}

#[test]
fn lot_expiry() {
    let cases: &[(&str, Change, Expected)] = &[
        (
            "a lot expiring on the session date is still usable",
            |s| s.lots = vec![lot("Nano 36-pin", "C-100", Some(today()))],
            &[],
        ),
        (
            "a lot that expired the day before",
            |s| s.lots = vec![lot("Nano 36-pin", "C-100", Some(days_before(1)))],
            &[(LotExpired, "C-100")],
        ),
        (
            "a lot with no expiry date recorded",
            |s| s.lots = vec![lot("Nano 36-pin", "C-100", None)],
            &[],
        ),
        (
            "only the expired lot of several warns",
            |s| {
                s.lots = vec![
                    lot("Nano 36-pin", "C-100", Some(today())),
                    lot("Hyaluronic serum", "HA-55", Some(days_before(30))),
                    lot("Lidocaine 5% cream", "LD-7", None),
                ]
            },
            &[(LotExpired, "HA-55")],
        ),
    ];
    for (case, change, expected) in cases {
        check(case, *change, expected);
    }
}

#[test]
fn warnings_come_in_a_stable_order() {
    let mut s = calm();
    s.yes("keloid", None);
    s.screening.as_mut().unwrap().taken_on = days_before(200);
    s.treatment_consent = false;
    s.previous_session = Some(days_before(3));
    s.zones = vec![("cheeks".to_owned(), mm(2.6))];
    s.lots = vec![lot("Nano 36-pin", "C-1", Some(days_before(1)))];
    let rules: Vec<WarningRule> = s.evaluate().iter().map(|w| w.rule).collect();
    assert_eq!(
        rules,
        [
            Contraindication,
            ScreeningStale,
            ConsentMissing,
            IntervalShort,
            DepthOutsideGuide,
            DepthAboveDevice,
            LotExpired
        ],
        "warnings follow the order of ALL_RULES so the list reads the same every time"
    );
    for rule in ALL_RULES {
        assert_eq!(
            WarningRule::parse(rule.as_str()).ok(),
            Some(rule),
            "a stored rule name reads back as the same rule"
        );
    }
}

#[test]
fn warning_messages_name_the_values() {
    let message = |change: Change| {
        let mut s = calm();
        change(&mut s);
        let found = s.evaluate();
        assert_eq!(found.len(), 1, "{found:#?}");
        found[0].message.clone()
    };
    let cases: &[(Change, &str)] = &[
        (
            |s| s.yes("isotretinoin", Some(days_before(100))),
            "Isotretinoin (Roaccutane) taken: last on 2026-08-17, 100 days before this session; the clinic waits 180 days",
        ),
        (
            |s| s.yes("isotretinoin", None),
            "Isotretinoin (Roaccutane) taken: answered yes with no date; the clinic waits 180 days",
        ),
        (
            |s| s.yes("keloid", None),
            "History of keloid or hypertrophic scarring: answered yes on 2026-10-26",
        ),
        (
            |s| s.screening = None,
            "no medical-history screening on record before this session",
        ),
        (
            |s| s.screening.as_mut().unwrap().taken_on = days_before(181),
            "the latest screening (2026-05-28) is 181 days old; the clinic renews it after 180 days",
        ),
        (
            |s| s.treatment_consent = false,
            "no treatment consent in force on 2026-11-25",
        ),
        (
            |s| s.previous_session = Some(days_before(27)),
            "only 27 days since the previous session on 2026-10-29; the clinic's minimum is 28 days",
        ),
        (
            |s| {
                s.device = None;
                s.zone("cheeks", 1.75);
            },
            "Cheeks: 1.75 mm is outside the guide range 0.5 to 1.5 mm",
        ),
        (
            |s| {
                s.device().max_depth = mm(2.0);
                s.zone("body", 2.25);
            },
            "Body: needle depth 2.25 mm is above the device maximum 2 mm",
        ),
        (
            |s| {
                s.device().evaluated_up_to = Some(mm(1.5));
                s.zone("body", 2.0);
            },
            "Body: needle depth 2 mm is above 1.5 mm, the depth the Auriga MN-2 pen AMN2-1 was evaluated up to",
        ),
        (
            |s| s.zone("body", 1.1),
            "Body: needle depth 1.1 mm is not one of the device's 0.25 mm steps",
        ),
        (
            |s| s.lots = vec![lot("Nano 36-pin", "C-100", Some(days_before(1)))],
            "Nano 36-pin lot C-100 expired on 2026-11-24",
        ),
    ];
    for (change, expected) in cases {
        assert_eq!(
            message(*change),
            *expected,
            "the message tells the practitioner what is wrong and with which value"
        );
    }
}

fn reason(rule: WarningRule, subject: &str, reason: &str) -> WarningOverride {
    WarningOverride {
        rule,
        subject: subject.to_owned(),
        reason: reason.to_owned(),
    }
}

#[test]
fn unanswered_warnings() {
    let mut s = calm();
    s.treatment_consent = false;
    s.device = None;
    s.zones = vec![
        ("forehead".to_owned(), mm(1.0)),
        ("neck".to_owned(), mm(1.0)),
    ];
    let found = s.evaluate();
    assert_eq!(found.len(), 3, "consent and two zones: {found:#?}");

    let cases: &[(&str, Vec<WarningOverride>, Expected)] = &[
        (
            "no reasons at all",
            vec![],
            &[
                (ConsentMissing, ""),
                (DepthOutsideGuide, "forehead"),
                (DepthOutsideGuide, "neck"),
            ],
        ),
        (
            "every warning answered",
            vec![
                reason(ConsentMissing, "", "verbal consent, form to follow"),
                reason(DepthOutsideGuide, "forehead", "deep scarring"),
                reason(DepthOutsideGuide, "neck", "deep scarring"),
            ],
            &[],
        ),
        (
            "a reason answers only its own zone",
            vec![
                reason(ConsentMissing, "", "verbal consent, form to follow"),
                reason(DepthOutsideGuide, "forehead", "deep scarring"),
            ],
            &[(DepthOutsideGuide, "neck")],
        ),
        (
            "an empty or blank reason does not count",
            vec![
                reason(ConsentMissing, "", ""),
                reason(DepthOutsideGuide, "forehead", "   "),
                reason(DepthOutsideGuide, "neck", "deep scarring"),
            ],
            &[(ConsentMissing, ""), (DepthOutsideGuide, "forehead")],
        ),
        (
            "a reason about another subject does not count",
            vec![
                reason(ConsentMissing, "neck", "wrong subject"),
                reason(DepthOutsideGuide, "cheeks", "wrong zone"),
                reason(DepthOutsideGuide, "neck", "deep scarring"),
            ],
            &[(ConsentMissing, ""), (DepthOutsideGuide, "forehead")],
        ),
        (
            "a reason under another rule does not count",
            vec![
                reason(ScreeningMissing, "", "wrong rule"),
                reason(DepthAboveDevice, "forehead", "wrong rule"),
                reason(DepthAboveDevice, "neck", "wrong rule"),
            ],
            &[
                (ConsentMissing, ""),
                (DepthOutsideGuide, "forehead"),
                (DepthOutsideGuide, "neck"),
            ],
        ),
        (
            "a blank duplicate does not hide a real reason",
            vec![
                reason(ConsentMissing, "", " "),
                reason(ConsentMissing, "", "verbal consent, form to follow"),
                reason(DepthOutsideGuide, "forehead", "deep scarring"),
                reason(DepthOutsideGuide, "neck", "deep scarring"),
            ],
            &[],
        ),
    ];
    for (case, overrides, expected) in cases {
        let missing: Vec<(WarningRule, &str)> = warnings::unanswered(&found, overrides)
            .iter()
            .map(|w| (w.rule, w.subject.as_str()))
            .collect();
        assert_eq!(&missing, expected, "{case}");
    }
}
