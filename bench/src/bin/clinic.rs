//! The store at clinic scale: generates a clinic into a real data folder
//! and measures client search, timeline assembly and lot recall through the
//! core's own functions, and writes the same queries as SQL scripts for the
//! `sqlite3` shell (the floor). `bench/run` drives it:
//!
//!     clinic generate DIR CLIENTS SESSIONS PHOTOS [REAL]
//!                                        REAL: real photos imported for the
//!                                        client with 100 sessions
//!     clinic measure DIR OUT PASSES     JSON lines; OUT gets the floor scripts

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use pinpoint_bench::workload::{self, time_each, within_budget, Workload};
use pinpoint_bench::{gen, photos, stats};
use pinpoint_core::client;
use pinpoint_core::ids::ClientId;
use pinpoint_core::{outcome, plan, recall, session, Store};

fn generate(dir: &Path, size: gen::Size, real_photos: u32) {
    let start = Instant::now();
    let mut store = Store::open(dir).expect("open the data folder");
    let existing =
        client::count(store.sqlite().expect("the data folder's database")).expect("count clients");
    assert_eq!(existing, 0, "{} already holds a clinic", dir.display());
    let clients = gen::clinic(&mut store, size, gen::CLINIC_SEED).expect("generate the clinic");
    store
        .sqlite()
        .expect("the data folder's database")
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    if real_photos > 0 {
        let hundred: ClientId = clients[0].id.parse().expect("a client id");
        store = import_real_photos(store, dir, hundred, real_photos);
    }
    let count = |table: &str| -> i64 {
        store
            .sqlite()
            .expect("the data folder's database")
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    };
    stats::emit_fact("clients", count("client"));
    stats::emit_fact("sessions", count("treatment_session"));
    stats::emit_fact("photos", count("photo"));
    stats::emit_fact("hundred_client", &clients[0].id);
    stats::emit_fact("generate_s", start.elapsed().as_secs_f64());
}

/// Imports `count` real, distinct 640 × 480 JPEGs through the app's own
/// pipeline for `client` (before and after photos spread over its sessions,
/// cheeks, front), so the app can open a timeline with that many photos.
fn import_real_photos(store: Store, dir: &Path, client: ClientId, count: u32) -> Store {
    use pinpoint_core::photo::{render, PhotoKind};
    let sessions: Vec<_> =
        session::list(store.sqlite().expect("the data folder's database"), client)
            .expect("the client's sessions")
            .into_iter()
            .map(|s| s.id)
            .collect();
    let incoming = dir.with_extension("incoming");
    std::fs::create_dir_all(&incoming).expect("a folder for the photos");
    let (w, h) = (640usize, 480usize);
    let store = pinpoint_core::SharedStore::new(Some(store));
    for (i, session) in (0..count as usize).map(|i| (i, sessions[i % sessions.len()])) {
        // A soft gradient whose tone and stripe depend on `i`: every file differs.
        let mut rgb = vec![0u8; w * h * 3];
        for (p, px) in rgb.chunks_mut(3).enumerate() {
            let (x, y) = (p % w, p / w);
            let stripe = if (x + i * 7) % 97 < 3 { 30 } else { 0 };
            px[0] = (150 + (x * 60 / w) + stripe).min(255) as u8;
            px[1] = (110 + (y * 40 / h) + (i % 23)) as u8;
            px[2] = (90 + (i % 41)) as u8;
        }
        let file = incoming.join(format!("IMG_{i:04}.jpg"));
        std::fs::write(
            &file,
            render::encode_rgb_jpeg(&rgb, w as u32, h as u32).expect("jpeg"),
        )
        .expect("write a photo");
        let kind = if (i / sessions.len()) % 2 == 0 {
            PhotoKind::Before
        } else {
            PhotoKind::After
        };
        let results = photos::import_for_session(&store, client, session, kind, file);
        assert!(
            results[0].photo.is_some(),
            "photo {i} imported: {:?}",
            results[0].refused
        );
    }
    let _ = std::fs::remove_dir_all(&incoming);
    store.take().expect("the store")
}

fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

const CLIENT_COLUMNS: &str =
    "id, name, date_of_birth, phone, email, fitzpatrick, notes, archived, \
                              created_at, updated_at, glogau, indications, alerts";

/// The SQL `client::search` runs for one search word, with its values.
fn search_sql(word: &str) -> String {
    let like = |w: &str| {
        w.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    };
    let condition = if word.chars().count() >= 3 {
        format!(
            "rowid IN (SELECT rowid FROM client_search WHERE client_search MATCH {})",
            sql_text(&format!("\"{word}\""))
        )
    } else {
        let p = sql_text(&format!("%{}%", like(word)));
        format!(
            "(name LIKE {p} ESCAPE '\\' OR email LIKE {p} ESCAPE '\\' OR replace(replace(replace(replace(replace(replace(coalesce(phone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '') LIKE {p} ESCAPE '\\')"
        )
    };
    format!(
        "SELECT {CLIENT_COLUMNS} FROM client WHERE {condition} AND archived = 0 \
         ORDER BY (' ' || name LIKE {} ESCAPE '\\') DESC, name COLLATE NOCASE, id LIMIT 500;",
        sql_text(&format!("% {}%", like(word)))
    )
}

/// The rows `timeline::build` reads for a client, fetched set-wise in
/// plain SQL (what the timeline needs, with none of the per-session round
/// trips).
fn timeline_sql(client: &str) -> Vec<String> {
    let c = sql_text(client);
    let sessions = format!("(SELECT id FROM treatment_session WHERE client_id = {c})");
    vec![
        format!("SELECT {CLIENT_COLUMNS} FROM client WHERE id = {c};"),
        "SELECT value FROM clinic_setting WHERE key = 'clinic';".to_owned(),
        format!(
            "SELECT s.*, p.name, d.model, d.serial, cl.lot_number, cp.name, al.lot_number, ap.name
             FROM treatment_session s JOIN practitioner p ON p.id = s.practitioner_id
             LEFT JOIN device d ON d.id = s.device_id
             LEFT JOIN lot cl ON cl.id = s.cartridge_lot_id LEFT JOIN product cp ON cp.id = cl.product_id
             LEFT JOIN lot al ON al.id = s.anaesthetic_lot_id LEFT JOIN product ap ON ap.id = al.product_id
             WHERE s.client_id = {c} ORDER BY s.started_at, s.id;"
        ),
        format!("SELECT session_id, zone, depth_um, passes, technique FROM session_zone WHERE session_id IN {sessions} ORDER BY session_id, ordinal;"),
        format!(
            "SELECT sp.session_id, sp.phase, l.lot_number, l.expires_on, p.name, p.kind FROM session_product sp
             JOIN lot l ON l.id = sp.lot_id JOIN product p ON p.id = l.product_id
             WHERE sp.session_id IN {sessions} ORDER BY sp.session_id, sp.ordinal;"
        ),
        format!("SELECT session_id, rule, zone, message, reason FROM session_warning WHERE session_id IN {sessions};"),
        format!("SELECT session_id, id, at, reason, changed FROM session_amendment WHERE session_id IN {sessions};"),
        format!("SELECT id, client_id, visited_on, notes FROM follow_up WHERE client_id = {c} ORDER BY visited_on, created_at;"),
        format!("SELECT * FROM adverse_event WHERE client_id = {c} ORDER BY started_on, created_at;"),
        format!("SELECT * FROM outcome_score WHERE client_id = {c} ORDER BY recorded_on, created_at;"),
        format!("SELECT id, kind, zone, pose, session_id, follow_up_id FROM photo WHERE client_id = {c} ORDER BY coalesce(captured_at, imported_at), id;"),
        format!(
            "SELECT p.*, (SELECT count(*) FROM treatment_session s WHERE s.plan_id = p.id)
             FROM treatment_plan p WHERE p.client_id = {c} ORDER BY p.created_on DESC, p.created_at DESC;"
        ),
    ]
}

/// The SQL `recall::recall` runs, with the lot number in place.
fn recall_sql(lot: &str) -> String {
    format!("{};", recall::RECALL_SQL.replace("?1", &sql_text(lot)))
}

/// A script for the `sqlite3` shell: every statement timed (`.timer on`),
/// rows thrown away; a warm-up pass first, whose timings `bench` skips.
/// Between groups of statements that make one figure, a `-- group` line
/// would not show in the output, so each group is its statements in order
/// and `bench` counts them.
fn floor_script(groups: &[Vec<String>], passes: usize) -> String {
    let mut script = String::from(".output /dev/null\n");
    for group in groups {
        for statement in group {
            let _ = writeln!(script, "{}", statement.replace('\n', " "));
        }
    }
    script.push_str(".timer on\n");
    for _ in 0..passes {
        for group in groups {
            for statement in group {
                let _ = writeln!(script, "{}", statement.replace('\n', " "));
            }
        }
    }
    script
}

/// A copy of the clients for the floor's search: Debian 12's sqlite3 shell
/// (SQLite 3.40) cannot open the app's FTS5 table, whose trigram tokenizer
/// uses `remove_diacritics` (SQLite 3.45+), so the copy indexes the same
/// columns with the plain trigram tokenizer (case-folding only).
fn floor_search_db(store: &Store, out: &Path) {
    let path = out.join("search-floor.sqlite3");
    let _ = std::fs::remove_file(&path);
    let conn = store.sqlite().expect("the data folder's database");
    let table: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'client'",
            [],
            |r| r.get(0),
        )
        .expect("client table");
    conn.execute("ATTACH DATABASE ?1 AS floor", [path.to_string_lossy()])
        .expect("attach");
    let table = table.replacen("CREATE TABLE client", "CREATE TABLE floor.client", 1);
    conn.execute_batch(&format!(
        "{table};
         INSERT INTO floor.client SELECT * FROM main.client;
         CREATE INDEX floor.client_by_name ON client (name COLLATE NOCASE);
         CREATE VIRTUAL TABLE floor.client_search USING fts5 (name, phone, email, tokenize = 'trigram');
         INSERT INTO floor.client_search (rowid, name, phone, email)
             SELECT rowid, name, replace(replace(replace(replace(replace(replace(coalesce(phone, ''),
                 ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), coalesce(email, '')
             FROM main.client;
         DETACH DATABASE floor;"
    ))
    .expect("the floor's search table");
}

fn measure(dir: &Path, out: &Path, passes: usize) {
    let store = Store::open_existing(dir).expect("open the clinic");
    let conn = store.sqlite().expect("the data folder's database");
    std::fs::create_dir_all(out).expect("create the output folder");
    let clients: Vec<(ClientId, String)> = conn
        .prepare("SELECT id, name FROM client ORDER BY rowid")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .expect("clients");
    stats::emit_fact("clients", clients.len());
    let Workload {
        long,
        short,
        mut sample,
        hundred,
    } = Workload::new(&clients);

    // Client search, as the client list calls it (limit 500): fragments of
    // 3 to 5 letters (FTS5) and of 2 (which take the scan path instead).
    let search = |word: &String| {
        std::hint::black_box(workload::search(conn.into(), word));
    };
    let hits: usize = long
        .iter()
        .map(|w| workload::search(conn.into(), w).len())
        .sum();
    stats::emit_fact("search_mean_hits", hits as f64 / long.len() as f64);
    stats::emit("search.fts", "ms", &time_each(passes, &long, search));
    stats::emit("search.short", "ms", &time_each(passes, &short, search));
    floor_search_db(&store, out);
    let groups = |words: &[String]| -> Vec<Vec<String>> {
        words.iter().map(|w| vec![search_sql(w)]).collect()
    };
    std::fs::write(
        out.join("search-fts.sql"),
        floor_script(&groups(&long), passes),
    )
    .expect("write");
    std::fs::write(
        out.join("search-short.sql"),
        floor_script(&groups(&short), passes),
    )
    .expect("write");

    // A client's timeline: 200 clients spread over the clinic, and the
    // client with 100 sessions (the first one generated).
    let build = |id: &ClientId| {
        std::hint::black_box(workload::timeline(conn.into(), *id));
    };
    // Slow timelines (seconds each) get fewer clients, to finish in time.
    sample.truncate(within_budget(&sample, passes, 10, build));
    stats::emit_fact("timeline_clients", sample.len());
    let sessions: usize = sample
        .iter()
        .map(|id| session::list(conn, *id).expect("sessions").len())
        .sum();
    stats::emit_fact(
        "timeline_mean_sessions",
        sessions as f64 / sample.len() as f64,
    );
    stats::emit("timeline", "ms", &time_each(passes, &sample, build));
    let hundred = [hundred];
    stats::emit_fact(
        "hundred_sessions",
        session::list(conn, hundred[0]).expect("sessions").len(),
    );
    let hundred_passes = within_budget(&vec![0; passes.max(20)], 0, 3, |_| build(&hundred[0]));
    stats::emit(
        "timeline.hundred",
        "ms",
        &time_each(hundred_passes, &hundred, build),
    );
    // Where the timeline's time goes.
    stats::emit(
        "timeline.part.session_list",
        "ms",
        &time_each(passes, &sample, |id| {
            std::hint::black_box(session::list(conn, *id).expect("sessions"));
        }),
    );
    stats::emit(
        "timeline.part.plan_active",
        "ms",
        &time_each(passes, &sample, |id| {
            std::hint::black_box(plan::active(conn, *id).expect("plan"));
        }),
    );
    stats::emit(
        "timeline.part.scores",
        "ms",
        &time_each(passes, &sample, |id| {
            std::hint::black_box(outcome::list(conn, *id).expect("scores"));
        }),
    );
    let tl_groups: Vec<Vec<String>> = sample
        .iter()
        .map(|id| timeline_sql(&id.to_string()))
        .collect();
    std::fs::write(out.join("timeline.sql"), floor_script(&tl_groups, passes)).expect("write");
    std::fs::write(
        out.join("timeline-hundred.sql"),
        floor_script(&[timeline_sql(&hundred[0].to_string())], hundred_passes),
    )
    .expect("write");
    stats::emit_fact("timeline_statements", tl_groups[0].len());

    // Lot recall: cartridge, serum and anaesthetic lots from across the years.
    let lots: Vec<String> = conn
        .prepare(
            "SELECT l.lot_number FROM lot l JOIN product p ON p.id = l.product_id
             WHERE (p.kind = 'cartridge' AND l.rowid % 45 = 0) OR (p.kind = 'serum' AND l.rowid % 26 = 0)
                OR (p.kind = 'anaesthetic' AND l.rowid % 12 = 0)
             ORDER BY l.rowid",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>())
        .expect("lots");
    let mut lots = lots;
    lots.truncate(within_budget(&lots, passes, 10, |l| {
        std::hint::black_box(recall::recall(conn, l).expect("recall"));
    }));
    let hits: usize = lots
        .iter()
        .map(|l| recall::recall(conn, l).expect("recall").len())
        .sum();
    stats::emit_fact("recall_lots", lots.len());
    stats::emit_fact("recall_mean_hits", hits as f64 / lots.len().max(1) as f64);
    stats::emit(
        "recall",
        "ms",
        &time_each(passes, &lots, |l| {
            std::hint::black_box(recall::recall(conn, l).expect("recall"));
        }),
    );
    // The plan of the app's own (bundled) SQLite for the recall query.
    if let Some(lot) = lots.first() {
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", recall_sql(lot)))
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(3))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap_or_default();
        stats::emit_fact("recall_plan", plan.join("; "));
        let version: String = conn
            .query_row("SELECT sqlite_version()", [], |r| r.get(0))
            .unwrap_or_default();
        stats::emit_fact("sqlite_version", version);
    }
    let rc_groups: Vec<Vec<String>> = lots.iter().map(|l| vec![recall_sql(l)]).collect();
    std::fs::write(out.join("recall.sql"), floor_script(&rc_groups, passes)).expect("write");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |text: &String| -> u32 { text.parse().expect("a number") };
    match args.as_slice() {
        [mode, dir, clients, sessions, photos, rest @ ..]
            if mode == "generate" && rest.len() <= 1 =>
        {
            generate(
                Path::new(dir),
                gen::Size {
                    clients: number(clients),
                    sessions: number(sessions),
                    photos: number(photos),
                },
                rest.first().map_or(0, &number),
            )
        }
        [mode, dir, out, passes] if mode == "measure" => {
            measure(Path::new(dir), Path::new(out), number(passes) as usize)
        }
        _ => {
            eprintln!(
                "usage: clinic generate DIR CLIENTS SESSIONS PHOTOS [REAL] | measure DIR OUT PASSES"
            );
            std::process::exit(2);
        }
    }
}
