//! Measures the progress report (docs/measured.md) through the core's real
//! path: a client with 20 sessions and 40 photos (20 zone/pose pairs of
//! 1600 × 1200 previews), then `report::prepare_progress_report` (database
//! and previews) and `Prepared::render` (Typst layout and PDF) timed apart.
//!
//!     cargo run --release -p pinpoint-bench --bin report_render -- [RUNS] [OUT.pdf]

use pinpoint_core::SharedStore;
use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use pinpoint_core::client::{self, ClientInput};
use pinpoint_core::ids::{ClientId, PhotoId, PractitionerId, SessionId};
use pinpoint_core::photo::{self, render, PhotoKind, PhotoPose, PhotoTags};
use pinpoint_core::session::{self, SessionDraft, ZoneInput};
use pinpoint_core::{practitioner, report, settings, Store};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let dir = std::env::temp_dir().join(format!("pinpoint-report-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
    let today = now.date_naive();
    let mut store = Store::open(&dir).expect("a new data folder");
    let first_day = today - Duration::days(20 * 30);
    let (client, sessions) = store
        .write(|tx| {
            let mut clinic = settings::get(tx)?;
            clinic.screening_valid_days = 3650;
            settings::save(tx, &clinic, now)?;
            let who = practitioner::create(tx, PractitionerId::new(), "Maya Lewis", "RN", now)?;
            let input = ClientInput {
                name: "Bench Client".to_owned(),
                ..ClientInput::default()
            };
            let c = client::create(tx, ClientId::new(), &input, today, now)?;
            pinpoint_core::screening::add(
                tx,
                pinpoint_core::ids::ScreeningId::new(),
                &pinpoint_core::screening::NewScreening {
                    client_id: c.id,
                    taken_on: first_day - Duration::days(1),
                    answers: [].to_vec(),
                },
                &clinic,
                today,
                now,
            )?;
            pinpoint_core::consent::add(
                tx,
                pinpoint_core::ids::ConsentId::new(),
                &pinpoint_core::consent::NewConsent {
                    client_id: c.id,
                    kind: pinpoint_core::consent::ConsentKind::Treatment,
                    given_on: first_day - Duration::days(1),
                    signature: "Bench Client".to_owned(),
                },
                "2026-1",
                today,
                now,
            )?;
            let mut ids = Vec::new();
            for i in 0..20 {
                let date: NaiveDate = first_day + Duration::days(30 * i);
                let draft = SessionDraft {
                    client_id: c.id,
                    practitioner_id: who.id,
                    started_at: format!("{date}T09:00:00+00:00"),
                    plan_id: None,
                    device_id: None,
                    cartridge: None,
                    anaesthetic: None,
                    zones: vec![
                        ZoneInput {
                            zone: "cheeks".to_owned(),
                            depth_mm: 1.0 + 0.25 * (i % 3) as f64,
                            passes: 3,
                            technique: "crosshatch".to_owned(),
                        },
                        ZoneInput {
                            zone: "forehead".to_owned(),
                            depth_mm: 0.5,
                            passes: 2,
                            technique: "vertical stamping".to_owned(),
                        },
                    ],
                    products: Vec::new(),
                    endpoint: None,
                    pain: Some(3),
                    immediate_reaction: "Even erythema, settled within the hour".to_owned(),
                    adverse_events: String::new(),
                    aftercare: String::new(),
                    notes: String::new(),
                };
                ids.push(session::create(tx, SessionId::new(), &draft, &[], now)?.id);
            }
            Ok((c.id, ids))
        })
        .expect("the bench clinic");
    let store = SharedStore::new(Some(store));
    // 20 zone/pose groups: a "before" at the first session and an "after"
    // at the last, 1600 × 1200.
    let zones = [
        "cheeks",
        "forehead",
        "chin",
        "neck",
        "nose",
        "jawline",
        "upper_lip",
        "scalp",
        "body",
        "decolletage",
    ];
    let poses = [PhotoPose::Front, PhotoPose::Left45];
    let files = dir.join("incoming");
    std::fs::create_dir_all(&files).unwrap();
    let (w, h) = (1600u32, 1200u32);
    let mut n = 0;
    for zone in zones {
        for pose in poses {
            for (kind, session) in [
                (PhotoKind::Before, sessions[0]),
                (PhotoKind::After, sessions[19]),
            ] {
                let rgb: Vec<u8> = (0..w * h)
                    .flat_map(|i| {
                        let (x, y) = (i % w, i / w);
                        [
                            200 - (x * 40 / w) as u8,
                            150 + (y * 40 / h) as u8,
                            (n * 7 % 255) as u8,
                        ]
                    })
                    .collect();
                let file = files.join(format!("{n}.jpg"));
                std::fs::write(&file, render::encode_rgb_jpeg(&rgb, w, h).unwrap()).unwrap();
                n += 1;
                let tags = PhotoTags {
                    session_id: Some(session),
                    follow_up_id: None,
                    kind,
                    zone: zone.to_owned(),
                    pose,
                    custom_pose: None,
                };
                photo::import_files(
                    &store,
                    client,
                    &tags,
                    &[file],
                    &pinpoint_bench::written(now),
                    &mut PhotoId::new,
                    &mut |_| true,
                )
                .expect("import");
            }
        }
    }
    let store = store.take().unwrap();
    let mut prepare_ms = Vec::new();
    let mut render_ms = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let prepared = report::prepare_progress_report(
            store.sqlite().expect("the data folder's database"),
            store.data_dir(),
            client,
            today,
            now,
        )
        .expect("prepared");
        prepare_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let pdf = prepared.render().expect("rendered");
        render_ms.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some(pdf);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let pdf = last.expect("at least one run");
    println!(
        "{{\"sessions\": 20, \"photos\": {}, \"pages\": {}, \"bytes\": {}, \"prepare_ms\": {:.0}, \"render_ms\": {:.0}}}",
        pdf.photos,
        pdf.pages,
        pdf.bytes.len(),
        median(&mut prepare_ms),
        median(&mut render_ms)
    );
    if let Some(out) = args.get(2) {
        std::fs::write(out, &pdf.bytes).unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
