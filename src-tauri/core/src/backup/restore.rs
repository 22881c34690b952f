//! Restoring an archive into an empty folder, through a staging folder:
//! every part checked against the manifest before anything moves.
//!
//! Nothing in the archive is trusted. A first walk reads only the headers
//! and the manifest, and writes nothing: only regular-file entries are
//! taken (no links, devices, sparse files or folders), each listed in the
//! manifest with the size its header gives, matched through maps; the disk
//! must have room for the sum. Then each part is copied, never more than
//! its listed size, and its checksum checked as soon as it is written. The
//! restored
//! database must have exactly the schema Pinpoint's migrations make, and
//! the full check passes, before the folder is moved into place. Each
//! restore stages into a folder of its own, marked as Pinpoint's, so a
//! later one only ever removes stagings left by a restore that died.

use std::collections::{HashMap, HashSet};

use super::create::sync_dir;
use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestoreSummary {
    pub data_dir: String,
    pub parts: u32,
    /// The schema the backup was made with (older ones are upgraded).
    pub backup_schema_version: u32,
}

/// Restores `archive` into `data_dir`, which must be missing or empty.
/// A sealed backup needs [`restore_with`] and a way to unlock it.
pub fn restore(
    archive: &Path,
    data_dir: &Path,
    progress: OnProgress<'_>,
) -> Result<RestoreSummary> {
    restore_with(archive, data_dir, None, progress).map(|(summary, _)| summary)
}

/// Restores `archive` into `data_dir`, which must be missing or empty. A
/// sealed backup is opened with `unlock` (an account's passphrase or the
/// recovery key), checked before anything is written: a wrong one is
/// refused and nothing is created. Gives the data key of a sealed backup,
/// to open the restored folder with.
pub fn restore_with(
    archive: &Path,
    data_dir: &Path,
    unlock: Option<crate::seal::Unlock<'_>>,
    progress: OnProgress<'_>,
) -> Result<(RestoreSummary, Option<crate::seal::DataKey>)> {
    if data_dir.exists() {
        let mut entries = fs::read_dir(data_dir)
            .map_err(|e| Error::io(format!("cannot read {}", data_dir.display()), e))?;
        if entries.next().is_some() {
            return Err(Error::invalid(
                "data_dir",
                format!(
                    "{} is not empty; restore into a new, empty folder so no current data is touched",
                    data_dir.display()
                ),
            ));
        }
    }
    let name = data_dir
        .file_name()
        .ok_or_else(|| Error::invalid("data_dir", "restore needs a folder name"))?
        .to_string_lossy()
        .into_owned();
    let parent = match data_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let key = match peek_keyring(archive)? {
        None => None,
        Some(keyring) => {
            let unlock = unlock.ok_or_else(|| {
                Error::invalid(
                    "passphrase",
                    "this backup is sealed: give an account's name and passphrase, or the recovery key",
                )
            })?;
            Some(keyring.unlock(unlock)?.0)
        }
    };
    let plan = read_plan(archive, key.as_ref())?;
    crate::private::create_dir_all(&parent)
        .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    sweep_dead_stagings(&parent, &name);
    check_room(plan.bytes, &parent)?;
    let staging = new_staging(&parent, &name)?;
    let result = unpack_and_check(archive, plan, &staging, key.as_ref(), progress);
    match result {
        Ok(summary) => {
            if data_dir.exists() {
                fs::remove_dir(data_dir).map_err(|e| {
                    Error::io(
                        format!("cannot replace the empty {}", data_dir.display()),
                        e,
                    )
                })?;
            }
            fs::rename(&staging, data_dir).map_err(|e| {
                Error::io(
                    format!("cannot move the restored data to {}", data_dir.display()),
                    e,
                )
            })?;
            sync_dir(&parent);
            Ok((
                RestoreSummary {
                    data_dir: data_dir.display().to_string(),
                    ..summary
                },
                key,
            ))
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

/// An archive entry's path as text (why not, when its header is damaged).
fn entry_path<R: Read>(entry: &tar::Entry<'_, R>) -> std::result::Result<String, String> {
    entry
        .path()
        .map(|p| p.to_string_lossy().into_owned())
        .map_err(|e| e.to_string())
}

/// The marker a staging folder holds: the restoring process's id.
const STAGING_MARKER: &str = ".pinpoint-restoring";

/// A new staging folder beside the target, never one that exists already.
fn new_staging(parent: &Path, name: &str) -> Result<PathBuf> {
    let staging = parent.join(format!(
        ".{name}.restoring-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let make = || -> io::Result<()> {
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&staging)?;
        crate::private::write(
            &staging.join(STAGING_MARKER),
            std::process::id().to_string().as_bytes(),
        )
    };
    make().map_err(|e| Error::io(format!("cannot create {}", staging.display()), e))?;
    Ok(staging)
}

/// Removes staging folders of earlier restores into `name` whose process
/// is gone (killed mid-restore): only folders that carry Pinpoint's marker.
fn sweep_dead_stagings(parent: &Path, name: &str) {
    let prefix = format!(".{name}.restoring-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !file_name.starts_with(&prefix) {
            continue;
        }
        let path = entry.path();
        let Ok(pid) = fs::read_to_string(path.join(STAGING_MARKER)) else {
            continue;
        };
        let alive = pid
            .trim()
            .parse::<u32>()
            .is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Refuses a restore the disk has no room for: the parts take `needed`
/// bytes, as the manifest and the archive's headers agree.
fn check_room(needed: u64, parent: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Ok(stat) = rustix::fs::statvfs(parent) {
        let free = stat.f_bavail.saturating_mul(stat.f_frsize);
        if free < needed {
            return Err(Error::invalid(
                "archive",
                format!(
                    "the restore needs {:.1} MB and the disk holding {} has {:.1} MB free",
                    needed as f64 / 1e6,
                    parent.display(),
                    free as f64 / 1e6
                ),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (needed, parent);
    Ok(())
}

/// Checks that the restored database has exactly the tables, indexes,
/// triggers and views this Pinpoint's migrations make: a crafted database
/// could otherwise bring a trigger of its own, or lack a guard.
fn check_schema(restored: &Store) -> Result<()> {
    match crate::store::schema_difference(restored.sqlite()?)? {
        None => Ok(()),
        Some(difference) => Err(Error::invalid(
            "archive",
            format!("the backup's database is not one Pinpoint made: {difference}"),
        )),
    }
}

/// The keyring a sealed backup carries as its first entry, read before
/// anything is written; `None` for a backup in the clear.
fn peek_keyring(archive: &Path) -> Result<Option<crate::seal::Keyring>> {
    let file = File::open(archive).map_err(|e| {
        Error::invalid(
            "archive",
            format!("cannot open the backup {}: {e}", archive.display()),
        )
    })?;
    let damaged =
        |what: String| Error::invalid("archive", format!("the backup is damaged: {what}"));
    let mut tar = tar::Archive::new(BufReader::new(file));
    let mut entries = tar.entries().map_err(|e| damaged(e.to_string()))?;
    let Some(first) = entries.next() else {
        return Ok(None);
    };
    let mut first = first.map_err(|e| damaged(e.to_string()))?;
    let is_keyring = first
        .path()
        .is_ok_and(|p| p.to_string_lossy() == crate::seal::KEYRING_FILE);
    if !is_keyring || first.header().entry_type() != tar::EntryType::Regular {
        return Ok(None);
    }
    let mut text = String::new();
    first
        .by_ref()
        .take(1 << 20)
        .read_to_string(&mut text)
        .map_err(|e| damaged(format!("{}: {e}", crate::seal::KEYRING_FILE)))?;
    crate::seal::Keyring::parse(&text)
        .map(Some)
        .map_err(|why| damaged(format!("its keyring {why}")))
}

/// What a first walk over the archive's headers found, before anything is
/// written: the manifest, checked, and every entry matched to it.
#[derive(Debug)]
pub(super) struct Plan {
    manifest: Manifest,
    /// The bytes the parts take, as the manifest and the headers agree.
    bytes: u64,
}

/// Walks the archive's headers only (the data is skipped, not read): every
/// entry must be a plain file at an allowed path, appear once and be listed
/// in the manifest with the size its header gives; every listed part must be
/// there. Nothing is written.
pub(super) fn read_plan(archive: &Path, key: Option<&crate::seal::DataKey>) -> Result<Plan> {
    let file = File::open(archive).map_err(|e| {
        Error::invalid(
            "archive",
            format!("cannot open the backup {}: {e}", archive.display()),
        )
    })?;
    let damaged =
        |what: String| Error::invalid("archive", format!("the backup is damaged: {what}"));
    let mut tar = tar::Archive::new(file);
    let mut sizes: HashMap<String, u64> = HashMap::new();
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let entries = tar
        .entries_with_seek()
        .map_err(|e| damaged(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(e.to_string()))?;
        let path = entry_path(&entry).map_err(damaged)?;
        archive_path(&path)?;
        // A link, device, folder or sparse entry could point outside the
        // staging folder or claim more than the archive holds.
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(damaged(format!(
                "{path} is not a plain file (a link, device, folder or sparse entry)"
            )));
        }
        if sizes.contains_key(&path) || manifest_bytes.is_some() && path == MANIFEST {
            return Err(damaged(format!("{path} appears twice")));
        }
        if path == MANIFEST {
            let mut bytes = Vec::new();
            entry
                .by_ref()
                .take(1 << 24)
                .read_to_end(&mut bytes)
                .map_err(|e| damaged(format!("{MANIFEST}: {e}")))?;
            manifest_bytes = Some(bytes);
            continue;
        }
        sizes.insert(path, entry.size());
    }
    let manifest =
        read_manifest(&manifest_bytes.ok_or_else(|| damaged("it has no manifest".to_owned()))?)?;
    match key {
        Some(key) if !manifest.check_mac(key) => {
            return Err(damaged(
                "its manifest was changed after the backup was made (its seal does not match)"
                    .to_owned(),
            ))
        }
        None if manifest.sealed => {
            return Err(damaged(
                "its manifest says sealed, but it holds no keyring".to_owned(),
            ))
        }
        _ => {}
    }
    let mut bytes = 0u64;
    let mut listed: HashSet<&str> = HashSet::with_capacity(manifest.parts.len());
    for part in &manifest.parts {
        if !listed.insert(part.path.as_str()) {
            return Err(damaged(format!(
                "{} appears twice in its manifest",
                part.path
            )));
        }
        match sizes.get(&part.path) {
            None => return Err(damaged(format!("{} is missing", part.path))),
            Some(&size) if size != part.size => {
                return Err(damaged(format!(
                    "{} holds {size} bytes where its manifest says {}",
                    part.path, part.size
                )))
            }
            Some(&size) => bytes = bytes.saturating_add(size),
        }
    }
    if let Some(extra) = sizes.keys().find(|path| !listed.contains(path.as_str())) {
        return Err(damaged(format!("{extra} is not in its manifest")));
    }
    Ok(Plan { manifest, bytes })
}

/// Copies each part into `staging`, no more than the manifest's size, and
/// checks its checksum as soon as it is written; then opens and checks the
/// restored database.
pub(super) fn unpack_and_check(
    archive: &Path,
    plan: Plan,
    staging: &Path,
    key: Option<&crate::seal::DataKey>,
    progress: OnProgress<'_>,
) -> Result<RestoreSummary> {
    let Plan { manifest, bytes } = plan;
    let file = File::open(archive).map_err(|e| {
        Error::invalid(
            "archive",
            format!("cannot open the backup {}: {e}", archive.display()),
        )
    })?;
    crate::private::create_dir_all(staging)
        .map_err(|e| Error::io(format!("cannot create {}", staging.display()), e))?;
    let damaged =
        |what: String| Error::invalid("archive", format!("the backup is damaged: {what}"));
    let expected: HashMap<&str, &Part> = manifest
        .parts
        .iter()
        .map(|p| (p.path.as_str(), p))
        .collect();
    let stopped = std::cell::Cell::new(false);
    let mut tar = tar::Archive::new(BufReader::new(file));
    let mut copied = 0usize;
    let mut done = 0u64;
    let entries = tar.entries().map_err(|e| damaged(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(e.to_string()))?;
        let path = entry_path(&entry).map_err(damaged)?;
        if path == MANIFEST {
            continue;
        }
        // The archive was walked once already; it must not have changed.
        let part = expected
            .get(path.as_str())
            .filter(|_| entry.header().entry_type() == tar::EntryType::Regular)
            .ok_or_else(|| damaged(format!("{path} changed while it was restored")))?;
        let target = staging.join(archive_path(&path)?);
        if let Some(dir) = target.parent() {
            crate::private::create_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        }
        let out = crate::private::create_file(&target)
            .map_err(|e| Error::io(format!("cannot write {}", target.display()), e))?;
        let mut on_bytes = |n: u64| {
            done += n;
            progress(Progress {
                done_bytes: done as f64,
                total_bytes: bytes as f64,
            })
        };
        let mut reader = Hashing {
            inner: (&mut entry).take(part.size),
            hasher: Sha256::new(),
            read: 0,
            progress: &mut on_bytes,
            cancelled: &stopped,
        };
        let mut writer = BufWriter::new(out);
        io::copy(&mut reader, &mut writer).map_err(|e| {
            if stopped.get() {
                cancelled("the restore")
            } else if e.kind() == io::ErrorKind::StorageFull {
                Error::io(format!("cannot write {}", target.display()), e)
            } else {
                damaged(format!("{path}: {e}"))
            }
        })?;
        if reader.read != part.size || hex(&reader.hasher.finalize()) != part.sha256 {
            return Err(damaged(format!("{path} does not match its checksum")));
        }
        let out = writer
            .into_inner()
            .map_err(|e| Error::io("cannot write the restored data", e.into_error()))?;
        out.sync_all()
            .map_err(|e| Error::io("cannot write the restored data", e))?;
        copied += 1;
    }
    if copied != manifest.parts.len() {
        return Err(damaged(
            "its parts changed while it was restored".to_owned(),
        ));
    }
    fs::remove_file(staging.join(STAGING_MARKER))
        .map_err(|e| Error::io(format!("cannot tidy {}", staging.display()), e))?;
    // Open it once: refuses a newer schema, upgrades an older one.
    let hold = Store::hold_folder(staging)?;
    let store = Store::open_held(&hold, key.map(|k| std::sync::Arc::new(k.duplicate())))?;
    let integrity: String = store
        .sqlite()?
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if integrity != "ok" {
        return Err(damaged(format!(
            "the database fails its integrity check: {integrity}"
        )));
    }
    check_schema(&store)?;
    if let Some(head) = &manifest.audit_head {
        if let Some(wrong) = crate::audit::check_head(store.db(), head)? {
            return Err(damaged(format!(
                "its database does not match its manifest: {wrong}"
            )));
        }
    }
    let report = crate::verify::run(&store, true)?;
    // A clinic's backup carries the clinic's photo key and no photo: the
    // photos are in the clinic's bucket (moved back with `clinic migrate`,
    // they open again). Only their absence is expected.
    let clinic_backup = crate::store::holds_photo_key(store.db())?;
    let only_photos_in_bucket = clinic_backup
        && report.problems.len() == report.photos.problems.len()
        && report
            .photos
            .problems
            .iter()
            .all(|p| p.reason == "the original is missing");
    if !report.ok && !only_photos_in_bucket {
        return Err(damaged(format!(
            "the restored data fails its check: {}",
            report.problems.join("; ")
        )));
    }
    drop(store);
    Ok(RestoreSummary {
        data_dir: String::new(),
        parts: manifest.parts.len() as u32,
        backup_schema_version: manifest.schema_version,
    })
}
