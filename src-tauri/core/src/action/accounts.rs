//! Actions on accounts: the first owner of a new clinic, adding accounts,
//! disabling them, setting passphrases, and signing in. Passphrases are
//! hashed and checked outside the store's lock (about half a second each).

use crate::account::{self, Account, NewAccount};
use crate::ids::AccountId;
use crate::{Error, Result};

use super::{Actor, Clinic, Clock, Ctx, Permission, Role};

/// Every account, by name.
pub fn list_accounts(ctx: &Ctx<'_>) -> Result<Vec<Account>> {
    ctx.require(Permission::ManageAccounts)?;
    ctx.clinic.read(account::list)
}

/// Whether the clinic still needs its first owner (no account exists).
pub fn needs_first_owner(ctx: &Ctx<'_>) -> Result<bool> {
    Ok(!ctx.clinic.read(account::any)?)
}

/// The first start's owner account: only while the clinic has no account.
pub fn create_first_owner(ctx: &Ctx<'_>, name: &str, passphrase: &str) -> Result<Account> {
    let hash = account::hash_passphrase(passphrase)?;
    let id: AccountId = ctx.id();
    ctx.clinic.write(|tx| {
        if account::any(tx)? {
            return Err(Error::Conflict(
                "this clinic already has accounts; its owner adds new ones".to_owned(),
            ));
        }
        let input = NewAccount {
            name: name.to_owned(),
            role: Role::Owner,
            practitioner_id: None,
            passphrase: None,
        };
        account::create(tx, id, &input, Some(&hash), ctx.now())
    })
}

/// Adds an account (the owner's work).
pub fn add_account(ctx: &Ctx<'_>, input: &NewAccount) -> Result<Account> {
    ctx.require(Permission::ManageAccounts)?;
    let hash = input
        .passphrase
        .as_deref()
        .map(account::hash_passphrase)
        .transpose()?;
    let id: AccountId = ctx.id();
    ctx.clinic
        .write(|tx| account::create(tx, id, input, hash.as_deref(), ctx.now()))
}

/// Disables or enables an account. The last enabled owner stays enabled,
/// so the clinic can always be managed.
pub fn set_account_disabled(ctx: &Ctx<'_>, id: AccountId, disabled: bool) -> Result<Account> {
    ctx.require(Permission::ManageAccounts)?;
    ctx.clinic.write(|tx| {
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
}

/// Sets an account's passphrase: one's own, or anyone's for the owner.
pub fn set_passphrase(ctx: &Ctx<'_>, id: AccountId, passphrase: &str) -> Result<Account> {
    let own = matches!(&ctx.actor, Actor::Account { id: me, .. } if *me == id);
    if !own {
        ctx.require(Permission::ManageAccounts)?;
    }
    let hash = account::hash_passphrase(passphrase)?;
    ctx.clinic
        .write(|tx| account::set_passphrase(tx, id, &hash, ctx.now()))
}

/// Signs in: the actor every following action runs as. A wrong passphrase
/// is refused with a growing wait before the next try; the try is recorded
/// either way.
pub fn sign_in(clinic: &Clinic, clock: Clock, name: &str, passphrase: &str) -> Result<Actor> {
    let credentials = clinic.read(|conn| account::credentials(conn, name))?;
    account::check_may_try(&credentials, clock.now)?;
    let matches = account::verify(&credentials, passphrase)?;
    let refusal =
        clinic.write(|tx| account::record_attempt(tx, &credentials, matches, clock.now))?;
    match refusal {
        Some(error) => Err(error),
        None => Ok(Actor::Account {
            id: credentials.account.id,
            name: credentials.account.name.clone(),
            role: credentials.account.role,
        }),
    }
}
