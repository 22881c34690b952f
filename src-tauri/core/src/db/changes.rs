//! What the other desktops of a clinic changed, as the server tells it
//! (LISTEN/NOTIFY). A write announces each record it changed inside its own
//! transaction, so the announcement goes out when, and only if, the write
//! commits; every desktop listens on a connection of its own and reloads
//! what it shows of the records named.

use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};
use serde::{Deserialize, Serialize};

use super::Db;
use crate::{Error, Result};

/// The channel every desktop listens on.
pub const CHANNEL: &str = "pinpoint_change";

/// The most a change's payload may hold (PostgreSQL's limit is 8000 bytes).
const MAX_PAYLOAD: usize = 2000;

/// One record changed by a committed write. Names only: the record itself
/// is read from the database (nothing clinical travels in a notification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// What kind of record (`client`, `session`, …), as the audit log names it.
    pub entity: String,
    /// The record's id.
    pub id: String,
    /// The desktop that wrote it (its own changes a desktop can skip).
    pub desktop: String,
    /// The account that wrote it (an account id), when known.
    pub by: Option<String>,
}

/// Announces `change` to every listening desktop when the transaction
/// `db` is in commits (at once outside a transaction). Does nothing on the
/// embedded store, which only one desktop opens.
pub fn announce(db: Db<'_>, change: &Change) -> Result<()> {
    if let Db::Postgres(conn) = db {
        let payload = serde_json::to_string(change)
            .map_err(|e| Error::invalid_input(format!("the change cannot be written ({e})")))?;
        if payload.len() > MAX_PAYLOAD {
            return Err(Error::invalid_input(format!(
                "the change announcement is {} bytes, more than {MAX_PAYLOAD}",
                payload.len()
            )));
        }
        conn.execute(
            "SELECT pg_notify(?1, ?2)",
            &[
                super::Value::Text(CHANNEL.to_owned()),
                super::Value::Text(payload),
            ],
        )?;
    }
    Ok(())
}

/// A desktop's ear on the clinic server: a connection of its own that
/// listens for [`Change`]s.
pub struct ChangeFeed {
    client: Client,
    /// The desktop whose own announcements `wait_for_others` leaves out.
    desktop: Option<String>,
}

impl std::fmt::Debug for ChangeFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeFeed").finish_non_exhaustive()
    }
}

/// This computer's name, for the desktop tags of announcements.
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().chars().take(64).collect::<String>())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "desktop".to_owned())
}

impl ChangeFeed {
    /// Listens on a connection of its own to the database `conn` is on,
    /// made the same way (TLS and all).
    pub fn follow(conn: &super::PgConn) -> Result<ChangeFeed> {
        let mut client = conn.new_client()?;
        client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(ChangeFeed {
            client,
            desktop: Some(conn.desktop().to_owned()),
        })
    }

    /// [`ChangeFeed::wait`], without this desktop's own changes.
    pub fn wait_for_others(&mut self, wait: Duration) -> Result<Vec<Change>> {
        let mut changes = self.wait(wait)?;
        changes.retain(|c| Some(&c.desktop) != self.desktop.as_ref());
        Ok(changes)
    }

    /// Connects with `params` and starts listening.
    pub fn listen(params: &str) -> Result<ChangeFeed> {
        let mut client = Client::connect(params, NoTls)?;
        client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(ChangeFeed {
            client,
            desktop: None,
        })
    }

    /// The changes announced so far, waiting up to `wait` for the first
    /// when none has come yet. A notification that is not a [`Change`]
    /// (another program on the channel) is skipped.
    pub fn wait(&mut self, wait: Duration) -> Result<Vec<Change>> {
        let deadline = Instant::now() + wait;
        let mut changes = Vec::new();
        let mut notifications = self.client.notifications();
        // What already arrived, without waiting.
        {
            let mut pending = notifications.iter();
            while let Some(n) = pending.next().map_err(Error::from)? {
                changes.extend(parse(n.channel(), n.payload()));
            }
        }
        while changes.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let mut waiting = notifications.timeout_iter(left);
            match waiting.next().map_err(Error::from)? {
                Some(n) => changes.extend(parse(n.channel(), n.payload())),
                None => break,
            }
        }
        Ok(changes)
    }
}

fn parse(channel: &str, payload: &str) -> Option<Change> {
    (channel == CHANNEL && payload.len() <= MAX_PAYLOAD)
        .then(|| serde_json::from_str(payload).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_on_our_channel_are_read() {
        let change = Change {
            entity: "session".to_owned(),
            id: "0190".to_owned(),
            desktop: "room-2".to_owned(),
            by: None,
        };
        let payload = serde_json::to_string(&change).unwrap();
        assert_eq!(parse(CHANNEL, &payload), Some(change));
        assert_eq!(parse("other", &payload), None);
        assert_eq!(parse(CHANNEL, "not json"), None);
        assert_eq!(parse(CHANNEL, &"x".repeat(MAX_PAYLOAD + 1)), None);
    }
}
