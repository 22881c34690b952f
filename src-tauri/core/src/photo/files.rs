//! Where photo files live in the data folder, and how they are written:
//! originals at `photos/<first 2 hex>/<sha256>.<ext>`, derived JPEGs at
//! `cache/<thumb|preview>/<first 2 hex>/<sha256>.jpg`, each written to a
//! `.partial` name first and renamed into place.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::{render, Photo, PhotoFormat, PhotoSize};
use crate::ids::PhotoId;
use crate::{Error, Result};

/// The originals' folder inside the data folder.
pub const PHOTOS_DIR: &str = "photos";
/// The derived images' folder inside the data folder.
pub const CACHE_DIR: &str = "cache";
/// Marks a file still being written; backups and verify know it.
pub(crate) const PARTIAL: &str = ".partial-";

/// A derived image kept in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derived {
    Thumb,
    Preview,
}

impl Derived {
    fn folder(self) -> &'static str {
        match self {
            Derived::Thumb => "thumb",
            Derived::Preview => "preview",
        }
    }
}

/// Whether `text` is a SHA-256 as Pinpoint writes one: 64 lowercase hex
/// characters. A stored hash becomes part of a path, so nothing else may
/// ever be used as one.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The original's path relative to the data folder, with `/` separators.
/// `sha256` has been checked with `is_sha256_hex` (every photo row is).
pub fn original_relative(sha256: &str, format: PhotoFormat) -> String {
    debug_assert!(is_sha256_hex(sha256), "a checked hash");
    format!(
        "{PHOTOS_DIR}/{}/{sha256}.{}",
        sha256.get(..2).unwrap_or_default(),
        format.extension()
    )
}

pub(crate) fn original_path(data_dir: &Path, sha256: &str, format: PhotoFormat) -> PathBuf {
    data_dir.join(original_relative(sha256, format))
}

/// A derived image's path relative to the data folder, with `/`.
pub(crate) fn derived_relative(derived: Derived, sha256: &str) -> String {
    debug_assert!(is_sha256_hex(sha256), "a checked hash");
    format!(
        "{CACHE_DIR}/{}/{}/{sha256}.jpg",
        derived.folder(),
        sha256.get(..2).unwrap_or_default()
    )
}

pub(crate) fn derived_path(data_dir: &Path, derived: Derived, sha256: &str) -> PathBuf {
    data_dir.join(derived_relative(derived, sha256))
}

/// Every file of one photo's bytes, relative to the data folder: the
/// original and its cached images.
pub(crate) fn all_relatives(sha256: &str, format: PhotoFormat) -> [String; 3] {
    [
        original_relative(sha256, format),
        derived_relative(Derived::Thumb, sha256),
        derived_relative(Derived::Preview, sha256),
    ]
}

/// Stores `plain` as the photo-store file `relative` (sealed when the
/// folder is), through a temporary name and a rename.
pub(crate) fn store_file(
    data_dir: &Path,
    relative: &str,
    plain: &[u8],
    durable: bool,
) -> io::Result<()> {
    let stored = crate::seal::for_storage(data_dir, relative, plain).map_err(io::Error::other)?;
    write_atomically(&data_dir.join(relative), &stored, durable)
}

/// [`store_file`] for bytes the caller gives up: a sealed folder's file is
/// encrypted in their own buffer, with no copy of a large original.
pub(crate) fn store_file_owned(
    data_dir: &Path,
    relative: &str,
    mut plain: Vec<u8>,
    durable: bool,
) -> io::Result<()> {
    let path = data_dir.join(relative);
    match crate::seal::key_for(data_dir).map_err(io::Error::other)? {
        Some(key) => {
            let (head, tail) = key.seal_in_place(relative, &mut plain);
            write_parts_atomically(&path, &[&head, &plain, &tail], durable)
        }
        None => write_atomically(&path, &plain, durable),
    }
}

/// The plain bytes of the photo-store file `relative`: a sealed file is
/// opened (and a changed one refused as damaged, by name).
pub(crate) fn read_stored(data_dir: &Path, relative: &str) -> Result<Vec<u8>> {
    // In clinic mode, a file this desktop has not got yet comes from the
    // clinic's bucket first.
    super::remote::ensure_local(data_dir, relative)?;
    let bytes = std::fs::read(data_dir.join(relative)).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            Error::not_found(relative.to_owned())
        } else {
            Error::io(format!("cannot read {relative}"), e)
        }
    })?;
    match crate::seal::key_for(data_dir)? {
        Some(key) => match key.open_file(relative, &bytes) {
            // In clinic mode a damaged cached copy is replaced by the
            // clinic's own, itself checked the same way.
            Err(Error::Damaged(_)) if super::remote::refetch(data_dir, relative)? => {
                let bytes = std::fs::read(data_dir.join(relative))
                    .map_err(|e| Error::io(format!("cannot read {relative}"), e))?;
                key.open_file(relative, &bytes)
            }
            other => other,
        },
        None => Ok(bytes),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so `path` is either absent or complete. `durable` also flushes
/// the file and its folder to disk before returning (originals).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    write_parts_atomically(path, &[bytes], durable)
}

/// [`write_atomically`] for a file written in parts (a sealed photo: its
/// head, its body encrypted in place, its tag).
fn write_parts_atomically(path: &Path, parts: &[&[u8]], durable: bool) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let folder = path
        .parent()
        .ok_or_else(|| io::Error::other("the path has no folder"))?;
    crate::private::create_dir_all(folder)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("the path has no file name"))?
        .to_string_lossy();
    let temp = folder.join(format!(
        ".{name}{PARTIAL}{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = crate::private::create_file(&temp)?;
        for part in parts {
            file.write_all(part)?;
        }
        if durable {
            file.sync_all()?;
        }
        drop(file);
        fs::rename(&temp, path)?;
        if durable {
            // The rename itself must survive a power cut.
            #[cfg(unix)]
            fs::File::open(folder)?.sync_all()?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Removes `path` and then its folder if that became empty (best effort).
pub(crate) fn remove_with_empty_folder(path: &Path) {
    if fs::remove_file(path).is_ok() {
        if let Some(folder) = path.parent() {
            let _ = fs::remove_dir(folder);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoFile {
    pub path: PathBuf,
    pub content_type: &'static str,
}

/// One size of a photo, read (and unsealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoBytes {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

/// The plain bytes of one size of `photo`; a missing thumbnail or preview
/// is made again first, a missing original is `NotFound`, and a file
/// changed since it was sealed is `Damaged`.
pub fn read(data_dir: &Path, photo: &Photo, size: PhotoSize) -> Result<PhotoBytes> {
    let found = file(data_dir, photo, size)?;
    let relative = match size {
        PhotoSize::Original => original_relative(&photo.sha256, photo.format),
        PhotoSize::Thumb => derived_relative(Derived::Thumb, &photo.sha256),
        PhotoSize::Preview => derived_relative(Derived::Preview, &photo.sha256),
    };
    let bytes = read_stored(data_dir, &relative).map_err(|e| match e {
        Error::NotFound { .. } => Error::not_found(format!("the {size:?} of photo {}", photo.id)),
        Error::Damaged(why) => Error::Damaged(format!("photo {}: {why}", photo.id)),
        other => other,
    })?;
    Ok(PhotoBytes {
        bytes,
        content_type: found.content_type,
    })
}

/// The file for one size of `photo`. A missing thumbnail or preview is made
/// again from the original first (two at a time across the process); a
/// missing original is `NotFound`.
pub fn file(data_dir: &Path, photo: &Photo, size: PhotoSize) -> Result<PhotoFile> {
    let original = original_path(data_dir, &photo.sha256, photo.format);
    let derived = match size {
        PhotoSize::Original => {
            let relative = original_relative(&photo.sha256, photo.format);
            if !super::remote::ensure_local(data_dir, &relative)? {
                return Err(Error::not_found(format!(
                    "the original of photo {}",
                    photo.id
                )));
            }
            return Ok(PhotoFile {
                path: original,
                content_type: photo.format.content_type(),
            });
        }
        PhotoSize::Thumb => Derived::Thumb,
        PhotoSize::Preview => Derived::Preview,
    };
    let path = derived_path(data_dir, derived, &photo.sha256);
    if !super::remote::ensure_local(data_dir, &derived_relative(derived, &photo.sha256))? {
        let _turn = super::budget::REBUILDS
            .reserve(1)
            .map_err(|e| Error::Damaged(e.to_string()))?;
        // Another request may have made it while this one waited.
        if !path.is_file() {
            rebuild_cache(data_dir, photo)?;
        }
    }
    Ok(PhotoFile {
        path,
        content_type: "image/jpeg",
    })
}

/// Makes the thumbnail and preview of `photo` again from its original.
pub fn rebuild_cache(data_dir: &Path, photo: &Photo) -> Result<()> {
    let relative = original_relative(&photo.sha256, photo.format);
    let bytes = read_stored(data_dir, &relative).map_err(|e| match e {
        Error::NotFound { .. } => Error::not_found(format!("the original of photo {}", photo.id)),
        other => other,
    })?;
    let rendered = render::render(&bytes).map_err(|reason| {
        Error::Damaged(format!(
            "the original of photo {} cannot be decoded: {reason}",
            photo.id
        ))
    })?;
    for (derived, data) in [
        (Derived::Thumb, &rendered.thumb),
        (Derived::Preview, &rendered.preview),
    ] {
        let relative = derived_relative(derived, &photo.sha256);
        store_file(data_dir, &relative, data, false)
            .map_err(|e| Error::io(format!("cannot write {relative}"), e))?;
        // In clinic mode the other desktops need not make it again; they
        // can if this fails.
        let _ = super::remote::upload_all(data_dir, &[relative]);
    }
    Ok(())
}

/// What [`export_file`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportedPhoto {
    pub id: PhotoId,
    pub path: String,
    pub bytes: u32,
}

/// Writes one size of a photo to `out` (through a temporary file and a
/// rename, so `out` is never half-written).
pub fn export_file(
    data_dir: &Path,
    photo: &Photo,
    size: PhotoSize,
    out: &Path,
) -> Result<ExportedPhoto> {
    let id = photo.id;
    let bytes = read(data_dir, photo, size)?.bytes;
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(Error::invalid(
            "out",
            format!("the folder {} does not exist", folder.display()),
        ));
    }
    if out.is_dir() {
        return Err(Error::invalid(
            "out",
            format!("{} is a folder; give a file name", out.display()),
        ));
    }
    write_atomically(out, &bytes, true)
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
    Ok(ExportedPhoto {
        id,
        path: out.display().to_string(),
        bytes: bytes.len() as u32,
    })
}

/// A photo file found in a folder (a camera card, a phone's export), ready
/// to offer for import.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportableFile {
    pub path: String,
    pub name: String,
    pub bytes: f64,
}

/// The photo files directly inside `folder` (by extension: JPEG, PNG, WebP,
/// HEIC/HEIF), by name. Hidden files are skipped; contents are checked only
/// when imported.
pub fn importable_files(folder: &Path) -> Result<Vec<ImportableFile>> {
    let entries = std::fs::read_dir(folder).map_err(|e| {
        Error::invalid(
            "folder",
            format!("cannot open the folder {}: {e}", folder.display()),
        )
    })?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let is_photo = ["jpg", "jpeg", "png", "webp", "heic", "heif"].contains(&extension.as_str());
        if name.starts_with('.') || !is_photo || !path.is_file() {
            continue;
        }
        files.push(ImportableFile {
            path: path.display().to_string(),
            bytes: entry.metadata().map(|m| m.len() as f64).unwrap_or(0.0),
            name,
        });
    }
    files.sort_by(|a, b| natural_order(&a.name, &b.name));
    Ok(files)
}

/// Orders file names as a person reads them: runs of digits by their value
/// (`IMG_2` before `IMG_10`), letters without regard to case; ties fall back
/// to the plain byte order so the order is total.
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut digits = String::new();
                    while let Some(d) = it.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(d);
                        it.next();
                    }
                    digits
                };
                let (m, n) = (take(&mut x), take(&mut y));
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let by_value = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(p), Some(q)) => {
                let by_letter = p.to_lowercase().cmp(q.to_lowercase());
                if by_letter != Ordering::Equal {
                    return by_letter;
                }
                x.next();
                y.next();
            }
        }
    }
}
