//! `pinpoint photo import|list|export|align` against the real binary and real
//! data folders, with photos generated here.

use std::path::{Path, PathBuf};

use pinpoint_core::photo::render;

use crate::helpers::*;

/// A data folder with one client; returns the client's id.
fn clinic(dir: &Path) -> String {
    let added = json(&pinpoint(
        dir,
        &["client", "add", "--name", "Priya Sharma", "--json"],
    ));
    added["id"].as_str().unwrap().to_owned()
}

/// A JPEG photo of `w` × `h` written to `dir/name`.
fn photo_file(dir: &Path, name: &str, w: u32, h: u32, shade: u8) -> PathBuf {
    let rgb: Vec<u8> = (0..w * h)
        .flat_map(|i| [shade, (i % w * 255 / w) as u8, 90])
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, render::encode_rgb_jpeg(&rgb, w, h).unwrap()).unwrap();
    path
}

#[test]
fn import_list_and_export_every_size() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let client = clinic(&data);
    let files: Vec<String> = [
        photo_file(dir.path(), "left.jpg", 2400, 1800, 200),
        photo_file(dir.path(), "right.jpg", 1200, 900, 120),
    ]
    .iter()
    .map(|p| p.display().to_string())
    .collect();
    let imported = json(&pinpoint(
        &data,
        &import_args(&client, files.iter().map(String::as_str)),
    ));
    let imported = imported.as_array().expect("a JSON array");
    assert_eq!(imported.len(), 2, "both photos are imported");
    for photo in imported {
        assert!(photo["id"].is_string(), "each photo has an id: {photo}");
        assert_eq!(photo["duplicate"], false);
        assert_eq!(photo["zone"], "cheeks");
        assert_eq!(photo["pose"], "front");
    }
    assert_eq!(imported[0]["width"], 2400);

    let listed = json(&pinpoint(
        &data,
        &["photo", "list", "--client", &client, "--json"],
    ));
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "list is an array");

    let id = imported[0]["id"].as_str().unwrap();
    for (size, long_side) in [("thumb", 320), ("preview", 1600), ("original", 2400)] {
        let out = dir.path().join(format!("export-{size}.jpg"));
        let written = json(&pinpoint(
            &data,
            &[
                "photo",
                "export",
                id,
                "--size",
                size,
                "--out",
                out.to_str().unwrap(),
                "--json",
            ],
        ));
        assert_eq!(written["id"], id);
        let bytes = std::fs::read(&out).expect("the export is written");
        let image = render::render(&bytes).expect("a valid JPEG");
        assert_eq!(
            image.width.max(image.height),
            long_side,
            "the {size} is {long_side} px on its long side"
        );
        if size == "original" {
            assert!(
                bytes == std::fs::read(&files[0]).unwrap(),
                "the original comes back byte for byte"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left");
    }

    // The same file again is stored once.
    let again = json(&pinpoint(
        &data,
        &import_args(&client, files[..1].iter().map(String::as_str)),
    ));
    assert_eq!(again[0]["id"], id, "a duplicate returns the stored photo");
    assert_eq!(again[0]["duplicate"], true);
    let listed = json(&pinpoint(
        &data,
        &["photo", "list", "--client", &client, "--json"],
    ));
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
}

#[test]
fn a_refused_file_is_named_on_stderr_and_the_others_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let client = clinic(&data);
    let good = photo_file(dir.path(), "good.jpg", 300, 200, 60);
    let bad = dir.path().join("notes.jpg");
    std::fs::write(&bad, "not a photo at all").unwrap();
    let files = [good.display().to_string(), bad.display().to_string()];
    let output = pinpoint(
        &data,
        &import_args(&client, files.iter().map(String::as_str)),
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "a refused file is a user error"
    );
    let err = stderr(&output);
    assert!(
        err.contains("notes.jpg") && err.contains("not a supported image"),
        "stderr names the file and the reason: {err}"
    );
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        printed.as_array().map(Vec::len),
        Some(1),
        "the good file is imported"
    );
    let listed = json(&pinpoint(
        &data,
        &["photo", "list", "--client", &client, "--json"],
    ));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let stored: Vec<_> = walk(&data.join("photos"));
    assert_eq!(
        stored.len(),
        1,
        "only the good original is stored: {stored:?}"
    );
}

#[test]
fn bad_arguments_are_refused_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let client = clinic(&data);
    let good = photo_file(dir.path(), "good.jpg", 60, 40, 60)
        .display()
        .to_string();
    for (flag, value, message) in [
        ("--pose", "sideways", "pose"),
        ("--kind", "during", "kind"),
        ("--zone", "elbow", "zone"),
    ] {
        let mut args = import_args(&client, [good.as_str()]);
        let at = args.iter().position(|a| *a == flag).unwrap();
        args[at + 1] = value;
        let output = pinpoint(&data, &args);
        assert_eq!(output.status.code(), Some(1), "{flag} {value}");
        assert!(stderr(&output).contains(message), "{}", stderr(&output));
    }
    let output = pinpoint(&data, &["photo", "export", "not-an-id", "--out", "x.jpg"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!data.join("photos").exists(), "nothing was stored");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn an_after_photo_is_aligned_onto_its_before_and_another_view_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    json(&pinpoint(&data, &["demo", "--json"]));
    // A client whose course has a before and an after of the same view.
    let clients = json(&pinpoint(&data, &["client", "list", "--json"]));
    let (before, after, other_view) = clients
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| {
            let id = c["id"].as_str().unwrap();
            let photos = json(&pinpoint(
                &data,
                &["photo", "list", "--client", id, "--json"],
            ));
            let photos = photos.as_array().unwrap();
            let find = |kind: &str, pose: &str| {
                photos
                    .iter()
                    .find(|p| p["kind"] == kind && p["pose"] == pose)
                    .map(|p| p["id"].as_str().unwrap().to_owned())
            };
            Some((
                find("before", "front")?,
                find("after", "front")?,
                find("before", "left_45").or_else(|| find("before", "right_45"))?,
            ))
        })
        .expect("a demo client with before and after photos");

    let aligned = json(&pinpoint(
        &data,
        &["photo", "align", &after, "--to", &before, "--json"],
    ));
    assert_eq!(aligned["outcome"]["applied"], true, "{aligned}");
    assert!(
        aligned["outcome"]["confidence"].as_f64().unwrap() > 0.3,
        "{aligned}"
    );
    let a = &aligned["photo"]["alignment"];
    assert_eq!(a["reference"], before.as_str());
    // The demo's views of one zone and pose are taken from the same place.
    assert!(a["dx"].as_f64().unwrap().abs() < 0.01, "{a}");
    assert!(a["dy"].as_f64().unwrap().abs() < 0.01, "{a}");
    assert!(a["rotate_deg"].as_f64().unwrap().abs() < 0.5, "{a}");
    assert!((a["scale"].as_f64().unwrap() - 1.0).abs() < 0.01, "{a}");

    // Aligned already: replaced only when asked.
    refused(
        &pinpoint(&data, &["photo", "align", &after, "--to", &before]),
        "aligned already",
    );
    let again = pinpoint(
        &data,
        &["photo", "align", &after, "--to", &before, "--replace"],
    );
    assert!(stdout(&again).starts_with("aligned "), "{}", stdout(&again));

    // Another view of the zone is not the same picture: nothing is saved.
    let other = json(&pinpoint(
        &data,
        &["photo", "align", &other_view, "--to", &before, "--json"],
    ));
    assert_eq!(other["outcome"]["applied"], false, "{other}");
    assert!(other["photo"]["alignment"].is_null(), "{other}");
    let said = pinpoint(&data, &["photo", "align", &other_view, "--to", &before]);
    assert!(
        stdout(&said).contains("do not match closely enough"),
        "{}",
        stdout(&said)
    );
    assert_eq!(json(&pinpoint(&data, &["verify", "--json"]))["ok"], true);
}
