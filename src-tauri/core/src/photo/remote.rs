//! In clinic mode, the photos live in the clinic's bucket (`crate::bucket`)
//! and each desktop's data folder keeps a cache of them.
//!
//! - Every photo file (original, preview, thumbnail) is sealed on the
//!   desktop with the clinic's photo key (AES-256-GCM, its path bound in)
//!   before it is written anywhere; the bucket holds exactly the sealed
//!   bytes of the desktop's file, so the object store never sees a face.
//! - An object's name is `p/` and an HMAC of the file's path under a key
//!   derived from the clinic's: content-addressed (the path is the photo's
//!   SHA-256) without giving away which photo it is.
//! - A desktop's cached file is its photo's bytes for good: a path names
//!   one content, so a cache entry can never be stale, and a file fetched
//!   from the bucket is opened (authenticated) before it is kept.
//! - An upload is idempotent (the same name, the same content) and
//!   resumable: an import interrupted half-way sends again only what the
//!   bucket does not have. An import stores the files before it adds the
//!   photo's row, so no desktop ever sees a photo whose original is not
//!   safely in the bucket.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::bucket::Bucket;
use crate::db::Db;
use crate::seal::DataKey;
use crate::{Error, Result};

/// The start of every photo object's name.
const PREFIX: &str = "p/";

/// How old an object no row names must be before a sweep removes it: an
/// import on another desktop stores its files before it adds the row, and
/// a sweep must not take a photo whose row is a moment away.
const SWEEP_GRACE_HOURS: i64 = 24;

/// The largest object fetched: the largest original an import takes, and
/// sealing's few bytes.
const MAX_OBJECT_BYTES: u64 = super::render::MAX_FILE_BYTES + 1024;

/// A clinic's bucket as one desktop uses it.
#[derive(Debug)]
pub struct Remote {
    bucket: Bucket,
    names: Zeroizing<[u8; 32]>,
}

/// The data folders in clinic mode open in this process, and their bucket.
static OPEN: Mutex<Vec<(PathBuf, Arc<Remote>)>> = Mutex::new(Vec::new());

impl Remote {
    pub(crate) fn new(bucket: Bucket, key: &DataKey) -> Remote {
        Remote {
            bucket,
            names: key.object_names_key(),
        }
    }

    /// The object name of the data folder file `relative`.
    pub fn object_name(&self, relative: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.names.as_ref()).expect("any key length");
        mac.update(relative.as_bytes());
        format!(
            "{PREFIX}{}",
            crate::hex::encode(&mac.finalize().into_bytes())
        )
    }

    /// Sends the folder's file `relative` (sealed already) unless the
    /// bucket has it.
    pub(crate) fn upload(&self, data_dir: &Path, relative: &str) -> Result<()> {
        let name = self.object_name(relative);
        if self.bucket.exists(&name)? {
            return Ok(());
        }
        let sealed = std::fs::read(data_dir.join(relative))
            .map_err(|e| Error::io(format!("cannot read {relative}"), e))?;
        if !crate::seal::is_sealed_file(&sealed) {
            // Never: the folder's key is registered before any photo is stored.
            return Err(Error::Damaged(format!(
                "{relative} is not sealed; it is not sent to the photo store in the clear"
            )));
        }
        self.bucket.put(&name, &sealed)
    }

    /// Brings the folder's file `relative` from the bucket into the
    /// folder: `false` if the bucket does not have it. What arrives is
    /// opened with the clinic's key first, so nothing changed or misplaced
    /// is ever kept.
    pub(crate) fn fetch(&self, data_dir: &Path, relative: &str) -> Result<bool> {
        let Some(sealed) = self
            .bucket
            .get(&self.object_name(relative), MAX_OBJECT_BYTES)?
        else {
            return Ok(false);
        };
        let key = crate::seal::key_for(data_dir)?.ok_or_else(|| {
            Error::Locked("the clinic's photo key is not open on this desktop".to_owned())
        })?;
        key.open_file(relative, &sealed).map_err(|e| {
            Error::Damaged(format!(
                "the clinic's photo store holds a damaged copy: {e}"
            ))
        })?;
        // Not flushed to disk: a copy a power cut damages fails its check
        // when read and is fetched again.
        super::files::write_atomically(&data_dir.join(relative), &sealed, false)
            .map_err(|e| Error::io(format!("cannot write {relative}"), e))?;
        Ok(true)
    }

    /// The names of every photo object in the bucket, with when each was
    /// written: a listing, a thousand names a request.
    pub(crate) fn stored(&self) -> Result<HashMap<String, Option<DateTime<Utc>>>> {
        Ok(self
            .bucket
            .list(PREFIX)?
            .into_iter()
            .map(|listed| (listed.key, listed.modified))
            .collect())
    }

    /// Removes the folder's file `relative` from the bucket.
    pub(crate) fn remove(&self, relative: &str) -> Result<()> {
        self.bucket.delete(&self.object_name(relative))
    }
}

/// Registers the bucket of a data folder opened in clinic mode.
pub(crate) fn register(data_dir: &Path, remote: Arc<Remote>) {
    let mut open = OPEN.lock().unwrap_or_else(PoisonError::into_inner);
    open.retain(|(dir, _)| dir != data_dir);
    open.push((data_dir.to_owned(), remote));
}

/// Forgets the bucket of a folder being closed.
pub(crate) fn unregister(data_dir: &Path) {
    OPEN.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|(dir, _)| dir != data_dir);
}

/// The bucket of `data_dir`, if its photos are kept in one.
pub(crate) fn for_folder(data_dir: &Path) -> Option<Arc<Remote>> {
    OPEN.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(dir, _)| dir == data_dir)
        .map(|(_, remote)| Arc::clone(remote))
}

/// Makes sure the folder's file `relative` is in the folder, fetching it
/// from the clinic's bucket if this desktop has not got it yet: whether it
/// is there now.
pub(crate) fn ensure_local(data_dir: &Path, relative: &str) -> Result<bool> {
    if data_dir.join(relative).is_file() {
        return Ok(true);
    }
    match for_folder(data_dir) {
        Some(remote) => remote.fetch(data_dir, relative),
        None => Ok(false),
    }
}

/// Replaces this desktop's copy of the folder's file `relative` with the
/// clinic's (a damaged cache entry): whether there was one to fetch.
pub(crate) fn refetch(data_dir: &Path, relative: &str) -> Result<bool> {
    match for_folder(data_dir) {
        Some(remote) => remote.fetch(data_dir, relative),
        None => Ok(false),
    }
}

/// The object name the folder's file `relative` has in the clinic's
/// bucket, if the folder keeps its photos in one (for checks and tests).
pub fn object_name(data_dir: &Path, relative: &str) -> Option<String> {
    for_folder(data_dir).map(|remote| remote.object_name(relative))
}

/// Sends the folder's files `relatives` to the clinic's bucket, if the
/// folder has one (nothing otherwise).
pub(crate) fn upload_all(data_dir: &Path, relatives: &[String]) -> Result<()> {
    if let Some(remote) = for_folder(data_dir) {
        for relative in relatives {
            remote.upload(data_dir, relative)?;
        }
    }
    Ok(())
}

/// Removes from the clinic's bucket the photo objects no photo row names
/// (what an import cut short between its upload and its row leaves, or a
/// failed erasure), once older than a day; nothing without a bucket.
/// Returns the object names removed.
pub(crate) fn sweep_bucket(db: Db<'_>, data_dir: &Path, now: DateTime<Utc>) -> Result<Vec<String>> {
    let Some(remote) = for_folder(data_dir) else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, String)> =
        db.query_map("SELECT sha256, format FROM photo", &[], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    let mut named = HashSet::new();
    for (sha256, format) in &rows {
        if !super::files::is_sha256_hex(sha256) {
            continue;
        }
        let format = super::PhotoFormat::from_record(format, format_args!("photo {sha256}"))?;
        for relative in super::files::all_relatives(sha256, format) {
            named.insert(remote.object_name(&relative));
        }
    }
    let grace = now - chrono::Duration::hours(SWEEP_GRACE_HOURS);
    let mut removed = Vec::new();
    for (name, modified) in remote.stored()? {
        let old_enough = modified.is_some_and(|at| at < grace);
        if !named.contains(&name) && old_enough {
            remote.bucket.delete(&name)?;
            removed.push(name);
        }
    }
    removed.sort();
    Ok(removed)
}
