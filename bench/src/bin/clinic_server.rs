//! The store at clinic scale on a clinic's PostgreSQL server, side by side
//! with the embedded SQLite store in the same run: the same generated
//! clinic (same generator, same seed) in a data folder and in a database of
//! a throwaway PostgreSQL on loopback (`LocalPostgres`), checked to hold the
//! same rows, and the same client-search and timeline workload as
//! `clinic measure` (`pinpoint_bench::workload`) through the core's own
//! functions on each engine. `bench/run` runs it after the SQLite clinic
//! step.
//!
//! ```text
//! clinic_server [--passes N] [--cache DIR] [--markdown] [--json FILE] [--keep DIR] SIZE...
//!     SIZE        CLIENTS,SESSIONS,PHOTOS (bench/run's --clinic form)
//!     --passes    timed passes over the workload (5), after a warm-up pass
//!     --cache     bench/run's cache: a SQLite clinic of that size kept
//!                 there by the clinic step (clinic-v2-C-S-P, made with the
//!                 same generator and seed) is measured rather than a new one
//!     --markdown  a section for bench/RESULTS.md instead of JSON lines
//!     --json      the JSON lines (also) to FILE, each size's once measured
//!     --keep      work in DIR and keep it: the clinics, and the server left
//!                 running on its port (for EXPLAIN by hand; stop it with
//!                 `pg_ctl --pgdata DIR/server/data stop`)
//! ```
//!
//! JSON lines (as the other measuring programs print them): per size a
//! `size` fact, then facts and samples keyed `sqlite.…` and `postgres.…`
//! (`search.long`, `search.short`, `timeline`, `timeline.hundred`, in ms).
//! Every size is a clinic of its own on both engines: without `--cache`,
//! the SQLite one is generated too.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pinpoint_bench::workload::{self, time_each, within_budget, Workload};
use pinpoint_bench::{gen, stats};
use pinpoint_core::db::local::{Durability, LocalPostgres};
use pinpoint_core::db::{Db, PgConn, Value};
use pinpoint_core::ids::ClientId;
use pinpoint_core::Store;
use sha2::{Digest, Sha256};

/// The two engines, in the order each figure is measured.
const ENGINES: [&str; 2] = ["sqlite", "postgres"];

/// What one engine measured for one size.
#[derive(Debug, Default)]
struct Figures {
    /// `SELECT 1`: one statement's round trip and nothing else.
    round_trip: Vec<f64>,
    search_long: Vec<f64>,
    search_short: Vec<f64>,
    timeline: Vec<f64>,
    hundred: Vec<f64>,
    mean_hits: f64,
}

impl Figures {
    /// The samples of figure `which`: a round trip, search (long, short),
    /// timeline (200 clients, the one with 100 sessions).
    fn samples(&self, which: usize) -> &[f64] {
        [
            &self.round_trip,
            &self.search_long,
            &self.search_short,
            &self.timeline,
            &self.hundred,
        ][which]
    }
}

/// One size measured on both engines.
#[derive(Debug)]
struct Measured {
    size: gen::Size,
    /// Where the SQLite clinic came from: generated here (seconds), or the
    /// cache's.
    sqlite_generate_s: Option<f64>,
    postgres_generate_s: f64,
    postgres_vacuum_s: f64,
    rows: u64,
    sqlite: Figures,
    postgres: Figures,
    short_words: usize,
    timeline_clients: usize,
    mean_sessions: f64,
    /// Statements the server ran per timeline, and per search.
    statements_per_timeline: f64,
    statements_per_search: f64,
}

/// The tables the generator fills, with their keys: each is read whole on
/// both engines, a page at a time in key order, to check they hold the
/// same rows.
const CHECKED: [(&str, &[&str]); 11] = [
    ("practitioner", &["id"]),
    ("device", &["id"]),
    ("product", &["id"]),
    ("lot", &["id"]),
    ("client", &["id"]),
    ("treatment_plan", &["id"]),
    ("treatment_session", &["id"]),
    ("session_zone", &["session_id", "ordinal"]),
    ("session_product", &["session_id", "ordinal"]),
    ("outcome_score", &["id"]),
    ("photo", &["id"]),
];

/// A table's rows and a digest of them that does not depend on their
/// order: the sum of each row's SHA-256 (its first 16 bytes), the column
/// names included.
fn table_digest(db: Db<'_>, table: &str, key: &[&str]) -> (u64, u128) {
    const PAGE: usize = 5000;
    let keys = key.join(", ");
    let after = (1..=key.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {keys}, * FROM {table} WHERE ({keys}) > ({after}) ORDER BY {keys} LIMIT {PAGE}"
    );
    let mut last: Vec<Value> = key
        .iter()
        .map(|k| match *k {
            "ordinal" => Value::Integer(-1),
            _ => Value::Text(String::new()),
        })
        .collect();
    let (mut rows, mut sum) = (0u64, 0u128);
    loop {
        let params: Vec<&dyn pinpoint_core::db::ToValue> = last
            .iter()
            .map(|v| v as &dyn pinpoint_core::db::ToValue)
            .collect();
        let (names, page) = db.query_named(&sql, &params).expect("a page of rows");
        for row in &page {
            let mut hash = Sha256::new();
            for (name, value) in names.iter().zip(row.values()).skip(key.len()) {
                hash.update(name.as_bytes());
                match value {
                    Value::Null => hash.update([0]),
                    Value::Integer(n) => {
                        hash.update([1]);
                        hash.update(n.to_le_bytes());
                    }
                    Value::Real(x) => {
                        hash.update([2]);
                        hash.update(x.to_bits().to_le_bytes());
                    }
                    Value::Text(text) => {
                        hash.update([3]);
                        hash.update((text.len() as u64).to_le_bytes());
                        hash.update(text.as_bytes());
                    }
                    Value::Blob(bytes) => {
                        hash.update([4]);
                        hash.update((bytes.len() as u64).to_le_bytes());
                        hash.update(bytes);
                    }
                }
            }
            let digest = hash.finalize();
            let mut first = [0u8; 16];
            first.copy_from_slice(&digest[..16]);
            sum = sum.wrapping_add(u128::from_le_bytes(first));
        }
        rows += page.len() as u64;
        match page.last() {
            Some(row) if page.len() == PAGE => last = row.values()[..key.len()].to_vec(),
            _ => return (rows, sum),
        }
    }
}

/// Checks that both engines hold the same generated rows; the number of
/// rows checked.
fn same_rows(sqlite: Db<'_>, postgres: Db<'_>) -> u64 {
    let mut total = 0;
    for (table, key) in CHECKED {
        let here = table_digest(sqlite, table, key);
        let there = table_digest(postgres, table, key);
        assert_eq!(
            here, there,
            "{table}: SQLite and PostgreSQL hold different rows (count, digest)"
        );
        total += here.0;
    }
    total
}

/// How many statements the server ran for `f`: its database's committed
/// transactions (each statement outside a transaction is one), the
/// statistics flushed before and after, less the two statements of the
/// count itself.
fn server_statements(db: Db<'_>, f: impl FnOnce()) -> u64 {
    let committed = || -> u64 {
        db.execute_batch("SELECT pg_stat_force_next_flush()")
            .expect("flush the statistics");
        db.query_one(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
            &[],
            "the database's statistics",
            |r| r.get(0),
        )
        .expect("the committed transactions")
    };
    let before = committed();
    f();
    committed() - before - 2
}

/// The clients in the order they were generated: SQLite's rowid order.
fn clients_of(store: &Store) -> Vec<(ClientId, String)> {
    store
        .db()
        .query_map("SELECT id, name FROM client ORDER BY rowid", &[], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .expect("the clients")
}

/// Generates the clinic of `size` into a new data folder `dir`, as
/// `clinic generate` does, and writes beside it the facts `bench` keeps
/// for a clinic in its cache (the same file: either program may reuse the
/// other's clinic). The seconds it took.
fn generate_sqlite(dir: &Path, size: gen::Size) -> f64 {
    let start = Instant::now();
    let mut store = Store::open(dir).expect("open the data folder");
    let clients = gen::clinic(&mut store, size, gen::CLINIC_SEED).expect("generate the clinic");
    store
        .sqlite()
        .expect("the data folder's database")
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    let seconds = start.elapsed().as_secs_f64();
    let count = |table: &str| -> i64 {
        store
            .db()
            .query_one(&format!("SELECT count(*) FROM {table}"), &[], table, |r| {
                r.get(0)
            })
            .expect("count")
    };
    let facts = serde_json::json!({
        "clients": count("client"),
        "sessions": count("treatment_session"),
        "photos": count("photo"),
        "hundred_client": clients[0].id,
        "generate_s": seconds,
    });
    std::fs::write(
        dir.with_extension("json"),
        serde_json::to_string_pretty(&facts).expect("json"),
    )
    .expect("write the clinic's facts");
    seconds
}

fn measure_size(
    server: &LocalPostgres,
    scratch: &Path,
    cache: Option<&Path>,
    size: gen::Size,
    passes: usize,
    keep: bool,
) -> Measured {
    let name = format!("{}-{}-{}", size.clients, size.sessions, size.photos);
    // The SQLite clinic: the cache's when it has one of this size (made
    // by the clinic step or by this program: its facts file is written once
    // it is complete), else a new one, made in the cache when there is one.
    let in_cache = cache.map(|dir| dir.join(format!("clinic-v2-{name}")));
    let (sqlite_dir, sqlite_generate_s) = match &in_cache {
        Some(dir) if dir.with_extension("json").is_file() => {
            eprintln!("clinic_server: the SQLite clinic {}", dir.display());
            (dir.clone(), None)
        }
        _ => {
            let dir = in_cache
                .clone()
                .unwrap_or_else(|| scratch.join(format!("sqlite-{name}")));
            let _ = std::fs::remove_dir_all(&dir);
            eprintln!("clinic_server: generating {name} into SQLite");
            let seconds = generate_sqlite(&dir, size);
            (dir, Some(seconds))
        }
    };
    let sqlite = Store::open_existing(&sqlite_dir).expect("open the SQLite clinic");

    // The same clinic on the server, in a database of its own.
    let database = format!("clinic_{}", name.replace('-', "_"));
    let admin = PgConn::connect(&server.params_for("postgres")).expect("the server");
    admin
        .db()
        .execute_batch(&format!("CREATE DATABASE {database}"))
        .expect("a database for the clinic");
    let pg = PgConn::connect(&server.params_for(&database)).expect("the clinic's database");
    let mut postgres =
        Store::open_clinic(&scratch.join(format!("desktop-{name}")), pg).expect("clinic mode");
    eprintln!("clinic_server: generating {name} into PostgreSQL");
    let start = Instant::now();
    let generated =
        gen::clinic(&mut postgres, size, gen::CLINIC_SEED).expect("generate the clinic");
    let postgres_generate_s = start.elapsed().as_secs_f64();
    // What autovacuum would do soon after a load this size: the planner's
    // statistics and the visibility map, so each run measures the same.
    let start = Instant::now();
    postgres
        .db()
        .execute_batch("VACUUM ANALYZE")
        .expect("vacuum");
    let postgres_vacuum_s = start.elapsed().as_secs_f64();

    let clients = clients_of(&sqlite);
    assert!(
        clients.len() == generated.len()
            && clients
                .iter()
                .zip(&generated)
                .all(|((id, _), g)| id.to_string() == g.id),
        "the SQLite clinic is not the one the generator makes for this size and seed"
    );
    eprintln!("clinic_server: checking both engines hold the same rows");
    let rows = same_rows(sqlite.db(), postgres.db());

    eprintln!("clinic_server: measuring");
    let work = Workload::new(&clients);
    let dbs = [sqlite.db(), postgres.db()];
    let mut figures = [Figures::default(), Figures::default()];
    for (db, f) in dbs.iter().zip(&mut figures) {
        f.round_trip = time_each(passes, &[(); 200], |_| {
            std::hint::black_box(
                db.query_one("SELECT 1", &[], "one", |r| r.get::<i64>(0))
                    .expect("SELECT 1"),
            );
        });
    }
    for (db, f) in dbs.iter().zip(&mut figures) {
        let hits: usize = work
            .long
            .iter()
            .map(|w| workload::search(*db, w).len())
            .sum();
        f.mean_hits = hits as f64 / work.long.len() as f64;
        f.search_long = time_each(passes, &work.long, |w| {
            std::hint::black_box(workload::search(*db, w));
        });
    }
    // Scans on either engine: fewer words when they are slow.
    let short_words = dbs
        .iter()
        .map(|db| {
            within_budget(&work.short, passes, 10, |w| {
                std::hint::black_box(workload::search(*db, w));
            })
        })
        .min()
        .unwrap_or(0);
    let short = &work.short[..short_words];
    for (db, f) in dbs.iter().zip(&mut figures) {
        f.search_short = time_each(passes, short, |w| {
            std::hint::black_box(workload::search(*db, w));
        });
    }
    let timeline_clients = dbs
        .iter()
        .map(|db| {
            within_budget(&work.sample, passes, 10, |id| {
                std::hint::black_box(workload::timeline(*db, *id));
            })
        })
        .min()
        .unwrap_or(0);
    let sample = &work.sample[..timeline_clients];
    for (db, f) in dbs.iter().zip(&mut figures) {
        f.timeline = time_each(passes, sample, |id| {
            std::hint::black_box(workload::timeline(*db, *id));
        });
    }
    let hundred_passes = dbs
        .iter()
        .map(|db| {
            within_budget(&vec![0; passes.max(20)], 0, 3, |_| {
                std::hint::black_box(workload::timeline(*db, work.hundred));
            })
        })
        .min()
        .unwrap_or(3);
    for (db, f) in dbs.iter().zip(&mut figures) {
        f.hundred = time_each(hundred_passes, &[work.hundred], |id| {
            std::hint::black_box(workload::timeline(*db, *id));
        });
    }
    let sessions: usize = sample
        .iter()
        .map(|id| {
            pinpoint_core::session::list(sqlite.db(), *id)
                .expect("sessions")
                .len()
        })
        .sum();
    let mean_sessions = sessions as f64 / sample.len().max(1) as f64;
    let statements_per_timeline = server_statements(postgres.db(), || {
        for id in sample {
            std::hint::black_box(workload::timeline(postgres.db(), *id));
        }
    }) as f64
        / sample.len().max(1) as f64;
    let statements_per_search = server_statements(postgres.db(), || {
        for w in &work.long {
            std::hint::black_box(workload::search(postgres.db(), w));
        }
    }) as f64
        / work.long.len() as f64;

    // The server's copy goes, so the next size has the disk.
    drop(postgres);
    drop(sqlite);
    if keep {
        eprintln!(
            "clinic_server: kept {} and the database {database} ({})",
            sqlite_dir.display(),
            server.params_for(&database)
        );
    } else {
        admin
            .db()
            .execute_batch(&format!("DROP DATABASE {database}"))
            .expect("drop the clinic's database");
        if in_cache.is_none() {
            let _ = std::fs::remove_dir_all(&sqlite_dir);
        }
    }
    let [sqlite, postgres] = figures;
    Measured {
        size,
        sqlite_generate_s,
        postgres_generate_s,
        postgres_vacuum_s,
        rows,
        sqlite,
        postgres,
        short_words,
        timeline_clients,
        mean_sessions,
        statements_per_timeline,
        statements_per_search,
    }
}

/// The JSON lines of one size, as `stats::emit` and `stats::emit_fact`
/// print them.
fn json_lines(m: &Measured, versions: (&str, &str)) -> Vec<serde_json::Value> {
    use serde_json::json;
    let fact = |key: &str, value: serde_json::Value| json!({ "key": key, "fact": value });
    let samples =
        |key: String, samples: &[f64]| json!({ "key": key, "unit": "ms", "samples": samples });
    let s = m.size;
    let mut lines = vec![
        fact(
            "size",
            json!(format!("{},{},{}", s.clients, s.sessions, s.photos)),
        ),
        fact("sqlite_version", json!(versions.0)),
        fact("postgres_version", json!(versions.1)),
        fact("rows_identical", json!(m.rows)),
        fact("timeline_clients", json!(m.timeline_clients)),
        fact("timeline_mean_sessions", json!(m.mean_sessions)),
        fact(
            "sqlite.generate_s",
            match m.sqlite_generate_s {
                Some(seconds) => json!(seconds),
                None => json!("the cache's clinic"),
            },
        ),
        fact("postgres.generate_s", json!(m.postgres_generate_s)),
        fact("postgres.vacuum_analyze_s", json!(m.postgres_vacuum_s)),
        fact(
            "postgres.statements_per_timeline",
            json!(m.statements_per_timeline),
        ),
        fact(
            "postgres.statements_per_search",
            json!(m.statements_per_search),
        ),
    ];
    for (engine, f) in ENGINES.iter().zip([&m.sqlite, &m.postgres]) {
        lines.push(fact(
            &format!("{engine}.search_mean_hits"),
            json!(f.mean_hits),
        ));
        lines.push(samples(format!("{engine}.round_trip"), &f.round_trip));
        lines.push(samples(format!("{engine}.search.long"), &f.search_long));
        lines.push(samples(format!("{engine}.search.short"), &f.search_short));
        lines.push(samples(format!("{engine}.timeline"), &f.timeline));
        lines.push(samples(format!("{engine}.timeline.hundred"), &f.hundred));
    }
    lines
}

/// A figure in ms, to three significant digits.
fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else if value >= 1.0 {
        format!("{value:.2}")
    } else if value >= 0.01 {
        format!("{value:.3}")
    } else {
        format!("{value:.4}")
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn print_markdown(measured: &[Measured], passes: usize, versions: (&str, &str), load: &str) {
    println!("\n## 7. Clinic server: PostgreSQL beside the embedded store\n");
    println!(
        "Measured by the clinic-server step (`bin/clinic_server.rs`) on this machine, {}, \
         load average {} at its start: each clinic made by §2's generator with the same seed \
         twice, into a data folder's SQLite file and into a database of a throwaway \
         PostgreSQL {} on loopback (TCP to 127.0.0.1, no TLS; `LocalPostgres`: the server's \
         defaults, fsync off; `VACUUM ANALYZE` after the load), and both checked to hold the \
         same rows (every generated table read whole on both). The same workload as §2 \
         through the core's own functions on both engines in the same run, each figure on \
         SQLite ({}) and then on the server: {passes} timed passes after a warm-up pass. On \
         the server every statement is a round trip; client search there is a case- and \
         accent-blind LIKE served by a trigram index (pg_trgm) where SQLite uses its FTS5 \
         trigram table.\n",
        chrono::Utc::now().format("%Y-%m-%d"),
        load,
        versions.1,
        versions.0,
    );
    println!(
        "| query | clients | SQLite p50 ms | SQLite p99 ms | PostgreSQL p50 ms | PostgreSQL p99 ms | p99 ratio |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for m in measured {
        let clients = thousands(u64::from(m.size.clients));
        let rows = [
            "a round trip: `SELECT 1`, nothing read".to_owned(),
            format!(
                "client search, 3–5 letter name fragments ({} words; mean hits {:.0} on SQLite, \
                 {:.0} on PostgreSQL; limit 500)",
                m.sqlite.search_long.len() / passes.max(1),
                m.sqlite.mean_hits,
                m.postgres.mean_hits
            ),
            format!(
                "client search, 2-letter fragments ({} words; a scan on both)",
                m.short_words
            ),
            format!(
                "timeline of {} clients (mean {:.1} sessions; {:.0} statements each on the server)",
                m.timeline_clients, m.mean_sessions, m.statements_per_timeline
            ),
            "timeline of the client with 100 sessions".to_owned(),
        ];
        for (which, what) in rows.iter().enumerate() {
            let (a, b) = (
                stats::Summary::of(m.sqlite.samples(which)),
                stats::Summary::of(m.postgres.samples(which)),
            );
            // A round trip on SQLite is a function call: no ratio.
            let ratio = if which == 0 {
                "–".to_owned()
            } else {
                format!("{:.1}×", b.p99 / a.p99)
            };
            println!(
                "| {what} | {clients} | {} | {} | {} | {} | {ratio} |",
                ms(a.median),
                ms(a.p99),
                ms(b.median),
                ms(b.p99),
            );
        }
    }
    println!();
    for m in measured {
        let generated = match m.sqlite_generate_s {
            Some(seconds) => format!("SQLite {seconds:.0} s"),
            None => "SQLite: the clinic step's, kept in the cache".to_owned(),
        };
        println!(
            "Generating {} clients, {} sessions, {} photo rows ({} rows in the checked tables, \
             identical on both engines): {generated}, PostgreSQL {:.0} s (rows up to 256 to an \
             INSERT) and {:.0} s of `VACUUM ANALYZE`.\n",
            thousands(u64::from(m.size.clients)),
            thousands(u64::from(m.size.sessions)),
            thousands(u64::from(m.size.photos)),
            thousands(m.rows),
            m.postgres_generate_s,
            m.postgres_vacuum_s,
        );
    }

    // The issue's targets for speed over the network.
    let at = |clients: u32| measured.iter().find(|m| m.size.clients == clients);
    let p99 = |samples: &[f64]| stats::Summary::of(samples).p99;
    let verdict = |met: bool| if met { "met" } else { "**missed**" };
    println!("| target (PostgreSQL on loopback) | measured | |\n| --- | --- | --- |");
    for (what, clients, limit, search, timeline) in [
        (
            "timeline p99 under 10 ms at 10,000 clients",
            10_000,
            10.0,
            false,
            true,
        ),
        (
            "search p99 under 10 ms at 10,000 clients",
            10_000,
            10.0,
            true,
            false,
        ),
        (
            "search and timeline p99 under 20 ms at 100,000 clients",
            100_000,
            20.0,
            true,
            true,
        ),
    ] {
        let Some(m) = at(clients) else {
            println!(
                "| {what} | not measured in this run (no clinic of {} clients; a full \
                 `bash bench/run` measures it) | – |",
                thousands(u64::from(clients)),
            );
            continue;
        };
        let mut parts = Vec::new();
        let mut met = true;
        if search {
            let (server, local) = (p99(&m.postgres.search_long), p99(&m.sqlite.search_long));
            met &= server < limit;
            parts.push(format!(
                "search {} ms (SQLite {} ms)",
                ms(server),
                ms(local)
            ));
        }
        if timeline {
            let (server, local) = (p99(&m.postgres.timeline), p99(&m.sqlite.timeline));
            met &= server < limit;
            parts.push(format!(
                "timeline {} ms (SQLite {} ms)",
                ms(server),
                ms(local)
            ));
        }
        println!("| {what} | {} | {} |", parts.join("; "), verdict(met));
    }
    println!(
        "\nThe search target is the 3–5 letter fragments' figure, as in the targets above; \
         2-letter fragments scan every client on either engine."
    );
    let median = |samples: &[f64]| stats::Summary::of(samples).median;
    let per_size: Vec<String> = measured
        .iter()
        .map(|m| {
            let statements = m.statements_per_timeline;
            let p50 = median(&m.postgres.timeline);
            format!(
                "at {} clients {statements:.0} statements and {} ms p50, {:.0} µs a statement \
                 (a bare round trip, `SELECT 1`: {:.0} µs p50)",
                thousands(u64::from(m.size.clients)),
                ms(p50),
                p50 * 1000.0 / statements.max(1.0),
                median(&m.postgres.round_trip) * 1000.0
            )
        })
        .collect();
    let search_statements = measured.first().map_or(1.0, |m| m.statements_per_search);
    println!(
        "\nWhere the server's time goes. A timeline is many statements, each at least a round \
         trip: {}. `session::list` reads the lots of all a client's sessions in one \
         statement, and each kind of detail (zones, products, warnings, amendments) in one \
         more, so the count hardly grows with the sessions. Client search is \
         {search_statements:.0} statement; its time on the server is the server's own work: \
         the trigram index on the server's `client_search` gives candidates, which are \
         rechecked and ranked in that table's narrow rows (name, email and phone digits \
         folded by `search_fold` with `unaccent` once when a client is written, and the \
         sort key), and only the first page is then read from client. A common fragment \
         still costs in proportion to the clients it matches, and a 2-letter one scans \
         every row of `client_search`.",
        per_size.join("; ")
    );
}

fn parse_size(text: &str) -> gen::Size {
    let numbers: Vec<u32> = text
        .split(',')
        .map(|n| n.trim().parse().expect("CLIENTS,SESSIONS,PHOTOS"))
        .collect();
    let [clients, sessions, photos] = numbers[..] else {
        panic!("a size is CLIENTS,SESSIONS,PHOTOS, not {text}");
    };
    gen::Size {
        clients,
        sessions,
        photos,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut passes, mut cache, mut markdown, mut json, mut keep, mut sizes) = (
        5usize,
        None::<PathBuf>,
        false,
        None::<PathBuf>,
        None::<PathBuf>,
        vec![],
    );
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--passes" => {
                passes = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--passes N")
            }
            "--cache" => cache = args.next().map(PathBuf::from),
            "--markdown" => markdown = true,
            "--json" => json = args.next().map(PathBuf::from),
            "--keep" => keep = args.next().map(PathBuf::from),
            size if !size.starts_with('-') => sizes.push(parse_size(size)),
            other => {
                eprintln!(
                    "clinic_server: unknown option {other}\n\
                     usage: clinic_server [--passes N] [--cache DIR] [--markdown] [--json FILE] \
                     [--keep DIR] CLIENTS,SESSIONS,PHOTOS..."
                );
                std::process::exit(2);
            }
        }
    }
    if sizes.is_empty() {
        sizes.push(gen::Size {
            clients: 10_000,
            sessions: 200_000,
            photos: 400_000,
        });
    }
    // Other work on the machine shows in the tail latencies.
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    let temporary = tempfile::tempdir().expect("a scratch folder");
    if let Some(dir) = &keep {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::create_dir_all(dir).expect("the folder to keep");
        // The server's account (root runs it as `postgres`) must get through.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
            .expect("the folder's mode");
    }
    let scratch = keep.as_deref().unwrap_or(temporary.path());
    let server = LocalPostgres::start(&scratch.join("server"), Durability::Throwaway)
        .expect("a PostgreSQL server on loopback");
    let version: String = PgConn::connect(&server.params())
        .expect("the server")
        .db()
        .query_one("SHOW server_version", &[], "the version", |r| r.get(0))
        .expect("the server's version");
    let version = version.split_whitespace().next().unwrap_or("").to_owned();
    let sqlite_version: String = rusqlite::Connection::open_in_memory()
        .and_then(|c| c.query_row("SELECT sqlite_version()", [], |r| r.get(0)))
        .expect("SQLite's version");
    let mut measured = Vec::new();
    for size in sizes {
        let m = measure_size(
            &server,
            scratch,
            cache.as_deref(),
            size,
            passes,
            keep.is_some(),
        );
        let lines = json_lines(&m, (&sqlite_version, &version));
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        if !markdown {
            print!("{text}");
        }
        if let Some(file) = &json {
            use std::io::Write as _;
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .and_then(|mut f| f.write_all(text.as_bytes()))
                .expect("write the JSON lines");
        }
        measured.push(m);
    }
    if markdown {
        print_markdown(&measured, passes, (&sqlite_version, &version), &load);
    }
    if keep.is_some() {
        // Left running: dropping it would stop it.
        std::mem::forget(server);
    }
}
