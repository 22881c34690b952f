//! The hostile corpus (`tests/hostile/`, made by its `make.py`): every
//! crafted photo and backup archive is refused by the real binary with a
//! clear message and exit code 1, and the clinic it was handed to is
//! unchanged: its check passes and it holds what it held.

use std::path::{Path, PathBuf};

use crate::helpers::*;

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// What the message must say for each file: a file added to the corpus
/// without a line here fails the test.
fn expected(name: &str) -> &'static str {
    match name {
        "png-claims-10-gigapixels.png"
        | "png-claims-400-megapixels.png"
        | "jpeg-claims-65000-square.jpg"
        | "webp-claims-16384-square.webp" => "refused as a possible decompression bomb",
        "jpeg-5000-scans.jpg" => "more than 100 scans",
        "jpeg-truncated.jpg" => "truncated",
        "jpeg-garbage-after-start.jpg" => "JPEG",
        "heic-truncated.heic" => "the HEIC file is damaged (a box at byte",
        "text-named-jpg.jpg" => "not a supported image",
        "empty.jpg" => "the file is empty",
        // Found by the fuzzer: an allocation of 2.9 GB, and a panic in `png`.
        "fuzzed-webp-chunk-claims-gigabytes.webp" => "more than the file holds",
        "fuzzed-png-palette-of-two-bytes.png" => "not whole colours",
        "link-to-passwd.tar" | "hard-link.tar" | "device.tar" | "folder-entry.tar" => {
            "is not a plain file"
        }
        "dot-dot-path.tar" | "absolute-path.tar" => "unexpected entry",
        "size-lie.tar" => "where its manifest says 10",
        "bad-checksum.tar" => "does not match its checksum",
        "entry-twice.tar" => "appears twice",
        "no-manifest.tar" => "it has no manifest",
        "newer-format.tar" => "made by a newer Pinpoint",
        "not-a-database.tar" => "not a Pinpoint database",
        "claims-8-gigabytes.tar" => "the backup is damaged",
        other => panic!("{other} is in the hostile corpus without an expected message"),
    }
}

/// What the clinic holds, as its owner would count it.
fn counts(data: &Path, client: &str) -> (usize, usize) {
    let clients = json(&pinpoint(data, &["client", "list", "--json"]));
    let photos = json(&pinpoint(
        data,
        &["photo", "list", "--client", client, "--json"],
    ));
    (
        clients.as_array().map_or(0, Vec::len),
        photos.as_array().map_or(0, Vec::len),
    )
}

fn files_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_of(&path));
        } else if path.extension().is_some_and(|e| e == "jpg") {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn every_hostile_file_is_refused_and_the_clinic_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let client = json(&pinpoint(
        &data,
        &["client", "add", "--name", "Priya Sharma", "--json"],
    ))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let good = dir.path().join("good.jpg");
    let rgb: Vec<u8> = (0..80 * 60)
        .flat_map(|i| [60, (i % 80) as u8, 90])
        .collect();
    std::fs::write(
        &good,
        pinpoint_core::photo::render::encode_rgb_jpeg(&rgb, 80, 60).unwrap(),
    )
    .unwrap();
    let import = |file: &Path| {
        pinpoint(
            &data,
            &[
                "photo",
                "import",
                "--client",
                &client,
                "--kind",
                "before",
                "--zone",
                "cheeks",
                "--pose",
                "front",
                file.to_str().unwrap(),
            ],
        )
    };
    assert!(import(&good).status.success());
    let before = counts(&data, &client);
    let stored = files_of(&data.join("photos"));
    assert_eq!(before, (1, 1));

    for photo in corpus("photos") {
        let name = photo.file_name().unwrap().to_string_lossy().into_owned();
        let output = import(&photo);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        let message = stderr(&output);
        assert!(
            message.contains(&name) && message.contains(expected(&name)),
            "{name}: {message}"
        );
    }

    let restores = dir.path().join("restores");
    std::fs::create_dir(&restores).unwrap();
    for archive in corpus("backups") {
        let name = archive.file_name().unwrap().to_string_lossy().into_owned();
        let target = restores.join(name.trim_end_matches(".tar"));
        let output = pinpoint(&target, &["restore", archive.to_str().unwrap()]);
        refused(&output, expected(&name));
        assert!(!target.exists(), "{name}: nothing restored");
    }
    // Nothing written beside the targets, nor where the crafted paths point.
    let left: Vec<_> = std::fs::read_dir(&restores).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(!dir.path().join("escaped.txt").exists());
    assert!(!Path::new("/tmp/pinpoint-escaped.txt").exists());

    assert_eq!(counts(&data, &client), before);
    assert_eq!(
        files_of(&data.join("photos")),
        stored,
        "the stored photos are untouched"
    );
    let verified = json(&pinpoint(&data, &["verify", "--json"]));
    assert_eq!(verified["ok"], true, "{verified}");
}
