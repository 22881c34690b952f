//! Fuzz target: a WebP photo (lossy or lossless) through the whole render
//! path, under the fuzzing build's small size limit. The RIFF header is
//! made here so every input reaches the decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = if data.len() >= 12 && &data[0..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        &data[12..]
    } else {
        data
    };
    let mut bytes = b"RIFF".to_vec();
    bytes.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
    bytes.extend_from_slice(b"WEBP");
    bytes.extend_from_slice(body);
    if let Ok(rendered) = pinpoint_core::photo::render::render(&bytes) {
        assert!(rendered.width > 0 && rendered.height > 0);
    }
});
