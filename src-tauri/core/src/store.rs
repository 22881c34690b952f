//! The data folder: one SQLite file (WAL, foreign keys, migrations keyed by
//! `user_version`) beside the photo store; or, in clinic mode, the clinic's
//! PostgreSQL server holding the records, with this desktop's folder beside
//! it (DESIGN §8).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use zeroize::Zeroizing;

use crate::db::{Db, PgConn};
use crate::seal::DataKey;
use crate::{Error, Result};

mod schema;

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "pinpoint.sqlite3";

/// Marks a SQLite file as Pinpoint's (`PRAGMA application_id`), "PinP".
const APPLICATION_ID: i64 = 0x5069_6e50;

/// The lock file that keeps a data folder to one process at a time.
pub const LOCK_FILE: &str = "pinpoint.lock";

/// An open data folder. While it lives, no other process can open the
/// folder (an exclusive lock on `pinpoint.lock`, held through its
/// [`FolderHold`]). A sealed folder's store keeps the data key, wiped when
/// the last copy drops.
#[derive(Debug)]
pub struct Store {
    records: Records,
    data_dir: PathBuf,
    key: Option<Arc<DataKey>>,
    hold: FolderHold,
}

/// Where a store's records are.
#[derive(Debug)]
enum Records {
    /// The data folder's own SQLite file.
    Sqlite(Connection),
    /// The clinic's PostgreSQL server, shared with the clinic's other
    /// desktops (boxed: a connection with its statement cache is large).
    Postgres(Box<PgConn>),
}

/// This process's hold on a data folder: the exclusive lock on
/// `pinpoint.lock`, kept while any clone lives. A sealed folder is held
/// before anyone has unlocked it, so no other process can take it meanwhile.
#[derive(Debug, Clone)]
pub struct FolderHold {
    _lock: Arc<std::fs::File>,
    data_dir: PathBuf,
}

impl FolderHold {
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if self.key.is_some() || self.is_clinic() {
            crate::seal::unregister(&self.data_dir);
            crate::photo::remote::unregister(&self.data_dir);
        }
    }
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
        Store::open_held(&Store::hold_folder(data_dir)?, None)
    }

    /// Takes the data folder (creating it if needed) for this process, and
    /// finishes or discards a sealing that a crash interrupted.
    pub fn hold_folder(data_dir: &Path) -> Result<FolderHold> {
        crate::private::create_dir_all(data_dir).map_err(|e| {
            Error::io(
                format!("cannot create the data folder {}", data_dir.display()),
                e,
            )
        })?;
        // Best effort: a folder on a disk without Unix modes stays as it is.
        let _ = crate::private::restrict_dir(data_dir);
        let lock = lock_folder(data_dir)?;
        crate::seal::finish_interrupted(data_dir)?;
        Ok(FolderHold {
            _lock: Arc::new(lock),
            data_dir: data_dir.to_owned(),
        })
    }

    /// Opens the held folder's database, with `key` when the folder is
    /// sealed. A sealed folder without its key is refused as locked; a wrong
    /// key as a key that does not open it.
    pub fn open_held(hold: &FolderHold, key: Option<Arc<DataKey>>) -> Result<Store> {
        let data_dir = hold.data_dir();
        if key.is_none() && crate::seal::is_sealed(data_dir) {
            return Err(Error::Locked(
                "the data folder is sealed: sign in to open it".to_owned(),
            ));
        }
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
        if let Some(key) = &key {
            unlock_connection(&conn, key)?;
        }
        let mut store = Store {
            records: Records::Sqlite(conn),
            data_dir: data_dir.to_owned(),
            key: None,
            hold: hold.clone(),
        };
        store.prepare(&path, key.is_some())?;
        if let Some(key) = key {
            crate::seal::register(data_dir, Arc::clone(&key));
            store.key = Some(key);
        }
        // An import that died here left originals without rows: this
        // process holds the folder, so none is being written now.
        if crate::photo::orphans::interrupted(data_dir) {
            crate::photo::orphans::sweep(store.db(), data_dir)?;
        }
        Ok(store)
    }

    /// Opens clinic mode: the records on the clinic's server behind `pg`
    /// (its schema made there when the database is empty, refused when it
    /// holds another application's tables or a newer Pinpoint's), with this
    /// desktop's own folder `data_dir` held beside it for its photos.
    pub fn open_clinic(data_dir: &Path, pg: PgConn) -> Result<Store> {
        Store::open_clinic_with(data_dir, pg, None)
    }

    /// [`Store::open_clinic`] with the clinic's photo bucket: the photos
    /// are kept there (sealed), this folder keeps a cache of them
    /// (`photo::remote`). Without one, the photos stay in this folder
    /// (sealed with the clinic's key all the same).
    pub fn open_clinic_with(
        data_dir: &Path,
        pg: PgConn,
        bucket: Option<crate::bucket::Bucket>,
    ) -> Result<Store> {
        let hold = Store::hold_folder(data_dir)?;
        let key = Arc::new(prepare_server(&pg)?);
        if let Some(bucket) = &bucket {
            bucket.check()?;
        }
        crate::seal::register(data_dir, Arc::clone(&key));
        let cache_only = bucket.is_some();
        if let Some(bucket) = bucket {
            let remote = crate::photo::remote::Remote::new(bucket, &key);
            crate::photo::remote::register(data_dir, Arc::new(remote));
        }
        let store = Store {
            records: Records::Postgres(Box::new(pg)),
            data_dir: data_dir.to_owned(),
            key: None,
            hold,
        };
        // This desktop's photo files, as in `open_held`. With a bucket they
        // are only a cache: what no row names any more (a photo erased on
        // another desktop) goes at every start.
        if cache_only || crate::photo::orphans::interrupted(data_dir) {
            crate::photo::orphans::sweep(store.db(), data_dir)?;
        }
        Ok(store)
    }

    /// Opens a data folder that must already hold a Pinpoint database.
    pub fn open_existing(data_dir: &Path) -> Result<Store> {
        if !Store::exists(data_dir) {
            return Err(Error::invalid_input(format!(
                "no Pinpoint data in {}; add a client or run `pinpoint demo` first",
                data_dir.display()
            )));
        }
        Store::open(data_dir)
    }

    /// Whether `data_dir` holds a Pinpoint database.
    pub fn exists(data_dir: &Path) -> bool {
        data_dir.join(DATABASE_FILE).is_file()
    }

    /// Records this chain's head beside the folder, replacing any record
    /// there (a folder just sealed or restored starts its own).
    pub(crate) fn reset_head(&self) -> Result<()> {
        if let Some(head) = crate::audit::head(self.db())? {
            crate::seal::write_head(&self.data_dir, &head);
        }
        Ok(())
    }

    /// This process's hold on the folder.
    pub fn hold(&self) -> &FolderHold {
        &self.hold
    }

    /// The data key of a sealed folder's store.
    pub(crate) fn key(&self) -> Option<&Arc<DataKey>> {
        self.key.as_ref()
    }

    /// Whether this store's folder is sealed.
    pub fn is_sealed(&self) -> bool {
        self.key.is_some()
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

    /// A handle for reads, on whichever engine holds the records.
    pub fn db(&self) -> Db<'_> {
        match &self.records {
            Records::Sqlite(conn) => Db::Sqlite(conn),
            Records::Postgres(conn) => Db::Postgres(conn),
        }
    }

    /// The data folder's SQLite connection, for what is SQLite's alone
    /// (its file, pragmas, online backup); refused in clinic mode.
    pub fn sqlite(&self) -> Result<&Connection> {
        match &self.records {
            Records::Sqlite(conn) => Ok(conn),
            Records::Postgres(_) => Err(clinic_unsupported()),
        }
    }

    /// Whether the records are on a clinic server.
    pub fn is_clinic(&self) -> bool {
        matches!(self.records, Records::Postgres(_))
    }

    /// Runs `f` in one write transaction: all of it is stored, or none.
    /// Its audit events name no actor: actions write with [`Store::write_as`].
    pub fn write<T>(&mut self, f: impl FnMut(Db<'_>) -> Result<T>) -> Result<T> {
        self.write_as(&crate::audit::Stamp::default(), f)
    }

    /// Runs `f` in one write transaction whose audit events name `actor`.
    ///
    /// On a clinic server the transaction is SERIALIZABLE and `f` may run
    /// more than once: when another desktop's transaction changed what this
    /// one read, the server refuses it and it is run again from the start,
    /// so `f` must only touch the database.
    pub fn write_as<T>(
        &mut self,
        actor: &crate::audit::Stamp,
        mut f: impl FnMut(Db<'_>) -> Result<T>,
    ) -> Result<T> {
        let key = self.key.as_deref();
        let conn = match &mut self.records {
            Records::Sqlite(conn) => conn,
            Records::Postgres(conn) => {
                return conn.transaction(|db| {
                    crate::audit::set_actor(db, actor)?;
                    let _keyed = crate::audit::Keyed::set(key);
                    f(db)
                });
            }
        };
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        crate::audit::set_actor(&tx, actor)?;
        let keyed = crate::audit::Keyed::set(key);
        let value = f(Db::Sqlite(&tx))?;
        // A sealed folder's head, read before the commit ends the snapshot.
        let head = match key {
            Some(_) => crate::audit::head(&tx)?,
            None => None,
        };
        tx.commit()?;
        drop(keyed);
        if let Some(head) = head {
            // A record the chain no longer reaches is evidence: kept for
            // `verify` to name, never moved past.
            let recorded = crate::seal::read_head(&self.data_dir);
            let holds = match &recorded {
                Some(recorded) => crate::audit::check_head(self.db(), recorded)?.is_none(),
                None => true,
            };
            if holds {
                crate::seal::write_head(&self.data_dir, &head);
            }
        }
        Ok(value)
    }

    fn prepare(&mut self, path: &Path, keyed: bool) -> Result<()> {
        let Records::Sqlite(conn) = &mut self.records else {
            return Err(clinic_unsupported());
        };
        let not_ours = |reason: String| Error::NotOurDatabase {
            path: path.to_owned(),
            reason,
        };
        // The first read of the header tells a foreign or damaged file apart
        // (and, sealed, a key that does not open it).
        let application_id: i64 = conn
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .map_err(|e| {
                if keyed {
                    Error::Damaged(format!(
                        "the sealed database {} does not open with this folder's key ({e})",
                        path.display()
                    ))
                } else {
                    not_ours(e.to_string())
                }
            })?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
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
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(not_ours(format!("cannot switch it to WAL mode ({mode})")));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate(conn, version)
    }
}

/// Applies every migration after `from`, all in one transaction.
fn migrate(conn: &mut Connection, from: i64) -> Result<()> {
    {
        let target = Store::schema_version();
        if from == target {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
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

/// A new SQLite file at `path` holding this build's schema and nothing
/// else (a clinic backup's database is made in one), foreign keys on.
pub(crate) fn new_database_file(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    migrate(&mut conn, 0)?;
    Ok(conn)
}

/// How the clinic server's database says it holds Pinpoint's schema: a
/// comment on its `public` schema, `pinpoint schema N` (kept out of the
/// tables, so both engines' catalogues stay twins).
const SERVER_MARK: &str = "pinpoint schema ";

/// Makes Pinpoint's schema on an empty clinic database, or checks the one
/// there. Desktops opening at once queue on an advisory lock, so the schema
/// is made once.
///
/// Gives the clinic's photo key, made here the first time: the key every
/// desktop seals photo files with before they are written or sent to the
/// clinic's bucket. It is kept among the clinic's settings on the server,
/// which holds the records themselves in the clear under the server's own
/// protection; it never reaches the bucket.
fn prepare_server(pg: &PgConn) -> Result<DataKey> {
    let target = Store::schema_version();
    pg.transaction(|db| {
        db.execute_batch(&format!("SELECT pg_advisory_xact_lock({APPLICATION_ID})"))?;
        let (database, mark): (String, Option<String>) = db.query_one(
            "SELECT current_database(), obj_description('public'::regnamespace, 'pg_namespace')",
            &[],
            "the clinic database",
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let path = PathBuf::from(format!("clinic database {database}"));
        let not_ours = |reason: &str| Error::NotOurDatabase {
            path: path.clone(),
            reason: reason.to_owned(),
        };
        match mark.as_deref().and_then(|m| m.strip_prefix(SERVER_MARK)) {
            Some(version) => {
                let found: i64 = version
                    .parse()
                    .map_err(|_| not_ours("its Pinpoint mark names no schema version"))?;
                if found > target {
                    return Err(Error::NewerDatabase {
                        path: path.clone(),
                        found,
                        supported: target,
                    });
                }
                if found < target {
                    // The first clinic schema is this one: none older exists.
                    return Err(not_ours("its schema version is not one any Pinpoint wrote"));
                }
                Ok(())
            }
            None => {
                let tables: i64 = db.query_one(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                    &[],
                    "the clinic database's tables",
                    |row| row.get(0),
                )?;
                if tables > 0 {
                    return Err(not_ours(
                        "it already holds tables that are not Pinpoint's; give Pinpoint an empty database",
                    ));
                }
                db.execute_batch(crate::db::POSTGRES_SCHEMA)?;
                db.execute_batch(&format!(
                    "COMMENT ON SCHEMA public IS '{SERVER_MARK}{target}'"
                ))
            }
        }?;
        let made = DataKey::generate();
        db.execute(
            "INSERT INTO clinic_setting (key, value, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (key) DO NOTHING",
            &[&PHOTO_KEY_SETTING, &made.to_hex().as_str(), &chrono::Utc::now()],
        )?;
        let stored: String = db.query_one(
            "SELECT value FROM clinic_setting WHERE key = ?1",
            &[&PHOTO_KEY_SETTING],
            "the clinic's photo key",
            |row| row.get(0),
        )?;
        let stored = Zeroizing::new(stored);
        crate::hex::decode(&stored)
            .map(Zeroizing::new)
            .and_then(|bytes| DataKey::from_slice(&bytes))
            .ok_or_else(|| {
                Error::Damaged(
                    "the clinic's photo key on the server is damaged: restore the clinic \
                     database from a backup"
                        .to_owned(),
                )
            })
    })
}

/// The clinic setting that holds the photo key.
pub(crate) const PHOTO_KEY_SETTING: &str = "photo_key";

/// Whether the records hold a clinic's photo key: a clinic database, or a
/// data folder restored from a clinic's backup.
pub(crate) fn holds_photo_key(db: Db<'_>) -> Result<bool> {
    Ok(db
        .query_opt(
            "SELECT 1 FROM clinic_setting WHERE key = ?1",
            &[&PHOTO_KEY_SETTING],
            |_| Ok(()),
        )?
        .is_some())
}

/// What long reads need from a data folder: a connection and the folder.
/// Both [`Store`] and its [`Reader`] give them, so a check or a backup can
/// run on a reader while the app's own connection stays free for the
/// practitioner.
pub trait DataFolder {
    /// A handle for reads.
    fn db(&self) -> Db<'_>;
    /// The SQLite connection, for what is SQLite's alone; refused in
    /// clinic mode.
    fn sqlite(&self) -> Result<&Connection>;
    fn data_dir(&self) -> &Path;
    /// The data key, when the folder is sealed.
    fn data_key(&self) -> Option<&DataKey>;
}

impl DataFolder for Store {
    fn db(&self) -> Db<'_> {
        Store::db(self)
    }
    fn sqlite(&self) -> Result<&Connection> {
        Store::sqlite(self)
    }
    fn data_dir(&self) -> &Path {
        &self.data_dir
    }
    fn data_key(&self) -> Option<&DataKey> {
        self.key.as_deref()
    }
}

/// A second, read-only connection to an open store's database. In WAL mode
/// it reads a consistent snapshot per statement or transaction while the
/// store writes; it holds no folder lock of its own, so it lives only as
/// long as the caller keeps the store open.
#[derive(Debug)]
pub struct Reader {
    records: Records,
    data_dir: PathBuf,
    key: Option<Arc<DataKey>>,
}

impl DataFolder for Reader {
    fn db(&self) -> Db<'_> {
        match &self.records {
            Records::Sqlite(conn) => Db::Sqlite(conn),
            Records::Postgres(conn) => Db::Postgres(conn),
        }
    }
    fn sqlite(&self) -> Result<&Connection> {
        match &self.records {
            Records::Sqlite(conn) => Ok(conn),
            Records::Postgres(_) => Err(clinic_unsupported()),
        }
    }
    fn data_dir(&self) -> &Path {
        &self.data_dir
    }
    fn data_key(&self) -> Option<&DataKey> {
        self.key.as_deref()
    }
}

impl Store {
    /// Opens a read-only [`Reader`] on this store's database.
    pub fn reader(&self) -> Result<Reader> {
        if let Records::Postgres(conn) = &self.records {
            // A read-only session: the server refuses any write on it.
            let conn = conn.reconnect()?;
            conn.db()
                .execute_batch("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
            return Ok(Reader {
                records: Records::Postgres(Box::new(conn)),
                data_dir: self.data_dir.clone(),
                key: self.key.clone(),
            });
        }
        let conn = Connection::open_with_flags(
            self.database_path(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(key) = &self.key {
            unlock_connection(&conn, key)?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(Reader {
            records: Records::Sqlite(conn),
            data_dir: self.data_dir.clone(),
            key: self.key.clone(),
        })
    }
}

/// How `conn`'s schema differs from the one this build's migrations make
/// (tables, indexes, triggers and views, by their SQL), or `None`.
pub fn schema_difference(conn: &Connection) -> Result<Option<String>> {
    let reference = Store::reference_schema()?;
    let schema = |conn: &Connection| -> Result<Vec<(String, String, Option<String>)>> {
        let mut stmt = conn.prepare(
            "SELECT type, name, sql FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    };
    let expected = schema(&reference)?;
    let found = schema(conn)?;
    if found == expected {
        return Ok(None);
    }
    let describe = |(kind, name, _): &(String, String, Option<String>)| format!("{kind} {name}");
    let extra: Vec<String> = found
        .iter()
        .filter(|f| !expected.contains(f))
        .map(describe)
        .collect();
    let missing: Vec<String> = expected
        .iter()
        .filter(|e| !found.contains(e))
        .map(describe)
        .collect();
    let mut parts = Vec::new();
    if !extra.is_empty() {
        parts.push(format!("unexpected {}", extra.join(", ")));
    }
    if !missing.is_empty() {
        parts.push(format!("missing or changed {}", missing.join(", ")));
    }
    Ok(Some(parts.join("; ")))
}

/// A store that long tasks share with the window: behind a lock, and
/// absent while a sealed folder is closed (nobody has unlocked it, or the
/// last person signed out).
#[derive(Debug)]
pub struct SharedStore(Mutex<Option<Store>>);

/// The store, held until the guard drops.
#[derive(Debug)]
pub struct StoreGuard<'a>(MutexGuard<'a, Option<Store>>);

impl std::ops::Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.0
            .as_ref()
            .expect("a guard is made only for an open store")
    }
}

impl std::ops::DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.0
            .as_mut()
            .expect("a guard is made only for an open store")
    }
}

impl SharedStore {
    pub fn new(store: Option<Store>) -> SharedStore {
        SharedStore(Mutex::new(store))
    }

    fn slot(&self) -> MutexGuard<'_, Option<Store>> {
        // A poisoned lock (a panic in an earlier action) still gives
        // access: every write is a transaction.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The open store, or `Locked` while the folder is sealed shut.
    pub fn lock(&self) -> Result<StoreGuard<'_>> {
        let slot = self.slot();
        if slot.is_none() {
            return Err(Error::Locked(
                "the data folder is sealed: sign in to open it".to_owned(),
            ));
        }
        Ok(StoreGuard(slot))
    }

    pub fn is_open(&self) -> bool {
        self.slot().is_some()
    }

    /// Takes the store out (closing it when dropped).
    pub fn take(&self) -> Option<Store> {
        self.slot().take()
    }

    /// Puts an opened store in, unless one is open already.
    pub fn put(&self, store: Store) {
        let mut slot = self.slot();
        if slot.is_none() {
            *slot = Some(store);
        }
    }
}

/// What a step that is the data folder's own (its SQLite file) says in
/// clinic mode.
fn clinic_unsupported() -> Error {
    Error::Unsupported(
        "this works on a desktop's own data folder; in clinic mode the records are on \
         the clinic server, whose backups are the clinic's (pg_dump)"
            .to_owned(),
    )
}

/// Gives a new connection to a sealed database its key. Its pages are then
/// decrypted (and their HMAC checked) each time SQLite reads them from the
/// file, where a plain one is a copy out of the OS's cache: a page cache of
/// 64 MiB (SQLite's default is 2 MiB) keeps a clinic's working set
/// decrypted (bench/RESULTS.md).
fn unlock_connection(conn: &Connection, key: &DataKey) -> Result<()> {
    conn.pragma_update(None, "key", &*key.database_pragma())?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(())
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

/// Reads an instant written by [`format_instant`]; anything else is a
/// damaged row.
pub fn read_instant(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| Error::Damaged(format!("the stored time {text:?} cannot be read: {e}")))
}

/// A JSON column of the record `record` ("plan 0190…"), read back; what
/// does not parse is damaged data that names the record.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    text: &str,
    record: impl std::fmt::Display,
    what: &str,
) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::Damaged(format!("{record}: the stored {what} cannot be read ({e})")))
}
