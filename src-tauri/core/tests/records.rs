//! The records around a session: screening, consents, plans, the catalogue
//! of devices, products and lots, and the clinic settings.

use chrono::{Duration, NaiveDate};
use pinpoint_core::catalogue::{self, DeviceInput, ProductKind};
use pinpoint_core::consent::{self, Consent, ConsentKind};
use pinpoint_core::depth::NeedleDepth;
use pinpoint_core::ids::{ClientId, ConsentId, DeviceId, LotId, PlanId, ProductId, ScreeningId};
use pinpoint_core::plan::{self, PlanInput, PlannedZone, TreatmentPlan};
use pinpoint_core::screening::{self, Screening, ScreeningAnswer};
use pinpoint_core::settings::{self, ClinicSettings};
use pinpoint_core::{ErrorKind, Result};

use crate::clinic::{clinic, days_before, Clinic};
use crate::{now, today};

fn answer(key: &str, yes: bool, last_on: Option<NaiveDate>) -> ScreeningAnswer {
    ScreeningAnswer {
        key: key.to_owned(),
        yes,
        last_on,
        note: String::new(),
    }
}

fn screen(
    c: &mut Clinic,
    client: ClientId,
    taken_on: NaiveDate,
    answers: &[ScreeningAnswer],
) -> Result<Screening> {
    let settings = c.settings();
    c.f.store.write(|tx| {
        screening::add(
            tx,
            ScreeningId::new(),
            &screening::NewScreening {
                client_id: client,
                taken_on,
                answers: answers.to_vec(),
            },
            &settings,
            today(),
            now(),
        )
    })
}

#[test]
fn screenings_that_cannot_be_right_are_refused() {
    let mut c = clinic();
    let client = c.add_bare_client("Aisha Rahman");
    let before = c.counts();
    let cases: &[(&str, NaiveDate, Vec<ScreeningAnswer>, &str)] = &[
        (
            "taken tomorrow",
            today() + Duration::days(1),
            vec![],
            "taken_on",
        ),
        (
            "an unknown question",
            today(),
            vec![answer("smoker", true, None)],
            "answers",
        ),
        (
            "a question answered twice",
            today(),
            vec![answer("herpes", true, None), answer("herpes", false, None)],
            "answers",
        ),
        (
            "a last date after the screening",
            days_before(10),
            vec![answer("isotretinoin", true, Some(days_before(5)))],
            "answers",
        ),
    ];
    for (case, taken_on, answers, field) in cases {
        let err = screen(&mut c, client, *taken_on, answers).unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Invalid, Some(*field)),
            "{case}: {err}"
        );
    }
    assert_eq!(c.counts(), before, "refused screenings write nothing");
    assert!(
        screen(&mut c, client, today(), &[]).is_ok(),
        "a screening taken today is fine"
    );
}

#[test]
fn unanswered_questions_are_stored_as_no() {
    let mut c = clinic();
    let client = c.add_bare_client("Aisha Rahman");
    let s = screen(
        &mut c,
        client,
        today(),
        &[
            answer("herpes", true, None),
            answer("isotretinoin", false, Some(days_before(400))),
            answer("recent_sun_or_retinoids", true, Some(days_before(3))),
        ],
    )
    .unwrap();
    let settings = c.settings();
    assert_eq!(
        s.answers.len(),
        settings.screening_questions.len(),
        "every question has an answer"
    );
    for q in &settings.screening_questions {
        let a = s.answer(&q.key).expect("each question answered");
        let expected = ["herpes", "recent_sun_or_retinoids"].contains(&q.key.as_str());
        assert_eq!(a.yes, expected, "{}: only the yes answers are yes", q.key);
    }
    assert_eq!(
        s.answer("isotretinoin").unwrap().last_on,
        None,
        "a no keeps no date"
    );
    assert_eq!(
        s.answer("recent_sun_or_retinoids").unwrap().last_on,
        Some(days_before(3))
    );
    assert_eq!(s.question_set, settings.screening_version);
    assert_eq!(
        screening::list(c.db(), client).unwrap(),
        [s],
        "the screening reads back as stored"
    );
}

#[test]
fn the_latest_screening_on_or_before_a_date_counts() {
    let mut c = clinic();
    let client = c.add_bare_client("Aisha Rahman");
    let old = screen(&mut c, client, days_before(100), &[]).unwrap();
    let new = screen(
        &mut c,
        client,
        days_before(10),
        &[answer("diabetes", true, None)],
    )
    .unwrap();
    let latest = |on: NaiveDate| screening::latest(c.db(), client, on).unwrap().map(|s| s.id);
    let cases = [
        (days_before(101), None, "nothing before the first screening"),
        (days_before(100), Some(old.id), "the day of the first"),
        (days_before(50), Some(old.id), "between the two"),
        (days_before(10), Some(new.id), "the day of the second"),
        (today(), Some(new.id), "after both"),
    ];
    for (on, expected, case) in cases {
        assert_eq!(latest(on), expected, "{case}");
    }
    assert_eq!(
        screening::list(c.db(), client)
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        [new.id, old.id],
        "screenings are listed newest first; none replaces another"
    );
}

fn give(c: &mut Clinic, client: ClientId, kind: ConsentKind, on: NaiveDate) -> Result<Consent> {
    c.f.store.write(|tx| {
        consent::add(
            tx,
            ConsentId::new(),
            &consent::NewConsent {
                client_id: client,
                kind,
                given_on: on,
                signature: "M 1 1 L 20 20".to_owned(),
            },
            "2026-1",
            today(),
            now(),
        )
    })
}

fn revoke(c: &mut Clinic, id: ConsentId, on: NaiveDate) -> Result<Consent> {
    c.f.store
        .write(|tx| consent::revoke(tx, id, on, " moved away ", today(), now()))
}

#[test]
fn consents_hold_from_the_day_given_until_the_day_revoked() {
    let mut c = clinic();
    let client = c.add_bare_client("Aisha Rahman");
    let given = give(&mut c, client, ConsentKind::Treatment, days_before(60)).unwrap();
    give(&mut c, client, ConsentKind::ClinicalPhotos, days_before(60)).unwrap();

    let before = c.counts();
    for (case, on, kind) in [
        (
            "a revocation tomorrow",
            today() + Duration::days(1),
            ErrorKind::Invalid,
        ),
        (
            "a revocation before the consent",
            days_before(61),
            ErrorKind::Invalid,
        ),
    ] {
        let err = revoke(&mut c, given.id, on).unwrap_err();
        assert_eq!(err.kind(), kind, "{case}: {err}");
        assert_eq!(err.field(), Some("revoked_on"), "{case}");
    }
    assert_eq!(c.counts(), before, "refused revocations write nothing");

    let holds = |c: &Clinic, kind, on| consent::holds(c.db(), client, kind, on).unwrap();
    assert!(
        !holds(&c, ConsentKind::Treatment, days_before(61)),
        "not before it was given"
    );
    assert!(
        holds(&c, ConsentKind::Treatment, days_before(60)),
        "from the day it is given"
    );
    assert!(holds(&c, ConsentKind::Treatment, today()), "until revoked");
    assert!(
        !holds(&c, ConsentKind::MarketingPhotos, today()),
        "each kind of consent is given separately"
    );

    let revoked = revoke(&mut c, given.id, days_before(5)).unwrap();
    assert_eq!(revoked.revoked_on, Some(days_before(5)));
    assert_eq!(revoked.revoke_reason.as_deref(), Some("moved away"));
    assert!(
        holds(&c, ConsentKind::Treatment, days_before(6)),
        "it held before the revocation"
    );
    assert!(
        !holds(&c, ConsentKind::Treatment, days_before(5)),
        "not from the revocation day"
    );
    assert!(!holds(&c, ConsentKind::Treatment, today()), "nor after");
    assert!(
        holds(&c, ConsentKind::ClinicalPhotos, today()),
        "revoking one kind leaves the others"
    );

    let err = revoke(&mut c, given.id, today()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "revoking twice: {err}");
    assert_eq!(
        consent::get(c.db(), given.id).unwrap(),
        revoked,
        "the first revocation stays"
    );
}

#[test]
fn consents_need_a_past_date_and_a_signature() {
    let mut c = clinic();
    let client = c.add_bare_client("Aisha Rahman");
    let err = give(
        &mut c,
        client,
        ConsentKind::Treatment,
        today() + Duration::days(1),
    )
    .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("given_on"))
    );
    let err =
        c.f.store
            .write(|tx| {
                consent::add(
                    tx,
                    ConsentId::new(),
                    &consent::NewConsent {
                        client_id: client,
                        kind: ConsentKind::Treatment,
                        given_on: today(),
                        signature: "   ".to_owned(),
                    },
                    "2026-1",
                    today(),
                    now(),
                )
            })
            .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("signature"))
    );
    assert!(
        consent::list(c.db(), client).unwrap().is_empty(),
        "nothing stored"
    );
}

fn plan_input(created_on: NaiveDate, sessions: u32, zones: &[&str]) -> PlanInput {
    PlanInput {
        created_on,
        goals: " smoother texture ".to_owned(),
        concerns: String::new(),
        skin_assessment: "rolling acne scars".to_owned(),
        zones: zones
            .iter()
            .map(|z| PlannedZone {
                zone: (*z).to_owned(),
                target_depth: NeedleDepth::from_mm(1.0).unwrap(),
            })
            .collect(),
        sessions_planned: sessions,
        interval_days: 42,
    }
}

fn add_plan(c: &mut Clinic, client: ClientId, input: &PlanInput) -> Result<TreatmentPlan> {
    let settings = c.settings();
    c.f.store
        .write(|tx| plan::add(tx, PlanId::new(), client, input, &settings, today(), now()))
}

#[test]
fn impossible_plans_are_refused() {
    let mut c = clinic();
    let client = c.client;
    let cases = [
        (
            "no session",
            plan_input(today(), 0, &["cheeks"]),
            "sessions_planned",
        ),
        (
            "21 sessions",
            plan_input(today(), 21, &["cheeks"]),
            "sessions_planned",
        ),
        (
            "an unknown zone",
            plan_input(today(), 4, &["cheeks", "earlobes"]),
            "zones",
        ),
        ("no zone", plan_input(today(), 4, &[]), "zones"),
        (
            "dated tomorrow",
            plan_input(today() + Duration::days(1), 4, &["cheeks"]),
            "created_on",
        ),
        (
            "no interval",
            PlanInput {
                interval_days: 0,
                ..plan_input(today(), 4, &["cheeks"])
            },
            "interval_days",
        ),
    ];
    let before = c.counts();
    for (case, input, field) in cases {
        let err = add_plan(&mut c, client, &input).unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Invalid, Some(field)),
            "{case}: {err}"
        );
    }
    assert_eq!(c.counts(), before, "refused plans write nothing");
}

#[test]
fn a_new_plan_closes_the_open_one() {
    let mut c = clinic();
    let client = c.client;
    let other = c.add_client("Sofia Marquez");
    let other_plan = add_plan(&mut c, other, &plan_input(days_before(30), 3, &["neck"])).unwrap();
    let first = add_plan(&mut c, client, &plan_input(days_before(60), 4, &["cheeks"])).unwrap();
    assert!(!first.closed);
    assert_eq!(first.goals, "smoother texture", "text is trimmed");
    assert_eq!(plan::active(c.db(), client).unwrap(), Some(first.clone()));

    let second = add_plan(&mut c, client, &plan_input(today(), 6, &["cheeks", "chin"])).unwrap();
    assert!(
        plan::get(c.db(), first.id).unwrap().closed,
        "the earlier plan is closed"
    );
    assert_eq!(
        plan::active(c.db(), client).unwrap().map(|p| p.id),
        Some(second.id),
        "the new plan is the open one"
    );
    assert_eq!(
        plan::list(c.db(), client)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        [second.id, first.id],
        "plans are listed newest first"
    );
    assert!(
        !plan::get(c.db(), other_plan.id).unwrap().closed,
        "another client's plan stays open"
    );
}

fn pen() -> DeviceInput {
    DeviceInput {
        model: "Auriga MN-2 pen".to_owned(),
        serial: "AMN2-204117".to_owned(),
        min_depth_mm: 0.25,
        max_depth_mm: 2.5,
        step_mm: 0.25,
        evaluated_up_to_mm: Some(2.0),
    }
}

#[test]
fn devices() {
    let mut c = clinic();
    let cases = [
        (
            "no model",
            DeviceInput {
                model: " ".to_owned(),
                ..pen()
            },
            "model",
        ),
        (
            "max not above min",
            DeviceInput {
                max_depth_mm: 0.25,
                ..pen()
            },
            "max_depth_mm",
        ),
        (
            "max beyond 3 mm",
            DeviceInput {
                max_depth_mm: 3.5,
                ..pen()
            },
            "max_depth_mm",
        ),
        (
            "negative min",
            DeviceInput {
                min_depth_mm: -0.1,
                ..pen()
            },
            "min_depth_mm",
        ),
        (
            "no step",
            DeviceInput {
                step_mm: 0.0,
                ..pen()
            },
            "step_mm",
        ),
        (
            "NaN step",
            DeviceInput {
                step_mm: f64::NAN,
                ..pen()
            },
            "step_mm",
        ),
        (
            "evaluated beyond 3 mm",
            DeviceInput {
                evaluated_up_to_mm: Some(4.0),
                ..pen()
            },
            "evaluated_up_to_mm",
        ),
    ];
    for (case, input, field) in cases {
        let err =
            c.f.store
                .write(|tx| catalogue::add_device(tx, DeviceId::new(), &input, now()))
                .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Invalid, Some(field)),
            "{case}: {err}"
        );
    }
    assert!(catalogue::list_devices(c.db()).unwrap().is_empty());

    let d =
        c.f.store
            .write(|tx| catalogue::add_device(tx, DeviceId::new(), &pen(), now()))
            .unwrap();
    assert_eq!(d.max_depth.to_string(), "2.5 mm");
    assert_eq!(
        d.evaluated_up_to.map(|e| e.to_string()).as_deref(),
        Some("2 mm")
    );
    assert_eq!((d.min_depth_mm, d.step_mm), (0.25, 0.25));
    assert_eq!(
        catalogue::list_devices(c.db()).unwrap(),
        std::slice::from_ref(&d)
    );
    for wanted in ["amn2-204117", " Auriga MN-2 PEN "] {
        assert_eq!(
            catalogue::find_device(c.db(), wanted).unwrap().id,
            d.id,
            "{wanted:?} finds the pen by serial or model, ignoring case"
        );
    }
    let err = catalogue::find_device(c.db(), "Dermapen").unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("device"))
    );
}

#[test]
fn products_and_lots() {
    let mut c = clinic();
    let serum =
        c.f.store
            .write(|tx| {
                catalogue::add_product(
                    tx,
                    ProductId::new(),
                    " Hyaluronic serum ",
                    ProductKind::Serum,
                    "Skinlab",
                    None,
                    now(),
                )
            })
            .unwrap();
    assert_eq!(serum.name, "Hyaluronic serum");

    let err =
        c.f.store
            .write(|tx| {
                catalogue::add_product(
                    tx,
                    ProductId::new(),
                    "HYALURONIC SERUM",
                    ProductKind::Serum,
                    "",
                    None,
                    now(),
                )
            })
            .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Conflict,
        "one serum per name, ignoring case"
    );
    c.f.store
        .write(|tx| {
            catalogue::add_product(
                tx,
                ProductId::new(),
                "Hyaluronic serum",
                ProductKind::Aftercare,
                "",
                None,
                now(),
            )
        })
        .expect("the same name may be another kind of product");

    let expires = Some(today() + Duration::days(300));
    c.f.store
        .write(|tx| catalogue::add_lot(tx, LotId::new(), serum.id, " HA-55 ", expires, now()))
        .unwrap();
    for (case, number, kind) in [
        (
            "the same lot again, in other case",
            "ha-55",
            ErrorKind::Conflict,
        ),
        ("a blank lot number", "  ", ErrorKind::Invalid),
    ] {
        let err =
            c.f.store
                .write(|tx| catalogue::add_lot(tx, LotId::new(), serum.id, number, None, now()))
                .unwrap_err();
        assert_eq!(err.kind(), kind, "{case}: {err}");
    }
    let stored = catalogue::get_product(c.db(), serum.id).unwrap();
    assert_eq!(
        stored
            .lots
            .iter()
            .map(|l| (l.lot_number.as_str(), l.expires_on))
            .collect::<Vec<_>>(),
        [("HA-55", expires)],
        "one lot, trimmed, with its expiry"
    );

    // resolve_lot: what a session uses when the practitioner types a lot.
    let resolved =
        c.f.store
            .write(|tx| {
                catalogue::resolve_lot(tx, "hyaluronic SERUM", ProductKind::Serum, "ha-55", now())
            })
            .unwrap();
    assert_eq!(
        (
            resolved.product_id,
            resolved.lot_number.as_str(),
            resolved.expires_on
        ),
        (serum.id, "HA-55", expires),
        "a known lot is found ignoring case, with its expiry"
    );
    let before = c.counts();
    let added =
        c.f.store
            .write(|tx| {
                catalogue::resolve_lot(tx, "Nano 36-pin", ProductKind::Cartridge, "C-100", now())
            })
            .unwrap();
    assert_eq!(
        (
            added.product.as_str(),
            added.kind,
            added.lot_number.as_str(),
            added.expires_on
        ),
        ("Nano 36-pin", ProductKind::Cartridge, "C-100", None),
        "an unknown product and lot are added as typed"
    );
    let after = c.counts();
    let grew = |table: &str| {
        let n = |counts: &[(&str, i64)]| counts.iter().find(|(t, _)| *t == table).unwrap().1;
        n(&after) - n(&before)
    };
    assert_eq!((grew("product"), grew("lot")), (1, 1));
    let again =
        c.f.store
            .write(|tx| {
                catalogue::resolve_lot(tx, "nano 36-PIN", ProductKind::Cartridge, "c-100", now())
            })
            .unwrap();
    assert_eq!(again, added, "the second time it is found, not added again");
    for (product, lot) in [("", "X-1"), ("Nano 36-pin", " ")] {
        let err =
            c.f.store
                .write(|tx| catalogue::resolve_lot(tx, product, ProductKind::Cartridge, lot, now()))
                .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{product:?} {lot:?}: {err}");
    }
}

type SpoilSettings = fn(&mut ClinicSettings);

#[test]
fn settings_default_until_saved_and_are_checked() {
    let mut c = clinic();
    let defaults = ClinicSettings::default();
    assert_eq!(c.settings(), defaults, "a new clinic has the defaults");
    assert_eq!(
        (
            defaults.min_interval_days,
            defaults.usual_interval_days,
            defaults.screening_valid_days
        ),
        (28, 42, 180)
    );
    let cheeks = defaults.zone("cheeks").unwrap();
    assert_eq!(
        (cheeks.min_depth.to_string(), cheeks.max_depth.to_string()),
        ("0.5 mm".to_owned(), "1.5 mm".to_owned())
    );
    assert_eq!(
        defaults.question("isotretinoin").unwrap().wait_days,
        Some(180)
    );
    for z in &defaults.zones {
        assert!(
            z.min_depth <= z.max_depth,
            "{}: the default range is in order",
            z.key
        );
    }

    let bad: &[(&str, SpoilSettings, &str)] = &[
        (
            "no minimum interval",
            |s| s.min_interval_days = 0,
            "min_interval_days",
        ),
        (
            "a minimum over a year",
            |s| s.min_interval_days = 366,
            "min_interval_days",
        ),
        (
            "usual shorter than minimum",
            |s| s.usual_interval_days = 20,
            "usual_interval_days",
        ),
        (
            "screening valid for no day",
            |s| s.screening_valid_days = 0,
            "screening_valid_days",
        ),
        (
            "a reversed zone range",
            |s| {
                let z = &mut s.zones[0];
                std::mem::swap(&mut z.min_depth, &mut z.max_depth);
            },
            "zones",
        ),
        (
            "two zones with one key",
            |s| {
                let copy = s.zones[0].clone();
                s.zones.push(copy);
            },
            "zones",
        ),
    ];
    let before = c.counts();
    for (case, spoil, field) in bad {
        let mut s = ClinicSettings::default();
        spoil(&mut s);
        let err =
            c.f.store
                .write(|tx| settings::save(tx, &s, now()))
                .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Invalid, Some(*field)),
            "{case}: {err}"
        );
    }
    assert_eq!(c.counts(), before, "refused settings write nothing");

    let mut mine = ClinicSettings {
        clinic_name: "Skin Studio".to_owned(),
        min_interval_days: 21,
        ..ClinicSettings::default()
    };
    c.f.store
        .write(|tx| settings::save(tx, &mine, now()))
        .unwrap();
    assert_eq!(c.settings(), mine, "saved settings read back");
    mine.clinic_name = "Skin Studio Leeds".to_owned();
    c.f.store
        .write(|tx| settings::save(tx, &mine, now()))
        .unwrap();
    assert_eq!(c.settings(), mine, "saving again replaces them");
}
