//! The store at clinic scale: a generated clinic (made once and kept), the
//! core's queries timed by the `clinic` program, and the same SQL timed in
//! the `sqlite3` shell (the floor).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::child::{collect, Collected};
use crate::options::Options;

/// Times printed by the sqlite3 shell's `.timer on`, in ms, summed per
/// `group` statements: its wall clock where the group takes 20 ms or more,
/// else its user + sys CPU time (the wall clock is printed to 1 ms only).
fn sqlite_floor(db: &Path, script: &Path, group: usize) -> Vec<f64> {
    let input = std::fs::File::open(script).expect("floor script");
    let output = Command::new("sqlite3")
        .arg(db)
        .stdin(input)
        .stderr(Stdio::inherit())
        .output()
        .expect("run sqlite3");
    let times: Vec<(f64, f64)> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("Run Time: "))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let value = |name: &str| -> f64 {
                words
                    .iter()
                    .position(|w| *w == name)
                    .and_then(|i| words.get(i + 1))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(f64::NAN)
            };
            (
                value("real") * 1000.0,
                (value("user") + value("sys")) * 1000.0,
            )
        })
        .collect();
    times
        .chunks(group.max(1))
        .map(|c| {
            let real: f64 = c.iter().map(|t| t.0).sum();
            let cpu: f64 = c.iter().map(|t| t.1).sum();
            if real >= 20.0 {
                real
            } else {
                cpu
            }
        })
        .collect()
}

#[derive(Debug, Default)]
pub struct StoreFigures {
    pub measured: Collected,
    pub generated: serde_json::Value,
    pub floors: BTreeMap<String, Vec<f64>>,
    pub db_mb: f64,
}

pub fn store(o: &Options) -> StoreFigures {
    let (clients, sessions, photo_rows) = o.clinic;
    let dir = o
        .cache
        // The `v2` names the generator's layout (v2: 400 photo rows for the
        // 100-session client), so a changed generator makes a new clinic.
        .join(format!("clinic-v2-{clients}-{sessions}-{photo_rows}"));
    let facts_file = dir.with_extension("json");
    let clinic = o.programs.join("clinic");
    if !facts_file.is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("bench: generating a clinic of {clients} clients, {sessions} sessions, {photo_rows} photo rows (kept for later runs)");
        let mut got = Collected::default();
        let ok = collect(
            Command::new(&clinic)
                .arg("generate")
                .arg(&dir)
                .args([clients, sessions, photo_rows].map(|n| n.to_string())),
            &mut got,
        );
        assert!(ok, "generating the clinic failed");
        let facts = serde_json::to_string_pretty(&got.facts).expect("json");
        std::fs::write(&facts_file, facts).expect("write the clinic's facts");
    }
    let generated: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&facts_file).expect("clinic facts"))
            .expect("clinic facts");
    let db = dir.join("pinpoint.sqlite3");
    let out = o.cache.join("store-floor");
    eprintln!("bench: store queries at clinic scale");
    let mut figures = StoreFigures {
        generated,
        db_mb: std::fs::metadata(&db).map_or(0.0, |m| m.len() as f64 / 1e6),
        ..Default::default()
    };
    collect(
        Command::new(&clinic)
            .arg("measure")
            .arg(&dir)
            .arg(&out)
            .arg(o.passes.to_string()),
        &mut figures.measured,
    );
    let statements = figures.measured.fact("timeline_statements").unwrap_or(1.0) as usize;
    let search_db = out.join("search-floor.sqlite3");
    for (key, database, script, group) in [
        ("search.fts", &search_db, "search-fts.sql", 1),
        ("search.short", &search_db, "search-short.sql", 1),
        ("timeline", &db, "timeline.sql", statements),
        ("timeline.hundred", &db, "timeline-hundred.sql", statements),
        ("recall", &db, "recall.sql", 1),
    ] {
        figures.floors.insert(
            key.to_owned(),
            sqlite_floor(database, &out.join(script), group),
        );
    }
    figures
}
