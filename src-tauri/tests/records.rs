//! The command line for treatment records, against the real binary and real
//! data folders: sessions, warnings, signing, amendments, recall.

use std::path::Path;

use crate::helpers::*;

fn ok(data_dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut full = args.to_vec();
    full.push("--json");
    let out = pinpoint(data_dir, &full);
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// A user error: exit 1, one line naming the problem.
fn refused(data_dir: &Path, args: &[&str], expect: &str) {
    let out = pinpoint(data_dir, args);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} must be a user error: {err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(expect),
        "{args:?}: expected {expect:?} in {err}"
    );
}

/// A clinic with one practitioner and one screened, consenting client.
fn clinic(dir: &Path) -> String {
    ok(
        dir,
        &["catalogue", "add-practitioner", "--name", "Dr Amara Okafor"],
    );
    ok(
        dir,
        &[
            "catalogue",
            "add-device",
            "--model",
            "Test pen",
            "--serial",
            "TP-1",
            "--max-depth",
            "2.5",
            "--step",
            "0.25",
        ],
    );
    let client = ok(dir, &["client", "add", "--name", "Olivia Bennett"]);
    let id = client["id"].as_str().unwrap().to_owned();
    ok(
        dir,
        &["screening", "add", "--client", &id, "--on", "2026-01-05"],
    );
    ok(
        dir,
        &[
            "consent",
            "add",
            "--client",
            &id,
            "--kind",
            "treatment",
            "--on",
            "2026-01-05",
            "--signature",
            "Olivia Bennett",
        ],
    );
    ok(
        dir,
        &[
            "plan",
            "add",
            "--client",
            &id,
            "--zone",
            "cheeks:1.0",
            "--zone",
            "forehead:0.5",
            "--sessions",
            "3",
            "--on",
            "2026-01-05",
        ],
    );
    id
}

fn rows(dir: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("pinpoint.sqlite3")).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_session_is_logged_signed_locked_and_amended() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let client = clinic(d);
    let session = ok(
        d,
        &[
            "session",
            "add",
            "--client",
            &client,
            "--practitioner",
            "okafor",
            "--at",
            "2026-01-12 10:30",
            "--device",
            "TP-1",
            "--cartridge",
            "Nano 36:C25-041",
            "--zone",
            "cheeks:1.0:3:crosshatch",
            "--zone",
            "forehead:0.5:2",
            "--product",
            "Hyaluronic serum:HA-5521:during",
            "--anaesthetic",
            "Lidocaine 5%:LD-1",
            "--anaesthetic-applied",
            "09:50",
            "--anaesthetic-removed",
            "10:25",
            "--endpoint",
            "pinpoint_bleeding",
            "--pain",
            "4",
            "--reaction",
            "even erythema",
        ],
    );
    let id = session["id"].as_str().unwrap().to_owned();
    assert_eq!(
        session["zones"].as_array().unwrap().len(),
        2,
        "two zones recorded"
    );
    assert_eq!(session["zones"][0]["depth"], 1.0, "depth is a number of mm");
    assert_eq!(session["products"][0]["lot"]["lot_number"], "HA-5521");
    assert_eq!(session["course_position"], 1, "session 1 of the plan");
    assert_eq!(session["course_length"], 3);
    assert_eq!(
        session["warnings"].as_array().unwrap().len(),
        0,
        "a clean session has no warnings"
    );

    let shown = ok(d, &["session", "show", &id]);
    assert_eq!(shown, session, "show returns what add stored");
    assert!(
        shown["warnings"].is_array(),
        "the JSON of show includes the warnings"
    );

    ok(d, &["session", "sign", &id]);
    refused(
        d,
        &["session", "amend", &id, "--reason", " ", "--pain", "3"],
        "needs a reason",
    );
    let amended = ok(
        d,
        &[
            "session",
            "amend",
            &id,
            "--reason",
            "depth misread from the pen",
            "--zone",
            "cheeks:1.25:3",
            "--zone",
            "forehead:0.5:2",
        ],
    );
    assert_eq!(amended["zones"][0]["depth"], 1.25);
    let amendment = &amended["amendments"][0];
    assert_eq!(amendment["reason"], "depth misread from the pen");
    let changes = amendment["changes"].to_string();
    assert!(
        changes.contains("1 mm") && changes.contains("1.25 mm"),
        "{changes}"
    );
    assert!(amended["signed_at"].is_string(), "the session stays signed");

    let listed = ok(d, &["session", "list", &client]);
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let verify = ok(d, &["verify"]);
    assert_eq!(
        verify["ok"], true,
        "the audit chain holds after sign and amend"
    );
}

#[test]
fn warnings_need_a_reason_and_are_kept_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let client = clinic(d);
    let before = rows(d, "audit_event");
    refused(
        d,
        &[
            "session",
            "add",
            "--client",
            &client,
            "--practitioner",
            "Dr Amara Okafor",
            "--at",
            "2026-01-12 10:00",
            "--zone",
            "forehead:1.5",
        ],
        "need",
    );
    assert_eq!(
        rows(d, "treatment_session"),
        0,
        "a refused session writes nothing"
    );
    assert_eq!(rows(d, "audit_event"), before, "and leaves no audit event");

    let saved = ok(
        d,
        &[
            "session",
            "add",
            "--client",
            &client,
            "--practitioner",
            "Dr Amara Okafor",
            "--at",
            "2026-01-12 10:00",
            "--zone",
            "forehead:1.5",
            "--override",
            "depth_outside_guide:forehead=deep static lines, agreed at consultation",
        ],
    );
    let warning = &saved["warnings"][0];
    assert_eq!(warning["rule"], "depth_outside_guide");
    assert_eq!(
        warning["reason"],
        "deep static lines, agreed at consultation"
    );

    // Ten days later: too soon; one reason for everything.
    let second = ok(
        d,
        &[
            "session",
            "add",
            "--client",
            &client,
            "--practitioner",
            "Dr Amara Okafor",
            "--at",
            "2026-01-22 10:00",
            "--zone",
            "cheeks:1.0",
            "--proceed-reason",
            "client travelling",
        ],
    );
    assert_eq!(second["warnings"][0]["rule"], "interval_short");
}

#[test]
fn bad_session_input_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let client = clinic(d);
    let base = [
        "session",
        "add",
        "--client",
        client.as_str(),
        "--practitioner",
        "okafor",
    ];
    let cases: &[(&[&str], &str)] = &[
        (&["--zone", "cheeks:3.5"], "impossible"),
        (&["--zone", "cheeks:0"], "above 0 mm"),
        (&["--zone", "cheeks:deep"], "not a number"),
        (&["--zone", "elbow:1.0"], "not one of the clinic's zones"),
        (&["--zone", "cheeks:1.0:0"], "passes"),
        (&["--zone", "cheeks:1.0", "--pain", "11"], "0 to 10"),
        (
            &["--zone", "cheeks:1.0", "--at", "2999-01-01 10:00"],
            "in the future",
        ),
        (
            &["--zone", "cheeks:1.0", "--at", "yesterday"],
            "not a date and time",
        ),
        (
            &["--zone", "cheeks:1.0", "--endpoint", "glowing"],
            "endpoint",
        ),
        (
            &["--zone", "cheeks:1.0", "--product", "serum-without-lot"],
            "NAME:LOT",
        ),
        (
            &["--zone", "cheeks:1.0", "--device", "nonexistent"],
            "no device",
        ),
        (&[], "at least one treated zone"),
    ];
    for (extra, expect) in cases {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        refused(d, &args, expect);
    }
    refused(
        d,
        &[
            "session",
            "add",
            "--client",
            &client,
            "--practitioner",
            "nobody",
            "--zone",
            "cheeks:1",
        ],
        "no practitioner",
    );
    assert_eq!(rows(d, "treatment_session"), 0, "nothing was written");
}

#[test]
fn a_signed_session_cannot_be_signed_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let client = clinic(d);
    let s = ok(
        d,
        &[
            "session",
            "add",
            "--client",
            &client,
            "--practitioner",
            "okafor",
            "--at",
            "2026-01-12 10:00",
            "--zone",
            "cheeks:1.0",
        ],
    );
    let id = s["id"].as_str().unwrap();
    ok(d, &["session", "sign", id]);
    refused(d, &["session", "sign", id], "already signed");
}

#[test]
fn lot_recall_finds_every_client_that_used_a_lot() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = clinic(d);
    let second = ok(d, &["client", "add", "--name", "Mei Chen"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (client, cartridge) in [(&first, "Nano 36:C25-041"), (&second, "Nano 36:C24-118")] {
        ok(
            d,
            &[
                "session",
                "add",
                "--client",
                client,
                "--practitioner",
                "okafor",
                "--at",
                "2026-01-12 10:00",
                "--zone",
                "cheeks:1.0",
                "--cartridge",
                cartridge,
                "--product",
                "HA serum:HA-9",
                "--proceed-reason",
                "test",
            ],
        );
    }
    let hits = ok(d, &["lot", "recall", "c25-041"]);
    assert_eq!(
        hits.as_array().unwrap().len(),
        1,
        "lot numbers match ignoring case"
    );
    assert_eq!(hits[0]["client_name"], "Olivia Bennett");
    assert_eq!(hits[0]["used_as"], "cartridge");
    let hits = ok(d, &["lot", "recall", "HA-9"]);
    let names: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["client_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "both clients used the serum lot: {names:?}");
    assert!(ok(d, &["lot", "recall", "NOPE"])
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn screening_consent_and_plan_refuse_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let client = clinic(d);
    refused(
        d,
        &[
            "screening",
            "add",
            "--client",
            &client,
            "--on",
            "2999-01-01",
        ],
        "in the future",
    );
    refused(
        d,
        &["screening", "add", "--client", &client, "--yes", "flying"],
        "not one of the clinic's screening questions",
    );
    refused(
        d,
        &[
            "consent",
            "add",
            "--client",
            &client,
            "--kind",
            "selfies",
            "--signature",
            "x",
        ],
        "consent kind \"selfies\" should be one of treatment, clinical_photos, marketing_photos",
    );
    refused(
        d,
        &[
            "consent",
            "add",
            "--client",
            &client,
            "--kind",
            "treatment",
            "--signature",
            " ",
        ],
        "no signature",
    );
    refused(
        d,
        &[
            "plan",
            "add",
            "--client",
            &client,
            "--zone",
            "cheeks:1",
            "--sessions",
            "0",
        ],
        "not possible",
    );
    let yes = ok(
        d,
        &[
            "screening",
            "add",
            "--client",
            &client,
            "--yes",
            "isotretinoin:2026-10-01",
            "--yes",
            "herpes",
        ],
    );
    let answers = yes["answers"].as_array().unwrap();
    assert_eq!(answers.iter().filter(|a| a["yes"] == true).count(), 2);
    assert!(answers.len() > 5, "unnamed questions are stored as no");
}

#[test]
fn backup_restores_into_an_empty_folder_and_refuses_damage() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("clinic");
    ok(&data, &["demo"]);
    let archive = dir.path().join("backup.tar");
    let summary = ok(&data, &["backup", "--out", archive.to_str().unwrap()]);
    assert!(summary["parts"].as_u64().unwrap() >= 1);
    assert!(archive.is_file());

    let restored = dir.path().join("restored");
    ok(&restored, &["restore", archive.to_str().unwrap()]);
    let before = ok(&data, &["client", "list", "--archived"]);
    let after = ok(&restored, &["client", "list", "--archived"]);
    assert_eq!(before, after, "every client comes back unchanged");
    assert_eq!(ok(&restored, &["verify"])["ok"], true);

    // Into a folder that has data: refused, and that data is untouched.
    refused(&data, &["restore", archive.to_str().unwrap()], "not empty");
    assert_eq!(ok(&data, &["client", "list", "--archived"]), before);

    // One flipped byte inside the database part: refused, naming the part.
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes[4096] ^= 0x40;
    let damaged = dir.path().join("damaged.tar");
    std::fs::write(&damaged, bytes).unwrap();
    let target = dir.path().join("from-damaged");
    refused(
        &target,
        &["restore", damaged.to_str().unwrap()],
        "pinpoint.sqlite3 does not match its checksum",
    );
    assert!(!target.exists(), "a failed restore leaves nothing behind");
}

#[test]
fn a_folder_open_elsewhere_is_refused_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["client", "add", "--name", "Held"]);
    let _held = pinpoint_core::Store::open(d).expect("this test holds the folder");
    refused(d, &["client", "list"], "in use by another Pinpoint");
}

/// Every file and folder Pinpoint writes is its owner's only, whatever the
/// umask: the data folder, the database, photos and their cache, a PDF, an
/// export and a backup, all made here under `umask 000`.
#[test]
fn everything_written_is_owner_only_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("clinic");
    let loose = |args: &[&str]| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("umask 000; exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_pinpoint"))
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .env_remove("PINPOINT_USER")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    loose(&["client", "add", "--name", "Ana Sousa"]);
    let client: String = rusqlite::Connection::open(data.join("pinpoint.sqlite3"))
        .unwrap()
        .query_row("SELECT id FROM client", [], |r| r.get(0))
        .unwrap();
    let photo = dir.path().join("in.jpg");
    std::fs::write(
        &photo,
        pinpoint_core::photo::render::encode_rgb_jpeg(&[90u8; 32 * 32 * 3], 32, 32).unwrap(),
    )
    .unwrap();
    loose(&[
        "photo",
        "import",
        "--client",
        &client,
        "--kind",
        "progress",
        "--zone",
        "cheeks",
        "--pose",
        "front",
        photo.to_str().unwrap(),
    ]);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let pdf = out.join("report.pdf");
    loose(&["report", &client, "--out", pdf.to_str().unwrap()]);
    loose(&[
        "export",
        &client,
        "--out",
        out.join("export").to_str().unwrap(),
    ]);
    loose(&["backup", "--out", out.join("backup.tar").to_str().unwrap()]);

    let mut checked = 0;
    let mut loose_modes = Vec::new();
    let mut walk = vec![
        data.clone(),
        pdf,
        out.join("export"),
        out.join("backup.tar"),
    ];
    while let Some(path) = walk.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        let wanted = if meta.is_dir() { 0o700 } else { 0o600 };
        if mode != wanted {
            loose_modes.push(format!("{} {mode:o}", path.display()));
        }
        checked += 1;
        if meta.is_dir() {
            walk.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        }
    }
    assert!(
        checked > 10,
        "the data folder, photos, cache, PDF, export and backup"
    );
    assert!(loose_modes.is_empty(), "not owner-only: {loose_modes:#?}");
}
