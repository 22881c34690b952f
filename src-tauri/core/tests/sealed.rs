//! Sealed at rest: a data folder sealed in place keeps every record and
//! photo, shows nothing readable on disk, opens only with an account's
//! passphrase or the recovery key, and keeps the key wrapped as accounts
//! change.

use std::path::Path;

use chrono::FixedOffset;
use pinpoint_core::action::{accounts, clients, photos, safety, Actor, Clinic, Clock, Ctx};
use pinpoint_core::photo::PhotoSize;
use pinpoint_core::seal::{self, KEYRING_FILE};
use pinpoint_core::ErrorKind;

use crate::{contains, files_under, now};

const DEMO_PASSPHRASE: &str = "lumen demo 2026";
const OWNER: &str = "Dr. Amara Okafor";
const COLLEAGUE: &str = "Sofia Lindqvist";

fn clock() -> Clock {
    Clock::at(now(), FixedOffset::east_opt(0).unwrap())
}

/// A minute later: past the wait after a wrong passphrase.
fn later() -> Clock {
    minutes(1)
}

fn minutes(n: i64) -> Clock {
    Clock::at(
        now() + chrono::Duration::minutes(n),
        FixedOffset::east_opt(0).unwrap(),
    )
}

/// The demo clinic (records, photos, one account per role), in the clear.
pub fn demo_clinic() -> (Place, Clinic) {
    let dir = tempfile::tempdir().unwrap();
    let place = Place {
        data: dir.path().join("clinic"),
        _dir: dir,
    };
    let clinic = Clinic::open(place.path()).unwrap();
    safety::fill_demo(&Ctx::new(&clinic, clock())).unwrap();
    (place, clinic)
}

/// A data folder inside a temporary folder, so the record of the audit
/// chain's head kept beside it goes when the test ends.
pub struct Place {
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
}

impl Place {
    pub fn path(&self) -> &Path {
        &self.data
    }
}

fn as_actor(clinic: &Clinic, actor: Actor) -> Ctx<'_> {
    Ctx::new(clinic, clock()).acting_as(actor)
}

/// What a person sees of the clinic: its clients' names and one photo.
fn snapshot(ctx: &Ctx<'_>) -> (Vec<String>, usize, Vec<u8>) {
    let listed = clients::list_clients(ctx, &Default::default()).unwrap();
    let names: Vec<String> = listed.iter().map(|c| c.name.clone()).collect();
    let mut all_photos = Vec::new();
    for c in &listed {
        all_photos.extend(photos::list_photos(ctx, c.id).unwrap());
    }
    let first = all_photos.first().expect("the demo has photos");
    let bytes = photos::photo_file(ctx, first.id, PhotoSize::Preview)
        .unwrap()
        .bytes;
    (names, all_photos.len(), bytes)
}

#[test]
fn sealing_in_place_keeps_everything_and_leaves_nothing_readable() {
    let (dir, clinic) = demo_clinic();
    let owner = accounts::sign_in(&clinic, clock(), OWNER, DEMO_PASSPHRASE).unwrap();
    let before = snapshot(&as_actor(&clinic, owner.clone()));
    let mut steps = Vec::new();
    let recovery = accounts::seal_clinic(
        &as_actor(&clinic, owner.clone()),
        DEMO_PASSPHRASE,
        &mut |p| steps.push(p),
    )
    .unwrap();
    assert!(steps.len() > 10, "progress is reported per file");
    assert_eq!(steps.last().unwrap().done, steps.last().unwrap().total);
    assert!(clinic.is_sealed() && clinic.is_open());
    assert!(!dir.path().join(seal::STAGING_DIR).exists());

    // The same clinic, read through the seal.
    let after = snapshot(&as_actor(&clinic, owner.clone()));
    assert_eq!(before, after);
    let check = safety::check_data(&as_actor(&clinic, owner.clone()), true).unwrap();
    assert!(check.ok, "{:?}", check.problems);
    // The window's quick check at start (sizes, not hashes) knows the seal.
    let quick = safety::check_data(&as_actor(&clinic, owner.clone()), false).unwrap();
    assert!(quick.ok, "{:?}", quick.problems);

    // Nothing on disk reads as a database, a JPEG or a client's name.
    let surname = before.0.first().unwrap().as_bytes().to_vec();
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    let mut sealed_photos = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let shown = path.display();
        assert!(
            !contains(&bytes, b"SQLite format 3"),
            "{shown} is plain SQLite"
        );
        assert!(!contains(&bytes, &surname), "{shown} shows a client's name");
        assert!(
            !contains(&bytes, b"JFIF") && !contains(&bytes, b"Exif"),
            "{shown} is a plain JPEG"
        );
        if path.starts_with(dir.path().join("photos")) || path.starts_with(dir.path().join("cache"))
        {
            assert!(seal::is_sealed_file(&bytes), "{shown} is not sealed");
            sealed_photos += 1;
        }
    }
    assert!(
        sealed_photos >= before.1 * 3,
        "originals, previews and thumbnails are sealed"
    );
    let keyring = std::fs::read_to_string(dir.path().join(KEYRING_FILE)).unwrap();
    assert!(!keyring.contains(&recovery.to_string()));
    drop(clinic);

    // Closed, it opens with the owner's passphrase and nothing else.
    let clinic = Clinic::open(dir.path()).unwrap();
    assert!(!clinic.is_open());
    let names = accounts::sign_in_names(&clinic).unwrap();
    assert_eq!(names.len(), 1, "only the owner holds a wrap yet: {names:?}");
    let refused =
        clients::list_clients(&Ctx::new(&clinic, clock()), &Default::default()).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Locked);
    let wrong = accounts::sign_in(&clinic, clock(), OWNER, "not the passphrase").unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::Invalid, "{wrong}");
    assert!(!clinic.is_open());
    let colleague = accounts::sign_in(&clinic, clock(), COLLEAGUE, DEMO_PASSPHRASE).unwrap_err();
    assert_eq!(colleague.kind(), ErrorKind::Invalid, "{colleague}");
    let early = accounts::sign_in(&clinic, clock(), OWNER, DEMO_PASSPHRASE).unwrap_err();
    assert!(early.to_string().contains("try again"), "{early}");
    let owner = accounts::sign_in(&clinic, later(), OWNER, DEMO_PASSPHRASE).unwrap();
    assert_eq!(snapshot(&as_actor(&clinic, owner)), before);

    // A colleague signing in while it is open gets a wrap of their own.
    accounts::sign_in(&clinic, clock(), COLLEAGUE, DEMO_PASSPHRASE).unwrap();
    clinic.close();
    assert!(!clinic.is_open());
    let sofia = accounts::sign_in(&clinic, later(), COLLEAGUE, DEMO_PASSPHRASE).unwrap();
    assert!(clinic.is_open());
    assert_eq!(snapshot(&as_actor(&clinic, sofia.clone())).1, before.1);
    let Actor::Account { id: sofia_id, .. } = sofia else {
        panic!("an account")
    };

    // Disabled, her passphrase opens nothing.
    let owner = accounts::sign_in(&clinic, later(), OWNER, DEMO_PASSPHRASE).unwrap();
    accounts::set_account_disabled(&as_actor(&clinic, owner.clone()), sofia_id, true).unwrap();
    clinic.close();
    let disabled = accounts::sign_in(&clinic, clock(), COLLEAGUE, DEMO_PASSPHRASE).unwrap_err();
    assert_eq!(disabled.kind(), ErrorKind::Invalid);

    // The recovery key opens it and gives the owner a new passphrase; the
    // old one then opens nothing.
    let wrong_key = accounts::recover_account(
        &clinic,
        clock(),
        &seal::RecoveryKey::parse(&recovery.to_string())
            .map(|_| "0".repeat(52))
            .unwrap(),
        OWNER,
        "a brand new passphrase",
        "9753",
    )
    .unwrap_err();
    assert!(
        wrong_key.to_string().contains("does not open"),
        "{wrong_key}"
    );
    assert!(!clinic.is_open());
    accounts::recover_account(
        &clinic,
        clock(),
        &recovery.to_string(),
        OWNER,
        "a brand new passphrase",
        "9753",
    )
    .unwrap();
    clinic.close();
    assert!(accounts::sign_in(&clinic, later(), OWNER, DEMO_PASSPHRASE).is_err());
    let owner = accounts::sign_in(&clinic, minutes(2), OWNER, "a brand new passphrase").unwrap();

    // Changing a passphrase wraps the key again; the data is not touched.
    let mut stored = Vec::new();
    files_under(&dir.path().join("photos"), &mut stored);
    let photo_bytes = |files: &[std::path::PathBuf]| -> Vec<Vec<u8>> {
        files.iter().map(|f| std::fs::read(f).unwrap()).collect()
    };
    let sealed_before = photo_bytes(&stored);
    let Actor::Account { id: owner_id, .. } = owner.clone() else {
        panic!("an account")
    };
    accounts::set_passphrase(
        &as_actor(&clinic, owner),
        owner_id,
        "yet another passphrase",
        None,
    )
    .unwrap();
    clinic.close();
    assert!(
        sealed_before == photo_bytes(&stored),
        "no photo was sealed again"
    );
    accounts::sign_in(&clinic, later(), OWNER, "yet another passphrase").unwrap();
}

#[test]
fn a_flipped_byte_in_a_sealed_photo_is_named_not_shown() {
    let (dir, clinic) = demo_clinic();
    let owner = accounts::sign_in(&clinic, clock(), OWNER, DEMO_PASSPHRASE).unwrap();
    accounts::seal_clinic(
        &as_actor(&clinic, owner.clone()),
        DEMO_PASSPHRASE,
        &mut |_| {},
    )
    .unwrap();
    let ctx = as_actor(&clinic, owner);
    let listed = clients::list_clients(&ctx, &Default::default()).unwrap();
    let photo = listed
        .iter()
        .flat_map(|c| photos::list_photos(&ctx, c.id).unwrap())
        .next()
        .unwrap();
    let preview = dir.path().join(format!(
        "cache/preview/{}/{}.jpg",
        &photo.sha256[..2],
        photo.sha256
    ));
    let mut bytes = std::fs::read(&preview).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&preview, &bytes).unwrap();
    let refused = photos::photo_file(&ctx, photo.id, PhotoSize::Preview).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Damaged);
    assert!(refused.to_string().contains("authentication"), "{refused}");
    assert!(
        refused.to_string().contains(&photo.id.to_string()),
        "{refused}"
    );

    // The original, flipped, is named by the thorough check.
    let original = dir.path().join(pinpoint_core::photo::original_relative(
        &photo.sha256,
        photo.format,
    ));
    let mut bytes = std::fs::read(&original).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x80;
    std::fs::write(&original, &bytes).unwrap();
    let report = safety::check_data(&ctx, true).unwrap();
    assert!(!report.ok);
    assert!(
        report.problems.iter().any(|p| p.contains("authentication")),
        "{:?}",
        report.problems
    );
}

#[test]
fn an_interrupted_sealing_is_finished_or_discarded_at_the_next_open() {
    let (dir, clinic) = demo_clinic();
    let count = clients::list_clients(&Ctx::new(&clinic, clock()), &Default::default())
        .unwrap()
        .len();
    drop(clinic);
    // A sealing that died before its copy was checked: discarded.
    let staging = dir.path().join(seal::STAGING_DIR);
    std::fs::create_dir_all(staging.join("photos/ab")).unwrap();
    std::fs::write(staging.join("photos/ab/half.jpg"), b"half written").unwrap();
    std::fs::write(staging.join("pinpoint.sqlite3"), b"half written").unwrap();
    let clinic = Clinic::open(dir.path()).unwrap();
    assert!(!staging.exists());
    assert!(clinic.is_open() && !clinic.is_sealed());
    let ctx = Ctx::new(&clinic, clock());
    assert_eq!(
        clients::list_clients(&ctx, &Default::default())
            .unwrap()
            .len(),
        count
    );
}

/// Copies a closed data folder (and the head record beside it) to a fresh
/// place, as someone with a copy of the disk would hold it.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What `verify` says after `sql` is run on the sealed database with its
/// key, the way a person holding the key would with `sqlite3`.
fn verify_after(original: &Path, recovery: &str, sql: &str) -> Vec<String> {
    let place = tempfile::tempdir().unwrap();
    let copy = place.path().join("clinic");
    copy_folder(original, &copy);
    let head = seal::head_path(original).unwrap();
    std::fs::copy(&head, seal::head_path(&copy).unwrap()).unwrap();
    let keyring = seal::Keyring::read(&copy).unwrap().unwrap();
    let (key, _) = keyring.unlock(seal::Unlock::Recovery(recovery)).unwrap();
    {
        let conn = rusqlite::Connection::open(copy.join("pinpoint.sqlite3")).unwrap();
        conn.pragma_update(None, "key", &*key.database_pragma())
            .unwrap();
        conn.execute_batch(sql).unwrap();
    }
    let clinic = Clinic::open(&copy).unwrap();
    let owner = accounts::sign_in(&clinic, clock(), OWNER, DEMO_PASSPHRASE).unwrap();
    let report = safety::check_data(&as_actor(&clinic, owner), true).unwrap();
    assert!(!report.ok, "nothing found after {sql}");
    report.problems
}

fn says(problems: &[String], words: &str) -> bool {
    problems.iter().any(|p| p.contains(words))
}

#[test]
fn every_change_made_by_hand_with_the_key_is_named_by_verify() {
    let place = tempfile::tempdir().unwrap();
    let data = place.path().join("clinic");
    let clinic = Clinic::open(&data).unwrap();
    safety::fill_demo(&Ctx::new(&clinic, clock())).unwrap();
    let owner = accounts::sign_in(&clinic, clock(), OWNER, DEMO_PASSPHRASE).unwrap();
    let recovery = accounts::seal_clinic(
        &as_actor(&clinic, owner.clone()),
        DEMO_PASSPHRASE,
        &mut |_| {},
    )
    .unwrap()
    .to_string();
    let clean = safety::check_data(&as_actor(&clinic, owner), true).unwrap();
    assert!(clean.ok, "{:?}", clean.problems);
    drop(clinic);
    let triggers: Vec<(String, String)> = {
        let keyring = seal::Keyring::read(&data).unwrap().unwrap();
        let (key, _) = keyring.unlock(seal::Unlock::Recovery(&recovery)).unwrap();
        let conn = rusqlite::Connection::open(data.join("pinpoint.sqlite3")).unwrap();
        conn.pragma_update(None, "key", &*key.database_pragma())
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows
    };
    // Sets the guards aside, runs `sql`, and puts them back as they were.
    let unguarded = |sql: &str| {
        let mut script = String::new();
        for (name, _) in &triggers {
            script.push_str(&format!("DROP TRIGGER {name};\n"));
        }
        script.push_str(sql);
        for (_, create) in &triggers {
            script.push_str(&format!("\n{create};"));
        }
        script
    };

    let edited = verify_after(
        &data,
        &recovery,
        &unguarded("UPDATE audit_event SET detail = '{\"by\": \"someone else\"}' WHERE seq = 5;"),
    );
    assert!(
        says(&edited, "event 5 its content does not match its hash"),
        "{edited:?}"
    );

    let truncated = verify_after(
        &data,
        &recovery,
        &unguarded("DELETE FROM audit_event WHERE seq > (SELECT MAX(seq) - 3 FROM audit_event);"),
    );
    assert!(
        says(&truncated, "event(s) were deleted") || says(&truncated, "the log was rewritten"),
        "{truncated:?}"
    );

    let dropped = verify_after(&data, &recovery, "DROP TRIGGER audit_event_no_delete;");
    assert!(
        says(&dropped, "missing or changed trigger audit_event_no_delete"),
        "{dropped:?}"
    );

    let signed = verify_after(
        &data,
        &recovery,
        "UPDATE treatment_session SET notes = 'rewritten later'
         WHERE id = (SELECT id FROM treatment_session WHERE signed_hash IS NOT NULL LIMIT 1);",
    );
    assert!(says(&signed, "changed after it was signed"), "{signed:?}");

    let photo_gone = verify_after(
        &data,
        &recovery,
        "PRAGMA foreign_keys = OFF; DELETE FROM photo WHERE id = (SELECT id FROM photo LIMIT 1);",
    );
    assert!(
        says(&photo_gone, "was deleted outside Pinpoint"),
        "{photo_gone:?}"
    );
    assert!(says(&photo_gone, "photo "), "{photo_gone:?}");
}

/// Rewrites the archive `from` into `to`, passing each entry's bytes
/// through `change` (by name).
fn rewrite_archive(from: &Path, to: &Path, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    use std::io::Read as _;
    let mut input = tar::Archive::new(std::fs::File::open(from).unwrap());
    let mut output = tar::Builder::new(std::fs::File::create(to).unwrap());
    for entry in input.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let bytes = change(&name, bytes);
        let mut header = entry.header().clone();
        header.set_size(bytes.len() as u64);
        header.set_cksum();
        output
            .append_data(&mut header, &name, bytes.as_slice())
            .unwrap();
    }
    output.finish().unwrap();
}

#[test]
fn a_sealed_backup_restores_only_with_a_key_and_only_as_it_was_made() {
    let (place, clinic) = demo_clinic();
    let owner = accounts::sign_in(&clinic, clock(), OWNER, DEMO_PASSPHRASE).unwrap();
    let recovery = accounts::seal_clinic(
        &as_actor(&clinic, owner.clone()),
        DEMO_PASSPHRASE,
        &mut |_| {},
    )
    .unwrap()
    .to_string();
    let before = snapshot(&as_actor(&clinic, owner.clone()));
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    pinpoint_core::action::unwatched("backup", |task| {
        safety::backup_to_file(&as_actor(&clinic, owner.clone()), &archive, task)
    })
    .unwrap();
    drop(clinic);
    drop(place);

    // Nothing in the archive reads as a database, a photo or a name.
    let bytes = std::fs::read(&archive).unwrap();
    assert!(!contains(&bytes, b"SQLite format 3"));
    assert!(!contains(&bytes, b"JFIF") && !contains(&bytes, b"Exif"));
    assert!(!contains(&bytes, before.0[0].as_bytes()));

    let restore = |target: &Path, unlock: Option<seal::Unlock<'_>>| {
        pinpoint_core::action::unwatched("restore", |task| {
            safety::restore(&archive, target, unlock, now(), task)
        })
    };
    // Without a key, or with a wrong one: refused, and nothing is created.
    for unlock in [
        None,
        Some(seal::Unlock::Passphrase {
            name: OWNER,
            passphrase: "not the passphrase",
        }),
        Some(seal::Unlock::Passphrase {
            name: "Nobody Here",
            passphrase: DEMO_PASSPHRASE,
        }),
        Some(seal::Unlock::Recovery(&"1".repeat(52))),
    ] {
        let target = out.path().join("refused");
        let refused = restore(&target, unlock).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::Invalid, "{refused}");
        assert!(
            !target.exists(),
            "a refused restore creates nothing: {refused}"
        );
    }

    // With the recovery key, into an empty folder on "another machine":
    // the same clinic, sealed, that the owner's passphrase opens.
    let target = out.path().join("restored");
    restore(&target, Some(seal::Unlock::Recovery(&recovery))).unwrap();
    assert!(seal::is_sealed(&target));
    let clinic = Clinic::open(&target).unwrap();
    let owner = accounts::sign_in(&clinic, clock(), OWNER, DEMO_PASSPHRASE).unwrap();
    assert_eq!(snapshot(&as_actor(&clinic, owner.clone())), before);
    let check = safety::check_data(&as_actor(&clinic, owner), true).unwrap();
    assert!(check.ok, "{:?}", check.problems);
    drop(clinic);

    // With the owner's passphrase too.
    let by_passphrase = out.path().join("by-passphrase");
    restore(
        &by_passphrase,
        Some(seal::Unlock::Passphrase {
            name: OWNER,
            passphrase: DEMO_PASSPHRASE,
        }),
    )
    .unwrap();

    // A manifest edited after the backup was made is caught by its seal.
    let edited = out.path().join("edited.tar");
    rewrite_archive(&archive, &edited, |name, bytes| {
        if name == "manifest.json" {
            String::from_utf8(bytes)
                .unwrap()
                .replace("\"app_version\": \"", "\"app_version\": \"9")
                .into_bytes()
        } else {
            bytes
        }
    });
    let target = out.path().join("from-edited");
    let refused = pinpoint_core::action::unwatched("restore", |task| {
        safety::restore(
            &edited,
            &target,
            Some(seal::Unlock::Recovery(&recovery)),
            now(),
            task,
        )
    })
    .unwrap_err();
    assert!(
        refused.to_string().contains("manifest was changed"),
        "{refused}"
    );
    assert!(!target.exists());
}

#[test]
fn lost_cached_images_are_made_again_sealed_however_many_are_asked_at_once() {
    let (place, clinic) = demo_clinic();
    let owner = accounts::sign_in(&clinic, clock(), OWNER, DEMO_PASSPHRASE).unwrap();
    accounts::seal_clinic(
        &as_actor(&clinic, owner.clone()),
        DEMO_PASSPHRASE,
        &mut |_| {},
    )
    .unwrap();
    let ctx = as_actor(&clinic, owner);
    let all: Vec<_> = clients::list_clients(&ctx, &Default::default())
        .unwrap()
        .iter()
        .flat_map(|c| photos::list_photos(&ctx, c.id).unwrap())
        .collect();
    std::fs::remove_dir_all(place.path().join("cache")).unwrap();
    // Eight windows' worth of requests at once: each waits its turn (two
    // rebuilds at a time) and every one gets its picture.
    std::thread::scope(|scope| {
        for worker in 0..8 {
            let (ctx, all) = (&ctx, &all);
            scope.spawn(move || {
                for photo in all.iter().skip(worker % 3) {
                    let thumb = photos::photo_file(ctx, photo.id, PhotoSize::Thumb).unwrap();
                    assert!(thumb.bytes.starts_with(&[0xff, 0xd8]), "a JPEG");
                }
            });
        }
    });
    let mut files = Vec::new();
    files_under(&place.path().join("cache"), &mut files);
    assert_eq!(
        files.len(),
        all.len() * 2,
        "each photo's thumbnail and preview, once"
    );
    for file in &files {
        assert!(
            seal::is_sealed_file(&std::fs::read(file).unwrap()),
            "{}",
            file.display()
        );
    }
}
