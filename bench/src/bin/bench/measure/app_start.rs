//! App start: the real app launched under Xvfb by `bench/app_start.mjs`
//! on two generated clinics (made once and kept), and SQLite's
//! `quick_check` of the same file for comparison.

use std::path::Path;
use std::process::Command;

use crate::child::{collect, timed, Collected};
use crate::options::Options;

/// App start on one generated clinic (cached): the app's launches, and how
/// long the start-up check's `PRAGMA quick_check` of that file takes alone.
fn app_on(
    o: &Options,
    binary: &Path,
    name: &str,
    clients: u32,
    sessions: u32,
) -> Option<Collected> {
    let copy = o.cache.join(name);
    let id_file = copy.with_extension("client");
    // The owner's first sign-in seals a clinic in the clear, after which
    // the sqlite3 shell cannot read it: a sealed copy is made again.
    if !id_file.is_file() || copy.join("pinpoint.keys").exists() {
        // No generated photo rows (their files were never made, and the
        // app's start-up check would report each one missing), but 400 real
        // photos imported for the client with 100 sessions.
        let _ = std::fs::remove_dir_all(&copy);
        eprintln!("bench: generating {name} for the app (400 real photos for the 100-session client; kept for later runs)");
        let mut got = Collected::default();
        collect(
            Command::new(o.programs.join("clinic"))
                .arg("generate")
                .arg(&copy)
                .args([clients, sessions, 0, 400].map(|n| n.to_string())),
            &mut got,
        );
        let id = got.facts.get("hundred_client")?.as_str()?.to_owned();
        std::fs::write(&id_file, id).expect("write the client id");
    }
    let id = std::fs::read_to_string(&id_file).ok()?;
    eprintln!(
        "bench: app start under Xvfb on {name} ({} build)",
        o.app_build
    );
    // The file as the app finds it, checked by the sqlite3 shell before
    // the app opens (and seals) it.
    let db = copy.join("pinpoint.sqlite3");
    let check: Vec<f64> = (0..3)
        .map(|_| timed(Command::new("sqlite3").arg(&db).arg("PRAGMA quick_check")))
        .collect();
    let mut got = Collected::default();
    let ok = collect(
        Command::new("xvfb-run")
            .args([
                "--auto-servernum",
                "--server-args=-screen 0 1440x900x24",
                "node",
            ])
            .arg(o.repo.join("bench/app_start.mjs"))
            .arg(&copy)
            .arg(id.trim())
            .arg(o.app_runs.to_string())
            .env("PINPOINT_BIN", binary)
            .current_dir(&o.repo),
        &mut got,
    );
    got.samples.insert("quick_check".to_owned(), check);
    got.facts.insert("clients".to_owned(), clients.into());
    ok.then_some(got)
}

/// App start on a clinic the size of the measured one, and on a small one.
pub fn app(o: &Options) -> Vec<Collected> {
    let Some(binary) = o.app.as_ref() else {
        return Vec::new();
    };
    let (clients, sessions, photos) = o.clinic;
    [
        (
            format!("app-clinic-v2-{clients}-{sessions}-{photos}"),
            clients,
            sessions,
        ),
        ("app-clinic-v2-200-4000".to_owned(), 200, 4000),
    ]
    .into_iter()
    .filter_map(|(name, c, s)| app_on(o, binary, &name, c, s))
    .collect()
}
