//! The role matrix, action by action: every action is tried by every role;
//! a role the matrix does not allow gets `forbidden` and nothing is
//! written, a role it allows is never refused for its role.

use std::path::Path;

use chrono::FixedOffset;
use pinpoint_core::action::access::{self, Permission, Role};
use pinpoint_core::action::{
    accounts, capture, catalogue, clients, documents, photos, progress, records, safety, sessions,
    unwatched, Actor, Clinic, Clock, Ctx,
};
use pinpoint_core::client::{ClientInput, ClientQuery};
use pinpoint_core::ids::{AdverseEventId, ClientId, ConsentId, PhotoId, ProductId, SessionId};
use pinpoint_core::photo::{PhotoKind, PhotoPose, PhotoSize, PhotoTags};
use pinpoint_core::{ErrorKind, Result};
use serde_json::json;

use crate::now;

const ROLES: [Role; 4] = [
    Role::Owner,
    Role::Practitioner,
    Role::Assistant,
    Role::Reviewer,
];

/// A clinic with a practitioner, a client and an unsigned session.
struct Setup {
    dir: tempfile::TempDir,
    clinic: Clinic,
    client: ClientId,
    session: SessionId,
    practitioner: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let clinic = crate::open_clinic(&dir.path().join("data"));
    let ctx = Ctx::new(&clinic, clock());
    let practitioner = catalogue::add_practitioner(&ctx, "Maya Lewis", "RN").unwrap();
    let client = clients::create_client(&ctx, &input("Olivia Bennett"))
        .unwrap()
        .id;
    let mut draft =
        sessions::blank_draft(&ctx, client, practitioner.id, sessions::PlanChoice::None).unwrap();
    draft.started_at = "2026-11-20T10:00:00+01:00".to_owned();
    draft.zones = vec![pinpoint_core::session::ZoneInput {
        zone: "cheeks".to_owned(),
        depth_mm: 1.0,
        passes: 2,
        technique: String::new(),
    }];
    let overrides =
        sessions::answer_warnings(&ctx, &draft, None, Vec::new(), Some("test")).unwrap();
    let session = sessions::create_session(&ctx, &draft, &overrides)
        .unwrap()
        .id;
    Setup {
        dir,
        clinic,
        client,
        session,
        practitioner: practitioner.id.to_string(),
    }
}

fn clock() -> Clock {
    Clock::at(now(), FixedOffset::east_opt(3600).unwrap())
}

fn input(name: &str) -> ClientInput {
    serde_json::from_value(json!({
        "name": name, "date_of_birth": null, "phone": null, "email": null, "fitzpatrick": null,
        "glogau": null, "indications": [], "alerts": "", "notes": "",
    }))
    .unwrap()
}

/// How many rows every table holds: changes when anything is written.
fn fingerprint(data: &Path) -> Vec<(String, i64)> {
    let raw = crate::Raw::open(data);
    raw.tables()
        .into_iter()
        .map(|t| {
            let n = raw
                .db()
                .query_one(&format!("SELECT count(*) FROM \"{t}\""), &[], &t, |row| {
                    row.get(0)
                })
                .unwrap();
            (t, n)
        })
        .collect()
}

type Try = fn(&Ctx<'_>, &Setup) -> Result<()>;

/// Every action a person can take, with the permission it needs.
fn actions() -> Vec<(&'static str, Permission, Try)> {
    use Permission as P;
    let out = |dir: &Setup, name: &str| dir.dir.path().join(name);
    let _ = out;
    vec![
        ("list_clients", P::ReadClients, |c, _| {
            clients::list_clients(c, &ClientQuery::default()).map(drop)
        }),
        ("get_client", P::ReadClients, |c, s| {
            clients::get_client(c, s.client).map(drop)
        }),
        ("count_clients", P::ReadClients, |c, _| {
            clients::count_clients(c).map(drop)
        }),
        ("create_client", P::EditClients, |c, _| {
            clients::create_client(c, &input("Ana Sousa")).map(drop)
        }),
        ("update_client", P::EditClients, |c, s| {
            clients::update_client(c, s.client, &input("Olivia B. Bennett"), None).map(drop)
        }),
        ("set_client_archived", P::EditClients, |c, s| {
            clients::set_client_archived(c, s.client, false).map(drop)
        }),
        ("client_retention", P::ReadClients, |c, s| {
            clients::client_retention(c, s.client).map(drop)
        }),
        ("past_retention", P::EraseClients, |c, _| {
            clients::past_retention(c).map(drop)
        }),
        // Allowed, it stops at the name typed to confirm: nothing erased.
        ("erase_client", P::EraseClients, |c, s| {
            use pinpoint_core::erasure::ErasureReason;
            clients::erase_client(c, s.client, ErasureReason::ClientRequest, "not the name")
                .map(drop)
        }),
        ("client_record", P::ReadClients, |c, s| {
            clients::client_record(c, s.client).map(drop)
        }),
        ("add_screening", P::EditClinical, |c, s| {
            records::add_screening(
                c,
                &records::NewScreening {
                    client_id: s.client,
                    taken_on: c.today(),
                    answers: vec![],
                },
            )
            .map(drop)
        }),
        ("screening_questions", P::ReadCatalogue, |c, _| {
            records::screening_questions(c).map(drop)
        }),
        ("add_consent", P::ManageConsents, |c, s| {
            records::add_consent(
                c,
                &records::NewConsent {
                    client_id: s.client,
                    kind: pinpoint_core::consent::ConsentKind::Treatment,
                    given_on: c.today(),
                    signature: "O. B.".into(),
                },
            )
            .map(drop)
        }),
        ("revoke_consent", P::ManageConsents, |c, _| {
            records::revoke_consent(c, ConsentId::new(), c.today(), "asked").map(drop)
        }),
        ("list_consents", P::ManageConsents, |c, s| {
            records::list_consents(c, s.client).map(drop)
        }),
        ("add_plan", P::EditClinical, |c, s| {
            let plan = serde_json::from_value(json!({
                "created_on": c.today(), "goals": "", "concerns": "", "skin_assessment": "",
                "zones": [{ "zone": "cheeks", "target_depth": 1.0 }], "sessions_planned": 3, "interval_days": 35,
            })).unwrap();
            records::add_plan(c, s.client, &plan).map(drop)
        }),
        ("list_plans", P::ReadClinical, |c, s| {
            records::list_plans(c, s.client).map(drop)
        }),
        ("get_session", P::ReadClinical, |c, s| {
            sessions::get_session(c, s.session).map(drop)
        }),
        ("list_sessions", P::ReadClinical, |c, s| {
            sessions::list_sessions(c, s.client).map(drop)
        }),
        ("default_session_plan", P::ReadClinical, |c, s| {
            sessions::default_session_plan(c, s.client).map(drop)
        }),
        ("blank_draft", P::EditClinical, |c, s| {
            sessions::blank_draft(
                c,
                s.client,
                s.practitioner.parse()?,
                sessions::PlanChoice::None,
            )
            .map(drop)
        }),
        ("preview_session", P::EditClinical, |c, s| {
            let (draft, _) = sessions::amendment_draft(&Ctx::new(c.clinic, c.clock), s.session)?;
            sessions::preview_session(c, &draft, Some(s.session)).map(drop)
        }),
        ("answer_warnings", P::EditClinical, |c, s| {
            let (draft, _) = sessions::amendment_draft(&Ctx::new(c.clinic, c.clock), s.session)?;
            sessions::answer_warnings(c, &draft, Some(s.session), vec![], Some("ok")).map(drop)
        }),
        ("create_session", P::EditClinical, |c, s| {
            let (mut draft, o) =
                sessions::amendment_draft(&Ctx::new(c.clinic, c.clock), s.session)?;
            draft.started_at = "2026-11-21T10:00:00+01:00".into();
            sessions::create_session(c, &draft, &o).map(drop)
        }),
        ("update_session", P::EditClinical, |c, s| {
            let (draft, o) = sessions::amendment_draft(&Ctx::new(c.clinic, c.clock), s.session)?;
            sessions::update_session(c, s.session, &draft, &o, None).map(drop)
        }),
        ("sign_session", P::SignSessions, |c, _| {
            sessions::sign_session(c, SessionId::new(), None, Some("0000")).map(drop)
        }),
        ("list_screenings", P::ReadClinical, |c, s| {
            records::list_screenings(c, s.client).map(drop)
        }),
        ("cosign_session", P::CoSign, |c, _| {
            sessions::cosign_session(c, SessionId::new(), "0000").map(drop)
        }),
        ("sessions_to_cosign", P::CoSign, |c, _| {
            sessions::sessions_to_cosign(c).map(drop)
        }),
        ("access_report", P::ReadAudit, |c, s| {
            pinpoint_core::action::activity::access_report(c, s.client).map(drop)
        }),
        ("account_activity", P::ManageAccounts, |c, _| {
            let id = pinpoint_core::ids::AccountId::new();
            pinpoint_core::action::activity::account_activity(c, id).map(drop)
        }),
        ("export_access_report", P::ReadAudit, |c, s| {
            use pinpoint_core::action::activity::{export_access_report, ReportFormat};
            let out = s.dir.path().join("access.csv");
            export_access_report(c, s.client, ReportFormat::Csv, &out, false).map(drop)
        }),
        ("amendment_draft", P::EditClinical, |c, s| {
            sessions::amendment_draft(c, s.session).map(drop)
        }),
        ("amend_session", P::EditClinical, |c, s| {
            let (draft, o) = sessions::amendment_draft(&Ctx::new(c.clinic, c.clock), s.session)?;
            sessions::amend_session(c, SessionId::new(), &draft, &o, "typo", Some("0000")).map(drop)
        }),
        ("get_settings", P::ReadCatalogue, |c, _| {
            catalogue::get_settings(c).map(drop)
        }),
        ("save_settings", P::ManageSettings, |c, _| {
            let settings = catalogue::get_settings(&Ctx::new(c.clinic, c.clock))?;
            catalogue::save_settings(c, &settings).map(drop)
        }),
        ("list_practitioners", P::ReadCatalogue, |c, _| {
            catalogue::list_practitioners(c).map(drop)
        }),
        ("find_practitioner", P::ReadCatalogue, |c, _| {
            catalogue::find_practitioner(c, "Maya Lewis").map(drop)
        }),
        ("add_practitioner", P::ManageAccounts, |c, _| {
            catalogue::add_practitioner(c, "Ravi Patel", "MD").map(drop)
        }),
        ("list_devices", P::ReadCatalogue, |c, _| {
            catalogue::list_devices(c).map(drop)
        }),
        ("find_device", P::ReadCatalogue, |c, _| {
            catalogue::find_device(c, "none such").map(drop)
        }),
        ("add_device", P::ManageCatalogue, |c, _| {
            let device = serde_json::from_value(json!({
                "model": "Dermapen 4", "serial": "", "min_depth_mm": 0.25, "max_depth_mm": 2.5,
                "step_mm": 0.25, "evaluated_up_to_mm": null,
            }))
            .unwrap();
            catalogue::add_device(c, &device).map(drop)
        }),
        ("list_products", P::ReadCatalogue, |c, _| {
            catalogue::list_products(c).map(drop)
        }),
        ("find_product", P::ReadCatalogue, |c, _| {
            catalogue::find_product(c, "none such").map(drop)
        }),
        ("add_product", P::ManageCatalogue, |c, _| {
            catalogue::add_product(
                c,
                &catalogue::NewProduct {
                    name: "HA serum".into(),
                    kind: pinpoint_core::catalogue::ProductKind::Serum,
                    manufacturer: String::new(),
                    needle_count: None,
                },
            )
            .map(drop)
        }),
        ("add_lot", P::ManageCatalogue, |c, _| {
            catalogue::add_lot(c, ProductId::new(), "L-1", None).map(drop)
        }),
        ("recall_lot", P::ReadClinical, |c, _| {
            catalogue::recall_lot(c, "L-1").map(drop)
        }),
        ("client_timeline", P::ReadClinical, |c, s| {
            progress::client_timeline(c, s.client).map(drop)
        }),
        ("add_score", P::EditClinical, |c, s| {
            progress::add_score(
                c,
                &progress::NewScore {
                    client_id: s.client,
                    scale: pinpoint_core::outcome::Scale::Satisfaction,
                    value: 8.0,
                    recorded_on: c.today(),
                    subject: Default::default(),
                    note: String::new(),
                },
            )
            .map(drop)
        }),
        ("add_follow_up", P::EditClinical, |c, s| {
            progress::add_follow_up(c, s.client, c.today(), "review").map(drop)
        }),
        ("report_adverse_event", P::EditClinical, |c, s| {
            progress::report_adverse_event(
                c,
                &progress::NewAdverseEvent {
                    client_id: s.client,
                    session_id: None,
                    started_on: c.today(),
                    description: "bruising".into(),
                    severity: pinpoint_core::followup::Severity::Mild,
                },
            )
            .map(drop)
        }),
        ("resolve_adverse_event", P::EditClinical, |c, _| {
            progress::resolve_adverse_event(c, AdverseEventId::new(), c.today(), "settled")
                .map(drop)
        }),
        ("import_photos", P::CapturePhotos, |c, s| {
            let import = photos::PhotoImport {
                client_id: s.client,
                tags: PhotoTags {
                    session_id: None,
                    follow_up_id: None,
                    kind: PhotoKind::Before,
                    zone: "cheeks".into(),
                    pose: PhotoPose::Front,
                    custom_pose: None,
                },
                files: vec![s.dir.path().join("no-such-photo.jpg")],
            };
            unwatched("photo import", |task| {
                photos::import_photos(c, &import, task)
            })
            .map(drop)
        }),
        ("list_photos", P::ViewPhotos, |c, s| {
            photos::list_photos(c, s.client).map(drop)
        }),
        ("set_photo_tags", P::CapturePhotos, |c, s| {
            let tags = PhotoTags {
                session_id: Some(s.session),
                follow_up_id: None,
                kind: PhotoKind::After,
                zone: "cheeks".into(),
                pose: PhotoPose::Front,
                custom_pose: None,
            };
            photos::set_photo_tags(c, PhotoId::new(), &tags).map(drop)
        }),
        ("set_photo_alignment", P::EditClinical, |c, _| {
            photos::set_photo_alignment(c, PhotoId::new(), None).map(drop)
        }),
        ("auto_align", P::EditClinical, |c, _| {
            photos::auto_align(c, PhotoId::new(), PhotoId::new(), false).map(drop)
        }),
        ("set_photo_portrait", P::CapturePhotos, |c, _| {
            photos::set_photo_portrait(c, PhotoId::new(), true).map(drop)
        }),
        ("client_portrait", P::ViewPhotos, |c, s| {
            photos::client_portrait(c, s.client).map(drop)
        }),
        ("capture_plan", P::CapturePhotos, |c, s| {
            capture::capture_plan(c, capture_target(s)).map(drop)
        }),
        ("capture_upload", P::CapturePhotos, |c, s| {
            let upload = capture::CaptureUpload {
                kind: PhotoKind::After,
                zone: "cheeks".into(),
                pose: PhotoPose::Front,
                conditions: Vec::new(),
                name: "IMG_1.JPG".into(),
            };
            capture::capture_upload(c, capture_target(s), &upload, b"not a photo".to_vec())
                .map(drop)
        }),
        ("export_comparison", P::ExportRecords, |c, s| {
            photos::export_comparison(
                c,
                (PhotoId::new(), PhotoId::new()),
                photos::ComparisonUse::ClientCopy,
                b"",
                &s.dir.path().join("comparison.jpg"),
                false,
            )
            .map(drop)
        }),
        ("stored_identity", P::CapturePhotos, |c, _| {
            capture::stored_identity(c).map(drop)
        }),
        ("store_identity", P::CapturePhotos, |c, _| {
            capture::store_identity(c, b"{}")
        }),
        ("compare_candidates", P::ViewPhotos, |c, s| {
            photos::compare_candidates(c, s.client).map(drop)
        }),
        ("photo_file", P::ViewPhotos, |c, _| {
            photos::photo_file(c, PhotoId::new(), PhotoSize::Thumb).map(drop)
        }),
        ("export_photo", P::ExportRecords, |c, s| {
            photos::export_photo(
                c,
                PhotoId::new(),
                PhotoSize::Original,
                &s.dir.path().join("p.jpg"),
            )
            .map(drop)
        }),
        ("export_document", P::PrintDocuments, |c, s| {
            documents::export_document(
                c,
                documents::Document::TreatmentNote(s.session),
                &s.dir.path().join("note.pdf"),
                true,
            )
            .map(drop)
        }),
        ("suggest_pdf_path", P::PrintDocuments, |c, s| {
            documents::suggest_pdf_path(
                c,
                s.dir.path(),
                pinpoint_core::report::PdfDocument::ProgressReport,
                &s.client.to_string(),
            )
            .map(drop)
        }),
        ("export_client", P::ExportRecords, |c, s| {
            unwatched("client export", |task| {
                documents::export_client(
                    c,
                    s.client,
                    &s.dir.path().join("no-such-parent").join("x"),
                    task,
                )
            })
            .map(drop)
        }),
        ("export_deidentified_photos", P::ExportRecords, |c, s| {
            documents::export_deidentified_photos(c, s.client, &[], &s.dir.path().join("deid"))
                .map(drop)
        }),
        ("check_data", P::CheckData, |c, _| {
            safety::check_data(c, false).map(drop)
        }),
        ("get_auto_backup", P::ManageBackups, |c, _| {
            safety::get_auto_backup(c).map(drop)
        }),
        ("save_auto_backup", P::ManageBackups, |c, _| {
            let settings = safety::get_auto_backup(&Ctx::new(c.clinic, c.clock))?;
            safety::save_auto_backup(c, &settings).map(drop)
        }),
        ("backup_to_file", P::ManageBackups, |c, s| {
            unwatched("backup", |task| {
                safety::backup_to_file(c, &s.dir.path().join("no-such-folder").join("b.tar"), task)
            })
            .map(drop)
        }),
        ("backup_now", P::ManageBackups, |c, _| {
            unwatched("backup", |task| safety::backup_now(c, None, task)).map(drop)
        }),
        ("move_into_clinic", P::ManageBackups, |c, _| {
            // Into itself: refused as a bad destination once allowed.
            safety::move_into_clinic(c, c.clinic, &mut |_, _| {}).map(drop)
        }),
        ("fill_demo", P::ManageSettings, |c, _| {
            safety::fill_demo(c).map(drop)
        }),
        ("sweep_orphans", P::ManageSettings, |c, _| {
            safety::sweep_orphans(c).map(drop)
        }),
        ("list_accounts", P::ManageAccounts, |c, _| {
            accounts::list_accounts(c).map(drop)
        }),
        ("add_account", P::ManageAccounts, |c, _| {
            let input = pinpoint_core::account::NewAccount {
                name: "Sam Desk".into(),
                role: Role::Assistant,
                practitioner_id: None,
                treats: None,
                passphrase: None,
                pin: None,
            };
            accounts::add_account(c, &input).map(drop)
        }),
        ("set_account_disabled", P::ManageAccounts, |c, _| {
            accounts::set_account_disabled(c, pinpoint_core::ids::AccountId::new(), true).map(drop)
        }),
    ]
}

fn capture_target(s: &Setup) -> capture::CaptureTarget {
    capture::CaptureTarget {
        client_id: s.client,
        session_id: Some(s.session),
        follow_up_id: None,
    }
}

#[test]
fn every_action_is_tried_by_every_role() {
    let s = setup();
    let data = s.dir.path().join("data");
    let mut refused = 0;
    for role in ROLES {
        for (name, permission, try_it) in actions() {
            let ctx = Ctx::new(&s.clinic, clock()).acting_as(Actor::Account {
                id: pinpoint_core::ids::AccountId::new(),
                name: "Sam".to_owned(),
                role,
            });
            let before = fingerprint(&data);
            let result = try_it(&ctx, &s);
            let forbidden = matches!(&result, Err(e) if e.kind() == ErrorKind::Forbidden);
            if role.allows(permission) {
                assert!(!forbidden, "{role} may {name}, yet: {result:?}");
            } else {
                assert!(forbidden, "{role} may not {name}, yet it got {result:?}");
                let message = result.unwrap_err().to_string();
                assert!(
                    message.starts_with("Sam signed in as") && message.contains(permission.words()),
                    "{name}: the refusal says who and what: {message}"
                );
                assert_eq!(
                    fingerprint(&data),
                    before,
                    "{role} refused {name}: nothing may be written"
                );
                refused += 1;
            }
        }
    }
    assert!(
        refused > 50,
        "the matrix refuses something to most roles ({refused})"
    );
}

#[test]
fn the_workstation_without_accounts_may_do_everything() {
    let s = setup();
    let ctx = Ctx::new(&s.clinic, clock());
    for (name, _, try_it) in actions() {
        let result = try_it(&ctx, &s);
        assert!(
            !matches!(&result, Err(e) if e.kind() == ErrorKind::Forbidden),
            "{name}: {result:?}"
        );
    }
}

/// The matrix as the map shows it.
fn matrix_table() -> String {
    let mut lines = vec![
        "| permission | owner | practitioner | assistant | reviewer |".to_owned(),
        "| --- | --- | --- | --- | --- |".to_owned(),
    ];
    for (permission, allowed) in access::matrix() {
        let cells: Vec<&str> = allowed
            .iter()
            .map(|&a| if a { "yes" } else { "—" })
            .collect();
        lines.push(format!(
            "| {} | {} |",
            permission.words(),
            cells.join(" | ")
        ));
    }
    lines.join("\n")
}

#[test]
fn the_map_shows_the_matrix_as_it_is() {
    let map = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md"),
    )
    .unwrap();
    let table = matrix_table();
    assert!(
        map.contains(&table),
        "ARCHITECTURE.md must show the role matrix as the core has it:\n{table}"
    );
}

#[test]
fn roles_read_as_typed() {
    assert_eq!(Role::parse("Front desk").unwrap(), Role::Assistant);
    assert_eq!(
        Role::parse("doctor").unwrap_err().to_string(),
        "role \"doctor\" should be one of owner, practitioner, assistant, reviewer"
    );
}
