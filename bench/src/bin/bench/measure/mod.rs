//! The measurements, one module each: every one runs its measuring program
//! (or `bench/app_start.mjs`) and the reference tools, and returns the
//! figures its section of the page needs.

pub mod app_start;
pub mod photo_import;
pub mod report;
pub mod store;
