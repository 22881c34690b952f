//! The read workload at clinic scale, shared by `clinic measure` (SQLite,
//! beside the `sqlite3` shell's floor) and `clinic_server` (SQLite and a
//! clinic's PostgreSQL server side by side): client search for fragments of
//! the clinic's names, and client timelines, through the core's own
//! functions on whichever engine the [`Db`] is.

use std::time::Instant;

use chrono::NaiveDate;
use pinpoint_core::client::{self, Client, ClientQuery};
use pinpoint_core::db::Db;
use pinpoint_core::ids::ClientId;
use pinpoint_core::timeline::{self, Timeline};

use crate::stats;

/// The day the timelines are built as of.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date")
}

/// What is searched for and whose timelines are built.
#[derive(Debug, Clone)]
pub struct Workload {
    /// 200 fragments of 3 to 5 letters (FTS5 on SQLite, the trigram
    /// indexes on PostgreSQL).
    pub long: Vec<String>,
    /// 50 fragments of 2 letters (a scan on either engine).
    pub short: Vec<String>,
    /// 200 clients spread over the clinic (the first one left out).
    pub sample: Vec<ClientId>,
    /// The first client generated, with 100 sessions.
    pub hundred: ClientId,
}

impl Workload {
    /// The workload for a clinic's clients, in the order they were
    /// generated (SQLite's rowid order); the same clients give the same
    /// workload.
    pub fn new(clients: &[(ClientId, String)]) -> Workload {
        assert!(clients.len() > 1, "a clinic of more than one client");
        let names: Vec<String> = clients.iter().map(|(_, n)| n.clone()).collect();
        let mut random = stats::Random::new(7);
        let long = fragments(&names, &mut random, 200, (3, 5));
        let short = fragments(&names, &mut random, 50, (2, 2));
        let sample = (0..200)
            .map(|i| clients[1 + (i * 7919) % (clients.len() - 1)].0)
            .collect();
        Workload {
            long,
            short,
            sample,
            hundred: clients[0].0,
        }
    }
}

/// Search words: fragments (`len` letters) of real names in the clinic.
/// Only plain ASCII fragments, so the `sqlite3` floor's table (plain
/// trigram tokenizer) finds the same clients.
fn fragments(
    names: &[String],
    random: &mut stats::Random,
    count: usize,
    len: (u64, u64),
) -> Vec<String> {
    let mut out = Vec::new();
    while out.len() < count {
        let name = random.pick(names);
        let words: Vec<&str> = name.split_whitespace().collect();
        let word: Vec<char> = random.pick(&words).to_lowercase().chars().collect();
        let n = (len.0 + random.below(len.1 - len.0 + 1)) as usize;
        if word.len() < n {
            continue;
        }
        let at = random.below((word.len() - n + 1) as u64) as usize;
        let fragment: String = word[at..at + n].iter().collect();
        if fragment.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push(fragment);
        }
    }
    out
}

/// Client search as the client list calls it (limit 500).
pub fn search(db: Db<'_>, word: &str) -> Vec<Client> {
    let query = ClientQuery {
        search: Some(word.to_owned()),
        include_archived: false,
        limit: Some(500),
    };
    client::search(db, &query).expect("search")
}

/// A client's timeline as of [`today`].
pub fn timeline(db: Db<'_>, id: ClientId) -> Timeline {
    timeline::build(db, id, today()).expect("timeline")
}

/// Times `f` on every item, `passes` times, after one pass that warms the
/// caches (the page cache, the statement caches) and is not counted.
pub fn time_each<T>(passes: usize, items: &[T], mut f: impl FnMut(&T)) -> Vec<f64> {
    items.iter().for_each(&mut f);
    let mut samples = Vec::with_capacity(passes * items.len());
    for _ in 0..passes {
        for item in items {
            let start = Instant::now();
            f(item);
            samples.push(stats::ms_since(start));
        }
    }
    samples
}

/// How many of `items` fit the time budget of one figure (warm-up pass
/// included), judged from one call: all of them when calls are fast, at
/// least `floor` when they are slow.
pub fn within_budget<T>(items: &[T], passes: usize, floor: usize, mut f: impl FnMut(&T)) -> usize {
    const BUDGET_MS: f64 = 60_000.0;
    let Some(first) = items.first() else {
        return 0;
    };
    f(first);
    let start = Instant::now();
    f(first);
    let one = stats::ms_since(start).max(0.001);
    let fit = (BUDGET_MS / (one * (passes + 1) as f64)) as usize;
    fit.clamp(floor.min(items.len()), items.len())
}
