//! Fills a real store with a generated clinic, fast: plain INSERTs in big
//! transactions into the schema the store made (a data folder's SQLite file
//! or a clinic's PostgreSQL database), through the core's engine-neutral
//! [`Db`], with the same formats the core writes (UUID v7 ids, RFC 3339
//! instants, JSON settings). Deterministic for a given seed, and the same
//! rows on either engine. Photo rows get no files.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use pinpoint_core::db::{Db, Engine, ToValue, Value};
use pinpoint_core::{Result, Store};

use crate::stats::Random;

/// The seed of the clinic `bench/run` generates (its SQLite clinic and the
/// clinic server's copy of it).
pub const CLINIC_SEED: u64 = 0xC11_41C;

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

/// The tables the generator fills, with the columns it writes, in an order
/// where every row's parents come first (PostgreSQL checks a foreign key at
/// each statement, so [`Writer::flush`] writes the tables in this order).
const TABLES: [(&str, &str); 11] = [
    ("practitioner", "id, name, credentials, created_at"),
    (
        "device",
        "id, model, serial, min_depth_um, max_depth_um, step_um, created_at",
    ),
    ("product", "id, name, kind, created_at"),
    ("lot", "id, product_id, lot_number, expires_on, created_at"),
    (
        "client",
        "id, name, date_of_birth, phone, email, fitzpatrick, notes, archived, created_at, \
         updated_at, glogau, indications, alerts",
    ),
    (
        "treatment_plan",
        "id, client_id, created_on, goals, concerns, skin_assessment, zones, sessions_planned, \
         interval_days, closed, created_at",
    ),
    (
        "treatment_session",
        "id, client_id, practitioner_id, plan_id, started_at, local_date, device_id, \
         cartridge_lot_id, anaesthetic, anaesthetic_lot_id, anaesthetic_applied, \
         anaesthetic_removed, endpoint, pain, immediate_reaction, adverse_events, aftercare, \
         notes, signed_at, signed_by, created_at, updated_at",
    ),
    (
        "session_zone",
        "session_id, ordinal, zone, depth_um, passes, technique",
    ),
    ("session_product", "session_id, ordinal, lot_id, phase"),
    (
        "outcome_score",
        "id, client_id, scale, value, recorded_on, session_id, note, created_at",
    ),
    (
        "photo",
        "id, client_id, session_id, sha256, format, original_name, bytes, width, height, \
         orientation, captured_at, imported_at, kind, zone, pose",
    ),
];

/// A table of [`TABLES`], by its place there.
#[derive(Debug, Clone, Copy)]
enum Table {
    Practitioner,
    Device,
    Product,
    Lot,
    Client,
    Plan,
    Session,
    Zone,
    SessionProduct,
    Score,
    Photo,
}

/// How many columns table `t` of [`TABLES`] gets.
fn width(t: usize) -> usize {
    TABLES[t].1.split(',').count()
}

/// Most rows in one INSERT on PostgreSQL (the widest table's 22 values a
/// row stay far below its 65,535 placeholders).
const BATCH_ROWS: usize = 256;

/// Rows waiting before they are written (PostgreSQL).
const WAITING_ROWS: usize = 16_384;

/// Writes the generator's rows in the transaction its [`Db`] is open on.
///
/// On SQLite each row is one INSERT of a prepared statement (`Db::execute`
/// keeps them), as fast as the embedded engine takes rows. On PostgreSQL,
/// where every statement is a round trip to the server, rows wait and are
/// written up to 256 to an INSERT. Either way each table gets the
/// same rows in the same order.
#[derive(Debug)]
pub struct Writer<'c> {
    db: Db<'c>,
    /// Rows waiting per table (PostgreSQL), their values one after another.
    pending: Vec<Vec<Value>>,
    waiting: usize,
    /// The INSERT of `n` rows into table `t`, by `(t, n)`.
    sql: HashMap<(usize, usize), String>,
}

impl<'c> Writer<'c> {
    pub fn new(db: Db<'c>) -> Writer<'c> {
        Writer {
            db,
            pending: vec![Vec::new(); TABLES.len()],
            waiting: 0,
            sql: HashMap::new(),
        }
    }

    /// The transaction the rows go into.
    pub fn db(&self) -> Db<'c> {
        self.db
    }

    fn insert(&mut self, table: Table, row: &[&dyn ToValue]) -> Result<()> {
        let t = table as usize;
        debug_assert_eq!(row.len(), width(t), "{}", TABLES[t].0);
        let db = self.db;
        match db.engine() {
            Engine::Sqlite => {
                db.execute(self.statement(t, 1), row)?;
            }
            Engine::Postgres => {
                self.pending[t].extend(row.iter().map(|v| v.to_value()));
                self.waiting += 1;
                if self.waiting >= WAITING_ROWS {
                    self.flush()?;
                }
            }
        }
        Ok(())
    }

    /// Writes every waiting row, parents before children.
    pub fn flush(&mut self) -> Result<()> {
        let db = self.db;
        for t in 0..TABLES.len() {
            let width = width(t);
            let values = std::mem::take(&mut self.pending[t]);
            let mut rest: &[Value] = &values;
            while !rest.is_empty() {
                // Whole batches, then what is left in powers of two: few
                // statements for the server to prepare.
                let rows = rest.len() / width;
                let n = if rows >= BATCH_ROWS {
                    BATCH_ROWS
                } else {
                    1 << rows.ilog2()
                };
                let (now, later) = rest.split_at(n * width);
                let params: Vec<&dyn ToValue> = now.iter().map(|v| v as &dyn ToValue).collect();
                db.execute(self.statement(t, n), &params)?;
                rest = later;
            }
            // Kept for its capacity.
            self.pending[t] = values;
            self.pending[t].clear();
        }
        self.waiting = 0;
        Ok(())
    }

    /// `INSERT INTO table (columns) VALUES (?1, …), …` for `rows` rows.
    fn statement(&mut self, t: usize, rows: usize) -> &str {
        self.sql.entry((t, rows)).or_insert_with(|| {
            let (name, columns) = TABLES[t];
            let width = width(t);
            let mut sql = format!("INSERT INTO {name} ({columns}) VALUES ");
            for r in 0..rows {
                sql.push_str(if r == 0 { "(" } else { ", (" });
                for c in 0..width {
                    let _ = write!(
                        sql,
                        "{}?{}",
                        if c == 0 { "" } else { ", " },
                        r * width + c + 1
                    );
                }
                sql.push(')');
            }
            sql
        })
    }
}

/// Runs `f` in one write transaction of `store`, on either engine, with a
/// [`Writer`]: every row it wrote is stored when this returns.
///
/// On a clinic server a transaction that collided with another desktop's
/// is run again from the start, so `f` may run more than once (never with
/// the generator alone on the server); [`clinic`] keeps its random draws
/// across such a retry.
pub fn write<T>(store: &mut Store, mut f: impl FnMut(&mut Writer<'_>) -> Result<T>) -> Result<T> {
    store.write(|db| {
        let mut writer = Writer::new(db);
        let value = f(&mut writer)?;
        writer.flush()?;
        Ok(value)
    })
}

pub fn catalogue(w: &mut Writer<'_>, random: &mut Random) -> Result<Catalogue> {
    let made = Utc.with_ymd_and_hms(2016, 12, 1, 9, 0, 0).unwrap();
    let mut practitioners = Vec::new();
    for (name, credentials) in [
        ("Dr. Amara Okafor", "MD, Aesthetic Physician"),
        ("Sofia Lindqvist", "RN, Aesthetic Nurse Practitioner"),
        ("Hana Watanabe", "Dermal Therapist"),
    ] {
        let id = id(made, random);
        w.insert(
            Table::Practitioner,
            &[&id, &name, &credentials, &instant(made)],
        )?;
        practitioners.push(id);
    }
    let device = id(made, random);
    w.insert(
        Table::Device,
        &[
            &device,
            &"Auriga MN-2 pen",
            &"AMN2-204117",
            &250,
            &2500,
            &250,
            &instant(made),
        ],
    )?;
    Ok(Catalogue {
        practitioners,
        device,
        cartridges: lots(
            w,
            random,
            made,
            "Nano 36-pin cartridge",
            "cartridge",
            "C",
            4,
        )?,
        serums: lots(
            w,
            random,
            made,
            "Hyaluronic acid 1.5% serum",
            "serum",
            "HA",
            14,
        )?,
        anaesthetics: lots(
            w,
            random,
            made,
            "Lidocaine 5% cream",
            "anaesthetic",
            "LD",
            60,
        )?,
    })
}

/// A product and its lots, one made every `every_days` days.
fn lots(
    w: &mut Writer<'_>,
    random: &mut Random,
    made: DateTime<Utc>,
    name: &str,
    kind: &str,
    prefix: &str,
    every_days: i64,
) -> Result<Lots> {
    let product = id(made, random);
    w.insert(Table::Product, &[&product, &name, &kind, &instant(made)])?;
    let mut out = Lots {
        product: name.to_owned(),
        every_days,
        ids: Vec::new(),
        numbers: Vec::new(),
    };
    for n in 0..=(SPAN_DAYS / every_days) {
        let day = epoch() + Duration::days(n * every_days);
        let lot = id(made, random);
        let number = format!("{prefix}{}-{:04}", day.format("%y"), n);
        w.insert(
            Table::Lot,
            &[
                &lot,
                &product,
                &number,
                &(day + Duration::days(730)),
                &instant(made),
            ],
        )?;
        out.ids.push(lot);
        out.numbers.push(number);
    }
    Ok(out)
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
    w: &mut Writer<'_>,
    random: &mut Random,
    index: usize,
    name: Option<&str>,
    planned: u32,
) -> Result<GenClient> {
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
    // Drawn in this order: the same clinic for a seed as it always was.
    let phone = format!(
        "+44 7{:03} {:06}",
        random.below(1000),
        random.below(1_000_000)
    );
    let fitzpatrick = 1 + random.below(6);
    let archived = i64::from(random.below(50) == 0);
    let at = instant(created);
    let glogau = 1 + random.below(4);
    let alerts = if random.below(10) == 0 {
        "Allergic to lidocaine: use the topical alternative."
    } else {
        ""
    };
    w.insert(
        Table::Client,
        &[
            &id,
            &name,
            &born,
            &phone,
            &email,
            &fitzpatrick,
            &"Atrophic acne scars on both cheeks, mostly rolling and boxcar. Wants smoother texture.",
            &archived,
            &at,
            &at,
            &glogau,
            &r#"["acne_scars"]"#,
            &alerts,
        ],
    )?;
    let plan = treatment_plan(w, random, &id, created, planned)?;
    Ok(GenClient { id, name, plan })
}

fn treatment_plan(
    w: &mut Writer<'_>,
    random: &mut Random,
    client: &str,
    created: DateTime<Utc>,
    planned: u32,
) -> Result<String> {
    let plan = id(created, random);
    w.insert(
        Table::Plan,
        &[
            &plan,
            &client,
            &created.date_naive(),
            &"Smoother skin texture and less visible scarring.",
            &"Downtime around work.",
            &"Rolling and boxcar scars most visible on the cheeks.",
            &r#"[{"zone":"cheeks","target_depth":1.25},{"zone":"chin","target_depth":1.0}]"#,
            &planned.clamp(1, 20),
            &42,
            &0,
            &instant(created),
        ],
    )?;
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
    w: &mut Writer<'_>,
    random: &mut Random,
    catalogue: &Catalogue,
    client: &GenClient,
    shape: CourseShape,
) -> Result<Made> {
    let CourseShape {
        count,
        first,
        interval_days,
        photos_each,
    } = shape;
    let mut made = Made::default();
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
        let endpoint = if random.below(3) == 0 {
            "erythema"
        } else {
            "pinpoint_bleeding"
        };
        let pain = 2 + random.below(6);
        let saved_at = instant(saved);
        w.insert(
            Table::Session,
            &[
                &session,
                &client.id,
                &practitioner,
                &client.plan,
                &instant(started),
                &date,
                &catalogue.device,
                &catalogue.cartridges.on(date),
                &"Lidocaine 5% cream",
                &catalogue.anaesthetics.on(date),
                &"08:20",
                &"08:55",
                &endpoint,
                &pain,
                &"Even erythema, settled within the hour",
                &"",
                &AFTERCARE,
                &if n == 0 {
                    "First session of the course; skin tolerated well."
                } else {
                    ""
                },
                &instant(saved + Duration::minutes(30)),
                &practitioner,
                &saved_at,
                &saved_at,
            ],
        )?;
        let (zone, low, high) = ZONES[1 + random.below(ZONES.len() as u64 - 1) as usize];
        for (ordinal, (zone, low, high)) in [ZONES[0], (zone, low, high)].into_iter().enumerate() {
            let depth = low + 250 * random.below(u64::from((high - low) / 250 + 1)) as u32;
            let passes = 2 + random.below(3);
            w.insert(
                Table::Zone,
                &[
                    &session,
                    &(ordinal as i64),
                    &zone,
                    &depth,
                    &passes,
                    &"crosshatch",
                ],
            )?;
        }
        w.insert(
            Table::SessionProduct,
            &[&session, &0, &catalogue.serums.on(date), &"during"],
        )?;
        if n % 3 == 0 {
            let score = id(saved, random);
            let value = (5 + random.below(6)) as f64;
            w.insert(
                Table::Score,
                &[
                    &score,
                    &client.id,
                    &"satisfaction",
                    &value,
                    &date,
                    &session,
                    &"",
                    &saved_at,
                ],
            )?;
        }
        for p in 0..photos_each {
            let taken = started + Duration::minutes(if p % 2 == 0 { 2 } else { 60 });
            let sha: String = (0..4)
                .map(|_| format!("{:016x}", random.next_u64()))
                .collect();
            let photo = id(saved, random);
            let bytes = 3_000_000 + random.below(2_000_000) as i64;
            w.insert(
                Table::Photo,
                &[
                    &photo,
                    &client.id,
                    &session,
                    &sha,
                    &"jpeg",
                    &format!("IMG_{}_{p}.jpg", taken.format("%Y%m%d_%H%M%S")),
                    &bytes,
                    &4000,
                    &3000,
                    &6,
                    &taken.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string(),
                    &saved_at,
                    &if p % 2 == 0 { "before" } else { "after" },
                    &"cheeks",
                    &"front",
                ],
            )?;
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

/// Fills an empty store (a data folder's SQLite file or a clinic's
/// PostgreSQL database: the same rows on both for a seed) with a clinic of
/// `size`, a thousand clients to a transaction; the first client has 100
/// sessions (and 4 photo rows each when there are photos). Returns the
/// clients in the order they were written (SQLite's rowid order).
pub fn clinic(store: &mut Store, size: Size, seed: u64) -> Result<Vec<GenClient>> {
    let mut random = Random::new(seed);
    let counts = session_counts(size, &mut random);
    let photos_each = size.photos.checked_div(size.sessions).unwrap_or(0);
    // SQLite: a page cache of 256 MiB while loading, so the indexes' pages
    // stay in memory rather than being read back from the file; the
    // connection's own size comes back after.
    let cache_size: Option<i64> = match store.db().engine() {
        Engine::Sqlite => {
            let was =
                store
                    .db()
                    .query_one("PRAGMA cache_size", &[], "the page cache's size", |r| {
                        r.get(0)
                    })?;
            store.db().execute_batch("PRAGMA cache_size = -262144")?;
            Some(was)
        }
        Engine::Postgres => None,
    };
    // Each transaction draws from a copy of `random`, kept once it commits:
    // a transaction the server runs again draws the same numbers again.
    let (catalogue, after) = write(store, |w| {
        let mut random = random.clone();
        Ok((catalogue(w, &mut random)?, random))
    })?;
    random = after;
    let mut clients = Vec::with_capacity(counts.len());
    for (c, chunk) in counts.chunks(1000).enumerate() {
        let (made, after) = write(store, |w| {
            let mut random = random.clone();
            let mut made = Vec::with_capacity(chunk.len());
            for (k, &count) in chunk.iter().enumerate() {
                let client = client(w, &mut random, c * 1000 + k, None, count)?;
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
                sessions(w, &mut random, &catalogue, &client, shape)?;
                made.push(client);
            }
            Ok((made, random))
        })?;
        random = after;
        clients.extend(made);
    }
    if let Some(was) = cache_size {
        store
            .db()
            .execute_batch(&format!("PRAGMA cache_size = {was}"))?;
    }
    Ok(clients)
}
