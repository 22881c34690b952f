//! Signatures that mean something, and an audit that names who: a session
//! is signed by its practitioner's own account with their PIN, the
//! signature holds the hash of what it covers, a clinic can ask for a
//! co-signature; every event names its actor, and reads that matter reach
//! the client's access report.

use chrono::{Duration, FixedOffset};
use pinpoint_core::account::{NewAccount, Treats};
use pinpoint_core::action::accounts::{self, FirstOwner};
use pinpoint_core::action::{activity, catalogue, clients, photos, sessions};
use pinpoint_core::action::{Actor, Clinic, Clock, Ctx, Role};
use pinpoint_core::ids::{ClientId, SessionId};
use pinpoint_core::settings::CosignRule;
use pinpoint_core::ErrorKind;
use serde_json::json;

use crate::now;

fn clock_at(minutes: i64) -> Clock {
    Clock::at(
        now() + Duration::minutes(minutes),
        FixedOffset::east_opt(0).unwrap(),
    )
}

const PASSPHRASE: &str = "a long enough passphrase";

struct Clinic3 {
    _dir: tempfile::TempDir,
    clinic: Clinic,
    owner: Actor,
    maya: Actor,
    leo: Actor,
    desk: Actor,
    client: ClientId,
}

/// An owner who does not treat; Maya (a prescriber) and Leo (not one),
/// practitioners; Sam at the front desk; one client.
fn clinic_of_three(rule: CosignRule) -> Clinic3 {
    let dir = tempfile::tempdir().unwrap();
    let clinic = crate::open_clinic(dir.path());
    let first = FirstOwner {
        clinic_name: "Harbour Skin".to_owned(),
        name: "Hannah Owner".to_owned(),
        passphrase: PASSPHRASE.to_owned(),
        pin: "1111".to_owned(),
        treats: None,
    };
    let owner = accounts::create_first_owner(&clinic, clock_at(0), &first).unwrap();
    let as_owner = Ctx::new(&clinic, clock_at(0)).acting_as(owner.clone());
    let mut settings = catalogue::get_settings(&as_owner).unwrap();
    settings.cosign = rule;
    catalogue::save_settings(&as_owner, &settings).unwrap();
    let add = |name: &str, role, treats: Option<Treats>, pin: &str| {
        let input = NewAccount {
            name: name.to_owned(),
            role,
            practitioner_id: None,
            treats,
            passphrase: Some(PASSPHRASE.to_owned()),
            pin: Some(pin.to_owned()),
        };
        let account = accounts::add_account(&as_owner, &input).unwrap();
        Actor::Account {
            id: account.id,
            name: account.name,
            role,
        }
    };
    let treats = |prescriber| {
        Some(Treats {
            credentials: "RN".to_owned(),
            prescriber,
        })
    };
    let maya = add("Maya Lewis", Role::Practitioner, treats(true), "2222");
    let leo = add("Leo Marsh", Role::Practitioner, treats(false), "3333");
    let desk = add("Sam Desk", Role::Assistant, None, "4444");
    let as_desk = Ctx::new(&clinic, clock_at(1)).acting_as(desk.clone());
    let client = clients::create_client(
        &as_desk,
        &serde_json::from_value(json!({
            "name": "Olivia Bennett", "date_of_birth": null, "phone": null, "email": null,
            "fitzpatrick": null, "glogau": null, "indications": [], "alerts": "", "notes": "",
        }))
        .unwrap(),
    )
    .unwrap()
    .id;
    Clinic3 {
        _dir: dir,
        clinic,
        owner,
        maya,
        leo,
        desk,
        client,
    }
}

/// A session of `client` treated by `who`, recorded as them.
fn session_by(c: &Clinic3, who: &Actor) -> SessionId {
    let ctx = Ctx::new(&c.clinic, clock_at(2)).acting_as(who.clone());
    let me = accounts::me(&ctx).unwrap().unwrap();
    let mut draft = sessions::blank_draft(
        &ctx,
        c.client,
        me.practitioner_id.unwrap(),
        sessions::PlanChoice::None,
    )
    .unwrap();
    draft.started_at = (now() - Duration::hours(1)).to_rfc3339();
    draft.zones = vec![pinpoint_core::session::ZoneInput {
        zone: "cheeks".to_owned(),
        depth_mm: 1.0,
        passes: 2,
        technique: String::new(),
    }];
    let overrides =
        sessions::answer_warnings(&ctx, &draft, None, Vec::new(), Some("test")).unwrap();
    sessions::create_session(&ctx, &draft, &overrides)
        .unwrap()
        .id
}

#[test]
fn a_session_is_signed_by_its_own_practitioner_with_their_pin_and_the_hash_of_its_content() {
    let c = clinic_of_three(CosignRule::Never);
    let id = session_by(&c, &c.maya);
    let as_leo = Ctx::new(&c.clinic, clock_at(3)).acting_as(c.leo.clone());
    let not_his = sessions::sign_session(&as_leo, id, None, Some("3333")).unwrap_err();
    assert_eq!(not_his.kind(), ErrorKind::Forbidden, "{not_his}");
    assert!(not_his.to_string().contains("Maya Lewis"), "{not_his}");

    let as_maya = Ctx::new(&c.clinic, clock_at(4)).acting_as(c.maya.clone());
    let no_pin = sessions::sign_session(&as_maya, id, None, None).unwrap_err();
    assert_eq!(no_pin.field(), Some("pin"));
    let wrong = sessions::sign_session(&as_maya, id, None, Some("9999")).unwrap_err();
    assert!(wrong.to_string().contains("wrong PIN"), "{wrong}");
    assert!(
        sessions::get_session(&as_maya, id)
            .unwrap()
            .signed_at
            .is_none(),
        "a refused signature signs nothing"
    );

    let signed = sessions::sign_session(&as_maya, id, None, Some("2222")).unwrap();
    let signature = signed.signature.clone().expect("signed by an account");
    assert_eq!(signature.account_name, "Maya Lewis");
    assert_eq!(signature.at, clock_at(4).now);
    assert_eq!(
        signature.content_hash,
        pinpoint_core::session::content_hash(&signed),
        "the hash is of the content as signed"
    );
    assert_eq!(signature.content_hash.len(), 64);
    assert!(!signed.cosign_required, "this clinic asks no co-signature");

    let mut changed = signed.clone();
    changed.pain = Some(9);
    assert_ne!(
        pinpoint_core::session::content_hash(&changed),
        signature.content_hash,
        "any change to the content changes the hash"
    );
}

#[test]
fn a_clinic_can_ask_a_second_signature_of_sessions_by_non_prescribers() {
    let c = clinic_of_three(CosignRule::NonPrescribers);
    let by_maya = session_by(&c, &c.maya);
    let by_leo = session_by(&c, &c.leo);
    let sign = |who: &Actor, id, pin| {
        let ctx = Ctx::new(&c.clinic, clock_at(5)).acting_as(who.clone());
        sessions::sign_session(&ctx, id, None, Some(pin)).unwrap()
    };
    assert!(!sign(&c.maya, by_maya, "2222").cosign_required);
    assert!(sign(&c.leo, by_leo, "3333").cosign_required);

    let as_owner = Ctx::new(&c.clinic, clock_at(6)).acting_as(c.owner.clone());
    let waiting: Vec<SessionId> = sessions::sessions_to_cosign(&as_owner)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(waiting, [by_leo], "only Leo's session waits");
    let as_leo = Ctx::new(&c.clinic, clock_at(6)).acting_as(c.leo.clone());
    let himself = sessions::cosign_session(&as_leo, by_leo, "3333").unwrap_err();
    assert_eq!(himself.kind(), ErrorKind::Forbidden, "{himself}");

    let cosigned = sessions::cosign_session(&as_owner, by_leo, "1111").unwrap();
    let second = cosigned.cosignature.expect("co-signed");
    assert_eq!(second.account_name, "Hannah Owner");
    assert_eq!(
        second.content_hash,
        cosigned.signature.unwrap().content_hash,
        "both signatures cover the same content"
    );
    assert!(sessions::sessions_to_cosign(&as_owner).unwrap().is_empty());
}

#[test]
fn every_event_names_its_actor_and_the_access_report_lists_who_saw_what() {
    let c = clinic_of_three(CosignRule::Never);
    let as_maya = Ctx::new(&c.clinic, clock_at(10)).acting_as(c.maya.clone());
    clients::client_record(&as_maya, c.client).unwrap();
    photos::list_photos(&as_maya, c.client).unwrap();
    let as_desk = Ctx::new(&c.clinic, clock_at(11)).acting_as(c.desk.clone());
    let front_desk = clients::client_record(&as_desk, c.client).unwrap();
    assert!(
        front_desk.clinical_hidden && front_desk.sessions.is_empty(),
        "the front desk sees identity and consents only"
    );
    let photos_refused = photos::list_photos(&as_desk, c.client).unwrap_err();
    assert_eq!(photos_refused.kind(), ErrorKind::Forbidden);

    let as_owner = Ctx::new(&c.clinic, clock_at(12)).acting_as(c.owner.clone());
    let report = activity::access_report(&as_owner, c.client).unwrap();
    let lines: Vec<(String, String)> = report
        .iter()
        .map(|e| (e.who.clone().unwrap_or_default(), e.what.clone()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("Sam Desk", "added the client's details"),
        ("Maya Lewis", "opened the record"),
        ("Maya Lewis", "viewed the photos"),
        ("Sam Desk", "opened the record"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(lines, expected, "reads noted in memory reach the report");
    assert!(report.windows(2).all(|w| w[0].seq < w[1].seq));

    let Actor::Account { id: maya_id, .. } = c.maya else {
        unreachable!()
    };
    let maya_did = activity::account_activity(&as_owner, maya_id).unwrap();
    assert_eq!(maya_did[0].what, "viewed the photos", "newest first");

    let chain =
        pinpoint_core::audit::verify_chain(crate::Raw::open(c.clinic.data_dir()).db()).unwrap();
    assert!(chain.first_broken.is_none(), "the chain holds: {chain:?}");

    let csv = c._dir.path().join("access.csv");
    activity::export_access_report(
        &as_owner,
        c.client,
        activity::ReportFormat::Csv,
        &csv,
        false,
    )
    .unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("when (UTC),who,what,record,event\n"),
        "{text}"
    );
    assert!(
        text.contains(",Maya Lewis,viewed the photos,client,"),
        "{text}"
    );
}

#[test]
fn the_actor_is_part_of_the_hashed_event() {
    let c = clinic_of_three(CosignRule::Never);
    let dir = c.clinic.data_dir().to_owned();
    drop(c.clinic);
    let raw = crate::Raw::open(&dir);
    raw.db()
        .execute_batch(&format!(
            "{}
             UPDATE audit_event SET actor_name = 'Somebody Else' WHERE actor_name = 'Sam Desk';",
            crate::drop_trigger("audit_event_no_update", "audit_event")
        ))
        .unwrap();
    let chain = pinpoint_core::audit::verify_chain(raw.db()).unwrap();
    let broken = chain
        .first_broken
        .expect("a rewritten actor breaks the chain");
    assert_eq!(broken.reason, "its content does not match its hash");
}
