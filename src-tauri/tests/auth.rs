//! Signing in on the command line, against the real binary and the demo
//! clinic's accounts: a wrong passphrase is exit 1 and writes nothing but
//! the refused try; roles apply; the access report names who read what.

use std::path::Path;
use std::process::Output;

use crate::helpers::*;

/// `pinpoint` as `user`, with the demo passphrase (or `passphrase`).
fn as_user(data: &Path, user: &str, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut command = command(data);
    command.env("PINPOINT_USER", user);
    if let Some(passphrase) = passphrase {
        use std::os::unix::fs::PermissionsExt;
        let file = data.with_extension("wrong-passphrase");
        std::fs::write(&file, passphrase).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        command.env("PINPOINT_PASSPHRASE_FILE", &file);
    }
    command.args(args).output().expect("pinpoint runs")
}

fn count(data: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(data.join("pinpoint.sqlite3"))
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("clinic");
    json(&pinpoint(&data, &["demo", "--json"]));
    let client: String = rusqlite::Connection::open(data.join("pinpoint.sqlite3"))
        .unwrap()
        .query_row(
            "SELECT client_id FROM screening ORDER BY client_id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    (dir, data, client)
}

#[test]
fn a_clinic_with_accounts_asks_who_and_refuses_a_wrong_passphrase_writing_nothing() {
    let (_dir, data, client) = demo();
    let nobody = command(&data)
        .env_remove("PINPOINT_USER")
        .args(["client", "list"])
        .output()
        .unwrap();
    refused(&nobody, "--user NAME");

    let clients = count(&data, "SELECT count(*) FROM client");
    let refused_tries = count(
        &data,
        "SELECT count(*) FROM audit_event WHERE action = 'sign_in_refused'",
    );
    let wrong = as_user(
        &data,
        DEMO_OWNER,
        Some("not the demo passphrase"),
        &["client", "add", "--name", "Someone New"],
    );
    refused(
        &wrong,
        "the passphrase for Dr. Amara Okafor is wrong; try again in 1 s",
    );
    assert_eq!(
        count(&data, "SELECT count(*) FROM client"),
        clients,
        "nothing written"
    );
    assert_eq!(
        count(
            &data,
            "SELECT count(*) FROM audit_event WHERE action = 'sign_in_refused'"
        ),
        refused_tries + 1,
        "only the refused try is recorded"
    );

    let open_file = data.with_extension("open-passphrase");
    std::fs::write(&open_file, pinpoint_core::demo::DEMO_PASSPHRASE).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&open_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let readable = command(&data)
        .env("PINPOINT_PASSPHRASE_FILE", &open_file)
        .args(["access", &client])
        .output()
        .unwrap();
    refused(&readable, "can be read by others");
}

#[test]
fn an_assistant_cannot_read_a_screening_and_the_access_report_names_who_did() {
    let (_dir, data, client) = demo();
    let desk = as_user(
        &data,
        "Jamie Reid",
        None,
        &["screening", "list", "--client", &client],
    );
    refused(
        &desk,
        "Jamie Reid signed in as an assistant may not read clinical records",
    );

    let sofia = as_user(
        &data,
        "Sofia Lindqvist",
        None,
        &["screening", "list", "--client", &client, "--json"],
    );
    assert!(json(&sofia).as_array().is_some_and(|s| !s.is_empty()));
    let shown = as_user(&data, "Sofia Lindqvist", None, &["client", "show", &client]);
    assert!(shown.status.success(), "{}", stderr(&shown));

    let reviewer = as_user(
        &data,
        "Dr. Henrik Sato",
        None,
        &["access", &client, "--json"],
    );
    let entries = json(&reviewer);
    let entries = entries.as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["who"] == "Sofia Lindqvist" && e["what"] == "opened the record"),
        "the CLI's reads are audited with their actor: {entries:?}"
    );
    let practitioner = as_user(&data, "Sofia Lindqvist", None, &["access", &client]);
    refused(&practitioner, "may not read who saw or changed a record");

    let csv = data.with_extension("csv");
    let out = as_user(
        &data,
        DEMO_OWNER,
        None,
        &["access", &client, "--out", csv.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("when (UTC),who,what,record,event"),
        "{text}"
    );
}
