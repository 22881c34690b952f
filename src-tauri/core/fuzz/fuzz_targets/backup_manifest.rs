//! Fuzz target: a backup's manifest, as read from an archive someone hands us.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(manifest) = pinpoint_core::backup::read_manifest(data) {
        for part in &manifest.parts {
            assert!(!part.path.contains(".."), "an accepted path escapes: {}", part.path);
            assert!(!part.path.starts_with('/'));
        }
    }
});
