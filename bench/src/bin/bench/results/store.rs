//! Section 2 of the page: the store at clinic scale, each query through
//! the core against the same SQL in the `sqlite3` shell.

use std::fmt::Write as _;

use pinpoint_bench::stats::Summary;

use super::{num, ratio};
use crate::child::Collected;
use crate::measure::store::StoreFigures;
use crate::options::Options;

/// The measured queries: their key and their row's label.
pub(super) fn queries(m: &Collected) -> [(&'static str, String); 5] {
    [
        (
            "search.fts",
            format!(
                "client search, 3–5 letter name fragments (FTS5 trigram; mean {} hits, limit 500)",
                num(m.fact("search_mean_hits").unwrap_or(f64::NAN))
            ),
        ),
        (
            "search.short",
            "client search, 2-letter fragments (LIKE scan)".to_owned(),
        ),
        (
            "timeline",
            format!(
                "timeline of {} clients (mean {} sessions)",
                m.fact("timeline_clients").unwrap_or(0.0),
                num(m.fact("timeline_mean_sessions").unwrap_or(f64::NAN))
            ),
        ),
        (
            "timeline.hundred",
            "timeline of the client with 100 sessions".to_owned(),
        ),
        (
            "recall",
            format!(
                "lot recall, {} lots (mean {} sessions each)",
                m.fact("recall_lots").unwrap_or(0.0),
                num(m.fact("recall_mean_hits").unwrap_or(f64::NAN))
            ),
        ),
    ]
}

pub(super) fn section(w: &mut String, o: &Options, store: &StoreFigures) {
    let m = &store.measured;
    let p50 = |key: &str| Summary::of(m.get(key)).median;
    let g = &store.generated;
    let _ = writeln!(
        w,
        "\n## 2. Store at clinic scale\n\nA generated clinic (`clinic generate`, plain INSERTs in big \
         transactions into the schema `Store::open` made): {} clients, {} sessions (each with 2 zones, a \
         serum lot, a cartridge and an anaesthetic lot; a satisfaction score every third session), {} photo \
         rows without files; {:.0} MB of SQLite. Queries run through the core's functions (timed passes: {}, after a \
         warm-up pass); the floor is the same SQL in Debian's `sqlite3` shell, timed by `.timer on` (its wall \
         clock for figures of 20 ms and more, else user + sys CPU, as the wall clock is printed to 1 ms only).\n",
        g["clients"], g["sessions"], g["photos"], store.db_mb, o.passes
    );
    let _ = writeln!(
        w,
        "| query | samples | Pinpoint p50 ms | p99 ms | min–max ms | sqlite3 floor p50 ms | floor p99 ms | p50 ratio |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    let rows = queries(m);
    for (key, label) in &rows {
        let s = Summary::of(m.get(key));
        let f = Summary::of(store.floors.get(*key).map_or(&[][..], Vec::as_slice));
        let _ = writeln!(
            w,
            "| {label} | {} | {} | {} | {}–{} | {} | {} | {} |",
            s.count,
            num(s.median),
            num(s.p99),
            num(s.min),
            num(s.max),
            num(f.median),
            num(f.p99),
            ratio(s.median, f.median)
        );
    }
    let _ = writeln!(
        w,
        "\nTimeline, where the time goes (p50 ms over the same clients): `session::list` {}, \
         `plan::active` {}, `outcome::list` {}.\n\n\
         The timeline floor reads the same rows set-wise in {} statements (client, settings, sessions with \
         practitioner, device and lots, zones, products, warnings, amendments, visits, adverse events, \
         scores, photos, plans with their session count); the core, too, reads a client's sessions with one \
         query per kind of detail. \
         The search floor runs on a copy of the client table whose FTS5 index uses the plain trigram \
         tokenizer: Debian 12's sqlite3 (3.40) cannot open the app's `remove_diacritics` trigram table \
         (SQLite 3.45+); the fragments are plain ASCII, so both find the same clients.",
        num(p50("timeline.part.session_list")),
        num(p50("timeline.part.plan_active")),
        num(p50("timeline.part.scores")),
        m.fact("timeline_statements").unwrap_or(0.0)
    );
}
