//! De-identified photos for marketing: refused unless the client's
//! marketing-photo consent is in force; the files carry pixels only.

use super::*;

/// What [`deidentified_photos`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeidentifiedSummary {
    pub folder: String,
    /// The file names written, in order.
    pub files: Vec<String>,
    pub bytes: f64,
}

/// Writes the given photos of a client (all of them when `photo_ids` is
/// empty) as de-identified copies into the folder `out`, chosen by the
/// rule of [`destination`]: see [`prepare_deidentified`] and
/// [`DeidentifiedPhotos::write`].
pub fn deidentified_photos<'c>(
    conn: impl Into<Db<'c>>,
    data_dir: &Path,
    client_id: ClientId,
    photo_ids: &[PhotoId],
    out: &Path,
    today: NaiveDate,
) -> Result<DeidentifiedSummary> {
    let prepared = prepare_deidentified(conn, data_dir, client_id, photo_ids, today)?;
    let out_dir = destination(out, data_dir, &deidentified_folder_name(today))?;
    prepared.write(&out_dir)
}

/// The photos chosen for a de-identified export, checked and ready to be
/// decoded and written without the database.
#[derive(Debug)]
pub struct DeidentifiedPhotos {
    data_dir: PathBuf,
    photos: Vec<Photo>,
}

/// Checks a de-identified export: refused unless the client's
/// marketing-photo consent is in force on `today`; every chosen photo must
/// be the client's. Reads only rows, so it is quick under the store's lock.
pub fn prepare_deidentified<'c>(
    conn: impl Into<Db<'c>>,
    data_dir: &Path,
    client_id: ClientId,
    photo_ids: &[PhotoId],
    today: NaiveDate,
) -> Result<DeidentifiedPhotos> {
    let conn = conn.into();
    let client = crate::client::get(conn, client_id)?;
    if !consent::holds(conn, client_id, ConsentKind::MarketingPhotos, today)? {
        return Err(Error::Conflict(format!(
            "{} has no marketing-photo consent in force today; record that consent before \
             exporting de-identified photos",
            client.name
        )));
    }
    let all = photo::list(conn, client_id)?;
    let chosen: Vec<Photo> = if photo_ids.is_empty() {
        all
    } else {
        photo_ids
            .iter()
            .map(|id| {
                all.iter().find(|p| p.id == *id).cloned().ok_or_else(|| {
                    Error::invalid(
                        "photo_ids",
                        format!("photo {id} is not one of {}'s photos", client.name),
                    )
                })
            })
            .collect::<Result<_>>()?
    };
    if chosen.is_empty() {
        return Err(Error::invalid_input(format!(
            "{} has no photos to export",
            client.name
        )));
    }
    Ok(DeidentifiedPhotos {
        data_dir: data_dir.to_owned(),
        photos: chosen,
    })
}

impl DeidentifiedPhotos {
    /// Writes the photos into the new folder `out_dir` as freshly encoded
    /// JPEGs with no metadata at all: no EXIF, no ICC profile (the pixels
    /// are sRGB), no names or dates in the file names. Decoding and
    /// encoding happen here, with no database at hand.
    pub fn write(self, out_dir: &Path) -> Result<DeidentifiedSummary> {
        ensure_free(out_dir)?;
        let temp = temp_folder(out_dir);
        let _ = std::fs::remove_dir_all(&temp);
        let result = self.write_into(&temp, out_dir);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&temp);
        }
        result
    }

    fn write_into(&self, temp: &Path, out_dir: &Path) -> Result<DeidentifiedSummary> {
        crate::private::create_dir_all(temp)
            .map_err(|e| Error::io(format!("cannot create {}", temp.display()), e))?;
        let mut files = Vec::new();
        let mut bytes = 0u64;
        for (i, p) in self.photos.iter().enumerate() {
            let jpeg = stripped_jpeg(&self.data_dir, p)?;
            let name = format!(
                "{:02}_{}_{}_{}.jpg",
                i + 1,
                p.zone
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect::<String>(),
                p.pose.as_str(),
                p.kind.as_str()
            );
            let path = temp.join(&name);
            crate::private::write(&path, &jpeg)
                .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
            bytes += jpeg.len() as u64;
            files.push(name);
        }
        if out_dir.is_dir() {
            std::fs::remove_dir(out_dir)
                .map_err(|e| Error::io(format!("cannot replace {}", out_dir.display()), e))?;
        }
        std::fs::rename(temp, out_dir)
            .map_err(|e| Error::io(format!("cannot write {}", out_dir.display()), e))?;
        Ok(DeidentifiedSummary {
            folder: out_dir.display().to_string(),
            files,
            bytes: bytes as f64,
        })
    }
}

/// The photo's upright sRGB preview, decoded and encoded again: the new
/// file carries pixels only (a JFIF header, no EXIF, no ICC, no comments).
pub(super) fn stripped_jpeg(data_dir: &Path, p: &Photo) -> Result<Vec<u8>> {
    let bytes = photo::read(data_dir, p, PhotoSize::Preview)?.bytes;
    let image = turbojpeg::decompress(&bytes, turbojpeg::PixelFormat::RGB).map_err(|e| {
        Error::Damaged(format!(
            "the preview of photo {} cannot be decoded: {e}",
            p.id
        ))
    })?;
    photo::render::encode_rgb_jpeg(&image.pixels, image.width as u32, image.height as u32)
}
