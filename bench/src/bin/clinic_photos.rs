//! Photo import in clinic mode: the same batch of generated 12 MP JPEGs
//! imported through the core's own pipeline (`photo::import_files`, all
//! cores) into a desktop's data folder, and into clinic mode, where every
//! file is also sealed and uploaded to the clinic's bucket before its row
//! is added: a one-node Garage, and three nodes keeping three copies, all
//! on loopback (`LocalGarage`), with the records on a throwaway PostgreSQL
//! (`LocalPostgres`). Every run imports into an empty folder (and an empty
//! database), so nothing is skipped as already stored.
//!
//! ```text
//! clinic_photos [--runs N] [--photos N] [--markdown]
//! ```
//!
//! Prints JSON lines (`embedded`, `garage-1`, `garage-3`: seconds per
//! batch), or with `--markdown` a section for bench/RESULTS.md.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::Utc;
use pinpoint_bench::{photos, stats};
use pinpoint_core::bucket::local::LocalGarage;
use pinpoint_core::db::local::{Durability, LocalPostgres};
use pinpoint_core::db::PgConn;
use pinpoint_core::ids::ClientId;
use pinpoint_core::{SharedStore, Store};

/// Where the photos go.
#[derive(Debug, Clone, Copy)]
enum Target {
    Embedded,
    Garage(usize),
}

impl Target {
    fn key(self) -> String {
        match self {
            Target::Embedded => "embedded".to_owned(),
            Target::Garage(n) => format!("garage-{n}"),
        }
    }

    fn words(self) -> &'static str {
        match self {
            Target::Embedded => "a desktop's data folder (SQLite, files in the folder)",
            Target::Garage(1) => "clinic mode: PostgreSQL, one Garage node",
            Target::Garage(_) => "clinic mode: PostgreSQL, three Garage nodes (three copies)",
        }
    }
}

fn main() {
    let mut runs = 5usize;
    let mut count = 12u64;
    let mut markdown = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            "--photos" => {
                count = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--photos N")
            }
            "--markdown" => markdown = true,
            other => panic!("clinic_photos: unknown argument {other}"),
        }
    }
    let work = tempfile::Builder::new()
        .prefix("pinpoint-bench-clinic-photos-")
        .tempdir_in(
            std::env::var_os("PINPOINT_BENCH_WORK")
                .map(PathBuf::from)
                .unwrap_or_else(std::env::temp_dir),
        )
        .expect("a work folder");
    eprintln!("clinic_photos: generating {count} photos of 12 MP");
    let camera = work.path().join("camera");
    std::fs::create_dir_all(&camera).expect("the camera folder");
    let mut files = Vec::new();
    let mut bytes = 0u64;
    for seed in 0..count {
        let jpeg = photos::photo_like_jpeg(4000, 3000, 5100 + seed, 1);
        bytes += jpeg.len() as u64;
        let file = camera.join(format!("IMG_{seed:04}.jpg"));
        std::fs::write(&file, jpeg).expect("write a photo");
        files.push(file);
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();

    // The server's folder in the system's temporary folder: root runs it as
    // `postgres`, which cannot get through a work folder in root's home.
    let server_folder = tempfile::tempdir().expect("a folder for the server");
    let server = LocalPostgres::start(&server_folder.path().join("server"), Durability::Throwaway)
        .expect("a throwaway PostgreSQL");
    let mut measured = Vec::new();
    for target in [Target::Embedded, Target::Garage(1), Target::Garage(3)] {
        let garage = match target {
            Target::Embedded => None,
            Target::Garage(n) => Some(
                LocalGarage::start(&work.path().join(format!("garage-{n}")), n)
                    .expect("a throwaway Garage"),
            ),
        };
        let mut seconds = Vec::new();
        for run in 0..=runs {
            let folder = work.path().join(format!("{}-{run}", target.key()));
            let (store, client) = open(&folder, &server, garage.as_ref(), run);
            let start = Instant::now();
            import(&store, client, &files);
            let took = start.elapsed().as_secs_f64();
            // The first run warms the caches and the servers.
            if run > 0 {
                seconds.push(took);
            }
            drop(store);
            let _ = std::fs::remove_dir_all(&folder);
        }
        if !markdown {
            stats::emit(&target.key(), "s", &seconds);
        }
        eprintln!("clinic_photos: {} done", target.key());
        measured.push((target, stats::Summary::of(&seconds)));
    }
    if markdown {
        print_markdown(&measured, count, bytes, runs, &load.join(", "));
    }
}

/// A folder for one run: a data folder, or clinic mode on a database of
/// its own with the cluster's bucket.
fn open(
    folder: &Path,
    server: &LocalPostgres,
    garage: Option<&LocalGarage>,
    run: usize,
) -> (SharedStore, ClientId) {
    let store = match garage {
        None => Store::open(folder).expect("a data folder"),
        Some(garage) => {
            let admin = PgConn::connect(&server.params_for("postgres")).expect("connect");
            let name = format!(
                "photos_{}_{run}",
                garage
                    .photo_bucket()
                    .endpoint
                    .rsplit(':')
                    .next()
                    .unwrap_or("x")
            );
            admin
                .db()
                .execute_batch(&format!("CREATE DATABASE {name}"))
                .expect("a database");
            let pg = PgConn::connect(&server.params_for(&name)).expect("connect");
            Store::open_clinic_with(folder, pg, Some(garage.bucket().expect("the bucket")))
                .expect("clinic mode")
        }
    };
    photos::with_client(store)
}

fn import(store: &SharedStore, client: ClientId, files: &[PathBuf]) {
    for r in photos::import_batch(store, client, files) {
        assert!(r.refused.is_none(), "{:?}", r.refused);
        assert!(!r.duplicate, "every import starts empty");
    }
}

fn print_markdown(
    measured: &[(Target, stats::Summary)],
    count: u64,
    bytes: u64,
    runs: usize,
    load: &str,
) {
    println!("\n## 8. Photo import in clinic mode: sealed and uploaded\n");
    println!(
        "Measured by `bin/clinic_photos.rs` on this machine, {}, load average {load} at its \
         start: {count} generated 12 MP JPEGs ({:.1} MB in all) imported in one batch through \
         the core's pipeline (all cores) into an empty folder each run, {runs} timed runs \
         after a warm-up run. In clinic mode each photo's original, preview and thumbnail \
         are sealed with the clinic's key and sent to the bucket (Garage 2.5 on loopback, \
         plain HTTP, every request signed) before the photo's row is added on PostgreSQL.\n",
        Utc::now().format("%Y-%m-%d"),
        bytes as f64 / 1e6
    );
    println!("| where the photos go | batch median s | photos a second | MB a second | vs the data folder |");
    println!("| --- | --- | --- | --- | --- |");
    let base = measured[0].1.median;
    for (target, summary) in measured {
        println!(
            "| {} | {:.2} | {:.1} | {:.0} | {:.2}× |",
            target.words(),
            summary.median,
            count as f64 / summary.median,
            bytes as f64 / 1e6 / summary.median,
            summary.median / base
        );
    }
    println!();
}
