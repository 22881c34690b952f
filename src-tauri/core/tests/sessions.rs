//! Treatment sessions through the store: saving with care warnings and
//! reasons, validation, signing, amendments, course position and audit.

use chrono::{DateTime, Duration, Utc};
use pinpoint_core::catalogue::{self, DeviceInput, ProductKind};
use pinpoint_core::consent;
use pinpoint_core::ids::{AmendmentId, DeviceId, LotId, PlanId, ProductId, SessionId};
use pinpoint_core::plan::{self, PlanInput, PlannedZone};
use pinpoint_core::screening::ScreeningAnswer;
use pinpoint_core::session::{
    self, AnaestheticInput, Endpoint, LotInput, Phase, ProductInput, RecordedWarning, SessionDraft,
    TreatmentSession, ZoneInput,
};
use pinpoint_core::settings;
use pinpoint_core::settings::CosignRule;
use pinpoint_core::warnings::{WarningOverride, WarningRule};
use pinpoint_core::{audit, ErrorKind, Result};

use crate::clinic::{at, clinic, days_before, Clinic};
use crate::{now, today};

fn reason(rule: WarningRule, subject: &str, reason: &str) -> WarningOverride {
    WarningOverride {
        rule,
        subject: subject.to_owned(),
        reason: reason.to_owned(),
    }
}

fn add_device(c: &mut Clinic, max_mm: f64, evaluated_up_to_mm: Option<f64>) -> DeviceId {
    let input = DeviceInput {
        model: "Auriga MN-2 pen".to_owned(),
        serial: "AMN2-204117".to_owned(),
        min_depth_mm: 0.25,
        max_depth_mm: max_mm,
        step_mm: 0.25,
        evaluated_up_to_mm,
    };
    c.f.store
        .write(|tx| catalogue::add_device(tx, DeviceId::new(), &input, now()))
        .unwrap()
        .id
}

fn sign(c: &mut Clinic, id: SessionId) -> Result<TreatmentSession> {
    let by = c.practitioner;
    c.f.store.write(|tx| {
        let signer = session::Signer {
            practitioner: by,
            account: None,
        };
        session::sign(
            tx,
            id,
            signer,
            CosignRule::Never,
            now() + Duration::minutes(30),
        )
    })
}

fn update(c: &mut Clinic, id: SessionId, draft: &SessionDraft) -> Result<TreatmentSession> {
    c.f.store
        .write(|tx| session::update(tx, id, draft, &[], now() + Duration::minutes(20)))
}

fn amend_at(
    c: &mut Clinic,
    id: SessionId,
    draft: &SessionDraft,
    overrides: &[WarningOverride],
    why: &str,
    when: DateTime<Utc>,
) -> Result<TreatmentSession> {
    c.f.store.write(|tx| {
        session::amend(
            tx,
            (AmendmentId::new(), None),
            id,
            draft,
            overrides,
            why,
            when,
        )
    })
}

fn amend(
    c: &mut Clinic,
    id: SessionId,
    draft: &SessionDraft,
    why: &str,
) -> Result<TreatmentSession> {
    amend_at(c, id, draft, &[], why, now() + Duration::days(1))
}

fn get(c: &Clinic, id: SessionId) -> TreatmentSession {
    session::get(c.db(), id).unwrap()
}

/// A session with everything a practitioner can record.
fn full_draft(c: &mut Clinic) -> SessionDraft {
    let device = add_device(c, 2.5, None);
    SessionDraft {
        device_id: Some(device),
        cartridge: Some(LotInput {
            product: "Nano 36-pin".to_owned(),
            lot: " C-100 ".to_owned(),
        }),
        anaesthetic: Some(AnaestheticInput {
            product: "Lidocaine 5% cream".to_owned(),
            lot: Some("LD-7781".to_owned()),
            applied_at: Some("08:15".to_owned()),
            removed_at: Some("08:50".to_owned()),
        }),
        zones: vec![
            ZoneInput {
                zone: "cheeks".to_owned(),
                depth_mm: 1.25,
                passes: 3,
                technique: " crosshatch ".to_owned(),
            },
            ZoneInput {
                zone: "forehead".to_owned(),
                depth_mm: 0.5,
                passes: 2,
                technique: String::new(),
            },
        ],
        products: vec![
            ProductInput {
                product: "Hyaluronic serum".to_owned(),
                lot: "HA-55".to_owned(),
                phase: Phase::During,
            },
            ProductInput {
                product: "Mineral SPF 50".to_owned(),
                lot: "SPF-2290".to_owned(),
                phase: Phase::After,
            },
        ],
        endpoint: Some(Endpoint::Erythema),
        pain: Some(3),
        immediate_reaction: " Even erythema ".to_owned(),
        adverse_events: String::new(),
        aftercare: "Standard aftercare".to_owned(),
        notes: "First session of the course".to_owned(),
        ..c.draft()
    }
}

#[test]
fn a_full_session_reads_back_with_every_field() {
    let mut c = clinic();
    let draft = full_draft(&mut c);
    let s = c.create(&draft);
    assert_eq!(get(&c, s.id), s, "a stored session reads back unchanged");
    assert_eq!(
        session::list(c.db(), c.client).unwrap(),
        std::slice::from_ref(&s),
        "the client's sessions list it"
    );
    assert_eq!(s.local_date, today(), "the clinic's calendar date is kept");
    assert_eq!(
        s.started_at,
        "2026-11-25T08:00:00Z".parse::<DateTime<Utc>>().unwrap(),
        "09:00 at UTC+1 is 08:00 UTC"
    );
    assert_eq!(s.practitioner, "Maya Lewis");
    assert_eq!(s.device.as_ref().unwrap().model, "Auriga MN-2 pen");
    let cartridge = s.cartridge.as_ref().unwrap();
    assert_eq!(
        (
            cartridge.product.as_str(),
            cartridge.lot_number.as_str(),
            cartridge.kind
        ),
        ("Nano 36-pin", "C-100", ProductKind::Cartridge),
        "a new cartridge lot is added to the catalogue, trimmed"
    );
    let anaesthetic = s.anaesthetic.as_ref().unwrap();
    assert_eq!(
        anaesthetic.lot.as_ref().unwrap().kind,
        ProductKind::Anaesthetic
    );
    assert_eq!(anaesthetic.applied_at.as_deref(), Some("08:15"));
    assert_eq!(anaesthetic.removed_at.as_deref(), Some("08:50"));
    let zones: Vec<(&str, &str, String, u32, &str)> = s
        .zones
        .iter()
        .map(|z| {
            (
                z.zone.as_str(),
                z.zone_name.as_str(),
                z.depth.to_string(),
                z.passes,
                z.technique.as_str(),
            )
        })
        .collect();
    assert_eq!(
        zones,
        [
            ("cheeks", "Cheeks", "1.25 mm".to_owned(), 3, "crosshatch"),
            ("forehead", "Forehead", "0.5 mm".to_owned(), 2, ""),
        ],
        "zones keep their order, depth and passes"
    );
    let products: Vec<(&str, &str, Phase)> = s
        .products
        .iter()
        .map(|p| (p.lot.product.as_str(), p.lot.lot_number.as_str(), p.phase))
        .collect();
    assert_eq!(
        products,
        [
            ("Hyaluronic serum", "HA-55", Phase::During),
            ("Mineral SPF 50", "SPF-2290", Phase::After)
        ]
    );
    assert_eq!(s.endpoint, Some(Endpoint::Erythema));
    assert_eq!(s.pain, Some(3));
    assert_eq!(s.immediate_reaction, "Even erythema", "text is trimmed");
    assert!(s.warnings.is_empty(), "nothing to warn about");
    assert_eq!((s.signed_at, s.signed_by), (None, None), "not signed yet");
    assert_eq!((s.created_at, s.updated_at), (now(), now()));
    assert_eq!((s.course_position, s.course_length), (None, None));

    let again = session::to_draft(&s);
    assert_eq!(
        DateTime::parse_from_rfc3339(&again.started_at).unwrap(),
        DateTime::parse_from_rfc3339(&draft.started_at).unwrap(),
        "to_draft keeps the instant"
    );
    assert_eq!(
        SessionDraft {
            started_at: draft.started_at.clone(),
            ..again
        },
        SessionDraft {
            cartridge: Some(LotInput {
                product: "Nano 36-pin".to_owned(),
                lot: "C-100".to_owned(),
            }),
            zones: vec![
                ZoneInput {
                    technique: "crosshatch".to_owned(),
                    ..draft.zones[0].clone()
                },
                draft.zones[1].clone()
            ],
            immediate_reaction: "Even erythema".to_owned(),
            ..draft.clone()
        },
        "to_draft gives back what was typed, as stored"
    );
}

#[test]
fn warnings_without_reasons_are_refused_and_nothing_is_written() {
    let mut c = clinic();
    let bare = c.add_bare_client("Aisha Rahman");
    let mut draft = c.draft_for(bare, today());
    draft.zones[0].zone = "forehead".to_owned(); // 1 mm; the guide says 0.25 to 0.5
    let before = c.counts();

    let previewed = session::preview(c.db(), &draft, None, now()).unwrap();
    let found: Vec<(WarningRule, &str)> = previewed
        .iter()
        .map(|w| (w.rule, w.subject.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (WarningRule::ScreeningMissing, ""),
            (WarningRule::ConsentMissing, ""),
            (WarningRule::DepthOutsideGuide, "forehead"),
        ]
    );
    assert_eq!(c.counts(), before, "a preview writes nothing");

    let all = [
        reason(WarningRule::ScreeningMissing, "", " verbal screening done "),
        reason(
            WarningRule::ConsentMissing,
            "",
            "verbal consent, form to follow",
        ),
        reason(
            WarningRule::DepthOutsideGuide,
            "forehead",
            "deep acne scars",
        ),
    ];
    let refusals: &[(&str, Vec<WarningOverride>, &str)] = &[
        ("no reasons", vec![], "3 care warnings need a reason"),
        (
            "one reason missing",
            all[..2].to_vec(),
            "1 care warning needs a reason",
        ),
        (
            "one reason blank",
            vec![
                all[0].clone(),
                all[1].clone(),
                reason(WarningRule::DepthOutsideGuide, "forehead", "  "),
            ],
            "1 care warning needs a reason",
        ),
        (
            "a reason for the wrong zone",
            vec![
                all[0].clone(),
                all[1].clone(),
                reason(WarningRule::DepthOutsideGuide, "cheeks", "deep acne scars"),
            ],
            "1 care warning needs a reason",
        ),
    ];
    for (case, overrides, message) in refusals {
        let err = c.try_create(&draft, overrides).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{case}: {err}");
        assert_eq!(
            err.field(),
            Some("warnings"),
            "{case}: the form shows it by the warnings"
        );
        assert!(err.to_string().starts_with(message), "{case}: {err}");
        assert_eq!(
            c.counts(),
            before,
            "{case}: a refused session writes nothing"
        );
    }

    let mut overrides = all.to_vec();
    overrides.push(reason(WarningRule::LotExpired, "X", "not raised, not kept"));
    let s = c.try_create(&draft, &overrides).unwrap();
    assert_eq!(
        s.warnings,
        previewed
            .iter()
            .zip([
                "verbal screening done",
                "verbal consent, form to follow",
                "deep acne scars"
            ])
            .map(|(w, why)| RecordedWarning {
                rule: w.rule,
                subject: w.subject.clone(),
                message: w.message.clone(),
                reason: why.to_owned(),
            })
            .collect::<Vec<_>>(),
        "the record keeps each warning as shown, with its reason (trimmed)"
    );
    assert_eq!(get(&c, s.id).warnings, s.warnings, "and reads them back");
}

#[test]
fn a_blank_duplicate_override_does_not_replace_the_recorded_reason() {
    let mut c = clinic();
    let mut draft = c.draft();
    draft.zones[0].depth_mm = 2.0;
    let s = c
        .try_create(
            &draft,
            &[
                reason(WarningRule::DepthOutsideGuide, "cheeks", ""),
                reason(
                    WarningRule::DepthOutsideGuide,
                    "cheeks",
                    "deep boxcar scars",
                ),
            ],
        )
        .unwrap();
    assert_eq!(
        s.warnings[0].reason, "deep boxcar scars",
        "the reason that let the session through is the one on the record"
    );
}

#[test]
fn preview_adds_nothing_to_the_catalogue() {
    let mut c = clinic();
    let draft = SessionDraft {
        cartridge: Some(LotInput {
            product: "Brand-new cartridge".to_owned(),
            lot: "NEW-1".to_owned(),
        }),
        products: vec![ProductInput {
            product: "Brand-new serum".to_owned(),
            lot: "NEW-2".to_owned(),
            phase: Phase::During,
        }],
        ..c.draft()
    };
    let before = c.counts();
    assert_eq!(session::preview(c.db(), &draft, None, now()).unwrap(), []);
    assert_eq!(c.counts(), before, "a preview never adds products or lots");
    assert!(catalogue::list_products(c.db()).unwrap().is_empty());
    c.create(&draft);
    assert_eq!(
        catalogue::list_products(c.db()).unwrap().len(),
        2,
        "saving adds the new cartridge and serum"
    );
}

#[test]
fn the_store_gathers_the_facts_each_rule_needs() {
    let mut c = clinic();
    // A session ten days ago, under the old (all "no") screening.
    c.create(&c.draft_for(c.client, days_before(10)));
    // Today's screening: isotretinoin a month ago, and a keloid history.
    let yes = |key: &str, last_on| ScreeningAnswer {
        key: key.to_owned(),
        yes: true,
        last_on,
        note: String::new(),
    };
    c.screen(
        c.client,
        &[
            yes("isotretinoin", Some(days_before(30))),
            yes("keloid", None),
        ],
    );
    // Treatment consent revoked five days ago.
    let consent = consent::list(c.db(), c.client).unwrap()[0].id;
    c.f.store
        .write(|tx| consent::revoke(tx, consent, days_before(5), "moved away", today(), now()))
        .unwrap();
    // A pen evaluated up to 1 mm, and a cartridge lot that expired yesterday.
    let device = add_device(&mut c, 2.5, Some(1.0));
    c.f.store
        .write(|tx| {
            let p = catalogue::add_product(
                tx,
                ProductId::new(),
                "Nano 36-pin",
                ProductKind::Cartridge,
                "Auriga",
                Some(36),
                now(),
            )?;
            catalogue::add_lot(tx, LotId::new(), p.id, "C-OLD", Some(days_before(1)), now())
        })
        .unwrap();
    let draft = SessionDraft {
        device_id: Some(device),
        cartridge: Some(LotInput {
            product: "nano 36-PIN".to_owned(),
            lot: "c-old".to_owned(),
        }),
        zones: vec![ZoneInput {
            zone: "cheeks".to_owned(),
            depth_mm: 1.25,
            passes: 2,
            technique: String::new(),
        }],
        ..c.draft()
    };
    let found: Vec<(WarningRule, String)> = session::preview(c.db(), &draft, None, now())
        .unwrap()
        .into_iter()
        .map(|w| (w.rule, w.subject))
        .collect();
    let expected = [
        (WarningRule::Contraindication, "isotretinoin"),
        (WarningRule::Contraindication, "keloid"),
        (WarningRule::ConsentMissing, ""),
        (WarningRule::IntervalShort, ""),
        (WarningRule::DepthAboveDevice, "cheeks"),
        (WarningRule::LotExpired, "C-OLD"),
    ];
    assert_eq!(
        found,
        expected.map(|(r, s)| (r, s.to_owned())),
        "the latest screening, the revoked consent, the earlier session, the device and the \
         catalogue's expiry date all reach the rules"
    );

    // The clinic's settings are what the rules read.
    let mut settings = c.settings();
    settings.min_interval_days = 7;
    settings.usual_interval_days = 21;
    c.f.store
        .write(|tx| settings::save(tx, &settings, now()))
        .unwrap();
    let rules: Vec<WarningRule> = session::preview(c.db(), &draft, None, now())
        .unwrap()
        .into_iter()
        .map(|w| w.rule)
        .collect();
    assert!(
        !rules.contains(&WarningRule::IntervalShort),
        "ten days is enough once the clinic's minimum is seven: {rules:?}"
    );
}

#[test]
fn a_stale_screening_is_found_through_the_store() {
    let mut c = clinic();
    let mut settings = c.settings();
    settings.screening_valid_days = 60;
    c.f.store
        .write(|tx| settings::save(tx, &settings, now()))
        .unwrap();
    let found = session::preview(c.db(), &c.draft(), None, now()).unwrap();
    assert_eq!(
        found.iter().map(|w| w.rule).collect::<Vec<_>>(),
        [WarningRule::ScreeningStale],
        "the 90-day-old screening is past the clinic's 60 days"
    );
}

#[test]
fn editing_a_session_does_not_count_it_as_its_own_previous_session() {
    let mut c = clinic();
    let s = c.create(&c.draft());
    let mut draft = session::to_draft(&s);
    draft.notes = "client asked for a gentler pass next time".to_owned();
    let preview_as_new = session::preview(c.db(), &draft, None, now()).unwrap();
    assert_eq!(
        preview_as_new.iter().map(|w| w.rule).collect::<Vec<_>>(),
        [WarningRule::IntervalShort],
        "as a second session the same day it would be too soon"
    );
    assert_eq!(
        session::preview(c.db(), &draft, Some(s.id), now()).unwrap(),
        [],
        "as an edit of itself it is not"
    );
    let edited = update(&mut c, s.id, &draft).expect("the edit needs no reason");
    assert_eq!(edited.notes, draft.notes);
}

#[test]
fn an_unsigned_session_can_be_edited() {
    let mut c = clinic();
    let s = c.create(&c.draft());
    let mut draft = session::to_draft(&s);
    draft.zones[0].depth_mm = 1.5;
    draft.pain = Some(4);
    let edited = update(&mut c, s.id, &draft).unwrap();
    assert_eq!(edited, get(&c, s.id), "the edit is stored");
    assert_eq!(edited.zones[0].depth.to_string(), "1.5 mm");
    assert_eq!(edited.pain, Some(4));
    assert_eq!(edited.created_at, s.created_at, "creation time stays");
    assert_eq!(edited.updated_at, now() + Duration::minutes(20));
    assert!(
        edited.amendments.is_empty(),
        "an edit before signing is no amendment"
    );

    let other = c.add_client("Sofia Marquez");
    let moved = SessionDraft {
        client_id: other,
        ..draft
    };
    let err = update(&mut c, s.id, &moved).unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("client_id")),
        "a session cannot move to another client: {err}"
    );
}

#[test]
fn a_signed_session_is_locked() {
    let mut c = clinic();
    let s = c.create(&c.draft());
    let signed = sign(&mut c, s.id).unwrap();
    assert_eq!(signed.signed_at, Some(now() + Duration::minutes(30)));
    assert_eq!(signed.signed_by, Some(c.practitioner));
    let before = c.counts();

    let mut draft = session::to_draft(&signed);
    draft.zones[0].depth_mm = 1.25;
    let err = update(&mut c, s.id, &draft).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Locked,
        "a signed session must refuse edits: {err}"
    );
    assert_eq!(get(&c, s.id), signed, "the record is unchanged");

    let err = sign(&mut c, s.id).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Conflict,
        "signing twice is a conflict: {err}"
    );
    assert_eq!(get(&c, s.id), signed, "the first signature stays");
    assert_eq!(
        c.counts(),
        before,
        "refusals write nothing, not even audit events"
    );

    let err =
        c.f.store
            .write(|tx| {
                session::sign(
                    tx,
                    SessionId::new(),
                    session::Signer {
                        practitioner: c.practitioner,
                        account: None,
                    },
                    CosignRule::Never,
                    now(),
                )
            })
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn amendments_need_a_signed_session_a_reason_and_a_change() {
    let mut c = clinic();
    let other = c.add_client("Sofia Marquez");
    let s = c.create(&c.draft());
    let mut draft = session::to_draft(&s);
    draft.zones[0].depth_mm = 1.25;

    let err = amend(&mut c, s.id, &draft, "depth misread").unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Conflict,
        "an unsigned session is edited, not amended: {err}"
    );

    let signed = sign(&mut c, s.id).unwrap();
    let before = c.counts();
    for blank in ["", "   "] {
        let err = amend(&mut c, s.id, &draft, blank).unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Invalid, Some("reason")),
            "an amendment needs a reason: {err}"
        );
    }
    let unchanged = session::to_draft(&signed);
    let err = amend(&mut c, s.id, &unchanged, "nothing really").unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("reason")),
        "an amendment that changes nothing is refused: {err}"
    );
    let moved = SessionDraft {
        client_id: other,
        ..draft.clone()
    };
    let err = amend(&mut c, s.id, &moved, "wrong client").unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("client_id"))
    );
    assert_eq!(c.counts(), before, "refused amendments write nothing");
    assert_eq!(get(&c, s.id), signed, "the signed record is unchanged");
}

#[test]
fn an_amendment_changes_the_record_and_keeps_the_reason_and_what_changed() {
    let mut c = clinic();
    let s = c.create(&c.draft());
    let signed = sign(&mut c, s.id).unwrap();
    let mut draft = session::to_draft(&signed);
    draft.zones[0].depth_mm = 1.25;
    draft.pain = Some(2);
    let amended = amend(&mut c, s.id, &draft, " depth misread from the pen ").unwrap();

    assert_eq!(amended, get(&c, s.id), "the amendment is stored");
    assert_eq!(
        amended.zones[0].depth.to_string(),
        "1.25 mm",
        "the current content is the amended one"
    );
    assert_eq!(amended.pain, Some(2));
    assert_eq!(
        (amended.signed_at, amended.signed_by),
        (signed.signed_at, signed.signed_by),
        "an amended session stays signed"
    );
    assert_eq!(amended.updated_at, now() + Duration::days(1));
    let [amendment] = amended.amendments.as_slice() else {
        panic!("one amendment: {:?}", amended.amendments);
    };
    assert_eq!(amendment.reason, "depth misread from the pen");
    assert_eq!(amendment.at, now() + Duration::days(1));
    assert_eq!(
        amendment.changes,
        [
            "zones: \"Cheeks 1 mm × 3, vertical stamping\" → \"Cheeks 1.25 mm × 3, vertical stamping\"",
            "pain: (none) → \"2\"",
        ],
        "the amendment says what changed, from what to what"
    );

    let mut draft = session::to_draft(&amended);
    draft.notes = "reviewed with the client".to_owned();
    let twice = amend_at(
        &mut c,
        s.id,
        &draft,
        &[],
        "note added",
        now() + Duration::days(2),
    )
    .unwrap();
    assert_eq!(
        twice
            .amendments
            .iter()
            .map(|a| a.reason.as_str())
            .collect::<Vec<_>>(),
        ["depth misread from the pen", "note added"],
        "amendments accumulate, oldest first"
    );
    assert_eq!(
        twice.amendments[1].changes,
        ["notes: (none) → \"reviewed with the client\""]
    );
    assert_eq!(
        twice.amendments[0], *amendment,
        "an earlier amendment never changes"
    );
}

#[test]
fn an_amendment_raising_a_warning_needs_its_reason_and_keeps_earlier_ones() {
    let mut c = clinic();
    let mut draft = c.draft();
    draft.zones[0].depth_mm = 2.0;
    let why = reason(
        WarningRule::DepthOutsideGuide,
        "cheeks",
        "deep boxcar scars",
    );
    let s = c.try_create(&draft, std::slice::from_ref(&why)).unwrap();
    let signed = sign(&mut c, s.id).unwrap();
    assert_eq!(session::recorded_overrides(&signed), [why]);

    let mut draft = session::to_draft(&signed);
    draft.zones.push(ZoneInput {
        zone: "neck".to_owned(),
        depth_mm: 1.0,
        passes: 2,
        technique: String::new(),
    });
    let err = amend_at(
        &mut c,
        s.id,
        &draft,
        &session::recorded_overrides(&signed),
        "neck treated too, left off",
        now() + Duration::days(1),
    )
    .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("warnings")),
        "the new zone's warning needs its own reason: {err}"
    );
    assert!(get(&c, s.id).amendments.is_empty(), "nothing was amended");

    let mut overrides = session::recorded_overrides(&signed);
    overrides.push(reason(WarningRule::DepthOutsideGuide, "neck", "neck bands"));
    let amended = amend_at(
        &mut c,
        s.id,
        &draft,
        &overrides,
        "neck treated too, left off",
        now() + Duration::days(1),
    )
    .unwrap();
    assert_eq!(
        amended
            .warnings
            .iter()
            .map(|w| (w.subject.as_str(), w.reason.as_str()))
            .collect::<Vec<_>>(),
        [("cheeks", "deep boxcar scars"), ("neck", "neck bands")],
        "the earlier reason is carried forward beside the new one"
    );
}

#[test]
fn amendments_cannot_be_changed_or_deleted() {
    let mut c = clinic();
    let s = c.create(&c.draft());
    sign(&mut c, s.id).unwrap();
    let mut draft = c.draft();
    draft.pain = Some(5);
    amend(&mut c, s.id, &draft, "pain score added").unwrap();
    let conn = c.db();
    let err = conn
        .execute("UPDATE session_amendment SET reason = 'rewritten'", &[])
        .expect_err("the store refuses to rewrite an amendment");
    assert!(
        err.to_string().contains("amendments cannot be changed"),
        "{err}"
    );
    let err = conn
        .execute("DELETE FROM session_amendment", &[])
        .expect_err("the store refuses to delete an amendment");
    assert!(
        err.to_string().contains("amendments cannot be deleted"),
        "{err}"
    );
    assert_eq!(get(&c, s.id).amendments[0].reason, "pain score added");
}

type Spoil = fn(&mut SessionDraft);

#[test]
fn impossible_sessions_are_refused_with_the_field_named() {
    let mut c = clinic();
    let other = c.add_client("Sofia Marquez");
    let settings = c.settings();
    let plan_of_other =
        c.f.store
            .write(|tx| {
                plan::add(
                    tx,
                    PlanId::new(),
                    other,
                    &PlanInput {
                        created_on: today(),
                        goals: String::new(),
                        concerns: String::new(),
                        skin_assessment: String::new(),
                        zones: vec![PlannedZone {
                            zone: "cheeks".to_owned(),
                            target_depth: pinpoint_core::depth::NeedleDepth::from_mm(1.0).unwrap(),
                        }],
                        sessions_planned: 4,
                        interval_days: 42,
                    },
                    &settings,
                    today(),
                    now(),
                )
            })
            .unwrap()
            .id;
    let cases: &[(&str, &str, Spoil)] = &[
        ("depth 0", "zones", |d| d.zones[0].depth_mm = 0.0),
        ("negative depth", "zones", |d| d.zones[0].depth_mm = -0.5),
        ("depth 3.1 mm", "zones", |d| d.zones[0].depth_mm = 3.1),
        ("depth NaN", "zones", |d| d.zones[0].depth_mm = f64::NAN),
        ("depth 0.005 mm", "zones", |d| d.zones[0].depth_mm = 0.005),
        ("unknown zone", "zones", |d| {
            d.zones[0].zone = "earlobes".to_owned()
        }),
        ("no zone", "zones", |d| d.zones.clear()),
        ("0 passes", "zones", |d| d.zones[0].passes = 0),
        ("21 passes", "zones", |d| d.zones[0].passes = 21),
        ("pain 11", "pain", |d| d.pain = Some(11)),
        ("11 minutes from now", "started_at", |d| {
            d.started_at = "2026-11-25T10:11:00Z".to_owned()
        }),
        ("tomorrow", "started_at", |d| {
            d.started_at = at(today().succ_opt().unwrap(), "09:00")
        }),
        ("not a time", "started_at", |d| {
            d.started_at = "25/11/2026 09:00".to_owned()
        }),
        ("before 2000", "started_at", |d| {
            d.started_at = "1999-12-31T09:00:00+01:00".to_owned()
        }),
        ("anaesthetic removed before applied", "anaesthetic", |d| {
            d.anaesthetic = Some(AnaestheticInput {
                product: "Lidocaine 5% cream".to_owned(),
                lot: None,
                applied_at: Some("08:30".to_owned()),
                removed_at: Some("08:10".to_owned()),
            })
        }),
        ("anaesthetic time not HH:MM", "anaesthetic", |d| {
            d.anaesthetic = Some(AnaestheticInput {
                product: "Lidocaine 5% cream".to_owned(),
                lot: None,
                applied_at: Some("8.30am".to_owned()),
                removed_at: None,
            })
        }),
        ("anaesthetic with no name", "anaesthetic", |d| {
            d.anaesthetic = Some(AnaestheticInput {
                product: " ".to_owned(),
                lot: None,
                applied_at: None,
                removed_at: None,
            })
        }),
        ("cartridge with no lot", "cartridge", |d| {
            d.cartridge = Some(LotInput {
                product: "Nano 36-pin".to_owned(),
                lot: " ".to_owned(),
            })
        }),
        ("product with no lot", "products", |d| {
            d.products = vec![ProductInput {
                product: "Hyaluronic serum".to_owned(),
                lot: String::new(),
                phase: Phase::During,
            }]
        }),
        ("notes too long", "notes", |d| d.notes = "x".repeat(10_001)),
    ];
    let before = c.counts();
    for (case, field, spoil) in cases {
        let mut draft = c.draft();
        spoil(&mut draft);
        for result in [
            session::preview(c.db(), &draft, None, now()).map(|_| ()),
            c.try_create(&draft, &[]).map(|_| ()),
        ] {
            let err = result.expect_err(case);
            assert_eq!(err.kind(), ErrorKind::Invalid, "{case}: {err}");
            assert_eq!(
                err.field(),
                Some(*field),
                "{case} is blamed on {field}: {err}"
            );
            assert!(
                !err.to_string().ends_with('.'),
                "{case}: no trailing dot: {err}"
            );
        }
        assert_eq!(c.counts(), before, "{case}: nothing is written");
    }

    let mut draft = c.draft();
    draft.plan_id = Some(plan_of_other);
    let err = c.try_create(&draft, &[]).unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("plan_id")),
        "a session cannot count against another client's plan: {err}"
    );
    assert_eq!(c.counts(), before, "nothing is written");
}

#[test]
fn the_edges_of_what_is_possible_are_accepted() {
    let c = clinic();
    let cases: &[(&str, Spoil)] = &[
        ("exactly 10 minutes from now", |d| {
            d.started_at = "2026-11-25T10:10:00Z".to_owned()
        }),
        ("1 pass", |d| d.zones[0].passes = 1),
        ("20 passes", |d| d.zones[0].passes = 20),
        ("pain 0", |d| d.pain = Some(0)),
        ("pain 10", |d| d.pain = Some(10)),
        ("anaesthetic removed as applied", |d| {
            d.anaesthetic = Some(AnaestheticInput {
                product: "Lidocaine 5% cream".to_owned(),
                lot: None,
                applied_at: Some("08:30".to_owned()),
                removed_at: Some("08:30".to_owned()),
            })
        }),
        ("blank anaesthetic times", |d| {
            d.anaesthetic = Some(AnaestheticInput {
                product: "Lidocaine 5% cream".to_owned(),
                lot: Some(String::new()),
                applied_at: Some(String::new()),
                removed_at: None,
            })
        }),
        ("notes of 10 000 characters", |d| {
            d.notes = "é".repeat(10_000)
        }),
    ];
    for (case, change) in cases {
        let mut draft = c.draft();
        change(&mut draft);
        let warnings = session::preview(c.db(), &draft, None, now())
            .unwrap_or_else(|e| panic!("{case} must be accepted: {e}"));
        assert_eq!(warnings, [], "{case} raises no warning");
    }
    let mut deepest = c.draft();
    deepest.zones[0].zone = "body".to_owned();
    deepest.zones[0].depth_mm = 3.0;
    let warnings = session::preview(c.db(), &deepest, None, now()).unwrap();
    assert_eq!(
        warnings.iter().map(|w| w.rule).collect::<Vec<_>>(),
        [WarningRule::DepthOutsideGuide],
        "3 mm is possible, only outside the guide"
    );
}

#[test]
fn sessions_know_their_place_in_the_course() {
    let mut c = clinic();
    let settings = c.settings();
    let client = c.client;
    let plan =
        c.f.store
            .write(|tx| {
                plan::add(
                    tx,
                    PlanId::new(),
                    client,
                    &PlanInput {
                        created_on: days_before(80),
                        goals: "smoother texture".to_owned(),
                        concerns: String::new(),
                        skin_assessment: String::new(),
                        zones: vec![PlannedZone {
                            zone: "cheeks".to_owned(),
                            target_depth: pinpoint_core::depth::NeedleDepth::from_mm(1.0).unwrap(),
                        }],
                        sessions_planned: 4,
                        interval_days: 30,
                    },
                    &settings,
                    today(),
                    now(),
                )
            })
            .unwrap();
    // Entered out of order: the latest first, then the earliest, then the middle.
    let mut ids = Vec::new();
    for days in [0, 60, 30] {
        let draft = SessionDraft {
            plan_id: Some(plan.id),
            ..c.draft_for(client, days_before(days))
        };
        ids.push((days, c.create(&draft).id));
    }
    let mut positions: Vec<(i64, Option<u32>, Option<u32>)> = ids
        .iter()
        .map(|(days, id)| {
            let s = get(&c, *id);
            (*days, s.course_position, s.course_length)
        })
        .collect();
    positions.sort();
    assert_eq!(
        positions,
        [
            (0, Some(3), Some(4)),
            (30, Some(2), Some(4)),
            (60, Some(1), Some(4))
        ],
        "position n of 4 follows the session dates, not the order of entry"
    );
    let listed: Vec<(Option<u32>, chrono::NaiveDate)> = session::list(c.db(), client)
        .unwrap()
        .iter()
        .map(|s| (s.course_position, s.local_date))
        .collect();
    assert_eq!(
        listed,
        [
            (Some(1), days_before(60)),
            (Some(2), days_before(30)),
            (Some(3), today())
        ],
        "the list is oldest first"
    );
    assert_eq!(plan::get(c.db(), plan.id).unwrap().sessions_done, 3);
}

#[test]
fn a_session_near_midnight_keeps_its_clinic_date_through_to_draft() {
    let mut c = clinic();
    // 00:30 at UTC+1 is still the previous day in UTC.
    let draft = SessionDraft {
        started_at: "2026-11-25T00:30:00+01:00".to_owned(),
        ..c.draft()
    };
    let s = c.create(&draft);
    assert_eq!(s.local_date, today(), "the clinic's date, not the UTC date");
    let mut again = session::to_draft(&s);
    again.notes = "checked".to_owned();
    let edited = update(&mut c, s.id, &again).unwrap();
    assert_eq!(
        edited.local_date,
        today(),
        "editing a session from its own draft must not move it to another day"
    );
}

#[test]
fn create_sign_and_amend_leave_an_unbroken_audit_trail() {
    let mut c = clinic();
    let draft = full_draft(&mut c);
    let s = c.create(&draft);
    sign(&mut c, s.id).unwrap();
    let mut draft = session::to_draft(&get(&c, s.id));
    draft.pain = Some(1);
    amend(&mut c, s.id, &draft, "pain score entered wrongly").unwrap();

    let actions: Vec<String> = c
        .db()
        .query_map(
            "SELECT action FROM audit_event WHERE entity = 'session' AND entity_id = ?1 ORDER BY seq",
            &[&s.id],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(
        actions,
        ["create", "sign", "amend"],
        "each step leaves an event"
    );
    let report = audit::verify_chain(c.db()).unwrap();
    assert_eq!(report.first_broken, None, "the chain holds: {report:?}");
    assert!(
        report.events >= 3 + 5,
        "the session's lots were audited too: {report:?}"
    );
}

#[test]
fn a_client_list_read_set_wise_equals_each_session_read_alone() {
    let mut f = crate::fresh();
    f.store
        .write(|tx| pinpoint_core::demo::fill(tx, crate::today(), crate::now()))
        .unwrap();
    let clients = pinpoint_core::client::search(
        f.store.db(),
        &pinpoint_core::client::ClientQuery {
            include_archived: true,
            ..Default::default()
        },
    )
    .unwrap();
    let mut compared = 0;
    for client in clients {
        let listed = pinpoint_core::session::list(f.store.db(), client.id).unwrap();
        for s in &listed {
            let alone = pinpoint_core::session::get(f.store.db(), s.id).unwrap();
            assert_eq!(
                &alone, s,
                "session {} of {} reads the same in the list and alone",
                s.id, client.name
            );
            compared += 1;
        }
    }
    assert!(
        compared > 50,
        "the demo has a course to compare ({compared})"
    );
}
