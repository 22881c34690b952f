//! Sealing a data folder that is still in the clear, crash-safely.
//!
//! Everything sealed is first written beside the plain folder, in
//! `.sealing/`: the database through SQLCipher's `sqlcipher_export`, each
//! original and cached image sealed, and the keyring. It is checked there
//! (the database opens with the key, passes `integrity_check` and has the
//! schema this build makes; every file opens and every original still has
//! its SHA-256), and only then is `.sealing/READY` written. From that mark
//! on, every open of the folder finishes the swap before anything else:
//! each plain part is removed and its sealed one renamed into place, the
//! keyring last. Before the mark, a leftover `.sealing/` is simply removed:
//! the plain folder was never touched. A kill at any moment leaves a folder
//! that opens, in the clear or sealed.

use std::path::Path;

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::{DataKey, Keyring, KEYRING_FILE};
use crate::photo::files::{CACHE_DIR, PHOTOS_DIR};
use crate::store::{FolderHold, DATABASE_FILE};
use crate::{Error, Result, Store};

/// Where a sealing is prepared, inside the data folder.
pub const STAGING_DIR: &str = ".sealing";

/// Written once the staging folder is complete and checked.
const READY: &str = "READY";

/// How far a sealing has come: files sealed of all there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SealProgress {
    pub done: u32,
    pub total: u32,
}

fn io(what: impl std::fmt::Display, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let context = format!("{what} {}", path.display());
    move |e| Error::io(context, e)
}

/// Seals the plain folder `hold` holds, under `key`, leaving `keyring` as
/// its keyring. No store may be open on the folder. On failure the folder
/// stays as it was, in the clear.
pub fn seal_folder(
    hold: &FolderHold,
    key: &DataKey,
    keyring: &Keyring,
    progress: &mut dyn FnMut(SealProgress),
) -> Result<()> {
    let data_dir = hold.data_dir();
    if super::is_sealed(data_dir) {
        return Err(Error::Conflict(
            "the data folder is sealed already".to_owned(),
        ));
    }
    // Opened once in the clear first: an older schema is brought up to
    // date (the sealed copy must have exactly this build's schema).
    drop(Store::open_held(hold, None)?);
    let staging = data_dir.join(STAGING_DIR);
    discard(&staging)?;
    crate::private::create_dir_all(&staging).map_err(io("cannot create", &staging))?;
    let outcome = prepare(data_dir, &staging, key, keyring, progress);
    if let Err(e) = outcome {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    finish(data_dir)
}

fn prepare(
    data_dir: &Path,
    staging: &Path,
    key: &DataKey,
    keyring: &Keyring,
    progress: &mut dyn FnMut(SealProgress),
) -> Result<()> {
    let mut files = Vec::new();
    for top in [PHOTOS_DIR, CACHE_DIR] {
        crate::photo::verify::walk(data_dir, &data_dir.join(top), &mut |relative| {
            let name = relative.rsplit('/').next().unwrap_or_default();
            // Temporary files and marks are not the store's content.
            if !name.starts_with('.') {
                files.push(relative);
            }
        })?;
    }
    let total = files.len() as u32 + 1;
    export_database(data_dir, staging, key)?;
    progress(SealProgress { done: 1, total });
    for (done, relative) in files.iter().enumerate() {
        let from = data_dir.join(relative);
        let meta = std::fs::symlink_metadata(&from).map_err(io("cannot read", &from))?;
        if !meta.is_file() {
            continue;
        }
        let plain = std::fs::read(&from).map_err(io("cannot read", &from))?;
        let to = staging.join(relative);
        crate::photo::files::write_atomically(&to, &key.seal_file(relative, &plain), false)
            .map_err(io("cannot write", &to))?;
        progress(SealProgress {
            done: done as u32 + 2,
            total,
        });
    }
    keyring.write(staging)?;
    check(staging, key, &files)?;
    sync_tree(staging)?;
    crate::photo::files::write_atomically(&staging.join(READY), b"sealed and checked\n", true)
        .map_err(io("cannot write", &staging.join(READY)))
}

/// Copies the plain database into a sealed one in the staging folder.
fn export_database(data_dir: &Path, staging: &Path, key: &DataKey) -> Result<()> {
    let conn = Connection::open(data_dir.join(DATABASE_FILE))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Everything in the log goes into the file copied.
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    let target = staging.join(DATABASE_FILE);
    crate::private::create_file(&target).map_err(io("cannot create", &target))?;
    let quoted = target.to_string_lossy().replace('\'', "''");
    let pragma = key.database_pragma();
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{quoted}' AS sealed KEY \"{}\";",
        pragma.as_str()
    ))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let application: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    conn.query_row("SELECT sqlcipher_export('sealed')", [], |_| Ok(()))?;
    conn.execute_batch(&format!(
        "PRAGMA sealed.user_version = {version}; PRAGMA sealed.application_id = {application}; DETACH DATABASE sealed;"
    ))?;
    drop(conn);
    // The chain is keyed from its first event.
    let sealed = Connection::open(&target)?;
    sealed.pragma_update(None, "key", &*key.database_pragma())?;
    crate::audit::rekey_chain(&sealed, key)?;
    Ok(())
}

/// Checks the staging folder before anything plain is removed.
fn check(staging: &Path, key: &DataKey, files: &[String]) -> Result<()> {
    let failed = |why: String| Error::Damaged(format!("the sealed copy failed its check: {why}"));
    let conn = Connection::open(staging.join(DATABASE_FILE))?;
    conn.pragma_update(None, "key", &*key.database_pragma())?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| failed(format!("the database does not open ({e})")))?;
    if integrity != "ok" {
        return Err(failed(format!("the database: {integrity}")));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != Store::schema_version() {
        return Err(failed(format!("the database has schema {version}")));
    }
    if let Some(difference) = crate::store::schema_difference(&conn)? {
        return Err(failed(format!(
            "the database's schema differs: {difference}"
        )));
    }
    for relative in files {
        let path = staging.join(relative);
        let sealed = std::fs::read(&path).map_err(io("cannot read", &path))?;
        let plain = key.open_file(relative, &sealed)?;
        // An original is named by its content's SHA-256.
        if let Some(rest) = relative.strip_prefix(&format!("{PHOTOS_DIR}/")) {
            let stem = rest.rsplit('/').next().unwrap_or_default();
            let stem = stem.split('.').next().unwrap_or_default();
            let actual = crate::hex::encode(&Sha256::digest(&plain));
            if crate::photo::files::is_sha256_hex(stem) && actual != stem {
                return Err(failed(format!("{relative} does not match its SHA-256")));
            }
        }
    }
    Ok(())
}

/// Flushes every file under `dir` and the folders themselves to disk.
fn sync_tree(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(io("cannot read", dir))?;
    for entry in entries {
        let path = entry.map_err(io("cannot read", dir))?.path();
        let kind = std::fs::symlink_metadata(&path).map_err(io("cannot read", &path))?;
        if kind.is_dir() {
            sync_tree(&path)?;
        } else if kind.is_file() {
            std::fs::File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(io("cannot flush", &path))?;
        }
    }
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io("cannot flush", dir))?;
    Ok(())
}

fn discard(staging: &Path) -> Result<()> {
    match std::fs::remove_dir_all(staging) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(
            format!("cannot remove the unfinished sealing {}", staging.display()),
            e,
        )),
        _ => Ok(()),
    }
}

/// Run by every open of a data folder, holding its lock: finishes a sealing
/// that was checked, or removes one that was not.
pub(crate) fn finish_interrupted(data_dir: &Path) -> Result<()> {
    let staging = data_dir.join(STAGING_DIR);
    if !staging.exists() {
        return Ok(());
    }
    if staging.join(READY).is_file() {
        finish(data_dir)
    } else {
        discard(&staging)
    }
}

/// Puts each sealed part in place of its plain one; safe to run again
/// after a kill at any step.
fn finish(data_dir: &Path) -> Result<()> {
    let staging = data_dir.join(STAGING_DIR);
    for top in [PHOTOS_DIR, CACHE_DIR] {
        let sealed = staging.join(top);
        if sealed.is_dir() {
            let plain = data_dir.join(top);
            discard(&plain)?;
            std::fs::rename(&sealed, &plain).map_err(io("cannot move", &sealed))?;
        }
    }
    let sealed_db = staging.join(DATABASE_FILE);
    if sealed_db.is_file() {
        // The plain database's log must never be read with the sealed one.
        for suffix in ["-wal", "-shm"] {
            let log = data_dir.join(format!("{DATABASE_FILE}{suffix}"));
            match std::fs::remove_file(&log) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io(format!("cannot remove {}", log.display()), e))
                }
                _ => {}
            }
        }
        let target = data_dir.join(DATABASE_FILE);
        std::fs::rename(&sealed_db, &target).map_err(io("cannot move", &sealed_db))?;
    }
    let keyring = staging.join(KEYRING_FILE);
    if keyring.is_file() {
        std::fs::rename(&keyring, data_dir.join(KEYRING_FILE))
            .map_err(io("cannot move", &keyring))?;
    }
    #[cfg(unix)]
    std::fs::File::open(data_dir)
        .and_then(|f| f.sync_all())
        .map_err(io("cannot flush", data_dir))?;
    discard(&staging)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A folder in the clear with one client and two photo files (named by
    /// their content's SHA-256) and a cached image.
    fn plain_folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut store = Store::open(dir).unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO client (id, name, created_at, updated_at)
                     VALUES ('c1', 'Ada Okonkwo', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                    &[],
                )?;
                Ok(())
            })
            .unwrap();
        drop(store);
        let mut files = Vec::new();
        for (i, body) in [b"first photo".as_slice(), b"second photo"]
            .iter()
            .enumerate()
        {
            let sha = crate::hex::encode(&Sha256::digest(body));
            let relative = format!("{PHOTOS_DIR}/{}/{sha}.jpg", &sha[..2]);
            files.push((relative, body.to_vec()));
            files.push((
                format!("{CACHE_DIR}/thumb/{}/{sha}.jpg", &sha[..2]),
                format!("thumb {i}").into_bytes(),
            ));
        }
        for (relative, body) in &files {
            let path = dir.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        files
    }

    /// The swap of a checked sealing, stopped after `done` of its steps as
    /// a kill would, then the next open: it always ends sealed and whole.
    #[test]
    fn a_kill_at_any_step_of_the_swap_is_finished_by_the_next_open() {
        for done in 0..=5 {
            let scratch = tempfile::tempdir().unwrap();
            let dir = scratch.path().join("clinic");
            let files = plain_folder(&dir);
            let key = DataKey::generate();
            let (keyring, _) = Keyring::new(&key);
            let staging = dir.join(STAGING_DIR);
            std::fs::create_dir_all(&staging).unwrap();
            prepare(&dir, &staging, &key, &keyring, &mut |_| {}).unwrap();
            assert!(staging.join(READY).is_file());
            // The swap's steps, in finish's order, the first `done` of them.
            let steps: [&dyn Fn(); 5] = [
                &|| {
                    std::fs::remove_dir_all(dir.join(PHOTOS_DIR)).unwrap();
                    std::fs::rename(staging.join(PHOTOS_DIR), dir.join(PHOTOS_DIR)).unwrap();
                },
                &|| {
                    std::fs::remove_dir_all(dir.join(CACHE_DIR)).unwrap();
                    std::fs::rename(staging.join(CACHE_DIR), dir.join(CACHE_DIR)).unwrap();
                },
                &|| {
                    let _ = std::fs::remove_file(dir.join(format!("{DATABASE_FILE}-wal")));
                    let _ = std::fs::remove_file(dir.join(format!("{DATABASE_FILE}-shm")));
                },
                &|| std::fs::rename(staging.join(DATABASE_FILE), dir.join(DATABASE_FILE)).unwrap(),
                &|| std::fs::rename(staging.join(KEYRING_FILE), dir.join(KEYRING_FILE)).unwrap(),
            ];
            for step in steps.iter().take(done) {
                step();
            }
            let hold = Store::hold_folder(&dir).unwrap();
            assert!(!staging.exists(), "step {done}: the open finished the swap");
            assert!(super::super::is_sealed(&dir), "step {done}: sealed");
            let store = Store::open_held(&hold, Some(Arc::new(key.duplicate()))).unwrap();
            let name: String = store
                .sqlite()
                .unwrap()
                .query_row("SELECT name FROM client", [], |r| r.get(0))
                .unwrap();
            assert_eq!(name, "Ada Okonkwo", "step {done}");
            for (relative, body) in &files {
                let sealed = std::fs::read(dir.join(relative)).unwrap();
                assert_eq!(
                    &key.open_file(relative, &sealed).unwrap(),
                    body,
                    "step {done}: {relative}"
                );
            }
        }
    }

    #[test]
    fn an_unchecked_sealing_is_discarded_and_the_clear_folder_kept() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().join("clinic");
        let files = plain_folder(&dir);
        let key = DataKey::generate();
        let (keyring, _) = Keyring::new(&key);
        let staging = dir.join(STAGING_DIR);
        std::fs::create_dir_all(&staging).unwrap();
        prepare(&dir, &staging, &key, &keyring, &mut |_| {}).unwrap();
        // Killed just before the mark.
        std::fs::remove_file(staging.join(READY)).unwrap();
        let store = Store::open(&dir).unwrap();
        assert!(!staging.exists() && !super::super::is_sealed(&dir));
        let count: i64 = store
            .sqlite()
            .unwrap()
            .query_row("SELECT COUNT(*) FROM client", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 1);
        for (relative, body) in &files {
            assert_eq!(&std::fs::read(dir.join(relative)).unwrap(), body);
        }
    }
}
