//! From an original's bytes to its upright sRGB preview and thumbnail
//! (docs/measured.md): the header is checked against the size limits before any
//! pixel is decoded; JPEG is decoded by libjpeg-turbo at the largest DCT
//! scale that still gives a full preview, PNG and WebP by `image`, HEIC by
//! libheif; then a SIMD resize, ICC conversion to sRGB, the EXIF
//! orientation, and libjpeg-turbo encoding.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime};
use fast_image_resize as fir;

use super::budget::{Reservation, DECODING};
use super::jpeg;
use super::turbo;
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
    let _rendering = Rendering::start();
    // A decoder bug must refuse one file, not take the app down.
    catch_unwind(AssertUnwindSafe(|| render_unguarded(bytes)))
        .unwrap_or_else(|_| Err("the image could not be decoded (the decoder failed)".to_owned()))
}

/// The renders under way in this process.
static RENDERING: AtomicUsize = AtomicUsize::new(0);

/// Counts one render while it lives.
struct Rendering;

impl Rendering {
    fn start() -> Rendering {
        RENDERING.fetch_add(1, Ordering::SeqCst);
        Rendering
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        RENDERING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Whether this render may spread its work over two cores: when no other
/// render needs them (one photo imported, the last of a batch). A batch
/// keeps every core busy with a photo each, which costs less CPU in all.
fn two_cores_spare() -> bool {
    static CORES: OnceLock<usize> = OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    RENDERING.load(Ordering::SeqCst) * 2 <= cores
}

fn render_unguarded(bytes: &[u8]) -> Result<Rendered, String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_owned());
    }
    let format = sniff(bytes).ok_or_else(|| {
        "not a supported image: Pinpoint takes JPEG, PNG, WebP and HEIC/HEIF photos".to_owned()
    })?;
    // Decided once: a render that starts alone uses two cores throughout.
    let spread = two_cores_spare();
    let decoded = match format {
        PhotoFormat::Jpeg => decode_jpeg(bytes, spread)?,
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
    let mut preview = if spread {
        resize_on_two_cores(&rgb, (width, height), (pw, ph))?
    } else {
        resize(&rgb, width, height, pw, ph)?
    };
    drop(rgb);
    drop(memory);
    if let Some(icc) = &icc {
        to_srgb(&mut preview, icc);
    }
    let (preview, pw, ph) = orient_with(&preview, pw, ph, orientation, spread);
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

/// Decodes a JPEG, in two bands at once when `two_cores` and it can be.
fn decode_jpeg(bytes: &[u8], two_cores: bool) -> Result<Decoded, String> {
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
    // The largest reduction (n/8) that still leaves a full-size preview,
    // but never ¾ or ⅞: libjpeg-turbo's plain-C inverse DCT for those makes
    // the smaller picture more slowly than a whole decode and a resize do
    // (docs/measured.md).
    let long = header.width.max(header.height);
    let target = PREVIEW_LONG_SIDE as usize;
    let eighths = if header.is_lossless || long <= target {
        8
    } else {
        [1, 2, 3, 4, 5]
            .into_iter()
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
    // A sequential JPEG's rows can be decoded in two bands at once: the
    // lower band's decoder reads past the upper rows' data without making
    // their pixels, so it gets fewer rows. (A progressive JPEG's data is
    // all read before any row is made: nothing to share.)
    let split = (!header.is_progressive
        && !header.is_lossless
        && scaled.width * scaled.height >= SPLIT_MIN_PIXELS
        && two_cores)
        .then(|| upper_rows(bytes.len(), &header, eighths, scaled.height));
    let outcome = match split {
        Some(upper) => decode_in_two_bands(
            bytes,
            eighths,
            upper,
            (scaled.width, scaled.height),
            &mut rgb,
        ),
        None => decompressor
            .decompress(bytes, rgb_image(&mut rgb, scaled.width, scaled.height))
            .map_err(|e| turbo_message(&e)),
    };
    if let Err(message) = outcome {
        // Many cameras leave a few stray bytes before the end marker; every
        // viewer shows such photos, so this warning alone is accepted. (Stray
        // bytes before the image data were refused by the header read above.
        // libjpeg tells only its first warning, so damage after stray bytes
        // between a progressive JPEG's scans would go unseen.)
        if !message.contains(STRAY_BYTES) {
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

/// `pixels` as the RGB rows, `width` × `height`, a decoder writes into.
fn rgb_image(pixels: &mut [u8], width: usize, height: usize) -> turbojpeg::Image<&mut [u8]> {
    turbojpeg::Image {
        pixels,
        width,
        pitch: width * 3,
        height,
        format: turbojpeg::PixelFormat::RGB,
    }
}

fn turbo_message(error: &turbojpeg::Error) -> String {
    match error {
        turbojpeg::Error::TurboJpegError(message) => message.trim().to_owned(),
        other => other.to_string(),
    }
}

/// Decodes `jpeg` scaled by `eighths`/8 into `rgb` (`width` × `rows`), the
/// first `upper` rows on this thread and the rest on another.
fn decode_in_two_bands(
    jpeg: &[u8],
    eighths: usize,
    upper: usize,
    (width, rows): (usize, usize),
    rgb: &mut [u8],
) -> Result<(), String> {
    let (top, bottom) = rgb.split_at_mut(upper * width * 3);
    std::thread::scope(|scope| {
        let lower =
            scope.spawn(move || turbo::decode_rows(jpeg, eighths, upper..rows, width, bottom));
        let upper = turbo::decode_rows(jpeg, eighths, 0..upper, width, top);
        let lower = lower
            .join()
            .unwrap_or_else(|_| Err("the decoder failed".to_owned()));
        // libjpeg tells its first warning, and the lower band reads all the
        // data the upper one does: the upper band's warning, if any, is the
        // lower one's too.
        upper.and(lower)
    })
}

/// libjpeg's warning for stray bytes between segments.
const STRAY_BYTES: &str = "extraneous bytes before marker";

/// Below this many decoded pixels a JPEG is decoded on one core: the second
/// decoder's start costs more than it saves.
const SPLIT_MIN_PIXELS: usize = 1_000_000;

/// How many of the `rows` decoded rows the upper band takes, so that both
/// bands take about as long. The lower band's decoder still reads the
/// upper rows' data (entropy decoding, about in proportion to the file's
/// bytes) but skips making their pixels (the inverse DCT, colour and
/// upsampling, in proportion to the pixels, and dearer per pixel at the
/// reductions libjpeg-turbo has no SIMD code for). With `r` the reading's
/// share over the making's, the bands finish together when the upper one
/// has (1 + r) / (1 + 2r) of the rows. The weights come from timing
/// libjpeg-turbo on the benchmark's photos (bench/RESULTS.md §1).
fn upper_rows(
    file_bytes: usize,
    header: &turbojpeg::DecompressHeader,
    eighths: usize,
    rows: usize,
) -> usize {
    let pixels = (header.width * header.height).max(1) as f64;
    let bits_per_pixel = file_bytes as f64 * 8.0 / pixels;
    // Timed: from ⅛ to ⅝ the reading weighs about 0.8 × the bits per pixel
    // against the making; at full size, where a pixel costs more to make,
    // about 0.35 ×.
    let weight = if eighths <= 5 { 0.8 } else { 0.35 };
    let r = bits_per_pixel * weight;
    let share = ((1.0 + r) / (1.0 + 2.0 * r)).clamp(0.5, 0.85);
    ((rows as f64 * share).round() as usize).clamp(1, rows - 1)
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
    decompressor
        .decompress(jpeg, rgb_image(&mut rgb, header.width, header.height))
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

/// The preview is resized from the decoded original with Lanczos3.
const PREVIEW_FILTER: fir::FilterType = fir::FilterType::Lanczos3;

fn resize(rgb: &[u8], width: u32, height: u32, to_w: u32, to_h: u32) -> Result<Vec<u8>, String> {
    resize_with(rgb, (width, height), (to_w, to_h), PREVIEW_FILTER)
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

/// [`resize`] with the upper and lower halves of the result made at once,
/// each from the source rows under it (the same pixels as one pass).
fn resize_on_two_cores(
    rgb: &[u8],
    (width, height): (u32, u32),
    (to_w, to_h): (u32, u32),
) -> Result<Vec<u8>, String> {
    if (width, height) == (to_w, to_h) || to_h < 2 {
        return resize(rgb, width, height, to_w, to_h);
    }
    let fail = |e: &dyn std::fmt::Display| format!("resizing failed: {e}");
    let source = fir::images::ImageRef::new(width, height, rgb, fir::PixelType::U8x3)
        .map_err(|e| fail(&e))?;
    let mut out = vec![0u8; to_w as usize * to_h as usize * 3];
    let upper_rows = to_h / 2;
    // Where the upper half's rows end in the source, in source rows.
    let seam = f64::from(upper_rows) * f64::from(height) / f64::from(to_h);
    let (top, bottom) = out.split_at_mut(upper_rows as usize * to_w as usize * 3);
    let part = |target: &mut [u8], rows: u32, from: f64, span: f64| {
        let mut target =
            fir::images::Image::from_slice_u8(to_w, rows, target, fir::PixelType::U8x3)
                .map_err(|e| fail(&e))?;
        let options = fir::ResizeOptions::new()
            .resize_alg(fir::ResizeAlg::Convolution(PREVIEW_FILTER))
            .crop(0.0, from, f64::from(width), span);
        fir::Resizer::new()
            .resize(&source, &mut target, &options)
            .map_err(|e| fail(&e))
    };
    std::thread::scope(|scope| {
        let lower = scope.spawn(|| part(bottom, to_h - upper_rows, seam, f64::from(height) - seam));
        let upper = part(top, upper_rows, 0.0, seam);
        let lower = lower
            .join()
            .unwrap_or_else(|_| Err("resizing failed".to_owned()));
        upper.and(lower)
    })?;
    Ok(out)
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
    orient_with(rgb, width, height, o, false)
}

/// [`orient`], the upper and lower halves at once when `two_cores`.
fn orient_with(rgb: &[u8], width: u32, height: u32, o: u8, two_cores: bool) -> (Vec<u8>, u32, u32) {
    if o <= 1 || o > 8 {
        return (rgb.to_vec(), width, height);
    }
    let (w, h) = (width as usize, height as usize);
    let (out_w, out_h) = if o >= 5 { (h, w) } else { (w, h) };
    let mut out = vec![0u8; rgb.len()];
    if two_cores && out_h >= 2 {
        let (top, bottom) = out.split_at_mut(out_h / 2 * out_w * 3);
        std::thread::scope(|scope| {
            scope.spawn(|| orient_rows(rgb, (w, h), o, out_h / 2..out_h, bottom));
            orient_rows(rgb, (w, h), o, 0..out_h / 2, top);
        });
    } else {
        orient_rows(rgb, (w, h), o, 0..out_h, &mut out);
    }
    (out, out_w as u32, out_h as u32)
}

/// Fills `out` with the rows `rows` of the upright picture (orientation
/// `o`, 2–8) of the stored `w` × `h` pixels `rgb`.
fn orient_rows(
    rgb: &[u8],
    (w, h): (usize, usize),
    o: u8,
    rows: std::ops::Range<usize>,
    out: &mut [u8],
) {
    let out_w = if o >= 5 { h } else { w };
    // The stored pixel shown at (x, y) is `first + x * across + y * down`
    // (in pixels): one line of the EXIF table each.
    let (wi, hi) = (w as isize, h as isize);
    let (first, across, down) = match o {
        2 => (wi - 1, -1, wi),
        3 => ((hi - 1) * wi + wi - 1, -1, -wi),
        4 => ((hi - 1) * wi, 1, -wi),
        5 => (0, wi, 1),
        6 => ((hi - 1) * wi, -wi, 1),
        7 => ((hi - 1) * wi + wi - 1, -wi, -1),
        _ => (wi - 1, wi, -1),
    };
    // A turn reads the source down its columns: in tiles of 32 × 32 pixels
    // the lines it reads stay in the cache.
    const TILE: usize = 32;
    let tile = if o >= 5 { TILE } else { out_w.max(1) };
    for y0 in rows.clone().step_by(TILE) {
        for x0 in (0..out_w).step_by(tile) {
            let x1 = (x0 + tile).min(out_w);
            for y in y0..(y0 + TILE).min(rows.end) {
                let at = (y - rows.start) * out_w;
                let row = &mut out[(at + x0) * 3..(at + x1) * 3];
                let mut from = first + x0 as isize * across + y as isize * down;
                for pixel in row.chunks_exact_mut(3) {
                    let at = from as usize * 3;
                    pixel.copy_from_slice(&rgb[at..at + 3]);
                    from += across;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{
        decode_in_two_bands, orient, orient_with, resize, resize_on_two_cores, turbo, STRAY_BYTES,
    };

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
                let two = orient_with(&rgb, w as u32, h as u32, o, true);
                assert_eq!(two, (out, ow, oh), "{w}×{h} o={o} on two cores");
            }
        }
    }

    /// A photo-like picture: smooth shading, edges and fine noise.
    fn textured(w: usize, h: usize) -> Vec<u8> {
        let mut state = 0x2545_f491_u32;
        let mut rgb = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let noise = (state % 23) as usize;
                let edge = if (x / 37 + y / 53) % 2 == 0 { 60 } else { 0 };
                rgb.push(((x * 255 / w + noise + edge) % 256) as u8);
                rgb.push(((y * 255 / h + noise) % 256) as u8);
                rgb.push((((x + y) * 97 / (w + h) + edge + 2 * noise) % 256) as u8);
            }
        }
        rgb
    }

    #[test]
    fn a_jpeg_decoded_in_two_bands_has_the_same_pixels_as_in_one() {
        use turbojpeg::{Compressor, Decompressor, Image, PixelFormat, ScalingFactor, Subsamp};
        let (w, h) = (1203, 917);
        let rgb = textured(w, h);
        for subsamp in [Subsamp::Sub2x2, Subsamp::Sub2x1, Subsamp::None] {
            let mut compressor = Compressor::new().unwrap();
            compressor.set_quality(90).unwrap();
            compressor.set_subsamp(subsamp).unwrap();
            let jpeg = compressor
                .compress_to_vec(Image {
                    pixels: rgb.as_slice(),
                    width: w,
                    pitch: w * 3,
                    height: h,
                    format: PixelFormat::RGB,
                })
                .unwrap();
            for eighths in [8, 7, 6, 5, 4, 3, 2] {
                let mut whole_decoder = Decompressor::new().unwrap();
                let factor = ScalingFactor::new(eighths, 8);
                if eighths != 8 {
                    whole_decoder.set_scaling_factor(factor).unwrap();
                }
                let (sw, sh) = (factor.scale(w), factor.scale(h));
                let mut whole = vec![0u8; sw * sh * 3];
                whole_decoder
                    .decompress(
                        &jpeg,
                        Image {
                            pixels: whole.as_mut_slice(),
                            width: sw,
                            pitch: sw * 3,
                            height: sh,
                            format: PixelFormat::RGB,
                        },
                    )
                    .unwrap();
                // Seams on and off the decoder's row groups, at both ends.
                for upper in [1, 15, 16, sh / 3, sh / 2 + 1, sh - 1] {
                    let mut bands = vec![0u8; sw * sh * 3];
                    let (top, bottom) = bands.split_at_mut(upper * sw * 3);
                    turbo::decode_rows(&jpeg, eighths, 0..upper, sw, top).unwrap();
                    turbo::decode_rows(&jpeg, eighths, upper..sh, sw, bottom).unwrap();
                    assert!(
                        bands == whole,
                        "{subsamp:?} at {eighths}/8, seam after row {upper} of {sh}"
                    );
                }
            }
            // A buffer or width that does not fit the rows is refused
            // before anything is written.
            let mut short = vec![0u8; w * 3 * 9];
            assert!(turbo::decode_rows(&jpeg, 8, 0..10, w, &mut short).is_err());
            let mut narrow = vec![0u8; (w - 1) * 3 * 10];
            assert!(turbo::decode_rows(&jpeg, 8, 0..10, w - 1, &mut narrow).is_err());
            let mut beyond = vec![0u8; w * 3 * 10];
            assert!(turbo::decode_rows(&jpeg, 8, h - 5..h + 5, w, &mut beyond).is_err());
            assert!(turbo::decode_rows(&jpeg, 0, 0..10, w, &mut beyond).is_err());
        }
    }

    fn jpeg_of(rgb: &[u8], w: usize, h: usize) -> Vec<u8> {
        let mut compressor = turbojpeg::Compressor::new().unwrap();
        compressor.set_quality(90).unwrap();
        compressor
            .compress_to_vec(turbojpeg::Image {
                pixels: rgb,
                width: w,
                pitch: w * 3,
                height: h,
                format: turbojpeg::PixelFormat::RGB,
            })
            .unwrap()
    }

    #[test]
    fn damage_in_the_lower_band_is_found() {
        let (w, h) = (1203, 917);
        let jpeg = jpeg_of(&textured(w, h), w, h);
        let mut rgb = vec![0u8; w * h * 3];
        let decode = |jpeg: &[u8], rgb: &mut [u8]| decode_in_two_bands(jpeg, 8, h / 2, (w, h), rgb);
        decode(&jpeg, &mut rgb).unwrap();
        // Stray bytes after the start marker: the warning the caller
        // accepts.
        let stray = [&jpeg[..2], &[0x12, 0x34], &jpeg[2..]].concat();
        let warning = decode(&stray, &mut rgb).unwrap_err();
        assert!(warning.contains(STRAY_BYTES), "{warning}");
        // A marker inside the lower rows' data: the upper band never reads
        // that far; the lower band's error is the outcome.
        let mut at = jpeg.len() * 4 / 5;
        while jpeg[at - 1] == 0xFF {
            at += 1;
        }
        let broken = [&jpeg[..at], &[0xFF, 0xD3], &jpeg[at..]].concat();
        let error = decode(&broken, &mut rgb).unwrap_err();
        assert!(error.contains("Corrupt JPEG data"), "{error}");
        assert!(!error.contains(STRAY_BYTES), "{error}");
    }

    #[test]
    fn a_preview_resized_on_two_cores_matches_one_pass() {
        for ((w, h), (to_w, to_h)) in [
            ((2000, 1500), (1600, 1200)),
            ((1203, 917), (1600, 1220)),
            ((3001, 1999), (1600, 1066)),
            ((7, 300), (3, 129)),
        ] {
            let rgb = textured(w as usize, h as usize);
            let one = resize(&rgb, w, h, to_w, to_h).unwrap();
            let two = resize_on_two_cores(&rgb, (w, h), (to_w, to_h)).unwrap();
            assert_eq!(one.len(), two.len());
            let differing = one.iter().zip(&two).filter(|(a, b)| a != b).count();
            assert!(
                differing == 0,
                "{w}×{h} → {to_w}×{to_h}: {differing} bytes differ"
            );
        }
    }
}
