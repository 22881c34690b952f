//! Printed documents and exports: the progress report, treatment note and
//! aftercare sheet read back as text (pdftotext) and image lists
//! (pdfimages); the client export re-read and compared; de-identified
//! photos refused without consent and bare with it.

use pinpoint_core::settings::CosignRule;
use pinpoint_core::SharedStore;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Duration;
use pinpoint_core::consent::{self, ConsentKind};
use pinpoint_core::export;
use pinpoint_core::ids::{AmendmentId, ConsentId, PhotoId, PlanId};
use pinpoint_core::photo::{
    self, render, AlignSource, Alignment, Photo, PhotoKind, PhotoPose, PhotoSize, PhotoTags,
};
use pinpoint_core::plan::{self, PlanInput, PlannedZone};
use pinpoint_core::report::{self, day};
use pinpoint_core::session::{self, Phase, ProductInput, TreatmentSession, ZoneInput};
use pinpoint_core::warnings::{WarningOverride, WarningRule};
use pinpoint_core::{depth::NeedleDepth, record, ErrorKind, Store};

use crate::clinic::{clinic, days_before, Clinic};
use crate::{now, today, Folder};

/// The last words of a long reaction: they must reach the page.
const LONG_REACTION: &str = "Even erythema across both cheeks with a little pinpoint bleeding \
     along the scar edges, settled within the hour after the cooling mask; the client said the \
     stinging was milder than at the first session and wants to keep the same depth next time \
     ENDOFREACTION";

/// A client with a plan, four sessions (cheeks and forehead, deepening),
/// and photos: front and left 45° before at the first session and after
/// at the last, a front progress photo at the second, the last front one
/// aligned onto the first.
struct Course {
    dir: tempfile::TempDir,
    /// Where exports go: outside the data folder, as Pinpoint insists.
    exports: tempfile::TempDir,
    store: SharedStore,
    client: pinpoint_core::ids::ClientId,
    sessions: Vec<TreatmentSession>,
    photos: Vec<Photo>,
}

fn course() -> Course {
    let mut c = clinic();
    let client = c.client;
    let settings = c.settings();
    let plan =
        c.f.store
            .write(|tx| {
                plan::add(
                    tx,
                    PlanId::new(),
                    client,
                    &PlanInput {
                        created_on: days_before(88),
                        goals: "Softer rolling acne scars on both cheeks".to_owned(),
                        concerns: "private concern not for the report".to_owned(),
                        skin_assessment: "private assessment not for the report".to_owned(),
                        zones: vec![PlannedZone {
                            zone: "cheeks".to_owned(),
                            target_depth: NeedleDepth::from_mm(1.5).unwrap(),
                        }],
                        sessions_planned: 6,
                        interval_days: 42,
                    },
                    &settings,
                    today(),
                    now(),
                )
            })
            .unwrap();
    let mut sessions = Vec::new();
    for (i, (days, cheeks)) in [(85, 1.0), (57, 1.25), (29, 1.5), (1, 1.75)]
        .into_iter()
        .enumerate()
    {
        let mut draft = c.draft_for(client, days_before(days));
        draft.plan_id = Some(plan.id);
        draft.zones = vec![
            ZoneInput {
                zone: "cheeks".to_owned(),
                depth_mm: cheeks,
                passes: 3,
                technique: "crosshatch".to_owned(),
            },
            ZoneInput {
                zone: "forehead".to_owned(),
                depth_mm: 0.5,
                passes: 2,
                technique: "vertical stamping".to_owned(),
            },
        ];
        draft.products = vec![ProductInput {
            product: "Hyaluronic serum".to_owned(),
            lot: format!("HA-{}", 4410 + i),
            phase: Phase::During,
        }];
        draft.pain = Some(3 + i as u8 % 2);
        draft.immediate_reaction = if i == 0 {
            LONG_REACTION.to_owned()
        } else {
            "Mild erythema".to_owned()
        };
        // Cheeks at 1.75 mm is above the clinic's guide (0.5 to 1.5 mm).
        let overrides = if cheeks > 1.5 {
            vec![WarningOverride {
                rule: WarningRule::DepthOutsideGuide,
                subject: "cheeks".to_owned(),
                reason: "deep boxcar scars, agreed at consultation".to_owned(),
            }]
        } else {
            Vec::new()
        };
        sessions.push(c.try_create(&draft, &overrides).expect("a valid session"));
    }
    let Clinic {
        f: Folder { dir, store },
        ..
    } = c;
    let store = SharedStore::new(Some(store));
    let incoming = dir.path().join("incoming");
    std::fs::create_dir_all(&incoming).unwrap();
    let mut photos = Vec::new();
    for (n, (kind, pose, session)) in [
        (PhotoKind::Before, PhotoPose::Front, 0),
        (PhotoKind::Before, PhotoPose::Left45, 0),
        (PhotoKind::Progress, PhotoPose::Front, 1),
        (PhotoKind::After, PhotoPose::Front, 3),
        (PhotoKind::After, PhotoPose::Left45, 3),
    ]
    .into_iter()
    .enumerate()
    {
        let (w, h) = (480, 360);
        let rgb: Vec<u8> = (0..w * h)
            .flat_map(|i| [200, (i % w * 255 / w) as u8, (40 * n) as u8])
            .collect();
        let file = incoming.join(format!("p{n}.jpg"));
        std::fs::write(&file, render::encode_rgb_jpeg(&rgb, w, h).unwrap()).unwrap();
        let tags = PhotoTags {
            session_id: Some(sessions[session].id),
            follow_up_id: None,
            kind,
            zone: "cheeks".to_owned(),
            pose,
            custom_pose: None,
        };
        let results = photo::import_files(
            &store,
            client,
            &tags,
            &[file],
            &crate::written(),
            &mut PhotoId::new,
            &mut |_| true,
        )
        .unwrap();
        photos.push(results[0].photo.clone().expect("imported"));
    }
    let alignment = Alignment {
        reference: photos[0].id,
        dx: 0.02,
        dy: -0.01,
        rotate_deg: 2.0,
        scale: 1.05,
        source: AlignSource::Manual,
        confidence: None,
    };
    store
        .lock()
        .unwrap()
        .write(|tx| photo::set_alignment(tx, photos[3].id, Some(alignment), now()))
        .unwrap();
    Course {
        dir,
        exports: tempfile::tempdir().unwrap(),
        store,
        client,
        sessions,
        photos,
    }
}

impl Course {
    fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.store.lock().unwrap())
    }

    fn out(&self, name: &str) -> PathBuf {
        self.exports.path().join(name)
    }
}

/// Runs a poppler tool on `pdf`, returning its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs (poppler-utils, installed by .ci/setup): {e}"));
    assert!(
        output.status.success(),
        "{tool} failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text of a PDF with its lines joined by spaces (table cells wrap).
fn pdf_text(pdf: &Path) -> String {
    poppler("pdftotext", &["-layout"], pdf)
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `(page, encoding)` of every image drawn, from `pdfimages -list`.
fn pdf_images(pdf: &Path) -> Vec<(u32, String)> {
    poppler("pdfimages", &["-list"], pdf)
        .lines()
        .skip(2)
        .map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            (cols[0].parse().unwrap(), cols[8].to_owned())
        })
        .collect()
}

#[test]
fn the_progress_report_shows_the_course_charts_and_photo_pairs() {
    let course = course();
    let pdf = course.with(|store| {
        report::prepare_progress_report(store.db(), store.data_dir(), course.client, today(), now())
            .and_then(report::Prepared::render)
            .unwrap()
    });
    let out = course.out("report.pdf");
    let written = report::write_pdf(&out, &pdf).unwrap();
    assert_eq!(
        written.photos, 4,
        "two pairs (front, left 45°) of two photos"
    );
    let text = pdf_text(&out);
    let words = flat(&text);
    for s in &course.sessions {
        assert!(
            words.contains(&day(s.local_date)),
            "session date {} in:\n{text}",
            s.local_date
        );
        for z in &s.zones {
            assert!(
                words.contains(&format!("{} {} × {}", z.zone_name, z.depth, z.passes)),
                "{} {} in the table",
                z.zone_name,
                z.depth
            );
        }
        assert!(
            words.contains(&s.products[0].lot.lot_number),
            "the lot of each session"
        );
    }
    for expected in [
        "My clinic",
        "Maya Lewis (RN, Aesthetic Nurse)",
        "Olivia Bennett",
        "Softer rolling acne scars on both cheeks",
        "4 of 6 planned",
        "1 of 6",
        "4 of 6",
        "ENDOFREACTION",
        "Needle depth per zone",
        "Before and after",
        "Cheeks, front",
        "Cheeks, left 45°",
        "aligned",
        "page 1 of",
        &format!("printed {}", day(today())),
    ] {
        assert!(
            words.to_lowercase().contains(&expected.to_lowercase()),
            "{expected:?} in:\n{text}"
        );
    }
    for private in ["private concern", "private assessment", "+44 7700 900123"] {
        assert!(
            !words.contains(private),
            "{private:?} stays out of the report"
        );
    }
    assert!(
        written.pages >= 2,
        "table, charts and photos need more than a page"
    );
    assert!(
        words.contains(&format!("page {} of {}", written.pages, written.pages)),
        "the last page is numbered n of n"
    );

    let images = pdf_images(&out);
    assert_eq!(
        images.len(),
        4,
        "one image per photo of each pair: {images:?}"
    );
    assert!(
        images.iter().all(|(_, enc)| enc == "jpeg"),
        "photos are embedded as JPEG (DCT), not re-encoded as raw pixels: {images:?}"
    );
    // The previews' bytes are in the file as they are.
    let bytes = std::fs::read(&out).unwrap();
    for p in [&course.photos[0], &course.photos[4]] {
        let preview = photo::read(course.dir.path(), p, PhotoSize::Preview)
            .unwrap()
            .bytes;
        assert!(
            bytes
                .windows(preview.len())
                .any(|w| w == preview.as_slice()),
            "the preview of {} is embedded byte for byte",
            p.id
        );
    }
}

#[test]
fn a_report_without_sessions_or_photos_still_prints() {
    let c = clinic();
    let pdf = report::prepare_progress_report(c.db(), c.f.dir.path(), c.client, today(), now())
        .and_then(report::Prepared::render)
        .unwrap();
    assert_eq!(pdf.pages, 1);
    assert_eq!(pdf.photos, 0);
    let out = c.f.dir.path().join("empty.pdf");
    report::write_pdf(&out, &pdf).unwrap();
    assert!(flat(&pdf_text(&out)).contains("No sessions recorded yet"));
}

#[test]
fn the_treatment_note_holds_everything_recorded() {
    let course = course();
    let last = course.sessions[3].id;
    let signed_by = course.sessions[3].practitioner_id;
    let amended = course.with(|store| {
        store
            .write(|tx| {
                session::sign(
                    tx,
                    last,
                    session::Signer {
                        practitioner: signed_by,
                        account: None,
                    },
                    CosignRule::Never,
                    now(),
                )
            })
            .unwrap();
        let mut draft = session::to_draft(&session::get(store.db(), last).unwrap());
        draft.pain = Some(6);
        let overrides = session::recorded_overrides(&session::get(store.db(), last).unwrap());
        store
            .write(|tx| {
                session::amend(
                    tx,
                    (AmendmentId::new(), None),
                    last,
                    &draft,
                    &overrides,
                    "client reported the pain score later",
                    now() + Duration::minutes(30),
                )
            })
            .unwrap()
    });
    let pdf = course.with(|store| {
        report::prepare_treatment_note(store.db(), last, today(), now())
            .and_then(report::Prepared::render)
            .unwrap()
    });
    assert_eq!(pdf.pages, 1, "a treatment note fits one page");
    let out = course.out("note.pdf");
    report::write_pdf(&out, &pdf).unwrap();
    let words = flat(&pdf_text(&out));
    for expected in [
        "Treatment note".to_owned(),
        day(amended.local_date),
        "Olivia Bennett".to_owned(),
        "Maya Lewis (RN, Aesthetic Nurse)".to_owned(),
        "4 of 6 in the course".to_owned(),
        "Cheeks 1.75 mm 3 crosshatch".to_owned(),
        "Forehead 0.5 mm 2 vertical stamping".to_owned(),
        "Hyaluronic serum HA-4413".to_owned(),
        "during needling".to_owned(),
        "6/10".to_owned(),
        "Mild erythema".to_owned(),
        // The warning (its first words: the cell wraps) and its reason.
        amended.warnings[0].message[..30].to_owned(),
        "deep boxcar scars, agreed at consultation".to_owned(),
        "Signed by Maya Lewis".to_owned(),
        "client reported the pain score later".to_owned(),
        "page 1 of 1".to_owned(),
    ] {
        assert!(
            words.contains(&expected),
            "{expected:?} in the note:\n{words}"
        );
    }

    let draft_note = course.with(|store| {
        report::prepare_treatment_note(store.db(), course.sessions[0].id, today(), now())
            .and_then(report::Prepared::render)
            .unwrap()
    });
    let out = course.out("draft.pdf");
    report::write_pdf(&out, &draft_note).unwrap();
    assert!(
        flat(&pdf_text(&out)).contains("Not signed"),
        "an unsigned session says it is a draft"
    );
}

#[test]
fn the_aftercare_sheet_prints_the_template_or_what_was_given() {
    let course = course();
    let template = course
        .with(|store| pinpoint_core::settings::get(store.db()).unwrap())
        .aftercare_templates[0]
        .text
        .clone();
    let first = course.sessions[0].id;
    let pdf = course.with(|store| {
        report::prepare_aftercare_sheet(store.db(), first, today(), now())
            .and_then(report::Prepared::render)
            .unwrap()
    });
    assert_eq!(pdf.pages, 1);
    let out = course.out("aftercare.pdf");
    report::write_pdf(&out, &pdf).unwrap();
    let words = flat(&pdf_text(&out));
    for expected in [
        "Caring for your skin after microneedling",
        "Olivia Bennett",
        "My clinic",
        "Cheeks, Forehead",
        "When to call us",
        "emergency services",
        &day(course.sessions[0].local_date),
    ] {
        assert!(
            words.contains(expected),
            "{expected:?} on the sheet:\n{words}"
        );
    }
    assert!(
        words.contains(&flat(&template)[..60]),
        "an empty session aftercare prints the clinic's template"
    );

    // What was given at the session wins over the template.
    let given = "Use the recovery balm twice a day GIVENTEXT";
    let second = course.sessions[1].id;
    course.with(|store| {
        let mut draft = session::to_draft(&session::get(store.db(), second).unwrap());
        draft.aftercare = given.to_owned();
        store
            .write(|tx| session::update(tx, second, &draft, &[], now()))
            .unwrap();
    });
    let pdf = course.with(|store| {
        report::prepare_aftercare_sheet(store.db(), second, today(), now())
            .and_then(report::Prepared::render)
            .unwrap()
    });
    report::write_pdf(&out, &pdf).unwrap();
    let words = flat(&pdf_text(&out));
    assert!(words.contains(given));
    assert!(!words.contains(&flat(&template)[..60]), "not both texts");
}

#[test]
fn the_client_export_re_reads_to_the_same_record() {
    let course = course();
    let out = course.out("export");
    let mut steps = Vec::new();
    let summary = course.with(|store| {
        export::client(store, course.client, &out, today(), now(), &mut |p| {
            steps.push(p.done_bytes / p.total_bytes);
            true
        })
        .unwrap()
    });
    assert_eq!(summary.sessions, 4);
    assert_eq!(summary.zones, 8);
    assert_eq!(summary.photos, 5);
    assert_eq!(summary.photos_missing, 0);
    assert!(
        steps.windows(2).all(|w| w[0] <= w[1]),
        "progress only grows"
    );
    assert!(
        (steps.last().unwrap() - 1.0).abs() < 1e-9,
        "and ends at 100 %"
    );

    let read = export::read_record(&out).unwrap();
    let prepared = course.with(|store| {
        export::prepare(store.db(), store.data_dir(), course.client, today(), now()).unwrap()
    });
    assert_eq!(
        &read,
        prepared.record(),
        "record.json reads back to the same record"
    );
    let loaded = course.with(|store| record::load(store.db(), course.client).unwrap());
    assert_eq!(read.client, loaded.client);
    assert_eq!(read.sessions, loaded.sessions);
    assert_eq!(read.plans, loaded.plans);
    assert_eq!(read.consents, loaded.consents);
    assert_eq!(read.screenings, loaded.screenings);
    assert_eq!(read.format, "pinpoint-client-export");
    assert_eq!(read.version, 1);

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("record.json")).unwrap()).unwrap();
    assert_eq!(
        json["sessions"][0]["zones"][0]["depth"], 1.0,
        "depths are millimetres"
    );
    assert_eq!(json["photos"][3]["alignment"]["scale"], 1.05);

    let sessions_csv = std::fs::read_to_string(out.join("sessions.csv")).unwrap();
    let mut rows = csv_rows(&sessions_csv);
    let header = rows.remove(0);
    assert_eq!(rows.len(), 4, "one row per session");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, s) in rows.iter().zip(&course.sessions) {
        assert_eq!(row[col("session_id")], s.id.to_string());
        assert_eq!(row[col("date")], s.local_date.to_string());
        assert_eq!(row[col("pain")], s.pain.unwrap().to_string());
    }
    assert_eq!(
        rows[0][col("immediate_reaction")],
        LONG_REACTION,
        "commas and all"
    );
    assert!(rows[3][col("warnings")].contains("deep boxcar scars"));

    let zones_csv = std::fs::read_to_string(out.join("zones.csv")).unwrap();
    let mut zones = csv_rows(&zones_csv);
    assert_eq!(
        zones.remove(0),
        [
            "session_id",
            "date",
            "zone",
            "zone_name",
            "depth_mm",
            "passes",
            "technique"
        ]
    );
    assert_eq!(zones.len(), 8, "one row per treated zone per session");
    let depths: Vec<&str> = zones
        .iter()
        .filter(|z| z[2] == "cheeks")
        .map(|z| z[4].as_str())
        .collect();
    assert_eq!(depths, ["1", "1.25", "1.5", "1.75"]);

    let mut names: Vec<String> = std::fs::read_dir(out.join("photos"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    let first = course.sessions[0].local_date;
    assert!(
        names.contains(&format!(
            "{first}_cheeks_front_before_{}.jpg",
            &course.photos[0].id.as_uuid().simple().to_string()[24..]
        )),
        "{names:?}"
    );
    for p in &read.photos {
        let file = p.photo.clone();
        let original = photo::read(course.dir.path(), &file, PhotoSize::Original)
            .unwrap()
            .bytes;
        let exported = std::fs::read(out.join(p.file.as_ref().unwrap())).unwrap();
        assert!(original == exported, "originals are copied byte for byte");
    }
    assert!(out.join("report.pdf").is_file());
    assert!(std::fs::read_to_string(out.join("FORMAT.md"))
        .unwrap()
        .contains("record.json"));

    // The same folder again has things in it: the export goes into a new
    // folder inside it, named after the client and the date.
    let again = course.with(|store| {
        export::client(store, course.client, &out, today(), now(), &mut |_| true).unwrap()
    });
    let nested = std::path::PathBuf::from(&again.folder);
    assert_eq!(nested.parent(), Some(out.as_path()), "{}", again.folder);
    assert!(nested.join("record.json").is_file());
}

#[test]
fn an_export_goes_where_the_one_rule_says() {
    let course = course();
    let data = course.dir.path().to_owned();
    let base = "Ana Sousa 2026-03-02";
    let new = course.out("new");
    assert_eq!(
        export::destination(&new, &data, base).unwrap(),
        new,
        "a folder that does not exist yet is made"
    );
    let empty = course.out("empty");
    std::fs::create_dir(&empty).unwrap();
    assert_eq!(
        export::destination(&empty, &data, base).unwrap(),
        empty,
        "an empty folder is filled"
    );
    let used = course.out("used");
    std::fs::create_dir_all(used.join(base)).unwrap();
    assert_eq!(
        export::destination(&used, &data, base).unwrap(),
        used.join(format!("{base} (2)")),
        "a folder with things in it gets a free folder named after the client"
    );
    let file = course.out("file.txt");
    std::fs::write(&file, "x").unwrap();
    let refused = [
        (file.clone(), "is a file"),
        (course.out("missing").join("deeper"), "does not exist"),
        (data.join("photos"), "inside Pinpoint's data folder"),
    ];
    for (out, why) in refused {
        let error = export::destination(&out, &data, base).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Invalid, "{error}");
        assert!(error.to_string().contains(why), "{out:?}: {error}");
    }
}

#[test]
fn a_cancelled_export_leaves_nothing() {
    let course = course();
    let out = course.out("cancelled");
    let mut calls = 0;
    let error = course.with(|store| {
        export::client(store, course.client, &out, today(), now(), &mut |_| {
            calls += 1;
            calls < 3
        })
        .unwrap_err()
    });
    assert_eq!(error.kind(), ErrorKind::Cancelled);
    let left: Vec<_> = std::fs::read_dir(course.exports.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("cancelled"))
        .collect();
    assert!(
        left.is_empty(),
        "no folder and no temporary folder: {left:?}"
    );
}

#[test]
fn an_export_record_of_another_kind_or_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let check = |json: &str, expected: &str| {
        let path = dir.path().join("record.json");
        std::fs::write(&path, json).unwrap();
        let error = export::read_record(&path).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Invalid);
        assert!(error.to_string().contains(expected), "{error}");
    };
    check(
        r#"{"format":"something-else","version":1}"#,
        "not a Pinpoint client export",
    );
    check(
        r#"{"format":"pinpoint-client-export","version":2}"#,
        "reads up to version 1",
    );
    check("not json", "not a Pinpoint export");
}

#[test]
fn de_identified_photos_need_marketing_consent_and_carry_no_metadata() {
    let course = course();
    let out = course.out("marketing");
    let refused = course.with(|store| {
        export::deidentified_photos(
            store.db(),
            store.data_dir(),
            course.client,
            &[],
            &out,
            today(),
        )
        .unwrap_err()
    });
    assert_eq!(refused.kind(), ErrorKind::Conflict, "{refused}");
    assert!(
        refused.to_string().contains("marketing-photo consent"),
        "{refused}"
    );
    assert!(!out.exists(), "nothing is written when refused");

    course.with(|store| {
        store
            .write(|tx| {
                consent::add(
                    tx,
                    ConsentId::new(),
                    &consent::NewConsent {
                        client_id: course.client,
                        kind: ConsentKind::MarketingPhotos,
                        given_on: days_before(1),
                        signature: "M 0 0 L 5 5".to_owned(),
                    },
                    "2026-1",
                    today(),
                    now(),
                )
            })
            .unwrap()
    });
    let chosen = [course.photos[0].id, course.photos[3].id];
    let summary = course.with(|store| {
        export::deidentified_photos(
            store.db(),
            store.data_dir(),
            course.client,
            &chosen,
            &out,
            today(),
        )
        .unwrap()
    });
    assert_eq!(
        summary.files,
        ["01_cheeks_front_before.jpg", "02_cheeks_front_after.jpg"],
        "no names, dates or ids in the file names"
    );
    for name in &summary.files {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert_eq!(&bytes[..2], &[0xff, 0xd8], "a JPEG");
        for marker in [
            &b"Exif"[..],
            b"ICC_PROFILE",
            b"Olivia",
            b"http://ns.adobe.com",
        ] {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker),
                "{name} carries no {:?}",
                String::from_utf8_lossy(marker)
            );
        }
    }
    let not_hers = course.with(|store| {
        export::deidentified_photos(
            store.db(),
            store.data_dir(),
            course.client,
            &[PhotoId::new()],
            &course.out("other"),
            today(),
        )
        .unwrap_err()
    });
    assert_eq!(not_hers.kind(), ErrorKind::Invalid);
}

/// Parses CSV the way a spreadsheet would (quotes, doubled quotes, commas
/// and newlines inside quotes).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[test]
fn suggested_file_names_are_safe_on_every_system() {
    use pinpoint_core::report::{pdf_path, safe_file_name, suggested_pdf_path, PdfDocument};
    let check = |name: &str, expected: &str| {
        assert_eq!(safe_file_name(name), expected, "file name for {name:?}");
    };
    check("Ana Sousa", "Ana Sousa");
    check("Zoë O'Brien-Müller", "Zoë O'Brien-Müller");
    check("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j");
    check("  ..hidden.  ", "hidden");
    check("tab\tand\n\nnewline", "tab and newline");
    check("nul\u{0}bell\u{7}", "nul_bell_");
    check("...", "Client");
    check("", "Client");
    assert_eq!(
        safe_file_name(&"x".repeat(200)).chars().count(),
        80,
        "long names are cut"
    );

    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    assert_eq!(
        suggested_pdf_path(
            std::path::Path::new("/home/ana/Documents"),
            "Ana / Sousa",
            PdfDocument::ProgressReport,
            day
        ),
        std::path::PathBuf::from("/home/ana/Documents/Ana _ Sousa progress report 2026-11-25.pdf")
    );
    assert_eq!(
        suggested_pdf_path(
            std::path::Path::new("/d"),
            "Li",
            PdfDocument::Aftercare,
            day
        ),
        std::path::PathBuf::from("/d/Li aftercare 2026-11-25.pdf")
    );
    for (typed, written) in [
        ("/d/report", "/d/report.pdf"),
        ("/d/report.PDF", "/d/report.PDF"),
        ("/d/report.pdf", "/d/report.pdf"),
        ("/d/notes.txt", "/d/notes.txt.pdf"),
    ] {
        assert_eq!(
            pdf_path(std::path::Path::new(typed)),
            std::path::PathBuf::from(written),
            "{typed}"
        );
    }
}

#[test]
fn a_document_is_suggested_under_its_client_and_date_and_an_existing_file_is_kept_unless_replaced()
{
    use report::{check_out_file, suggested_pdf_path_for, PdfDocument};
    let mut c = clinic();
    let session = c.create(&c.draft_for(c.client, days_before(3)));
    let name = pinpoint_core::client::get(c.db(), c.client).unwrap().name;
    let folder = tempfile::tempdir().unwrap();
    let note = suggested_pdf_path_for(
        c.db(),
        folder.path(),
        PdfDocument::TreatmentNote,
        &session.id.to_string(),
        today(),
    )
    .unwrap();
    assert_eq!(
        note,
        folder.path().join(format!(
            "{name} treatment note {}.pdf",
            days_before(3).format("%Y-%m-%d")
        )),
        "a session's document carries the session's date"
    );
    let report = suggested_pdf_path_for(
        c.db(),
        folder.path(),
        PdfDocument::ProgressReport,
        &c.client.to_string(),
        today(),
    )
    .unwrap();
    assert!(report.ends_with(format!(
        "{name} progress report {}.pdf",
        today().format("%Y-%m-%d")
    )));
    let err = suggested_pdf_path_for(
        c.db(),
        folder.path(),
        PdfDocument::Aftercare,
        &c.client.to_string(),
        today(),
    )
    .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::NotFound,
        "a client id is not a session: {err}"
    );

    std::fs::write(&note, b"an earlier note").unwrap();
    assert_eq!(
        check_out_file(&note, false).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    check_out_file(&note, true).expect("replacing was asked for");
}
