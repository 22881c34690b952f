//! The core's integration tests: real SQLite files in fresh temporary folders.

mod access;
mod accounts;
mod audit;
mod backup;
mod clients;
mod clinic;
mod damaged;
mod demo;
mod depth;
mod erasure;
mod photos;
mod properties;
mod recall;
mod records;
mod reports;
mod sealed;
mod sessions;
mod signatures;
mod store;
mod timeline;
mod warnings;

use chrono::{DateTime, NaiveDate, Utc};
use pinpoint_core::Store;

/// A fresh data folder, removed when the test ends.
#[derive(Debug)]
pub struct Folder {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

pub fn fresh() -> Folder {
    let dir = tempfile::tempdir().expect("temp folder");
    let store = Store::open(dir.path()).expect("open a new data folder");
    Folder { dir, store }
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// When and by whom a test's photo imports are written.
pub fn written() -> pinpoint_core::audit::Written {
    pinpoint_core::audit::Written {
        at: now(),
        by: pinpoint_core::audit::Stamp::default(),
    }
}

pub fn now() -> DateTime<Utc> {
    "2026-11-25T10:00:00Z".parse().unwrap()
}
