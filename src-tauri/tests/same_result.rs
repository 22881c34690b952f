//! The window and the command line are two doors to the same actions: the
//! same input gives the same record, and the same refusal in the same
//! words. The window's commands run here on Tauri's mock runtime, exactly
//! as the page calls them; the command line is the real binary.

use std::path::Path;

use pinpoint_core::action::Clinic;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;

use crate::helpers::*;

/// The app on a data folder, with its commands reachable as the page
/// reaches them.
struct Window {
    webview: tauri::WebviewWindow<MockRuntime>,
    _app: tauri::App<MockRuntime>,
}

impl Window {
    fn open(data_dir: &Path) -> Window {
        let clinic = Clinic::open(data_dir).expect("a new data folder");
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
        Window { webview, _app: app }
    }

    /// The command's answer, or the error the page would receive.
    fn invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request)
            .map(|body| body.deserialize::<Value>().expect("JSON"))
    }

    fn ok(&self, command: &str, args: Value) -> Value {
        self.invoke(command, args)
            .unwrap_or_else(|e| panic!("{command} failed: {e}"))
    }
}

/// `value` without what differs between two folders by nature: ids and
/// the moments records were written.
fn comparable(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| {
                    !(k.as_str() == "id"
                        || k.ends_with("_id")
                        || k.ends_with("_by")
                        || matches!(k.as_str(), "created_at" | "updated_at"))
                })
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(comparable).collect()),
        other => other.clone(),
    }
}

#[test]
fn a_client_added_in_the_window_and_on_the_command_line_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let window = Window::open(&dir.path().join("window"));
    let in_window = window.ok(
        "create_client",
        json!({ "input": {
            "name": "  Hannah   Müller ",
            "date_of_birth": "1990-04-12",
            "phone": "+49 30 1234567",
            "email": "hannah@example.de",
            "fitzpatrick": 2,
            "glogau": null,
            "indications": ["acne_scars"],
            "alerts": "",
            "notes": "",
        }}),
    );
    let on_cli = json(&pinpoint(
        &dir.path().join("cli"),
        &[
            "client",
            "add",
            "--name",
            "  Hannah   Müller ",
            "--dob",
            "1990-04-12",
            "--phone",
            "+49 30 1234567",
            "--email",
            "hannah@example.de",
            "--fitzpatrick",
            "II",
            "--indication",
            "acne-scars",
            "--json",
        ],
    ));
    assert_eq!(
        in_window["name"], "Hannah Müller",
        "the name is tidied once, in core"
    );
    assert_eq!(
        comparable(&in_window),
        comparable(&on_cli),
        "the same client, whichever door it came in by"
    );
}

#[test]
fn a_refusal_says_the_same_in_the_window_and_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let window = Window::open(&dir.path().join("window"));
    for (field, value, flag) in [
        ("name", json!(""), "--name"),
        ("date_of_birth", json!("2999-01-01"), "--dob"),
        ("email", json!("nobody@"), "--email"),
    ] {
        let mut input = json!({
            "name": "Ana Sousa", "date_of_birth": null, "phone": null, "email": null,
            "fitzpatrick": null, "glogau": null, "indications": [], "alerts": "", "notes": "",
        });
        input[field] = value.clone();
        let refused_in_window = window
            .invoke("create_client", json!({ "input": input }))
            .expect_err("the window refuses it");
        assert_eq!(refused_in_window["kind"], "invalid", "{field}");
        assert_eq!(
            refused_in_window["field"], field,
            "the form can show it in place"
        );
        let mut args = vec!["client", "add"];
        let text = value.as_str().unwrap();
        if field != "name" {
            args.extend(["--name", "Ana Sousa"]);
        }
        args.extend([flag, text]);
        let cli_folder = dir.path().join(format!("cli-{field}"));
        let on_cli = pinpoint(&cli_folder, &args);
        refused(&on_cli, refused_in_window["message"].as_str().unwrap());
        assert!(
            !cli_folder.exists(),
            "a refused client add leaves no folder"
        );
    }
}

#[test]
fn a_session_recorded_through_either_door_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let cli = dir.path().join("cli");
    let ok = |args: &[&str]| {
        let mut args = args.to_vec();
        args.push("--json");
        json(&pinpoint(&cli, &args))
    };
    ok(&["catalogue", "add-practitioner", "--name", "Maya Lewis"]);
    let client = ok(&["client", "add", "--name", "Olivia Bennett"]);
    let client = client["id"].as_str().unwrap();
    ok(&["screening", "add", "--client", client, "--on", "2026-11-01"]);
    ok(&[
        "consent",
        "add",
        "--client",
        client,
        "--kind",
        "treatment",
        "--signature",
        "O. Bennett",
        "--on",
        "2026-11-01",
    ]);
    let on_cli = ok(&[
        "session",
        "add",
        "--client",
        client,
        "--practitioner",
        "Maya Lewis",
        "--at",
        "2026-11-20T10:00:00+01:00",
        "--zone",
        "cheeks:1.25:3:vertical stamping",
        "--zone",
        "forehead:0.9",
        "--pain",
        "3",
        "--endpoint",
        "erythema",
        "--proceed-reason",
        "client informed; thicker skin",
    ]);

    let window = Window::open(&dir.path().join("window"));
    let practitioner = window.ok(
        "add_practitioner",
        json!({ "name": "Maya Lewis", "credentials": "" }),
    );
    let added = window.ok(
        "create_client",
        json!({ "input": {
            "name": "Olivia Bennett", "date_of_birth": null, "phone": null, "email": null,
            "fitzpatrick": null, "glogau": null, "indications": [], "alerts": "", "notes": "",
        }}),
    );
    window.ok(
        "add_screening",
        json!({ "clientId": added["id"], "takenOn": "2026-11-01", "answers": [] }),
    );
    window.ok(
        "add_consent",
        json!({ "clientId": added["id"], "kind": "treatment", "givenOn": "2026-11-01",
                "signature": "O. Bennett" }),
    );
    let draft = json!({
        "client_id": added["id"], "practitioner_id": practitioner["id"],
        "started_at": "2026-11-20T10:00:00+01:00", "plan_id": null, "device_id": null,
        "cartridge": null, "anaesthetic": null,
        "zones": [
            { "zone": "cheeks", "depth_mm": 1.25, "passes": 3, "technique": "vertical stamping" },
            { "zone": "forehead", "depth_mm": 0.9, "passes": 1, "technique": "" },
        ],
        "products": [], "endpoint": "erythema", "pain": 3, "immediate_reaction": "",
        "adverse_events": "", "aftercare": "", "notes": "",
    });
    let warnings = window.ok(
        "preview_session",
        json!({ "draft": draft, "editing": null }),
    );
    let rules: Vec<&str> = warnings
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["depth_outside_guide"],
        "0.9 mm is deep for a forehead"
    );
    let refused_in_window = window
        .invoke("create_session", json!({ "draft": draft, "overrides": [] }))
        .expect_err("a warning without a reason is refused");
    assert_eq!(refused_in_window["field"], "warnings");
    let overrides: Vec<Value> = warnings
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            json!({ "rule": w["rule"], "subject": w["subject"],
                    "reason": "client informed; thicker skin" })
        })
        .collect();
    let in_window = window.ok(
        "create_session",
        json!({ "draft": draft, "overrides": overrides }),
    );
    assert_eq!(
        comparable(&in_window),
        comparable(&on_cli),
        "the same session, its warnings and reasons, whichever door it came in by"
    );
}
