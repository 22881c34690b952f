//! Photos in clinic mode, on real servers of the test's own (a throwaway
//! PostgreSQL and Garage, whatever engine the rest of the run uses): a
//! photo imported in one room reaches the other through the clinic's
//! bucket, which only ever holds sealed bytes under names that do not give
//! the photo away; an import while the bucket is away adds nothing and
//! succeeds once it is back; a three-node cluster keeping every photo three
//! times loses nothing when one node restarts.

use std::path::{Path, PathBuf};

use pinpoint_core::bucket::local::LocalGarage;
use pinpoint_core::db::local::LocalPostgres;
use pinpoint_core::db::PgConn;
use pinpoint_core::ids::{ClientId, PhotoId};
use pinpoint_core::photo::{
    self, render, ImportResult, Photo, PhotoKind, PhotoPose, PhotoSize, PhotoTags,
};
use pinpoint_core::{ErrorKind, SharedStore, Store};

use crate::{contains, files_under, now, today};

/// A clinic: records on `server`, photos in `garage`.
struct Clinic {
    folder: tempfile::TempDir,
    _server_folder: tempfile::TempDir,
    server: LocalPostgres,
    garage: LocalGarage,
    client: ClientId,
}

fn clinic(nodes: usize) -> Clinic {
    let (server_folder, server) = crate::db::server();
    let folder = tempfile::tempdir().unwrap();
    let garage = LocalGarage::start(&folder.path().join("garage"), nodes)
        .expect("start a throwaway Garage (`cargo install garage`, as .ci/setup does)");
    let mut clinic = Clinic {
        folder,
        _server_folder: server_folder,
        server,
        garage,
        client: ClientId::new(),
    };
    let room = clinic.room("room-1");
    let input = pinpoint_core::client::ClientInput {
        name: "Ines Duarte".to_owned(),
        ..Default::default()
    };
    clinic.client = room
        .lock()
        .unwrap()
        .write(|tx| pinpoint_core::client::create(tx, ClientId::new(), &input, today(), now()))
        .unwrap()
        .id;
    clinic
}

impl Clinic {
    /// A desktop of the clinic, with a data folder (its photo cache) of
    /// its own.
    fn room(&self, name: &str) -> SharedStore {
        let pg = PgConn::connect(&self.server.params()).expect("connect to the clinic server");
        let bucket = self.garage.bucket().expect("the clinic's bucket");
        let store = Store::open_clinic_with(&self.folder.path().join(name), pg, Some(bucket))
            .expect("open clinic mode");
        SharedStore::new(Some(store))
    }

    fn data(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// A JPEG of its own (`seed` changes every pixel), as a file.
    fn jpeg(&self, seed: u8) -> (PathBuf, Vec<u8>) {
        let (w, h) = (640usize, 480usize);
        let mut rgb = vec![0u8; w * h * 3];
        for (i, px) in rgb.chunks_mut(3).enumerate() {
            let (x, y) = (i % w, i / w);
            px.copy_from_slice(&[
                (x as u8).wrapping_add(seed),
                (y as u8).wrapping_mul(3),
                seed.wrapping_mul(37),
            ]);
        }
        let bytes = render::encode_rgb_jpeg(&rgb, w as u32, h as u32).unwrap();
        let folder = self.folder.path().join("camera");
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(format!("IMG_{seed:04}.jpg"));
        std::fs::write(&path, &bytes).unwrap();
        (path, bytes)
    }

    fn import(&self, room: &SharedStore, files: &[PathBuf]) -> Vec<ImportResult> {
        let tags = PhotoTags {
            session_id: None,
            follow_up_id: None,
            kind: PhotoKind::Before,
            zone: "cheeks".to_owned(),
            pose: PhotoPose::Front,
            custom_pose: None,
        };
        photo::import_files(
            room,
            self.client,
            &tags,
            files,
            &crate::written(),
            &mut PhotoId::new,
            &mut |_| true,
        )
        .expect("the request is valid")
    }

    fn photos(&self, room: &SharedStore) -> Vec<Photo> {
        photo::list(room.lock().unwrap().db(), self.client).unwrap()
    }
}

fn imported(result: &ImportResult) -> Photo {
    match (&result.photo, &result.refused) {
        (Some(photo), None) => photo.clone(),
        _ => panic!("{} was not imported: {:?}", result.file, result.refused),
    }
}

/// Every file of the Garage cluster's own folders (data and metadata).
fn stored_files(garage_dir: &Path) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    files_under(garage_dir, &mut files);
    files
        .into_iter()
        .filter(|p| p.extension().is_none_or(|e| e != "log"))
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

#[test]
fn a_photo_reaches_the_other_room_sealed_and_under_a_name_that_hides_it() {
    let clinic = clinic(1);
    let one = clinic.room("room-1");
    let (file, original) = clinic.jpeg(7);
    let photo = imported(&clinic.import(&one, &[file])[0]);

    // The bucket never saw the photo: no run of its bytes, not its hash.
    let stored = stored_files(&clinic.folder.path().join("garage"));
    assert!(
        stored.iter().map(Vec::len).sum::<usize>() > original.len(),
        "it was stored"
    );
    for (i, piece) in original.chunks(4096).enumerate().skip(1).take(8) {
        let probe = &piece[..64];
        assert!(
            !stored.iter().any(|f| contains(f, probe)),
            "piece {i} of the photo is in the bucket in the clear"
        );
    }
    assert!(
        !stored.iter().any(|f| contains(f, photo.sha256.as_bytes())),
        "the bucket knows the photo's hash"
    );

    // Room two has never seen it: it comes from the bucket, whole.
    let two = clinic.room("room-2");
    let seen = clinic.photos(&two);
    assert_eq!(seen.len(), 1);
    let data_two = clinic.data("room-2");
    let back = photo::read(&data_two, &seen[0], PhotoSize::Original).unwrap();
    assert_eq!(back.bytes, original, "the same original");
    let preview = photo::read(&data_two, &seen[0], PhotoSize::Preview).unwrap();
    assert!(preview.bytes.starts_with(&[0xFF, 0xD8]), "a JPEG preview");

    // What room two keeps is sealed too.
    let mut cached = Vec::new();
    files_under(&data_two.join(photo::PHOTOS_DIR), &mut cached);
    assert_eq!(cached.len(), 1, "{cached:?}");
    let kept = std::fs::read(&cached[0]).unwrap();
    assert!(pinpoint_core::seal::is_sealed_file(&kept));
    assert!(!contains(&kept, &original[4096..4160]));

    // A photo file changed in room two's cache is never shown: the
    // clinic's copy replaces it.
    let mut tampered = kept.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 1;
    std::fs::write(&cached[0], &tampered).unwrap();
    let healed = photo::read(&data_two, &seen[0], PhotoSize::Original).unwrap();
    assert_eq!(healed.bytes, original);
    // Gone from the cache, it comes back from the bucket as it was.
    std::fs::remove_file(&cached[0]).unwrap();
    let again = photo::read(&data_two, &seen[0], PhotoSize::Original).unwrap();
    assert_eq!(again.bytes, original);

    // The full check reads every original from the bucket.
    let report = photo::verify(two.lock().unwrap().db(), &data_two).unwrap();
    assert!(report.ok(), "{report:?}");

    // An original the bucket lost (and room two has not cached) is
    // reported missing by the quick check, and unreadable as damaged
    // nowhere: it is not found.
    let relative = photo::original_relative(&photo.sha256, photo.format);
    let name = photo::remote::object_name(&data_two, &relative).unwrap();
    clinic.garage.bucket().unwrap().delete(&name).unwrap();
    std::fs::remove_file(&cached[0]).unwrap();
    let report = photo::verify::verify_quick(two.lock().unwrap().db(), &data_two).unwrap();
    assert_eq!(report.problems.len(), 1, "{report:?}");
    assert!(report.problems[0].reason.contains("missing"), "{report:?}");
    let lost = photo::read(&data_two, &seen[0], PhotoSize::Original).unwrap_err();
    assert_eq!(lost.kind(), ErrorKind::NotFound, "{lost}");
    drop(two);

    // A wrong secret is refused when the desktop opens, by field.
    let mut wrong = clinic.garage.photo_bucket();
    wrong.access_key = "GK000000000000000000000000".to_owned();
    let bucket = pinpoint_core::bucket::Bucket::new(&wrong, "0".repeat(64).as_str(), None).unwrap();
    let pg = PgConn::connect(&clinic.server.params()).unwrap();
    let refused = Store::open_clinic_with(&clinic.data("room-3"), pg, Some(bucket)).unwrap_err();
    assert!(refused.to_string().contains("refused the key"), "{refused}");
}

#[test]
fn an_import_while_the_bucket_is_away_adds_nothing_and_works_once_it_is_back() {
    let clinic = clinic(1);
    let one = clinic.room("room-1");
    let (file, original) = clinic.jpeg(21);

    clinic.garage.kill_node(0).unwrap();
    let results = clinic.import(&one, std::slice::from_ref(&file));
    let refusal = results[0]
        .refused
        .as_ref()
        .expect("refused while the store is away");
    assert!(
        refusal.message.contains("photo store") && refusal.message.contains("cannot be reached"),
        "{}",
        refusal.message
    );
    assert!(
        clinic.photos(&one).is_empty(),
        "no row for a photo not stored"
    );
    let mut left = Vec::new();
    files_under(&clinic.data("room-1").join(photo::PHOTOS_DIR), &mut left);
    assert!(
        left.iter()
            .all(|p| p.ends_with(".importing") || !p.is_file()),
        "{left:?}"
    );

    clinic.garage.restart_node(0).unwrap();
    let photo = imported(&clinic.import(&one, &[file])[0]);
    let two = clinic.room("room-2");
    let back = photo::read(&clinic.data("room-2"), &photo, PhotoSize::Original).unwrap();
    assert_eq!(back.bytes, original);
    assert_eq!(clinic.photos(&two).len(), 1);
}

#[test]
fn three_nodes_keeping_three_copies_lose_nothing_when_one_restarts() {
    let clinic = clinic(3);
    let one = clinic.room("room-1");
    let mut originals = Vec::new();
    let mut files = Vec::new();
    for seed in 0..8u8 {
        let (file, bytes) = clinic.jpeg(seed * 11 + 1);
        files.push(file);
        originals.push(bytes);
    }
    for result in clinic.import(&one, &files[..4]) {
        imported(&result);
    }
    // Node 2 goes down: the photos still go to the other two.
    clinic.garage.kill_node(2).unwrap();
    for result in clinic.import(&one, &files[4..]) {
        imported(&result);
    }
    clinic.garage.restart_node(2).unwrap();
    // Then node 1: a room that has none of them cached reads every one.
    clinic.garage.kill_node(1).unwrap();
    let two = clinic.room("room-2");
    let photos = clinic.photos(&two);
    assert_eq!(photos.len(), 8);
    for photo in &photos {
        let back = photo::read(&clinic.data("room-2"), photo, PhotoSize::Original).unwrap();
        assert!(
            originals.contains(&back.bytes),
            "photo {} came back whole",
            photo.id
        );
    }
    clinic.garage.restart_node(1).unwrap();
}

#[test]
fn a_clinic_backup_restored_and_moved_into_a_new_database_opens_the_bucket_photos() {
    let clinic = clinic(1);
    let one = clinic.room("room-1");
    let (file, original) = clinic.jpeg(42);
    imported(&clinic.import(&one, &[file])[0]);

    // The backup: the records at one moment, the photo key among them; the
    // photos stay in the bucket.
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("clinic.tar");
    let summary =
        pinpoint_core::backup::create(&*one.lock().unwrap(), &archive, "test", now(), &mut |_| {
            true
        })
        .unwrap();
    assert_eq!(summary.parts, 1, "the records alone");
    drop(one);

    // The server is lost; a new, empty database, and the backup moved in.
    let restored = out.path().join("restored");
    pinpoint_core::backup::restore(&archive, &restored, &mut |_| true).unwrap();
    let admin = PgConn::connect(&clinic.server.params_for("postgres")).unwrap();
    admin.db().execute_batch("CREATE DATABASE rebuilt").unwrap();
    let from = Store::open(&restored).unwrap();
    let pg = PgConn::connect(&clinic.server.params_for("rebuilt")).unwrap();
    let mut to = Store::open_clinic_with(
        &clinic.data("mover"),
        pg,
        Some(clinic.garage.bucket().unwrap()),
    )
    .unwrap();
    let moved = pinpoint_core::db::migrate::into_clinic(&from, &mut to, &mut |_, _| {}).unwrap();
    assert_eq!(moved.photos, 0, "nothing to send: the bucket has them");
    drop((from, to));

    // A room on the rebuilt database opens the photo from the bucket.
    let pg = PgConn::connect(&clinic.server.params_for("rebuilt")).unwrap();
    let store = Store::open_clinic_with(
        &clinic.data("room-9"),
        pg,
        Some(clinic.garage.bucket().unwrap()),
    )
    .unwrap();
    let photos = photo::list(store.db(), clinic.client).unwrap();
    assert_eq!(photos.len(), 1);
    let back = photo::read(&clinic.data("room-9"), &photos[0], PhotoSize::Original).unwrap();
    assert_eq!(
        back.bytes, original,
        "the same photo, opened with the restored key"
    );
}

#[test]
fn an_object_no_row_names_leaves_the_bucket_once_a_day_old_and_no_photo_with_it() {
    use chrono::FixedOffset;
    use pinpoint_core::action::{safety, Clinic as Desktop, Clock, Ctx};

    let clinic = clinic(1);
    let one = clinic.room("room-1");
    let (file, original) = clinic.jpeg(77);
    let photo = imported(&clinic.import(&one, &[file])[0]);
    drop(one);
    // What an import cut short between its upload and its row leaves.
    let bucket = clinic.garage.bucket().unwrap();
    let stray = format!("p/{}", "0".repeat(64));
    bucket
        .put(&stray, b"sealed bytes of a photo never added")
        .unwrap();

    let pg = PgConn::connect(&clinic.server.params()).unwrap();
    let desk = Desktop::new(
        Store::open_clinic_with(
            &clinic.data("room-2"),
            pg,
            Some(clinic.garage.bucket().unwrap()),
        )
        .unwrap(),
    );
    // The bucket dates its objects by the real clock.
    let at = |days: i64| {
        Clock::at(
            chrono::Utc::now() + chrono::Duration::days(days),
            FixedOffset::east_opt(0).unwrap(),
        )
    };
    // Today's: maybe an import still running on another desktop; kept.
    let swept = safety::sweep_orphans(&Ctx::new(&desk, at(0))).unwrap();
    assert!(swept.is_empty(), "{swept:?}");
    assert!(bucket.exists(&stray).unwrap());
    // Two days on, it goes; the photo stays.
    let swept = safety::sweep_orphans(&Ctx::new(&desk, at(2))).unwrap();
    assert_eq!(swept, [format!("bucket: {stray}")]);
    assert!(!bucket.exists(&stray).unwrap());
    let back = photo::read(&clinic.data("room-2"), &photo, PhotoSize::Original).unwrap();
    assert_eq!(back.bytes, original);
    // The quick check lists the bucket once and finds every original.
    std::fs::remove_dir_all(clinic.data("room-2").join(photo::PHOTOS_DIR)).unwrap();
    let report = safety::check_data(&Ctx::new(&desk, at(2)), false).unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.photos.photos, 1);
}
