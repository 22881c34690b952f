//! The `photo` table: reading rows (a damaged value names its photo),
//! adding a row with its audit event, and changing tags and alignment.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::{
    check_tags, Alignment, CaptureCondition, Photo, PhotoFormat, PhotoKind, PhotoPose, PhotoTags,
};
use crate::db::{Db, Row};
use crate::ids::{ClientId, PhotoId};
use crate::store::{format_instant, read_instant};
use crate::{audit, Error, Result};

/// A stored value of photo `id` that cannot be read as Pinpoint wrote it.
fn bad_column(id: &PhotoId, message: impl std::fmt::Display) -> Error {
    Error::Damaged(format!("photo {id}: {message}"))
}

const COLUMNS: &str = "id, client_id, session_id, sha256, format, original_name, bytes, width, \
     height, orientation, captured_at, imported_at, kind, zone, pose, custom_pose, alignment, \
     follow_up_id, conditions, portrait";

fn from_row(row: &Row) -> Result<Photo> {
    let id: PhotoId = row.get(0)?;
    let sha256: String = row.get(3)?;
    if !super::files::is_sha256_hex(&sha256) {
        // Never used to build a path: a crafted value could reach any file.
        return Err(bad_column(
            &id,
            format!(
                "its stored hash is not a SHA-256 ({} characters, not 64 lowercase hex)",
                sha256.chars().count()
            ),
        ));
    }
    let kind: String = row.get(12)?;
    let pose: String = row.get(14)?;
    let captured: Option<String> = row.get(10)?;
    let alignment: Option<String> = row.get(16)?;
    let conditions: Option<String> = row.get(18)?;
    Ok(Photo {
        id,
        client_id: row.get(1)?,
        session_id: row.get(2)?,
        follow_up_id: row.get(17)?,
        sha256,
        format: PhotoFormat::from_record(&row.get::<String>(4)?, format_args!("photo {id}"))?,
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
        imported_at: read_instant(&row.get::<String>(11)?)?,
        kind: PhotoKind::from_record(&kind, format_args!("photo {id}"))?,
        zone: row.get(13)?,
        pose: PhotoPose::from_record(&pose, format_args!("photo {id}"))?,
        custom_pose: row.get(15)?,
        alignment: alignment
            .map(|json| {
                serde_json::from_str(&json).map_err(|e| bad_column(&id, format!("alignment: {e}")))
            })
            .transpose()?,
        conditions: match conditions {
            None => Vec::new(),
            Some(json) => serde_json::from_str::<Vec<String>>(&json)
                .map_err(|e| bad_column(&id, format!("conditions: {e}")))?
                .iter()
                .map(|c| CaptureCondition::from_record(c, format_args!("photo {id}")))
                .collect::<Result<_>>()?,
        },
        portrait: row.get(19)?,
    })
}

/// One photo.
pub fn get<'c>(conn: impl Into<Db<'c>>, id: PhotoId) -> Result<Photo> {
    let conn = conn.into();
    conn.query_one(
        &format!("SELECT {COLUMNS} FROM photo WHERE id = ?1"),
        &[&id],
        &format!("photo {id}"),
        from_row,
    )
}

/// The photo whose original has this SHA-256, if any.
pub fn find_by_sha256<'c>(conn: impl Into<Db<'c>>, sha256: &str) -> Result<Option<Photo>> {
    let conn = conn.into();
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM photo WHERE sha256 = ?1"),
        &[&sha256],
        from_row,
    )
}

/// A client's photos, oldest first (by capture time, else import time).
pub fn list<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Vec<Photo>> {
    let conn = conn.into();
    crate::client::get(conn, client_id)?;
    let photos = conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM photo WHERE client_id = ?1
             ORDER BY coalesce(captured_at, imported_at), imported_at, id"
        ),
        &[&client_id],
        from_row,
    )?;
    Ok(photos)
}

/// Checks tags for a photo of `client_id` and returns them tidied (custom
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
    /// The capture conditions ticked on the phone.
    pub conditions: Vec<CaptureCondition>,
}

/// Adds a photo row (tags already checked) and its audit event.
pub(crate) fn insert<'c>(
    tx: impl Into<Db<'c>>,
    id: PhotoId,
    client_id: ClientId,
    tags: &PhotoTags,
    new: &NewPhoto,
    now: DateTime<Utc>,
) -> Result<Photo> {
    let tx = tx.into();
    tx.execute(
        &format!(
            "INSERT INTO photo ({COLUMNS}) VALUES
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, NULL, ?17, ?18, 0)"
        ),
        &[
            &id,
            &client_id,
            &tags.session_id,
            &new.sha256,
            &new.format.as_str(),
            &new.original_name,
            &new.bytes,
            &new.width,
            &new.height,
            &new.orientation,
            &new.captured_at
                .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
            &format_instant(now),
            &tags.kind.as_str(),
            &tags.zone,
            &tags.pose.as_str(),
            &tags.custom_pose,
            &tags.follow_up_id,
            &conditions_json(&new.conditions),
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
            "conditions": new.conditions,
        }),
    )?;
    get(tx, id)
}

/// The conditions as stored: a JSON list of their names, NULL for none.
fn conditions_json(conditions: &[CaptureCondition]) -> Option<String> {
    (!conditions.is_empty()).then(|| {
        serde_json::to_string(&conditions.iter().map(|c| c.as_str()).collect::<Vec<_>>())
            .expect("names serialise")
    })
}

/// Changes a photo's session, kind, zone and pose.
pub fn set_tags<'c>(
    tx: impl Into<Db<'c>>,
    id: PhotoId,
    tags: &PhotoTags,
    now: DateTime<Utc>,
) -> Result<Photo> {
    let tx = tx.into();
    let photo = get(tx, id)?;
    let tags = check_tags(tx, photo.client_id, tags)?;
    tx.execute(
        "UPDATE photo SET session_id = ?2, kind = ?3, zone = ?4, pose = ?5, custom_pose = ?6,
             follow_up_id = ?7
         WHERE id = ?1",
        &[
            &id,
            &tags.session_id,
            &tags.kind.as_str(),
            &tags.zone,
            &tags.pose.as_str(),
            &tags.custom_pose,
            &tags.follow_up_id,
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
pub fn set_alignment<'c>(
    tx: impl Into<Db<'c>>,
    id: PhotoId,
    alignment: Option<Alignment>,
    now: DateTime<Utc>,
) -> Result<Photo> {
    let tx = tx.into();
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
        if a.confidence.is_some_and(|c| !(0.0..=1.0).contains(&c)) {
            return Err(Error::invalid(
                "alignment",
                "a confidence is a fraction between 0 and 1",
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
        &[&id, &json],
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

/// Makes photo `id` the portrait shown on its client's record (the one
/// chosen before is no longer), or, with `chosen` false, goes back to the
/// latest front photo.
pub fn set_portrait<'c>(
    tx: impl Into<Db<'c>>,
    id: PhotoId,
    chosen: bool,
    now: DateTime<Utc>,
) -> Result<Photo> {
    let tx = tx.into();
    let photo = get(tx, id)?;
    tx.execute(
        "UPDATE photo SET portrait = 0 WHERE client_id = ?1 AND portrait = 1",
        &[&photo.client_id],
    )?;
    if chosen {
        tx.execute("UPDATE photo SET portrait = 1 WHERE id = ?1", &[&id])?;
    }
    audit::record(
        tx,
        now,
        "portrait",
        "photo",
        &id.to_string(),
        &serde_json::json!({ "chosen": chosen }),
    )?;
    get(tx, id)
}

/// The photo that shows a client's face: the one chosen, else the latest
/// front photo (else none).
pub fn portrait<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<Option<Photo>> {
    let conn = conn.into();
    conn.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM photo WHERE client_id = ?1 AND (portrait = 1 OR pose = 'front')
             ORDER BY portrait DESC, coalesce(captured_at, imported_at) DESC, imported_at DESC, id DESC
             LIMIT 1"
        ),
        &[&client_id],
        from_row,
    )
}
