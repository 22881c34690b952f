//! The two engines behind `pinpoint_core::db`: the same statements and
//! values on the embedded SQLite file and on a real PostgreSQL server
//! (a throwaway one on loopback, started by the test).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::time::Duration;

use pinpoint_core::db::changes::{announce, Change, ChangeFeed};
use pinpoint_core::db::connection::{ClinicConnection, PhotoBucket, Tls};
use pinpoint_core::db::local::{Durability, LocalPostgres};
use pinpoint_core::db::{Db, Engine, PgConn, Value};
use pinpoint_core::{Error, ErrorKind};

/// The one place the two engines' DDL differs in these tests.
fn create_table(db: Db<'_>) {
    let sql = match db.engine() {
        Engine::Sqlite => {
            "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                                price REAL, photo BLOB, at TEXT, born TEXT)"
        }
        Engine::Postgres => {
            "CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                                price DOUBLE PRECISION, photo BYTEA, at TEXT, born TEXT)"
        }
    };
    db.execute_batch(sql).unwrap();
}

/// What both engines must answer alike.
fn same_behaviour(db: Db<'_>) {
    create_table(db);
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 10, 15, 0).unwrap();
    let born = NaiveDate::from_ymd_opt(1990, 2, 28).unwrap();
    let photo = vec![0u8, 255, 7];
    let n = db
        .execute(
            "INSERT INTO item (id, name, price, photo, at, born) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[&1i64, &"serum", &12.5f64, &photo, &at, &born],
        )
        .unwrap();
    assert_eq!(n, 1);
    db.execute(
        "INSERT INTO item (id, name, price, photo, at, born) VALUES (?, ?, ?, ?, ?, ?)",
        &[
            &2i64,
            &"cartridge",
            &None::<f64>,
            &None::<Vec<u8>>,
            &None::<DateTime<Utc>>,
            &None::<NaiveDate>,
        ],
    )
    .unwrap();

    let (name, price, stored, when, birthday) = db
        .query_one(
            "SELECT name, price, photo, at, born FROM item WHERE id = ?1",
            &[&1i64],
            "item 1",
            |row| {
                Ok((
                    row.get::<String>(0)?,
                    row.get::<Option<f64>>(1)?,
                    row.get::<Vec<u8>>(2)?,
                    row.get::<DateTime<Utc>>(3)?,
                    row.get::<NaiveDate>(4)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        (name.as_str(), price, stored, when, birthday),
        ("serum", Some(12.5), photo, at, born)
    );

    // NULLs come back as None; a numbered placeholder used twice binds once.
    let empty = db
        .query_map(
            "SELECT name, price, at FROM item WHERE id = ?1 OR id = ?1 + 100 ORDER BY id",
            &[&2i64],
            |row| {
                Ok((
                    row.get::<String>(0)?,
                    row.get::<Option<f64>>(1)?,
                    row.get::<Option<DateTime<Utc>>>(2)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(empty, vec![("cartridge".to_owned(), None, None)]);

    // Text with a question mark and quotes is data, not a placeholder.
    db.execute(
        "INSERT INTO item (id, name) VALUES (?1, 'what''s this? ' || ?2)",
        &[&3i64, &"a lot"],
    )
    .unwrap();
    let name: String = db
        .query_one("SELECT name FROM item WHERE id = 3", &[], "item 3", |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "what's this? a lot");

    // Counting and nothing found.
    let count: i64 = db
        .query_one("SELECT COUNT(*) FROM item", &[], "count", |r| r.get(0))
        .unwrap();
    assert_eq!(count, 3);
    let none = db
        .query_opt("SELECT name FROM item WHERE id = ?1", &[&99i64], |r| {
            r.get::<String>(0)
        })
        .unwrap();
    assert_eq!(none, None);
    let missing = db
        .query_one(
            "SELECT name FROM item WHERE id = ?1",
            &[&99i64],
            "item 99",
            |r| r.get::<String>(0),
        )
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert_eq!(missing.to_string(), "item 99 not found");

    // A value of the wrong type is damaged data naming its column.
    let wrong = db
        .query_one("SELECT name FROM item WHERE id = 1", &[], "item", |r| {
            r.get::<i64>(0)
        })
        .unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::Damaged);
    assert_eq!(
        wrong.to_string(),
        "column 0 holds text where an integer belongs"
    );

    // A duplicate of a unique key is refused, and nothing changes.
    let duplicate = db.execute("INSERT INTO item (id, name) VALUES (4, 'serum')", &[]);
    assert!(duplicate.is_err());
    let rows = db.query("SELECT id FROM item ORDER BY id", &[]).unwrap();
    let ids: Vec<Value> = rows.iter().map(|r| r.values()[0].clone()).collect();
    assert_eq!(
        ids,
        vec![Value::Integer(1), Value::Integer(2), Value::Integer(3)]
    );
}

#[test]
fn sqlite_answers_as_the_shared_sql_expects() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    same_behaviour(Db::from(&conn));
}

/// A throwaway PostgreSQL on loopback, in a folder removed after the test.
pub(crate) fn server() -> (tempfile::TempDir, LocalPostgres) {
    let folder = tempfile::tempdir().unwrap();
    let server = LocalPostgres::start(folder.path(), Durability::Throwaway)
        .expect("start a throwaway PostgreSQL (Debian's postgresql package)");
    (folder, server)
}

#[test]
fn postgres_answers_as_the_shared_sql_expects() {
    let (_folder, server) = server();
    let conn = PgConn::connect(&server.params()).unwrap();
    same_behaviour(conn.db());

    // A failed transaction leaves nothing behind.
    let failed = conn.transaction(|db| {
        db.execute("INSERT INTO item (id, name) VALUES (10, 'kept?')", &[])?;
        db.execute("INSERT INTO item (id, name) VALUES (11, 'serum')", &[])?;
        Ok(())
    });
    assert!(failed.is_err());
    let count: i64 = conn
        .db()
        .query_one(
            "SELECT COUNT(*) FROM item WHERE id >= 10",
            &[],
            "count",
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(count, 0);
}

#[test]
fn concurrent_desktops_lose_no_update() {
    let (_folder, server) = server();
    let setup = PgConn::connect(&server.params()).unwrap();
    setup
        .db()
        .execute_batch("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO counter VALUES (1, 0);")
        .unwrap();
    // Four desktops each add one, 25 times, reading then writing: without
    // serializable transactions tried again, increments would be lost.
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let params = server.params();
            scope.spawn(move || {
                let conn = PgConn::connect(&params).unwrap();
                for _ in 0..25 {
                    conn.transaction(|db| {
                        let n: i64 = db.query_one(
                            "SELECT n FROM counter WHERE id = 1",
                            &[],
                            "counter",
                            |r| r.get(0),
                        )?;
                        db.execute("UPDATE counter SET n = ?1 WHERE id = 1", &[&(n + 1)])?;
                        Ok(())
                    })
                    .unwrap();
                }
            });
        }
    });
    let n: i64 = setup
        .db()
        .query_one("SELECT n FROM counter WHERE id = 1", &[], "counter", |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(n, 100);
}

#[test]
fn a_server_gone_mid_save_loses_nothing_and_says_so() {
    let (_folder, server) = server();
    let conn = PgConn::connect(&server.params()).unwrap();
    conn.db()
        .execute_batch("CREATE TABLE note (id BIGINT PRIMARY KEY, body TEXT NOT NULL)")
        .unwrap();
    conn.db()
        .execute("INSERT INTO note VALUES (1, 'before')", &[])
        .unwrap();
    let cut = conn.transaction(|db| {
        db.execute("INSERT INTO note VALUES (2, 'half')", &[])?;
        server.kill()?;
        db.execute("INSERT INTO note VALUES (3, 'never')", &[])?;
        Ok(())
    });
    let error = cut.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::Internal);

    server.restart().unwrap();
    let again = PgConn::connect(&server.params()).unwrap();
    let bodies = again
        .db()
        .query_map("SELECT body FROM note ORDER BY id", &[], |r| {
            r.get::<String>(0)
        })
        .unwrap();
    assert_eq!(bodies, vec!["before".to_owned()]);
}

#[test]
fn a_desktop_hears_what_another_committed_and_nothing_else() {
    let (_folder, server) = server();
    let mut feed = ChangeFeed::listen(&server.params()).unwrap();
    let writer = PgConn::connect(&server.params()).unwrap();
    let change = |id: &str| Change {
        entity: "session".to_owned(),
        id: id.to_owned(),
        desktop: "room-1".to_owned(),
        by: None,
    };
    // A write that is rolled back announces nothing.
    let undone = writer.transaction(|db| {
        announce(db, &change("undone"))?;
        Err::<(), _>(Error::Conflict("changed my mind".to_owned()))
    });
    assert!(undone.is_err());
    // A write is heard when it commits, not before.
    writer
        .transaction(|db| {
            announce(db, &change("kept"))?;
            let early = feed.wait(Duration::from_millis(300))?;
            assert!(early.is_empty(), "heard before the commit: {early:?}");
            Ok(())
        })
        .unwrap();
    let heard = feed.wait(Duration::from_secs(10)).unwrap();
    assert_eq!(heard, vec![change("kept")]);
    assert!(feed.wait(Duration::from_millis(200)).unwrap().is_empty());

    // The embedded store has no other desktop: announcing is a no-op.
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    announce(Db::from(&conn), &change("alone")).unwrap();
}

// The PostgreSQL schema against the SQLite one.

#[test]
fn the_clinic_server_is_reached_only_over_checked_tls() {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let authority = |name: &str| {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
    };
    let clinic_ca = authority("Test clinic CA");
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&server_key, &clinic_ca)
        .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let tls_server = LocalPostgres::start_tls(
        folder.path(),
        Durability::Throwaway,
        &server_cert.pem(),
        &server_key.serialize_pem(),
    )
    .unwrap();
    let files = tempfile::tempdir().unwrap();
    let write_ca = |name: &str, pem: String| {
        let path = files.path().join(name);
        std::fs::write(&path, pem).unwrap();
        path
    };
    let mut connection = ClinicConnection {
        server: "127.0.0.1".to_owned(),
        port: tls_server.port(),
        database: "pinpoint".to_owned(),
        user: "pinpoint".to_owned(),
        tls: Tls::Require,
        ca: Some(write_ca("clinic.pem", clinic_ca.pem())),
        photos: PhotoBucket {
            endpoint: "http://127.0.0.1:3900".to_owned(),
            bucket: "pinpoint-photos".to_owned(),
            region: "garage".to_owned(),
            access_key: "GKtest".to_owned(),
        },
    };
    let conn = PgConn::open(&connection, None).unwrap();
    let encrypted: bool = conn
        .db()
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
            "this connection",
            |r| r.get(0),
        )
        .unwrap();
    assert!(encrypted, "the connection is not encrypted");

    // A server whose certificate another CA signed is refused.
    connection.ca = Some(write_ca("other.pem", authority("Someone else").pem()));
    let refused = PgConn::open(&connection, None).unwrap_err();
    assert!(matches!(refused, Error::Server(_)), "{refused:?}");
    // A file that holds no certificate is named as such.
    connection.ca = Some(write_ca("empty.pem", "not a certificate".to_owned()));
    let refused = PgConn::open(&connection, None).unwrap_err();
    assert_eq!(refused.field(), Some("ca"));
    assert!(
        refused.to_string().ends_with("holds no certificate"),
        "{refused}"
    );

    // A server without TLS is refused when TLS is required.
    let (_plain_folder, plain) = server();
    connection.port = plain.port();
    connection.ca = Some(write_ca("clinic2.pem", clinic_ca.pem()));
    assert!(PgConn::open(&connection, None).is_err());
}

#[test]
fn the_audit_chain_is_the_same_on_both_engines() {
    use pinpoint_core::{audit, db::POSTGRES_SCHEMA, Store};
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    // The same changes, each with its audit event, on each engine.
    let changes = |db: Db<'_>| -> pinpoint_core::Result<()> {
        db.execute(
            "INSERT INTO practitioner (id, name, credentials, archived, created_at)
             VALUES ('p1', 'Dr. Amara Okafor', 'MD', 0, ?1)",
            &[&at],
        )?;
        audit::record(
            db,
            at,
            "create",
            "practitioner",
            "p1",
            &serde_json::json!({}),
        )?;
        db.execute(
            "UPDATE practitioner SET credentials = 'MD, PhD' WHERE id = 'p1'",
            &[],
        )?;
        audit::record(
            db,
            at,
            "update",
            "practitioner",
            "p1",
            &serde_json::json!({}),
        )?;
        Ok(())
    };
    let chain = |db: Db<'_>| {
        db.query(
            "SELECT seq, at, action, entity, entity_id, detail, prev_hash, hash, actor_id,
                    actor_name, before_hash, after_hash
             FROM audit_event ORDER BY seq",
            &[],
        )
        .unwrap()
    };

    let folder = tempfile::tempdir().unwrap();
    let mut store = Store::open(folder.path()).unwrap();
    assert!(chain(store.db()).is_empty());
    store.write(changes).unwrap();
    let on_sqlite = chain(store.db());
    assert_eq!(on_sqlite.len(), 2);
    let report = audit::verify_chain(store.db()).unwrap();
    assert_eq!((report.events, report.first_broken), (2, None));

    let (_pg_folder, server) = server();
    let conn = PgConn::connect(&server.params()).unwrap();
    conn.db().execute_batch(POSTGRES_SCHEMA).unwrap();
    conn.transaction(changes).unwrap();
    let on_postgres = chain(conn.db());

    // Row hashes, links and event hashes alike: a chain moved from one
    // engine to the other verifies on both.
    assert_eq!(on_postgres, on_sqlite);
}
