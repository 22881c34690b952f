//! One demo client's course: screening, consents, a plan, sessions (some
//! with warnings answered, some signed and amended), scores, a follow-up
//! visit and now and then an adverse event.

use super::*;

/// Zones and starting depths (mm) for an indication.
pub(super) fn zones_for(indication: Indication) -> &'static [(&'static str, f64)] {
    match indication {
        Indication::AcneScars => &[("cheeks", 1.0), ("chin", 0.75)],
        Indication::FineLines => &[("forehead", 0.25), ("periorbital", 0.25)],
        Indication::Pigmentation => &[("cheeks", 0.5), ("forehead", 0.25)],
        Indication::StretchMarks => &[("stretch_marks", 1.5)],
        Indication::Texture | Indication::Other => &[("cheeks", 0.75), ("nose", 0.5)],
    }
}

pub(super) const REASONS: &[(WarningRule, &str)] = &[
    (
        WarningRule::Contraindication,
        "discussed with the client's GP; treated conservatively outside the affected area",
    ),
    (
        WarningRule::Caution,
        "discussed at consultation; antiviral cover / extra care agreed",
    ),
    (
        WarningRule::ScreeningMissing,
        "verbal screening done, written form to follow",
    ),
    (
        WarningRule::ScreeningStale,
        "client confirmed nothing has changed; new form at next visit",
    ),
    (
        WarningRule::ConsentMissing,
        "verbal consent witnessed; form signed after the session",
    ),
    (
        WarningRule::IntervalShort,
        "client travelling next month; agreed to bring the session forward",
    ),
    (
        WarningRule::DepthOutsideGuide,
        "deep atrophic scars in this area; depth agreed at consultation",
    ),
    (
        WarningRule::DepthAboveDevice,
        "test pass only, skin response checked",
    ),
    (
        WarningRule::LotExpired,
        "lot recorded in error at the time; see amendment",
    ),
];

/// One demo client whose course is being made.
pub(super) struct DemoClient {
    pub(super) id: ClientId,
    /// Who treats them.
    pub(super) practitioner: PractitionerId,
    pub(super) indication: Indication,
    /// The client's place in the demo list (varies their course).
    pub(super) index: usize,
}

pub(super) fn demo_course(
    tx: Db<'_>,
    random: &mut Lcg,
    settings: &ClinicSettings,
    catalogue: &DemoCatalogue,
    who: &DemoClient,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    let (client_id, practitioner_id, indication, i) =
        (who.id, who.practitioner, who.indication, who.index);
    let planned = 3 + random.below(4);
    let done = 1 + random.below(planned);
    let interval = 35 + i64::from(random.below(10));
    let last = today - Duration::days(3 + i64::from(random.below(30)));
    let first = last - Duration::days(interval * i64::from(done - 1));
    let consult = first - Duration::days(7 + i64::from(random.below(14)));

    let mut answers = Vec::new();
    if i % 5 == 1 {
        answers.push(ScreeningAnswer {
            key: "herpes".into(),
            yes: true,
            last_on: None,
            note: "last cold sore two years ago".into(),
        });
    }
    if i % 13 == 6 {
        answers.push(ScreeningAnswer {
            key: "isotretinoin".into(),
            yes: true,
            last_on: Some(consult - Duration::days(120)),
            note: "course finished, dermatologist aware".into(),
        });
    }
    screening::add(
        tx,
        ScreeningId::new(),
        &screening::NewScreening {
            client_id,
            taken_on: consult,
            answers: answers.to_vec(),
        },
        settings,
        today,
        now,
    )?;
    let signature = "M 10 40 C 30 10, 50 70, 70 40 S 110 10, 130 40";
    for kind in [ConsentKind::Treatment, ConsentKind::ClinicalPhotos] {
        consent::add(
            tx,
            ConsentId::new(),
            &consent::NewConsent {
                client_id,
                kind,
                given_on: consult,
                signature: signature.to_owned(),
            },
            &settings.consent_template_version,
            today,
            now,
        )?;
    }
    if i.is_multiple_of(3) {
        let marketing = consent::add(
            tx,
            ConsentId::new(),
            &consent::NewConsent {
                client_id,
                kind: ConsentKind::MarketingPhotos,
                given_on: consult,
                signature: signature.to_owned(),
            },
            &settings.consent_template_version,
            today,
            now,
        )?;
        if i.is_multiple_of(6) && first < today {
            consent::revoke(
                tx,
                marketing.id,
                first,
                "client changed her mind about social media",
                today,
                now,
            )?;
        }
    }
    let zones = zones_for(indication);
    let plan = plan::add(
        tx,
        PlanId::new(),
        client_id,
        &PlanInput {
            created_on: consult,
            goals: GOALS[i % GOALS.len()].to_owned(),
            concerns: "Downtime around work; wants to see progress photos each visit.".to_owned(),
            skin_assessment: format!(
                "Fitzpatrick and Glogau as recorded; {} most visible on the {}.",
                match indication {
                    Indication::AcneScars => "rolling and boxcar scars",
                    Indication::FineLines => "fine lines",
                    Indication::Pigmentation => "patchy pigmentation",
                    Indication::StretchMarks => "white striae",
                    _ => "uneven texture and enlarged pores",
                },
                zones[0].0.replace('_', " ")
            ),
            zones: zones
                .iter()
                .map(|(zone, mm)| PlannedZone {
                    zone: (*zone).to_owned(),
                    target_depth: NeedleDepth::from_mm(mm + 0.25).expect("valid demo depth"),
                })
                .collect(),
            sessions_planned: planned,
            interval_days: interval as u32,
        },
        settings,
        today,
        now,
    )?;
    let device = catalogue.devices[i % 2];
    for n in 0..done {
        let mut date = first + Duration::days(interval * i64::from(n));
        if i % 7 == 2 && n == 1 {
            date -= Duration::days(interval - 21); // brought forward: a short interval
        }
        let hour = 9 + (i + n as usize) % 8;
        let started_at = format!(
            "{date}T{hour:02}:{:02}:00+00:00",
            [0, 15, 30, 45][n as usize % 4]
        );
        let step = if i.is_multiple_of(2) { 0.25 } else { 0.05 };
        let mut zone_inputs: Vec<ZoneInput> = zones
            .iter()
            .map(|(zone, mm)| {
                let depth = mm + f64::from(n.min(2)) * 0.25;
                let depth = (depth / step).round() * step;
                ZoneInput {
                    zone: (*zone).to_owned(),
                    depth_mm: (depth * 100.0).round() / 100.0,
                    passes: 2 + random.below(3),
                    technique: ["vertical stamping", "crosshatch", "circular"]
                        [random.below(3) as usize]
                        .to_owned(),
                }
            })
            .collect();
        if i.is_multiple_of(8) && n == done - 1 {
            zone_inputs[0].depth_mm = 2.0; // deeper than the guide: a warning with a reason
        }
        let cartridge = catalogue.cartridges[(i + n as usize) % 2];
        let serum = catalogue.serums[(i + n as usize) % catalogue.serums.len()];
        let draft = SessionDraft {
            client_id,
            practitioner_id,
            started_at,
            plan_id: Some(plan.id),
            device_id: Some(device),
            cartridge: Some(LotInput {
                product: cartridge.0.to_owned(),
                lot: cartridge.1.to_owned(),
            }),
            anaesthetic: if i % 9 == 4 {
                None
            } else {
                Some(AnaestheticInput {
                    product: "Lidocaine 5% cream".to_owned(),
                    lot: Some("LD-7781".to_owned()),
                    applied_at: Some(format!("{:02}:{:02}", hour - 1, 20)),
                    removed_at: Some(format!("{:02}:{:02}", hour - 1, 55)),
                })
            },
            zones: zone_inputs,
            products: vec![
                ProductInput {
                    product: serum.0.to_owned(),
                    lot: serum.1.to_owned(),
                    phase: Phase::During,
                },
                ProductInput {
                    product: "Mineral SPF 50".to_owned(),
                    lot: "SPF-2290".to_owned(),
                    phase: Phase::After,
                },
            ],
            endpoint: Some(if zones[0].1 >= 1.0 {
                Endpoint::PinpointBleeding
            } else {
                Endpoint::Erythema
            }),
            pain: Some(2 + random.below(5) as u8),
            immediate_reaction: [
                "Even erythema, settled within the hour",
                "Moderate erythema and mild oedema",
                "Mild erythema",
            ][random.below(3) as usize]
                .to_owned(),
            adverse_events: if i % 10 == 5 && n == 0 {
                "Small area of petechiae on the left cheek; resolved in 3 days".to_owned()
            } else {
                String::new()
            },
            aftercare: settings.aftercare_templates[0].text.clone(),
            notes: if n == 0 {
                "First session of the course; skin tolerated well.".to_owned()
            } else {
                String::new()
            },
        };
        let warnings = session::preview(tx, &draft, None, now)?;
        let overrides: Vec<WarningOverride> = warnings
            .iter()
            .map(|w| WarningOverride {
                rule: w.rule,
                subject: w.subject.clone(),
                reason: REASONS
                    .iter()
                    .find(|(r, _)| *r == w.rule)
                    .map(|(_, t)| (*t).to_owned())
                    .unwrap_or_default(),
            })
            .collect();
        // Saved at the end of the appointment.
        let at = Utc.from_utc_datetime(&date.and_hms_opt(hour as u32, 0, 0).expect("valid time"))
            + Duration::minutes(70);
        let session = session::create(tx, SessionId::new(), &draft, &overrides, at)?;
        let last_one = n == done - 1;
        if !(last_one && i % 3 == 1) {
            let signer = session::Signer {
                practitioner: practitioner_id,
                account: None,
            };
            let rule = crate::settings::CosignRule::Never;
            session::sign(tx, session.id, signer, rule, at + Duration::minutes(50))?;
            if i % 6 == 2 && n == 0 {
                let mut fixed = session::to_draft(&session);
                fixed.pain = Some(fixed.pain.unwrap_or(4).saturating_sub(2));
                session::amend(
                    tx,
                    (AmendmentId::new(), None),
                    session.id,
                    &fixed,
                    &session::recorded_overrides(&session),
                    "pain score entered wrongly; the client reported a lower score",
                    at + Duration::days(1),
                )?;
            }
        }
        // Outcome scores improve over the course, with some noise.
        let progress = f64::from(n) / f64::from(planned.max(2) - 1);
        let on_session = ScoreSubject {
            session_id: Some(session.id),
            ..ScoreSubject::default()
        };
        let score = |scale: Scale, value: f64| {
            outcome::add(
                tx,
                ScoreId::new(),
                &outcome::NewScore {
                    client_id,
                    scale,
                    value,
                    recorded_on: date,
                    subject: on_session.clone(),
                    note: "".to_owned(),
                },
                today,
                at,
            )
            .map(|_| ())
        };
        if n > 0 {
            score(
                Scale::GaisPractitioner,
                (4.0 - (progress * 2.5).round()).clamp(1.0, 4.0),
            )?;
            score(
                Scale::GaisClient,
                (4.0 - (progress * 2.0 + 0.4).round()).clamp(1.0, 4.0),
            )?;
        }
        score(
            Scale::Satisfaction,
            (5.0 + progress * 4.0 + f64::from(random.below(2)))
                .min(10.0)
                .round(),
        )?;
        match indication {
            Indication::AcneScars => {
                score(
                    Scale::GoodmanBaronGrade,
                    if progress < 0.5 { 3.0 } else { 2.0 },
                )?;
                score(Scale::GoodmanBaronScore, (22.0 - progress * 9.0).round())?;
            }
            Indication::Pigmentation => {
                score(Scale::Mmasi, ((9.6 - progress * 4.2) * 10.0).round() / 10.0)?;
            }
            _ => {}
        }
        if !session.adverse_events.is_empty() {
            let event = followup::report_event(
                tx,
                AdverseEventId::new(),
                &followup::NewAdverseEvent {
                    client_id,
                    session_id: Some(session.id),
                    started_on: date,
                    description: session.adverse_events.to_owned(),
                    severity: Severity::Mild,
                },
                today,
                at,
            )?;
            followup::resolve_event(
                tx,
                event.id,
                date + Duration::days(3),
                "resolved without treatment; checked at the next visit",
                today,
                at + Duration::days(3),
            )?;
        }
    }
    // A finished course gets a follow-up visit six weeks after the last
    // session, or three when six have not passed yet.
    let review = [42, 21]
        .into_iter()
        .map(|days| last + Duration::days(days))
        .find(|review| *review <= today);
    if let Some(review) = review.filter(|_| done == planned) {
        let visit = followup::add_visit(
            tx,
            FollowUpId::new(),
            client_id,
            review,
            "Review after the course: results still improving; advised maintenance in six months.",
            today,
            now,
        )?;
        let at_visit = ScoreSubject {
            follow_up_id: Some(visit.id),
            ..ScoreSubject::default()
        };
        outcome::add(
            tx,
            ScoreId::new(),
            &outcome::NewScore {
                client_id,
                scale: Scale::GaisPractitioner,
                value: 2.0,
                recorded_on: review,
                subject: at_visit.clone(),
                note: "".to_owned(),
            },
            today,
            now,
        )?;
        outcome::add(
            tx,
            ScoreId::new(),
            &outcome::NewScore {
                client_id,
                scale: Scale::Satisfaction,
                value: 9.0,
                recorded_on: review,
                subject: at_visit.clone(),
                note: "".to_owned(),
            },
            today,
            now,
        )?;
    }
    Ok(done as usize)
}

pub(super) const GOALS: &[&str] = &[
    "Smoother skin texture and less visible scarring before a family wedding.",
    "Softer fine lines around the eyes without downtime.",
    "A more even skin tone; fewer dark patches.",
    "Less visible stretch marks on the abdomen.",
    "Smaller-looking pores and a brighter complexion.",
];
