//! Writing a backup archive: a snapshot of the database, every original
//! photo and the manifest, through a temporary file renamed at the end.

use super::*;

/// Writes a backup of `store` to `out` (through a temporary file renamed
/// at the end). Safe while the app is running.
pub fn create(
    store: &impl DataFolder,
    out: &Path,
    app_version: &str,
    now: DateTime<Utc>,
    progress: OnProgress<'_>,
) -> Result<BackupSummary> {
    let name = out
        .file_name()
        .ok_or_else(|| Error::invalid("out", format!("{} is not a file name", out.display())))?
        .to_string_lossy()
        .into_owned();
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::invalid(
            "out",
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    let snapshot = dir.join(format!(".{name}.db.partial"));
    let temp = dir.join(format!(".{name}.partial"));
    let result = write_archive(store, &snapshot, &temp, app_version, now, progress);
    // The snapshot and whatever SQLite kept beside it (a failed write on a
    // full disk leaves its rollback journal).
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut path = snapshot.clone().into_os_string();
        path.push(suffix);
        let _ = fs::remove_file(path);
    }
    match result {
        Ok(summary) => {
            fs::rename(&temp, out).map_err(|e| {
                Error::io(format!("cannot move the backup to {}", out.display()), e)
            })?;
            sync_dir(&dir);
            Ok(BackupSummary {
                path: out.display().to_string(),
                ..summary
            })
        }
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Copies the database behind `conn` to `path` in one step: one read
/// transaction, so the copy is a single moment of the database, and in WAL
/// mode the app's own connection goes on writing meanwhile (a stepwise copy
/// would start over after each of those writes).
pub(super) fn snapshot_database(
    conn: &rusqlite::Connection,
    path: &Path,
    key: Option<&crate::seal::DataKey>,
) -> rusqlite::Result<()> {
    let mut target = rusqlite::Connection::open(path)?;
    // A sealed database is copied page by page under the same key.
    if let Some(key) = key {
        target.pragma_update(None, "key", &*key.database_pragma())?;
    }
    let copy = rusqlite::backup::Backup::new(conn, &mut target)?;
    match copy.step(-1)? {
        rusqlite::backup::StepResult::Done => Ok(()),
        _ => Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("the database stayed busy during the snapshot".to_owned()),
        )),
    }
}

pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

pub(super) fn write_archive(
    store: &impl DataFolder,
    snapshot: &Path,
    temp: &Path,
    app_version: &str,
    now: DateTime<Utc>,
    progress: OnProgress<'_>,
) -> Result<BackupSummary> {
    let stopped = std::cell::Cell::new(false);
    let io_err = |what: &str| {
        let what = what.to_owned();
        let stopped = &stopped;
        move |e: io::Error| {
            if stopped.get() {
                cancelled("the backup")
            } else {
                Error::io(format!("cannot write the backup ({what})"), e)
            }
        }
    };
    // A consistent snapshot of the live database.
    let _ = fs::remove_file(snapshot);
    match store.db() {
        crate::db::Db::Sqlite(conn) => snapshot_database(conn, snapshot, store.data_key())
            .map_err(|e| Error::io("cannot snapshot the database", io::Error::other(e)))?,
        // The clinic's records at one moment, as a data folder's database.
        crate::db::Db::Postgres(conn) => crate::db::migrate::into_file(conn, snapshot)?,
    }
    let audit_head = {
        let copy = rusqlite::Connection::open(snapshot)?;
        if let Some(key) = store.data_key() {
            copy.pragma_update(None, "key", &*key.database_pragma())?;
        }
        crate::audit::head(&copy)?
    };
    let schema_version = Store::schema_version() as u32;

    // A sealed folder's keyring comes first, so a restore can check the
    // passphrase or recovery key before it writes anything.
    let mut files = Vec::new();
    if store.data_key().is_some() {
        let keyring = crate::seal::KEYRING_FILE;
        files.push((keyring.to_owned(), store.data_dir().join(keyring)));
    }
    files.push((DATABASE_FILE.to_owned(), snapshot.to_owned()));
    let mut photos = Vec::new();
    // In clinic mode the photos are in the clinic's bucket (kept by its own
    // replication), sealed with the clinic's key, which the records carry;
    // this desktop's folder holds only a cache of them.
    if crate::photo::remote::for_folder(store.data_dir()).is_none() {
        files_under(
            store.data_dir(),
            &store.data_dir().join(PHOTOS),
            &mut photos,
        )?;
    }
    for rel in photos {
        let name = rel.to_string_lossy().replace('\\', "/");
        files.push((name, store.data_dir().join(rel)));
    }
    let total: u64 = files
        .iter()
        .map(|(_, p)| fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let mut done = 0u64;
    if !progress(Progress {
        done_bytes: 0.0,
        total_bytes: total as f64,
    }) {
        return Err(cancelled("the backup"));
    }

    let file = crate::private::create_file(temp).map_err(io_err("create"))?;
    let mut builder = tar::Builder::new(BufWriter::new(file));
    let mut parts = Vec::with_capacity(files.len());
    for (name, path) in &files {
        let source = match File::open(path) {
            Ok(file) => file,
            // A photo whose import was rolled back after the listing: its
            // row was never committed, so the snapshot does not need it.
            Err(e) if e.kind() == io::ErrorKind::NotFound && name != DATABASE_FILE => continue,
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let size = source.metadata().map_err(io_err("size"))?.len();
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o644);
        header.set_mtime(now.timestamp().max(0) as u64);
        header.set_cksum();
        let mut on_bytes = |n: u64| {
            done += n;
            progress(Progress {
                done_bytes: done as f64,
                total_bytes: total as f64,
            })
        };
        let mut reader = Hashing {
            inner: BufReader::new(source),
            hasher: Sha256::new(),
            read: 0,
            progress: &mut on_bytes,
            cancelled: &stopped,
        };
        builder
            .append_data(&mut header, name, &mut reader)
            .map_err(io_err(name))?;
        if reader.read != size {
            return Err(Error::Conflict(format!(
                "{name} changed while it was backed up"
            )));
        }
        parts.push(Part {
            path: name.clone(),
            size,
            sha256: hex(&reader.hasher.finalize()),
        });
    }
    let mut manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        app_version: app_version.to_owned(),
        schema_version,
        created_at: format_instant(now),
        parts,
        sealed: store.data_key().is_some(),
        audit_head,
        mac: None,
    };
    if let Some(key) = store.data_key() {
        manifest.sign(key);
    }
    let json = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(now.timestamp().max(0) as u64);
    header.set_cksum();
    builder
        .append_data(&mut header, MANIFEST, json.as_slice())
        .map_err(io_err("manifest"))?;
    let writer = builder.into_inner().map_err(io_err("finish"))?;
    let file = writer
        .into_inner()
        .map_err(|e| io_err("flush")(e.into_error()))?;
    file.sync_all().map_err(io_err("sync"))?;
    Ok(BackupSummary {
        path: String::new(),
        parts: manifest.parts.len() as u32,
        bytes: total as f64,
        schema_version,
    })
}
