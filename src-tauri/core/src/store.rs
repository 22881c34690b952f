//! The data folder: one SQLite file (WAL, foreign keys, migrations keyed by
//! `user_version`) beside the photo store.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::{Error, Result};

mod schema;

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "pinpoint.sqlite3";

/// Marks a SQLite file as Pinpoint's (`PRAGMA application_id`), "PinP".
const APPLICATION_ID: i64 = 0x5069_6e50;

/// The lock file that keeps a data folder to one process at a time.
pub const LOCK_FILE: &str = "pinpoint.lock";

/// An open data folder. While it lives, no other process can open the
/// folder (an exclusive lock on `pinpoint.lock`).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    data_dir: PathBuf,
    _lock: std::fs::File,
}

/// The highest schema version a Pinpoint could plausibly have written (a
/// newer Pinpoint adds a few a year); anything above is not ours.
const MAX_PLAUSIBLE_VERSION: i64 = 10_000;

impl Store {
    /// Opens (creating if needed) the data folder `data_dir` and brings its
    /// database up to the current schema.
    ///
    /// A database written by a newer Pinpoint is refused untouched.
    pub fn open(data_dir: &Path) -> Result<Store> {
        crate::private::create_dir_all(data_dir).map_err(|e| {
            Error::io(
                format!("cannot create the data folder {}", data_dir.display()),
                e,
            )
        })?;
        // Best effort: a folder on a disk without Unix modes stays as it is.
        let _ = crate::private::restrict_dir(data_dir);
        let lock = lock_folder(data_dir)?;
        let path = data_dir.join(DATABASE_FILE);
        if !path.exists() {
            // SQLite gives its -wal and -shm files the database's mode.
            crate::private::create_file(&path).map_err(|e| {
                Error::io(format!("cannot create the database {}", path.display()), e)
            })?;
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut store = Store {
            conn,
            data_dir: data_dir.to_owned(),
            _lock: lock,
        };
        store.prepare(&path)?;
        // An import that died here left originals without rows: this
        // process holds the folder, so none is being written now.
        if crate::photo::orphans::interrupted(data_dir) {
            crate::photo::orphans::sweep(store.conn(), data_dir)?;
        }
        Ok(store)
    }

    /// Opens a data folder that must already hold a Pinpoint database.
    pub fn open_existing(data_dir: &Path) -> Result<Store> {
        if !data_dir.join(DATABASE_FILE).is_file() {
            return Err(Error::invalid_input(format!(
                "no Pinpoint data in {}; add a client or run `pinpoint demo` first",
                data_dir.display()
            )));
        }
        Store::open(data_dir)
    }

    /// A database in memory with exactly the schema this build's
    /// migrations make, to compare a foreign database against.
    pub(crate) fn reference_schema() -> Result<Connection> {
        let conn = Connection::open_in_memory()?;
        for sql in schema::MIGRATIONS {
            conn.execute_batch(sql)?;
        }
        Ok(conn)
    }

    /// The schema version this build of Pinpoint writes.
    pub fn schema_version() -> i64 {
        schema::MIGRATIONS.len() as i64
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one write transaction: all of it is stored, or none.
    /// Its audit events name no actor: actions write with [`Store::write_as`].
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.write_as(&crate::audit::Stamp::default(), f)
    }

    /// Runs `f` in one write transaction whose audit events name `actor`.
    pub fn write_as<T>(
        &mut self,
        actor: &crate::audit::Stamp,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        crate::audit::set_actor(&tx, actor)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    fn prepare(&mut self, path: &Path) -> Result<()> {
        let not_ours = |reason: String| Error::NotOurDatabase {
            path: path.to_owned(),
            reason,
        };
        // The first read of the header tells a foreign or damaged file apart.
        let application_id: i64 = self
            .conn
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .map_err(|e| not_ours(e.to_string()))?;
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        if application_id != 0 && application_id != APPLICATION_ID {
            return Err(not_ours(format!(
                "it belongs to another application (application id {application_id:#x})"
            )));
        }
        // A negative or absurd version is no Pinpoint's: refused before any
        // migration reads it as an index.
        if !(0..=MAX_PLAUSIBLE_VERSION).contains(&version) {
            return Err(not_ours(format!(
                "its schema version {version} is not one any Pinpoint writes"
            )));
        }
        if version > Self::schema_version() {
            return Err(Error::NewerDatabase {
                path: path.to_owned(),
                found: version,
                supported: Self::schema_version(),
            });
        }
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String =
            self.conn
                .pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(not_ours(format!("cannot switch it to WAL mode ({mode})")));
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.migrate(version)
    }

    /// Applies every migration after `from`, all in one transaction.
    fn migrate(&mut self, from: i64) -> Result<()> {
        let target = Self::schema_version();
        if from == target {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)?;
        for (index, sql) in schema::MIGRATIONS.iter().enumerate().skip(from as usize) {
            tx.execute_batch(sql).map_err(|e| {
                Error::Damaged(format!(
                    "database upgrade to schema {} failed: {e}",
                    index + 1
                ))
            })?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
        Ok(())
    }
}

/// What long reads need from a data folder: a connection and the folder.
/// Both [`Store`] and its [`Reader`] give them, so a check or a backup can
/// run on a reader while the app's own connection stays free for the
/// practitioner.
pub trait DataFolder {
    fn conn(&self) -> &Connection;
    fn data_dir(&self) -> &Path;
}

impl DataFolder for Store {
    fn conn(&self) -> &Connection {
        &self.conn
    }
    fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// A second, read-only connection to an open store's database. In WAL mode
/// it reads a consistent snapshot per statement or transaction while the
/// store writes; it holds no folder lock of its own, so it lives only as
/// long as the caller keeps the store open.
#[derive(Debug)]
pub struct Reader {
    conn: Connection,
    data_dir: PathBuf,
}

impl DataFolder for Reader {
    fn conn(&self) -> &Connection {
        &self.conn
    }
    fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

impl Store {
    /// Opens a read-only [`Reader`] on this store's database.
    pub fn reader(&self) -> Result<Reader> {
        let conn = Connection::open_with_flags(
            self.database_path(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(Reader {
            conn,
            data_dir: self.data_dir.clone(),
        })
    }
}

/// Takes the data folder's lock, or says which process holds it.
fn lock_folder(data_dir: &Path) -> Result<std::fs::File> {
    use std::io::{Read, Seek, Write};
    let path = data_dir.join(LOCK_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    match file.try_lock() {
        Ok(()) => {
            // Best effort: the pid helps a person find the other process.
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = write!(file, "{}", std::process::id());
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            Err(Error::InUse {
                path: data_dir.to_owned(),
                pid: pid.trim().parse().ok(),
            })
        }
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(
            format!("cannot lock the data folder {}", data_dir.display()),
            e,
        )),
    }
}

/// Formats an instant the way the store keeps it: RFC 3339, UTC, milliseconds.
pub fn format_instant(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Reads an instant written by [`format_instant`]; anything else is a
/// damaged row.
pub fn parse_instant(text: &str) -> rusqlite::Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            Error::Damaged(format!("the stored time {text:?} cannot be read: {e}")).into_row()
        })
}

/// A JSON column of the record `record` ("plan 0190…"), read back; what
/// does not parse is a damaged row that names the record.
pub(crate) fn stored_json<T: serde::de::DeserializeOwned>(
    text: &str,
    record: impl std::fmt::Display,
    what: &str,
) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        Error::Damaged(format!("{record}: the stored {what} cannot be read ({e})")).into_row()
    })
}
