//! Clinical photos: a client's before, after and progress photos, tagged
//! with zone and pose, whose originals are kept unchanged and
//! content-addressed by SHA-256 under `photos/`, with previews and
//! thumbnails in `cache/` that can always be made again.
//!
//! `import` brings files in (batch, all cores, per-file results), `render`
//! makes the derived images, `files` knows the layout, `compare` proposes
//! before/after pairs, `verify` checks the store against the database.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, FollowUpId, PhotoId, SessionId};
use crate::store::{format_instant, parse_instant};
use crate::{audit, settings, Error, Result};

mod compare;
pub mod demo;
pub(crate) mod files;
mod import;
pub mod jpeg;
pub mod render;
pub mod verify;

pub use compare::{candidates, CompareCandidates, ComparePair};
pub use files::{original_relative, CACHE_DIR, PHOTOS_DIR};
pub use import::{import_files, ImportProgress, ImportResult, Refusal};
pub use verify::{verify, PhotoProblem, PhotoVerifyReport};

/// Why a photo was taken, relative to treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PhotoKind {
    Before,
    After,
    Progress,
}

text_enum! {
    PhotoKind, field "kind", called "photo kind" {
        Before = "before",
        After = "after",
        Progress = "progress",
    }
}

/// How the client faced the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum PhotoPose {
    #[serde(rename = "front")]
    Front,
    #[serde(rename = "left_45")]
    Left45,
    #[serde(rename = "right_45")]
    Right45,
    #[serde(rename = "left_90")]
    Left90,
    #[serde(rename = "right_90")]
    Right90,
    /// Described in words (`custom_pose`).
    #[serde(rename = "custom")]
    Custom,
}

text_enum! {
    PhotoPose, field "pose", called "pose" {
        Front = "front",
        Left45 = "left_45",
        Right45 = "right_45",
        Left90 = "left_90",
        Right90 = "right_90",
        Custom = "custom",
    }
}

/// The file format of an original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PhotoFormat {
    Jpeg,
    Png,
    Webp,
    /// HEIC or another HEIF image.
    Heic,
}

text_enum! {
    PhotoFormat, field "format", called "photo format" {
        Jpeg = "jpeg",
        Png = "png",
        Webp = "webp",
        Heic = "heic",
    }
}

impl PhotoFormat {
    /// The extension of the stored original.
    pub fn extension(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "jpg",
            other => other.as_str(),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "image/jpeg",
            PhotoFormat::Png => "image/png",
            PhotoFormat::Webp => "image/webp",
            PhotoFormat::Heic => "image/heic",
        }
    }
}

/// Which image of a photo: the small and middle derived JPEGs, or the
/// original as imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PhotoSize {
    /// About 320 px on the long side, upright, sRGB JPEG.
    Thumb,
    /// About 1600 px on the long side, upright, sRGB JPEG.
    Preview,
    /// The imported file, byte for byte.
    Original,
}

text_enum! {
    PhotoSize, field "size", called "size" {
        Thumb = "thumb" | "thumbnail",
        Preview = "preview",
        Original = "original",
    }
}

/// A saved, non-destructive alignment of a photo onto a reference photo,
/// as a viewer applies it to the photo's displayed image: first scale and
/// rotate about the image's centre, then move.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Alignment {
    /// The photo this one is aligned to.
    pub reference: PhotoId,
    /// Horizontal move, as a fraction of the reference's displayed width.
    pub dx: f64,
    /// Vertical move, as a fraction of the reference's displayed height.
    pub dy: f64,
    /// Clockwise rotation in degrees, -180 to 180.
    pub rotate_deg: f64,
    /// Scale factor, 0.1 to 10.
    pub scale: f64,
}

/// What a practitioner says about a photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PhotoTags {
    /// The session it was taken at (the same client's), if any.
    pub session_id: Option<SessionId>,
    /// The follow-up visit it was taken at (progress photos without
    /// needling), if any; a photo belongs to a session or a visit, not both.
    pub follow_up_id: Option<FollowUpId>,
    pub kind: PhotoKind,
    /// A zone key from the clinic settings, e.g. `cheeks`.
    pub zone: String,
    pub pose: PhotoPose,
    /// The pose in words; required for `custom`, ignored otherwise.
    pub custom_pose: Option<String>,
}

/// A stored photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Photo {
    pub id: PhotoId,
    pub client_id: ClientId,
    pub session_id: Option<SessionId>,
    /// The follow-up visit it was taken at, when not at a session.
    pub follow_up_id: Option<FollowUpId>,
    /// SHA-256 of the original's bytes (lowercase hex).
    pub sha256: String,
    pub format: PhotoFormat,
    /// The file name it was imported from.
    pub original_name: String,
    /// Size of the original in bytes.
    pub bytes: u32,
    /// Full size in pixels as displayed (after orientation).
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation (1–8) applied to the derived images.
    pub orientation: u8,
    /// When the photo was taken, from EXIF DateTimeOriginal: the camera's
    /// local clock, with no time zone. None when the file does not say.
    pub captured_at: Option<NaiveDateTime>,
    pub imported_at: DateTime<Utc>,
    pub kind: PhotoKind,
    pub zone: String,
    pub pose: PhotoPose,
    pub custom_pose: Option<String>,
    pub alignment: Option<Alignment>,
}

/// A stored value of photo `id` that cannot be read as Pinpoint wrote it.
fn bad_column(id: &PhotoId, message: impl std::fmt::Display) -> rusqlite::Error {
    Error::Damaged(format!("photo {id}: {message}")).into_row()
}

const COLUMNS: &str = "id, client_id, session_id, sha256, format, original_name, bytes, width, \
     height, orientation, captured_at, imported_at, kind, zone, pose, custom_pose, alignment, \
     follow_up_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Photo> {
    let id: PhotoId = row.get(0)?;
    let damaged = |e: Error| Error::in_record(e, format!("photo {id}")).into_row();
    let kind: String = row.get(12)?;
    let pose: String = row.get(14)?;
    let captured: Option<String> = row.get(10)?;
    let alignment: Option<String> = row.get(16)?;
    Ok(Photo {
        id,
        client_id: row.get(1)?,
        session_id: row.get(2)?,
        follow_up_id: row.get(17)?,
        sha256: row.get(3)?,
        format: PhotoFormat::from_stored(&row.get::<_, String>(4)?).map_err(damaged)?,
        original_name: row.get(5)?,
        bytes: row.get(6)?,
        width: row.get(7)?,
        height: row.get(8)?,
        orientation: row.get(9)?,
        captured_at: captured
            .map(|t| {
                NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S")
                    .map_err(|e| bad_column(&id, format!("capture time {t:?}: {e}")))
            })
            .transpose()?,
        imported_at: parse_instant(&row.get::<_, String>(11)?)?,
        kind: PhotoKind::from_stored(&kind).map_err(damaged)?,
        zone: row.get(13)?,
        pose: PhotoPose::from_stored(&pose).map_err(damaged)?,
        custom_pose: row.get(15)?,
        alignment: alignment
            .map(|json| {
                serde_json::from_str(&json).map_err(|e| bad_column(&id, format!("alignment: {e}")))
            })
            .transpose()?,
    })
}

/// One photo.
pub fn get(conn: &Connection, id: PhotoId) -> Result<Photo> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM photo WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found(format!("photo {id}")))
}

/// The photo whose original has this SHA-256, if any.
pub fn find_by_sha256(conn: &Connection, sha256: &str) -> Result<Option<Photo>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM photo WHERE sha256 = ?1"),
            [sha256],
            from_row,
        )
        .optional()?)
}

/// A client's photos, oldest first (by capture time, else import time).
pub fn list(conn: &Connection, client_id: ClientId) -> Result<Vec<Photo>> {
    crate::client::get(conn, client_id)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM photo WHERE client_id = ?1
         ORDER BY coalesce(captured_at, imported_at), imported_at, id"
    ))?;
    let photos = stmt
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(photos)
}

/// Checks tags for a photo of `client_id` and returns them tidied (custom
/// pose text trimmed, and dropped for the fixed poses).
pub fn check_tags(conn: &Connection, client_id: ClientId, tags: &PhotoTags) -> Result<PhotoTags> {
    if tags.session_id.is_some() && tags.follow_up_id.is_some() {
        return Err(Error::invalid(
            "follow_up_id",
            "a photo is taken at a session or at a follow-up visit, not both",
        ));
    }
    if let Some(visit) = tags.follow_up_id {
        let owner: Option<ClientId> = conn
            .query_row(
                "SELECT client_id FROM follow_up WHERE id = ?1",
                [visit],
                |row| row.get(0),
            )
            .optional()?;
        match owner {
            None => return Err(Error::not_found(format!("follow-up visit {visit}"))),
            Some(owner) if owner != client_id => {
                return Err(Error::invalid(
                    "follow_up_id",
                    "the follow-up visit belongs to another client",
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(session_id) = tags.session_id {
        let owner: Option<ClientId> = conn
            .query_row(
                "SELECT client_id FROM treatment_session WHERE id = ?1",
                [session_id],
                |row| row.get(0),
            )
            .optional()?;
        match owner {
            None => return Err(Error::not_found(format!("session {session_id}"))),
            Some(owner) if owner != client_id => {
                return Err(Error::invalid(
                    "session_id",
                    "the session belongs to another client",
                ))
            }
            Some(_) => {}
        }
    }
    let zone = tags.zone.trim();
    let clinic = settings::get(conn)?;
    if clinic.zone(zone).is_none() {
        let known: Vec<&str> = clinic.zones.iter().map(|z| z.key.as_str()).collect();
        return Err(Error::invalid(
            "zone",
            format!(
                "zone {:?} is not one of the clinic's zones ({})",
                tags.zone,
                known.join(", ")
            ),
        ));
    }
    let custom_pose = match tags.pose {
        PhotoPose::Custom => {
            let text = tags.custom_pose.as_deref().unwrap_or("").trim();
            if text.is_empty() {
                return Err(Error::invalid(
                    "custom_pose",
                    "a custom pose needs a short description",
                ));
            }
            if text.chars().count() > 80 {
                return Err(Error::invalid(
                    "custom_pose",
                    "the pose description is longer than 80 characters",
                ));
            }
            Some(text.to_owned())
        }
        _ => None,
    };
    Ok(PhotoTags {
        session_id: tags.session_id,
        follow_up_id: tags.follow_up_id,
        kind: tags.kind,
        zone: zone.to_owned(),
        pose: tags.pose,
        custom_pose,
    })
}

/// What an import learnt from a file, ready to become a row.
#[derive(Debug, Clone)]
pub(crate) struct NewPhoto {
    pub sha256: String,
    pub format: PhotoFormat,
    pub original_name: String,
    pub bytes: u32,
    pub width: u32,
    pub height: u32,
    pub orientation: u8,
    pub captured_at: Option<NaiveDateTime>,
}

/// Adds a photo row (tags already checked) and its audit event.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    id: PhotoId,
    client_id: ClientId,
    tags: &PhotoTags,
    new: &NewPhoto,
    now: DateTime<Utc>,
) -> Result<Photo> {
    tx.execute(
        &format!(
            "INSERT INTO photo ({COLUMNS}) VALUES
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, NULL, ?17)"
        ),
        params![
            id,
            client_id,
            tags.session_id,
            new.sha256,
            new.format.as_str(),
            new.original_name,
            new.bytes,
            new.width,
            new.height,
            new.orientation,
            new.captured_at
                .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
            format_instant(now),
            tags.kind.as_str(),
            tags.zone,
            tags.pose.as_str(),
            tags.custom_pose,
            tags.follow_up_id,
        ],
    )?;
    audit::record(
        tx,
        now,
        "import",
        "photo",
        &id.to_string(),
        &serde_json::json!({
            "client_id": client_id,
            "session_id": tags.session_id,
            "follow_up_id": tags.follow_up_id,
            "sha256": new.sha256,
            "format": new.format.as_str(),
            "kind": tags.kind.as_str(),
            "zone": tags.zone,
            "pose": tags.pose.as_str(),
        }),
    )?;
    get(tx, id)
}

/// Changes a photo's session, kind, zone and pose.
pub fn set_tags(
    tx: &Transaction<'_>,
    id: PhotoId,
    tags: &PhotoTags,
    now: DateTime<Utc>,
) -> Result<Photo> {
    let photo = get(tx, id)?;
    let tags = check_tags(tx, photo.client_id, tags)?;
    tx.execute(
        "UPDATE photo SET session_id = ?2, kind = ?3, zone = ?4, pose = ?5, custom_pose = ?6,
             follow_up_id = ?7
         WHERE id = ?1",
        params![
            id,
            tags.session_id,
            tags.kind.as_str(),
            tags.zone,
            tags.pose.as_str(),
            tags.custom_pose,
            tags.follow_up_id
        ],
    )?;
    audit::record(
        tx,
        now,
        "update",
        "photo",
        &id.to_string(),
        &serde_json::json!({
            "session_id": tags.session_id,
            "follow_up_id": tags.follow_up_id,
            "kind": tags.kind.as_str(),
            "zone": tags.zone,
            "pose": tags.pose.as_str(),
        }),
    )?;
    get(tx, id)
}

/// Saves (or, with `None`, clears) how a photo is aligned onto another
/// photo of the same client. The original is never touched.
pub fn set_alignment(
    tx: &Transaction<'_>,
    id: PhotoId,
    alignment: Option<Alignment>,
    now: DateTime<Utc>,
) -> Result<Photo> {
    let photo = get(tx, id)?;
    if let Some(a) = &alignment {
        if a.reference == id {
            return Err(Error::invalid(
                "alignment",
                "a photo cannot be aligned to itself",
            ));
        }
        let reference = get(tx, a.reference)?;
        if reference.client_id != photo.client_id {
            return Err(Error::invalid(
                "alignment",
                "the reference photo belongs to another client",
            ));
        }
        let finite = [a.dx, a.dy, a.rotate_deg, a.scale]
            .iter()
            .all(|v| v.is_finite());
        if !finite || a.dx.abs() > 10.0 || a.dy.abs() > 10.0 {
            return Err(Error::invalid(
                "alignment",
                format!("the move {} × {} is out of range", a.dx, a.dy),
            ));
        }
        if !(-180.0..=180.0).contains(&a.rotate_deg) {
            return Err(Error::invalid(
                "alignment",
                format!(
                    "rotation {}° should be between -180° and 180°",
                    a.rotate_deg
                ),
            ));
        }
        if !(0.1..=10.0).contains(&a.scale) {
            return Err(Error::invalid(
                "alignment",
                format!("scale {} should be between 0.1 and 10", a.scale),
            ));
        }
    }
    let json = alignment.map(|a| serde_json::to_string(&a).expect("alignment serialises"));
    tx.execute(
        "UPDATE photo SET alignment = ?2 WHERE id = ?1",
        params![id, json],
    )?;
    audit::record(
        tx,
        now,
        "align",
        "photo",
        &id.to_string(),
        &serde_json::to_value(alignment).expect("alignment serialises"),
    )?;
    get(tx, id)
}

/// A file that serves one size of a photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoFile {
    pub path: PathBuf,
    pub content_type: &'static str,
}

/// The file for one size of `photo`. A missing thumbnail or preview is made
/// again from the original first; a missing original is `NotFound`.
pub fn file(data_dir: &Path, photo: &Photo, size: PhotoSize) -> Result<PhotoFile> {
    let original = files::original_path(data_dir, &photo.sha256, photo.format);
    let derived = match size {
        PhotoSize::Original => {
            if !original.is_file() {
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
        PhotoSize::Thumb => files::Derived::Thumb,
        PhotoSize::Preview => files::Derived::Preview,
    };
    let path = files::derived_path(data_dir, derived, &photo.sha256);
    if !path.is_file() {
        rebuild_cache(data_dir, photo)?;
    }
    Ok(PhotoFile {
        path,
        content_type: "image/jpeg",
    })
}

/// Makes the thumbnail and preview of `photo` again from its original.
pub fn rebuild_cache(data_dir: &Path, photo: &Photo) -> Result<()> {
    let original = files::original_path(data_dir, &photo.sha256, photo.format);
    let bytes = std::fs::read(&original).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::not_found(format!("the original of photo {}", photo.id))
        } else {
            Error::io(format!("cannot read {}", original.display()), e)
        }
    })?;
    let rendered = render::render(&bytes).map_err(|reason| {
        Error::Damaged(format!(
            "the original of photo {} cannot be decoded: {reason}",
            photo.id
        ))
    })?;
    for (derived, data) in [
        (files::Derived::Thumb, &rendered.thumb),
        (files::Derived::Preview, &rendered.preview),
    ] {
        let path = files::derived_path(data_dir, derived, &photo.sha256);
        files::write_atomically(&path, data, false)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
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
    let source = file(data_dir, photo, size)?;
    let bytes = std::fs::read(&source.path)
        .map_err(|e| Error::io(format!("cannot read {}", source.path.display()), e))?;
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
    files::write_atomically(out, &bytes, true)
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
