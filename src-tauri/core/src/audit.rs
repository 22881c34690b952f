//! The tamper-evident audit log: every change appends an event holding the
//! SHA-256 of the event before it, in the same transaction as the change.
//! Each event names its actor: the account signed in (or "workstation"
//! before a clinic has accounts); events from before accounts name none.
//! The actor of a write is set once per transaction (`set_actor`), so
//! the code that records a change never has to pass it along.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::store::format_instant;
use crate::Result;

/// The `prev_hash` of the first event.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who an audit event names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    /// The account's id; None for the workstation (no account).
    pub id: Option<String>,
    /// The account's name, or "workstation"; None only for writes made
    /// outside any action (tests, the store itself).
    pub name: Option<String>,
}

/// When and by whom a long task's writes are made (a photo import takes
/// the lock once per photo, each a transaction of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub at: DateTime<Utc>,
    pub by: Stamp,
}

/// Names the actor of every event recorded in `tx` from now on.
pub(crate) fn set_actor(tx: &Transaction<'_>, stamp: &Stamp) -> Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS acting (id TEXT, name TEXT);
         DELETE FROM temp.acting;",
    )?;
    tx.execute(
        "INSERT INTO temp.acting (id, name) VALUES (?1, ?2)",
        params![stamp.id, stamp.name],
    )?;
    Ok(())
}

fn current_actor(tx: &Transaction<'_>) -> Result<Stamp> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_temp_master WHERE name = 'acting')",
        [],
        |row| row.get(0),
    )?;
    if !exists {
        return Ok(Stamp::default());
    }
    Ok(tx
        .query_row("SELECT id, name FROM temp.acting", [], |row| {
            Ok(Stamp {
                id: row.get(0)?,
                name: row.get(1)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// Appends one audit event for a change made in `tx`, naming the actor set
/// for the transaction.
///
/// `detail` must not carry more personal data than needed to understand the
/// change later.
pub fn record(
    tx: &Transaction<'_>,
    at: DateTime<Utc>,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    let actor = current_actor(tx)?;
    append(tx, at, &actor, action, entity, entity_id, detail)
}

/// Appends one audit event naming `actor` (a read noted earlier keeps the
/// actor who made it).
pub(crate) fn append(
    tx: &Transaction<'_>,
    at: DateTime<Utc>,
    actor: &Stamp,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let event = Event {
        seq,
        at: format_instant(at),
        action: action.to_owned(),
        entity: entity.to_owned(),
        entity_id: entity_id.to_owned(),
        detail: detail.to_string(),
        prev_hash,
        actor: actor.clone(),
    };
    tx.execute(
        "INSERT INTO audit_event (seq, at, action, entity, entity_id, detail, prev_hash, hash,
                                  actor_id, actor_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            event.seq,
            event.at,
            event.action,
            event.entity,
            event.entity_id,
            event.detail,
            event.prev_hash,
            event.hash(),
            event.actor.id,
            event.actor.name,
        ],
    )?;
    Ok(())
}

/// The outcome of walking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChainReport {
    /// How many events were checked.
    pub events: u32,
    /// The first event whose link does not hold, with the reason.
    pub first_broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BrokenLink {
    pub seq: u32,
    pub reason: String,
}

/// Walks the whole chain and reports the first event that does not hold.
pub fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, action, entity, entity_id, detail, prev_hash, hash, actor_id,
                actor_name
         FROM audit_event ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut events = 0;
    while let Some(row) = rows.next()? {
        let event = Event {
            seq: row.get(0)?,
            at: row.get(1)?,
            action: row.get(2)?,
            entity: row.get(3)?,
            entity_id: row.get(4)?,
            detail: row.get(5)?,
            prev_hash: row.get(6)?,
            actor: Stamp {
                id: row.get(8)?,
                name: row.get(9)?,
            },
        };
        let stored_hash: String = row.get(7)?;
        events += 1;
        let broken = if event.seq != expected_seq {
            Some(format!(
                "expected event {expected_seq}, found {}",
                event.seq
            ))
        } else if event.prev_hash != expected_prev {
            Some("it does not point at the event before it".to_owned())
        } else if event.hash() != stored_hash {
            Some("its content does not match its hash".to_owned())
        } else {
            None
        };
        if let Some(reason) = broken {
            return Ok(ChainReport {
                events,
                first_broken: Some(BrokenLink {
                    seq: u32::try_from(event.seq).unwrap_or(u32::MAX),
                    reason,
                }),
            });
        }
        expected_prev = stored_hash;
        expected_seq += 1;
    }
    Ok(ChainReport {
        events,
        first_broken: None,
    })
}

struct Event {
    seq: i64,
    at: String,
    action: String,
    entity: String,
    entity_id: String,
    detail: String,
    prev_hash: String,
    actor: Stamp,
}

impl Event {
    fn hash(&self) -> String {
        let mut hasher = Sha256::new();
        for part in [
            self.seq.to_string().as_str(),
            &self.at,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.detail,
            &self.prev_hash,
        ] {
            // Length-prefix each part so no two different events hash alike.
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        // Events from before accounts name no actor and hash as they did.
        if let Some(name) = &self.actor.name {
            for part in [self.actor.id.as_deref().unwrap_or(""), name.as_str()] {
                hasher.update((part.len() as u64).to_le_bytes());
                hasher.update(part.as_bytes());
            }
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
