//! Opening data folders: new, older, newer and foreign databases.

use pinpoint_core::client::{self, ClientQuery};
use pinpoint_core::{DataFolder, ErrorKind, Store};
use rusqlite::Connection;

#[test]
fn a_new_folder_gets_wal_foreign_keys_and_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("nested/data")).unwrap();
    let conn = store.sqlite().unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(fk, 1, "foreign keys must be enforced");
    assert_eq!(version, Store::schema_version());
    assert!(dir.path().join("nested/data/pinpoint.sqlite3").is_file());
}

#[test]
fn a_database_from_the_first_release_is_upgraded_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pinpoint.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("fixtures/schema-v1.sql"))
            .unwrap();
    }
    let store = Store::open(dir.path()).expect("an older database opens");
    let version: i64 = store
        .sqlite()
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version,
        Store::schema_version(),
        "it is migrated to the current schema"
    );
    let found = client::search(
        store.db(),
        &ClientQuery {
            search: Some("okon".into()),
            ..ClientQuery::default()
        },
    )
    .unwrap();
    assert_eq!(found.len(), 1, "its clients are kept and searchable");
    assert_eq!(found[0].name, "Ada Okonkwo");
}

#[test]
fn a_database_from_a_newer_pinpoint_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pinpoint.sqlite3");
    let newer = Store::schema_version() + 1;
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE future (x); PRAGMA user_version = {newer};"
        ))
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(dir.path()).expect_err("a newer database must be refused");
    assert_eq!(err.kind(), ErrorKind::Incompatible);
    let message = err.to_string();
    assert!(message.contains("newer version of Pinpoint"), "{message}");
    assert!(
        message.contains(&format!("schema version {newer}")),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is left as it was"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pinpoint.sqlite3");
    std::fs::write(
        &path,
        b"these are not the records you are looking for, not at all",
    )
    .unwrap();
    let err = Store::open(dir.path()).expect_err("garbage must be refused");
    assert_eq!(err.kind(), ErrorKind::Incompatible);
    assert!(
        err.to_string().contains("is not a Pinpoint database"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"these are not the records you are looking for, not at all"
    );
}

#[test]
fn another_applications_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pinpoint.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA application_id = 1234; CREATE TABLE t (x);")
            .unwrap();
    }
    let err = Store::open(dir.path()).unwrap_err();
    assert!(err.to_string().contains("another application"), "{err}");
}

#[test]
fn a_negative_or_absurd_schema_version_is_not_a_pinpoint_database() {
    for version in [-1_i64, -2_147_483_648, 2_147_483_647] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pinpoint.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(&format!(
                "CREATE TABLE client (id TEXT); PRAGMA user_version = {version};"
            ))
            .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(dir.path()).expect_err("refused");
        let message = err.to_string();
        assert!(
            message.contains("not a Pinpoint database")
                && message.contains(&format!("schema version {version}")),
            "{version}: {message}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before, "left as it was");
    }
}

#[test]
fn a_database_from_the_first_release_is_sealed_with_its_data() {
    // Sealed straight from schema 1: brought up to date first, so the
    // sealed copy has this build's schema and its search still works.
    let place = tempfile::tempdir().unwrap();
    let dir = place.path().join("clinic");
    std::fs::create_dir(&dir).unwrap();
    {
        let conn = Connection::open(dir.join("pinpoint.sqlite3")).unwrap();
        conn.execute_batch(include_str!("fixtures/schema-v1.sql"))
            .unwrap();
    }
    let hold = Store::hold_folder(&dir).unwrap();
    let key = pinpoint_core::seal::DataKey::generate();
    let (keyring, _) = pinpoint_core::seal::Keyring::new(&key);
    pinpoint_core::seal::seal_folder(&hold, &key, &keyring, &mut |_| {}).unwrap();
    let store = Store::open_held(&hold, Some(std::sync::Arc::new(key))).unwrap();
    let found = client::search(
        store.db(),
        &ClientQuery {
            search: Some("okon".into()),
            ..ClientQuery::default()
        },
    )
    .unwrap();
    assert_eq!(found.len(), 1);
    assert!(
        pinpoint_core::audit::verify_chain_with(store.db(), store.data_key())
            .unwrap()
            .first_broken
            .is_none()
    );
}
