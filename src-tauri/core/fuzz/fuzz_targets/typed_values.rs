//! Fuzz target: values a person types (depths, dates, scale names, consent
//! kinds, phases, endpoints), which must parse or be refused, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pinpoint_core::depth::NeedleDepth;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(depth) = NeedleDepth::parse(text) {
        assert!(depth.micrometres() > 0 && depth.micrometres() <= 3000);
        assert_eq!(NeedleDepth::parse(&depth.to_string()).ok(), Some(depth));
    }
    let _ = pinpoint_core::client::parse_date("date", text);
    let _ = pinpoint_core::consent::ConsentKind::parse(text);
    let _ = pinpoint_core::session::Phase::parse(text);
    let _ = pinpoint_core::session::Endpoint::parse(text);
    let _ = pinpoint_core::warnings::WarningRule::parse(text);
});
