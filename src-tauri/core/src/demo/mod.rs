//! A realistic small demo clinic, so a newcomer sees a living app at once.
//!
//! The data is made up and deterministic: the same `today` gives the same
//! clinic. This module makes the practitioners, clients and catalogue;
//! `course` makes each client's course of treatment.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::catalogue::{self, DeviceInput, ProductKind};
use crate::client::{self, ClientInput, Indication};
use crate::consent::{self, ConsentKind};
use crate::db::Db;
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

mod accounts;
mod course;

pub use accounts::{account_hashes, add_accounts, DEMO_ACCOUNTS, DEMO_PASSPHRASE, DEMO_PIN};

use course::{demo_course, DemoClient};

/// What [`fill`] created.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    pub practitioners: usize,
    pub clients: usize,
    pub sessions: usize,
}

pub(super) const PRACTITIONERS: &[(&str, &str)] = &[
    ("Dr. Amara Okafor", "MD, Aesthetic Physician"),
    ("Sofia Lindqvist", "RN, Aesthetic Nurse Practitioner"),
    ("Mateo García", "Licensed Aesthetician"),
];

pub(super) const GIVEN: &[&str] = &[
    "Olivia", "Hannah", "Chloé", "Priya", "Aisha", "Mei", "Lucía", "Zoë", "Ingrid", "Fatima",
    "Yuki", "Grace", "Sinéad", "Noor", "Elena", "James", "Daniel", "Kwame", "Lars", "Tomás",
    "Amélie", "Sara", "Ravi", "Beatriz", "Nadia", "Emily", "Jonas", "Leila", "Camille", "Marta",
];

pub(super) const FAMILY: &[&str] = &[
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

pub(super) const NOTES: &[&str] = &[
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
pub fn fill<'c>(
    tx: impl Into<Db<'c>>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<DemoSummary> {
    let tx = tx.into();
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

pub(super) const INDICATIONS: &[Indication] = &[
    Indication::AcneScars,
    Indication::FineLines,
    Indication::Pigmentation,
    Indication::StretchMarks,
    Indication::Texture,
    Indication::AcneScars,
    Indication::FineLines,
];

pub(super) struct DemoCatalogue {
    pub(super) devices: Vec<DeviceId>,
    pub(super) cartridges: Vec<(&'static str, &'static str)>,
    pub(super) serums: Vec<(&'static str, &'static str)>,
}

pub(super) fn demo_catalogue(
    tx: Db<'_>,
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
            &[&lot_ref.lot_id, &(today + Duration::days(*days))],
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

/// Replaces the accented letters used in the demo names, for email addresses.
pub(super) fn ascii_fold(text: &str) -> String {
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
pub(super) struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }
}
