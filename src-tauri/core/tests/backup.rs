//! Backups: a round trip through an archive, damage found part by part,
//! restore never touching current data, and the automatic-backup rules.

use chrono::Duration;
use pinpoint_core::backup::{self, AutoBackup, Schedule};
use pinpoint_core::{demo, record, ErrorKind, Store};

use crate::{fresh_sqlite, now, today};

fn all_records(store: &Store) -> serde_json::Value {
    let clients = pinpoint_core::client::search(
        store.db(),
        &pinpoint_core::client::ClientQuery {
            include_archived: true,
            ..Default::default()
        },
    )
    .unwrap();
    serde_json::to_value(
        clients
            .iter()
            .map(|c| record::load(store.db(), c.id).unwrap())
            .collect::<Vec<_>>(),
    )
    .unwrap()
}

#[test]
fn a_backup_restores_every_record_identically_with_photos() {
    // On the run's engine: a clinic's backup holds its records as a data
    // folder's database, restored like any other.
    let mut f = crate::fresh();
    f.store.write(|tx| demo::fill(tx, today(), now())).unwrap();
    // A stand-in original under photos/ travels with the archive.
    let photo_dir = f.dir.path().join("photos/ab");
    std::fs::create_dir_all(&photo_dir).unwrap();
    std::fs::write(photo_dir.join("abcdef.jpg"), b"jpeg bytes").unwrap();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    let mut calls = 0;
    let summary = backup::create(&f.store, &archive, "test", now(), &mut |p| {
        calls += 1;
        assert!(
            p.done_bytes <= p.total_bytes,
            "progress never passes the total"
        );
        true
    })
    .unwrap();
    assert!(calls > 1, "progress is reported");
    // In clinic mode the photos are in the clinic's bucket, not the archive.
    let with_photos = !crate::on_postgres();
    if with_photos {
        assert!(summary.parts >= 2, "the database and the photo");
    } else {
        assert_eq!(summary.parts, 1, "the database alone");
    }
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "only the archive is left: {leftovers:?}"
    );

    let target = out.path().join("restored");
    let restored = backup::restore(&archive, &target, &mut |_| true).unwrap();
    assert_eq!(restored.parts, summary.parts);
    let back = Store::open(&target).unwrap();
    assert_eq!(
        all_records(&back),
        all_records(&f.store),
        "every client's record is identical"
    );
    if with_photos {
        assert_eq!(
            std::fs::read(target.join("photos/ab/abcdef.jpg")).unwrap(),
            b"jpeg bytes",
            "originals come back byte for byte"
        );
    } else {
        assert!(
            !target.join("photos").exists(),
            "no photo in a clinic's backup"
        );
    }
}

#[test]
fn every_damaged_part_is_named_and_nothing_is_written() {
    let mut f = fresh_sqlite();
    f.store.write(|tx| demo::fill(tx, today(), now())).unwrap();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    backup::create(&f.store, &archive, "test", now(), &mut |_| true).unwrap();
    let bytes = std::fs::read(&archive).unwrap();

    // Flip one byte in the database's data (the first entry starts after a
    // 512-byte header).
    let mut damaged = bytes.clone();
    damaged[512 + 2000] ^= 0xff;
    let path = out.path().join("damaged.tar");
    std::fs::write(&path, &damaged).unwrap();
    let target = out.path().join("from-damaged");
    let err = backup::restore(&path, &target, &mut |_| true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        err.to_string().contains("pinpoint.sqlite3"),
        "the damaged part is named: {err}"
    );
    assert!(!target.exists(), "a failed restore creates nothing");

    // Cut short: refused.
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = backup::restore(&path, &target, &mut |_| true).unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
    assert!(!target.exists());

    // Not an archive at all.
    std::fs::write(&path, b"hello").unwrap();
    assert!(backup::restore(&path, &target, &mut |_| true).is_err());
    assert!(!target.exists());
}

#[test]
fn restore_refuses_a_folder_with_data_and_leaves_it_alone() {
    let mut f = fresh_sqlite();
    f.store.write(|tx| demo::fill(tx, today(), now())).unwrap();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    backup::create(&f.store, &archive, "test", now(), &mut |_| true).unwrap();
    let busy = out.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), b"mine").unwrap();
    let err = backup::restore(&archive, &busy, &mut |_| true).unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(std::fs::read(busy.join("notes.txt")).unwrap(), b"mine");
    // An empty folder is fine.
    let empty = out.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    backup::restore(&archive, &empty, &mut |_| true).unwrap();
    assert!(empty.join("pinpoint.sqlite3").is_file());
}

#[test]
fn a_cancelled_backup_leaves_no_file() {
    let mut f = fresh_sqlite();
    f.store.write(|tx| demo::fill(tx, today(), now())).unwrap();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    let mut calls = 0;
    let err = backup::create(&f.store, &archive, "test", now(), &mut |_| {
        calls += 1;
        calls < 3
    })
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled);
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing is left behind"
    );
}

#[test]
fn manifests_are_checked() {
    let check = |json: &str, expect: &str| {
        let err = backup::read_manifest(json.as_bytes()).unwrap_err();
        assert!(err.to_string().contains(expect), "{json}: {err}");
    };
    check("", "cannot be read");
    check(r#"{"format":"zip"}"#, "cannot be read");
    let part = |path: &str| {
        format!(
            r#"{{"path":"{path}","size":1,"sha256":"{}"}}"#,
            "a".repeat(64)
        )
    };
    let manifest = |format: &str, version: u32, parts: &[String]| {
        format!(
            r#"{{"format":"{format}","format_version":{version},"app_version":"x","schema_version":2,"created_at":"t","parts":[{}]}}"#,
            parts.join(",")
        )
    };
    check(
        &manifest("tarball", 1, &[part("pinpoint.sqlite3")]),
        "not a Pinpoint backup",
    );
    check(
        &manifest("pinpoint-backup", 9, &[part("pinpoint.sqlite3")]),
        "newer Pinpoint",
    );
    check(
        &manifest("pinpoint-backup", 1, &[part("../etc/passwd")]),
        "unexpected entry",
    );
    check(
        &manifest("pinpoint-backup", 1, &[part("/etc/passwd")]),
        "unexpected entry",
    );
    check(
        &manifest("pinpoint-backup", 1, &[part("photos/a.jpg")]),
        "no database",
    );
    assert!(backup::read_manifest(
        manifest(
            "pinpoint-backup",
            1,
            &[part("pinpoint.sqlite3"), part("photos/ab/x.jpg")]
        )
        .as_bytes()
    )
    .is_ok());
}

#[test]
fn automatic_backups_run_when_due_and_keep_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap().to_owned();
    let daily = AutoBackup {
        folder: Some(folder.clone()),
        schedule: Schedule::Daily,
        keep: 3,
        last_at: Some(now() - Duration::hours(23)),
    };
    assert!(
        !backup::due(&daily, now(), false),
        "23 hours after the last one: not yet"
    );
    let stale = AutoBackup {
        last_at: Some(now() - Duration::hours(24)),
        ..daily.clone()
    };
    assert!(
        backup::due(&stale, now(), false),
        "a day after the last one"
    );
    assert!(
        !backup::due(&stale, now(), true),
        "daily backups run at start, not at exit"
    );
    let never = AutoBackup {
        last_at: None,
        ..daily.clone()
    };
    assert!(backup::due(&never, now(), false), "never backed up: due");
    let on_exit = AutoBackup {
        schedule: Schedule::OnExit,
        ..daily.clone()
    };
    assert!(backup::due(&on_exit, now(), true) && !backup::due(&on_exit, now(), false));
    let nowhere = AutoBackup {
        folder: None,
        ..never.clone()
    };
    assert!(!backup::due(&nowhere, now(), false), "no folder, no backup");
    let off = AutoBackup {
        schedule: Schedule::Off,
        ..never
    };
    assert!(!backup::due(&off, now(), false));

    for hours in 0..5 {
        let name = backup::auto_file_name("0a1b2c3d4e5f", now() + Duration::hours(hours));
        std::fs::write(dir.path().join(name), b"x").unwrap();
    }
    std::fs::write(dir.path().join("my-own-file.tar"), b"x").unwrap();
    // Another clinic backs up into the same folder.
    let theirs = backup::auto_file_name("ffffeeeedddd", now() - Duration::days(300));
    std::fs::write(dir.path().join(&theirs), b"x").unwrap();
    let removed = backup::prune(dir.path(), "0a1b2c3d4e5f", 3).unwrap();
    assert_eq!(removed.len(), 2, "the two oldest go: {removed:?}");
    assert!(
        removed[0] < removed[1] && removed[0].contains("100000"),
        "oldest first: {removed:?}"
    );
    assert!(
        dir.path().join("my-own-file.tar").exists(),
        "other files are never touched"
    );
    assert!(
        dir.path().join(theirs).exists(),
        "another clinic's archive, however old, is never touched"
    );
}

#[test]
fn run_auto_writes_prunes_and_remembers() {
    let mut f = fresh_sqlite();
    let out = tempfile::tempdir().unwrap();
    let settings = AutoBackup {
        folder: Some(out.path().to_str().unwrap().to_owned()),
        schedule: Schedule::Daily,
        keep: 2,
        last_at: None,
    };
    f.store
        .write(|tx| backup::save_auto_settings(tx, &settings, now()))
        .unwrap();
    for day in 0..3 {
        backup::run_auto(
            &f.store.reader().unwrap(),
            "test",
            now() + Duration::days(day),
            &mut |_| true,
        )
        .unwrap();
        f.store
            .write(|tx| backup::remember_auto(tx, now() + Duration::days(day)))
            .unwrap();
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 2, "keep 2");
    let saved = backup::auto_settings(f.store.db()).unwrap();
    assert_eq!(
        saved.last_at,
        Some(now() + Duration::days(2)),
        "the last run is remembered"
    );
    let err = f
        .store
        .write(|tx| {
            backup::save_auto_settings(
                tx,
                &AutoBackup {
                    folder: Some("/no/such/folder".into()),
                    ..AutoBackup::default()
                },
                now(),
            )
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("folder"));
    let inside = f.dir.path().join("backups");
    std::fs::create_dir(&inside).unwrap();
    let refused = backup::check_backup_folder(&inside, f.dir.path()).unwrap_err();
    assert!(
        refused.to_string().contains("is inside the data folder"),
        "{refused}"
    );
    assert!(backup::check_backup_folder(out.path(), f.dir.path()).is_ok());
}

#[test]
fn a_backup_on_a_reader_lets_the_store_write_and_holds_the_snapshot_it_began_with() {
    let mut f = fresh_sqlite();
    f.store.write(|tx| demo::fill(tx, today(), now())).unwrap();
    let before = all_records(&f.store);
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    let reader = f.store.reader().unwrap();
    let mut written = false;
    let store = &mut f.store;
    backup::create(&reader, &archive, "test", now(), &mut |_| {
        if !written {
            // The practitioner adds a client while the backup runs.
            let input = pinpoint_core::client::ClientInput {
                name: "Added During Backup".to_owned(),
                ..Default::default()
            };
            store
                .write(|tx| {
                    pinpoint_core::client::create(
                        tx,
                        pinpoint_core::ids::ClientId::new(),
                        &input,
                        today(),
                        now(),
                    )
                })
                .expect("the store writes while a reader backs up");
            written = true;
        }
        true
    })
    .unwrap();
    assert!(written, "the write happened during the backup");
    let target = out.path().join("restored");
    backup::restore(&archive, &target, &mut |_| true).unwrap();
    let back = Store::open(&target).unwrap();
    assert_eq!(
        all_records(&back),
        before,
        "the archive holds the data as it was when the backup began"
    );
    assert_ne!(
        all_records(&f.store),
        before,
        "and the live store kept the new client"
    );
}

#[test]
fn a_reader_cannot_write() {
    let f = fresh_sqlite();
    let reader = f.store.reader().unwrap();
    use pinpoint_core::DataFolder;
    let err = reader
        .db()
        .execute("DELETE FROM client", &[])
        .expect_err("a reader is read-only");
    assert!(
        err.to_string().contains("readonly") || err.to_string().contains("read-only"),
        "{err}"
    );
}

/// What a refused restore left in `dir` besides the crafted archive.
fn beside_archive(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "crafted.tar")
        .collect()
}

/// A tar archive written entry by entry, as an attacker would craft one:
/// (path, entry type, content, link target).
fn crafted_archive(
    path: &std::path::Path,
    entries: &[(&str, tar::EntryType, &[u8], Option<&str>)],
) {
    let mut builder = tar::Builder::new(std::fs::File::create(path).unwrap());
    for (name, kind, bytes, link) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(*kind);
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        if let Some(target) = link {
            header.set_link_name(target).unwrap();
        }
        header.set_cksum();
        builder.append_data(&mut header, name, *bytes).unwrap();
    }
    builder.finish().unwrap();
}

#[test]
fn a_link_or_device_entry_is_refused_and_nothing_is_left() {
    let out = tempfile::tempdir().unwrap();
    for (kind, link) in [
        (tar::EntryType::Symlink, Some("/etc/passwd")),
        (tar::EntryType::Link, Some("pinpoint.sqlite3")),
        (tar::EntryType::Char, None),
        (tar::EntryType::GNUSparse, None),
        (tar::EntryType::Directory, None),
    ] {
        let archive = out.path().join("crafted.tar");
        crafted_archive(
            &archive,
            &[
                ("pinpoint.sqlite3", tar::EntryType::Regular, b"x", None),
                ("photos/ab/evil.jpg", kind, b"", link),
            ],
        );
        let target = out.path().join("restored");
        let err = backup::restore(&archive, &target, &mut |_| true).unwrap_err();
        // A malformed sparse header is already refused by the tar reader.
        let message = err.to_string();
        assert!(
            message.contains("photos/ab/evil.jpg is not a plain file")
                || (kind == tar::EntryType::GNUSparse
                    && message.starts_with("the backup is damaged")),
            "{kind:?}: {message}"
        );
        assert!(!target.exists(), "{kind:?}: nothing restored");
        let left = beside_archive(out.path());
        assert!(left.is_empty(), "{kind:?}: no staging left: {left:?}");
    }
}

/// A manifest listing `parts` as (path, size, sha256 of the bytes).
fn manifest_of(parts: &[(&str, &[u8], u64)]) -> Vec<u8> {
    use sha2::Digest;
    let parts: Vec<_> = parts
        .iter()
        .map(|(path, bytes, size)| {
            serde_json::json!({
                "path": path,
                "size": size,
                "sha256": sha2::Sha256::digest(bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>(),
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "format": "pinpoint-backup",
        "format_version": 1,
        "app_version": "test",
        "schema_version": 1,
        "created_at": "2026-01-01T00:00:00Z",
        "parts": parts,
    }))
    .unwrap()
}

#[test]
fn parts_that_disagree_with_the_manifest_are_refused_before_anything_is_written() {
    let out = tempfile::tempdir().unwrap();
    let database: &[u8] = b"not really a database";
    let photo: &[u8] = &[7u8; 4096];
    let photo_path = "photos/ab/abcd.jpg";
    type Entries<'a> = Vec<(&'a str, &'a [u8])>;
    let cases: Vec<(&str, Vec<u8>, Entries)> = vec![
        // The header says 4096 bytes; the manifest says 10 (a small archive
        // claiming little, then writing more).
        (
            "holds 4096 bytes where its manifest says 10",
            manifest_of(&[
                ("pinpoint.sqlite3", database, database.len() as u64),
                (photo_path, photo, 10),
            ]),
            vec![("pinpoint.sqlite3", database), (photo_path, photo)],
        ),
        (
            "is not in its manifest",
            manifest_of(&[("pinpoint.sqlite3", database, database.len() as u64)]),
            vec![("pinpoint.sqlite3", database), (photo_path, photo)],
        ),
        (
            "photos/ab/abcd.jpg is missing",
            manifest_of(&[
                ("pinpoint.sqlite3", database, database.len() as u64),
                (photo_path, photo, 4096),
            ]),
            vec![("pinpoint.sqlite3", database)],
        ),
    ];
    for (expected, manifest, entries) in cases {
        let archive = out.path().join("crafted.tar");
        // The manifest first: the walk over the headers finds it anyway.
        let mut all: Vec<(&str, tar::EntryType, &[u8], Option<&str>)> =
            vec![("manifest.json", tar::EntryType::Regular, &manifest, None)];
        all.extend(
            entries
                .iter()
                .map(|(name, bytes)| (*name, tar::EntryType::Regular, *bytes, None)),
        );
        crafted_archive(&archive, &all);
        let target = out.path().join("restored");
        let mut reported = 0;
        let err = backup::restore(&archive, &target, &mut |_| {
            reported += 1;
            true
        })
        .unwrap_err();
        assert!(err.to_string().contains(expected), "{expected}: {err}");
        assert_eq!(reported, 0, "{expected}: nothing was copied");
        let left = beside_archive(out.path());
        assert!(left.is_empty(), "{expected}: nothing written: {left:?}");
    }
}

#[test]
fn a_database_with_a_schema_of_its_own_is_refused() {
    let f = fresh_sqlite();
    // A database Pinpoint did not make: a trigger of its own, a guard gone.
    f.store
        .db()
        .execute_batch(
            "CREATE TRIGGER evil AFTER INSERT ON client BEGIN DELETE FROM consent; END;
             DROP TRIGGER audit_event_no_delete;",
        )
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    backup::create(&f.store, &archive, "test", now(), &mut |_| true).unwrap();
    let target = out.path().join("restored");
    let err = backup::restore(&archive, &target, &mut |_| true).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("not one Pinpoint made")
            && message.contains("unexpected trigger evil")
            && message.contains("missing or changed trigger audit_event_no_delete"),
        "{message}"
    );
    assert!(!target.exists(), "nothing restored");
}

#[test]
fn a_restore_that_died_is_swept_but_nothing_else_is() {
    let f = fresh_sqlite();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    backup::create(&f.store, &archive, "test", now(), &mut |_| true).unwrap();
    // A staging folder of a restore killed long ago (its process is gone)…
    let dead = out.path().join(".restored.restoring-4294967-1");
    std::fs::create_dir(&dead).unwrap();
    std::fs::write(dead.join(".pinpoint-restoring"), b"4294967").unwrap();
    std::fs::write(dead.join("pinpoint.sqlite3"), b"half").unwrap();
    // …and a folder of the same shape that Pinpoint did not make.
    let theirs = out.path().join(".restored.restoring-mine");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("notes.txt"), b"keep me").unwrap();
    backup::restore(&archive, &out.path().join("restored"), &mut |_| true).unwrap();
    assert!(!dead.exists(), "the dead restore's staging is swept");
    assert_eq!(std::fs::read(theirs.join("notes.txt")).unwrap(), b"keep me");
}
