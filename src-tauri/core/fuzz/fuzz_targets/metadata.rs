//! Fuzz target: the walk over a JPEG's segments and what it finds there:
//! the EXIF orientation and capture time, the ICC profile put together from
//! its chunks and applied to a few pixels.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = vec![0xFF, 0xD8];
    bytes.extend_from_slice(data.strip_prefix(&[0xFF, 0xD8]).unwrap_or(data));
    if let Ok(found) = pinpoint_core::photo::render::metadata(&bytes) {
        assert!((1..=8).contains(&found.orientation));
        assert!(found.icc_bytes > 0 || !found.icc_converted);
    }
});
