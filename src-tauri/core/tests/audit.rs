//! The audit chain: every change leaves a linked event; tampering is found.

use pinpoint_core::audit;
use pinpoint_core::client::{self, ClientInput};
use pinpoint_core::ids::ClientId;

use crate::{fresh, now, today};

#[test]
fn every_change_appends_a_linked_event_and_tampering_breaks_the_chain() {
    let mut f = fresh();
    let input = ClientInput {
        name: "Aisha Rahman".into(),
        ..ClientInput::default()
    };
    let c = f
        .store
        .write(|tx| client::create(tx, ClientId::new(), &input, today(), now()))
        .unwrap();
    f.store
        .write(|tx| client::update(tx, c.id, &input, today(), now()))
        .unwrap();
    f.store
        .write(|tx| client::set_archived(tx, c.id, true, now()))
        .unwrap();
    let report = audit::verify_chain(f.store.db()).unwrap();
    assert_eq!(
        report.events, 3,
        "create, update and archive each leave an event"
    );
    assert_eq!(report.first_broken, None);

    let err = f
        .store
        .db()
        .execute("UPDATE audit_event SET action = 'x' WHERE seq = 2", &[])
        .expect_err("the store itself refuses to change an event");
    assert!(err.to_string().contains("cannot be changed"), "{err}");

    // Someone with the sqlite3 shell removes the guard and rewrites history.
    f.store
        .db()
        .execute_batch(&format!(
            "{}
             UPDATE audit_event SET detail = '{{\"changed\":[]}}', action = 'view' WHERE seq = 2;",
            crate::drop_trigger("audit_event_no_update", "audit_event")
        ))
        .unwrap();
    let report = audit::verify_chain(f.store.db()).unwrap();
    let broken = report.first_broken.expect("tampering must be found");
    assert_eq!(broken.seq, 2, "the first edited event is named");
}

#[test]
fn a_failed_change_leaves_no_event() {
    let mut f = fresh();
    let bad = ClientInput {
        name: String::new(),
        ..ClientInput::default()
    };
    f.store
        .write(|tx| client::create(tx, ClientId::new(), &bad, today(), now()))
        .unwrap_err();
    assert_eq!(audit::verify_chain(f.store.db()).unwrap().events, 0);
}
