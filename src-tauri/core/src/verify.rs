//! Checking a data folder: SQLite's integrity, the audit chain, and the
//! photo store (originals present and unchanged, orphans listed). Used by
//! `pinpoint verify` and by the app's quick check at start.

use serde::Serialize;

use crate::audit::{self, ChainReport};
use crate::photo::verify::{self as photos, PhotoVerifyReport};
use crate::{DataFolder, Result};

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VerifyReport {
    pub ok: bool,
    /// SQLite's own answer: "ok" or the first problems it found.
    pub integrity: String,
    pub audit: ChainReport,
    /// Every photo has its original (re-hashed in the thorough check);
    /// orphan files are listed but do not fail the check.
    pub photos: PhotoVerifyReport,
    /// Every problem in words, for a person.
    pub problems: Vec<String>,
}

/// Checks the folder. `thorough` runs SQLite's full `integrity_check`
/// instead of the faster `quick_check`.
pub fn run(store: &impl DataFolder, thorough: bool) -> Result<VerifyReport> {
    let pragma = if thorough {
        "integrity_check"
    } else {
        "quick_check"
    };
    let mut stmt = store.conn().prepare(&format!("PRAGMA {pragma}"))?;
    let lines: Vec<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let integrity = lines.join("; ");
    let chain = audit::verify_chain(store.conn())?;
    let photo_report = if thorough {
        photos::verify(store.conn(), store.data_dir())?
    } else {
        photos::verify_quick(store.conn(), store.data_dir())?
    };
    let mut problems = Vec::new();
    if integrity != "ok" {
        problems.push(format!("the database is damaged: {integrity}"));
    }
    if let Some(link) = &chain.first_broken {
        problems.push(format!(
            "the audit log was altered: event {} {}",
            link.seq, link.reason
        ));
    }
    for p in &photo_report.problems {
        problems.push(format!("photo {} ({}): {}", p.id, p.path, p.reason));
    }
    Ok(VerifyReport {
        ok: problems.is_empty(),
        integrity,
        audit: chain,
        photos: photo_report,
        problems,
    })
}
