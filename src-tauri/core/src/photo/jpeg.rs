//! A walk over a JPEG's marker segments: finds the EXIF (APP1) and ICC
//! (APP2) data and tells a complete file from a truncated one; and the
//! writing of a small EXIF segment (orientation, capture time) for the demo
//! photos and tests.

use chrono::NaiveDateTime;

/// What the walk found in a JPEG.
#[derive(Debug, Default)]
pub(crate) struct JpegParts<'a> {
    /// The EXIF data (a TIFF structure) from the first `Exif` APP1.
    pub exif: Option<&'a [u8]>,
    /// The ICC profile, put together from its APP2 chunks.
    pub icc: Option<Vec<u8>>,
}

const TRUNCATED: &str = "the JPEG is truncated (the file ends before the image does)";

/// Walks the segments from SOI to EOI. A file that ends before its EOI
/// marker is refused as truncated.
/// The most scans a JPEG may have. Cameras write one; progressive encoders
/// about ten (libjpeg-turbo's default script has 10, mozjpeg's up to 64).
pub(crate) const MAX_SCANS: usize = 100;

pub(crate) fn scan(bytes: &[u8]) -> Result<JpegParts<'_>, String> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("not a JPEG".to_owned());
    }
    let mut parts = JpegParts::default();
    let mut icc_chunks: Vec<(u8, u8, &[u8])> = Vec::new();
    let mut scans = 0usize;
    let mut pos = 2;
    loop {
        // Find the next marker; stray bytes between segments are skipped,
        // as libjpeg does.
        while pos < bytes.len() && bytes[pos] != 0xFF {
            pos += 1;
        }
        while pos < bytes.len() && bytes[pos] == 0xFF {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            return Err(TRUNCATED.to_owned());
        };
        pos += 1;
        match marker {
            0xD9 => break,
            0x01 | 0xD0..=0xD7 => continue,
            0xD8 => return Err("the JPEG structure is damaged (a second start marker)".to_owned()),
            _ => {}
        }
        let length = match bytes.get(pos..pos + 2) {
            Some(len) => usize::from(u16::from_be_bytes([len[0], len[1]])),
            None => return Err(TRUNCATED.to_owned()),
        };
        if length < 2 {
            return Err(
                "the JPEG structure is damaged (a segment of impossible length)".to_owned(),
            );
        }
        let Some(segment) = bytes.get(pos + 2..pos + length) else {
            return Err(TRUNCATED.to_owned());
        };
        pos += length;
        match marker {
            0xE1 if parts.exif.is_none() => {
                if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
                    parts.exif = Some(tiff);
                }
            }
            0xE2 => {
                if let Some(chunk) = segment.strip_prefix(b"ICC_PROFILE\0") {
                    if chunk.len() > 2 {
                        icc_chunks.push((chunk[0], chunk[1], &chunk[2..]));
                    }
                }
            }
            0xDA => {
                // Each scan makes the decoder pass over every coefficient
                // again: thousands of tiny scans cost minutes of CPU.
                scans += 1;
                if scans > MAX_SCANS {
                    return Err(format!(
                        "the JPEG has more than {MAX_SCANS} scans; refused as a possible \
                         decompression bomb"
                    ));
                }
                // Entropy-coded data runs to the next marker that is not a
                // stuffed 0xFF00 or a restart marker.
                loop {
                    // Megabytes of coded data: a vectorised search.
                    match memchr::memchr(0xFF, &bytes[pos.min(bytes.len())..]) {
                        None => return Err(TRUNCATED.to_owned()),
                        Some(skip) => pos += skip,
                    }
                    match bytes.get(pos + 1) {
                        None => return Err(TRUNCATED.to_owned()),
                        Some(0x00 | 0xD0..=0xD7 | 0xFF) => pos += 1,
                        Some(_) => break,
                    }
                }
            }
            _ => {}
        }
    }
    if !icc_chunks.is_empty() {
        icc_chunks.sort_by_key(|c| c.0);
        let count = usize::from(icc_chunks[0].1);
        let complete = icc_chunks.len() == count
            && icc_chunks
                .iter()
                .enumerate()
                .all(|(i, c)| usize::from(c.0) == i + 1 && usize::from(c.1) == count);
        if complete {
            parts.icc = Some(icc_chunks.iter().flat_map(|c| c.2).copied().collect());
        }
    }
    Ok(parts)
}

/// Puts an EXIF segment with `orientation` (1–8) and, when given,
/// DateTimeOriginal right after the SOI marker of `jpeg`.
pub fn with_exif(jpeg: &[u8], orientation: u8, captured_at: Option<NaiveDateTime>) -> Vec<u8> {
    // Little-endian TIFF: IFD0 (orientation, pointer to the Exif IFD), the
    // Exif IFD (DateTimeOriginal), then the date string.
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    };
    let ifd0_entries: u16 = if captured_at.is_some() { 2 } else { 1 };
    let exif_ifd = 8 + 2 + 12 * u32::from(ifd0_entries) + 4;
    tiff.extend_from_slice(&ifd0_entries.to_le_bytes());
    entry(&mut tiff, 0x0112, 3, 1, u32::from(orientation));
    if captured_at.is_some() {
        entry(&mut tiff, 0x8769, 4, 1, exif_ifd);
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    if let Some(at) = captured_at {
        let text = format!("{}\0", at.format("%Y:%m:%d %H:%M:%S"));
        let string_at = exif_ifd + 2 + 12 + 4;
        tiff.extend_from_slice(&1u16.to_le_bytes());
        entry(&mut tiff, 0x9003, 2, text.len() as u32, string_at);
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(text.as_bytes());
    }
    let mut out = Vec::with_capacity(jpeg.len() + tiff.len() + 10);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}
