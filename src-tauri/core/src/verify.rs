//! Checking a data folder: SQLite's integrity, the audit chain (keyed in a
//! sealed folder, and its head against the record kept beside the folder),
//! the schema against the one the migrations make (no guard trigger
//! dropped), signed sessions against the hash taken when they were signed,
//! no row deleted without the chain saying so, and the
//! photo store (originals present and unchanged, orphans listed). Used by
//! `pinpoint verify` and by the app's quick check at start (which skips
//! the slow parts).

use serde::Serialize;

use crate::audit::{self, ChainReport};
use crate::db::{Db, Engine};
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
    let db = store.db();
    let integrity = match db.engine() {
        Engine::Sqlite => db
            .query_map(&format!("PRAGMA {pragma}"), &[], |row| row.get::<String>(0))?
            .join("; "),
        // The server keeps its own pages whole (checksums and WAL are the
        // clinic IT's, DESIGN §8); what Pinpoint can judge is below.
        Engine::Postgres => "ok".to_owned(),
    };
    let chain = audit::verify_chain_with(db, store.data_key())?;
    let photo_report = if thorough {
        photos::verify(db, store.data_dir())?
    } else {
        photos::verify_quick(db, store.data_dir())?
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
    if let Some(recorded) = crate::seal::read_head(store.data_dir()) {
        if let Some(wrong) = audit::check_head(db, &recorded)? {
            problems.push(wrong);
        }
    }
    // The clinic server's structure is its IT's to guard (its roles
    // decide who may alter it); a data folder's is judged here.
    if let Db::Sqlite(conn) = db {
        if let Some(difference) = crate::store::schema_difference(conn)? {
            problems.push(format!(
                "the database's structure was changed outside Pinpoint: {difference}"
            ));
        }
    }
    problems.extend(signed_sessions_changed(db)?);
    if thorough {
        problems.extend(audit::rows_deleted_outside(db)?);
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

/// Signed sessions whose clinical content no longer matches the hash taken
/// when they were signed (or co-signed).
fn signed_sessions_changed(conn: Db<'_>) -> Result<Vec<String>> {
    let signed: Vec<(crate::ids::SessionId, Option<String>, Option<String>)> = conn.query_map(
        "SELECT id, signed_hash, cosigned_hash FROM treatment_session
         WHERE signed_hash IS NOT NULL OR cosigned_hash IS NOT NULL",
        &[],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let mut problems = Vec::new();
    for (id, signed_hash, cosigned_hash) in signed {
        let now = crate::session::content_hash(&crate::session::get(conn, id)?);
        for (what, hash) in [("signed", signed_hash), ("co-signed", cosigned_hash)] {
            if hash.is_some_and(|h| h != now) {
                problems.push(format!(
                    "session {id} was changed after it was {what}: its content no longer matches the signature"
                ));
            }
        }
    }
    Ok(problems)
}
