//! Actions on clinical photos: import (decoding on all cores, outside the
//! store's lock), tags, alignment, comparison pairs, serving a size of a
//! photo and exporting one.

use std::path::{Path, PathBuf};

use crate::ids::{ClientId, PhotoId};
use crate::photo::{
    self, Alignment, CompareCandidates, ImportProgress, ImportResult, ImportableFile, Photo,
    PhotoBytes, PhotoSize, PhotoTags,
};
use crate::Result;

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
