//! Clinical photos: a client's before, after and progress photos, tagged
//! with zone and pose, whose originals are kept unchanged and
//! content-addressed by SHA-256 under `photos/`, with previews and
//! thumbnails in `cache/` that can always be made again.
//!
//! This module holds the types. `tags` checks what a practitioner says of a
//! photo, `rows` reads and writes the `photo` table, `import` brings files
//! in (batch, all cores, per-file results), `render` makes the derived
//! images, `files` knows the layout and serves, re-makes and exports the
//! files, `compare` proposes before/after pairs, `verify` checks the store
//! against the database.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, FollowUpId, PhotoId, SessionId};

pub mod align;
mod budget;
mod compare;
pub mod demo;
pub(crate) mod files;
mod import;
pub mod jpeg;
pub mod orphans;
pub mod remote;
pub mod render;
mod rows;
mod tags;
mod turbo;
pub mod verify;

pub use compare::{baseline, candidates, CompareCandidates, ComparePair};
pub use files::{
    export_file, file, importable_files, original_relative, read, rebuild_cache, ExportedPhoto,
    ImportableFile, PhotoBytes, PhotoFile, CACHE_DIR, PHOTOS_DIR,
};
pub use import::{import_files, ImportProgress, ImportResult, Refusal};
pub(crate) use import::{import_items, Item, Source};
pub use rows::{find_by_sha256, get, list, portrait, set_alignment, set_portrait, set_tags};
pub(crate) use rows::{insert, NewPhoto};
pub use tags::check_tags;
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
    /// Who made it: a practitioner by hand, or Pinpoint automatically.
    /// Alignments saved before Pinpoint knew were made by hand.
    #[serde(default)]
    pub source: AlignSource,
    /// For an automatic alignment, how confident Pinpoint was (0 to 1).
    #[serde(default)]
    pub confidence: Option<f64>,
}

/// Who made an alignment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AlignSource {
    /// A practitioner, in the comparison viewer or on the command line.
    #[default]
    Manual,
    /// Pinpoint, from the two photos (`align`).
    Auto,
}

/// What automatic alignment did with a photo.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AlignOutcome {
    /// The earlier photo it was aligned onto (or tried to be).
    pub reference: PhotoId,
    /// 0 (nothing in common) to 1 (the same picture).
    pub confidence: f64,
    /// Whether Pinpoint was confident enough to save the alignment.
    pub applied: bool,
}

/// What was true when a photo was taken, ticked at capture so a later
/// photo can be taken the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CaptureCondition {
    /// No make-up, sunscreen or cream on the photographed skin.
    MakeupOff,
    /// The clinic's usual light (no window light, no flash).
    UsualLighting,
    /// The usual distance from the camera (the guide's framing).
    UsualDistance,
    /// Hair held back from the photographed zone.
    HairBack,
    /// A plain background behind the client.
    PlainBackground,
}

text_enum! {
    CaptureCondition, field "conditions", called "capture condition" {
        MakeupOff = "makeup_off",
        UsualLighting = "usual_lighting",
        UsualDistance = "usual_distance",
        HairBack = "hair_back",
        PlainBackground = "plain_background",
    }
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
    /// The capture conditions ticked when it was taken (empty when none
    /// were, or the photo was imported from files).
    pub conditions: Vec<CaptureCondition>,
    /// Whether this is the photo chosen to show the client's face on
    /// their record (at most one per client).
    pub portrait: bool,
}
