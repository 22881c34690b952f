//! The core's integration tests: real SQLite files in fresh temporary
//! folders; or, with `PINPOINT_TEST_ENGINE=postgres`, the same tests with
//! the records on a real PostgreSQL server (one throwaway server per run, a
//! database of its own for each data folder a test opens). Tests of what is
//! a data folder's own file (sealing, the file's schema, backups of it)
//! stay on SQLite either way.

mod access;
mod accounts;
mod audit;
mod backup;
mod capture;
mod clients;
mod clinic;
mod clinic_mode;
mod clinic_photos;
mod damaged;
mod db;
mod db_schema;
mod demo;
mod depth;
mod erasure;
mod photos;
mod properties;
mod recall;
mod records;
mod reports;
mod sealed;
mod sessions;
mod signatures;
mod store;
mod timeline;
mod warnings;

use chrono::{DateTime, NaiveDate, Utc};
use pinpoint_core::Store;

/// A fresh data folder, removed when the test ends.
#[derive(Debug)]
pub struct Folder {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

pub fn fresh() -> Folder {
    let dir = tempfile::tempdir().expect("temp folder");
    let store = open_store(dir.path());
    Folder { dir, store }
}

/// A fresh data folder on SQLite whatever the run's engine: for what is the
/// folder's own file (its backups, its schema).
pub fn fresh_sqlite() -> Folder {
    let dir = tempfile::tempdir().expect("temp folder");
    let store = Store::open(dir.path()).expect("open a new data folder");
    Folder { dir, store }
}

/// Whether this run keeps the records on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("PINPOINT_TEST_ENGINE").is_ok_and(|engine| engine == "postgres")
}

/// Opens the data folder `dir` on the run's engine. On PostgreSQL the
/// folder has a database of its own, made the first time and found again
/// when the folder is opened again.
pub fn open_store(dir: &std::path::Path) -> Store {
    if on_postgres() {
        Store::open_clinic_with(
            dir,
            clinic_server::database_for(dir),
            Some(clinic_server::bucket()),
        )
        .expect("open a data folder in clinic mode")
    } else {
        Store::open(dir).expect("open a data folder")
    }
}

/// A second connection of its own to the records of the data folder `dir`
/// (on the run's engine), past the app: to look at rows, or to tamper with
/// them as someone with the database's own tools would.
#[derive(Debug)]
pub enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(Box<pinpoint_core::db::PgConn>),
}

impl Raw {
    pub fn open(dir: &std::path::Path) -> Raw {
        if on_postgres() {
            Raw::Postgres(Box::new(clinic_server::database_for(dir)))
        } else {
            Raw::Sqlite(
                rusqlite::Connection::open(dir.join(pinpoint_core::store::DATABASE_FILE))
                    .expect("open the folder's database"),
            )
        }
    }

    pub fn db(&self) -> pinpoint_core::db::Db<'_> {
        match self {
            Raw::Sqlite(conn) => conn.into(),
            Raw::Postgres(conn) => (&**conn).into(),
        }
    }

    /// The names of the tables that hold records.
    pub fn tables(&self) -> Vec<String> {
        let sql = match self {
            Raw::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            Raw::Postgres(_) => {
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            }
        };
        self.db().query_map(sql, &[], |r| r.get(0)).unwrap()
    }
}

/// The SQL that drops the guard trigger `name` of `table`, as someone with
/// the engine's own shell would.
pub fn drop_trigger(name: &str, table: &str) -> String {
    if on_postgres() {
        format!("DROP TRIGGER {name} ON {table};")
    } else {
        format!("DROP TRIGGER {name};")
    }
}

/// [`open_store`], for the action layer.
pub fn open_clinic(dir: &std::path::Path) -> pinpoint_core::action::Clinic {
    pinpoint_core::action::Clinic::new(open_store(dir))
}

mod clinic_server {
    use std::hash::{Hash, Hasher};
    use std::path::Path;
    use std::sync::OnceLock;

    use pinpoint_core::bucket::local::LocalGarage;
    use pinpoint_core::bucket::Bucket;
    use pinpoint_core::db::local::{Durability, LocalPostgres};
    use pinpoint_core::db::PgConn;
    use pinpoint_core::Store;

    /// The database each test's database is copied from: the schema, made
    /// once by the store itself.
    const TEMPLATE: &str = "suite_template";

    /// The run's server: started by the first test that needs it, stopped
    /// (and its folder removed) by a watchdog once the test binary ends.
    fn server() -> &'static LocalPostgres {
        static SERVER: OnceLock<LocalPostgres> = OnceLock::new();
        SERVER.get_or_init(|| {
            let folder = tempfile::tempdir().expect("temp folder").keep();
            let server = LocalPostgres::start(&folder, Durability::Throwaway)
                .expect("start a throwaway PostgreSQL (Debian's postgresql package)");
            server
                .stop_when_gone(std::process::id())
                .expect("watch the server");
            let admin = PgConn::connect(&server.params_for("postgres")).expect("connect");
            admin
                .db()
                .execute_batch(&format!("CREATE DATABASE {TEMPLATE}"))
                .expect("make the template database");
            let scratch = tempfile::tempdir().expect("temp folder");
            let pg = PgConn::connect(&server.params_for(TEMPLATE)).expect("connect");
            drop(Store::open_clinic(scratch.path(), pg).expect("make the schema"));
            server
        })
    }

    /// The run's photo store: one Garage node, started by the first test
    /// that needs it and stopped by a watchdog once the test binary ends.
    fn garage() -> &'static LocalGarage {
        static GARAGE: OnceLock<LocalGarage> = OnceLock::new();
        GARAGE.get_or_init(|| {
            let folder = tempfile::tempdir().expect("temp folder").keep();
            let garage = LocalGarage::start(&folder, 1)
                .expect("start a throwaway Garage (`cargo install garage`, as .ci/setup does)");
            garage
                .stop_when_gone(std::process::id())
                .expect("watch the photo store");
            garage
        })
    }

    /// A client for the run's bucket. Every folder's database has a photo
    /// key of its own, so folders never share an object.
    pub fn bucket() -> Bucket {
        garage().bucket().expect("the run's bucket")
    }

    /// A connection to the database of the data folder `dir`.
    pub fn database_for(dir: &Path) -> PgConn {
        let server = server();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        dir.hash(&mut hasher);
        let name = format!("folder_{:016x}", hasher.finish());
        let admin = PgConn::connect(&server.params_for("postgres")).expect("connect");
        let exists = admin
            .db()
            .query_opt(
                "SELECT 1 FROM pg_database WHERE datname = ?1",
                &[&name],
                |_| Ok(()),
            )
            .expect("look for the database")
            .is_some();
        if !exists {
            admin
                .db()
                .execute_batch(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
                .expect("copy the template database");
            // A photo key of its own, made when the folder first opens.
            PgConn::connect(&server.params_for(&name))
                .expect("connect to the folder's database")
                .db()
                .execute_batch("DELETE FROM clinic_setting WHERE key = 'photo_key'")
                .expect("forget the template's photo key");
        }
        PgConn::connect(&server.params_for(&name)).expect("connect to the folder's database")
    }
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// When and by whom a test's photo imports are written.
pub fn written() -> pinpoint_core::audit::Written {
    pinpoint_core::audit::Written {
        at: now(),
        by: pinpoint_core::audit::Stamp::default(),
    }
}

pub fn now() -> DateTime<Utc> {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

/// Every file under `dir`, recursively (nothing when it does not exist).
pub fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
