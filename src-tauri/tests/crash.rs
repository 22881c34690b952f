//! Crash safety: the real binary is killed (SIGKILL) at random moments while
//! it writes, many times over; after every kill the data folder verifies and
//! every record is either wholly there or not at all. Also a full disk.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn pinpoint(data_dir: &Path) -> Command {
    crate::helpers::command(data_dir)
}

fn run(data_dir: &Path, args: &[&str]) -> Output {
    pinpoint(data_dir)
        .args(args)
        .output()
        .expect("pinpoint runs")
}

fn json(data_dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut full = args.to_vec();
    full.push("--json");
    let out = run(data_dir, &full);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A small deterministic generator for kill delays.
struct Delays(u64);

impl Delays {
    fn next_micros(&mut self, max: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % max
    }
}

/// Starts `args`, kills it after `delay`, and waits for it to be gone.
/// Returns whether it had already finished on its own.
fn kill_after(data_dir: &Path, args: &[&str], delay: Duration) -> bool {
    let mut child = pinpoint(data_dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pinpoint starts");
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    finished
}

fn verify_ok(data_dir: &Path, after: &str) {
    let out = run(data_dir, &["verify", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "verify after {after}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(report["ok"], true, "verify after {after}: {report}");
    assert_eq!(
        report["photos"]["orphans"],
        serde_json::json!([]),
        "no original without its record outlives the next start, after {after}"
    );
}

/// How long `args` takes when left alone, to aim the kills inside it.
fn duration_of(data_dir: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = run(data_dir, args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
}

#[test]
fn killing_the_demo_fill_leaves_all_or_nothing() {
    // The demo clinic is written in one transaction, then its photos are
    // imported as a batch on all cores: after a kill at any moment there
    // are either no clients or all 30, every stored photo has its original
    // (verify), and an interrupted import leaves at most orphan files.
    let scratch = tempfile::tempdir().unwrap();
    // The timing run may have been slowed by a busy machine: when a run
    // finishes before its kill, later kills aim earlier; rounds go on (up
    // to 40) until enough kills land mid-run.
    let mut aim = duration_of(&scratch.path().join("timing"), &["demo"]);
    let mut delays = Delays(7);
    let (mut kills, mut whole, mut photos) = (0, 0, 0);
    let mut round = 0;
    while round < 10 || (kills < 4 && round < 40) {
        let dir = scratch.path().join(format!("round-{round}"));
        round += 1;
        let delay = Duration::from_micros(delays.next_micros(aim.as_micros() as u64 + 1));
        if kill_after(&dir, &["demo"], delay) {
            aim = aim * 2 / 3;
        } else {
            kills += 1;
        }
        if !dir.join("pinpoint.sqlite3").exists() {
            continue; // killed before the database was created
        }
        verify_ok(&dir, &format!("a kill at {delay:?} into demo"));
        let clients = json(&dir, &["client", "list", "--archived"]);
        let n = clients.as_array().unwrap().len();
        assert!(
            n == 0 || n == 30,
            "after a kill at {delay:?}: {n} clients, neither none nor all"
        );
        if n == 30 {
            whole += 1;
            // Each stored photo is listed and verified above; count them.
            let conn = rusqlite::Connection::open(dir.join("pinpoint.sqlite3")).unwrap();
            let stored: i64 = conn
                .query_row("SELECT count(*) FROM photo", [], |r| r.get(0))
                .unwrap();
            photos += stored;
        }
    }
    eprintln!("demo: {round} rounds, {kills} kills mid-run, {whole} folders with all clients, {photos} photos stored whole");
    assert!(
        kills >= 4,
        "most rounds must actually kill mid-run ({kills})"
    );
}

#[test]
fn killing_session_saves_never_leaves_half_a_session() {
    let dir = tempfile::tempdir().unwrap();
    session_saves_survive_kills(dir.path());
}

#[test]
fn killing_session_saves_in_a_sealed_folder_never_leaves_half_a_session() {
    // The same, in a clinic sealed at setup: every command unwraps the key
    // and writes through SQLCipher and the keyed audit chain.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("clinic");
    let (passphrase, pin) = crate::helpers::secrets();
    let out = Command::new(env!("CARGO_BIN_EXE_pinpoint"))
        .arg("--data-dir")
        .arg(&d)
        .args([
            "setup",
            "--clinic",
            "Crash Clinic",
            "--owner",
            crate::helpers::DEMO_OWNER,
        ])
        .env("PINPOINT_PASSPHRASE_FILE", passphrase)
        .env("PINPOINT_PIN_FILE", pin)
        .env_remove("PINPOINT_USER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(d.join("pinpoint.keys").is_file(), "setup sealed the folder");
    session_saves_survive_kills(&d);
}

fn session_saves_survive_kills(d: &Path) {
    json(d, &["catalogue", "add-practitioner", "--name", "Dr Kill"]);
    let client = json(d, &["client", "add", "--name", "Crash Test"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let args = |n: usize| -> Vec<String> {
        [
            "session",
            "add",
            "--client",
            &client,
            "--practitioner",
            "kill",
            "--at",
            &format!("2026-0{}-1{} 10:00", 1 + n % 9, n % 10),
            "--zone",
            "cheeks:1.0:3",
            "--zone",
            "forehead:0.5:2",
            "--zone",
            "chin:0.75:2",
            "--product",
            &format!("Serum {n}:LOT-{n}:during"),
            "--cartridge",
            &format!("Cart:C-{n}"),
            "--proceed-reason",
            "crash test",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let first: Vec<String> = args(0);
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    // As above: a run that finishes before its kill makes later kills aim
    // earlier, and rounds go on (up to 120) until enough land mid-run.
    let mut aim = duration_of(d, &first) * 3 / 2;
    let mut delays = Delays(11);
    let mut kills = 0;
    let mut n = 1;
    while n < 40 || (kills < 10 && n < 120) {
        let a = args(n);
        n += 1;
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let delay = Duration::from_micros(delays.next_micros(aim.as_micros() as u64 + 1));
        if kill_after(d, &a, delay) {
            aim = aim * 3 / 4;
        } else {
            kills += 1;
        }
        verify_ok(d, &format!("a kill at {delay:?} into session add"));
    }
    let sessions = json(d, &["session", "list", &client]);
    for s in sessions.as_array().unwrap() {
        assert_eq!(
            s["zones"].as_array().unwrap().len(),
            3,
            "a stored session has all its zones: {s}"
        );
        assert_eq!(
            s["products"].as_array().unwrap().len(),
            1,
            "and its product"
        );
        assert!(s["cartridge"].is_object(), "and its cartridge");
    }
    eprintln!(
        "session add: {kills} kills mid-run, {} sessions stored whole",
        sessions.as_array().unwrap().len()
    );
    assert!(
        kills >= 10,
        "most rounds must actually kill mid-run ({kills})"
    );
}

/// A full disk: a 3 MB tmpfs (needs root to mount; CI runs as root).
#[test]
fn a_full_disk_is_refused_clearly_and_loses_nothing() {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    if !is_root {
        eprintln!("skipping the full-disk test: mounting a small tmpfs needs root");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let mount = scratch.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(mounted.success(), "mounting a tmpfs as root");
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&mount);
    let d = mount.join("data");
    json(&d, &["catalogue", "add-practitioner", "--name", "Dr Full"]);
    let client = json(&d, &["client", "add", "--name", "Full Disk"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A long note per session fills the disk quickly.
    let note = "x".repeat(9_000);
    let mut stored = 0;
    let mut refusal = None;
    for n in 0..2000 {
        let out = run(
            &d,
            &[
                "session",
                "add",
                "--client",
                &client,
                "--practitioner",
                "full",
                "--at",
                "2026-01-10 10:00",
                "--zone",
                "cheeks:1.0",
                "--notes",
                &note,
                "--proceed-reason",
                "disk test",
                "--json",
            ],
        );
        if out.status.success() {
            stored += 1;
            continue;
        }
        refusal = Some((
            n,
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code(),
        ));
        break;
    }
    let (n, message, code) = refusal.expect("the disk must fill up");
    assert!(
        stored > 10,
        "sessions were stored before the disk filled ({stored})"
    );
    assert_eq!(
        message.trim_end().lines().count(),
        1,
        "one clear line: {message}"
    );
    assert!(
        message.contains("full") || message.contains("space"),
        "the message says the disk is full: {message}"
    );
    assert!(
        code == Some(1) || code == Some(2),
        "a failure exit code, not a crash: {code:?}"
    );
    // Nothing that was saved is lost, and the database is sound.
    verify_ok(&d, &format!("the disk filled at session {n}"));
    let sessions = json(&d, &["session", "list", &client]);
    assert_eq!(
        sessions.as_array().unwrap().len(),
        stored,
        "every saved session is still there"
    );
    // A backup onto the full disk fails clearly and leaves no partial file.
    let out = run(
        &d,
        &[
            "backup",
            "--out",
            mount.join("backup.tar").to_str().unwrap(),
        ],
    );
    assert!(
        !out.status.success(),
        "a backup onto a full disk cannot succeed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&mount)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("backup"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no partial backup is left: {leftovers:?}"
    );
}

/// Copies a closed data folder, as a backup drive or a second disk holds it.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn killing_the_upgrade_to_a_sealed_folder_leaves_a_folder_that_opens() {
    // The demo clinic, in the clear as an older Pinpoint left it, is sealed
    // in place by its owner; a kill at any moment leaves a folder that the
    // next open finishes or discards: in the clear or sealed, never half,
    // with every client and photo, and it verifies.
    let scratch = tempfile::tempdir().unwrap();
    let template = scratch.path().join("template");
    let filled = run(&template, &["demo"]);
    assert!(
        filled.status.success(),
        "{}",
        String::from_utf8_lossy(&filled.stderr)
    );
    let timing = scratch.path().join("timing");
    copy_folder(&template, &timing);
    let mut aim = duration_of(&timing, &["seal"]);
    let mut delays = Delays(13);
    let (mut kills, mut sealed, mut plain) = (0, 0, 0);
    let mut round = 0;
    while round < 6 || (kills < 4 && round < 20) {
        let dir = scratch.path().join(format!("round-{round}"));
        round += 1;
        copy_folder(&template, &dir);
        // Every other kill aims at the last fifth, nearer the swap of the
        // checked copy (a few milliseconds at the very end, so rarely hit
        // here: the core's seal::convert tests stop it at each of its steps).
        let span = aim.as_micros() as u64 + 1;
        let micros = if round % 2 == 0 {
            span * 4 / 5 + delays.next_micros(span / 4 + 1)
        } else {
            delays.next_micros(span)
        };
        let delay = Duration::from_micros(micros);
        if kill_after(&dir, &["seal"], delay) {
            aim = aim * 2 / 3;
        } else {
            kills += 1;
        }
        let after = format!("a kill at {delay:?} into seal");
        let clients = json(&dir, &["client", "list", "--archived"]);
        assert_eq!(clients.as_array().unwrap().len(), 30, "after {after}");
        assert!(
            !dir.join(".sealing").exists(),
            "the next open finishes or removes the sealing, after {after}"
        );
        let header = std::fs::read(dir.join("pinpoint.sqlite3")).unwrap();
        if dir.join("pinpoint.keys").is_file() {
            assert!(!header.starts_with(b"SQLite format 3"), "after {after}");
            sealed += 1;
        } else {
            assert!(header.starts_with(b"SQLite format 3"), "after {after}");
            plain += 1;
        }
        verify_ok(&dir, &after);
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!("seal: {round} rounds, {kills} kills mid-run, {sealed} sealed, {plain} in the clear");
    assert!(kills >= 4, "most rounds must kill mid-run ({kills})");
}
