//! Actions on accounts: the first start's owner, adding accounts, disabling
//! them, passphrases and PINs, signing in, resuming a locked window and
//! confirming a signature. Passphrases and PINs are hashed and checked
//! outside the store's lock (a fraction of a second each, on purpose).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::account::{self, Account, Credentials, Hashes, NewAccount};
use crate::ids::{AccountId, PractitionerId};
use crate::seal::{DataKey, Keyring, RecoveryKey, SealProgress, Unlock};
use crate::{Error, Result};

use super::{Actor, Clinic, Clock, Ctx, Permission, Role};

/// The first start of a clinic: its name and its owner.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FirstOwner {
    pub clinic_name: String,
    pub name: String,
    pub passphrase: String,
    pub pin: String,
    /// The owner treats clients too: their practitioner record.
    pub treats: Option<account::Treats>,
}

/// Every account, by name.
pub fn list_accounts(ctx: &Ctx<'_>) -> Result<Vec<Account>> {
    ctx.require(Permission::ManageAccounts)?;
    ctx.clinic.read(|conn| account::list(conn))
}

/// The account signed in (None for the workstation).
pub fn me(ctx: &Ctx<'_>) -> Result<Option<Account>> {
    match ctx.actor.account() {
        Some(id) => Ok(Some(ctx.clinic.read(|conn| account::get(conn, id))?)),
        None => Ok(None),
    }
}

/// The accounts a person may pick at the sign-in screen: enabled ones,
/// by name (no role or link shown before signing in).
pub fn sign_in_names(clinic: &Clinic) -> Result<Vec<SignInName>> {
    if !clinic.is_open() {
        // Sealed shut: the names that can open it, from its keyring.
        let keyring = sealed_keyring(clinic)?;
        let mut names: Vec<SignInName> = keyring
            .names()
            .into_iter()
            .map(|(_, name)| SignInName {
                name,
                needs_passphrase: false,
            })
            .collect();
        names.sort_by_key(|n| n.name.to_lowercase());
        return Ok(names);
    }
    let accounts = clinic.read(|conn| account::list(conn))?;
    Ok(accounts
        .into_iter()
        .filter(|a| !a.disabled)
        .map(|a| SignInName {
            name: a.name,
            needs_passphrase: a.needs_passphrase,
        })
        .collect())
}

/// A name on the sign-in screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignInName {
    pub name: String,
    /// First use: the person chooses a passphrase and PIN now.
    pub needs_passphrase: bool,
}

/// Whether the clinic still needs its first owner (no account exists).
pub fn needs_first_owner(clinic: &Clinic) -> Result<bool> {
    if !clinic.is_open() {
        // Only a clinic with an owner is ever sealed.
        return Ok(false);
    }
    Ok(!clinic.read(|conn| account::any(conn))?)
}

fn sealed_keyring(clinic: &Clinic) -> Result<Keyring> {
    Keyring::read(clinic.data_dir())?.ok_or_else(|| {
        Error::Damaged(
            "the data folder's keyring (pinpoint.keys) is missing: restore it from a backup"
                .to_owned(),
        )
    })
}

/// Changes the sealed folder's keyring with `change` (outside the store's
/// lock: wrapping stretches a passphrase). Nothing for a folder in the
/// clear.
fn update_keyring(
    clinic: &Clinic,
    change: impl FnOnce(&mut Keyring, &DataKey) -> Result<()>,
) -> Result<()> {
    if !clinic.is_sealed() {
        return Ok(());
    }
    let key = clinic
        .key()
        .ok_or_else(|| Error::Locked("the data folder is sealed: sign in to open it".to_owned()))?;
    let mut keyring = sealed_keyring(clinic)?;
    change(&mut keyring, &key)?;
    keyring.write(clinic.data_dir())
}

/// Wraps the data key for `account` under `passphrase`, if the folder is
/// sealed and open.
fn wrap_for(clinic: &Clinic, account: &Account, passphrase: &str) -> Result<()> {
    update_keyring(clinic, |keyring, key| {
        keyring.set_account(key, account.id, &account.name, passphrase)
    })
}

/// Seals the clinic's data folder (the owner's work, once): a new data key,
/// wrapped by the owner's passphrase (checked first) and by a new recovery
/// key, returned to be shown once and printed. The database, photos and
/// cache are sealed crash-safely (see [`crate::seal::seal_folder`]).
pub fn seal_clinic(
    ctx: &Ctx<'_>,
    passphrase: &str,
    progress: &mut dyn FnMut(SealProgress),
) -> Result<RecoveryKey> {
    ctx.require(Permission::ManageAccounts)?;
    let Some(id) = ctx.actor.account() else {
        return Err(Error::Forbidden(
            "only the clinic's owner, signed in, can seal its data".to_owned(),
        ));
    };
    if ctx.clinic.is_clinic() {
        return Err(Error::Unsupported(
            "sealing encrypts a desktop's own data folder; in clinic mode the records are on \
             the clinic server, which the clinic's IT encrypts at rest"
                .to_owned(),
        ));
    }
    if ctx.clinic.is_sealed() {
        return Err(Error::Conflict(
            "the data folder is sealed already".to_owned(),
        ));
    }
    let credentials = ctx.clinic.read(|conn| account::credentials_of(conn, id))?;
    if !account::verify(&credentials, passphrase)? {
        return Err(Error::invalid("passphrase", "wrong passphrase"));
    }
    let key = DataKey::generate();
    let (mut keyring, recovery) = Keyring::new(&key);
    keyring.set_account(&key, id, &credentials.account.name, passphrase)?;
    // The chain is keyed from here on: what it said until now is recorded
    // first, so a break made before sealing is not hidden by the re-keying.
    let before = ctx.clinic.read(|conn| crate::audit::verify_chain(conn))?;
    let detail = match &before.first_broken {
        None => serde_json::json!({ "chain_before": "ok", "events": before.events }),
        Some(link) => serde_json::json!({
            "chain_before": "broken",
            "broken_at": link.seq,
            "reason": link.reason,
        }),
    };
    ctx.write(|tx| {
        crate::audit::record(
            tx,
            ctx.now(),
            "seal_folder",
            "clinic",
            "data_folder",
            &detail,
        )
    })?;
    ctx.clinic.seal(key, &keyring, progress)?;
    Ok(recovery)
}

/// The first start: names the clinic, creates the owner (signed in at
/// once), and turns each practitioner already on record into an account
/// that gets its passphrase when first used. Only while no account exists.
pub fn create_first_owner(clinic: &Clinic, clock: Clock, input: &FirstOwner) -> Result<Actor> {
    let hashes = Hashes {
        passphrase: Some(account::hash_passphrase(&input.passphrase)?),
        pin: Some(account::hash_pin(&input.pin)?),
    };
    let clinic_name = input.clinic_name.trim();
    if clinic_name.is_empty() {
        return Err(Error::invalid("clinic_name", "the clinic needs a name"));
    }
    let ids = super::FreshIds;
    let ctx = Ctx::new(clinic, clock).with_ids(&ids);
    let owner_id: AccountId = ctx.id();
    let owner = ctx.write(|tx| {
        if account::any(tx)? {
            return Err(Error::Conflict(
                "this clinic already has accounts; its owner adds new ones".to_owned(),
            ));
        }
        let mut settings = crate::settings::get(tx)?;
        settings.clinic_name = clinic_name.to_owned();
        crate::settings::save(tx, &settings, clock.now)?;
        let practitioners = crate::practitioner::list(tx)?;
        let owner_name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
        let same_name = practitioners
            .iter()
            .find(|p| !p.archived && p.name.eq_ignore_ascii_case(&owner_name));
        let owner_input = NewAccount {
            name: input.name.clone(),
            role: Role::Owner,
            practitioner_id: same_name.map(|p| p.id),
            treats: input.treats.clone().filter(|_| same_name.is_none()),
            passphrase: None,
            pin: None,
        };
        let owner = account::create(tx, (owner_id, ctx.id()), &owner_input, &hashes, clock.now)?;
        for practitioner in practitioners {
            if practitioner.archived || Some(practitioner.id) == owner.practitioner_id {
                continue;
            }
            adopt(tx, &ctx, &practitioner, clock)?;
        }
        Ok(owner)
    })?;
    Ok(Actor::Account {
        id: owner.id,
        name: owner.name,
        role: owner.role,
    })
}

/// An account for a practitioner already on record, without a passphrase
/// yet; a second practitioner of the same name gets a number.
fn adopt(
    tx: crate::db::Db<'_>,
    ctx: &Ctx<'_>,
    practitioner: &crate::practitioner::Practitioner,
    clock: Clock,
) -> Result<Account> {
    let mut name = practitioner.name.clone();
    let mut n = 2;
    while account::credentials(tx, &name).is_ok() {
        name = format!("{} ({n})", practitioner.name);
        n += 1;
    }
    let input = NewAccount {
        name,
        role: Role::Practitioner,
        practitioner_id: Some(practitioner.id),
        treats: None,
        passphrase: None,
        pin: None,
    };
    account::create(
        tx,
        (ctx.id(), ctx.id()),
        &input,
        &Hashes::default(),
        clock.now,
    )
}

fn hashes_for(passphrase: Option<&str>, pin: Option<&str>) -> Result<Hashes> {
    Ok(Hashes {
        passphrase: passphrase.map(account::hash_passphrase).transpose()?,
        pin: pin.map(account::hash_pin).transpose()?,
    })
}

/// Adds an account (the owner's work), with a new practitioner record when
/// `input.treats` says so.
pub fn add_account(ctx: &Ctx<'_>, input: &NewAccount) -> Result<Account> {
    ctx.require(Permission::ManageAccounts)?;
    let hashes = hashes_for(input.passphrase.as_deref(), input.pin.as_deref())?;
    let id: AccountId = ctx.id();
    let practitioner: PractitionerId = ctx.id();
    let created =
        ctx.write(|tx| account::create(tx, (id, practitioner), input, &hashes, ctx.now()))?;
    if let Some(passphrase) = &input.passphrase {
        wrap_for(ctx.clinic, &created, passphrase)?;
    }
    Ok(created)
}

/// Disables or enables an account. The last enabled owner stays enabled,
/// so the clinic can always be managed.
pub fn set_account_disabled(ctx: &Ctx<'_>, id: AccountId, disabled: bool) -> Result<Account> {
    ctx.require(Permission::ManageAccounts)?;
    ctx.write(|tx| {
        let target = account::get(tx, id)?;
        let other_owners = account::list(tx)?
            .iter()
            .filter(|a| a.role == Role::Owner && !a.disabled && a.id != id)
            .count();
        if disabled && target.role == Role::Owner && other_owners == 0 {
            return Err(Error::Conflict(format!(
                "{} is the clinic's only owner; add another owner first",
                target.name
            )));
        }
        account::set_disabled(tx, id, disabled, ctx.now())
    })
    .and_then(|account| {
        // A disabled account unlocks nothing; enabled again, it gets its
        // wrap back at its next sign-in or new passphrase.
        if disabled {
            update_keyring(ctx.clinic, |keyring, _| {
                keyring.remove_account(id);
                Ok(())
            })?;
        }
        Ok(account)
    })
}

/// Sets an account's passphrase (and PIN when given): one's own, or
/// anyone's for the owner.
pub fn set_passphrase(
    ctx: &Ctx<'_>,
    id: AccountId,
    passphrase: &str,
    pin: Option<&str>,
) -> Result<Account> {
    let own = ctx.actor.account() == Some(id);
    if !own {
        ctx.require(Permission::ManageAccounts)?;
    }
    let hashes = hashes_for(Some(passphrase), pin)?;
    // The key is wrapped again first: the data is not re-encrypted.
    let target = ctx.clinic.read(|conn| account::get(conn, id))?;
    wrap_for(ctx.clinic, &target, passphrase)?;
    ctx.write(|tx| account::set_passphrase(tx, id, &hashes, ctx.now()))
}

/// Sets one's own PIN.
pub fn set_pin(ctx: &Ctx<'_>, pin: &str) -> Result<Account> {
    let Some(id) = ctx.actor.account() else {
        return Err(Error::invalid("pin", "sign in to set a PIN"));
    };
    let hashes = hashes_for(None, Some(pin))?;
    ctx.write(|tx| account::set_passphrase(tx, id, &hashes, ctx.now()))
}

fn actor_of(account: &Account) -> Actor {
    Actor::Account {
        id: account.id,
        name: account.name.clone(),
        role: account.role,
    }
}

/// Signs in: the actor every following action runs as. A wrong passphrase
/// is refused with a growing wait before the next try; the try is recorded
/// either way.
///
/// A sealed folder that is closed is opened by this: the passphrase
/// unwraps the data key (a wrong one waits as above, counted in memory
/// since the database cannot be read yet). An account signing in to an
/// open sealed folder without a wrap of its own gets one.
pub fn sign_in(clinic: &Clinic, clock: Clock, name: &str, passphrase: &str) -> Result<Actor> {
    let unlocked = if clinic.is_open() {
        false
    } else {
        unlock_by_passphrase(clinic, clock.now, name, passphrase)?;
        true
    };
    let outcome = (|| {
        let credentials = clinic.read(|conn| account::credentials(conn, name))?;
        account::check_may_try(&credentials, clock.now)?;
        // The unwrapped key proved the passphrase already.
        let matches = unlocked || account::verify(&credentials, passphrase)?;
        let actor = actor_of(&credentials.account);
        let refusal = clinic.write(&actor.stamp(), |tx| {
            account::record_attempt(tx, &credentials, matches, clock.now)
        })?;
        if let Some(error) = refusal {
            return Err(error);
        }
        if clinic.is_sealed()
            && !unlocked
            && !sealed_keyring(clinic)?.has_account(credentials.account.id)
        {
            wrap_for(clinic, &credentials.account, passphrase)?;
        }
        Ok(actor)
    })();
    // Opened for nobody: closed again.
    if outcome.is_err() && unlocked {
        clinic.close();
    }
    outcome
}

/// Prints the recovery sheet of this sealed folder to `out` (PDF), after
/// checking that `recovery_key` really opens it: a mistyped key is never
/// printed. The owner's work.
pub fn recovery_sheet(
    ctx: &Ctx<'_>,
    recovery_key: &str,
    out: &std::path::Path,
    replace: bool,
) -> Result<crate::report::WrittenPdf> {
    ctx.require(Permission::ManageAccounts)?;
    let key = RecoveryKey::parse(recovery_key)?;
    sealed_keyring(ctx.clinic)?.unlock(Unlock::Recovery(recovery_key))?;
    let out = crate::report::pdf_path(out);
    crate::report::check_out_file(&out, replace)?;
    let clinic = ctx
        .clinic
        .read(|conn| crate::settings::get(conn))?
        .clinic_name;
    let folder = std::fs::canonicalize(ctx.clinic.data_dir())
        .unwrap_or_else(|_| ctx.clinic.data_dir().to_owned())
        .display()
        .to_string();
    let prepared =
        crate::report::prepare_recovery_sheet(&clinic, &folder, &key, ctx.today(), ctx.now());
    let written = crate::report::write_pdf(&out, &prepared.render()?)?;
    ctx.write(|tx| {
        crate::audit::record(
            tx,
            ctx.now(),
            "print",
            "clinic",
            "recovery_sheet",
            &serde_json::json!({ "document": "recovery_sheet" }),
        )
    })?;
    Ok(written)
}

/// Wrong passphrases at a sealed, closed folder, by folder and name: how
/// many in a row and when the next try may come.
static SEALED_FAILURES: Mutex<Option<HashMap<String, Failures>>> = Mutex::new(None);

/// Wrong tries in a row, and when the next may come.
type Failures = (u32, DateTime<Utc>);

fn unlock_by_passphrase(
    clinic: &Clinic,
    now: DateTime<Utc>,
    name: &str,
    passphrase: &str,
) -> Result<()> {
    let who = format!(
        "{}\n{}",
        clinic.data_dir().display(),
        name.trim().to_lowercase()
    );
    {
        let failures = SEALED_FAILURES
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, retry_after)) = failures.as_ref().and_then(|f| f.get(&who)) {
            if *retry_after > now {
                let seconds = (*retry_after - now).num_seconds().max(1);
                return Err(Error::Locked(format!(
                    "too many wrong passphrases; try again in {seconds} s"
                )));
            }
        }
    }
    let keyring = sealed_keyring(clinic)?;
    match keyring.unlock(Unlock::Passphrase { name, passphrase }) {
        Ok((key, _)) => {
            if let Some(failures) = SEALED_FAILURES
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_mut()
            {
                failures.remove(&who);
            }
            clinic.unlock(key)
        }
        Err(error) => {
            let mut failures = SEALED_FAILURES
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let entry = failures
                .get_or_insert_with(HashMap::new)
                .entry(who)
                .or_insert((0, now));
            entry.0 += 1;
            let wait = 1i64 << entry.0.saturating_sub(1).min(6);
            entry.1 = now + chrono::Duration::seconds(wait.min(60));
            Err(error)
        }
    }
}

/// Opens a sealed folder with its recovery key and gives `name` a new
/// passphrase and PIN (the owner who forgot theirs, or the only way in
/// after a lost keyring wrap), signed in as that account.
pub fn recover_account(
    clinic: &Clinic,
    clock: Clock,
    recovery_key: &str,
    name: &str,
    passphrase: &str,
    pin: &str,
) -> Result<Actor> {
    if !clinic.is_sealed() {
        return Err(Error::Conflict(
            "this data folder is not sealed; sign in with a passphrase".to_owned(),
        ));
    }
    let hashes = hashes_for(Some(passphrase), Some(pin))?;
    let (key, _) = sealed_keyring(clinic)?.unlock(Unlock::Recovery(recovery_key))?;
    let opened_here = !clinic.is_open();
    clinic.unlock(key)?;
    let outcome = (|| {
        let credentials = clinic.read(|conn| account::credentials(conn, name))?;
        if credentials.account.disabled {
            return Err(Error::Forbidden(format!(
                "the account {} is disabled",
                credentials.account.name
            )));
        }
        wrap_for(clinic, &credentials.account, passphrase)?;
        let actor = actor_of(&credentials.account);
        clinic.write(&actor.stamp(), |tx| {
            account::set_passphrase(tx, credentials.account.id, &hashes, clock.now)?;
            crate::audit::record(
                tx,
                clock.now,
                "recover_account",
                "account",
                &credentials.account.id.to_string(),
                &serde_json::json!({}),
            )?;
            account::record_attempt(tx, &credentials, true, clock.now)?;
            Ok(())
        })?;
        Ok(actor)
    })();
    if outcome.is_err() && opened_here {
        clinic.close();
    }
    outcome
}

/// The first use of an account made without a passphrase (a practitioner
/// on record before accounts, or one the owner added without one): the
/// person chooses a passphrase and PIN and is signed in.
pub fn claim_account(
    clinic: &Clinic,
    clock: Clock,
    name: &str,
    passphrase: &str,
    pin: &str,
) -> Result<Actor> {
    let credentials = clinic.read(|conn| account::credentials(conn, name))?;
    if credentials.account.disabled {
        return Err(Error::Forbidden(format!(
            "the account {} is disabled; the clinic's owner can enable it",
            credentials.account.name
        )));
    }
    if !credentials.account.needs_passphrase {
        return Err(Error::Conflict(format!(
            "{} already has a passphrase; sign in with it",
            credentials.account.name
        )));
    }
    let hashes = hashes_for(Some(passphrase), Some(pin))?;
    let actor = actor_of(&credentials.account);
    clinic.write(&actor.stamp(), |tx| {
        // Checked again inside the write: two people cannot both claim it.
        if !account::get(tx, credentials.account.id)?.needs_passphrase {
            return Err(Error::Conflict(format!(
                "{} already has a passphrase; sign in with it",
                credentials.account.name
            )));
        }
        account::set_passphrase(tx, credentials.account.id, &hashes, clock.now)?;
        account::record_attempt(tx, &credentials, true, clock.now)?;
        Ok(())
    })?;
    wrap_for(clinic, &credentials.account, passphrase)?;
    Ok(actor)
}

/// Checks account `id`'s PIN, counting a wrong one; `purpose` is what it
/// confirms ("resume", "sign").
fn check_pin(
    clinic: &Clinic,
    clock: Clock,
    id: AccountId,
    pin: &str,
    purpose: &str,
) -> Result<Credentials> {
    let credentials = clinic.read(|conn| account::credentials_of(conn, id))?;
    account::check_may_try_pin(&credentials)?;
    let matches = account::verify_pin(&credentials, pin)?;
    let stamp = actor_of(&credentials.account).stamp();
    let refusal = clinic.write(&stamp, |tx| {
        account::record_pin_attempt(tx, &credentials, matches, purpose, clock.now)
    })?;
    match refusal {
        Some(error) => Err(error),
        None => Ok(credentials),
    }
}

/// Resumes a locked window with the PIN of the account that locked it.
/// After five wrong PINs only the passphrase opens it.
pub fn resume(clinic: &Clinic, clock: Clock, id: AccountId, pin: &str) -> Result<Actor> {
    let credentials = check_pin(clinic, clock, id, pin, "resume")?;
    Ok(actor_of(&credentials.account))
}

/// Confirms that the signed-in person is at the keyboard before a
/// signature: their PIN. The workstation (a clinic without accounts)
/// confirms nothing.
pub(crate) fn confirm_signature(ctx: &Ctx<'_>, pin: Option<&str>) -> Result<()> {
    let Some(id) = ctx.actor.account() else {
        return Ok(());
    };
    let Some(pin) = pin else {
        return Err(Error::invalid("pin", "enter your PIN to sign"));
    };
    check_pin(ctx.clinic, ctx.clock, id, pin, "sign").map(|_| ())
}
