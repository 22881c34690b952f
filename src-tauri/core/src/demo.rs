//! A realistic small demo clinic, so a newcomer sees a living app at once.
//!
//! The data is made up and deterministic: the same `today` gives the same
//! clinic.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rusqlite::Transaction;

use crate::catalogue::{self, DeviceInput, ProductKind};
use crate::client::{self, ClientInput, Indication};
use crate::consent::{self, ConsentKind};
use crate::depth::NeedleDepth;
use crate::followup::{self, Severity};
use crate::ids::{
    AdverseEventId, AmendmentId, ClientId, ConsentId, DeviceId, FollowUpId, PlanId, PractitionerId,
    ScoreId, ScreeningId, SessionId,
};
use crate::outcome::{self, Scale, ScoreSubject};
use crate::plan::{self, PlanInput, PlannedZone};
use crate::screening::{self, ScreeningAnswer};
use crate::session::{
    self, AnaestheticInput, Endpoint, LotInput, Phase, ProductInput, SessionDraft, ZoneInput,
};
use crate::settings::{self, ClinicSettings};
use crate::warnings::{WarningOverride, WarningRule};
use crate::{practitioner, Error, Result};

/// What [`fill`] created.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    pub practitioners: usize,
    pub clients: usize,
    pub sessions: usize,
}

const PRACTITIONERS: &[(&str, &str)] = &[
    ("Dr. Amara Okafor", "MD, Aesthetic Physician"),
    ("Sofia Lindqvist", "RN, Aesthetic Nurse Practitioner"),
    ("Mateo García", "Licensed Aesthetician"),
];

const GIVEN: &[&str] = &[
    "Olivia", "Hannah", "Chloé", "Priya", "Aisha", "Mei", "Lucía", "Zoë", "Ingrid", "Fatima",
    "Yuki", "Grace", "Sinéad", "Noor", "Elena", "James", "Daniel", "Kwame", "Lars", "Tomás",
    "Amélie", "Sara", "Ravi", "Beatriz", "Nadia", "Emily", "Jonas", "Leila", "Camille", "Marta",
];

const FAMILY: &[&str] = &[
    "Bennett",
    "Müller",
    "Dubois",
    "Sharma",
    "Rahman",
    "Chen",
    "Fernández",
    "O'Brien",
    "Nilsson",
    "Haddad",
    "Tanaka",
    "Walker",
    "Murphy",
    "Karimi",
    "Popescu",
    "Whitfield",
    "Novak",
    "Mensah",
    "Eriksen",
    "Silva",
    "Lefèvre",
    "Kowalska",
    "Patel",
    "Costa",
    "Petrova",
    "Clarke",
    "Schmidt",
    "Aziz",
    "Moreau",
    "Jansen",
];

const NOTES: &[&str] = &[
    "Atrophic acne scars on both cheeks, mostly rolling and boxcar. Wants smoother texture before her wedding in spring.",
    "Fine lines around the eyes and on the forehead. Prefers minimal downtime; works front-of-house.",
    "Post-inflammatory hyperpigmentation after acne; careful with depth and sun exposure.",
    "Stretch marks on the abdomen after pregnancy (18 months ago), no longer breastfeeding.",
    "Enlarged pores and dull texture on the nose and cheeks.",
    "",
    "Surgical scar on the chin (2021), well healed. Asked about combining with PRP.",
    "Melasma on the upper lip and cheeks; pigment-safe protocol only.",
    "Sensitive skin, history of rosacea flares; patch test done.",
    "Referred by a friend. First time trying collagen induction therapy.",
];

/// Fills an empty data folder with the demo clinic.
///
/// Refuses a folder that already holds clients, so real records are never
/// mixed with made-up ones.
pub fn fill(tx: &Transaction<'_>, today: NaiveDate, now: DateTime<Utc>) -> Result<DemoSummary> {
    let existing = client::count(tx)?;
    if existing > 0 {
        return Err(Error::Conflict(format!(
            "the data folder already holds {existing} clients; demo data only goes into an empty folder"
        )));
    }
    let mut random = Lcg(0x5eed_1234_abcd_0001);
    let settings = ClinicSettings {
        clinic_name: "Lumen Skin Clinic".to_owned(),
        ..ClinicSettings::default()
    };
    settings::save(tx, &settings, now)?;
    let mut practitioners = Vec::new();
    for (name, credentials) in PRACTITIONERS {
        practitioners
            .push(practitioner::create(tx, PractitionerId::new(), name, credentials, now)?.id);
    }
    let catalogue = demo_catalogue(tx, today, now)?;
    let count = GIVEN.len();
    let mut sessions = 0;
    for i in 0..count {
        let given = GIVEN[i];
        let family = FAMILY[(i * 7 + 3) % FAMILY.len()];
        let age = 19 + random.below(50) as i32;
        let birth = NaiveDate::from_ymd_opt(
            today.year() - age,
            1 + random.below(12),
            1 + random.below(28),
        )
        .expect("day 1-28 exists in every month");
        // Skin types weighted towards II-IV, as in most clinics, with V-VI present.
        let fitzpatrick = [1, 2, 2, 3, 3, 3, 4, 4, 5, 6][random.below(10) as usize];
        let phone = format!(
            "+44 7{:03} {:06}",
            random.below(1000),
            random.below(1_000_000)
        );
        let email = format!(
            "{}.{}@example.com",
            ascii_fold(given).to_lowercase(),
            ascii_fold(family).to_lowercase().replace('\'', "")
        );
        let indication = INDICATIONS[i % INDICATIONS.len()];
        let input = ClientInput {
            name: format!("{given} {family}"),
            date_of_birth: Some(birth.to_string()),
            phone: (random.below(10) != 0).then_some(phone),
            email: (random.below(6) != 0).then_some(email),
            fitzpatrick: Some(fitzpatrick),
            glogau: Some(1 + (age as u8 - 19) / 14),
            indications: vec![indication],
            alerts: if i % 9 == 4 {
                "Allergic to lidocaine: use a non-amide topical only".to_owned()
            } else {
                String::new()
            },
            notes: NOTES[i % NOTES.len()].to_owned(),
        };
        let created = now - Duration::days(i64::from(180 + random.below(520)));
        let client = client::create(tx, ClientId::new(), &input, today, created)?;
        if i % 11 == 10 {
            client::set_archived(tx, client.id, true, now)?;
            continue;
        }
        if i % 4 == 3 {
            continue; // a new client, consultation still to come
        }
        let practitioner = practitioners[i % practitioners.len()];
        let who = DemoClient {
            id: client.id,
            practitioner,
            indication,
            index: i,
        };
        sessions += demo_course(tx, &mut random, &settings, &catalogue, &who, today, now)?;
    }
    Ok(DemoSummary {
        practitioners: PRACTITIONERS.len(),
        clients: count,
        sessions,
    })
}

const INDICATIONS: &[Indication] = &[
    Indication::AcneScars,
    Indication::FineLines,
    Indication::Pigmentation,
    Indication::StretchMarks,
    Indication::Texture,
    Indication::AcneScars,
    Indication::FineLines,
];

struct DemoCatalogue {
    devices: Vec<DeviceId>,
    cartridges: Vec<(&'static str, &'static str)>,
    serums: Vec<(&'static str, &'static str)>,
}

fn demo_catalogue(
    tx: &Transaction<'_>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<DemoCatalogue> {
    let pen = catalogue::add_device(
        tx,
        DeviceId::new(),
        &DeviceInput {
            model: "Auriga MN-2 pen".to_owned(),
            serial: "AMN2-204117".to_owned(),
            min_depth_mm: 0.25,
            max_depth_mm: 2.5,
            step_mm: 0.25,
            evaluated_up_to_mm: None,
        },
        now,
    )?;
    let fine = catalogue::add_device(
        tx,
        DeviceId::new(),
        &DeviceInput {
            model: "Novella Fine pen".to_owned(),
            serial: "NFP-0093".to_owned(),
            min_depth_mm: 0.1,
            max_depth_mm: 2.0,
            step_mm: 0.05,
            evaluated_up_to_mm: Some(1.5),
        },
        now,
    )?;
    let lots: &[(&str, ProductKind, &str, i64)] = &[
        (
            "Nano 36-pin cartridge",
            ProductKind::Cartridge,
            "C25-041",
            400,
        ),
        (
            "Nano 36-pin cartridge",
            ProductKind::Cartridge,
            "C24-118",
            60,
        ),
        (
            "Nano 36-pin cartridge",
            ProductKind::Cartridge,
            "C23-990",
            -30,
        ),
        (
            "Hyaluronic acid 1.5% serum",
            ProductKind::Serum,
            "HA-5521",
            300,
        ),
        (
            "Hyaluronic acid 1.5% serum",
            ProductKind::Serum,
            "HA-4410",
            90,
        ),
        ("Peptide recovery serum", ProductKind::Serum, "PR-0081", 200),
        ("Tranexamic acid serum", ProductKind::Serum, "TX-3307", 250),
        (
            "Lidocaine 5% cream",
            ProductKind::Anaesthetic,
            "LD-7781",
            365,
        ),
        ("Mineral SPF 50", ProductKind::Aftercare, "SPF-2290", 500),
    ];
    for (product, kind, lot, days) in lots {
        let lot_ref = catalogue::resolve_lot(tx, product, *kind, lot, now)?;
        tx.execute(
            "UPDATE lot SET expires_on = ?2 WHERE id = ?1",
            rusqlite::params![lot_ref.lot_id, today + Duration::days(*days)],
        )?;
    }
    Ok(DemoCatalogue {
        devices: vec![pen.id, fine.id],
        cartridges: vec![
            ("Nano 36-pin cartridge", "C25-041"),
            ("Nano 36-pin cartridge", "C24-118"),
        ],
        serums: vec![
            ("Hyaluronic acid 1.5% serum", "HA-5521"),
            ("Hyaluronic acid 1.5% serum", "HA-4410"),
            ("Peptide recovery serum", "PR-0081"),
            ("Tranexamic acid serum", "TX-3307"),
        ],
    })
}

/// Zones and starting depths (mm) for an indication.
fn zones_for(indication: Indication) -> &'static [(&'static str, f64)] {
    match indication {
        Indication::AcneScars => &[("cheeks", 1.0), ("chin", 0.75)],
        Indication::FineLines => &[("forehead", 0.25), ("periorbital", 0.25)],
        Indication::Pigmentation => &[("cheeks", 0.5), ("forehead", 0.25)],
        Indication::StretchMarks => &[("stretch_marks", 1.5)],
        Indication::Texture | Indication::Other => &[("cheeks", 0.75), ("nose", 0.5)],
    }
}

const REASONS: &[(WarningRule, &str)] = &[
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
struct DemoClient {
    id: ClientId,
    /// Who treats them.
    practitioner: PractitionerId,
    indication: Indication,
    /// The client's place in the demo list (varies their course).
    index: usize,
}

fn demo_course(
    tx: &Transaction<'_>,
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
            session::sign(tx, session.id, practitioner_id, at + Duration::minutes(50))?;
            if i % 6 == 2 && n == 0 {
                let mut fixed = session::to_draft(&session);
                fixed.pain = Some(fixed.pain.unwrap_or(4).saturating_sub(2));
                session::amend(
                    tx,
                    AmendmentId::new(),
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

const GOALS: &[&str] = &[
    "Smoother skin texture and less visible scarring before a family wedding.",
    "Softer fine lines around the eyes without downtime.",
    "A more even skin tone; fewer dark patches.",
    "Less visible stretch marks on the abdomen.",
    "Smaller-looking pores and a brighter complexion.",
];

/// Replaces the accented letters used in the demo names, for email addresses.
fn ascii_fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'é' | 'è' => 'e',
            'á' => 'a',
            'í' => 'i',
            'ó' => 'o',
            'ü' => 'u',
            'ë' => 'e',
            other => other,
        })
        .collect()
}

/// A tiny deterministic generator (Knuth's MMIX constants), enough for demo data.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }
}
