//! Actions on clinical photos: import (decoding on all cores, outside the
//! store's lock), tags, alignment (by hand or automatic), comparison pairs,
//! serving a size of a photo and exporting one.

use std::path::{Path, PathBuf};

use crate::ids::{ClientId, PhotoId};
use crate::photo::{
    self, Alignment, CompareCandidates, ImportProgress, ImportResult, ImportableFile, Photo,
    PhotoBytes, PhotoSize, PhotoTags,
};
use crate::{Error, Result};
use serde::Serialize;

use super::{Ctx, Permission, Task};

/// Files to import for a client, all with the same tags.
#[derive(Debug, Clone)]
pub struct PhotoImport {
    pub client_id: ClientId,
    pub tags: PhotoTags,
    pub files: Vec<PathBuf>,
}

/// Imports the files: one result per file, progress after each; a cancel
/// starts no further file. The store's lock is taken only to check the
/// request and to write each row.
pub fn import_photos(
    ctx: &Ctx<'_>,
    import: &PhotoImport,
    task: &mut Task<'_, ImportProgress>,
) -> Result<Vec<ImportResult>> {
    ctx.require(Permission::CapturePhotos)?;
    let _running = task.start()?;
    photo::import_files(
        ctx.clinic.store(),
        import.client_id,
        &import.tags,
        &import.files,
        &ctx.written(),
        &mut || ctx.id(),
        &mut |progress| task.step(progress),
    )
}

/// A client's photos, oldest first.
pub fn list_photos(ctx: &Ctx<'_>, client_id: ClientId) -> Result<Vec<Photo>> {
    ctx.require(Permission::ViewPhotos)?;
    let photos = ctx.clinic.read(|conn| photo::list(conn, client_id))?;
    ctx.note_read("view_photos", "client", client_id, serde_json::json!({}));
    Ok(photos)
}

pub fn set_photo_tags(ctx: &Ctx<'_>, id: PhotoId, tags: &PhotoTags) -> Result<Photo> {
    ctx.require(Permission::CapturePhotos)?;
    ctx.write(|tx| photo::set_tags(tx, id, tags, ctx.now()))
}

/// Saves how a photo is aligned onto its reference, or clears it.
pub fn set_photo_alignment(
    ctx: &Ctx<'_>,
    id: PhotoId,
    alignment: Option<Alignment>,
) -> Result<Photo> {
    ctx.require(Permission::EditClinical)?;
    ctx.write(|tx| photo::set_alignment(tx, id, alignment, ctx.now()))
}

/// What automatic alignment did with a photo.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AutoAlignment {
    /// The photo as it is now: aligned when `applied`.
    pub photo: Photo,
    /// 0 (nothing in common) to 1 (the same picture).
    pub confidence: f64,
    /// Whether the alignment was confident enough to save.
    pub applied: bool,
}

/// Aligns photo `id` onto `reference` (an earlier photo of the client's)
/// automatically: the shift, rotation and scale that bring it onto the
/// reference, saved as the photo's alignment when Pinpoint is confident of
/// it; nothing is saved otherwise. An alignment the photo already has (a
/// practitioner's own, say) is replaced only with `replace`.
pub fn auto_align(
    ctx: &Ctx<'_>,
    id: PhotoId,
    reference: PhotoId,
    replace: bool,
) -> Result<AutoAlignment> {
    ctx.require(Permission::EditClinical)?;
    let (photo, earlier) = ctx
        .clinic
        .read(|conn| Ok((photo::get(conn, id)?, photo::get(conn, reference)?)))?;
    if earlier.client_id != photo.client_id {
        return Err(Error::invalid(
            "reference",
            "the reference photo belongs to another client",
        ));
    }
    if photo.alignment.is_some() && !replace {
        return Err(Error::Conflict(
            "this photo is aligned already; replace its alignment to align it again".to_owned(),
        ));
    }
    let gray = |p: &Photo| -> Result<photo::align::Gray> {
        let preview = photo::read(ctx.clinic.data_dir(), p, PhotoSize::Preview)?;
        let (rgb, width, height) = photo::render::decode_derived(&preview.bytes)
            .map_err(|why| Error::Damaged(format!("the preview of photo {}: {why}", p.id)))?;
        Ok(photo::align::Gray::from_rgb(&rgb, width, height))
    };
    let found = photo::align::estimate(&gray(&earlier)?, &gray(&photo)?);
    if !found.confident() {
        return Ok(AutoAlignment {
            photo,
            confidence: found.confidence,
            applied: false,
        });
    }
    let alignment = Alignment {
        reference,
        dx: found.dx,
        dy: found.dy,
        rotate_deg: found.rotate_deg,
        scale: found.scale,
    };
    let photo = ctx.write(|tx| photo::set_alignment(tx, id, Some(alignment), ctx.now()))?;
    Ok(AutoAlignment {
        photo,
        confidence: found.confidence,
        applied: true,
    })
}

/// The proposed before/after pair and every possible pair for a client.
pub fn compare_candidates(ctx: &Ctx<'_>, client_id: ClientId) -> Result<CompareCandidates> {
    ctx.require(Permission::ViewPhotos)?;
    let candidates = ctx.clinic.read(|conn| photo::candidates(conn, client_id))?;
    ctx.note_read("compare", "client", client_id, serde_json::json!({}));
    Ok(candidates)
}

/// The photo files in a folder (a camera card), to pick from for an import.
pub fn importable_files(folder: &Path) -> Result<Vec<ImportableFile>> {
    photo::importable_files(folder)
}

/// One size of a photo, unsealed. Only the lookup holds the store;
/// re-making a lost thumbnail or preview does not.
pub fn photo_file(ctx: &Ctx<'_>, id: PhotoId, size: PhotoSize) -> Result<PhotoBytes> {
    ctx.require(Permission::ViewPhotos)?;
    let found = ctx.clinic.read(|conn| photo::get(conn, id))?;
    photo::read(ctx.clinic.data_dir(), &found, size)
}

/// Writes one size of a photo to the file `out`.
pub fn export_photo(
    ctx: &Ctx<'_>,
    id: PhotoId,
    size: PhotoSize,
    out: &Path,
) -> Result<photo::ExportedPhoto> {
    ctx.require(Permission::ExportRecords)?;
    let found = ctx.clinic.read(|conn| photo::get(conn, id))?;
    let exported = photo::export_file(ctx.clinic.data_dir(), &found, size, out)?;
    ctx.note_read("export_photo", "photo", id, serde_json::json!({}));
    Ok(exported)
}
