//! Damaged stored data is named, never read as a quiet default: each case
//! damages one value with plain SQL (as a broken disk or a careless hand
//! would) and checks that reading it is a `damaged` error naming the record.

use pinpoint_core::db::Db;
use pinpoint_core::{backup, session, settings, ErrorKind};

use crate::clinic::clinic;

/// `damage` is run on the database of a clinic with one saved session (its
/// id is `?1`), then `read` must fail as damaged with a message holding
/// each of `names`.
fn check(damage: &str, read: impl Fn(Db<'_>, &str) -> pinpoint_core::Result<()>, names: &[&str]) {
    let mut c = clinic();
    let draft = c.draft();
    let saved = c.try_create(&draft, &[]).expect("a clean session saves");
    let id = saved.id.to_string();
    c.db()
        .execute_batch(&damage.replace("?1", &format!("'{id}'")))
        .unwrap_or_else(|e| panic!("{damage}: {e}"));
    let error = read(c.db(), &id).expect_err("damaged data must not read as if it were fine");
    assert_eq!(error.kind(), ErrorKind::Damaged, "{damage}: {error}");
    for name in names {
        assert!(
            error.to_string().contains(name),
            "{damage}: the message should name {name:?}: {error}"
        );
    }
}

fn read_session(conn: Db<'_>, id: &str) -> pinpoint_core::Result<()> {
    session::get(conn, id.parse()?).map(drop)
}

#[test]
fn an_unknown_endpoint_names_the_session() {
    check(
        "UPDATE treatment_session SET endpoint = 'sideways' WHERE id = ?1",
        read_session,
        &["session ", "sideways"],
    );
}

#[test]
fn an_unreadable_anaesthetic_time_names_the_session() {
    check(
        "UPDATE treatment_session SET anaesthetic = 'Lidocaine 4%',
             anaesthetic_applied = 'ten past nine' WHERE id = ?1",
        read_session,
        &["session ", "applied time", "ten past nine"],
    );
}

#[test]
fn an_unknown_warning_rule_is_not_read_as_a_caution() {
    check(
        "INSERT INTO session_warning (session_id, ordinal, rule, zone, message, reason)
         VALUES (?1, 0, 'moon_phase', NULL, 'the moon is full', 'proceeding')",
        read_session,
        &["session ", "moon_phase"],
    );
}

#[test]
fn an_unreadable_amendment_is_not_read_as_no_changes() {
    check(
        "INSERT INTO session_amendment (id, session_id, at, reason, changed, before, after)
         VALUES ('01900000-0000-7000-8000-0000000000aa', ?1, '2026-11-25T11:00:00Z',
                 'typo', 'not a list', '{}', '{}')",
        read_session,
        &["session ", "amendment 01900000-0000-7000-8000-0000000000aa"],
    );
}

#[test]
fn the_lists_of_sessions_stop_at_the_damaged_one_too() {
    check(
        "UPDATE treatment_session SET endpoint = 'sideways' WHERE id = ?1",
        |conn, id| {
            let client = session::get(conn, id.parse()?);
            assert!(client.is_err());
            let client_id: String = conn.query_one(
                "SELECT client_id FROM treatment_session WHERE id = ?1",
                &[&id],
                "the session",
                |row| row.get(0),
            )?;
            session::list(conn, client_id.parse()?).map(drop)
        },
        &["session ", "sideways"],
    );
}

#[test]
fn unreadable_clinic_settings_are_damaged_not_defaults() {
    check(
        "INSERT INTO clinic_setting (key, value, updated_at)
         VALUES ('clinic', '{\"zones\": ', '2026-11-25T10:00:00Z')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        |conn, _| settings::get(conn).map(drop),
        &["clinic settings"],
    );
    check(
        "INSERT INTO clinic_setting (key, value, updated_at)
         VALUES ('auto_backup', 'weekly?', '2026-11-25T10:00:00Z')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        |conn, _| backup::auto_settings(conn).map(drop),
        &["automatic-backup settings"],
    );
}
