//! Clinic mode on the command line: `--clinic FILE` (or `$PINPOINT_CLINIC`)
//! puts the records on the clinic's PostgreSQL server, shared by every
//! desktop; a missing or bad connection file, or a bad password file, is a
//! user error naming it.

use std::path::{Path, PathBuf};

use pinpoint_core::bucket::local::LocalGarage;
use pinpoint_core::db::local::{Durability, LocalPostgres};

use crate::helpers::{command, import_args, json, refused, secrets, stdout};

/// A connection file for the local server `port` (no TLS: it is on this
/// computer) and the photo store `garage` (a placeholder bucket without
/// one), and the file holding the bucket's secret.
fn connection_file(dir: &Path, port: u16, garage: Option<&LocalGarage>) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("clinic.json");
    let (endpoint, access_key, secret) = match garage {
        Some(g) => {
            let bucket = g.photo_bucket();
            (
                bucket.endpoint,
                bucket.access_key,
                g.secret_key().to_owned(),
            )
        }
        None => (
            "http://127.0.0.1:3900".to_owned(),
            "test".to_owned(),
            "secret".to_owned(),
        ),
    };
    let text = format!(
        r#"{{ "server": "127.0.0.1", "port": {port}, "database": "pinpoint", "user": "pinpoint",
             "tls": "off",
             "photos": {{ "endpoint": "{endpoint}", "bucket": "pinpoint-photos",
                          "access_key": "{access_key}" }} }}"#
    );
    std::fs::write(&path, text).unwrap();
    let secret_file = dir.join("photo-secret");
    std::fs::write(&secret_file, format!("{secret}\n")).unwrap();
    std::fs::set_permissions(&secret_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    (path, secret_file)
}

/// A small JPEG of one `shade` written to `dir/name`: its path and bytes.
fn jpeg_file(dir: &Path, name: &str, shade: u8) -> (PathBuf, Vec<u8>) {
    let jpeg =
        pinpoint_core::photo::render::encode_rgb_jpeg(&[shade; 64 * 48 * 3], 64, 48).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, &jpeg).unwrap();
    (path, jpeg)
}

/// The bytes `photo export` wrote to `file`, once it succeeded.
fn exported(out: &std::process::Output, file: &Path) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(file).unwrap()
}

/// A throwaway Garage for a test, in `dir`.
fn garage(dir: &Path) -> LocalGarage {
    LocalGarage::start(&dir.join("garage"), 1)
        .expect("start a throwaway Garage (`cargo install garage`, as .ci/setup does)")
}

#[test]
fn a_missing_connection_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("room-1");
    let missing = dir.path().join("missing.json");
    let out = command(&data)
        .arg("--clinic")
        .arg(&missing)
        .args(["client", "list"])
        .output()
        .unwrap();
    refused(
        &out,
        &format!("cannot open the clinic connection {}", missing.display()),
    );
    assert!(
        !data.exists(),
        "nothing is made before the connection is read"
    );

    // The same from the environment, for the window as for every command.
    let out = command(&data)
        .env("PINPOINT_CLINIC", &missing)
        .args(["client", "list"])
        .output()
        .unwrap();
    refused(&out, "missing.json");
}

#[test]
fn a_bad_connection_or_password_file_is_refused_before_anything_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("room-1");
    let open = dir.path().join("open.json");
    std::fs::write(
        &open,
        r#"{ "server": "records.clinic.lan", "database": "pinpoint", "user": "room1", "tls": "off",
             "photos": { "endpoint": "https://photos.clinic.lan", "bucket": "pinpoint-photos",
                         "access_key": "k" } }"#,
    )
    .unwrap();
    let out = command(&data)
        .arg("--clinic")
        .arg(&open)
        .args(["client", "list"])
        .output()
        .unwrap();
    refused(&out, "TLS may be off only for a server on this computer");

    let (good, _) = connection_file(dir.path(), 5432, None);
    let password = dir.path().join("password");
    std::fs::write(&password, "x".repeat(5000)).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = command(&data)
        .arg("--clinic")
        .arg(&good)
        .env("PINPOINT_CLINIC_PASSWORD_FILE", &password)
        .args(["client", "list"])
        .output()
        .unwrap();
    refused(&out, "$PINPOINT_CLINIC_PASSWORD_FILE");
    assert!(
        !data.exists(),
        "nothing is made before the password is read"
    );

    // Without the photo bucket's secret, clinic mode does not open.
    let out = command(&data)
        .arg("--clinic")
        .arg(&good)
        .args(["client", "list"])
        .output()
        .unwrap();
    refused(&out, "PINPOINT_CLINIC_PHOTO_SECRET_FILE");
    assert!(!data.exists(), "nothing is made without it");
}

#[test]
fn two_desktops_share_one_clinic_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = LocalPostgres::start(&dir.path().join("server"), Durability::Throwaway)
        .expect("start a throwaway PostgreSQL (Debian's postgresql package)");
    let photos = garage(dir.path());
    let (clinic, photo_secret) = connection_file(dir.path(), server.port(), Some(&photos));
    let (one, two) = (dir.path().join("room-1"), dir.path().join("room-2"));
    let on = |room: &Path, args: &[&str]| {
        command(room)
            .arg("--clinic")
            .arg(&clinic)
            .env("PINPOINT_CLINIC_PHOTO_SECRET_FILE", &photo_secret)
            .args(args)
            .output()
            .unwrap()
    };

    let added = json(&on(
        &one,
        &["--json", "client", "add", "--name", "Ana Sousa"],
    ));
    let listed = json(&on(&two, &["--json", "client", "list"]));
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ana Sousa"], "room 2 sees what room 1 added");
    let id = added["id"].as_str().unwrap();
    let shown = on(&two, &["client", "show", id]);
    assert!(stdout(&shown).contains("Ana Sousa"), "{}", stdout(&shown));

    // A photo imported in room 1 is exported, the same bytes, in room 2.
    let (photo, jpeg) = jpeg_file(dir.path(), "IMG_0001.jpg", 90);
    let imported = json(&on(&one, &import_args(id, [photo.to_str().unwrap()])));
    let photo_id = imported[0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("imported: {imported}"));
    let out_file = dir.path().join("exported.jpg");
    let out = on(
        &two,
        &[
            "photo",
            "export",
            photo_id,
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert_eq!(
        exported(&out, &out_file),
        jpeg,
        "room 2 got it from the bucket"
    );
    assert!(
        !one.join("pinpoint.sqlite3").exists(),
        "in clinic mode the records are on the server, not in the desktop's folder"
    );

    let out = on(&two, &["restore", "backup.pinpoint-backup"]);
    refused(&out, "not a clinic server");

    // The clinic's first owner, made from room 2: the accounts are the
    // server's, and no desktop's folder is sealed.
    let (passphrase, pin) = secrets();
    let as_owner = |room: &Path, args: &[&str]| {
        command(room)
            .arg("--clinic")
            .arg(&clinic)
            .env("PINPOINT_CLINIC_PHOTO_SECRET_FILE", &photo_secret)
            .env("PINPOINT_PASSPHRASE_FILE", &passphrase)
            .env("PINPOINT_PIN_FILE", &pin)
            .args(args)
            .output()
            .unwrap()
    };
    let set_up = json(&as_owner(
        &two,
        &[
            "--json",
            "setup",
            "--clinic",
            "Harbour Skin",
            "--owner",
            "Dr Test",
        ],
    ));
    assert_eq!(
        set_up["recovery_key"],
        serde_json::Value::Null,
        "nothing sealed"
    );
    assert!(
        !two.join("pinpoint.keys").exists(),
        "the desktop's folder is not sealed"
    );
    let out = on(&one, &["client", "list"]);
    refused(&out, "this clinic has accounts");
    let listed = json(&as_owner(
        &one,
        &["--user", "Dr Test", "--json", "client", "list"],
    ));
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "room 1 signs in with the server's account"
    );
    let out = as_owner(&one, &["--user", "Dr Test", "seal"]);
    refused(
        &out,
        "in clinic mode (--clinic) the records are on the clinic's server",
    );
}

/// The window's commands run on an async runtime's workers; the clinic
/// server's client must work from there too (it drives a runtime of its
/// own). Regression: every command in clinic mode panicked with "Cannot
/// start a runtime from within a runtime".
#[test]
fn the_windows_commands_reach_the_clinic_server() {
    use serde_json::json;
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets};
    use tauri::webview::InvokeRequest;

    let dir = tempfile::tempdir().unwrap();
    let server = LocalPostgres::start(&dir.path().join("server"), Durability::Throwaway)
        .expect("start a throwaway PostgreSQL (Debian's postgresql package)");
    let photos = garage(dir.path());
    let (file, _) = connection_file(dir.path(), server.port(), Some(&photos));
    let connection = pinpoint_core::db::connection::ClinicConnection::read(&file).unwrap();
    let clinic = pinpoint_core::action::Clinic::open_clinic(
        &dir.path().join("room-1"),
        &connection,
        None,
        photos.secret_key(),
    )
    .expect("clinic mode");
    let app = mock_builder()
        .manage(pinpoint_app::state_for_tests(
            clinic,
            pinpoint_core::action::Actor::Workstation,
        ))
        .invoke_handler(pinpoint_app::state_commands_for_tests())
        .build(mock_context(noop_assets()))
        .expect("the mock app");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("a window");
    let invoke = |command: &str, args: serde_json::Value| {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        };
        get_ipc_response(&webview, request)
            .map(|body| body.deserialize::<serde_json::Value>().unwrap())
    };
    let input = json!({ "name": "Ana Sousa", "date_of_birth": null, "phone": null, "email": null,
        "fitzpatrick": null, "glogau": null, "indications": [], "alerts": "", "notes": "" });
    let created = invoke("create_client", json!({ "input": input })).expect("create_client");
    let id = created["id"].clone();
    let read = invoke("get_client", json!({ "id": id })).expect("get_client");
    assert_eq!(
        read["name"], "Ana Sousa",
        "the window's command read it back from the server"
    );
}

/// `pinpoint clinic migrate`: a single desktop's folder moves onto the
/// clinic's servers, photos included, and the clinic's desktops see it.
#[test]
fn a_data_folder_moves_into_an_empty_clinic() {
    let dir = tempfile::tempdir().unwrap();
    let server = LocalPostgres::start(&dir.path().join("server"), Durability::Throwaway)
        .expect("start a throwaway PostgreSQL (Debian's postgresql package)");
    let photos = garage(dir.path());
    let (clinic, photo_secret) = connection_file(dir.path(), server.port(), Some(&photos));
    let alone = dir.path().join("single-desktop");
    let added = json(
        &command(&alone)
            .args(["--json", "client", "add", "--name", "Ana Sousa"])
            .output()
            .unwrap(),
    );
    let id = added["id"].as_str().unwrap();
    let (photo, jpeg) = jpeg_file(dir.path(), "IMG_0002.jpg", 140);
    let imported = json(
        &command(&alone)
            .args(import_args(id, [photo.to_str().unwrap()]))
            .output()
            .unwrap(),
    );
    let photo_id = imported[0]["id"].as_str().unwrap().to_owned();

    let migrate = || {
        command(&dir.path().join("elsewhere"))
            .env("PINPOINT_CLINIC_PHOTO_SECRET_FILE", &photo_secret)
            .args(["--json", "clinic", "migrate", "--from"])
            .arg(&alone)
            .arg("--to")
            .arg(&clinic)
            .output()
            .unwrap()
    };
    let moved = json(&migrate());
    assert_eq!(moved["photos"], 1, "{moved}");
    assert!(moved["events"].as_u64().unwrap() >= 2, "{moved}");

    let room = dir.path().join("room-1");
    let on = |args: &[&str]| {
        command(&room)
            .arg("--clinic")
            .arg(&clinic)
            .env("PINPOINT_CLINIC_PHOTO_SECRET_FILE", &photo_secret)
            .args(args)
            .output()
            .unwrap()
    };
    let shown = on(&["client", "show", id]);
    assert!(stdout(&shown).contains("Ana Sousa"), "{}", stdout(&shown));
    let out_file = dir.path().join("back.jpg");
    let out = on(&[
        "photo",
        "export",
        &photo_id,
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(
        exported(&out, &out_file),
        jpeg,
        "the photo came through the bucket"
    );
    let verified = on(&["verify"]);
    assert!(verified.status.success(), "{}", stdout(&verified));

    // The clinic holds records now: a second move is refused, nothing changed.
    refused(&migrate(), "already holds records");
    // The folder itself is left as it was.
    assert!(alone.join("pinpoint.sqlite3").is_file());
}
