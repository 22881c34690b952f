//! The cost of sealing at rest, side by side with the same work in the
//! clear, in one run of a release build: photo import (the batch, all
//! cores), client search and timeline p99 on a generated clinic, opening a
//! sealed data folder (unlocking with a passphrase included), and sealing a
//! folder in place. Prints a Markdown table.
//!
//! ```text
//! sealed [--photos DIR] [--clinic DIR] [--runs N] [--only-import]
//!     --photos       real photographs to import (JPEGs, e.g. Debian's
//!                    mate-backgrounds), else generated 12 MP ones
//!     --clinic       a data folder in the clear to copy for the store
//!                    figures (bench/run's cached clinic), else a
//!                    2,000-client clinic generated here
//!     --only-import  the photo import alone
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{FixedOffset, NaiveDate, Utc};
use pinpoint_bench::{gen, photos, stats};
use pinpoint_core::action::{accounts, clients as client_actions, safety, Clinic, Clock, Ctx};
use pinpoint_core::client::{self, ClientQuery};
use pinpoint_core::ids::ClientId;
use pinpoint_core::seal::{self, DataKey, Keyring};
use pinpoint_core::{timeline, SharedStore, Store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date")
}

/// Seals the folder in the clear at `dir` (no store open on it) and opens
/// it sealed.
fn seal_and_open(dir: &Path) -> Store {
    let hold = Store::hold_folder(dir).expect("hold the folder");
    let key = DataKey::generate();
    let (keyring, _recovery) = Keyring::new(&key);
    seal::seal_folder(&hold, &key, &keyring, &mut |_| {}).expect("seal");
    Store::open_held(&hold, Some(Arc::new(key))).expect("open sealed")
}

fn import_ms(store: &SharedStore, client: ClientId, files: &[PathBuf]) -> f64 {
    let start = Instant::now();
    let results = photos::import_batch(store, client, files);
    let ms = stats::ms_since(start);
    assert!(
        results.iter().all(|r| r.photo.is_some()),
        "every photo imported"
    );
    ms
}

/// Every JPEG under `dir`, in its subfolders too.
fn jpegs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the photo folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            jpegs_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jpg"))
        {
            out.push(path);
        }
    }
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make the folder");
    for entry in std::fs::read_dir(from).expect("read the folder") {
        let entry = entry.expect("an entry");
        let name = entry.file_name();
        if name.to_string_lossy() == "pinpoint.lock" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().expect("a type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn row(what: &str, unit: &str, plain: &[f64], sealed: &[f64], pick: fn(&stats::Summary) -> f64) {
    let (p, s) = (
        pick(&stats::Summary::of(plain)),
        pick(&stats::Summary::of(sealed)),
    );
    println!(
        "| {what} | {p:.2} {unit} | {s:.2} {unit} | {:+.1}% |",
        (s / p - 1.0) * 100.0
    );
}

fn median(s: &stats::Summary) -> f64 {
    s.median
}

fn p99(s: &stats::Summary) -> f64 {
    s.p99
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut photo_dir, mut clinic_dir, mut runs, mut only_import) = (None, None, 5usize, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--photos" => photo_dir = args.next().map(PathBuf::from),
            "--clinic" => clinic_dir = args.next().map(PathBuf::from),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            "--only-import" => only_import = true,
            other => panic!("unknown argument {other}"),
        }
    }
    let scratch = tempfile::tempdir().expect("a scratch folder");

    // Photos: the same files into a folder in the clear and a sealed one,
    // alternating which goes first.
    let files: Vec<PathBuf> = match &photo_dir {
        Some(dir) => {
            let mut found = Vec::new();
            jpegs_under(dir, &mut found);
            found.sort();
            found.truncate(40);
            assert!(!found.is_empty(), "no JPEG under {}", dir.display());
            found
        }
        None => (0..8)
            .map(|i| {
                let path = scratch.path().join(format!("gen-{i}.jpg"));
                std::fs::write(&path, photos::photo_like_jpeg(4000, 3000, 900 + i, 1))
                    .expect("write a photo");
                path
            })
            .collect(),
    };
    let megabytes: f64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0) as f64)
        .sum::<f64>()
        / 1e6;
    let (mut plain_import, mut sealed_import) = (Vec::new(), Vec::new());
    for run in 0..runs {
        for sealed in [run % 2 == 1, run % 2 == 0] {
            let dir = scratch.path().join(format!("import-{run}-{sealed}"));
            let store = if sealed {
                drop(Store::open(&dir).expect("open"));
                seal_and_open(&dir)
            } else {
                Store::open(&dir).expect("open")
            };
            let (store, client) = photos::with_client(store);
            let ms = import_ms(&store, client, &files);
            if sealed {
                sealed_import.push(ms);
            } else {
                plain_import.push(ms);
            }
            drop(store);
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    if only_import {
        println!("| | in the clear | sealed | cost |\n|---|---|---|---|");
        row(
            "photo import, median",
            "ms",
            &plain_import,
            &sealed_import,
            median,
        );
        return;
    }

    // The store: one clinic, copied twice, one copy sealed.
    let source = match clinic_dir {
        Some(dir) => dir,
        None => {
            let dir = scratch.path().join("generated");
            let mut store = Store::open(&dir).expect("open");
            gen::clinic(
                &mut store,
                gen::Size {
                    clients: 2000,
                    sessions: 40_000,
                    photos: 80_000,
                },
                gen::CLINIC_SEED,
            )
            .expect("generate");
            dir
        }
    };
    let plain_dir = scratch.path().join("store-plain");
    let sealed_dir = scratch.path().join("store-sealed");
    copy_folder(&source, &plain_dir);
    copy_folder(&source, &sealed_dir);
    let start = Instant::now();
    let sealed_store = seal_and_open(&sealed_dir);
    let seal_store_s = start.elapsed().as_secs_f64();
    let plain_store = Store::open(&plain_dir).expect("open");
    let ids: Vec<ClientId> = plain_store
        .sqlite()
        .expect("the data folder's database")
        .prepare("SELECT id FROM client ORDER BY rowid")
        .expect("ids")
        .query_map([], |r| r.get(0))
        .expect("ids")
        .collect::<rusqlite::Result<_>>()
        .expect("ids");
    let names: Vec<String> = plain_store
        .sqlite()
        .expect("the data folder's database")
        .prepare("SELECT name FROM client ORDER BY rowid LIMIT 400")
        .expect("names")
        .query_map([], |r| r.get(0))
        .expect("names")
        .collect::<rusqlite::Result<_>>()
        .expect("names");
    let words: Vec<String> = names
        .iter()
        .filter_map(|n| n.split_whitespace().last())
        .map(|w| w.chars().take(4).collect::<String>().to_lowercase())
        .collect();
    let sample: Vec<ClientId> = (0..200).map(|i| ids[(i * 7919) % ids.len()]).collect();
    let measure = |store: &Store| -> (Vec<f64>, Vec<f64>) {
        let conn = store.sqlite().expect("the data folder's database");
        let mut search = Vec::new();
        let mut line = Vec::new();
        for pass in 0..3 {
            for word in &words {
                let start = Instant::now();
                let query = ClientQuery {
                    search: Some(word.clone()),
                    include_archived: false,
                    limit: Some(500),
                };
                std::hint::black_box(client::search(conn, &query).expect("search"));
                if pass > 0 {
                    search.push(stats::ms_since(start));
                }
            }
            for id in &sample {
                let start = Instant::now();
                std::hint::black_box(timeline::build(conn, *id, today()).expect("timeline"));
                if pass > 0 {
                    line.push(stats::ms_since(start));
                }
            }
        }
        (search, line)
    };
    let (plain_search, plain_timeline) = measure(&plain_store);
    let (sealed_search, sealed_timeline) = measure(&sealed_store);
    let clients = ids.len();
    drop(plain_store);
    drop(sealed_store);

    // Opening a sealed folder: the demo clinic, sealed by its owner; each
    // open is a new process's work: hold, unwrap (Argon2id), SQLCipher
    // open, the first screen's list.
    let demo = scratch.path().join("demo");
    let clock = Clock::at(Utc::now(), FixedOffset::east_opt(0).expect("UTC"));
    let passphrase = "lumen demo 2026";
    let owner = "Dr. Amara Okafor";
    let demo_seal_s = {
        let clinic = Clinic::open(&demo).expect("open");
        safety::fill_demo(&Ctx::new(&clinic, clock)).expect("demo");
        let actor = accounts::sign_in(&clinic, clock, owner, passphrase).expect("sign in");
        let start = Instant::now();
        accounts::seal_clinic(
            &Ctx::new(&clinic, clock).acting_as(actor),
            passphrase,
            &mut |_| {},
        )
        .expect("seal");
        start.elapsed().as_secs_f64()
    };
    let mut opens = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let clinic = Clinic::open(&demo).expect("open");
        let actor = accounts::sign_in(&clinic, clock, owner, passphrase).expect("sign in");
        let listed = client_actions::list_clients(
            &Ctx::new(&clinic, clock).acting_as(actor),
            &ClientQuery::default(),
        )
        .expect("list");
        std::hint::black_box(listed);
        opens.push(stats::ms_since(start));
    }

    println!("\n## 5. Sealed at rest: the cost of encryption\n");
    println!(
        "Measured by `bin/sealed.rs` on {}: each figure sealed and in the clear in the \
         same run ({runs} runs; the photo batch alternates which goes first). The store is \
         one clinic copied twice, one copy sealed in place; opening is the demo clinic, \
         sealed by its owner, opened as a new process would.\n",
        chrono::Utc::now().format("%Y-%m-%d")
    );
    println!("| | in the clear | sealed | cost |\n|---|---|---|---|");
    row(
        &format!(
            "photo import, {} photos ({megabytes:.0} MB), all cores, median",
            files.len()
        ),
        "ms",
        &plain_import,
        &sealed_import,
        median,
    );
    row(
        &format!(
            "client search p99 ({clients} clients, {} words × 2)",
            words.len()
        ),
        "ms",
        &plain_search,
        &sealed_search,
        p99,
    );
    row(
        &format!("timeline p99 ({} clients × 2)", sample.len()),
        "ms",
        &plain_timeline,
        &sealed_timeline,
        p99,
    );
    let open = stats::Summary::of(&opens);
    println!(
        "\nOpening the sealed demo folder and signing in (hold, Argon2id unwrap, SQLCipher, \
         the client list): median {:.0} ms, max {:.0} ms over {} runs (target: under 1 s). \
         Sealing the {clients}-client store in place (database only): {seal_store_s:.1} s. \
         Sealing the demo clinic in place (its photos, previews, thumbnails and database): \
         {demo_seal_s:.1} s.\n",
        open.median, open.max, open.count
    );
    println!(
        "What it took (measured the same way, 2026-12-07): SQLCipher decrypts and checks \
         the HMAC of every page it reads from the file, where plain SQLite copies it out of \
         the OS's cache; with SQLite's default 2 MiB page cache the sealed search p99 was \
         +46% and the timeline p99 +85%, so sealed stores keep a 64 MiB cache of decrypted \
         pages. Sealing a photo cost +6 to +10% on import whether XChaCha20-Poly1305 or \
         AES-256-GCM: the cipher was under 1% of the profile (`perf`), the cost was copying \
         each original into a new buffer; the original is now encrypted in its own buffer \
         and written in three parts (head, body, tag). What is left is SQLCipher's \
         per-commit work and the audit head recorded beside the folder after each row."
    );
}
