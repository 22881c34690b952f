//! The tamper-evident audit log: every change appends an event holding the
//! hash of the event before it, in the same transaction as the change. In
//! a sealed folder the hash is an HMAC-SHA-256 under a key derived from the
//! data key, so the chain cannot be recomputed without signing in; in a
//! folder in the clear it is a SHA-256. A change event also carries the
//! hash of the row it changed, before and after (`row_hash`).
//! Each event names its actor: the account signed in (or "workstation"
//! before a clinic has accounts); events from before accounts name none.
//! The actor of a write is set once per transaction (`set_actor`), so
//! the code that records a change never has to pass it along.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::db::{Db, Engine, Value};
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

thread_local! {
    /// The chain key of a sealed folder's write in progress on this thread
    /// (the store sets it around each write transaction).
    static CHAIN_KEY: RefCell<Option<Zeroizing<[u8; 32]>>> = const { RefCell::new(None) };
}

/// Keys the events appended on this thread until it drops.
pub(crate) struct Keyed(());

impl Keyed {
    pub(crate) fn set(key: Option<&crate::seal::DataKey>) -> Keyed {
        CHAIN_KEY.with(|k| *k.borrow_mut() = key.map(|key| key.audit_key()));
        Keyed(())
    }
}

impl Drop for Keyed {
    fn drop(&mut self) {
        CHAIN_KEY.with(|k| *k.borrow_mut() = None);
    }
}

fn chain_key() -> Option<Zeroizing<[u8; 32]>> {
    CHAIN_KEY.with(|k| k.borrow().clone())
}

/// The table whose row an event's entity names, for the row hashes.
fn table_of(entity: &str) -> Option<&'static str> {
    Some(match entity {
        "account" => "account",
        "adverse_event" => "adverse_event",
        "client" => "client",
        "consent" => "consent",
        "device" => "device",
        "follow_up" => "follow_up",
        "lot" => "lot",
        "outcome_score" => "outcome_score",
        "photo" => "photo",
        "practitioner" => "practitioner",
        "product" => "product",
        "screening" => "screening",
        "session" => "treatment_session",
        "treatment_plan" => "treatment_plan",
        _ => return None,
    })
}

/// The SHA-256 of the row `entity_id` of `entity`'s table as it stands
/// (every column, by name), or `None` when there is no such row or table.
/// Both engines give the same hash for the same row (a column's value is
/// hashed by its kind: integer, real, text, blob or NULL).
pub fn row_hash<'c>(
    db: impl Into<Db<'c>>,
    entity: &str,
    entity_id: &str,
) -> Result<Option<String>> {
    let Some(table) = table_of(entity) else {
        return Ok(None);
    };
    let (names, rows) = db.into().query_named(
        &format!("SELECT * FROM {table} WHERE id = ?1"),
        &[&entity_id],
    )?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let mut hasher = Sha256::new();
    for (name, value) in names.iter().zip(row.values()) {
        let value = match value {
            Value::Null => "n".to_owned(),
            Value::Integer(v) => format!("i{v}"),
            Value::Real(v) => format!("r{v}"),
            Value::Text(v) => format!("t{v}"),
            Value::Blob(v) => format!("b{}", crate::hex::encode(v)),
        };
        for part in [name.as_str(), value.as_str()] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    Ok(Some(crate::hex::encode(&hasher.finalize())))
}

/// Names the actor of every event recorded in `tx` from now on (until the
/// transaction ends).
pub(crate) fn set_actor<'c>(tx: impl Into<Db<'c>>, stamp: &Stamp) -> Result<()> {
    let db = tx.into();
    match db.engine() {
        Engine::Sqlite => {
            db.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS acting (id TEXT, name TEXT);
                 DELETE FROM temp.acting;",
            )?;
            db.execute(
                "INSERT INTO temp.acting (id, name) VALUES (?1, ?2)",
                &[&stamp.id, &stamp.name],
            )?;
        }
        // A setting local to the transaction.
        Engine::Postgres => {
            let acting = serde_json::json!([stamp.id, stamp.name]).to_string();
            db.query("SELECT set_config('pinpoint.acting', ?1, true)", &[&acting])?;
        }
    }
    Ok(())
}

fn current_actor(db: Db<'_>) -> Result<Stamp> {
    match db.engine() {
        Engine::Sqlite => {
            let exists: bool = db.query_one(
                "SELECT EXISTS (SELECT 1 FROM sqlite_temp_master WHERE name = 'acting')",
                &[],
                "the actor table",
                |row| row.get(0),
            )?;
            if !exists {
                return Ok(Stamp::default());
            }
            Ok(db
                .query_opt("SELECT id, name FROM temp.acting", &[], |row| {
                    Ok(Stamp {
                        id: row.get(0)?,
                        name: row.get(1)?,
                    })
                })?
                .unwrap_or_default())
        }
        Engine::Postgres => {
            let acting: Option<String> = db.query_one(
                "SELECT current_setting('pinpoint.acting', true)",
                &[],
                "the actor setting",
                |row| row.get(0),
            )?;
            let Some(acting) = acting.filter(|a| !a.is_empty()) else {
                return Ok(Stamp::default());
            };
            let (id, name): (Option<String>, Option<String>) = serde_json::from_str(&acting)
                .map_err(|e| crate::Error::Damaged(format!("the actor of this write ({e})")))?;
            Ok(Stamp { id, name })
        }
    }
}

/// Appends one audit event for a change made in `tx`, naming the actor set
/// for the transaction.
///
/// `detail` must not carry more personal data than needed to understand the
/// change later.
pub fn record<'c>(
    tx: impl Into<Db<'c>>,
    at: DateTime<Utc>,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    let db = tx.into();
    let actor = current_actor(db)?;
    // The clinic's other desktops hear of it once this commits.
    if let Db::Postgres(conn) = db {
        crate::db::changes::announce(
            db,
            &crate::db::changes::Change {
                entity: entity.to_owned(),
                id: entity_id.to_owned(),
                desktop: conn.desktop().to_owned(),
                by: actor.name.clone(),
            },
        )?;
    }
    let after = row_hash(db, entity, entity_id)?;
    let before = if table_of(entity).is_some() {
        // The row as the last change to it left it.
        db.query_opt(
            "SELECT after_hash FROM audit_event WHERE entity = ?1 AND entity_id = ?2
             AND after_hash IS NOT NULL ORDER BY seq DESC LIMIT 1",
            &[&entity, &entity_id],
            |row| row.get(0),
        )?
    } else {
        None
    };
    append_event(
        db,
        Appended {
            at,
            actor: &actor,
            action,
            entity,
            entity_id,
            detail,
            before,
            after,
        },
    )
}

/// Refuses a save made from a form filled in before the record last
/// changed (`seen` is the record's `updated_at` when the form was filled,
/// `current` what it is now): someone else's change, made since on another
/// computer or window, is never overwritten silently. The refusal says who
/// changed it and when, from the audit chain.
pub fn unchanged_since<'c>(
    db: impl Into<Db<'c>>,
    entity: &str,
    entity_id: &str,
    what: &str,
    seen: DateTime<Utc>,
    current: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    if seen == current {
        return Ok(());
    }
    let who: Option<String> = db
        .into()
        .query_opt(
            "SELECT actor_name FROM audit_event WHERE entity = ?1 AND entity_id = ?2
             ORDER BY seq DESC LIMIT 1",
            &[&entity, &entity_id],
            |row| row.get(0),
        )?
        .flatten();
    let who = who.unwrap_or_else(|| "Someone".to_owned());
    let ago = now.signed_duration_since(current);
    let when = if ago < chrono::Duration::seconds(90) {
        "a moment ago".to_owned()
    } else if ago < chrono::Duration::hours(1) {
        format!("{} minutes ago", ago.num_minutes())
    } else {
        format!("at {} UTC", current.format("%Y-%m-%d %H:%M"))
    };
    Err(crate::Error::Conflict(format!(
        "{who} changed {what} {when}, after you opened it, on another computer or window. \
         Nothing was saved: reload to see their changes, then make yours again."
    )))
}

/// One event to append.
struct Appended<'a> {
    at: DateTime<Utc>,
    actor: &'a Stamp,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    detail: &'a serde_json::Value,
    before: Option<String>,
    after: Option<String>,
}

/// Appends one audit event naming `actor` (a read noted earlier keeps the
/// actor who made it).
pub(crate) fn append<'c>(
    tx: impl Into<Db<'c>>,
    at: DateTime<Utc>,
    actor: &Stamp,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    append_event(
        tx.into(),
        Appended {
            at,
            actor,
            action,
            entity,
            entity_id,
            detail,
            before: None,
            after: None,
        },
    )
}

fn append_event(db: Db<'_>, new: Appended<'_>) -> Result<()> {
    let Appended {
        at,
        actor,
        action,
        entity,
        entity_id,
        detail,
        before,
        after,
    } = new;
    let last: Option<(i64, String)> = db.query_opt(
        "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1",
        &[],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
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
        before,
        after,
    };
    let key = chain_key();
    db.execute(
        "INSERT INTO audit_event (seq, at, action, entity, entity_id, detail, prev_hash, hash,
                                  actor_id, actor_name, before_hash, after_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        &[
            &event.seq,
            &event.at,
            &event.action,
            &event.entity,
            &event.entity_id,
            &event.detail,
            &event.prev_hash,
            &event.hash(key.as_deref()),
            &event.actor.id,
            &event.actor.name,
            &event.before,
            &event.after,
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

/// Walks the whole chain of a folder in the clear and reports the first
/// event that does not hold.
pub fn verify_chain<'c>(conn: impl Into<Db<'c>>) -> Result<ChainReport> {
    verify_chain_with(conn, None)
}

/// How many events a walk of the chain reads at a time: memory stays flat
/// however long the chain.
const WALK_PAGE: i64 = 2_000;

/// Walks the whole chain, keyed with the folder's data key when it is
/// sealed, and reports the first event that does not hold.
pub fn verify_chain_with<'c>(
    conn: impl Into<Db<'c>>,
    key: Option<&crate::seal::DataKey>,
) -> Result<ChainReport> {
    let conn = conn.into();
    let key = key.map(|k| k.audit_key());
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut events = 0;
    let mut after_seq = i64::MIN;
    loop {
        let page = conn.query_map(
            "SELECT seq, at, action, entity, entity_id, detail, prev_hash, hash, actor_id,
                    actor_name, before_hash, after_hash
             FROM audit_event WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            &[&after_seq, &WALK_PAGE],
            |row| {
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
                    before: row.get(10)?,
                    after: row.get(11)?,
                };
                Ok((event, row.get::<String>(7)?))
            },
        )?;
        let Some((last, _)) = page.last() else {
            break;
        };
        after_seq = last.seq;
        for (event, stored_hash) in page {
            events += 1;
            let broken = if event.seq != expected_seq {
                Some(format!(
                    "expected event {expected_seq}, found {}",
                    event.seq
                ))
            } else if event.prev_hash != expected_prev {
                Some("it does not point at the event before it".to_owned())
            } else if event.hash(key.as_deref()) != stored_hash {
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
    before: Option<String>,
    after: Option<String>,
}

/// SHA-256, or HMAC-SHA-256 under the chain key of a sealed folder.
enum Digester {
    Plain(Sha256),
    Keyed(Hmac<Sha256>),
}

impl Digester {
    fn update(&mut self, bytes: impl AsRef<[u8]>) {
        match self {
            Digester::Plain(h) => h.update(bytes),
            Digester::Keyed(h) => h.update(bytes.as_ref()),
        }
    }

    fn finish(self) -> String {
        match self {
            Digester::Plain(h) => crate::hex::encode(&h.finalize()),
            Digester::Keyed(h) => crate::hex::encode(&h.finalize().into_bytes()),
        }
    }
}

impl Event {
    fn hash(&self, key: Option<&[u8; 32]>) -> String {
        let mut hasher = match key {
            None => Digester::Plain(Sha256::new()),
            Some(key) => Digester::Keyed(
                <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length"),
            ),
        };
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
        // So do events from before row hashes.
        if self.before.is_some() || self.after.is_some() {
            for part in [self.before.as_deref(), self.after.as_deref()] {
                let part = part.unwrap_or("-");
                hasher.update((part.len() as u64).to_le_bytes());
                hasher.update(part.as_bytes());
            }
        }
        hasher.finish()
    }
}

/// The last event of the chain: its sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Head {
    pub seq: u32,
    pub hash: String,
}

/// The chain's head, or `None` before the first event.
pub fn head<'c>(conn: impl Into<Db<'c>>) -> Result<Option<Head>> {
    conn.into().query_opt(
        "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1",
        &[],
        |row| {
            Ok(Head {
                seq: row.get(0)?,
                hash: row.get(1)?,
            })
        },
    )
}

/// Whether the chain still holds the head recorded earlier (in a backup's
/// manifest, or the file beside the data folder): the event is there with
/// the same hash. `None` if it holds; otherwise what is wrong, in words.
pub fn check_head<'c>(conn: impl Into<Db<'c>>, recorded: &Head) -> Result<Option<String>> {
    let conn = conn.into();
    let found: Option<String> = conn.query_opt(
        "SELECT hash FROM audit_event WHERE seq = ?1",
        &[&recorded.seq],
        |row| row.get(0),
    )?;
    Ok(match found {
        None => {
            let last = head(conn)?.map_or(0, |h| h.seq);
            Some(format!(
                "the audit log ends at event {last}, but it reached event {} before: the last {} event(s) were deleted",
                recorded.seq,
                recorded.seq.saturating_sub(last)
            ))
        }
        Some(hash) if hash != recorded.hash => Some(format!(
            "event {} is not the one recorded earlier: the log was rewritten",
            recorded.seq
        )),
        Some(_) => None,
    })
}

/// Rows the chain last saw alive that are gone without a change saying so:
/// deleted outside Pinpoint. (A row's content may change without an event
/// of its own, a lot's stock say, so only deletions are judged here; a
/// signed session's content is judged against its signature.)
pub fn rows_deleted_outside<'c>(conn: impl Into<Db<'c>>) -> Result<Vec<String>> {
    let conn = conn.into();
    let last: Vec<(String, String, Option<String>, i64)> = conn.query_map(
        "SELECT a.entity, a.entity_id, a.after_hash, a.seq FROM audit_event a
         WHERE (a.after_hash IS NOT NULL OR a.before_hash IS NOT NULL)
           AND a.seq = (SELECT MAX(b.seq) FROM audit_event b
                        WHERE b.entity = a.entity AND b.entity_id = a.entity_id
                          AND (b.after_hash IS NOT NULL OR b.before_hash IS NOT NULL))
         ORDER BY a.seq",
        &[],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    let mut problems = Vec::new();
    for (entity, id, after, seq) in last {
        // After `None`: the last change was the row's deletion.
        if after.is_some() && row_hash(conn, &entity, &id)?.is_none() {
            problems.push(format!(
                "{entity} {id} was deleted outside Pinpoint (the audit log last recorded it at event {seq})"
            ));
        }
    }
    Ok(problems)
}

/// Re-keys the whole chain of a database being sealed: every event's hash
/// becomes an HMAC under `key`'s chain key, in order. The guard triggers
/// are set aside for the transaction and put back exactly as they were.
pub(crate) fn rekey_chain(conn: &Connection, key: &crate::seal::DataKey) -> Result<()> {
    let chain_key = key.audit_key();
    let tx = conn.unchecked_transaction()?;
    let triggers: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'",
        )?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows
    };
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{}\";", name.replace('"', "\"\"")))?;
    }
    let events: Vec<Event> = {
        let mut stmt = tx.prepare(
            "SELECT seq, at, action, entity, entity_id, detail, actor_id, actor_name,
                    before_hash, after_hash
             FROM audit_event ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok(Event {
                    seq: row.get(0)?,
                    at: row.get(1)?,
                    action: row.get(2)?,
                    entity: row.get(3)?,
                    entity_id: row.get(4)?,
                    detail: row.get(5)?,
                    prev_hash: String::new(),
                    actor: Stamp {
                        id: row.get(6)?,
                        name: row.get(7)?,
                    },
                    before: row.get(8)?,
                    after: row.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows
    };
    let mut prev = GENESIS.to_owned();
    for mut event in events {
        event.prev_hash = prev;
        let hash = event.hash(Some(&chain_key));
        tx.execute(
            "UPDATE audit_event SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            params![event.seq, event.prev_hash, hash],
        )?;
        prev = hash;
    }
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    tx.commit()?;
    Ok(())
}
