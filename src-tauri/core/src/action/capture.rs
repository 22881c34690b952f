//! Capturing photos with a phone: what the capture page may know (the
//! client's short name, the moment, the shots to take with their guide
//! photos) and the upload of one photo into the session or visit the
//! capture was opened for, through the same import as files.
//!
//! The shell's capture server holds a [`CaptureTarget`] per pairing and
//! calls only these functions for it, so a phone can reach nothing but
//! that client's moment.

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, FollowUpId, PhotoId, SessionId};
use crate::photo::{self, CaptureCondition, ImportResult, PhotoKind, PhotoPose, PhotoTags};
use crate::{settings, Error, Result};

use super::photos::align_new_photos;
use super::{Ctx, Permission};

/// Where a capture's photos go: a client, and the session or follow-up
/// visit they are taken at (or neither).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CaptureTarget {
    pub client_id: ClientId,
    pub session_id: Option<SessionId>,
    pub follow_up_id: Option<FollowUpId>,
}

/// One photo the capture asks for: a zone in a pose, with the earlier
/// photo to match as a guide.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CaptureShot {
    pub zone: String,
    pub zone_name: String,
    pub pose: PhotoPose,
    /// The baseline photo of this zone and pose, shown as a ghost over the
    /// camera (only to someone who may see photos).
    pub guide: Option<PhotoId>,
    /// The kinds already taken of this shot at this session or visit, so a
    /// reloaded page still shows what is done.
    pub taken: Vec<PhotoKind>,
}

/// What the phone's capture page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CapturePlan {
    pub target: CaptureTarget,
    /// The client's first name and last initial ("Amara O."): enough to
    /// check the phone is capturing the right person, no more.
    pub client: String,
    /// The moment in words: "Session of 2026-12-07", "Follow-up visit of …".
    pub moment: String,
    /// The kinds the page offers, the usual one first.
    pub kinds: Vec<PhotoKind>,
    /// The shots, zone by zone, in the clinic's pose order.
    pub shots: Vec<CaptureShot>,
    /// Every condition that can be ticked.
    pub conditions: Vec<CaptureCondition>,
}

/// One photo sent from the phone.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CaptureUpload {
    pub kind: PhotoKind,
    pub zone: String,
    pub pose: PhotoPose,
    pub conditions: Vec<CaptureCondition>,
    /// The file name the phone gave (`IMG_0042.HEIC`), for the record.
    pub name: String,
}

/// The capture plan for a target: its client and moment checked, the
/// zones (the session's treated zones, else the zones the client has
/// photos of, else the clinic's), the clinic's poses and each shot's
/// guide.
pub fn capture_plan(ctx: &Ctx<'_>, target: CaptureTarget) -> Result<CapturePlan> {
    ctx.require(Permission::CapturePhotos)?;
    let guides = ctx.require(Permission::ViewPhotos).is_ok();
    ctx.clinic.read(|conn| {
        let client = crate::client::get(conn, target.client_id)?;
        let settings = settings::get(conn)?;
        let (moment, kinds, mut zones) = match (target.session_id, target.follow_up_id) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "follow_up_id",
                    "a photo is taken at a session or at a follow-up visit, not both",
                ))
            }
            (Some(id), None) => {
                let session = crate::session::get(conn, id)?;
                let zones: Vec<(String, String)> = session
                    .zones
                    .iter()
                    .map(|z| (z.zone.clone(), z.zone_name.clone()))
                    .collect();
                (
                    format!("Session of {}", session.started_at.format("%Y-%m-%d")),
                    vec![PhotoKind::Before, PhotoKind::After],
                    zones,
                )
            }
            (None, Some(id)) => {
                let visit = crate::followup::list_visits(conn, target.client_id)?
                    .into_iter()
                    .find(|v| v.id == id)
                    .ok_or_else(|| Error::not_found(format!("follow-up visit {id}")))?;
                (
                    format!("Follow-up visit of {}", visit.visited_on),
                    vec![PhotoKind::Progress],
                    Vec::new(),
                )
            }
            (None, None) => (
                "Photos without a session".to_owned(),
                vec![PhotoKind::Progress, PhotoKind::Before, PhotoKind::After],
                Vec::new(),
            ),
        };
        let name_of = |key: &str| {
            settings
                .zones
                .iter()
                .find(|z| z.key == key)
                .map_or_else(|| key.to_owned(), |z| z.name.clone())
        };
        let photos = photo::list(conn, target.client_id)?;
        if zones.is_empty() {
            for p in &photos {
                if !zones.iter().any(|(key, _)| *key == p.zone) {
                    zones.push((p.zone.clone(), name_of(&p.zone)));
                }
            }
        }
        if zones.is_empty() {
            zones = settings
                .zones
                .iter()
                .map(|z| (z.key.clone(), z.name.clone()))
                .collect();
        }
        let mut shots = Vec::new();
        for (zone, zone_name) in zones {
            for &pose in &settings.capture_poses {
                // Each shot is a valid set of tags for this client: the
                // session or visit is theirs, the zone the clinic's.
                photo::check_tags(
                    conn,
                    target.client_id,
                    &tags_for(target, kinds[0], &zone, pose),
                )?;
                let guide = if guides {
                    photo::baseline(conn, target.client_id, &zone, pose, None, None)?.map(|p| p.id)
                } else {
                    None
                };
                let at_target = (target.session_id.is_some() || target.follow_up_id.is_some())
                    .then(|| {
                        photos.iter().filter(|p| {
                            p.session_id == target.session_id
                                && p.follow_up_id == target.follow_up_id
                                && p.zone == zone
                                && p.pose == pose
                        })
                    });
                let mut taken: Vec<PhotoKind> =
                    at_target.into_iter().flatten().map(|p| p.kind).collect();
                taken.sort_by_key(|k| k.as_str());
                taken.dedup();
                shots.push(CaptureShot {
                    zone: zone.clone(),
                    zone_name: zone_name.clone(),
                    pose,
                    guide,
                    taken,
                });
            }
        }
        Ok(CapturePlan {
            target,
            client: short_name(&client.name),
            moment,
            kinds,
            shots,
            conditions: CaptureCondition::ALL.to_vec(),
        })
    })
}

/// Imports one photo sent from the phone into the capture's target, as an
/// import of files would (the same checks and refusals), then aligns it
/// onto its baseline.
pub fn capture_upload(
    ctx: &Ctx<'_>,
    target: CaptureTarget,
    upload: &CaptureUpload,
    bytes: Vec<u8>,
) -> Result<ImportResult> {
    ctx.require(Permission::CapturePhotos)?;
    let name: String = upload
        .name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
        .take(120)
        .collect();
    let name = if name.trim().is_empty() {
        "phone photo".to_owned()
    } else {
        name
    };
    let mut conditions = upload.conditions.clone();
    conditions.sort_by_key(|c| c.as_str());
    conditions.dedup();
    let item = photo::Item {
        client_id: target.client_id,
        tags: tags_for(target, upload.kind, &upload.zone, upload.pose),
        conditions,
        source: photo::Source::Bytes { name, bytes },
    };
    let mut results = photo::import_items(
        ctx.clinic.store(),
        vec![item],
        &ctx.written(),
        &mut || ctx.id(),
        &mut |_| true,
    )?;
    align_new_photos(ctx, &mut results);
    Ok(results.pop().expect("an import gives one result per item"))
}

/// Where the capture server's TLS identity (its certificate and private
/// key) is kept in the data folder: sealed when the folder is, so the
/// phone's one-time trust holds from one capture to the next.
const IDENTITY: &str = "capture/identity.json";

/// The capture server's stored TLS identity, or `None` when there is none
/// yet (or it cannot be read: it is then made again).
pub fn stored_identity(ctx: &Ctx<'_>) -> Result<Option<Vec<u8>>> {
    ctx.require(Permission::CapturePhotos)?;
    Ok(photo::files::read_stored(ctx.clinic.data_dir(), IDENTITY).ok())
}

/// Keeps the capture server's TLS identity (owner-only, sealed when the
/// folder is, written to a temporary name and renamed).
pub fn store_identity(ctx: &Ctx<'_>, identity: &[u8]) -> Result<()> {
    ctx.require(Permission::CapturePhotos)?;
    photo::files::store_file(ctx.clinic.data_dir(), IDENTITY, identity, true)
        .map_err(|e| Error::io("cannot keep the capture certificate", e))
}

fn tags_for(target: CaptureTarget, kind: PhotoKind, zone: &str, pose: PhotoPose) -> PhotoTags {
    PhotoTags {
        session_id: target.session_id,
        follow_up_id: target.follow_up_id,
        kind,
        zone: zone.to_owned(),
        pose,
        custom_pose: None,
    }
}

/// "Amara Okafor" → "Amara O."; a single name stays as it is.
fn short_name(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or_default();
    match words.next_back().and_then(|last| last.chars().next()) {
        Some(initial) => format!("{first} {initial}."),
        None => first.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn a_short_name_is_the_first_name_and_the_last_initial() {
        assert_eq!(short_name("Amara Okafor"), "Amara O.");
        assert_eq!(short_name("  Jean  Paul Sartre "), "Jean S.");
        assert_eq!(short_name("Cher"), "Cher");
        assert_eq!(short_name("Ana Ōno"), "Ana Ō.");
    }
}
