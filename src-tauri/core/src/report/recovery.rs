//! The recovery sheet: the recovery key of a sealed data folder on one
//! printed page, with what it opens and how to use it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::engine::Document;
use super::{day, Prepared};
use crate::seal::RecoveryKey;

const RECOVERY_TEMPLATE: &str = include_str!("templates/recovery.typ");

#[derive(Serialize)]
struct RecoveryData {
    title: String,
    clinic: String,
    practitioners: String,
    footer: String,
    folder: String,
    sealed_on: String,
    groups: Vec<String>,
    alphabet: String,
    opens: String,
    keep: Vec<String>,
    #[serde(rename = "use")]
    how_to_use: Vec<String>,
}

/// The recovery sheet of the clinic `clinic` whose folder `folder` is
/// sealed under `key`.
pub fn prepare_recovery_sheet(
    clinic: &str,
    folder: &str,
    key: &RecoveryKey,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Prepared {
    let shown = key.to_string();
    let data = RecoveryData {
        title: "Recovery sheet".to_owned(),
        clinic: clinic.to_owned(),
        practitioners: String::new(),
        footer: format!("{clinic} · recovery sheet · printed {}", day(today)),
        folder: folder.to_owned(),
        sealed_on: day(today),
        groups: shown.split('-').map(str::to_owned).collect(),
        alphabet: "Digits 0–9 and capital letters; there is no I, L, O or U. Type it with or \
                   without the dashes."
            .to_owned(),
        opens: "Pinpoint keeps this clinic's records, photos and backups encrypted. Each \
                account's passphrase opens them, and so does this key. Anyone who has this \
                sheet and a copy of the data folder or a backup can read every client's \
                record: keep it as you would keep the records themselves."
            .to_owned(),
        keep: vec![
            "In the clinic's safe, away from the computer and away from the backup drives."
                .to_owned(),
            "Never in an email, a chat, a photo on a phone or a file on this computer.".to_owned(),
            "Make one copy for a second safe place if the clinic has one.".to_owned(),
        ],
        how_to_use: vec![
            "Every passphrase is forgotten: on the sign-in screen, choose \"Use the recovery \
             key\", type it, and choose a new passphrase and PIN for the owner."
                .to_owned(),
            "Restoring a backup on a new computer: pinpoint restore ARCHIVE with the key in a \
             file named by PINPOINT_RECOVERY_KEY_FILE (or a passphrase with --user)."
                .to_owned(),
            "The key never changes when passphrases change. Print a new sheet only if the \
             data folder is sealed again."
                .to_owned(),
        ],
    };
    Prepared {
        doc: Document {
            template: RECOVERY_TEMPLATE,
            data: serde_json::to_value(&data).expect("document data serialises"),
            files: Vec::new(),
            title: format!("Recovery sheet: {clinic}"),
        },
        now,
        photos: 0,
    }
}
