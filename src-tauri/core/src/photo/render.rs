//! From an original's bytes to its upright sRGB preview and thumbnail
//! (docs/measured.md): the header is checked against the size limits before any
//! pixel is decoded; JPEG is decoded by libjpeg-turbo at the largest DCT
//! scale that still gives a full preview, PNG and WebP by `image`, HEIC by
//! libheif; then a SIMD resize, ICC conversion to sRGB, the EXIF
//! orientation, and libjpeg-turbo encoding.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime};
use fast_image_resize as fir;

use super::budget::{Reservation, DECODING};
use super::jpeg;
use super::PhotoFormat;

/// The long side of a preview, in pixels (smaller originals keep their size).
pub const PREVIEW_LONG_SIDE: u32 = 1600;
/// The long side of a thumbnail, in pixels.
pub const THUMB_LONG_SIDE: u32 = 320;
/// No side of an accepted image may be longer than this.
pub const MAX_SIDE: u32 = 20_000;
/// No accepted image may have more pixels than this (100 megapixels).
#[cfg(not(fuzzing))]
pub const MAX_PIXELS: u64 = 100_000_000;
/// Under the fuzzer, 4 megapixels: each run stays fast and small, and the
/// paths around the limit are the same.
#[cfg(fuzzing)]
pub const MAX_PIXELS: u64 = 4_000_000;
/// No accepted file may be larger than this.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// JPEG quality of the derived images.
const QUALITY: i32 = 85;

/// An original made ready for the store: what it is and its derived images.
#[derive(Debug)]
pub struct Rendered {
    pub format: PhotoFormat,
    /// Full size as displayed (after orientation).
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation applied to the derived images (1 when none).
    pub orientation: u8,
    /// EXIF DateTimeOriginal: the camera's local clock.
    pub captured_at: Option<NaiveDateTime>,
    /// JPEG bytes of the preview and the thumbnail.
    pub preview: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// Pixels decoded from an original, possibly at a reduced scale, in the
/// stored (not yet oriented) orientation.
struct Decoded {
    rgb: Vec<u8>,
    /// The decoding memory held for `rgb` (and the decoder's own buffers).
    memory: Reservation<'static>,
    width: u32,
    height: u32,
    /// Full size, stored orientation.
    full_width: u32,
    full_height: u32,
    orientation: u8,
    captured_at: Option<NaiveDateTime>,
    icc: Option<Vec<u8>>,
}

/// What kind of image `bytes` holds, from its first bytes.
pub(crate) fn sniff(bytes: &[u8]) -> Option<PhotoFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(PhotoFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(PhotoFormat::Png);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(PhotoFormat::Webp);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        const HEIF: &[&[u8; 4]] = &[
            b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
        ];
        if HEIF.iter().any(|b| b.as_slice() == brand) {
            return Some(PhotoFormat::Heic);
        }
    }
    None
}

/// Decodes `bytes` and makes the preview and thumbnail. The error is the
/// reason in words, without the file's name.
pub fn render(bytes: &[u8]) -> Result<Rendered, String> {
    // A decoder bug must refuse one file, not take the app down.
    catch_unwind(AssertUnwindSafe(|| render_unguarded(bytes)))
        .unwrap_or_else(|_| Err("the image could not be decoded (the decoder failed)".to_owned()))
}

fn render_unguarded(bytes: &[u8]) -> Result<Rendered, String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_owned());
    }
    let format = sniff(bytes).ok_or_else(|| {
        "not a supported image: Pinpoint takes JPEG, PNG, WebP and HEIC/HEIF photos".to_owned()
    })?;
    let decoded = match format {
        PhotoFormat::Jpeg => decode_jpeg(bytes)?,
        PhotoFormat::Png | PhotoFormat::Webp => decode_raster(bytes, format)?,
        PhotoFormat::Heic => decode_heic(bytes)?,
    };
    let Decoded {
        rgb,
        memory,
        width,
        height,
        full_width,
        full_height,
        orientation,
        captured_at,
        icc,
    } = decoded;
    let (pw, ph) = fit(width, height, PREVIEW_LONG_SIDE);
    let mut preview = resize(&rgb, width, height, pw, ph)?;
    drop(rgb);
    drop(memory);
    if let Some(icc) = &icc {
        to_srgb(&mut preview, icc);
    }
    let (preview, pw, ph) = orient(&preview, pw, ph, orientation);
    let (tw, th) = fit(pw, ph, THUMB_LONG_SIDE);
    // The thumbnail is made and encoded on a second core while the preview
    // is encoded.
    let (thumb, preview) = std::thread::scope(|scope| {
        let thumb = scope.spawn(|| {
            let thumb = resize_with(&preview, (pw, ph), (tw, th), THUMB_FILTER)?;
            encode_jpeg(&thumb, tw, th)
        });
        let preview = encode_jpeg(&preview, pw, ph);
        let thumb = thumb
            .join()
            .unwrap_or_else(|_| Err("the thumbnail could not be made".to_owned()));
        (thumb, preview)
    });
    let (width, height) = if orientation >= 5 {
        (full_height, full_width)
    } else {
        (full_width, full_height)
    };
    Ok(Rendered {
        format,
        width,
        height,
        orientation,
        captured_at,
        preview: preview?,
        thumb: thumb?,
    })
}

/// Refuses dimensions that would need too much memory, before decoding.
fn check_size(width: u64, height: u64) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!(
            "the image claims a size of {width} × {height} pixels"
        ));
    }
    if width > u64::from(MAX_SIDE) || height > u64::from(MAX_SIDE) || width * height > MAX_PIXELS {
        return Err(format!(
            "the image claims {width} × {height} pixels, more than the limit \
             ({MAX_SIDE} pixels a side, {} megapixels); refused as a possible decompression bomb",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// The size that fits `width` × `height` into `long_side`, never enlarging.
fn fit(width: u32, height: u32, long_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_side {
        return (width, height);
    }
    let scale = f64::from(long_side) / f64::from(long);
    let w = ((f64::from(width) * scale).round() as u32).clamp(1, long_side);
    let h = ((f64::from(height) * scale).round() as u32).clamp(1, long_side);
    (w, h)
}

// ------------------------------------------------------------------ JPEG

fn decode_jpeg(bytes: &[u8]) -> Result<Decoded, String> {
    let parts = jpeg::scan(bytes)?;
    let mut decompressor =
        turbojpeg::Decompressor::new().map_err(|e| format!("the JPEG decoder failed: {e}"))?;
    let header = decompressor
        .read_header(bytes)
        .map_err(|e| format!("the JPEG header is damaged ({})", turbo_message(&e)))?;
    check_size(header.width as u64, header.height as u64)?;
    if matches!(
        header.colorspace,
        turbojpeg::Colorspace::CMYK | turbojpeg::Colorspace::YCCK
    ) {
        return Err("CMYK JPEGs are not supported; save the photo as an RGB JPEG".to_owned());
    }
    let (orientation, captured_at) = parts.exif.map(exif_facts).unwrap_or((1, None));
    // The largest reduction (n/8) that still leaves a full-size preview.
    let long = header.width.max(header.height);
    let target = PREVIEW_LONG_SIDE as usize;
    let eighths = if header.is_lossless || long <= target {
        8
    } else {
        (1..=8)
            .find(|n| (long * n).div_ceil(8) >= target)
            .unwrap_or(8)
    };
    let factor = turbojpeg::ScalingFactor::new(eighths, 8);
    if eighths != 8 {
        decompressor
            .set_scaling_factor(factor)
            .map_err(|e| format!("the JPEG decoder failed: {e}"))?;
    }
    let scaled = header.scaled(if eighths == 8 {
        turbojpeg::ScalingFactor::ONE
    } else {
        factor
    });
    let memory = DECODING.reserve((scaled.width * scaled.height * 3) as u64)?;
    let mut rgb = vec![0u8; scaled.width * scaled.height * 3];
    let image = turbojpeg::Image {
        pixels: rgb.as_mut_slice(),
        width: scaled.width,
        pitch: scaled.width * 3,
        height: scaled.height,
        format: turbojpeg::PixelFormat::RGB,
    };
    if let Err(e) = decompressor.decompress(bytes, image) {
        let message = turbo_message(&e);
        // Many cameras leave a few stray bytes between segments; every
        // viewer shows such photos, so this warning alone is accepted.
        if !message.contains("extraneous bytes before marker") {
            return Err(if message.contains("Premature end") {
                "the JPEG is truncated (the file ends before the image does)".to_owned()
            } else {
                format!("the JPEG data is damaged ({message})")
            });
        }
    }
    Ok(Decoded {
        rgb,
        memory,
        width: scaled.width as u32,
        height: scaled.height as u32,
        full_width: header.width as u32,
        full_height: header.height as u32,
        orientation,
        captured_at,
        icc: parts.icc,
    })
}

fn turbo_message(error: &turbojpeg::Error) -> String {
    match error {
        turbojpeg::Error::TurboJpegError(message) => message.trim().to_owned(),
        other => other.to_string(),
    }
}

fn encode_jpeg(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let fail = |e: turbojpeg::Error| format!("the JPEG encoder failed: {e}");
    let mut compressor = turbojpeg::Compressor::new().map_err(fail)?;
    compressor.set_quality(QUALITY).map_err(fail)?;
    compressor
        .set_subsamp(turbojpeg::Subsamp::Sub2x2)
        .map_err(fail)?;
    compressor
        .compress_to_vec(turbojpeg::Image {
            pixels: rgb,
            width: width as usize,
            pitch: width as usize * 3,
            height: height as usize,
            format: turbojpeg::PixelFormat::RGB,
        })
        .map_err(fail)
}

/// RGB pixels of a stored preview or thumbnail (a JPEG Pinpoint made),
/// with its width and height.
pub fn decode_derived(jpeg: &[u8]) -> Result<(Vec<u8>, u32, u32), String> {
    let mut decompressor =
        turbojpeg::Decompressor::new().map_err(|e| format!("the JPEG decoder failed: {e}"))?;
    let header = decompressor
        .read_header(jpeg)
        .map_err(|e| format!("the preview is damaged ({})", turbo_message(&e)))?;
    check_size(header.width as u64, header.height as u64)?;
    let mut rgb = vec![0u8; header.width * header.height * 3];
    let image = turbojpeg::Image {
        pixels: rgb.as_mut_slice(),
        width: header.width,
        pitch: header.width * 3,
        height: header.height,
        format: turbojpeg::PixelFormat::RGB,
    };
    decompressor
        .decompress(jpeg, image)
        .map_err(|e| format!("the preview is damaged ({})", turbo_message(&e)))?;
    Ok((rgb, header.width as u32, header.height as u32))
}

/// Encodes RGB pixels as a JPEG (quality 85, 4:2:0), for the demo photos and
/// tests.
pub fn encode_rgb_jpeg(rgb: &[u8], width: u32, height: u32) -> crate::Result<Vec<u8>> {
    encode_jpeg(rgb, width, height).map_err(crate::Error::invalid_input)
}

// ------------------------------------------------------------ PNG, WebP

fn decode_raster(bytes: &[u8], format: PhotoFormat) -> Result<Decoded, String> {
    use image::ImageDecoder;
    if format == PhotoFormat::Png {
        // The header's size, before the decoder sees the file.
        if bytes.len() < 24 || &bytes[12..16] != b"IHDR" {
            return Err("the PNG header is damaged".to_owned());
        }
        let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
        check_size(u64::from(width), u64::from(height))?;
    }
    check_chunks(bytes, format)?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 8);
    let damaged = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => format!(
            "the image is larger than the limit ({MAX_SIDE} pixels a side, {} megapixels); \
             refused as a possible decompression bomb",
            MAX_PIXELS / 1_000_000
        ),
        other => format!("the image data is damaged or incomplete ({other})"),
    };
    let mut decoder: Box<dyn ImageDecoder> = match format {
        PhotoFormat::Png => Box::new(
            image::codecs::png::PngDecoder::with_limits(Cursor::new(bytes), limits.clone())
                .map_err(damaged)?,
        ),
        _ => Box::new(image::codecs::webp::WebPDecoder::new(Cursor::new(bytes)).map_err(damaged)?),
    };
    let (width, height) = decoder.dimensions();
    check_size(u64::from(width), u64::from(height))?;
    decoder.set_limits(limits).map_err(damaged)?;
    // The decoder's own buffer, then the RGBA and RGB copies made from it.
    let pixels = u64::from(width) * u64::from(height);
    let memory = DECODING.reserve(decoder.total_bytes() + pixels * 7)?;
    let icc = decoder.icc_profile().ok().flatten();
    let exif = decoder.exif_metadata().ok().flatten();
    let (orientation, captured_at) = exif
        .as_deref()
        .map(|raw| exif_facts(raw.strip_prefix(b"Exif\0\0").unwrap_or(raw)))
        .unwrap_or((1, None));
    let image = image::DynamicImage::from_decoder(decoder).map_err(damaged)?;
    let rgb = if image.color().has_alpha() {
        // Transparent areas show on white, as on a page.
        let rgba = image.into_rgba8();
        let mut rgb = Vec::with_capacity(rgba.len() / 4 * 3);
        for px in rgba.as_raw().chunks_exact(4) {
            let a = u32::from(px[3]);
            for &c in &px[..3] {
                rgb.push(((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8);
            }
        }
        rgb
    } else {
        image.into_rgb8().into_raw()
    };
    Ok(Decoded {
        rgb,
        memory,
        width,
        height,
        full_width: width,
        full_height: height,
        orientation,
        captured_at,
        icc,
    })
}

/// Walks a PNG's or WebP's chunks before any decoder sees them: each must
/// fit in the file, and a PNG palette must hold whole colours. The
/// decoders trust these lengths: a WebP chunk claiming gigabytes in a tiny
/// file made `image-webp` allocate them all (out of memory, found by the
/// fuzzer), and a palette of two bytes panicked inside `png`.
fn check_chunks(bytes: &[u8], format: PhotoFormat) -> Result<(), String> {
    let png = format == PhotoFormat::Png;
    let name = if png { "PNG" } else { "WebP" };
    let word = |at: usize| -> [u8; 4] { bytes[at..at + 4].try_into().expect("4 bytes") };
    // A WebP's chunks lie inside its RIFF container; a PNG's run to IEND.
    let (mut pos, limit) = if png {
        (8, bytes.len() as u64)
    } else {
        let riff = u64::from(u32::from_le_bytes(word(4)));
        (12, (bytes.len() as u64).min(8 + riff))
    };
    while pos as u64 + 8 <= limit {
        let (kind, length) = if png {
            (word(pos + 4), u64::from(u32::from_be_bytes(word(pos))))
        } else {
            (word(pos), u64::from(u32::from_le_bytes(word(pos + 4))))
        };
        // A PNG chunk ends with its CRC; a RIFF chunk is padded to even
        // (the last one's padding is often left out).
        let end = pos as u64 + 8 + length + if png { 4 } else { length & 1 };
        let room = if png { limit } else { limit + (length & 1) };
        if end > room {
            return Err(format!(
                "the {name} file is damaged (a {} chunk claims {length} bytes, more than the file holds)",
                String::from_utf8_lossy(&kind)
            ));
        }
        if png && &kind == b"PLTE" && (length == 0 || length % 3 != 0 || length > 768) {
            return Err(format!(
                "the {name} file is damaged (its palette holds {length} bytes, not whole colours)"
            ));
        }
        if png && &kind == b"IEND" {
            break;
        }
        pos = end as usize;
    }
    Ok(())
}

// ------------------------------------------------------------------ HEIC

fn lib_heif() -> &'static libheif_rs::LibHeif {
    static LIB: OnceLock<libheif_rs::LibHeif> = OnceLock::new();
    LIB.get_or_init(libheif_rs::LibHeif::new)
}

fn decode_heic(bytes: &[u8]) -> Result<Decoded, String> {
    use libheif_rs::{ColorSpace, DecodingOptions, HeifContext, RgbChroma};
    let damaged = |e: libheif_rs::HeifError| format!("the HEIC image is damaged ({e})");
    let context = HeifContext::read_from_bytes(bytes).map_err(damaged)?;
    let handle = context.primary_image_handle().map_err(damaged)?;
    // The handle's size is the displayed size (libheif applies the file's
    // rotation and mirroring), known before decoding.
    check_size(u64::from(handle.width()), u64::from(handle.height()))?;
    let captured_at = heic_capture_time(&handle);
    let icc = handle.color_profile_raw().map(|p| p.data);
    // The decoded plane and its RGB copy.
    let memory = DECODING.reserve(u64::from(handle.width()) * u64::from(handle.height()) * 6)?;
    let mut options = DecodingOptions::new();
    if let Some(options) = options.as_mut() {
        options.set_convert_hdr_to_8bit(true);
        // HEVC decodes row by row in parallel when the stream allows it
        // (phones and x265 write such streams).
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        options.set_num_codec_threads(cores as u32);
    }
    let image = lib_heif()
        .decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), options)
        .map_err(damaged)?;
    let (rgb, width, height) = heic_rgb(&image)?;
    Ok(Decoded {
        rgb,
        memory,
        width,
        height,
        full_width: width,
        full_height: height,
        // Already applied by libheif, as the HEIF format requires.
        orientation: 1,
        captured_at,
        icc,
    })
}

/// The capture time in a HEIC image's Exif block, if any.
fn heic_capture_time(handle: &libheif_rs::ImageHandle) -> Option<NaiveDateTime> {
    let mut ids = [0; 4];
    let found = handle.metadata_block_ids(&mut ids, b"Exif");
    ids[..found.min(ids.len())]
        .iter()
        .find_map(|&id| handle.metadata(id).ok())
        .and_then(|block| {
            // A HEIF Exif block starts with the offset of the TIFF header.
            let offset = u32::from_be_bytes(block.get(..4)?.try_into().ok()?) as usize;
            let tiff = block.get(4 + offset..)?;
            exif_facts(tiff).1
        })
}

/// The RGB pixels of a decoded HEIC image, rows packed, with its size.
fn heic_rgb(image: &libheif_rs::Image) -> Result<(Vec<u8>, u32, u32), String> {
    let plane = image
        .planes()
        .interleaved
        .ok_or_else(|| "the HEIC image has no colour plane".to_owned())?;
    let (width, height) = (plane.width, plane.height);
    check_size(u64::from(width), u64::from(height))?;
    let row = width as usize * 3;
    let mut rgb = Vec::with_capacity(row * height as usize);
    for y in 0..height as usize {
        let start = y * plane.stride;
        rgb.extend_from_slice(
            plane
                .data
                .get(start..start + row)
                .ok_or_else(|| "the HEIC image is damaged (short plane)".to_owned())?,
        );
    }
    Ok((rgb, width, height))
}

// --------------------------------------------------------- import, quickly

/// What an import makes of an original at once: what it is, its thumbnail,
/// and its preview unless that is left for later.
#[derive(Debug)]
pub(crate) struct ForImport {
    pub format: PhotoFormat,
    pub width: u32,
    pub height: u32,
    pub orientation: u8,
    pub captured_at: Option<NaiveDateTime>,
    pub thumb: Vec<u8>,
    /// `None` when the preview is left to be made from the original when
    /// first asked for (`files::file`).
    pub preview: Option<Vec<u8>>,
}

/// What import makes of `bytes`. A HEIC photo carrying a thumbnail of its
/// own (phones write one) gets its thumbnail from it and its preview later:
/// decoding a 12 MP HEVC image takes several times a JPEG's reduced decode,
/// and the import need not wait for it. The file must still be whole (every
/// box within it) and its thumbnail must decode; anything else takes the
/// full path and its refusals.
pub(crate) fn render_for_import(bytes: &[u8]) -> Result<ForImport, String> {
    if sniff(bytes) == Some(PhotoFormat::Heic) {
        let quick =
            catch_unwind(AssertUnwindSafe(|| heic_from_thumbnail(bytes))).unwrap_or(Ok(None))?;
        if let Some(quick) = quick {
            return Ok(quick);
        }
    }
    let r = render(bytes)?;
    Ok(ForImport {
        format: r.format,
        width: r.width,
        height: r.height,
        orientation: r.orientation,
        captured_at: r.captured_at,
        thumb: r.thumb,
        preview: Some(r.preview),
    })
}

/// A HEIC photo's facts and thumbnail from its own thumbnail, when it has
/// one big enough and of the same shape; `None` otherwise.
fn heic_from_thumbnail(bytes: &[u8]) -> Result<Option<ForImport>, String> {
    use libheif_rs::{ColorSpace, HeifContext, RgbChroma};
    whole_boxes(bytes)?;
    let damaged = |e: libheif_rs::HeifError| format!("the HEIC image is damaged ({e})");
    let context = HeifContext::read_from_bytes(bytes).map_err(damaged)?;
    let handle = context.primary_image_handle().map_err(damaged)?;
    let (width, height) = (handle.width(), handle.height());
    check_size(u64::from(width), u64::from(height))?;
    let mut ids = [0; 2];
    let found = handle.thumbnail_ids(&mut ids);
    let Some(small) = ids[..found.min(ids.len())]
        .iter()
        .find_map(|&id| handle.thumbnail(id).ok())
    else {
        return Ok(None);
    };
    let (sw, sh) = (small.width(), small.height());
    let shape = |w: u32, h: u32| f64::from(w) / f64::from(h.max(1));
    let big_enough = sw.max(sh) >= THUMB_LONG_SIDE * 4 / 5 && sw.max(sh) <= 4 * THUMB_LONG_SIDE;
    if !big_enough || (shape(sw, sh) / shape(width, height) - 1.0).abs() > 0.02 {
        return Ok(None);
    }
    let image = lib_heif()
        .decode(&small, ColorSpace::Rgb(RgbChroma::Rgb), None)
        .map_err(damaged)?;
    let (rgb, sw, sh) = heic_rgb(&image)?;
    let (tw, th) = fit(sw, sh, THUMB_LONG_SIDE);
    let mut thumb = resize(&rgb, sw, sh, tw, th)?;
    if let Some(icc) = handle.color_profile_raw() {
        to_srgb(&mut thumb, &icc.data);
    }
    Ok(Some(ForImport {
        format: PhotoFormat::Heic,
        width,
        height,
        // Already applied by libheif, as the HEIF format requires.
        orientation: 1,
        captured_at: heic_capture_time(&handle),
        thumb: encode_jpeg(&thumb, tw, th)?,
        preview: None,
    }))
}

/// Refuses a file cut short: every top-level box (ISO BMFF) must end
/// within it, the last one at its end.
fn whole_boxes(bytes: &[u8]) -> Result<(), String> {
    let cut = |what: String| format!("the HEIC file is damaged ({what})");
    let mut at = 0usize;
    while at < bytes.len() {
        let head = bytes
            .get(at..at + 8)
            .ok_or_else(|| cut(format!("a box header at byte {at} is cut short")))?;
        let size = u32::from_be_bytes(head[..4].try_into().expect("4 bytes")) as u64;
        let size = match size {
            0 => (bytes.len() - at) as u64,
            1 => {
                let large = bytes
                    .get(at + 8..at + 16)
                    .ok_or_else(|| cut(format!("a box header at byte {at} is cut short")))?;
                u64::from_be_bytes(large.try_into().expect("8 bytes"))
            }
            n => n,
        };
        if size < 8 || size > (bytes.len() - at) as u64 {
            return Err(cut(format!(
                "a box at byte {at} claims {size} bytes, and the file has {} from there",
                bytes.len() - at
            )));
        }
        at += size as usize;
    }
    Ok(())
}

// ------------------------------------------------------------ metadata

/// What an original's metadata says, read without decoding its pixels.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// EXIF orientation, 1–8 (1 when absent or invalid).
    pub orientation: u8,
    /// EXIF DateTimeOriginal.
    pub captured_at: Option<NaiveDateTime>,
    /// The embedded ICC profile's size in bytes, if any.
    pub icc_bytes: usize,
    /// Whether the profile is one Pinpoint converts from (an RGB profile
    /// other than sRGB).
    pub icc_converted: bool,
}

/// Walks a JPEG's segments for its EXIF and ICC data, reads them as import
/// does and applies the profile to a few pixels: the path outside bytes take
/// before any pixel is decoded (the fuzz target `metadata` drives it).
pub fn metadata(bytes: &[u8]) -> Result<Metadata, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let parts = jpeg::scan(bytes)?;
        let (orientation, captured_at) = parts.exif.map(exif_facts).unwrap_or((1, None));
        let mut metadata = Metadata {
            orientation,
            captured_at,
            ..Metadata::default()
        };
        if let Some(icc) = &parts.icc {
            metadata.icc_bytes = icc.len();
            let mut pixels: Vec<u8> = (0..=255u8).flat_map(|v| [v, 255 - v, v / 2]).collect();
            let before = pixels.clone();
            to_srgb(&mut pixels, icc);
            metadata.icc_converted = pixels != before;
        }
        Ok(metadata)
    }))
    .unwrap_or_else(|_| {
        Err("the image's metadata could not be read (the reader failed)".to_owned())
    })
}

/// The orientation (1–8, 1 when absent or invalid) and DateTimeOriginal
/// from raw EXIF (a TIFF structure).
pub(crate) fn exif_facts(tiff: &[u8]) -> (u8, Option<NaiveDateTime>) {
    let reader = exif::Reader::new();
    let parsed = match reader.read_raw(tiff.to_vec()) {
        Ok(exif) => exif,
        Err(exif::Error::PartialResult(partial)) => partial.into_inner().0,
        Err(_) => return (1, None),
    };
    let orientation = parsed
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .map_or(1, |o| o as u8);
    let captured_at = parsed
        .get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY)
        .and_then(|f| match &f.value {
            exif::Value::Ascii(parts) => parts.first(),
            _ => None,
        })
        .and_then(|ascii| exif::DateTime::from_ascii(ascii).ok())
        .and_then(|t| {
            NaiveDate::from_ymd_opt(i32::from(t.year), u32::from(t.month), u32::from(t.day))?
                .and_hms_opt(u32::from(t.hour), u32::from(t.minute), u32::from(t.second))
        });
    (orientation, captured_at)
}

// ------------------------------------------------------------- pixels

fn resize(rgb: &[u8], width: u32, height: u32, to_w: u32, to_h: u32) -> Result<Vec<u8>, String> {
    resize_with(
        rgb,
        (width, height),
        (to_w, to_h),
        fir::FilterType::Lanczos3,
    )
}

/// The thumbnail is made from the preview, about five times smaller: a
/// box filter (each pixel the mean of the area it covers) is sharp enough
/// at that ratio and a fraction of Lanczos's cost, whose kernel grows with
/// the ratio.
const THUMB_FILTER: fir::FilterType = fir::FilterType::Box;

fn resize_with(
    rgb: &[u8],
    (width, height): (u32, u32),
    (to_w, to_h): (u32, u32),
    filter: fir::FilterType,
) -> Result<Vec<u8>, String> {
    if (width, height) == (to_w, to_h) {
        return Ok(rgb.to_vec());
    }
    let fail = |e: &dyn std::fmt::Display| format!("resizing failed: {e}");
    let source = fir::images::ImageRef::new(width, height, rgb, fir::PixelType::U8x3)
        .map_err(|e| fail(&e))?;
    let mut target = fir::images::Image::new(to_w, to_h, fir::PixelType::U8x3);
    let options = fir::ResizeOptions::new().resize_alg(fir::ResizeAlg::Convolution(filter));
    fir::Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|e| fail(&e))?;
    Ok(target.into_vec())
}

/// Converts RGB pixels from the embedded profile `icc` to sRGB, so colours
/// look as in a standard viewer. A profile that cannot be used is ignored
/// (the pixels are then taken as sRGB, as viewers do).
fn to_srgb(rgb: &mut Vec<u8>, icc: &[u8]) {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if profile.color_space != DataColorSpace::Rgb || is_srgb(&profile) {
        return;
    }
    let Ok(transform) = profile.create_transform_8bit(
        Layout::Rgb,
        &ColorProfile::new_srgb(),
        Layout::Rgb,
        TransformOptions::default(),
    ) else {
        return;
    };
    let mut out = vec![0u8; rgb.len()];
    if transform.transform(rgb, &mut out).is_ok() {
        *rgb = out;
    }
}

/// Whether a profile has sRGB's primaries (then converting would change
/// nothing a person could see, and is skipped).
fn is_srgb(profile: &moxcms::ColorProfile) -> bool {
    let srgb = moxcms::ColorProfile::new_srgb();
    let close = |a: moxcms::Xyzd, b: moxcms::Xyzd| {
        (a.x - b.x).abs() < 0.003 && (a.y - b.y).abs() < 0.003 && (a.z - b.z).abs() < 0.003
    };
    close(profile.red_colorant, srgb.red_colorant)
        && close(profile.green_colorant, srgb.green_colorant)
        && close(profile.blue_colorant, srgb.blue_colorant)
}

/// Turns stored pixels upright for EXIF orientation `o` (1–8); returns the
/// pixels and the new width and height.
pub(crate) fn orient(rgb: &[u8], width: u32, height: u32, o: u8) -> (Vec<u8>, u32, u32) {
    if o <= 1 || o > 8 {
        return (rgb.to_vec(), width, height);
    }
    let (w, h) = (width as usize, height as usize);
    let (out_w, out_h) = if o >= 5 { (h, w) } else { (w, h) };
    let mut out = vec![0u8; rgb.len()];
    for y in 0..out_h {
        for x in 0..out_w {
            // The stored pixel shown at (x, y).
            let (sx, sy) = match o {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x),
            };
            let from = (sy * w + sx) * 3;
            let to = (y * out_w + x) * 3;
            out[to..to + 3].copy_from_slice(&rgb[from..from + 3]);
        }
    }
    (out, out_w as u32, out_h as u32)
}

#[cfg(test)]
mod tests {
    use super::orient;

    /// The EXIF definition, pixel by pixel: the stored pixel shown at (x, y).
    fn shown(rgb: &[u8], w: usize, h: usize, o: u8) -> Vec<u8> {
        let (out_w, out_h) = if o >= 5 { (h, w) } else { (w, h) };
        let mut out = Vec::with_capacity(rgb.len());
        for y in 0..out_h {
            for x in 0..out_w {
                let (sx, sy) = match o {
                    1 => (x, y),
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                out.extend_from_slice(&rgb[(sy * w + sx) * 3..][..3]);
            }
        }
        out
    }

    #[test]
    fn every_orientation_shows_each_pixel_where_exif_says() {
        // Sizes that are and are not whole tiles, wide and tall.
        for (w, h) in [(1, 1), (3, 2), (70, 33), (33, 70), (64, 64)] {
            let rgb: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
            for o in 1..=8u8 {
                let (out, ow, oh) = orient(&rgb, w as u32, h as u32, o);
                let expected = if o >= 5 { (h, w) } else { (w, h) };
                assert_eq!((ow as usize, oh as usize), expected, "{w}×{h} o={o}");
                assert_eq!(out, shown(&rgb, w, h, o), "{w}×{h} o={o}");
            }
        }
    }
}
