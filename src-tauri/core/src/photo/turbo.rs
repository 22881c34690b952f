//! Decoding a band of a JPEG's rows with libjpeg-turbo's cropping region,
//! which the `turbojpeg` crate does not wrap: the only unsafe code in the
//! project, kept to the calls into TurboJPEG 3 that `render` needs to decode
//! one photo on two cores (the upper rows on one, the lower rows on the
//! other, which skips the upper ones without making their pixels).

#![allow(unsafe_code)]

use std::ffi::CStr;
use std::ops::Range;

use turbojpeg::{libc, raw};

/// One TurboJPEG decompressor, destroyed when dropped.
struct Handle(raw::tjhandle);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle came from tj3Init, is not null, and is
        // destroyed once, here.
        unsafe { raw::tj3Destroy(self.0) }
    }
}

impl Handle {
    fn new() -> Result<Handle, String> {
        // SAFETY: tj3Init takes no pointer; a null result is checked.
        let handle = unsafe { raw::tj3Init(raw::TJINIT_TJINIT_DECOMPRESS as libc::c_int) };
        if handle.is_null() {
            return Err("the JPEG decoder could not start".to_owned());
        }
        Ok(Handle(handle))
    }

    /// Turns a failed call's result into TurboJPEG's message.
    fn check(&self, result: libc::c_int) -> Result<(), String> {
        if result == 0 {
            return Ok(());
        }
        // SAFETY: the handle is live; TurboJPEG returns a pointer to a
        // NUL-terminated message it owns, read before any further call.
        let message = unsafe { CStr::from_ptr(raw::tj3GetErrorStr(self.0)) };
        Err(message.to_string_lossy().trim().to_owned())
    }
}

/// Decodes the rows `rows` of `jpeg`, scaled by `eighths`/8 (1–8), as RGB
/// into `out`, which holds exactly those rows of `width` pixels (the
/// scaled width). The error is TurboJPEG's message;
/// a warning (the rows are then decoded) is an error too, as from the
/// `turbojpeg` crate, for the caller to weigh.
pub(super) fn decode_rows(
    jpeg: &[u8],
    eighths: usize,
    rows: Range<usize>,
    width: usize,
    out: &mut [u8],
) -> Result<(), String> {
    let too_big = |_| "the JPEG is too large to decode".to_owned();
    let pitch = width
        .checked_mul(3)
        .ok_or("the JPEG is too large to decode")?;
    if rows.is_empty() || out.len() != pitch * rows.len() {
        return Err("the rows to decode do not match the buffer".to_owned());
    }
    if !(1..=8).contains(&eighths) {
        return Err("the JPEG scale is not one libjpeg-turbo has".to_owned());
    }
    // In lowest terms, as TurboJPEG lists its factors (8/8 is 1/1).
    let common = [8, 4, 2, 1]
        .into_iter()
        .find(|d| eighths.is_multiple_of(*d))
        .unwrap_or(1);
    let (num, denom) = (eighths / common, 8 / common);
    let region = raw::tjregion {
        x: 0,
        y: libc::c_int::try_from(rows.start).map_err(too_big)?,
        w: 0,
        h: libc::c_int::try_from(rows.len()).map_err(too_big)?,
    };
    let factor = raw::tjscalingfactor {
        num: libc::c_int::try_from(num).map_err(too_big)?,
        denom: libc::c_int::try_from(denom).map_err(too_big)?,
    };
    let pitch_c = libc::c_int::try_from(pitch).map_err(too_big)?;
    let handle = Handle::new()?;
    // SAFETY: `jpeg` is a live slice whose pointer and length are passed
    // together; TurboJPEG only reads it.
    handle.check(unsafe {
        raw::tj3DecompressHeader(handle.0, jpeg.as_ptr(), jpeg.len() as raw::size_t)
    })?;
    // SAFETY: a plain value out of a live handle.
    let jpeg_width =
        unsafe { raw::tj3Get(handle.0, raw::TJPARAM_TJPARAM_JPEGWIDTH as libc::c_int) };
    // TurboJPEG writes rows of the scaled width: `out` must be cut for it.
    let scaled = usize::try_from(jpeg_width)
        .ok()
        .map(|w| (w * num).div_ceil(denom));
    if scaled != Some(width) {
        return Err("the rows to decode do not match the buffer".to_owned());
    }
    // SAFETY: plain values into a live handle.
    handle.check(unsafe { raw::tj3SetScalingFactor(handle.0, factor) })?;
    // SAFETY: plain values into a live handle; TurboJPEG checks the region
    // against the scaled size read from the header above.
    handle.check(unsafe { raw::tj3SetCroppingRegion(handle.0, region) })?;
    // SAFETY: with the region set, TurboJPEG writes `rows.len()` rows of
    // `pitch` bytes (RGB of the scaled width, checked above to be `width`)
    // from the start of `out`, which is exactly that long and borrowed
    // mutably for the call; `jpeg` is only read.
    handle.check(unsafe {
        raw::tj3Decompress8(
            handle.0,
            jpeg.as_ptr(),
            jpeg.len() as raw::size_t,
            out.as_mut_ptr(),
            pitch_c,
            raw::TJPF_TJPF_RGB,
        )
    })
}
