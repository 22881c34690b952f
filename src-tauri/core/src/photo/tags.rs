//! Checking what a practitioner says of a photo: the session or visit it
//! was taken at (the same client's, never both), kind, zone and pose.

use super::{PhotoPose, PhotoTags};
use crate::db::Db;
use crate::ids::ClientId;
use crate::{settings, Error, Result};

/// pose text trimmed, and dropped for the fixed poses).
pub fn check_tags<'c>(
    conn: impl Into<Db<'c>>,
    client_id: ClientId,
    tags: &PhotoTags,
) -> Result<PhotoTags> {
    let conn = conn.into();
    if tags.session_id.is_some() && tags.follow_up_id.is_some() {
        return Err(Error::invalid(
            "follow_up_id",
            "a photo is taken at a session or at a follow-up visit, not both",
        ));
    }
    if let Some(visit) = tags.follow_up_id {
        let owner: Option<ClientId> = conn.query_opt(
            "SELECT client_id FROM follow_up WHERE id = ?1",
            &[&visit],
            |row| row.get(0),
        )?;
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
        let owner: Option<ClientId> = conn.query_opt(
            "SELECT client_id FROM treatment_session WHERE id = ?1",
            &[&session_id],
            |row| row.get(0),
        )?;
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
