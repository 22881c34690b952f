//! The cost of auditing reads: opening a client's record through the action
//! layer as a signed-in account (which notes the read for the audit) against
//! reading the same record straight from the store (no audit), and the cost
//! of writing the noted reads into the audit chain later, per read.
//!
//!     read_audit RUNS    prints JSON lines (median of RUNS rounds)

use std::time::Instant;

use chrono::{FixedOffset, NaiveDate, Utc};
use pinpoint_bench::{gen, stats};
use pinpoint_core::action::accounts::{self, FirstOwner};
use pinpoint_core::action::{clients, Clinic, Clock, Ctx};
use pinpoint_core::ids::ClientId;
use pinpoint_core::{record, Store};

/// Opens per round; the noted reads are written once per round.
const OPENS: usize = 200;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().expect("a scratch folder");
    let data = dir.path().join("data");
    let client = {
        let mut store = Store::open(&data).expect("open the data folder");
        let mut random = stats::Random::new(7);
        gen::write(&mut store, |w| {
            let catalogue = gen::catalogue(w, &mut random)?;
            let client = gen::client(w, &mut random, 0, Some("Élodie Marchand"), 20)?;
            let shape = gen::CourseShape {
                count: 20,
                first: NaiveDate::from_ymd_opt(2024, 9, 2).expect("valid date"),
                interval_days: (28, 40),
                photos_each: 0,
            };
            gen::sessions(w, &mut random, &catalogue, &client, shape)?;
            Ok(client.id.parse::<ClientId>().expect("a client id"))
        })
        .expect("a client with 20 sessions")
    };

    // The floor: the same record read straight from the store.
    let mut plain = Vec::new();
    {
        let store = Store::open(&data).expect("open the data folder");
        for _ in 0..runs {
            let start = Instant::now();
            for _ in 0..OPENS {
                record::load(store.db(), client).expect("the record");
            }
            plain.push(stats::ms_since(start) / OPENS as f64);
        }
    }

    let clinic = Clinic::open(&data).expect("open the clinic");
    let clock = Clock::at(Utc::now(), FixedOffset::east_opt(0).expect("UTC"));
    let owner = FirstOwner {
        clinic_name: "Bench clinic".to_owned(),
        name: "Bench Owner".to_owned(),
        passphrase: "a bench passphrase".to_owned(),
        pin: "1234".to_owned(),
        treats: None,
    };
    let actor = accounts::create_first_owner(&clinic, clock, &owner).expect("the owner");
    let ctx = Ctx::new(&clinic, clock).acting_as(actor);
    let mut audited = Vec::new();
    let mut flush = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        for _ in 0..OPENS {
            clients::client_record(&ctx, client).expect("the record");
        }
        audited.push(stats::ms_since(start) / OPENS as f64);
        let start = Instant::now();
        let written = clinic.flush_reads().expect("the reads written");
        assert_eq!(written, OPENS, "every open was noted");
        flush.push(stats::ms_since(start) / OPENS as f64);
    }
    let extra: Vec<f64> = audited.iter().zip(&plain).map(|(a, p)| a - p).collect();
    stats::emit("open_record_plain_ms", "ms", &plain);
    stats::emit("open_record_audited_ms", "ms", &audited);
    stats::emit("open_record_extra_ms", "ms", &extra);
    stats::emit("flush_per_read_ms", "ms", &flush);
}
