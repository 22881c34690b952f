//! Fuzz target: JSON records as the front end or an import would send them
//! (client input, session drafts, plans, settings), checked without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = serde_json::from_slice::<pinpoint_core::client::ClientInput>(data) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let _ = input.validate(today);
    }
    let _ = serde_json::from_slice::<pinpoint_core::session::SessionDraft>(data);
    let _ = serde_json::from_slice::<pinpoint_core::plan::PlanInput>(data);
    let _ = serde_json::from_slice::<pinpoint_core::settings::ClinicSettings>(data);
});
