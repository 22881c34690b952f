//! The core's integration tests: real SQLite files in fresh temporary folders.

mod access;
mod accounts;
mod audit;
mod backup;
mod capture;
mod clients;
mod clinic;
mod damaged;
mod db;
mod db_schema;
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

/// Every file under `dir`, recursively (nothing when it does not exist).
pub fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
