//! `pinpoint report|note|aftercare|export` against the real binary: the
//! demo clinic's documents and exports, and bad input refused with one
//! line and nothing left behind.

use std::path::Path;

use crate::helpers::*;

fn query(data: &Path, sql: &str) -> Vec<String> {
    let db = rusqlite::Connection::open(data.join("pinpoint.sqlite3")).unwrap();
    let mut stmt = db.prepare(sql).unwrap();
    stmt.query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_demo_clinic_prints_reports_notes_aftercare_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    json(&pinpoint(&data, &["demo", "--json"]));
    // The client with the most photos, without marketing consent.
    let client = &query(
        &data,
        "SELECT c.id FROM client c WHERE NOT EXISTS (SELECT 1 FROM consent k
           WHERE k.client_id = c.id AND k.kind = 'marketing_photos')
         ORDER BY (SELECT count(*) FROM photo p WHERE p.client_id = c.id) DESC, c.id LIMIT 1",
    )[0];
    let name = &query(
        &data,
        &format!("SELECT name FROM client WHERE id = '{client}'"),
    )[0];
    let sessions = query(
        &data,
        &format!(
            "SELECT id FROM treatment_session WHERE client_id = '{client}' ORDER BY started_at"
        ),
    );

    let report = dir.path().join("report.pdf");
    let written = json(&pinpoint(
        &data,
        &[
            "report",
            client,
            "--out",
            report.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(written["path"], report.to_str().unwrap());
    assert!(written["pages"].as_u64().unwrap() >= 2, "{written}");
    assert!(
        written["photos"].as_u64().unwrap() >= 2,
        "at least one pair: {written}"
    );
    let text = pdf_text(&report);
    assert!(
        text.contains(name.as_str()),
        "the client's name in the report"
    );
    assert!(text.contains("Before and after"));

    let note = dir.path().join("note.pdf");
    let written = json(&pinpoint(
        &data,
        &[
            "note",
            &sessions[0],
            "--out",
            note.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(written["pages"], 1);
    assert!(pdf_text(&note).contains("Treatment note"));

    let aftercare = dir.path().join("aftercare.pdf");
    let out = pinpoint(
        &data,
        &[
            "aftercare",
            &sessions[0],
            "--out",
            aftercare.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("aftercare sheet written to"));
    assert!(pdf_text(&aftercare).contains("When to call us"));

    let export = dir.path().join("export");
    let summary = json(&pinpoint(
        &data,
        &[
            "export",
            client,
            "--out",
            export.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(summary["sessions"], sessions.len());
    for file in [
        "record.json",
        "sessions.csv",
        "zones.csv",
        "report.pdf",
        "FORMAT.md",
    ] {
        assert!(export.join(file).is_file(), "{file} in the export");
    }
    let photos = std::fs::read_dir(export.join("photos")).unwrap().count();
    assert_eq!(summary["photos"], photos);
    // The same folder again: it has things in it now, so the second export
    // goes into a new folder inside it, named after the client and today
    // (the window's rule too), and the first is left as it was.
    let again = json(&pinpoint(
        &data,
        &[
            "export",
            client,
            "--out",
            export.to_str().unwrap(),
            "--json",
        ],
    ));
    let nested = std::path::PathBuf::from(again["folder"].as_str().unwrap());
    assert_eq!(
        nested.parent(),
        Some(export.as_path()),
        "a second export into a used folder goes inside it"
    );
    assert!(nested.join("record.json").is_file());
    assert_eq!(
        std::fs::read_dir(export.join("photos")).unwrap().count(),
        photos,
        "the first export is untouched"
    );

    // De-identified photos: refused without marketing consent, then bare.
    let marketing = dir.path().join("marketing");
    let args = [
        "export",
        client,
        "--out",
        marketing.to_str().unwrap(),
        "--deidentified-photos",
        "--json",
    ];
    refused(&pinpoint(&data, &args), "marketing-photo consent");
    assert!(!marketing.exists());
    json(&pinpoint(
        &data,
        &[
            "consent",
            "add",
            "--client",
            client,
            "--kind",
            "marketing_photos",
            "--signature",
            name,
            "--json",
        ],
    ));
    let summary = json(&pinpoint(&data, &args));
    let files = summary["files"].as_array().unwrap();
    assert_eq!(files.len(), photos, "every photo by default");
    for file in files {
        let bytes = std::fs::read(marketing.join(file.as_str().unwrap())).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "{file} has no EXIF"
        );
    }
}

#[test]
fn bad_input_is_refused_with_one_line_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let added = json(&pinpoint(
        &data,
        &["client", "add", "--name", "Priya Sharma", "--json"],
    ));
    let client = added["id"].as_str().unwrap();
    let out = dir.path().join("out.pdf");
    let out_text = out.to_str().unwrap();
    refused(
        &pinpoint(&data, &["report", "nonsense", "--out", out_text]),
        "not a valid client id",
    );
    refused(
        &pinpoint(
            &data,
            &[
                "report",
                "01900000-0000-7000-8000-000000000000",
                "--out",
                out_text,
            ],
        ),
        "not found",
    );
    refused(
        &pinpoint(
            &data,
            &[
                "note",
                "01900000-0000-7000-8000-000000000000",
                "--out",
                out_text,
            ],
        ),
        "not found",
    );
    refused(
        &pinpoint(&data, &["report", client, "--out", "/no/such/folder/r.pdf"]),
        "does not exist",
    );
    refused(
        &pinpoint(
            &data,
            &["report", client, "--out", dir.path().to_str().unwrap()],
        ),
        "is a folder",
    );
    refused(
        &pinpoint(&data, &["export", client, "--out", data.to_str().unwrap()]),
        "inside Pinpoint's data folder",
    );
    refused(
        &pinpoint(
            &data,
            &[
                "export",
                client,
                "--out",
                "x",
                "--photo",
                "01900000-0000-7000-8000-000000000000",
            ],
        ),
        "--photo only goes with --deidentified-photos",
    );
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["data"], "nothing partial is left behind");

    // A client with nothing recorded still gets a one-page report.
    let written = json(&pinpoint(
        &data,
        &["report", client, "--out", out_text, "--json"],
    ));
    assert_eq!(written["pages"], 1);
}

/// The command line never replaces a document silently: a second `report`
/// to the same file is refused (exit 1, the file unchanged) until `--force`.
#[test]
fn a_document_already_there_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let client = json(&pinpoint(
        &data,
        &["client", "add", "--name", "Ana Sousa", "--json"],
    ))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = dir.path().join("ana.pdf");
    std::fs::write(&out, b"a file the clinic keeps").unwrap();
    let out_text = out.to_str().unwrap();
    refused(
        &pinpoint(&data, &["report", &client, "--out", out_text]),
        "already exists; add --force to replace it",
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"a file the clinic keeps");
    let written = json(&pinpoint(
        &data,
        &["report", &client, "--out", out_text, "--force", "--json"],
    ));
    assert_eq!(written["pages"], 1);
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
}
