//! Fuzz target: a JPEG photo through the whole render path (segment walk,
//! header check, libjpeg-turbo decode at a reduced scale, resize, ICC,
//! orientation, encode), under the fuzzing build's small size limit.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = vec![0xFF, 0xD8, 0xFF];
    bytes.extend_from_slice(data.strip_prefix(&[0xFF, 0xD8, 0xFF]).unwrap_or(data));
    check(&bytes);
});

fn check(bytes: &[u8]) {
    if let Ok(rendered) = pinpoint_core::photo::render::render(bytes) {
        assert!(rendered.width > 0 && rendered.height > 0);
        assert!(!rendered.preview.is_empty() && !rendered.thumb.is_empty());
    }
}
