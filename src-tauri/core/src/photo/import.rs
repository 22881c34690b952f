//! Importing photo files: decoding and resizing on worker threads (all
//! cores), database writes on the calling thread, one result per file.
//!
//! For each file, in this order: read and hash; decode and make the derived
//! images in memory (a refused file stops here, leaving nothing); write the
//! original and the derived images (temporary name, then rename); then the
//! row and its audit event in one transaction. If that transaction fails,
//! the files it would have owned are removed again.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::files::{self, Derived};
use super::render::{self, MAX_FILE_BYTES};
use super::{check_tags, find_by_sha256, insert, CaptureCondition, NewPhoto, Photo, PhotoTags};
use crate::audit::Written;
use crate::ids::{ClientId, PhotoId};
use crate::{Error, ErrorKind, Result};

/// How far a batch import has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportProgress {
    /// Files finished (imported or refused).
    pub done: u32,
    pub total: u32,
    /// The file name just finished (empty before the first).
    pub current: String,
}

/// Why one file was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Refusal {
    /// `invalid` for a file that is not an acceptable image, `conflict` for
    /// a photo already in another client's record, `cancelled` for a file
    /// the batch did not reach, `internal` for a failure to store it.
    pub kind: ErrorKind,
    /// Names the file and says what is wrong with it.
    pub message: String,
}

/// The outcome for one file of a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportResult {
    /// The file as it was given.
    pub file: String,
    /// The stored photo: new, or the one already holding the same bytes.
    pub photo: Option<Photo>,
    /// The same bytes were already stored for this client; nothing new was
    /// added.
    pub duplicate: bool,
    /// Set when the file was not imported.
    pub refused: Option<Refusal>,
    /// What automatic alignment did with a new photo that has an earlier
    /// photo of the same zone and pose to be aligned onto (`None` when it
    /// has none, or was not tried).
    pub alignment: Option<super::AlignOutcome>,
}

/// A file or, for generated photos, bytes with a name.
#[derive(Debug)]
pub(crate) enum Source {
    File(PathBuf),
    Bytes { name: String, bytes: Vec<u8> },
}

impl Source {
    fn shown(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Bytes { name, .. } => name.clone(),
        }
    }

    fn file_name(&self) -> String {
        match self {
            Source::File(path) => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
            Source::Bytes { name, .. } => name.clone(),
        }
    }

    fn read(&self) -> std::result::Result<Vec<u8>, String> {
        match self {
            Source::Bytes { bytes, .. } => Ok(bytes.clone()),
            Source::File(path) => {
                let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => "the file does not exist".to_owned(),
                    _ => format!("the file cannot be read ({e})"),
                })?;
                if meta.is_dir() {
                    return Err("it is a folder, not a photo".to_owned());
                }
                // A device (/dev/zero), a pipe or a socket would be read
                // forever or block: only a regular file is opened.
                if !meta.is_file() {
                    return Err("it is not a regular file (a device, pipe or socket)".to_owned());
                }
                let too_big = |bytes: u64| {
                    format!(
                        "the file is {:.0} MB, more than the {} MB limit for a photo",
                        bytes as f64 / 1e6,
                        MAX_FILE_BYTES / 1024 / 1024
                    )
                };
                if meta.len() > MAX_FILE_BYTES {
                    return Err(too_big(meta.len()));
                }
                // The file may grow after the check: read at most one byte
                // more than the limit, and refuse it if that byte came.
                use std::io::Read as _;
                let mut bytes = Vec::with_capacity(meta.len() as usize);
                std::fs::File::open(path)
                    .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
                    .map_err(|e| format!("the file cannot be read ({e})"))?;
                if bytes.len() as u64 > MAX_FILE_BYTES {
                    return Err(too_big(bytes.len() as u64));
                }
                Ok(bytes)
            }
        }
    }
}

/// A file decoded and written to the store, waiting for its row.
#[derive(Debug)]
struct Prepared {
    new: NewPhoto,
    /// Files this import created (and must remove if the row fails).
    created: Vec<PathBuf>,
}

/// Imports `files` for a client with the same tags, on all cores.
///
/// The request itself (client, session, zone, pose) is checked first and
/// refused as a whole; after that each file gets its own result and a bad
/// file does not stop the others. `progress` is called after each file;
/// when it returns `false` no further file is started (files already
/// started finish and are kept), and the rest come back refused as
/// cancelled.
pub fn import_files(
    store: &crate::store::SharedStore,
    client_id: ClientId,
    tags: &PhotoTags,
    files: &[PathBuf],
    written: &Written,
    new_id: &mut dyn FnMut() -> PhotoId,
    progress: &mut dyn FnMut(&ImportProgress) -> bool,
) -> Result<Vec<ImportResult>> {
    let items = files
        .iter()
        .map(|file| Item {
            client_id,
            tags: tags.clone(),
            conditions: Vec::new(),
            source: Source::File(file.clone()),
        })
        .collect();
    import_items(store, items, written, new_id, progress)
}

/// One photo to import: where it comes from and what it is.
#[derive(Debug)]
pub(crate) struct Item {
    pub client_id: ClientId,
    pub tags: PhotoTags,
    /// The capture conditions ticked for it (a phone capture).
    pub conditions: Vec<CaptureCondition>,
    pub source: Source,
}

/// Imports items that may differ in client and tags (the demo's photos);
/// every item's client and tags are checked before any file is read.
pub(crate) fn import_items(
    store: &crate::store::SharedStore,
    mut items: Vec<Item>,
    written: &Written,
    new_id: &mut dyn FnMut() -> PhotoId,
    progress: &mut dyn FnMut(&ImportProgress) -> bool,
) -> Result<Vec<ImportResult>> {
    let data_dir = {
        let store = store.lock()?;
        for item in &mut items {
            crate::client::get(store.db(), item.client_id)?;
            item.tags = check_tags(store.db(), item.client_id, &item.tags)?;
        }
        store.data_dir().to_owned()
    };
    // Marks the folder while originals may be on disk without their rows:
    // if this process dies, the next one to open the folder sweeps them.
    let _importing = super::orphans::Importing::start(&data_dir)
        .map_err(|e| Error::io("cannot mark the photo import", e))?;
    let sources = &items;
    let total = sources.len() as u32;
    let mut results: Vec<Option<ImportResult>> = (0..sources.len()).map(|_| None).collect();
    let mut done = 0;
    let mut keep_going = progress(&ImportProgress {
        done,
        total,
        current: String::new(),
    });
    let cancel = AtomicBool::new(!keep_going);
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(sources.len())
        .max(1);
    std::thread::scope(|scope| {
        // A small queue keeps memory bounded: a worker waits rather than
        // piling up finished photos.
        let (sender, receiver) = mpsc::sync_channel(workers);
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, cancel, data_dir) = (&next, &cancel, &data_dir);
            scope.spawn(move || loop {
                if cancel.load(Ordering::SeqCst) {
                    break;
                }
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = sources.get(index) else {
                    break;
                };
                let outcome = prepare(data_dir, &item.source);
                if sender.send((index, outcome)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        for (index, outcome) in receiver {
            let item = &sources[index];
            let source = &item.source;
            let result = match outcome {
                Err(refusal) => refused(source, refusal),
                Ok(prepared) => commit(store, item, prepared, written, new_id),
            };
            results[index] = Some(result);
            done += 1;
            if keep_going {
                keep_going = progress(&ImportProgress {
                    done,
                    total,
                    current: source.file_name(),
                });
                if !keep_going {
                    cancel.store(true, Ordering::SeqCst);
                }
            }
        }
    });
    Ok(results
        .into_iter()
        .zip(sources)
        .map(|(result, Item { source, .. })| {
            result.unwrap_or_else(|| {
                refused(
                    source,
                    Refusal {
                        kind: ErrorKind::Cancelled,
                        message: format!(
                            "{} was not imported: the import was cancelled",
                            source.file_name()
                        ),
                    },
                )
            })
        })
        .collect())
}

fn refused(source: &Source, refusal: Refusal) -> ImportResult {
    ImportResult {
        file: source.shown(),
        photo: None,
        duplicate: false,
        refused: Some(refusal),
        alignment: None,
    }
}

/// Reads, checks, decodes and stores the files of one photo (worker thread).
fn prepare(data_dir: &Path, source: &Source) -> std::result::Result<Prepared, Refusal> {
    let name = source.file_name();
    let invalid = |reason: String| Refusal {
        kind: ErrorKind::Invalid,
        message: format!("{name}: {reason}"),
    };
    let bytes = source.read().map_err(invalid)?;
    if bytes.is_empty() {
        return Err(invalid("the file is empty".to_owned()));
    }
    let storing = |e: std::io::Error| Refusal {
        kind: ErrorKind::Internal,
        message: format!("{name}: the photo could not be stored ({e})"),
    };
    // In a folder in the clear, the hash and the original's durable write
    // run on another core while the photo decodes; a sealed folder seals
    // the original in its own buffer after decoding (no copy of it).
    let in_the_clear = matches!(crate::seal::key_for(data_dir), Ok(None));
    let early_format = render::sniff(&bytes).filter(|_| in_the_clear);
    let ((sha256, early), rendered) = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let sha256 = crate::hex::encode(&Sha256::digest(&bytes));
            let early =
                early_format.map(|format| store_original(data_dir, &sha256, format, &bytes));
            (sha256, early)
        });
        let rendered = render::render_for_import(&bytes);
        (side.join().expect("hashing does not panic"), rendered)
    });
    let mut created = Vec::new();
    if let Some(Ok(Some(path))) = &early {
        created.push(path.clone());
    }
    let rendered = match rendered {
        Ok(rendered) => rendered,
        Err(reason) => {
            remove_unowned(&created);
            return Err(invalid(reason));
        }
    };
    let size = bytes.len() as u32;
    match early {
        Some(Err(e)) => return Err(storing(e)),
        Some(Ok(_)) => drop(bytes),
        None => {
            let relative = files::original_relative(&sha256, rendered.format);
            // The same bytes stored before (sealed, the file is a little longer).
            let already = files::read_stored(data_dir, &relative).is_ok_and(|b| b == bytes);
            if !already {
                // The original's bytes are not needed after this: sealed in place.
                files::store_file_owned(data_dir, &relative, bytes, true).map_err(storing)?;
                created.push(data_dir.join(&relative));
            }
        }
    }
    let new = NewPhoto {
        sha256,
        format: rendered.format,
        original_name: name.clone(),
        bytes: size,
        width: rendered.width,
        height: rendered.height,
        orientation: rendered.orientation,
        captured_at: rendered.captured_at,
        conditions: Vec::new(),
    };
    // A preview left for later is made from the original when first asked
    // for (`files::file`).
    let derived = [
        (Derived::Thumb, Some(&rendered.thumb)),
        (Derived::Preview, rendered.preview.as_ref()),
    ];
    for (derived, data) in derived
        .into_iter()
        .filter_map(|(d, data)| data.map(|data| (d, data)))
    {
        let relative = files::derived_relative(derived, &new.sha256);
        let path = data_dir.join(&relative);
        if path.is_file() {
            continue;
        }
        if let Err(e) = files::store_file(data_dir, &relative, data, false) {
            remove_unowned(&created);
            return Err(storing(e));
        }
        created.push(path);
    }
    // In clinic mode every file goes to the clinic's bucket before the
    // photo's row is added: no desktop sees a photo it cannot open.
    let relatives: Vec<String> = [
        Some(files::original_relative(&new.sha256, new.format)),
        Some(files::derived_relative(Derived::Thumb, &new.sha256)),
        rendered
            .preview
            .as_ref()
            .map(|_| files::derived_relative(Derived::Preview, &new.sha256)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Err(e) = super::remote::upload_all(data_dir, &relatives) {
        remove_unowned(&created);
        return Err(Refusal {
            kind: e.kind(),
            message: format!(
                "{name}: the photo could not be stored in the clinic's photo store ({e})"
            ),
        });
    }
    Ok(Prepared { new, created })
}

/// Stores the original durably unless the same bytes are stored already:
/// the path written, or `None` when it was there.
fn store_original(
    data_dir: &Path,
    sha256: &str,
    format: super::PhotoFormat,
    bytes: &[u8],
) -> std::io::Result<Option<PathBuf>> {
    let relative = files::original_relative(sha256, format);
    if files::read_stored(data_dir, &relative).is_ok_and(|b| b == bytes) {
        return Ok(None);
    }
    files::store_file(data_dir, &relative, bytes, true)?;
    Ok(Some(data_dir.join(relative)))
}

fn remove_unowned(created: &[PathBuf]) {
    for path in created {
        files::remove_with_empty_folder(path);
    }
}

/// Adds the row for a prepared photo, or finds the photo already holding
/// the same bytes (database thread).
fn commit(
    store: &crate::store::SharedStore,
    item: &Item,
    prepared: Prepared,
    written: &Written,
    new_id: &mut dyn FnMut() -> PhotoId,
) -> ImportResult {
    let Item {
        client_id,
        tags,
        conditions,
        source,
    } = item;
    let client_id = *client_id;
    let name = source.file_name();
    let mut store = match store.lock() {
        Ok(store) => store,
        // Signed out mid-import: what was written is swept at the next open.
        Err(error) => {
            let message = format!("{name}: the photo could not be stored ({error})");
            return refused(
                source,
                Refusal {
                    kind: error.kind(),
                    message,
                },
            );
        }
    };
    let outcome = store.write_as(&written.by, |tx| {
        if let Some(existing) = find_by_sha256(tx, &prepared.new.sha256)? {
            if existing.client_id != client_id {
                return Err(Error::Conflict(format!(
                    "{name}: this photo is already in another client's record"
                )));
            }
            return Ok((existing, true));
        }
        let new = NewPhoto {
            conditions: conditions.clone(),
            ..prepared.new.clone()
        };
        let photo = insert(tx, new_id(), client_id, tags, &new, written.at)?;
        Ok((photo, false))
    });
    match outcome {
        Ok((photo, duplicate)) => ImportResult {
            file: source.shown(),
            photo: Some(photo),
            duplicate,
            refused: None,
            alignment: None,
        },
        Err(error) => {
            // Remove what this import wrote, unless a stored photo owns it.
            let owned = find_by_sha256(store.db(), &prepared.new.sha256)
                .map(|p| p.is_some())
                .unwrap_or(true);
            if !owned {
                remove_unowned(&prepared.created);
            }
            let message = match &error {
                Error::Conflict(m) => m.clone(),
                other => format!("{name}: the photo could not be stored ({other})"),
            };
            refused(
                source,
                Refusal {
                    kind: error.kind(),
                    message,
                },
            )
        }
    }
}
