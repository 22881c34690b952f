//! Fuzz target: a HEIC/HEIF photo through libheif (container, header, size
//! check, EXIF block, decode) and the rest of the render path, under the
//! fuzzing build's small size limit. Inputs are taken as whole files; the
//! corpus starts from real HEIC photos.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rendered) = pinpoint_core::photo::render::render(data) {
        assert!(rendered.width > 0 && rendered.height > 0);
    }
});
