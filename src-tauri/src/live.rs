//! Live updates in clinic mode: a thread follows what the clinic's other
//! desktops change (the core's `ChangeFeed`) and tells the window with one
//! typed `RecordsChanged` event per batch, so the screens showing those
//! records read them again. Only the kind of record, its id and who changed
//! it travel, and nothing is logged: when the server goes away the thread
//! waits and listens again, quietly.

use std::time::Duration;

use pinpoint_core::db::changes::Change;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager as _};
use tauri_specta::Event as _;

use crate::AppState;

/// How long one wait for changes lasts before the feed is asked again.
const WAIT: Duration = Duration::from_millis(500);

/// How long to wait before listening again after the feed failed.
const RETRY: Duration = Duration::from_secs(2);

/// Emitted as `records-changed` when other desktops of the clinic changed
/// records: each record once, in the order announced.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct RecordsChanged {
    pub changes: Vec<RecordChange>,
}

/// One record another desktop changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RecordChange {
    /// What kind of record (`client`, `session`, `photo`, …), as the audit
    /// log names it.
    pub entity: String,
    /// The record's id.
    pub id: String,
    /// The name of who changed it, when known.
    pub by: Option<String>,
}

/// The event for `changes`: each record once (a save may announce a
/// record more than once); none for an empty batch.
fn batch(changes: Vec<Change>) -> Option<RecordsChanged> {
    let mut out: Vec<RecordChange> = Vec::with_capacity(changes.len());
    for change in changes {
        let seen = out
            .iter_mut()
            .find(|c| c.entity == change.entity && c.id == change.id);
        match seen {
            // The latest writer is the one to name.
            Some(earlier) => earlier.by = change.by.or(earlier.by.take()),
            None => out.push(RecordChange {
                entity: change.entity,
                id: change.id,
                by: change.by,
            }),
        }
    }
    (!out.is_empty()).then_some(RecordsChanged { changes: out })
}

/// In clinic mode, starts the thread that tells the window what the other
/// desktops change; does nothing on a data folder of its own.
pub fn follow(app: &AppHandle) {
    if !app.state::<AppState>().clinic.is_clinic() {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || loop {
        let feed = app.state::<AppState>().clinic.change_feed();
        match feed {
            Ok(Some(mut feed)) => {
                while let Ok(changes) = feed.wait_for_others(WAIT) {
                    if let Some(event) = batch(changes) {
                        let _ = event.emit(&app);
                    }
                }
            }
            // No longer a clinic (it cannot become one): nothing to follow.
            Ok(None) => return,
            // The server is away, or the clinic is closed: try again soon.
            Err(_) => {}
        }
        std::thread::sleep(RETRY);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(entity: &str, id: &str, by: Option<&str>) -> Change {
        Change {
            entity: entity.to_owned(),
            id: id.to_owned(),
            desktop: "room-2/42".to_owned(),
            by: by.map(str::to_owned),
        }
    }

    fn shown(c: &RecordChange) -> (String, String, Option<String>) {
        (c.entity.clone(), c.id.clone(), c.by.clone())
    }

    #[test]
    fn a_batch_names_each_record_once_in_order() {
        let event = batch(vec![
            change("session", "s1", None),
            change("client", "c1", Some("Maya Lewis")),
            change("session", "s1", Some("Maya Lewis")),
            change("photo", "p1", Some("Maya Lewis")),
        ])
        .expect("a batch with changes is an event");
        let got: Vec<_> = event.changes.iter().map(shown).collect();
        assert_eq!(
            got,
            [
                ("session".into(), "s1".into(), Some("Maya Lewis".into())),
                ("client".into(), "c1".into(), Some("Maya Lewis".into())),
                ("photo".into(), "p1".into(), Some("Maya Lewis".into())),
            ],
            "one entry per record, naming who changed it"
        );
        assert!(batch(Vec::new()).is_none(), "an empty batch is no event");
    }
}
