//! Fuzz target: restoring a backup someone hands us. Two shapes of input:
//!
//! - first byte even: the rest is the archive, byte for byte (tar headers,
//!   entry kinds, manifest, checksums);
//! - first byte odd: the rest is a database and photo files, which this
//!   target packs into an archive with a manifest whose sizes and checksums
//!   match, so the restored database itself (its schema, its integrity, its
//!   rows and their photo hashes, the full check) is what is fuzzed.
//!
//! A restore must either refuse with an error or leave a folder that opens
//! and passes its check; it must never write outside the folder it was given.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let work = tempfile::tempdir().expect("a temporary folder");
    let archive = work.path().join("backup.tar");
    let bytes = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        pack(rest)
    };
    std::fs::write(&archive, bytes).expect("the archive is written");
    let target = work.path().join("restored");
    let result = pinpoint_core::backup::restore(&archive, &target, &mut |_| true);
    // Nothing lands beside the target but the archive and the target.
    for entry in std::fs::read_dir(work.path()).expect("the folder is read") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            name == "backup.tar" || name == "restored" || name.starts_with(".restored"),
            "the restore wrote {name} outside its folder"
        );
    }
    if result.is_ok() {
        let store = pinpoint_core::store::Store::open(&target).expect("a restored folder opens");
        let report = pinpoint_core::verify::run(&store, true).expect("the check runs");
        assert!(report.ok, "a restored folder fails its check: {:?}", report.problems);
    }
});

/// Packs `rest` into an archive: the bytes up to the first `0xFF 0x00 0xFF`
/// are the database, each later piece a photo file named after its hash.
fn pack(rest: &[u8]) -> Vec<u8> {
    let mut pieces = split(rest);
    let database = pieces.remove(0);
    let mut entries = vec![("pinpoint.db".to_owned(), database)];
    for piece in pieces {
        let hash = hex(&Sha256::digest(piece));
        entries.push((format!("photos/{}/{hash}.jpg", &hash[..2]), piece));
    }
    let mut builder = tar::Builder::new(Vec::new());
    let mut parts = Vec::new();
    for (name, bytes) in &entries {
        append(&mut builder, name, bytes);
        parts.push(serde_json::json!({
            "path": name,
            "size": bytes.len(),
            "sha256": hex(&Sha256::digest(bytes)),
        }));
    }
    let manifest = serde_json::json!({
        "format": "pinpoint-backup",
        "format_version": 1,
        "app_version": "fuzz",
        "schema_version": pinpoint_core::store::Store::schema_version(),
        "created_at": "2026-01-01T00:00:00Z",
        "parts": parts,
    });
    append(
        &mut builder,
        "manifest.json",
        &serde_json::to_vec(&manifest).expect("json"),
    );
    let mut out = builder.into_inner().expect("the archive is built");
    out.flush().expect("flush");
    out
}

fn split(rest: &[u8]) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 3 <= rest.len() {
        if rest[i..i + 3] == [0xFF, 0x00, 0xFF] {
            pieces.push(&rest[start..i]);
            i += 3;
            start = i;
        } else {
            i += 1;
        }
    }
    pieces.push(&rest[start..]);
    pieces
}

fn append(builder: &mut tar::Builder<Vec<u8>>, name: &str, bytes: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    builder
        .append_data(&mut header, name, bytes)
        .expect("an entry is added");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
