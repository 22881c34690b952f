//! The command-line contract (the README and docs/cli.md), run against the real binary and
//! real data folders.

use std::path::Path;

use crate::helpers::*;

#[test]
fn add_list_search_and_show_a_client() {
    let dir = tempfile::tempdir().unwrap();
    let added = json(&pinpoint(
        dir.path(),
        &[
            "client",
            "add",
            "--name",
            "Hannah Müller",
            "--dob",
            "1990-04-12",
            "--phone",
            "+44 7700 900123",
            "--email",
            "hannah@example.com",
            "--fitzpatrick",
            "2",
            "--json",
        ],
    ));
    let id = added["id"].as_str().expect("a created client has an id");
    assert_eq!(added["name"], "Hannah Müller");
    assert_eq!(added["fitzpatrick"], 2);
    assert_eq!(added["date_of_birth"], "1990-04-12");
    json(&pinpoint(
        dir.path(),
        &["client", "add", "--name", "Mei Chen", "--json"],
    ));

    let listed = json(&pinpoint(dir.path(), &["client", "list", "--json"]));
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(2),
        "a list is a JSON array"
    );

    let found = json(&pinpoint(
        dir.path(),
        &["client", "list", "--search", "MÜL", "--json"],
    ));
    assert_eq!(
        found.as_array().unwrap().len(),
        1,
        "search is case-insensitive"
    );
    assert_eq!(found[0]["id"], id);
    let found = json(&pinpoint(
        dir.path(),
        &["client", "list", "--search", "ann", "--json"],
    ));
    assert_eq!(
        found[0]["name"], "Hannah Müller",
        "a fragment inside a name matches"
    );

    let shown = json(&pinpoint(dir.path(), &["client", "show", id, "--json"]));
    assert_eq!(shown, added, "show returns what add created");

    let text = pinpoint(dir.path(), &["client", "show", id]);
    assert!(text.status.success());
    assert!(
        stdout(&text).contains("Hannah Müller"),
        "human text names the client"
    );
    assert!(
        stdout(&text).contains("II"),
        "human text shows the type as a numeral"
    );
}

#[test]
fn bad_values_exit_1_with_one_line_and_write_nothing() {
    for (args, expect) in [
        (
            vec!["--name", "Seven", "--fitzpatrick", "7"],
            "fitzpatrick type 7",
        ),
        (
            vec!["--name", "Roman", "--fitzpatrick", "VII"],
            "fitzpatrick type \"VII\"",
        ),
        (
            vec!["--name", "Future", "--dob", "2999-01-01"],
            "in the future",
        ),
        (
            vec!["--name", "Calendar", "--dob", "1990-02-30"],
            "is not a date",
        ),
        (vec!["--name", "   "], "name is empty"),
        (vec!["--name", "Mail", "--email", "nobody"], "email address"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut full = vec!["client", "add"];
        full.extend(&args);
        let out = pinpoint(&data, &full);
        assert_eq!(out.status.code(), Some(1), "{args:?} is a user error");
        let err = stderr(&out);
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one line on stderr: {err}"
        );
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(stdout(&out).is_empty());
        assert!(
            !data.exists(),
            "{args:?} must not create or write the data folder"
        );
    }
}

#[test]
fn a_refused_value_leaves_an_existing_folder_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    json(&pinpoint(
        dir.path(),
        &["client", "add", "--name", "Kept", "--json"],
    ));
    let out = pinpoint(
        dir.path(),
        &["client", "add", "--name", "X", "--fitzpatrick", "0"],
    );
    assert_eq!(out.status.code(), Some(1));
    let listed = json(&pinpoint(dir.path(), &["client", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn unknown_and_malformed_ids_are_user_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = pinpoint(dir.path(), &["client", "list"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an empty folder has no data to list"
    );
    assert!(
        stderr(&out).contains("no Pinpoint data"),
        "{}",
        stderr(&out)
    );
    assert!(
        !dir.path().join("pinpoint.sqlite3").exists(),
        "reading commands never create a database"
    );
    json(&pinpoint(
        dir.path(),
        &["client", "add", "--name", "Someone", "--json"],
    ));
    let out = pinpoint(dir.path(), &["client", "show", "not-an-id"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a valid client id"),
        "{}",
        stderr(&out)
    );
    let out = pinpoint(
        dir.path(),
        &["client", "show", "01937a4e-9b2d-7dd4-8f3e-1a2b3c4d5e6f"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not found"), "{}", stderr(&out));
}

#[test]
fn a_database_from_a_newer_version_is_refused_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    make_newer_database(dir.path());
    let out = pinpoint(dir.path(), &["client", "list"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("newer version of Pinpoint"),
        "{}",
        stderr(&out)
    );
}

/// Makes a real data folder, then marks its database as written by a
/// future schema.
fn make_newer_database(dir: &Path) {
    json(&pinpoint(
        dir,
        &["client", "add", "--name", "Old", "--json"],
    ));
    let db = dir.join("pinpoint.sqlite3");
    // Bump user_version (a big-endian u32 at byte 60 of the header).
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(&db, bytes).unwrap();
}

#[test]
fn demo_fills_an_empty_folder_once() {
    let dir = tempfile::tempdir().unwrap();
    let summary = json(&pinpoint(dir.path(), &["demo", "--json"]));
    assert_eq!(summary["clients"], 30);
    let listed = json(&pinpoint(
        dir.path(),
        &["client", "list", "--archived", "--json"],
    ));
    assert_eq!(listed.as_array().unwrap().len(), 30);
    let again = pinpoint(dir.path(), &["demo"]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "demo refuses a folder with records"
    );
    let verify = pinpoint(dir.path(), &["verify", "--json"]);
    assert_eq!(json(&verify)["ok"], true);
}

#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let out = pinpoint(dir.path(), &["client", "add"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a missing --name is a user error"
    );
    let out = pinpoint(dir.path(), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("client"));
}

/// A stored value holding terminal escapes (a practitioner's name typed
/// with them, a crafted database) is printed as visible escapes, never
/// obeyed by the terminal.
#[test]
fn stored_terminal_escapes_are_printed_inert() {
    let dir = tempfile::tempdir().unwrap();
    let name = "Dr \u{1b}[2J\u{1b}]0;owned\u{7}Red";
    let added = pinpoint(
        dir.path(),
        &["catalogue", "add-practitioner", "--name", name],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let listed = pinpoint(dir.path(), &["catalogue", "list"]);
    let text = stdout(&listed);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains("Dr \\x1b[2J\\x1b]0;owned\\x07Red"),
        "{text:?}"
    );
    let json = json(&pinpoint(dir.path(), &["catalogue", "list", "--json"]));
    assert_eq!(
        json["practitioners"][0]["name"], name,
        "JSON keeps the value as stored, escaped by JSON itself"
    );
}
