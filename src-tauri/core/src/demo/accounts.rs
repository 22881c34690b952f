//! The demo clinic's accounts, one per role, all with the same documented
//! demo passphrase and PIN so a newcomer can open it with one command. Its
//! signed sessions become signatures of the practitioners' accounts, and
//! the sessions of the practitioner who is not a prescriber wait for, or
//! have, the medical director's co-signature.

use chrono::{DateTime, Duration, Utc};

use crate::account::{self, Hashes, NewAccount};
use crate::action::Role;
use crate::db::{Db, Engine};
use crate::ids::{AccountId, PractitionerId, SessionId};
use crate::settings::{self, CosignRule};
use crate::store::format_instant;
use crate::{session, Result};

/// Every demo account's passphrase (documented in the README).
pub const DEMO_PASSPHRASE: &str = "lumen demo 2026";
/// Every demo account's PIN.
pub const DEMO_PIN: &str = "2026";

/// The demo accounts: name, role, and which demo practitioner (by its
/// place in the list) the account treats as.
pub const DEMO_ACCOUNTS: &[(&str, Role, Option<usize>)] = &[
    ("Dr. Amara Okafor", Role::Owner, Some(0)),
    ("Sofia Lindqvist", Role::Practitioner, Some(1)),
    ("Mateo García", Role::Practitioner, Some(2)),
    ("Jamie Reid", Role::Assistant, None),
    ("Dr. Henrik Sato", Role::Reviewer, None),
];

/// The hashes every demo account shares, made once, outside the store's
/// lock (a demo reveals nothing by sharing them: they are documented).
pub fn account_hashes() -> Result<Hashes> {
    Ok(Hashes {
        passphrase: Some(account::hash_passphrase(DEMO_PASSPHRASE)?),
        pin: Some(account::hash_pin(DEMO_PIN)?),
    })
}

/// Adds the demo accounts to a clinic just filled with the demo (and still
/// without accounts); returns how many.
pub fn add_accounts<'c>(
    tx: impl Into<Db<'c>>,
    hashes: &Hashes,
    now: DateTime<Utc>,
) -> Result<usize> {
    let tx = tx.into();
    // The demo's practitioners share one `created_at`: the order they were
    // made in breaks the tie. PostgreSQL has no rowid; their ids are
    // time-ordered (UUID v7, made one after another) and say the same.
    let practitioners: Vec<PractitionerId> = tx.query_map(
        match tx.engine() {
            Engine::Sqlite => "SELECT id FROM practitioner ORDER BY created_at, rowid",
            Engine::Postgres => "SELECT id FROM practitioner ORDER BY created_at, id",
        },
        &[],
        |row| row.get(0),
    )?;
    let mut linked = Vec::new();
    for (name, role, treats) in DEMO_ACCOUNTS {
        let input = NewAccount {
            name: (*name).to_owned(),
            role: *role,
            practitioner_id: treats.and_then(|i| practitioners.get(i).copied()),
            treats: None,
            passphrase: None,
            pin: None,
        };
        let made = account::create(
            tx,
            (AccountId::new(), PractitionerId::new()),
            &input,
            hashes,
            now,
        )?;
        if let Some(practitioner) = made.practitioner_id {
            linked.push((practitioner, made.id));
        }
    }
    // The first two demo practitioners prescribe; the third does not, so
    // the clinic asks for co-signatures of the sessions that one signs.
    for (i, practitioner) in practitioners.iter().enumerate() {
        crate::practitioner::set_prescriber(tx, *practitioner, i < 2)?;
    }
    let mut clinic = settings::get(tx)?;
    clinic.cosign = CosignRule::NonPrescribers;
    settings::save(tx, &clinic, now)?;
    let director = linked.first().map(|(_, account)| *account);
    for (practitioner, account) in &linked {
        sign_as(tx, *practitioner, *account, director, now)?;
    }
    Ok(DEMO_ACCOUNTS.len())
}

/// Makes the demo signatures of `practitioner`'s sessions the account's,
/// with the hash of what they cover; a non-prescriber's sessions older
/// than two weeks are co-signed by the director, newer ones wait.
fn sign_as(
    tx: Db<'_>,
    practitioner: PractitionerId,
    account: AccountId,
    director: Option<AccountId>,
    now: DateTime<Utc>,
) -> Result<()> {
    let prescriber = crate::practitioner::get(tx, practitioner)?.prescriber;
    let signed: Vec<SessionId> = tx.query_map(
        "SELECT id FROM treatment_session WHERE signed_by = ?1 AND signed_at IS NOT NULL",
        &[&practitioner],
        |row| row.get(0),
    )?;
    for id in signed {
        let session = session::get(tx, id)?;
        let hash = session::content_hash(&session);
        let waits = CosignRule::NonPrescribers.applies(prescriber);
        let signed_at = session.signed_at.unwrap_or(now);
        let cosigned = (waits && now - signed_at > Duration::days(14))
            .then_some(director)
            .flatten();
        tx.execute(
            "UPDATE treatment_session SET signed_by_account = ?2, signed_hash = ?3,
                    cosign_required = ?4, cosigned_by_account = ?5, cosigned_hash = ?6,
                    cosigned_at = ?7
             WHERE id = ?1",
            &[
                &id,
                &account,
                &hash,
                &waits,
                &cosigned,
                &cosigned.map(|_| hash.as_str()),
                &cosigned.map(|_| format_instant(signed_at + Duration::days(1))),
            ],
        )?;
    }
    Ok(())
}
