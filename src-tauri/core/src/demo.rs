//! A realistic small demo clinic, so a newcomer sees a living app at once.
//!
//! The data is made up and deterministic: the same `today` gives the same
//! clinic.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::Transaction;

use crate::client::{self, ClientInput};
use crate::ids::{ClientId, PractitionerId};
use crate::{practitioner, Error, Result};

/// What [`fill`] created.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    pub practitioners: usize,
    pub clients: usize,
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
    for (name, credentials) in PRACTITIONERS {
        practitioner::create(tx, PractitionerId::new(), name, credentials, now)?;
    }
    let count = GIVEN.len();
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
        let input = ClientInput {
            name: format!("{given} {family}"),
            date_of_birth: Some(birth.to_string()),
            phone: (random.below(10) != 0).then_some(phone),
            email: (random.below(6) != 0).then_some(email),
            fitzpatrick: Some(fitzpatrick),
            notes: NOTES[i % NOTES.len()].to_owned(),
        };
        let created = now - Duration::days(i64::from(random.below(700)));
        let client = client::create(tx, ClientId::new(), &input, today, created)?;
        if i % 11 == 10 {
            client::set_archived(tx, client.id, true, now)?;
        }
    }
    Ok(DemoSummary {
        practitioners: PRACTITIONERS.len(),
        clients: count,
    })
}

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
