//! Actions on clinical photos: import (decoding on all cores, outside the
//! store's lock), tags, alignment (by hand or automatic), comparison pairs,
//! serving a size of a photo and exporting one.

use std::path::{Path, PathBuf};

use crate::ids::{ClientId, PhotoId};
use crate::photo::{
    self, AlignOutcome, AlignSource, Alignment, CompareCandidates, ImportProgress, ImportResult,
    ImportableFile, Photo, PhotoBytes, PhotoSize, PhotoTags,
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
/// request and to write each row. Each new photo with an earlier photo of
/// its zone and pose is then aligned onto it automatically
/// (`align_new_photo`).
pub fn import_photos(
    ctx: &Ctx<'_>,
    import: &PhotoImport,
    task: &mut Task<'_, ImportProgress>,
) -> Result<Vec<ImportResult>> {
    ctx.require(Permission::CapturePhotos)?;
    let _running = task.start()?;
    let mut last = None;
    let mut results = photo::import_files(
        ctx.clinic.store(),
        import.client_id,
        &import.tags,
        &import.files,
        &ctx.written(),
        &mut || ctx.id(),
        &mut |progress| {
            last = Some(progress.clone());
            task.step(progress)
        },
    )?;
    // Aligning takes a moment a photo (its preview decoded, then about
    // 60 ms): said as progress, and stopped by a cancel (what is not
    // aligned can be aligned from the comparison later).
    let Some(mut progress) = last.filter(|p| p.done == p.total) else {
        return Ok(results);
    };
    for result in results.iter_mut() {
        let name = match &result.photo {
            Some(photo) if !result.duplicate => photo.original_name.clone(),
            _ => continue,
        };
        progress.current = format!("{name}: lining it up with the earlier photo");
        if !task.step(&progress) {
            break;
        }
        align_new_photos(ctx, std::slice::from_mut(result));
    }
    Ok(results)
}

/// Aligns each newly imported photo of `results` onto its baseline, noting
/// the outcome in its result (and the photo as it now is). A photo that
/// cannot be aligned keeps its import: the failure is only left out.
pub(crate) fn align_new_photos(ctx: &Ctx<'_>, results: &mut [ImportResult]) {
    for result in results.iter_mut().filter(|r| !r.duplicate) {
        let Some(photo) = &result.photo else {
            continue;
        };
        if let Ok(Some((aligned, outcome))) = align_new_photo(ctx, photo) {
            result.photo = Some(aligned);
            result.alignment = Some(outcome);
        }
    }
}

/// Aligns a photo without an alignment onto the baseline of its zone and
/// pose (`photo::baseline`), when there is one from an earlier visit.
fn align_new_photo(ctx: &Ctx<'_>, photo: &Photo) -> Result<Option<(Photo, AlignOutcome)>> {
    if photo.alignment.is_some() {
        return Ok(None);
    }
    let base = ctx.clinic.read(|conn| {
        photo::baseline(
            conn,
            photo.client_id,
            &photo.zone,
            photo.pose,
            photo.custom_pose.as_deref(),
            Some(photo.id),
        )
    })?;
    match base {
        None => Ok(None),
        Some(base) => align_onto(ctx, photo.clone(), &base).map(Some),
    }
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

/// Saves how a practitioner aligned a photo onto its reference, or clears
/// it. Whatever the caller says, it is saved as made by hand.
pub fn set_photo_alignment(
    ctx: &Ctx<'_>,
    id: PhotoId,
    alignment: Option<Alignment>,
) -> Result<Photo> {
    ctx.require(Permission::EditClinical)?;
    let alignment = alignment.map(|a| Alignment {
        source: AlignSource::Manual,
        confidence: None,
        ..a
    });
    ctx.write(|tx| photo::set_alignment(tx, id, alignment, ctx.now()))
}

/// What automatic alignment did with a photo.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AutoAlignment {
    /// The photo as it is now: aligned when `outcome.applied`.
    pub photo: Photo,
    pub outcome: AlignOutcome,
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
    let (photo, outcome) = align_onto(ctx, photo, &earlier)?;
    Ok(AutoAlignment { photo, outcome })
}

/// Estimates how `photo` lies on `reference` from their previews (outside
/// the store's lock) and saves it as an automatic alignment when confident.
fn align_onto(ctx: &Ctx<'_>, photo: Photo, reference: &Photo) -> Result<(Photo, AlignOutcome)> {
    let gray = |p: &Photo| -> Result<photo::align::Gray> {
        let preview = photo::read(ctx.clinic.data_dir(), p, PhotoSize::Preview)?;
        let (rgb, width, height) = photo::render::decode_derived(&preview.bytes)
            .map_err(|why| Error::Damaged(format!("the preview of photo {}: {why}", p.id)))?;
        Ok(photo::align::Gray::from_rgb(&rgb, width, height))
    };
    let found = photo::align::estimate(&gray(reference)?, &gray(&photo)?);
    let outcome = AlignOutcome {
        reference: reference.id,
        confidence: found.confidence,
        applied: found.confident(),
    };
    if !outcome.applied {
        return Ok((photo, outcome));
    }
    let alignment = Alignment {
        reference: reference.id,
        dx: found.dx,
        dy: found.dy,
        rotate_deg: found.rotate_deg,
        scale: found.scale,
        source: AlignSource::Auto,
        confidence: Some(found.confidence),
    };
    let id = photo.id;
    let photo = ctx.write(|tx| photo::set_alignment(tx, id, Some(alignment), ctx.now()))?;
    Ok((photo, outcome))
}

/// Makes a photo the portrait on its client's record, or (`chosen` false)
/// goes back to the latest front photo.
pub fn set_photo_portrait(ctx: &Ctx<'_>, id: PhotoId, chosen: bool) -> Result<Photo> {
    ctx.require(Permission::CapturePhotos)?;
    ctx.write(|tx| photo::set_portrait(tx, id, chosen, ctx.now()))
}

/// The photo that shows a client's face on their record: the one chosen,
/// else the latest front photo; none when the client has neither.
pub fn client_portrait(ctx: &Ctx<'_>, client_id: ClientId) -> Result<Option<Photo>> {
    ctx.require(Permission::ViewPhotos)?;
    ctx.clinic.read(|conn| {
        crate::client::get(conn, client_id)?;
        photo::portrait(conn, client_id)
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

/// Who a comparison image is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ComparisonUse {
    /// The client's own copy.
    ClientCopy,
    /// The clinic's marketing: only with the client's marketing-photo
    /// consent in force.
    Marketing,
}

/// A comparison image written to a file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportedComparison {
    pub path: String,
    pub bytes: u32,
    pub width: u32,
    pub height: u32,
}

/// The largest comparison image accepted (a 6000 × 3000 JPEG is ~8 MB).
const MAX_COMPARISON_BYTES: usize = 40 * 1024 * 1024;

/// Writes the comparison of `first` and `second` that the viewer drew
/// (`image`, a JPEG: the pair side by side or at the slider's position,
/// with dates, zone, pose and the clinic's name) to `out`. For marketing,
/// only when the client's marketing-photo consent is in force today. An
/// existing file is replaced only with `replace`.
pub fn export_comparison(
    ctx: &Ctx<'_>,
    pair: (PhotoId, PhotoId),
    usage: ComparisonUse,
    image: &[u8],
    out: &Path,
    replace: bool,
) -> Result<ExportedComparison> {
    ctx.require(Permission::ExportRecords)?;
    let client_id = ctx.clinic.read(|conn| {
        let (first, second) = (photo::get(conn, pair.0)?, photo::get(conn, pair.1)?);
        if first.client_id != second.client_id {
            return Err(Error::invalid(
                "photos",
                "the two photos belong to different clients",
            ));
        }
        if usage == ComparisonUse::Marketing
            && !crate::consent::holds(
                conn,
                first.client_id,
                crate::consent::ConsentKind::MarketingPhotos,
                ctx.today(),
            )?
        {
            let client = crate::client::get(conn, first.client_id)?;
            return Err(Error::invalid(
                "usage",
                format!(
                    "{} has no marketing-photo consent in force today; record that consent \
                     before exporting a comparison for marketing",
                    client.name
                ),
            ));
        }
        Ok(first.client_id)
    })?;
    if image.len() > MAX_COMPARISON_BYTES || !image.starts_with(&[0xff, 0xd8, 0xff]) {
        return Err(Error::invalid(
            "image",
            "the comparison image is not a JPEG of at most 40 MB",
        ));
    }
    let (_, width, height) = photo::render::decode_derived(image)
        .map_err(|why| Error::invalid("image", format!("the comparison image: {why}")))?;
    crate::report::check_out_file(out, replace)?;
    crate::report::write_file_atomically(out, image)?;
    ctx.note_read(
        "export_comparison",
        "client",
        client_id,
        serde_json::json!({
            "photos": [pair.0, pair.1],
            "use": usage,
        }),
    );
    Ok(ExportedComparison {
        path: out.display().to_string(),
        bytes: image.len() as u32,
        width,
        height,
    })
}
