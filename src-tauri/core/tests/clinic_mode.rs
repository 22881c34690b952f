//! Clinic mode as the clinic's rooms live it: two desktops, each with its
//! own folder and connection, on one PostgreSQL database (a throwaway
//! server of the test's own, whatever engine the rest of the run uses).
//! An edit made from a stale form is refused with the name of who changed
//! the record; two signatures of one session at the same moment leave
//! exactly one; each desktop hears what the other committed.

use std::sync::Barrier;
use std::time::Duration;

use chrono::FixedOffset;
use pinpoint_core::account::{NewAccount, Treats};
use pinpoint_core::action::accounts::{self, FirstOwner};
use pinpoint_core::action::{clients, sessions, Actor, Clinic, Clock, Ctx, Role};
use pinpoint_core::client::ClientInput;
use pinpoint_core::db::local::LocalPostgres;
use pinpoint_core::db::PgConn;
use pinpoint_core::ids::{ClientId, SessionId};
use pinpoint_core::{ErrorKind, Store};

use crate::now;

const PASSPHRASE: &str = "a long enough passphrase";

fn clock_at(minutes: i64) -> Clock {
    Clock::at(
        now() + chrono::Duration::minutes(minutes),
        FixedOffset::east_opt(0).unwrap(),
    )
}

/// One clinic server and two treatment rooms on it.
struct Rooms {
    _folders: [tempfile::TempDir; 3],
    _server: LocalPostgres,
    one: Clinic,
    two: Clinic,
    owner: Actor,
    maya: Actor,
    client: ClientId,
}

fn desktop(server: &LocalPostgres, folder: &tempfile::TempDir) -> Clinic {
    let pg = PgConn::connect(&server.params()).expect("connect to the clinic server");
    Clinic::new(Store::open_clinic(folder.path(), pg).expect("open clinic mode"))
}

/// The owner works in room one; Maya, a prescribing practitioner, in room
/// two; one client on record.
fn rooms() -> Rooms {
    let (server_folder, server) = crate::db::server();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let one = desktop(&server, &a);
    let first = FirstOwner {
        clinic_name: "Harbour Skin".to_owned(),
        name: "Hannah Owner".to_owned(),
        passphrase: PASSPHRASE.to_owned(),
        pin: "1111".to_owned(),
        treats: None,
    };
    let owner = accounts::create_first_owner(&one, clock_at(0), &first).unwrap();
    let as_owner = Ctx::new(&one, clock_at(0)).acting_as(owner.clone());
    let account = accounts::add_account(
        &as_owner,
        &NewAccount {
            name: "Maya Lewis".to_owned(),
            role: Role::Practitioner,
            practitioner_id: None,
            treats: Some(Treats {
                credentials: "RN".to_owned(),
                prescriber: true,
            }),
            passphrase: Some(PASSPHRASE.to_owned()),
            pin: Some("2222".to_owned()),
        },
    )
    .unwrap();
    let maya = Actor::Account {
        id: account.id,
        name: account.name,
        role: Role::Practitioner,
    };
    let client = clients::create_client(&as_owner, &named("Olivia Bennett"))
        .unwrap()
        .id;
    let two = desktop(&server, &b);
    Rooms {
        _folders: [server_folder, a, b],
        _server: server,
        one,
        two,
        owner,
        maya,
        client,
    }
}

fn named(name: &str) -> ClientInput {
    ClientInput {
        name: name.to_owned(),
        ..ClientInput::default()
    }
}

fn session_of(r: &Rooms) -> (SessionId, Vec<pinpoint_core::warnings::WarningOverride>) {
    let ctx = Ctx::new(&r.two, clock_at(2)).acting_as(r.maya.clone());
    let me = accounts::me(&ctx).unwrap().unwrap();
    let mut draft = sessions::blank_draft(
        &ctx,
        r.client,
        me.practitioner_id.unwrap(),
        sessions::PlanChoice::None,
    )
    .unwrap();
    draft.started_at = (now() - chrono::Duration::hours(1)).to_rfc3339();
    draft.zones = vec![pinpoint_core::session::ZoneInput {
        zone: "cheeks".to_owned(),
        depth_mm: 1.0,
        passes: 2,
        technique: String::new(),
    }];
    let overrides =
        sessions::answer_warnings(&ctx, &draft, None, Vec::new(), Some("test")).unwrap();
    let id = sessions::create_session(&ctx, &draft, &overrides)
        .unwrap()
        .id;
    (id, overrides)
}

#[test]
fn an_edit_from_a_stale_form_is_refused_naming_who_changed_the_record() {
    let r = rooms();
    let as_owner = Ctx::new(&r.one, clock_at(3)).acting_as(r.owner.clone());
    let as_maya = Ctx::new(&r.two, clock_at(4)).acting_as(r.maya.clone());
    // Both rooms open the record.
    let opened = clients::get_client(&as_owner, r.client).unwrap();
    let seen_by_maya = clients::get_client(&as_maya, r.client).unwrap();
    assert_eq!(opened, seen_by_maya, "both rooms read the same record");

    let mut hers = named("Olivia Bennett");
    hers.alerts = "allergic to lidocaine".to_owned();
    clients::update_client(&as_maya, r.client, &hers, Some(seen_by_maya.updated_at)).unwrap();

    // The owner saves from the form filled before Maya's change.
    let as_owner = Ctx::new(&r.one, clock_at(5)).acting_as(r.owner.clone());
    let mut his = named("Olivia Bennett-Shaw");
    his.alerts = String::new();
    let refused =
        clients::update_client(&as_owner, r.client, &his, Some(opened.updated_at)).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Conflict, "{refused}");
    let said = refused.to_string();
    assert!(
        said.contains("Maya Lewis changed this client's record a moment ago"),
        "{said}"
    );
    assert!(said.contains("Nothing was saved"), "{said}");
    let now_stored = clients::get_client(&as_owner, r.client).unwrap();
    assert_eq!(
        (now_stored.name.as_str(), now_stored.alerts.as_str()),
        ("Olivia Bennett", "allergic to lidocaine"),
        "Maya's change stands, nothing of the refused save was written"
    );

    // Reloaded, the owner re-applies the name and keeps Maya's alert.
    let mut again = named("Olivia Bennett-Shaw");
    again.alerts = now_stored.alerts.clone();
    let saved =
        clients::update_client(&as_owner, r.client, &again, Some(now_stored.updated_at)).unwrap();
    assert_eq!(saved.name, "Olivia Bennett-Shaw");
    assert_eq!(saved.alerts, "allergic to lidocaine");

    // A session edited in two rooms is guarded the same way.
    let (id, overrides) = session_of(&r);
    let as_maya = Ctx::new(&r.two, clock_at(6)).acting_as(r.maya.clone());
    let session = sessions::get_session(&as_maya, id).unwrap();
    let mut draft = pinpoint_core::session::to_draft(&session);
    draft.notes = "first note".to_owned();
    sessions::update_session(&as_maya, id, &draft, &overrides, Some(session.updated_at)).unwrap();
    draft.notes = "second note, from the old form".to_owned();
    let stale =
        sessions::update_session(&as_maya, id, &draft, &[], Some(session.updated_at)).unwrap_err();
    assert_eq!(stale.kind(), ErrorKind::Conflict, "{stale}");
    assert!(
        stale.to_string().contains("changed this session"),
        "{stale}"
    );
    assert_eq!(
        sessions::get_session(&as_maya, id).unwrap().notes,
        "first note"
    );
}

#[test]
fn two_rooms_signing_one_session_at_once_leave_exactly_one_signature() {
    let r = rooms();
    let (id, _) = session_of(&r);
    let start = Barrier::new(2);
    let sign = |clinic: &Clinic| {
        let ctx = Ctx::new(clinic, clock_at(7)).acting_as(r.maya.clone());
        start.wait();
        sessions::sign_session(&ctx, id, None, Some("2222"))
    };
    let outcomes: Vec<_> = std::thread::scope(|scope| {
        let one = scope.spawn(|| sign(&r.one));
        let two = scope.spawn(|| sign(&r.two));
        [one.join().unwrap(), two.join().unwrap()].into()
    });
    let signed: Vec<_> = outcomes.iter().filter(|o| o.is_ok()).collect();
    assert_eq!(signed.len(), 1, "exactly one signature: {outcomes:?}");
    let refused = outcomes
        .iter()
        .find_map(|o| o.as_ref().err())
        .expect("the other is refused");
    assert!(
        matches!(refused.kind(), ErrorKind::Locked | ErrorKind::Conflict),
        "{refused}"
    );
    let as_owner = Ctx::new(&r.one, clock_at(8)).acting_as(r.owner.clone());
    let chain = pinpoint_core::action::safety::check_data(&as_owner, true).unwrap();
    assert!(chain.ok, "{:?}", chain.problems);
    let signs: i64 = PgConn::connect(&r._server.params())
        .unwrap()
        .db()
        .query_one(
            "SELECT count(*) FROM audit_event WHERE action = 'sign' AND entity_id = ?1",
            &[&id],
            "count",
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(signs, 1, "the chain holds one signing");
}

#[test]
fn each_room_hears_what_the_other_committed_and_not_its_own() {
    let r = rooms();
    let mut in_two = r.two.change_feed().unwrap().expect("a feed in clinic mode");
    let mut in_one = r.one.change_feed().unwrap().expect("a feed in clinic mode");
    let as_owner = Ctx::new(&r.one, clock_at(3)).acting_as(r.owner.clone());
    let added = clients::create_client(&as_owner, &named("Nora Quist")).unwrap();

    let mut heard = Vec::new();
    for _ in 0..20 {
        heard.extend(in_two.wait_for_others(Duration::from_millis(500)).unwrap());
        if heard.iter().any(|c| c.id == added.id.to_string()) {
            break;
        }
    }
    let change = heard
        .iter()
        .find(|c| c.id == added.id.to_string())
        .expect("room two hears the new client");
    assert_eq!(change.entity, "client");
    assert_eq!(change.by.as_deref(), Some("Hannah Owner"));
    // Only ids and who: nothing clinical travels in an announcement.
    let json = serde_json::to_string(change).unwrap();
    assert!(!json.contains("Nora"), "{json}");

    let own = in_one.wait_for_others(Duration::from_millis(300)).unwrap();
    assert!(
        own.iter().all(|c| c.id != added.id.to_string()),
        "a room does not hear its own change as someone else's: {own:?}"
    );
    // A plain data folder has nobody else to hear.
    let folder = crate::fresh_sqlite();
    assert!(Clinic::new(folder.store).change_feed().unwrap().is_none());
}

#[test]
fn a_data_folder_moves_into_an_empty_clinic_database_whole_with_its_chain() {
    use pinpoint_core::db::migrate;
    let mut folder = crate::fresh_sqlite();
    let hashes = pinpoint_core::demo::account_hashes().unwrap();
    folder
        .store
        .write(|tx| {
            pinpoint_core::demo::fill(tx, crate::today(), now())?;
            pinpoint_core::demo::add_accounts(tx, &hashes, now())
        })
        .unwrap();
    let (server_folder, server) = crate::db::server();
    let desk = tempfile::tempdir().unwrap();
    let pg = PgConn::connect(&server.params()).unwrap();
    let mut clinic = Store::open_clinic(desk.path(), pg).unwrap();
    let mut heard = Vec::new();
    let moved = migrate::into_clinic(&folder.store, &mut clinic, &mut |table, n| {
        heard.push((table.to_owned(), n))
    })
    .unwrap();

    let everything = |store: &Store| -> serde_json::Value {
        let query = pinpoint_core::client::ClientQuery {
            include_archived: true,
            ..Default::default()
        };
        let clients = pinpoint_core::client::search(store.db(), &query).unwrap();
        assert!(!clients.is_empty());
        serde_json::to_value(
            clients
                .iter()
                .map(|c| pinpoint_core::record::load(store.db(), c.id).unwrap())
                .collect::<Vec<_>>(),
        )
        .unwrap()
    };
    assert_eq!(
        everything(&clinic),
        everything(&folder.store),
        "every record, as it was"
    );
    assert_eq!(
        moved.head,
        pinpoint_core::audit::head(folder.store.db()).unwrap()
    );
    assert!(moved.events > 50, "the demo's chain: {}", moved.events);
    let accounts = moved.tables.iter().find(|(t, _)| t == "account").unwrap().1;
    assert!(accounts >= 4, "the demo's accounts moved: {accounts}");
    assert!(
        heard.iter().any(|(t, _)| t == "treatment_session"),
        "progress is told"
    );
    // The moved clinic works: a change appends to the same chain.
    clinic
        .write(|tx| {
            pinpoint_core::client::create(
                tx,
                ClientId::new(),
                &named("Nora Quist"),
                crate::today(),
                now(),
            )
        })
        .unwrap();
    let chain = pinpoint_core::audit::verify_chain(clinic.db()).unwrap();
    assert!(chain.first_broken.is_none() && chain.events == moved.events + 1);

    // Only into an empty database.
    let again = migrate::into_clinic(&folder.store, &mut clinic, &mut |_, _| {}).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict, "{again}");
    drop((clinic, server, server_folder));
}

#[test]
fn a_save_while_the_server_is_down_is_refused_clearly_and_the_desktop_carries_on_after() {
    let (server_folder, server) = crate::db::server();
    let desk = tempfile::tempdir().unwrap();
    let room = desktop(&server, &desk);
    let ctx = Ctx::new(&room, clock_at(0));
    clients::create_client(&ctx, &named("Before The Outage")).unwrap();

    server.kill().unwrap();
    let refused = clients::create_client(&ctx, &named("During The Outage")).unwrap_err();
    let said = refused.to_string();
    assert!(said.contains("clinic server cannot be reached"), "{said}");
    assert!(said.contains("was not saved"), "{said}");
    assert!(
        !said.contains("During The Outage"),
        "nothing clinical in the message: {said}"
    );

    server.restart().unwrap();
    // The desktop reconnects by itself; the refused save left nothing.
    clients::create_client(&ctx, &named("After The Outage")).unwrap();
    let names: Vec<String> = clients::list_clients(&ctx, &Default::default())
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["After The Outage", "Before The Outage"]);
    let check = pinpoint_core::action::safety::check_data(&ctx, true).unwrap();
    assert!(check.ok, "{:?}", check.problems);
    drop((room, server, server_folder));
}
