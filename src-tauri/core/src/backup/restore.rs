//! Restoring an archive into an empty folder, through a staging folder:
//! every part checked against the manifest before anything moves.

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
pub fn restore(
    archive: &Path,
    data_dir: &Path,
    progress: OnProgress<'_>,
) -> Result<RestoreSummary> {
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
    crate::private::create_dir_all(&parent)
        .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    let staging = parent.join(format!(".{name}.restoring"));
    let _ = fs::remove_dir_all(&staging);
    let result = unpack_and_check(archive, &staging, progress);
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
            Ok(RestoreSummary {
                data_dir: data_dir.display().to_string(),
                ..summary
            })
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

pub(super) fn unpack_and_check(
    archive: &Path,
    staging: &Path,
    progress: OnProgress<'_>,
) -> Result<RestoreSummary> {
    let file = File::open(archive).map_err(|e| {
        Error::invalid(
            "archive",
            format!("cannot open the backup {}: {e}", archive.display()),
        )
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    crate::private::create_dir_all(staging)
        .map_err(|e| Error::io(format!("cannot create {}", staging.display()), e))?;
    let damaged =
        |what: String| Error::invalid("archive", format!("the backup is damaged: {what}"));
    let stopped = std::cell::Cell::new(false);
    let mut tar = tar::Archive::new(BufReader::new(file));
    let mut found: Vec<Part> = Vec::new();
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let mut done = 0u64;
    let entries = tar.entries().map_err(|e| damaged(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(e.to_string()))?;
        let path = entry
            .path()
            .map_err(|e| damaged(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        let rel = archive_path(&path)?;
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
        if found.iter().any(|p| p.path == path) {
            return Err(damaged(format!("{path} appears twice")));
        }
        let target = staging.join(&rel);
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
                total_bytes: total as f64,
            })
        };
        let mut reader = Hashing {
            inner: &mut entry,
            hasher: Sha256::new(),
            read: 0,
            progress: &mut on_bytes,
            cancelled: &stopped,
        };
        let mut writer = BufWriter::new(out);
        io::copy(&mut reader, &mut writer).map_err(|e| {
            if stopped.get() {
                cancelled("the restore")
            } else {
                damaged(format!("{path}: {e}"))
            }
        })?;
        let size = reader.read;
        let sha256 = hex(&reader.hasher.finalize());
        let out = writer
            .into_inner()
            .map_err(|e| Error::io("cannot write the restored data", e.into_error()))?;
        out.sync_all()
            .map_err(|e| Error::io("cannot write the restored data", e))?;
        found.push(Part { path, size, sha256 });
    }
    let manifest =
        read_manifest(&manifest_bytes.ok_or_else(|| damaged("it has no manifest".to_owned()))?)?;
    for part in &manifest.parts {
        match found.iter().find(|f| f.path == part.path) {
            None => return Err(damaged(format!("{} is missing", part.path))),
            Some(f) if f.size != part.size || f.sha256 != part.sha256 => {
                return Err(damaged(format!(
                    "{} does not match its checksum",
                    part.path
                )))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = found
        .iter()
        .find(|f| !manifest.parts.iter().any(|p| p.path == f.path))
    {
        return Err(damaged(format!("{} is not in its manifest", extra.path)));
    }
    // Open it once: refuses a newer schema, upgrades an older one.
    let store = Store::open(staging)?;
    let integrity: String = store
        .conn()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if integrity != "ok" {
        return Err(damaged(format!(
            "the database fails its integrity check: {integrity}"
        )));
    }
    drop(store);
    Ok(RestoreSummary {
        data_dir: String::new(),
        parts: manifest.parts.len() as u32,
        backup_schema_version: manifest.schema_version,
    })
}
