//! Phone capture against the real binary: `pinpoint photo capture` opens
//! the HTTPS server for a client's session, and curl plays the phone:
//! pairing by the QR code's URL (once), the plan and its guides, uploads
//! that land in that client's session (aligned onto the baseline), bad
//! files and bodies refused, and nothing reachable without the pairing.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::helpers::{command, json, pinpoint};

/// A running `pinpoint photo capture` and what it printed on opening.
struct Open {
    child: Child,
    url: String,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Open {
    fn start(data: &Path, client: &str, session: &str) -> Open {
        let mut child = command(data)
            .args(["photo", "capture", "--client", client, "--session", session])
            .env("PINPOINT_CAPTURE_HOST", "127.0.0.1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let (send, lines) = std::sync::mpsc::channel();
        let out = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut url = None;
        while url.is_none() {
            let line = lines
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the capture prints its address");
            url = line.strip_prefix("open on the phone: ").map(str::to_owned);
        }
        Open {
            child,
            url: url.unwrap(),
            lines,
        }
    }

    fn base(&self) -> String {
        self.url.split("/pair/").next().unwrap().to_owned()
    }

    /// Closes standard input: the capture closes and the command ends.
    fn close(mut self) -> Vec<String> {
        drop(self.child.stdin.take());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
        self.lines.try_iter().collect()
    }
}

/// What curl got: the status and the body.
fn curl(jar: &Path, args: &[&str]) -> (u16, Vec<u8>) {
    let out = Command::new("curl")
        .args(["--silent", "--insecure", "--max-time", "60"])
        .arg("--cookie")
        .arg(jar)
        .arg("--cookie-jar")
        .arg(jar)
        .args(["--write-out", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs");
    let mut body = out.stdout;
    let split = body.iter().rposition(|&b| b == b'\n').expect("a status");
    let status = String::from_utf8_lossy(&body[split + 1..])
        .parse()
        .unwrap_or(0);
    body.truncate(split);
    (status, body)
}

fn as_json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

#[test]
fn a_phone_pairs_once_and_its_photos_land_in_the_session_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    json(&pinpoint(&data, &["demo", "--json"]));
    // A client with a session, and a "before" of the front view in it.
    let clients = json(&pinpoint(&data, &["client", "list", "--json"]));
    let (client, before, other_client) = {
        let all = clients.as_array().unwrap();
        let with_front = all
            .iter()
            .find_map(|c| {
                let id = c["id"].as_str().unwrap().to_owned();
                let photos = json(&pinpoint(
                    &data,
                    &["photo", "list", "--client", &id, "--json"],
                ));
                let before = photos.as_array().unwrap().iter().find(|p| {
                    p["kind"] == "before" && p["pose"] == "front" && p["session_id"].is_string()
                })?;
                Some((id, before.clone()))
            })
            .expect("a demo client with a front photo before treatment");
        let other = all
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .find(|id| *id != with_front.0)
            .unwrap();
        (with_front.0, with_front.1, other)
    };
    let session = before["session_id"].as_str().unwrap().to_owned();
    let zone = before["zone"].as_str().unwrap().to_owned();
    let other_photos = json(&pinpoint(
        &data,
        &["photo", "list", "--client", &other_client, "--json"],
    ));
    let other_photo = other_photos[0]["id"].as_str().unwrap().to_owned();

    // The "after": the same view turned 2° and re-encoded.
    let original = dir.path().join("before.jpg");
    let id = before["id"].as_str().unwrap();
    let exported = pinpoint(
        &data,
        &[
            "photo",
            "export",
            id,
            "--size",
            "preview",
            "--out",
            original.to_str().unwrap(),
        ],
    );
    assert!(exported.status.success());
    let after = dir.path().join("after.jpg");
    let made = Command::new("convert")
        .arg(&original)
        .args(["-distort", "SRT", "1.0 2", "-quality", "88"])
        .arg(&after)
        .status()
        .expect("ImageMagick's convert runs");
    assert!(made.success());
    let broken = dir.path().join("broken.jpg");
    std::fs::write(&broken, b"\xff\xd8\xff\xe0 not really a photo").unwrap();

    let open = Open::start(&data, &client, &session);
    let base = open.base();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let phone = dir.path().join("phone-cookies");
    let stranger = dir.path().join("stranger-cookies");

    // Nothing but the page's own files without the pairing.
    let (status, _) = curl(&stranger, &[&format!("{base}/plan")]);
    assert_eq!(status, 403);
    let (status, _) = curl(&stranger, &[&format!("{base}/capture.css")]);
    assert_eq!(status, 200);
    let (status, _) = curl(&stranger, &[&format!("{base}/pair/{}", "0".repeat(32))]);
    assert_eq!(status, 410, "a made-up token");

    // The QR code's URL pairs the phone, once.
    let (status, _) = curl(&phone, &[&open.url]);
    assert_eq!(status, 303);
    let (status, body) = curl(&stranger, &[&open.url]);
    assert_eq!(status, 410, "{}", String::from_utf8_lossy(&body));
    let (status, _) = curl(&stranger, &[&format!("{base}/plan")]);
    assert_eq!(status, 403, "the second device is not paired");

    let (status, page) = curl(&phone, &[&format!("{base}/")]);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("capture.js"));
    let (status, plan) = curl(&phone, &[&format!("{base}/plan")]);
    assert_eq!(status, 200);
    let plan = as_json(&plan);
    assert!(
        plan["moment"].as_str().unwrap().starts_with("Session of "),
        "{plan}"
    );
    assert_eq!(plan["kinds"], serde_json::json!(["before", "after"]));
    assert!(plan["client"].as_str().unwrap().ends_with('.'), "{plan}");
    let shot = plan["shots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["zone"] == zone.as_str() && s["pose"] == "front")
        .expect("the front view of the session's zone is asked for");
    let guide = shot["guide"].as_str().expect("with its guide");
    let (status, jpeg) = curl(&phone, &[&format!("{base}{guide}")]);
    assert_eq!(status, 200);
    assert_eq!(&jpeg[..2], b"\xff\xd8");
    let (status, _) = curl(&phone, &[&format!("{base}/guide/{other_photo}")]);
    assert_eq!(status, 404, "another client's photo is not a guide");

    // An upload lands in this client's session, whatever else it says.
    let upload = |file: &Path, query: &str| {
        curl(
            &phone,
            &[
                "--data-binary",
                &format!("@{}", file.display()),
                "-H",
                "Content-Type: image/jpeg",
                &format!("{base}/upload?{query}"),
            ],
        )
    };
    let (status, body) = upload(
        &after,
        &format!(
            "kind=after&zone={zone}&pose=front&conditions=makeup_off,usual_lighting\
             &name=IMG_0042.JPG&client_id={other_client}&session_id=x"
        ),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let sent = as_json(&body);
    let photo_id = sent["photo"].as_str().unwrap().to_owned();
    assert_eq!(sent["alignment"]["applied"], true, "{sent}");
    assert!(
        sent["alignment"]["confidence"].as_f64().unwrap() > 0.5,
        "{sent}"
    );

    // An iPhone's HEIC goes through the same import.
    let heic = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/core/tests/fixtures/photo-640x480-thumb.heic");
    let (status, body) = upload(
        &heic,
        &format!("kind=before&zone={zone}&pose=left_45&name=IMG_0043.HEIC"),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let heic_id = as_json(&body)["photo"].as_str().unwrap().to_owned();

    let (status, body) = upload(&broken, &format!("kind=after&zone={zone}&pose=front"));
    assert_eq!(status, 422);
    let error = as_json(&body)["error"].as_str().unwrap().to_owned();
    assert!(error.starts_with("phone photo: "), "{error}");
    let (status, body) = upload(&after, "kind=after&zone=elbows&pose=front");
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    let (status, _) = curl(
        &phone,
        &[
            "-H",
            "Content-Length: 900000000",
            "--data-binary",
            "x",
            &format!("{base}/upload?kind=after&zone={zone}&pose=front"),
        ],
    );
    assert_eq!(status, 413);

    let printed = open.close();
    assert!(
        printed
            .iter()
            .any(|l| l.contains(&photo_id) && l.contains("aligned")),
        "{printed:?}"
    );
    assert!(
        printed.iter().any(|l| l.starts_with("refused: ")),
        "{printed:?}"
    );
    assert_eq!(
        printed.iter().filter(|l| *l == "a phone paired").count(),
        1,
        "{printed:?}"
    );
    let (status, _) = curl(&phone, &[&format!("{base}/plan")]);
    assert_eq!(status, 0, "nothing listens once the capture is closed");

    // In the record: this client's session, tagged as sent, aligned.
    let photos = json(&pinpoint(
        &data,
        &["photo", "list", "--client", &client, "--json"],
    ));
    let stored = photos
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == photo_id.as_str())
        .expect("the photo is in the client's record");
    assert_eq!(stored["session_id"], session.as_str());
    assert_eq!(stored["kind"], "after");
    assert_eq!(stored["original_name"], "IMG_0042.JPG");
    let heic = photos
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == heic_id.as_str())
        .expect("the HEIC is in the record");
    assert_eq!(
        (heic["format"].as_str(), heic["pose"].as_str()),
        (Some("heic"), Some("left_45"))
    );
    assert_eq!(
        stored["conditions"],
        serde_json::json!(["makeup_off", "usual_lighting"])
    );
    let alignment = &stored["alignment"];
    assert_eq!(alignment["reference"], before["id"]);
    assert_eq!(alignment["source"], "auto");
    let turned = alignment["rotate_deg"].as_f64().unwrap();
    assert!((turned.abs() - 2.0).abs() < 0.5, "{alignment}");
    let others = json(&pinpoint(
        &data,
        &["photo", "list", "--client", &other_client, "--json"],
    ));
    assert!(others
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["id"] != photo_id.as_str()));
}
