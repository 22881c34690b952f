//! Fuzz target: a PNG photo through the whole render path (header size check,
//! the `image` decoder with its limits, alpha over white, resize, ICC,
//! orientation, encode), under the fuzzing build's small size limit.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(data.strip_prefix(b"\x89PNG\r\n\x1a\n".as_slice()).unwrap_or(data));
    check(&bytes);
});

fn check(bytes: &[u8]) {
    if let Ok(rendered) = pinpoint_core::photo::render::render(bytes) {
        assert!(rendered.width > 0 && rendered.height > 0);
        assert!(!rendered.preview.is_empty() && !rendered.thumb.is_empty());
    }
}
