//! What Pinpoint's measuring programs share: summaries of repeated
//! measurements and the JSON lines they print (`stats`), a generated clinic
//! written straight into the store's schema on either engine (`gen`), the
//! read workload at clinic scale (`workload`), and generated photo-like
//! JPEGs (`photos`).

pub mod gen;
pub mod photos;
pub mod registration;
pub mod stats;
pub mod workload;

/// When and by whom a bench's photo imports are written (no account).
pub fn written(at: chrono::DateTime<chrono::Utc>) -> pinpoint_core::audit::Written {
    pinpoint_core::audit::Written {
        at,
        by: pinpoint_core::audit::Stamp::default(),
    }
}
