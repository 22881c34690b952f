//! Retention and erasure: how long a client's record is kept after their
//! last visit (`retention_years`, a clinic setting), which records are past
//! it, and erasing one: every row of the client goes in one transaction,
//! each recorded in the audit chain as erased (ids only), with a tombstone
//! for the client (its id, when, who, and why: no name, no health data).
//! The photo files go after the commit, and SQLite overwrites what it
//! freed (`secure_delete`).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::{Db, Engine};
use crate::ids::ClientId;
use crate::photo::PhotoFormat;
use crate::{Error, Result};

/// Why a record is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// The clinic's retention period after the last visit has passed.
    RetentionPassed,
    /// The client asked, where the law lets the clinic erase earlier.
    ClientRequest,
}

impl ErasureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ErasureReason::RetentionPassed => "retention_passed",
            ErasureReason::ClientRequest => "client_request",
        }
    }
}

/// A client's record and how long it is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Retention {
    pub client_id: ClientId,
    pub name: String,
    /// The last session or follow-up visit (or when the record was made,
    /// for a client never seen).
    pub last_visit: NaiveDate,
    /// The first day the record may be erased for retention.
    pub kept_until: NaiveDate,
}

/// What an erasure removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Erased {
    pub client_id: ClientId,
    pub rows: u32,
    pub photos: u32,
}

/// The photo files an erasure leaves to remove after its commit.
#[derive(Debug)]
pub(crate) struct ErasedFiles {
    pub erased: Erased,
    pub photos: Vec<(String, PhotoFormat)>,
}

/// `years` after `day` (29 February falls back to the 28th).
fn years_after(day: NaiveDate, years: u32) -> NaiveDate {
    let year = day.year() + i32::try_from(years).unwrap_or(i32::MAX / 2);
    NaiveDate::from_ymd_opt(year, day.month(), day.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, day.month(), 28))
        .unwrap_or(NaiveDate::MAX)
}

/// The retention of one client's record.
pub fn retention<'c>(
    conn: impl Into<Db<'c>>,
    client_id: ClientId,
    years: u32,
) -> Result<Retention> {
    let found: Option<(String, String, Option<String>, Option<String>)> = conn.into().query_opt(
        "SELECT c.name, substr(c.created_at, 1, 10),
                (SELECT MAX(local_date) FROM treatment_session WHERE client_id = c.id),
                (SELECT MAX(visited_on) FROM follow_up WHERE client_id = c.id)
         FROM client c WHERE c.id = ?1",
        &[&client_id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    let (name, created, session, visit) =
        found.ok_or_else(|| Error::not_found(format!("client {client_id}")))?;
    let day = |text: &str| {
        NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d").map_err(|_| {
            Error::Damaged(format!(
                "client {client_id}: the date {text:?} cannot be read"
            ))
        })
    };
    let mut last_visit = day(&created)?;
    for seen in [session, visit].into_iter().flatten() {
        last_visit = last_visit.max(day(&seen)?);
    }
    Ok(Retention {
        client_id,
        name,
        last_visit,
        kept_until: years_after(last_visit, years),
    })
}

/// Every client whose retention has passed by `today`, oldest first.
pub fn past_retention<'c>(
    conn: impl Into<Db<'c>>,
    today: NaiveDate,
    years: u32,
) -> Result<Vec<Retention>> {
    let conn = conn.into();
    // By id, as SQLite has always read them (through the index on id), so
    // ties of the sort below fall the same way on both engines.
    let ids: Vec<ClientId> =
        conn.query_map("SELECT id FROM client ORDER BY id", &[], |row| row.get(0))?;
    let mut past = Vec::new();
    for id in ids {
        let kept = retention(conn, id, years)?;
        if kept.kept_until <= today {
            past.push(kept);
        }
    }
    past.sort_by_key(|r| r.last_visit);
    Ok(past)
}

/// The ids in `sql` (one column) for `client_id`.
fn ids(tx: Db<'_>, sql: &str, client_id: ClientId) -> Result<Vec<String>> {
    tx.query_map(sql, &[&client_id], |row| row.get(0))
}

/// Erases every row of `client_id` in `tx`. Refused for retention while the
/// record is still kept.
pub(crate) fn erase<'c>(
    tx: impl Into<Db<'c>>,
    client_id: ClientId,
    reason: ErasureReason,
    today: NaiveDate,
    years: u32,
    now: DateTime<Utc>,
) -> Result<ErasedFiles> {
    let tx = tx.into();
    let kept = retention(tx, client_id, years)?;
    if reason == ErasureReason::RetentionPassed && kept.kept_until > today {
        return Err(Error::Conflict(format!(
            "{}'s record is kept until {} ({} years after the last visit on {}); \
             erase it earlier only on the client's request where the law allows",
            kept.name, kept.kept_until, years, kept.last_visit
        )));
    }
    // SQLite overwrites what it frees from now on; PostgreSQL has no such
    // setting (its server's storage is the clinic's to look after).
    if tx.engine() == Engine::Sqlite {
        tx.query("PRAGMA secure_delete = ON", &[])?;
    }
    tx.execute("INSERT INTO erasure (client_id) VALUES (?1)", &[&client_id])?;
    let photos: Vec<(String, String, String)> = tx.query_map(
        "SELECT id, sha256, format FROM photo WHERE client_id = ?1",
        &[&client_id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    // Children before parents, each entity's rows recorded as erased (a
    // session's parts go with it, as one set).
    let by_client = |table: &str| format!("SELECT id FROM {table} WHERE client_id = ?1");
    let sessions = "SELECT id FROM treatment_session WHERE client_id = ?1";
    let plan: [(&str, Option<&str>, String); 12] = [
        (
            "outcome_score",
            Some("outcome_score"),
            by_client("outcome_score"),
        ),
        ("photo", Some("photo"), by_client("photo")),
        (
            "adverse_event",
            Some("adverse_event"),
            by_client("adverse_event"),
        ),
        (
            "session_zone",
            None,
            format!("DELETE FROM session_zone WHERE session_id IN ({sessions})"),
        ),
        (
            "session_product",
            None,
            format!("DELETE FROM session_product WHERE session_id IN ({sessions})"),
        ),
        (
            "session_warning",
            None,
            format!("DELETE FROM session_warning WHERE session_id IN ({sessions})"),
        ),
        (
            "session_amendment",
            None,
            format!("DELETE FROM session_amendment WHERE session_id IN ({sessions})"),
        ),
        (
            "treatment_session",
            Some("session"),
            by_client("treatment_session"),
        ),
        ("follow_up", Some("follow_up"), by_client("follow_up")),
        (
            "treatment_plan",
            Some("treatment_plan"),
            by_client("treatment_plan"),
        ),
        ("consent", Some("consent"), by_client("consent")),
        ("screening", Some("screening"), by_client("screening")),
    ];
    let mut rows = 0u32;
    for (table, entity, sql) in &plan {
        let Some(entity) = entity else {
            rows += tx.execute(sql, &[&client_id])? as u32;
            continue;
        };
        let found = ids(tx, sql, client_id)?;
        for id in &found {
            tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), &[id])?;
            audit::record(tx, now, "erase", entity, id, &serde_json::json!({}))?;
        }
        rows += found.len() as u32;
    }
    tx.execute("DELETE FROM client WHERE id = ?1", &[&client_id])?;
    rows += 1;
    // The tombstone: the id, the reason, the day; the actor is the eraser.
    audit::record(
        tx,
        now,
        "erase",
        "client",
        &client_id.to_string(),
        &serde_json::json!({ "reason": reason.as_str(), "rows": rows, "photos": photos.len() }),
    )?;
    tx.execute("DELETE FROM erasure WHERE client_id = ?1", &[&client_id])?;
    // Search entries go with the row (a trigger); merge the index so no
    // deleted token lingers in an old segment. PostgreSQL has no search
    // table: its trigram indexes are on the client row itself, gone with it.
    if tx.engine() == Engine::Sqlite {
        tx.execute(
            "INSERT INTO client_search (client_search) VALUES ('optimize')",
            &[],
        )?;
    }
    let mut files = Vec::new();
    for (id, sha256, format) in photos {
        let format = PhotoFormat::from_record(&format, format_args!("photo {id}"))?;
        files.push((sha256, format));
    }
    Ok(ErasedFiles {
        erased: Erased {
            client_id,
            rows,
            photos: files.len() as u32,
        },
        photos: files,
    })
}

/// Removes the erased photos' originals and cached images, unless another
/// row still names the same bytes.
pub(crate) fn remove_photo_files<'c>(
    conn: impl Into<Db<'c>>,
    data_dir: &std::path::Path,
    photos: &[(String, PhotoFormat)],
) -> Result<()> {
    let conn = conn.into();
    for (sha256, format) in photos {
        if !crate::photo::files::is_sha256_hex(sha256) {
            continue;
        }
        if crate::photo::find_by_sha256(conn, sha256)?.is_some() {
            continue;
        }
        let remote = crate::photo::remote::for_folder(data_dir);
        for relative in crate::photo::files::all_relatives(sha256, *format) {
            let path = data_dir.join(&relative);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io(format!("cannot remove {}", path.display()), e))
                }
                _ => {}
            }
            // In clinic mode, the clinic's copy too (the other desktops drop
            // theirs when they next start).
            if let Some(remote) = &remote {
                remote.remove(&relative)?;
            }
        }
    }
    Ok(())
}
