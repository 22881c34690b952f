//! Measures the client progress report (`pinpoint_core::report`): time to
//! PDF and file size for a client with 20 sessions and 40 photos (a before
//! and an after photo per session, imported through the real pipeline).
//!
//!     report_speed DIR RUNS    DIR keeps the prepared data folder between runs

use pinpoint_core::SharedStore;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use pinpoint_bench::{gen, photos, stats};
use pinpoint_core::ids::{ClientId, SessionId};
use pinpoint_core::photo::PhotoKind;
use pinpoint_core::{report, Store};

/// Makes the data folder once: one client, 20 sessions, 40 photos.
fn prepare(dir: &Path) -> ClientId {
    let data = dir.join("data");
    let marker = dir.join("client-id");
    if let Ok(id) = std::fs::read_to_string(&marker) {
        return id.trim().parse().expect("a client id");
    }
    let _ = std::fs::remove_dir_all(&data);
    let mut store = Store::open(&data).expect("open the data folder");
    let mut random = stats::Random::new(20);
    let (client, made) = gen::write(&mut store, |w| {
        let catalogue = gen::catalogue(w, &mut random)?;
        let client = gen::client(w, &mut random, 0, Some("Élodie Marchand"), 20)?;
        let first = NaiveDate::from_ymd_opt(2024, 9, 2).expect("valid date");
        let shape = gen::CourseShape {
            count: 20,
            first,
            interval_days: (28, 40),
            photos_each: 0,
        };
        let made = gen::sessions(w, &mut random, &catalogue, &client, shape)?;
        Ok((client, made))
    })
    .expect("the client and her sessions");
    let client: ClientId = client.id.parse().expect("client id");
    let store = SharedStore::new(Some(store));
    let photo_dir = dir.join("photos");
    std::fs::create_dir_all(&photo_dir).expect("photo folder");
    for (n, session) in made.sessions.iter().enumerate() {
        let session: SessionId = session.parse().expect("session id");
        for (k, kind) in [PhotoKind::Before, PhotoKind::After]
            .into_iter()
            .enumerate()
        {
            let file: PathBuf = photo_dir.join(format!("IMG_{n:02}_{k}.jpg"));
            let seed = 5000 + (n * 2 + k) as u64;
            std::fs::write(&file, photos::photo_like_jpeg(2016, 1512, seed, 1))
                .expect("write photo");
            let results = photos::import_for_session(&store, client, session, kind, file);
            assert!(results.iter().all(|r| r.refused.is_none()), "{results:?}");
        }
    }
    std::fs::write(&marker, client.to_string()).expect("write the marker");
    client
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, runs] = args.as_slice() else {
        eprintln!("usage: report_speed DIR RUNS");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    let runs: usize = runs.parse().expect("a number of runs");
    let client = prepare(dir);
    let store = Store::open(&dir.join("data")).expect("open the data folder");
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date");
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
    let make = || {
        report::prepare_progress_report(
            store.sqlite().expect("the data folder's database"),
            store.data_dir(),
            client,
            today,
            now,
        )
        .and_then(report::Prepared::render)
        .expect("the report")
    };

    // The first report of a process also parses the fonts and builds
    // Typst's library; a practitioner meets that once per app start.
    let start = Instant::now();
    let first = make();
    stats::emit("report.first", "ms", &[stats::ms_since(start)]);
    let mut times = Vec::new();
    let mut pdf = first;
    for _ in 0..runs {
        let start = Instant::now();
        pdf = make();
        times.push(stats::ms_since(start));
    }
    stats::emit("report", "ms", &times);
    stats::emit_fact("report_bytes", pdf.bytes.len());
    stats::emit_fact("report_pages", pdf.pages);
    stats::emit_fact("report_photos", pdf.photos);
    stats::emit_fact("peak_kib", stats::memory_kib("VmHWM:"));
    std::fs::write(dir.join("progress-report.pdf"), &pdf.bytes).expect("write the PDF");
}
