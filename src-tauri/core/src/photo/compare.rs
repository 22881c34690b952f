//! Which two photos to compare: photos of the same zone and pose from
//! different visits, with a proposal of the first session's "before"
//! against the latest "after" or "progress".

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use serde::Serialize;

use super::{list, Photo, PhotoKind, PhotoPose};
use crate::db::Db;
use crate::ids::{ClientId, PhotoId, SessionId};
use crate::store::read_instant;
use crate::Result;

/// Two photos of the same zone and pose, the earlier first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ComparePair {
    pub first: PhotoId,
    pub second: PhotoId,
    pub zone: String,
    pub pose: PhotoPose,
    pub custom_pose: Option<String>,
}

/// What the comparison view can offer for a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CompareCandidates {
    /// The pair to open with: for the zone and pose with the longest span,
    /// the first session's "before" against the latest "after"/"progress".
    pub proposed: Option<ComparePair>,
    /// Every pair of photos of the same zone and pose from different
    /// visits, grouped by zone and pose, oldest first.
    pub pairs: Vec<ComparePair>,
}

/// A photo with the moment it stands for on the client's timeline.
struct Placed<'a> {
    photo: &'a Photo,
    at: NaiveDateTime,
}

impl Placed<'_> {
    /// Same visit: the same session, or two unattached photos taken the
    /// same day.
    fn same_visit(&self, other: &Placed<'_>) -> bool {
        match (self.photo.session_id, other.photo.session_id) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.at.date() == other.at.date(),
            _ => false,
        }
    }
}

fn kind_order(kind: PhotoKind) -> u8 {
    match kind {
        PhotoKind::Before => 0,
        PhotoKind::Progress => 1,
        PhotoKind::After => 2,
    }
}

/// A client's photos grouped by zone and pose, each group in timeline
/// order (a photo stands at its session's start, else when it was taken,
/// else when it was imported).
type Groups<'a> = BTreeMap<(String, &'static str, Option<String>), Vec<Placed<'a>>>;

fn groups<'a>(conn: Db<'_>, client_id: ClientId, photos: &'a [Photo]) -> Result<Groups<'a>> {
    let mut started: HashMap<SessionId, NaiveDateTime> = HashMap::new();
    let rows = conn.query_map(
        "SELECT id, started_at FROM treatment_session WHERE client_id = ?1",
        &[&client_id],
        |row| Ok((row.get::<SessionId>(0)?, row.get::<String>(1)?)),
    )?;
    for (id, at) in rows {
        started.insert(id, read_instant(&at)?.naive_utc());
    }
    let mut groups: Groups<'a> = BTreeMap::new();
    for photo in photos {
        let at = photo
            .session_id
            .and_then(|s| started.get(&s).copied())
            .or(photo.captured_at)
            .unwrap_or_else(|| photo.imported_at.naive_utc());
        groups
            .entry((
                photo.zone.clone(),
                photo.pose.as_str(),
                photo.custom_pose.clone(),
            ))
            .or_default()
            .push(Placed { photo, at });
    }
    for group in groups.values_mut() {
        group.sort_by_key(|p| (p.at, kind_order(p.photo.kind), p.photo.captured_at));
    }
    Ok(groups)
}

/// A group's baseline: its first visit's "before", else its first photo.
fn first<'g, 'a>(group: &'g [Placed<'a>]) -> Option<&'g Placed<'a>> {
    group
        .iter()
        .find(|p| p.photo.kind == PhotoKind::Before)
        .or(group.first())
}

/// The baseline photo of a zone and pose for a client: the photo later
/// ones are compared with, shown as the guide at capture and aligned onto
/// (the first visit's "before", else its first photo). With `later`, only
/// a baseline that comes before that photo on the timeline: an earlier
/// visit's, or the same visit's "before" for its "after".
pub fn baseline<'c>(
    conn: impl Into<Db<'c>>,
    client_id: ClientId,
    zone: &str,
    pose: PhotoPose,
    custom_pose: Option<&str>,
    later: Option<PhotoId>,
) -> Result<Option<Photo>> {
    let conn = conn.into();
    let photos = list(conn, client_id)?;
    let groups = groups(conn, client_id, &photos)?;
    let key = (
        zone.to_owned(),
        pose.as_str(),
        custom_pose.map(str::to_owned),
    );
    let Some(group) = groups.get(&key) else {
        return Ok(None);
    };
    let Some(base) = first(group) else {
        return Ok(None);
    };
    if let Some(later) = later {
        // The group is in timeline order (a visit's "before" first).
        let position = |id: PhotoId| group.iter().position(|p| p.photo.id == id);
        match (position(base.photo.id), position(later)) {
            (Some(b), Some(l)) if l > b => {}
            _ => return Ok(None),
        }
    }
    Ok(Some(base.photo.clone()))
}

/// The comparison pairs for a client's photos.
pub fn candidates<'c>(conn: impl Into<Db<'c>>, client_id: ClientId) -> Result<CompareCandidates> {
    let conn = conn.into();
    let photos = list(conn, client_id)?;
    let groups = groups(conn, client_id, &photos)?;
    let mut pairs = Vec::new();
    let mut best: Option<(chrono::Duration, usize, ComparePair)> = None;
    for group in groups.values() {
        let pair_of = |a: &Placed<'_>, b: &Placed<'_>| ComparePair {
            first: a.photo.id,
            second: b.photo.id,
            zone: a.photo.zone.clone(),
            pose: a.photo.pose,
            custom_pose: a.photo.custom_pose.clone(),
        };
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                if !a.same_visit(b) {
                    pairs.push(pair_of(a, b));
                }
            }
        }
        // First visit's "before" (else its first photo) against the latest
        // "after" or "progress" of a later visit (else its latest photo).
        let Some(first) = first(group) else {
            continue;
        };
        let later = |p: &&Placed<'_>| p.at > first.at && !p.same_visit(first);
        let second = group
            .iter()
            .rev()
            .filter(later)
            .find(|p| p.photo.kind != PhotoKind::Before)
            .or_else(|| group.iter().rev().find(later));
        if let Some(second) = second {
            let span = second.at - first.at;
            let better = best
                .as_ref()
                .is_none_or(|(s, n, _)| (span, group.len()) > (*s, *n));
            if better {
                best = Some((span, group.len(), pair_of(first, second)));
            }
        }
    }
    Ok(CompareCandidates {
        proposed: best.map(|(_, _, pair)| pair),
        pairs,
    })
}
