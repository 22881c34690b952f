//! Fills a real data folder with a generated clinic, fast: plain INSERTs in
//! big transactions into the schema that `pinpoint_core::Store::open`
//! created, with the same formats the core writes (UUID v7 ids, RFC 3339
//! instants, JSON settings). Deterministic for a given seed. Photo rows get
//! no files.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rusqlite::{params, Transaction};

use crate::stats::Random;

const FIRST: &[&str] = &[
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Sophia",
    "Grace",
    "Lily",
    "Freya",
    "Emily",
    "Ella",
    "Chloé",
    "Zoë",
    "Hannah",
    "Sofia",
    "Maria",
    "Marta",
    "Marianne",
    "Martina",
    "Anna",
    "Ingrid",
    "Astrid",
    "Sigrid",
    "Léa",
    "Camille",
    "Manon",
    "Inès",
    "Noémie",
    "Élodie",
    "Agnès",
    "Priya",
    "Aisha",
    "Fatima",
    "Yasmin",
    "Leila",
    "Amara",
    "Chiara",
    "Giulia",
    "Francesca",
    "Lucía",
    "Carmen",
    "Elena",
    "Paula",
    "Irene",
    "Nora",
    "Ida",
    "Maja",
    "Saga",
    "Aoife",
    "Siobhán",
    "Niamh",
    "Mei",
    "Yuki",
    "Hana",
    "Sakura",
    "Jana",
    "Zuzana",
    "Katarzyna",
    "Ewa",
    "Thomas",
    "James",
    "Oliver",
    "Daniel",
    "Mateo",
    "Lukas",
    "Jonas",
    "Mohammed",
    "Omar",
    "Raj",
];

const LAST: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Johnson",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Müller",
    "Schäfer",
    "Schröder",
    "Weiß",
    "Köhler",
    "Bauer",
    "Hoffmann",
    "Krüger",
    "Lindqvist",
    "Nilsson",
    "Ångström",
    "Sørensen",
    "Østergaard",
    "Jørgensen",
    "Dubois",
    "Lefèvre",
    "Girard",
    "Moreau",
    "Bérenger",
    "Rousseau",
    "Núñez",
    "García",
    "Martínez",
    "López",
    "Pérez",
    "Sánchez",
    "Gómez",
    "Fernández",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Sharma",
    "Patel",
    "Singh",
    "Kumar",
    "Khan",
    "Ahmed",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Tanaka",
    "Suzuki",
    "Watanabe",
    "Nakamura",
    "Kim",
    "Park",
    "Nguyen",
    "Tran",
    "O'Brien",
    "Ó Súilleabháin",
    "Kowalski",
    "Nowak",
    "Wiśniewska",
    "Dvořák",
    "Novák",
    "Horváth",
    "Papadopoulos",
    "Yılmaz",
];

const AFTERCARE: &str = "Keep the skin clean and moisturised with the products given to you. \
For the first 24 hours: no make-up, no exercise that makes you sweat, no swimming, sauna or \
steam. For one week: no sun exposure or tanning (use SPF 50 every day), no retinoids, acids, \
scrubs or other harsh products. Redness like a mild sunburn for 1–3 days is expected. Call the \
clinic if you notice swelling that gets worse, pus, fever, blisters, or redness lasting more \
than 5 days.";

const ZONES: &[(&str, u32, u32)] = &[
    ("cheeks", 500, 1500),
    ("forehead", 250, 500),
    ("chin", 500, 1500),
    ("jawline", 500, 1500),
    ("neck", 250, 500),
    ("nose", 250, 750),
];

/// The first day any generated session can fall on; lots are made in date
/// order from here, so a lot is used in the sessions of a few days.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2017, 1, 2).expect("valid date")
}

/// Days of sessions the generated clinic spans.
const SPAN_DAYS: i64 = 3600;

fn instant(at: DateTime<Utc>) -> String {
    pinpoint_core::store::format_instant(at)
}

/// A UUID v7 for an entity made at `at`, deterministic through `random`.
pub fn id(at: DateTime<Utc>, random: &mut Random) -> String {
    let mut bytes = [0u8; 10];
    bytes[..8].copy_from_slice(&random.next_u64().to_be_bytes());
    bytes[8..].copy_from_slice(&random.next_u64().to_be_bytes()[..2]);
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis().max(0) as u64, &bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// Lots of one product, one made every `every_days` days.
#[derive(Debug, Clone)]
pub struct Lots {
    pub product: String,
    every_days: i64,
    pub ids: Vec<String>,
    pub numbers: Vec<String>,
}

impl Lots {
    /// The lot in use on `date`.
    pub fn on(&self, date: NaiveDate) -> &str {
        let index =
            ((date - epoch()).num_days() / self.every_days).clamp(0, self.ids.len() as i64 - 1);
        &self.ids[index as usize]
    }
}

/// Practitioners, a device, and the products with their lots.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub practitioners: Vec<String>,
    pub device: String,
    pub cartridges: Lots,
    pub serums: Lots,
    pub anaesthetics: Lots,
}

pub fn catalogue(tx: &Transaction<'_>, random: &mut Random) -> rusqlite::Result<Catalogue> {
    let made = Utc.with_ymd_and_hms(2016, 12, 1, 9, 0, 0).unwrap();
    let mut practitioners = Vec::new();
    for (name, credentials) in [
        ("Dr. Amara Okafor", "MD, Aesthetic Physician"),
        ("Sofia Lindqvist", "RN, Aesthetic Nurse Practitioner"),
        ("Hana Watanabe", "Dermal Therapist"),
    ] {
        let id = id(made, random);
        tx.execute(
            "INSERT INTO practitioner (id, name, credentials, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, name, credentials, instant(made)],
        )?;
        practitioners.push(id);
    }
    let device = id(made, random);
    tx.execute(
        "INSERT INTO device (id, model, serial, min_depth_um, max_depth_um, step_um, created_at)
         VALUES (?1, 'Auriga MN-2 pen', 'AMN2-204117', 250, 2500, 250, ?2)",
        params![device, instant(made)],
    )?;
    let mut lots = |name: &str,
                    kind: &str,
                    prefix: &str,
                    every_days: i64|
     -> rusqlite::Result<Lots> {
        let product = id(made, random);
        tx.execute(
            "INSERT INTO product (id, name, kind, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![product, name, kind, instant(made)],
        )?;
        let mut out = Lots {
            product: name.to_owned(),
            every_days,
            ids: Vec::new(),
            numbers: Vec::new(),
        };
        let mut stmt = tx.prepare_cached(
            "INSERT INTO lot (id, product_id, lot_number, expires_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for n in 0..=(SPAN_DAYS / every_days) {
            let day = epoch() + Duration::days(n * every_days);
            let lot = id(made, random);
            let number = format!("{prefix}{}-{:04}", day.format("%y"), n);
            stmt.execute(params![
                lot,
                product,
                number,
                day + Duration::days(730),
                instant(made)
            ])?;
            out.ids.push(lot);
            out.numbers.push(number);
        }
        Ok(out)
    };
    Ok(Catalogue {
        practitioners,
        device,
        cartridges: lots("Nano 36-pin cartridge", "cartridge", "C", 4)?,
        serums: lots("Hyaluronic acid 1.5% serum", "serum", "HA", 14)?,
        anaesthetics: lots("Lidocaine 5% cream", "anaesthetic", "LD", 60)?,
    })
}

fn ascii_fold(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            let folded = match c {
                'á' | 'à' | 'ä' | 'å' | 'Å' | 'Á' => 'a',
                'é' | 'è' | 'ë' | 'É' => 'e',
                'í' | 'ï' | 'ı' => 'i',
                'ó' | 'ö' | 'ø' | 'Ø' | 'Ó' => 'o',
                'ú' | 'ü' | 'Ü' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                'ś' => 's',
                'ř' => 'r',
                'ß' => 's',
                ' ' | '\'' => return None,
                other => other.to_ascii_lowercase(),
            };
            folded.is_ascii_alphanumeric().then_some(folded)
        })
        .collect()
}

/// A generated client: its id and name.
#[derive(Debug, Clone)]
pub struct GenClient {
    pub id: String,
    pub name: String,
    plan: String,
}

/// Inserts a client with an open treatment plan.
pub fn client(
    tx: &Transaction<'_>,
    random: &mut Random,
    index: usize,
    name: Option<&str>,
    planned: u32,
) -> rusqlite::Result<GenClient> {
    let name = name
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{} {}", random.pick(FIRST), random.pick(LAST)));
    let created =
        Utc.with_ymd_and_hms(2016, 12, 1, 9, 0, 0).unwrap() + Duration::minutes(index as i64);
    let id = id(created, random);
    let mut words = name.split_whitespace();
    let email = format!(
        "{}.{}{}@example.com",
        ascii_fold(words.next().unwrap_or("client")),
        ascii_fold(words.next_back().unwrap_or("")),
        index
    );
    let born =
        NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + Duration::days(random.below(20_000) as i64);
    tx.prepare_cached(
        "INSERT INTO client (id, name, date_of_birth, phone, email, fitzpatrick, notes, archived,
                             created_at, updated_at, glogau, indications, alerts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        name,
        born,
        format!(
            "+44 7{:03} {:06}",
            random.below(1000),
            random.below(1_000_000)
        ),
        email,
        1 + random.below(6),
        "Atrophic acne scars on both cheeks, mostly rolling and boxcar. Wants smoother texture.",
        i64::from(random.below(50) == 0),
        instant(created),
        1 + random.below(4),
        r#"["acne_scars"]"#,
        if random.below(10) == 0 {
            "Allergic to lidocaine: use the topical alternative."
        } else {
            ""
        },
    ])?;
    let plan = treatment_plan(tx, random, &id, created, planned)?;
    Ok(GenClient { id, name, plan })
}

fn treatment_plan(
    tx: &Transaction<'_>,
    random: &mut Random,
    client: &str,
    created: DateTime<Utc>,
    planned: u32,
) -> rusqlite::Result<String> {
    let plan = id(created, random);
    tx.prepare_cached(
        "INSERT INTO treatment_plan (id, client_id, created_on, goals, concerns, skin_assessment, zones,
                                     sessions_planned, interval_days, closed, created_at)
         VALUES (?1, ?2, ?3, 'Smoother skin texture and less visible scarring.', 'Downtime around work.',
                 'Rolling and boxcar scars most visible on the cheeks.',
                 '[{\"zone\":\"cheeks\",\"target_depth\":1.25},{\"zone\":\"chin\",\"target_depth\":1.0}]',
                 ?4, 42, 0, ?5)",
    )?
    .execute(params![plan, client, created.date_naive(), planned.clamp(1, 20), instant(created)])?;
    Ok(plan)
}

/// What [`sessions`] made for one client.
#[derive(Debug, Clone, Default)]
pub struct Made {
    pub sessions: Vec<String>,
    pub photos: u64,
}

/// The shape of a generated course of sessions.
#[derive(Debug, Clone, Copy)]
pub struct CourseShape {
    pub count: u32,
    pub first: NaiveDate,
    /// Days between sessions, drawn from this range.
    pub interval_days: (i64, i64),
    /// Photo rows (no files) per session.
    pub photos_each: u32,
}

/// Inserts `shape.count` signed sessions for `client` from `shape.first`
/// on, each with two zones, a serum, a satisfaction score every third
/// session, and `shape.photos_each` photo rows when that is above 0.
pub fn sessions(
    tx: &Transaction<'_>,
    random: &mut Random,
    catalogue: &Catalogue,
    client: &GenClient,
    shape: CourseShape,
) -> rusqlite::Result<Made> {
    let CourseShape {
        count,
        first,
        interval_days,
        photos_each,
    } = shape;
    let mut made = Made::default();
    let mut insert_session = tx.prepare_cached(
        "INSERT INTO treatment_session (id, client_id, practitioner_id, plan_id, started_at, local_date,
             device_id, cartridge_lot_id, anaesthetic, anaesthetic_lot_id, anaesthetic_applied,
             anaesthetic_removed, endpoint, pain, immediate_reaction, adverse_events, aftercare, notes,
             signed_at, signed_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'Lidocaine 5% cream', ?9, '08:20', '08:55', ?10, ?11,
                 'Even erythema, settled within the hour', '', ?12, ?13, ?14, ?3, ?15, ?15)",
    )?;
    let mut insert_zone = tx.prepare_cached(
        "INSERT INTO session_zone (session_id, ordinal, zone, depth_um, passes, technique)
         VALUES (?1, ?2, ?3, ?4, ?5, 'crosshatch')",
    )?;
    let mut insert_product = tx.prepare_cached(
        "INSERT INTO session_product (session_id, ordinal, lot_id, phase) VALUES (?1, 0, ?2, 'during')",
    )?;
    let mut insert_photo = tx.prepare_cached(
        "INSERT INTO photo (id, client_id, session_id, sha256, format, original_name, bytes, width, height,
                            orientation, captured_at, imported_at, kind, zone, pose)
         VALUES (?1, ?2, ?3, ?4, 'jpeg', ?5, ?6, 4000, 3000, 6, ?7, ?8, ?9, ?10, 'front')",
    )?;
    let mut insert_score = tx.prepare_cached(
        "INSERT INTO outcome_score (id, client_id, scale, value, recorded_on, session_id, note, created_at)
         VALUES (?1, ?2, 'satisfaction', ?3, ?4, ?5, '', ?6)",
    )?;
    let mut date = first;
    let practitioner = random.pick(&catalogue.practitioners).clone();
    for n in 0..count {
        if n > 0 {
            date += Duration::days(
                interval_days.0
                    + random.below((interval_days.1 - interval_days.0 + 1) as u64) as i64,
            );
        }
        let started = Utc.from_utc_datetime(
            &date
                .and_hms_opt(9 + random.below(8) as u32, 15 * random.below(4) as u32, 0)
                .unwrap(),
        );
        let saved = started + Duration::minutes(70);
        let session = id(saved, random);
        insert_session.execute(params![
            session,
            client.id,
            practitioner,
            client.plan,
            instant(started),
            date,
            catalogue.device,
            catalogue.cartridges.on(date),
            catalogue.anaesthetics.on(date),
            if random.below(3) == 0 {
                "erythema"
            } else {
                "pinpoint_bleeding"
            },
            2 + random.below(6),
            AFTERCARE,
            if n == 0 {
                "First session of the course; skin tolerated well."
            } else {
                ""
            },
            instant(saved + Duration::minutes(30)),
            instant(saved),
        ])?;
        let (zone, low, high) = ZONES[1 + random.below(ZONES.len() as u64 - 1) as usize];
        for (ordinal, (zone, low, high)) in [ZONES[0], (zone, low, high)].into_iter().enumerate() {
            let depth = low + 250 * random.below(u64::from((high - low) / 250 + 1)) as u32;
            insert_zone.execute(params![
                session,
                ordinal as i64,
                zone,
                depth,
                2 + random.below(3)
            ])?;
        }
        insert_product.execute(params![session, catalogue.serums.on(date)])?;
        if n % 3 == 0 {
            insert_score.execute(params![
                id(saved, random),
                client.id,
                (5 + random.below(6)) as f64,
                date,
                session,
                instant(saved)
            ])?;
        }
        for p in 0..photos_each {
            let taken = started + Duration::minutes(if p % 2 == 0 { 2 } else { 60 });
            let sha: String = (0..4)
                .map(|_| format!("{:016x}", random.next_u64()))
                .collect();
            insert_photo.execute(params![
                id(saved, random),
                client.id,
                session,
                sha,
                format!("IMG_{}_{p}.jpg", taken.format("%Y%m%d_%H%M%S")),
                3_000_000 + random.below(2_000_000) as i64,
                taken.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string(),
                instant(saved),
                if p % 2 == 0 { "before" } else { "after" },
                "cheeks",
            ])?;
            made.photos += 1;
        }
        made.sessions.push(session);
    }
    Ok(made)
}

/// The sizes of a generated clinic.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub clients: u32,
    pub sessions: u32,
    pub photos: u32,
}

/// How many sessions each client gets: 1 to 39 (about 20 on average),
/// adjusted to add up to `size.sessions`; client 0 gets exactly 100.
fn session_counts(size: Size, random: &mut Random) -> Vec<u32> {
    let n = size.clients as usize;
    let mut counts: Vec<u32> = (0..n).map(|_| 1 + random.below(39) as u32).collect();
    if n > 0 {
        counts[0] = 100.min(size.sessions);
    }
    let mut total: i64 = counts.iter().map(|&c| i64::from(c)).sum();
    let target = i64::from(size.sessions);
    let mut i = 1;
    while total != target && n > 1 {
        let c = &mut counts[i];
        if total < target && *c < 60 {
            *c += 1;
            total += 1;
        } else if total > target && *c > 1 {
            *c -= 1;
            total -= 1;
        }
        i = if i + 1 >= n { 1 } else { i + 1 };
    }
    counts
}

/// Fills an empty data folder's database with a clinic of `size`, a
/// thousand clients to a transaction; the first client has 100 sessions
/// (and 4 photo rows each when there are photos).
/// Returns the clients in rowid order.
/// Runs `f` in one transaction of the data folder's SQLite file: the
/// generator writes rows straight into it, as fast as SQLite takes them.
fn in_transaction<T>(
    conn: &rusqlite::Connection,
    f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
) -> pinpoint_core::Result<T> {
    write_sqlite(conn, |tx| Ok(f(tx)?))
}

/// Runs `f` in one transaction of `store`'s SQLite file, for the
/// generator's direct writes.
pub fn write<T>(
    store: &pinpoint_core::Store,
    f: impl FnOnce(&Transaction<'_>) -> pinpoint_core::Result<T>,
) -> pinpoint_core::Result<T> {
    write_sqlite(store.sqlite()?, f)
}

fn write_sqlite<T>(
    conn: &rusqlite::Connection,
    f: impl FnOnce(&Transaction<'_>) -> pinpoint_core::Result<T>,
) -> pinpoint_core::Result<T> {
    let tx = conn.unchecked_transaction()?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}

pub fn clinic(
    store: &mut pinpoint_core::Store,
    size: Size,
    seed: u64,
) -> pinpoint_core::Result<Vec<GenClient>> {
    let mut random = Random::new(seed);
    let counts = session_counts(size, &mut random);
    let photos_each = size.photos.checked_div(size.sessions).unwrap_or(0);
    let conn = store.sqlite()?;
    let catalogue = in_transaction(conn, |tx| catalogue(tx, &mut random))?;
    let mut clients = Vec::with_capacity(counts.len());
    for (c, chunk) in counts.chunks(1000).enumerate() {
        in_transaction(conn, |tx| {
            for (k, &count) in chunk.iter().enumerate() {
                let client = client(tx, &mut random, c * 1000 + k, None, count)?;
                let span = if count >= 60 { (28, 32) } else { (28, 70) };
                let latest_start = SPAN_DAYS - i64::from(count) * span.1;
                let first =
                    epoch() + Duration::days(random.below(latest_start.max(1) as u64) as i64);
                let shape = CourseShape {
                    count,
                    first,
                    interval_days: span,
                    // The client with 100 sessions has 400 photos, the size
                    // a timeline must stay smooth at.
                    photos_each: if c == 0 && k == 0 && photos_each > 0 {
                        4
                    } else {
                        photos_each
                    },
                };
                sessions(tx, &mut random, &catalogue, &client, shape)?;
                clients.push(client);
            }
            Ok(())
        })?;
    }
    Ok(clients)
}
