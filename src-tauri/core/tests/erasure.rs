//! Retention and erasure: a record is kept for the clinic's years after the
//! last visit; the owner erases one after that, or on the client's request,
//! and nothing of the client is left in the database file, its log, the
//! photo store or the cache, while the audit chain keeps a tombstone.

use chrono::FixedOffset;
use pinpoint_core::action::{accounts, clients, photos, safety, Actor, Clock, Ctx};
use pinpoint_core::erasure::ErasureReason;
use pinpoint_core::ErrorKind;

use crate::{contains, files_under, now};

const OWNER: &str = "Dr. Amara Okafor";
const PRACTITIONER: &str = "Sofia Lindqvist";
const DEMO_PASSPHRASE: &str = "lumen demo 2026";

fn clock_in(year: i32) -> Clock {
    let at = now().with_timezone(&chrono::Utc);
    let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, year, 1, 15, 10, 0, 0)
        .single()
        .unwrap_or(at);
    Clock::at(at, FixedOffset::east_opt(0).unwrap())
}

#[test]
fn an_erased_client_leaves_nothing_but_a_tombstone() {
    let dir = tempfile::tempdir().unwrap();
    let clinic = crate::open_clinic(dir.path());
    let today = clock_in(2026);
    safety::fill_demo(&Ctx::new(&clinic, today)).unwrap();
    let owner = accounts::sign_in(&clinic, today, OWNER, DEMO_PASSPHRASE).unwrap();
    let ctx = Ctx::new(&clinic, today).acting_as(owner.clone());
    let all = clients::list_clients(&ctx, &Default::default()).unwrap();
    let client = all
        .iter()
        .find(|c| !photos::list_photos(&ctx, c.id).unwrap().is_empty())
        .unwrap()
        .clone();
    let their_photos = photos::list_photos(&ctx, client.id).unwrap();

    // Still within the clinic's ten years: only a request erases it.
    let kept = clients::client_retention(&ctx, client.id).unwrap();
    assert!(kept.kept_until > today.today);
    assert!(clients::past_retention(&ctx).unwrap().is_empty());
    let early = clients::erase_client(
        &ctx,
        client.id,
        ErasureReason::RetentionPassed,
        &client.name,
    )
    .unwrap_err();
    assert_eq!(early.kind(), ErrorKind::Conflict);
    assert!(
        early.to_string().contains(&kept.kept_until.to_string()),
        "{early}"
    );

    // Only the owner erases, and only with the name typed as recorded.
    let practitioner = accounts::sign_in(&clinic, today, PRACTITIONER, DEMO_PASSPHRASE).unwrap();
    let refused = clients::erase_client(
        &Ctx::new(&clinic, today).acting_as(practitioner),
        client.id,
        ErasureReason::ClientRequest,
        &client.name,
    )
    .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
    let mistyped = clients::erase_client(
        &ctx,
        client.id,
        ErasureReason::ClientRequest,
        "someone else",
    )
    .unwrap_err();
    assert_eq!(mistyped.field(), Some("confirm_name"));

    // In clinic mode their photos are in the clinic's bucket until erased.
    let in_bucket = |photo: &pinpoint_core::photo::Photo| {
        let relative = pinpoint_core::photo::original_relative(&photo.sha256, photo.format);
        let name = pinpoint_core::photo::remote::object_name(dir.path(), &relative)
            .expect("clinic mode keeps the photos in a bucket");
        crate::clinic_server::bucket().exists(&name).unwrap()
    };
    if crate::on_postgres() {
        assert!(
            their_photos.iter().all(in_bucket),
            "stored before the erasure"
        );
    }
    let erased =
        clients::erase_client(&ctx, client.id, ErasureReason::ClientRequest, &client.name).unwrap();
    assert_eq!(erased.photos as usize, their_photos.len());
    assert!(erased.rows > 5, "{erased:?}");

    // Gone from every table, and the others untouched.
    assert_eq!(
        clients::get_client(&ctx, client.id).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        clients::list_clients(&ctx, &Default::default())
            .unwrap()
            .len(),
        all.len() - 1
    );
    {
        let raw = crate::Raw::open(dir.path());
        let conn = raw.db();
        for table in [
            "screening",
            "consent",
            "treatment_plan",
            "treatment_session",
            "photo",
            "follow_up",
            "adverse_event",
            "outcome_score",
        ] {
            let left: i64 = conn
                .query_one(
                    &format!("SELECT COUNT(*) FROM {table} WHERE client_id = ?1"),
                    &[&client.id],
                    table,
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(left, 0, "{table} still holds the client's rows");
        }
    }
    // No file of theirs in the photo store or the cache.
    let mut files = Vec::new();
    files_under(&dir.path().join("photos"), &mut files);
    files_under(&dir.path().join("cache"), &mut files);
    for photo in &their_photos {
        assert!(
            !files
                .iter()
                .any(|f| f.to_string_lossy().contains(&photo.sha256)),
            "a file of photo {} is left",
            photo.id
        );
    }
    if crate::on_postgres() {
        assert!(
            !their_photos.iter().any(in_bucket),
            "an original of theirs is left in the clinic's bucket"
        );
    }
    // Nor their name anywhere in the database file or its log.
    for name in ["pinpoint.sqlite3", "pinpoint.sqlite3-wal"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(name)) {
            assert!(
                !contains(&bytes, client.name.as_bytes()),
                "{name} still holds the name"
            );
        }
    }

    // The chain holds, with a tombstone that names no one.
    let check = safety::check_data(&ctx, true).unwrap();
    assert!(check.ok, "{:?}", check.problems);
    let Actor::Account {
        name: owner_name, ..
    } = owner
    else {
        panic!("an account")
    };
    let raw = crate::Raw::open(dir.path());
    let (action, who, detail): (String, String, String) = raw
        .db()
        .query_one(
            "SELECT action, actor_name, detail FROM audit_event
             WHERE entity = 'client' AND entity_id = ?1 ORDER BY seq DESC LIMIT 1",
            &[&client.id],
            "the erasure's event",
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (action.as_str(), who.as_str()),
        ("erase", owner_name.as_str())
    );
    assert!(detail.contains("client_request"), "{detail}");
    assert!(!detail.contains(&client.name), "{detail}");
}

#[test]
fn past_its_retention_a_record_is_listed_and_erased_without_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let clinic = crate::open_clinic(dir.path());
    safety::fill_demo(&Ctx::new(&clinic, clock_in(2026))).unwrap();
    let later = clock_in(2037);
    let owner = accounts::sign_in(&clinic, later, OWNER, DEMO_PASSPHRASE).unwrap();
    let ctx = Ctx::new(&clinic, later).acting_as(owner);
    let past = clients::past_retention(&ctx).unwrap();
    assert_eq!(past.len(), 30, "ten years on, every demo record is past");
    let first = &past[0];
    assert!(first.kept_until <= later.today);
    clients::erase_client(
        &ctx,
        first.client_id,
        ErasureReason::RetentionPassed,
        &first.name,
    )
    .unwrap();
    assert_eq!(clients::past_retention(&ctx).unwrap().len(), 29);
}
