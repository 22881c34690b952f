//! The action layer: one function for each thing a practitioner does, the
//! one front door that the window's commands and the command line both call.
//!
//! Every action takes a [`Ctx`]: the open [`Clinic`] (the store behind its
//! lock), the [`Clock`] (`today`, `now` and the local UTC offset, read by
//! the shell), an [`IdSource`] for new records and the [`Actor`] doing it.
//! An action decides for itself what runs under the store's lock (reads and
//! one-transaction writes) and what runs outside it (decoding photos,
//! laying out PDFs, copying backups), so a long task never keeps the window
//! waiting. Long tasks also take a [`Task`]: where progress goes and how a
//! cancel arrives, with one task of each kind at a time ([`TaskSlot`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use uuid::Uuid;

use crate::audit::{self, Stamp, Written};
use crate::db::Db;
use crate::seal::{DataKey, Keyring, SealProgress};
use crate::store::{FolderHold, SharedStore, StoreGuard};
use crate::{Error, Reader, Result, Store};

pub use access::{Permission, Role};

pub mod access;
pub mod accounts;
pub mod activity;
pub mod capture;
pub mod catalogue;
pub mod clients;
pub mod documents;
pub mod photos;
pub mod progress;
pub mod records;
pub mod safety;
pub mod sessions;

/// A data folder held by this process and shared by every action: the
/// store behind its lock (closed while a sealed folder waits for someone
/// to sign in), and the reads noted for the audit that are not written yet.
#[derive(Debug)]
pub struct Clinic {
    store: SharedStore,
    hold: FolderHold,
    data_dir: PathBuf,
    reads: Mutex<Vec<NotedRead>>,
}

/// A read that matters (a record opened, photos viewed, a report printed),
/// kept in memory until the next write or [`Clinic::flush_reads`] puts it
/// in the audit chain, so opening a record costs no disk write.
#[derive(Debug, Clone)]
struct NotedRead {
    at: DateTime<Utc>,
    by: Stamp,
    action: &'static str,
    entity: &'static str,
    entity_id: String,
    detail: serde_json::Value,
}

impl Clinic {
    pub fn new(store: Store) -> Clinic {
        let data_dir = store.data_dir().to_owned();
        Clinic {
            hold: store.hold().clone(),
            store: SharedStore::new(Some(store)),
            data_dir,
            reads: Mutex::new(Vec::new()),
        }
    }

    /// Takes the data folder held by `hold`: opened at once when it is in
    /// the clear, left closed until someone signs in when it is sealed.
    pub fn from_hold(hold: FolderHold) -> Result<Clinic> {
        let store = if crate::seal::is_sealed(hold.data_dir()) {
            None
        } else {
            Some(Store::open_held(&hold, None)?)
        };
        Ok(Clinic {
            data_dir: hold.data_dir().to_owned(),
            store: SharedStore::new(store),
            hold,
            reads: Mutex::new(Vec::new()),
        })
    }

    /// Opens (creating if needed) the data folder.
    pub fn open(data_dir: &Path) -> Result<Clinic> {
        Clinic::from_hold(Store::hold_folder(data_dir)?)
    }

    /// Opens clinic mode: the records on the clinic's server as
    /// `connection` says (over TLS unless the server is this computer),
    /// with `password` for its account when it asks for one, and this
    /// desktop's own folder `data_dir` beside it.
    ///
    /// `photo_secret` is the secret of the bucket's access key: the photos
    /// are kept in the clinic's bucket, sealed, and `data_dir` keeps this
    /// desktop's cache of them.
    pub fn open_clinic(
        data_dir: &Path,
        connection: &crate::db::connection::ClinicConnection,
        password: Option<&str>,
        photo_secret: &str,
    ) -> Result<Clinic> {
        let bucket =
            crate::bucket::Bucket::new(&connection.photos, photo_secret, connection.ca.as_deref())?;
        let pg = crate::db::PgConn::open(connection, password)?;
        Ok(Clinic::new(Store::open_clinic_with(
            data_dir,
            pg,
            Some(bucket),
        )?))
    }

    /// In clinic mode, a feed of what the clinic's other desktops change
    /// (each change once committed); `None` for a desktop's own folder,
    /// where nobody else writes.
    pub fn change_feed(&self) -> Result<Option<crate::db::changes::ChangeFeed>> {
        let store = self.lock()?;
        match store.db() {
            Db::Postgres(conn) => Ok(Some(crate::db::changes::ChangeFeed::follow(conn)?)),
            Db::Sqlite(_) => Ok(None),
        }
    }

    /// Whether the records are on a clinic server.
    pub fn is_clinic(&self) -> bool {
        self.lock().is_ok_and(|store| store.is_clinic())
    }

    /// Opens a data folder that must already hold a Pinpoint database.
    pub fn open_existing(data_dir: &Path) -> Result<Clinic> {
        if !Store::exists(data_dir) {
            // Says what to do, as the store does.
            return Ok(Clinic::new(Store::open_existing(data_dir)?));
        }
        Clinic::open(data_dir)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Whether the folder is sealed (encrypted at rest).
    pub fn is_sealed(&self) -> bool {
        crate::seal::is_sealed(&self.data_dir)
    }

    /// Whether the store is open: always for a folder in the clear; for a
    /// sealed one, once someone has signed in.
    pub fn is_open(&self) -> bool {
        self.store.is_open()
    }

    /// Opens the sealed folder with its data key (nothing if it is open).
    pub(crate) fn unlock(&self, key: DataKey) -> Result<()> {
        if self.store.is_open() {
            return Ok(());
        }
        let store = Store::open_held(&self.hold, Some(Arc::new(key)))?;
        self.store.put(store);
        Ok(())
    }

    /// Closes a sealed folder: noted reads are written, the database is
    /// closed and this process's copies of its key are wiped. A folder in
    /// the clear stays open.
    pub fn close(&self) {
        if !self.is_sealed() {
            return;
        }
        let _ = self.flush_reads();
        drop(self.store.take());
    }

    /// The data key of the open sealed folder.
    pub(crate) fn key(&self) -> Option<Arc<DataKey>> {
        self.lock().ok().and_then(|store| store.key().cloned())
    }

    /// Seals the folder in the clear under `key`, with `keyring` (see
    /// [`crate::seal::seal_folder`]), and opens it sealed. On failure it
    /// stays in the clear and open.
    pub(crate) fn seal(
        &self,
        key: DataKey,
        keyring: &Keyring,
        progress: &mut dyn FnMut(SealProgress),
    ) -> Result<()> {
        self.flush_reads()?;
        let plain = self.store.take();
        drop(plain);
        let sealed = crate::seal::seal_folder(&self.hold, &key, keyring, progress);
        let reopened = match sealed {
            Ok(()) => Store::open_held(&self.hold, Some(Arc::new(key))).and_then(|store| {
                store.reset_head()?;
                Ok(store)
            }),
            Err(e) => {
                self.store.put(Store::open_held(&self.hold, None)?);
                return Err(e);
            }
        };
        self.store.put(reopened?);
        Ok(())
    }

    /// The store, held until the guard drops; `Locked` while a sealed
    /// folder is closed.
    pub(crate) fn lock(&self) -> Result<StoreGuard<'_>> {
        self.store.lock()
    }

    /// The lock itself, for the import pipeline that takes and releases it
    /// per photo.
    pub(crate) fn store(&self) -> &SharedStore {
        &self.store
    }

    /// Runs `f` on the connection under the lock.
    pub(crate) fn read<T>(&self, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        f(self.lock()?.db())
    }

    /// Runs `f` in one write transaction under the lock, its audit events
    /// naming `by`: all of it or none. Reads noted since the last write go
    /// into the same transaction first, so the chain keeps their order.
    pub(crate) fn write<T>(&self, by: &Stamp, f: impl FnMut(Db<'_>) -> Result<T>) -> Result<T> {
        self.write_with_reads(by, f).map(|(value, _)| value)
    }

    /// [`Clinic::write`], also saying how many noted reads went in first.
    /// Reads whose transaction fails are kept for the next write.
    fn write_with_reads<T>(
        &self,
        by: &Stamp,
        mut f: impl FnMut(Db<'_>) -> Result<T>,
    ) -> Result<(T, usize)> {
        let mut store = self.lock()?;
        let reads = self.take_reads();
        let outcome = store.write_as(by, |tx| {
            append_reads(tx, &reads)?;
            f(tx)
        });
        match outcome {
            Ok(value) => Ok((value, reads.len())),
            Err(e) => {
                self.put_back(reads);
                Err(e)
            }
        }
    }

    /// Notes a read for the audit; it is written with the next write, or by
    /// [`Clinic::flush_reads`].
    fn note_read(&self, read: NotedRead) {
        self.reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(read);
    }

    fn take_reads(&self) -> Vec<NotedRead> {
        std::mem::take(&mut *self.reads.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn put_back(&self, mut reads: Vec<NotedRead>) {
        let mut pending = self.reads.lock().unwrap_or_else(PoisonError::into_inner);
        reads.append(&mut pending);
        *pending = reads;
    }

    /// Writes the reads noted so far into the audit chain, in one
    /// transaction. The window calls it every few seconds, on lock and on
    /// exit; the command line when it ends. Returns how many were written.
    pub fn flush_reads(&self) -> Result<usize> {
        let none_noted = self
            .reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty();
        if none_noted || !self.store.is_open() {
            return Ok(0);
        }
        self.write_with_reads(&Stamp::default(), |_| Ok(()))
            .map(|((), written)| written)
    }

    /// A second, read-only connection for work that must not hold the lock.
    pub(crate) fn reader(&self) -> Result<Reader> {
        self.lock()?.reader()
    }
}

impl Drop for Clinic {
    /// Reads still noted are written before the folder closes; a failure
    /// here has nowhere to go but the next start's check of the chain.
    fn drop(&mut self) {
        let _ = self.flush_reads();
    }
}

fn append_reads(tx: Db<'_>, reads: &[NotedRead]) -> Result<()> {
    for read in reads {
        audit::append(
            tx,
            read.at,
            &read.by,
            read.action,
            read.entity,
            &read.entity_id,
            &read.detail,
        )?;
    }
    Ok(())
}

/// The moment an action runs at, as the shell read it from the wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// The clinic's local calendar date.
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    /// The computer's UTC offset now, for times shown or stored as local.
    pub offset: FixedOffset,
}

impl Clock {
    /// `now` at the given local offset; `today` follows from it.
    pub fn at(now: DateTime<Utc>, offset: FixedOffset) -> Clock {
        Clock {
            today: now.with_timezone(&offset).date_naive(),
            now,
            offset,
        }
    }

    /// `now` in local time.
    pub fn local_now(&self) -> DateTime<FixedOffset> {
        self.now.with_timezone(&self.offset)
    }
}

/// Where new record ids come from.
pub trait IdSource: Send + Sync + std::fmt::Debug {
    fn next_uuid(&self) -> Uuid;
}

/// Fresh time-ordered UUID v7s: the source the app and the CLI use.
#[derive(Debug, Clone, Copy, Default)]
pub struct FreshIds;

impl IdSource for FreshIds {
    fn next_uuid(&self) -> Uuid {
        Uuid::now_v7()
    }
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Whoever sits at this computer, not identified: what Pinpoint is
    /// until a clinic's accounts exist, with every permission.
    Workstation,
    /// A person signed in with their account, limited to their role.
    Account {
        id: crate::ids::AccountId,
        name: String,
        role: Role,
    },
}

impl Actor {
    /// How the audit names this actor.
    pub fn stamp(&self) -> Stamp {
        match self {
            Actor::Workstation => Stamp {
                id: None,
                name: Some("workstation".to_owned()),
            },
            Actor::Account { id, name, .. } => Stamp {
                id: Some(id.to_string()),
                name: Some(name.clone()),
            },
        }
    }

    /// The account acting, if any.
    pub fn account(&self) -> Option<crate::ids::AccountId> {
        match self {
            Actor::Workstation => None,
            Actor::Account { id, .. } => Some(*id),
        }
    }
}

/// What every action is given.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub clinic: &'a Clinic,
    pub clock: Clock,
    pub ids: &'a dyn IdSource,
    pub actor: Actor,
}

impl<'a> Ctx<'a> {
    /// A context at `clock` with fresh ids, acting from this workstation.
    pub fn new(clinic: &'a Clinic, clock: Clock) -> Ctx<'a> {
        Ctx {
            clinic,
            clock,
            ids: &FreshIds,
            actor: Actor::Workstation,
        }
    }

    /// The same context with ids from `ids` (tests use a fixed sequence).
    pub fn with_ids(self, ids: &'a dyn IdSource) -> Ctx<'a> {
        Ctx { ids, ..self }
    }

    /// A new id of any record type.
    pub fn id<T: From<Uuid>>(&self) -> T {
        T::from(self.ids.next_uuid())
    }

    /// The same context acting as `actor`.
    pub fn acting_as(self, actor: Actor) -> Ctx<'a> {
        Ctx { actor, ..self }
    }

    /// Refuses (`forbidden`, before anything is read or written) unless
    /// the actor may do what `permission` covers.
    pub fn require(&self, permission: Permission) -> Result<()> {
        match &self.actor {
            Actor::Workstation => Ok(()),
            Actor::Account { role, .. } if role.allows(permission) => Ok(()),
            Actor::Account { name, role, .. } => Err(access::forbidden(*role, name, permission)),
        }
    }

    /// Runs `f` in one write transaction whose audit events name this
    /// context's actor.
    pub(crate) fn write<T>(&self, f: impl FnMut(Db<'_>) -> Result<T>) -> Result<T> {
        self.clinic.write(&self.actor.stamp(), f)
    }

    /// When and by whom a long task's own transactions are written.
    pub(crate) fn written(&self) -> Written {
        Written {
            at: self.now(),
            by: self.actor.stamp(),
        }
    }

    /// Notes that this actor read something that matters (`action` on
    /// `entity` `entity_id`); it reaches the audit chain with the next
    /// write. Costs a push onto a list: no disk.
    pub(crate) fn note_read(
        &self,
        action: &'static str,
        entity: &'static str,
        entity_id: impl ToString,
        detail: serde_json::Value,
    ) {
        self.clinic.note_read(NotedRead {
            at: self.now(),
            by: self.actor.stamp(),
            action,
            entity,
            entity_id: entity_id.to_string(),
            detail,
        });
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now
    }
}

/// One long task of a kind (a photo import, a client export, a backup) at
/// a time, cancellable from another thread.
#[derive(Debug)]
pub struct TaskSlot {
    /// What the task is called in messages ("client export").
    what: &'static str,
    running: AtomicBool,
    cancel: AtomicBool,
}

impl TaskSlot {
    pub const fn new(what: &'static str) -> TaskSlot {
        TaskSlot {
            what,
            running: AtomicBool::new(false),
            cancel: AtomicBool::new(false),
        }
    }

    /// Marks the task running until the guard drops; a second start while
    /// one runs is a conflict, so a cancel always means the one running.
    pub fn start(&self) -> Result<Running<'_>> {
        if self.running.swap(true, Ordering::SeqCst) {
            return Err(Error::Conflict(format!(
                "another {} is running; wait for it or cancel it",
                self.what
            )));
        }
        self.cancel.store(false, Ordering::SeqCst);
        Ok(Running(self))
    }

    /// Asks the running task to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }
}

/// Held while a task runs; dropping it frees the slot.
#[derive(Debug)]
pub struct Running<'a>(&'a TaskSlot);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::SeqCst);
    }
}

/// A long task as an action sees it: its slot (one at a time, cancel) and
/// where its progress `P` goes.
pub struct Task<'a, P> {
    slot: &'a TaskSlot,
    report: &'a mut (dyn FnMut(&P) + Send),
}

impl<P> std::fmt::Debug for Task<'_, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task").field("slot", &self.slot).finish()
    }
}

impl<'a, P> Task<'a, P> {
    pub fn new(slot: &'a TaskSlot, report: &'a mut (dyn FnMut(&P) + Send)) -> Task<'a, P> {
        Task { slot, report }
    }

    /// Claims the slot for this run.
    fn start(&self) -> Result<Running<'a>> {
        self.slot.start()
    }

    /// Reports `progress`; false when the person cancelled.
    fn step(&mut self, progress: &P) -> bool {
        (self.report)(progress);
        !self.slot.is_cancelled()
    }
}

/// Runs `work` as a long task that nobody watches or cancels (the
/// command line).
pub fn unwatched<P, T>(what: &'static str, work: impl FnOnce(&mut Task<'_, P>) -> T) -> T {
    let slot = TaskSlot::new(what);
    let mut report = |_: &P| {};
    work(&mut Task::new(&slot, &mut report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_task_of_a_kind_is_refused_until_the_first_ends() {
        let slot = TaskSlot::new("client export");
        let first = slot.start().expect("the first starts");
        let second = slot.start().expect_err("a second must wait");
        assert_eq!(
            second.to_string(),
            "another client export is running; wait for it or cancel it"
        );
        slot.cancel();
        assert!(slot.is_cancelled(), "the cancel reaches the running task");
        drop(first);
        let _again = slot.start().expect("the slot is free once the first ended");
        assert!(!slot.is_cancelled(), "a new run starts uncancelled");
    }

    /// Hands out one fixed id.
    #[derive(Debug)]
    struct Fixed(Uuid);

    impl IdSource for Fixed {
        fn next_uuid(&self) -> Uuid {
            self.0
        }
    }

    #[test]
    fn new_records_take_their_ids_from_the_context() {
        let dir = tempfile::tempdir().unwrap();
        let clinic = Clinic::open(dir.path()).unwrap();
        let fixed = Fixed(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0042));
        let now = "2026-03-01T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let ctx =
            Ctx::new(&clinic, Clock::at(now, FixedOffset::east_opt(0).unwrap())).with_ids(&fixed);
        let input: crate::client::ClientInput = serde_json::from_value(serde_json::json!({
            "name": "Ana Sousa", "date_of_birth": null, "phone": null, "email": null,
            "fitzpatrick": null, "glogau": null, "indications": [], "alerts": "", "notes": "",
        }))
        .unwrap();
        let created = clients::create_client(&ctx, &input).unwrap();
        assert_eq!(
            created.id.as_uuid(),
            fixed.0,
            "the core makes up no id of its own"
        );
    }

    #[test]
    fn the_clock_gives_the_local_date_at_its_offset() {
        let now = "2026-03-01T23:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let lisbon_summer = FixedOffset::east_opt(3600).unwrap();
        let clock = Clock::at(now, lisbon_summer);
        assert_eq!(
            clock.today.to_string(),
            "2026-03-02",
            "half past eleven UTC is already tomorrow an hour east"
        );
        assert_eq!(clock.local_now().to_rfc3339(), "2026-03-02T00:30:00+01:00");
    }
}
