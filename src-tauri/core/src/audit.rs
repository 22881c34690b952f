//! The tamper-evident audit log: every change appends an event holding the
//! SHA-256 of the event before it, in the same transaction as the change.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::store::format_instant;
use crate::Result;

/// The `prev_hash` of the first event.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends one audit event for a change made in `tx`.
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
    };
    tx.execute(
        "INSERT INTO audit_event (seq, at, action, entity, entity_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            event.seq,
            event.at,
            event.action,
            event.entity,
            event.entity_id,
            event.detail,
            event.prev_hash,
            event.hash()
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
        "SELECT seq, at, action, entity, entity_id, detail, prev_hash, hash
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
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
