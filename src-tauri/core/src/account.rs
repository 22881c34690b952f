//! Accounts: the people who sign in, each with a role. A passphrase is kept
//! only as an Argon2id hash (a salted PHC string); a wrong one is refused
//! with a growing wait before the next try; an account is disabled, never
//! deleted, so what it did stays attributable.
//!
//! Checking a passphrase takes about half a second on purpose, so it runs
//! outside the store's lock: `credentials` reads the stored hash, `verify`
//! checks it with no database at hand, `record_attempt` writes the outcome.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::action::Role;
use crate::audit;
use crate::db::{Db, Row};
use crate::ids::{AccountId, PractitionerId};
use crate::store::{format_instant, read_instant};
use crate::{Error, Result};

/// Argon2id memory in KiB, passes and lanes. Measured on our 2-core
/// machines (release build): 128 MiB and 4 passes take about 440 ms, the
/// half second a sign-in may cost; 64 MiB and 3 passes took 170 ms, 256 MiB
/// and 3 passes 840 ms.
const MEMORY_KIB: u32 = 128 * 1024;
const PASSES: u32 = 4;
const LANES: u32 = 1;

/// The shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE: usize = 10;

/// A PIN's length in digits: it resumes a locked window and confirms a
/// signature, never opens a cold one.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

/// Wrong PINs in a row after which only the passphrase opens the window.
pub const MAX_PIN_FAILURES: u32 = 5;

/// Argon2id for PINs: 64 MiB and 3 passes, about 170 ms here. A PIN's
/// strength is the five tries it gets, not the hash; it is hashed so the
/// file does not show it.
const PIN_MEMORY_KIB: u32 = 64 * 1024;
const PIN_PASSES: u32 = 3;

/// The longest wait after wrong passphrases, in seconds.
const MAX_WAIT_SECONDS: i64 = 60;

/// A person who signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub role: Role,
    /// The practitioner this account treats as, for clinical accounts.
    pub practitioner_id: Option<PractitionerId>,
    /// No passphrase yet: one is set when the account is first used.
    pub needs_passphrase: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// An account as the owner adds it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewAccount {
    pub name: String,
    pub role: Role,
    /// The practitioner this account treats as, when there is one already.
    pub practitioner_id: Option<PractitionerId>,
    /// A new practitioner to create under the account's name and link.
    pub treats: Option<Treats>,
    /// None: the person sets it (and their PIN) when they first sign in.
    pub passphrase: Option<String>,
    pub pin: Option<String>,
}

/// What a clinical account's practitioner record says.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Treats {
    /// Qualifications as printed on reports, e.g. "RN, Aesthetic Nurse".
    pub credentials: String,
    /// May prescribe: a clinic can ask others' sessions to be co-signed.
    pub prescriber: bool,
}

/// What checking a passphrase or PIN needs, read under the lock.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub account: Account,
    hash: Option<String>,
    failed_attempts: u32,
    retry_after: Option<DateTime<Utc>>,
    pin_hash: Option<String>,
    pin_failures: u32,
}

/// The Argon2id of passphrases, also what stretches a passphrase into the
/// key that wraps the data key (`seal.rs`).
pub(crate) fn passphrase_argon2() -> Argon2<'static> {
    argon2()
}

fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid Argon2 parameters"),
    )
}

fn argon2_for_pins() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(PIN_MEMORY_KIB, PIN_PASSES, LANES, None).expect("valid Argon2 parameters"),
    )
}

/// The salted hash of `pin`, refused unless it is 4 to 8 digits.
pub fn hash_pin(pin: &str) -> Result<String> {
    let digits = pin.chars().count();
    if !pin.chars().all(|c| c.is_ascii_digit()) || !PIN_DIGITS.contains(&digits) {
        return Err(Error::invalid(
            "pin",
            format!(
                "a PIN is {} to {} digits",
                PIN_DIGITS.start(),
                PIN_DIGITS.end()
            ),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    argon2_for_pins()
        .hash_password(pin.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Damaged(format!("the PIN could not be hashed: {e}")))
}

/// Whether `pin` matches the account's PIN. Slow on purpose: outside the
/// store's lock.
pub fn verify_pin(credentials: &Credentials, pin: &str) -> Result<bool> {
    let Some(stored) = &credentials.pin_hash else {
        return Ok(false);
    };
    let parsed = PasswordHash::new(stored).map_err(|e| {
        Error::Damaged(format!(
            "account {}: the stored PIN hash cannot be read ({e})",
            credentials.account.name
        ))
    })?;
    Ok(argon2_for_pins()
        .verify_password(pin.as_bytes(), &parsed)
        .is_ok())
}

/// The salted Argon2id hash of `passphrase`, refused when it is too short.
/// Slow on purpose: call it outside the store's lock.
pub fn hash_passphrase(passphrase: &str) -> Result<String> {
    let length = passphrase.chars().count();
    if length < MIN_PASSPHRASE {
        return Err(Error::invalid(
            "passphrase",
            format!(
                "a passphrase needs at least {MIN_PASSPHRASE} characters; this one has {length}"
            ),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(passphrase.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Damaged(format!("the passphrase could not be hashed: {e}")))
}

/// Whether `passphrase` matches the stored hash (its own parameters and salt
/// are in it). Slow on purpose: call it outside the store's lock.
pub fn verify(credentials: &Credentials, passphrase: &str) -> Result<bool> {
    let Some(stored) = &credentials.hash else {
        return Ok(false);
    };
    let parsed = PasswordHash::new(stored).map_err(|e| {
        Error::Damaged(format!(
            "account {}: the stored passphrase hash cannot be read ({e})",
            credentials.account.name
        ))
    })?;
    Ok(argon2()
        .verify_password(passphrase.as_bytes(), &parsed)
        .is_ok())
}

const COLUMNS: &str = "id, name, role, practitioner_id, passphrase_hash IS NULL, disabled, \
     created_at, passphrase_hash, failed_attempts, retry_after, pin_hash, pin_failures";

fn from_row(row: &Row) -> Result<Account> {
    let id: AccountId = row.get(0)?;
    let role: String = row.get(2)?;
    Ok(Account {
        id,
        name: row.get(1)?,
        role: Role::from_record(&role, format_args!("account {id}"))?,
        practitioner_id: row.get(3)?,
        needs_passphrase: row.get(4)?,
        disabled: row.get(5)?,
        created_at: read_instant(&row.get::<String>(6)?)?,
    })
}

fn credentials_from_row(row: &Row) -> Result<Credentials> {
    let retry_after: Option<String> = row.get(9)?;
    Ok(Credentials {
        account: from_row(row)?,
        hash: row.get(7)?,
        failed_attempts: row.get(8)?,
        retry_after: retry_after.map(|t| read_instant(&t)).transpose()?,
        pin_hash: row.get(10)?,
        pin_failures: row.get(11)?,
    })
}

/// Every account, by name.
pub fn list<'c>(conn: impl Into<Db<'c>>) -> Result<Vec<Account>> {
    let conn = conn.into();
    conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM account ORDER BY {}",
            conn.text_order("name")
        ),
        &[],
        from_row,
    )
}

pub fn get<'c>(conn: impl Into<Db<'c>>, id: AccountId) -> Result<Account> {
    conn.into().query_one(
        &format!("SELECT {COLUMNS} FROM account WHERE id = ?1"),
        &[&id],
        &format!("account {id}"),
        from_row,
    )
}

/// Whether the clinic has any account yet (none: the first start's setup
/// is still to come).
pub fn any<'c>(conn: impl Into<Db<'c>>) -> Result<bool> {
    conn.into().query_one(
        "SELECT EXISTS (SELECT 1 FROM account)",
        &[],
        "whether any account exists",
        |row| row.get(0),
    )
}

/// What signing in as `name` needs to check, read under the lock.
pub fn credentials<'c>(conn: impl Into<Db<'c>>, name: &str) -> Result<Credentials> {
    let conn = conn.into();
    conn.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM account WHERE {}",
            conn.same_text("name", "?1")
        ),
        &[&name.trim()],
        credentials_from_row,
    )?
    .ok_or_else(|| {
        Error::invalid(
            "name",
            format!("there is no account called {:?}", name.trim()),
        )
    })
}

/// What resuming or signing as account `id` needs to check.
pub fn credentials_of<'c>(conn: impl Into<Db<'c>>, id: AccountId) -> Result<Credentials> {
    conn.into().query_one(
        &format!("SELECT {COLUMNS} FROM account WHERE id = ?1"),
        &[&id],
        &format!("account {id}"),
        credentials_from_row,
    )
}

/// The hashes an account is created with, made before the transaction.
#[derive(Debug, Clone, Default)]
pub struct Hashes {
    pub passphrase: Option<String>,
    pub pin: Option<String>,
}

/// Adds an account with the hashes made before the transaction
/// ([`hash_passphrase`], [`hash_pin`]).
///
/// `new_practitioner` is the id a practitioner made for `input.treats`
/// gets.
pub fn create<'c>(
    tx: impl Into<Db<'c>>,
    (id, new_practitioner): (AccountId, PractitionerId),
    input: &NewAccount,
    hashes: &Hashes,
    now: DateTime<Utc>,
) -> Result<Account> {
    let tx = tx.into();
    let name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::invalid("name", "an account needs a name"));
    }
    let taken: bool = tx.query_one(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM account WHERE {})",
            tx.same_text("name", "?1")
        ),
        &[&name],
        "whether the account name is taken",
        |row| row.get(0),
    )?;
    if taken {
        return Err(Error::invalid(
            "name",
            format!("there is already an account called {name:?}"),
        ));
    }
    let practitioner_id = match (&input.treats, input.practitioner_id) {
        (_, Some(practitioner)) => {
            crate::practitioner::get(tx, practitioner)?;
            let linked: bool = tx.query_one(
                "SELECT EXISTS (SELECT 1 FROM account WHERE practitioner_id = ?1)",
                &[&practitioner],
                "whether the practitioner has an account",
                |row| row.get(0),
            )?;
            if linked {
                return Err(Error::invalid(
                    "practitioner_id",
                    "that practitioner already has an account",
                ));
            }
            Some(practitioner)
        }
        (Some(treats), None) => {
            let practitioner = new_practitioner;
            crate::practitioner::create(tx, practitioner, &name, &treats.credentials, now)?;
            crate::practitioner::set_prescriber(tx, practitioner, treats.prescriber)?;
            Some(practitioner)
        }
        (None, None) => None,
    };
    tx.execute(
        "INSERT INTO account (id, name, role, practitioner_id, passphrase_hash, pin_hash,
                              created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        &[
            &id,
            &name,
            &input.role.as_str(),
            &practitioner_id,
            &hashes.passphrase,
            &hashes.pin,
            &format_instant(now),
        ],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "account",
        &id.to_string(),
        &serde_json::json!({ "role": input.role.as_str() }),
    )?;
    get(tx, id)
}

/// Sets a new passphrase hash (the first one, or a change), and a new
/// PIN's when one is given.
pub fn set_passphrase<'c>(
    tx: impl Into<Db<'c>>,
    id: AccountId,
    hashes: &Hashes,
    now: DateTime<Utc>,
) -> Result<Account> {
    let tx = tx.into();
    get(tx, id)?;
    tx.execute(
        "UPDATE account SET passphrase_hash = coalesce(?2, passphrase_hash),
                pin_hash = coalesce(?3, pin_hash), failed_attempts = 0, retry_after = NULL,
                pin_failures = 0, updated_at = ?4
         WHERE id = ?1",
        &[&id, &hashes.passphrase, &hashes.pin, &format_instant(now)],
    )?;
    audit::record(
        tx,
        now,
        "passphrase",
        "account",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get(tx, id)
}

/// Disables or enables an account; a disabled one cannot sign in.
pub fn set_disabled<'c>(
    tx: impl Into<Db<'c>>,
    id: AccountId,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<Account> {
    let tx = tx.into();
    get(tx, id)?;
    tx.execute(
        "UPDATE account SET disabled = ?2, updated_at = ?3 WHERE id = ?1",
        &[&id, &disabled, &format_instant(now)],
    )?;
    audit::record(
        tx,
        now,
        if disabled { "disable" } else { "enable" },
        "account",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get(tx, id)
}

/// Refuses a sign-in before its passphrase is checked: a disabled account,
/// one without a passphrase yet, or a try before the wait after wrong ones
/// is over.
pub fn check_may_try(credentials: &Credentials, now: DateTime<Utc>) -> Result<()> {
    let account = &credentials.account;
    if account.disabled {
        return Err(Error::Forbidden(format!(
            "the account {} is disabled; the clinic's owner can enable it",
            account.name
        )));
    }
    if credentials.hash.is_none() {
        return Err(Error::invalid(
            "passphrase",
            format!("{} has no passphrase yet; set one first", account.name),
        ));
    }
    if let Some(after) = credentials.retry_after.filter(|after| *after > now) {
        let seconds = (after - now).num_seconds().max(1);
        return Err(Error::invalid(
            "passphrase",
            format!(
                "too many wrong passphrases for {}; try again in {seconds} s",
                account.name
            ),
        ));
    }
    Ok(())
}

/// The wait after the `failures`-th wrong passphrase in a row: 1 s, 2 s,
/// 4 s, … up to a minute.
pub fn wait_after(failures: u32) -> Duration {
    let seconds = 1i64 << failures.saturating_sub(1).min(6);
    Duration::seconds(seconds.min(MAX_WAIT_SECONDS))
}

/// Records how a sign-in went: a success clears the count of wrong ones; a
/// failure counts and sets the wait. Returns the refusal to give for a
/// failure.
pub fn record_attempt<'c>(
    tx: impl Into<Db<'c>>,
    credentials: &Credentials,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<Option<Error>> {
    let tx = tx.into();
    let id = credentials.account.id;
    if succeeded {
        tx.execute(
            "UPDATE account SET failed_attempts = 0, retry_after = NULL, pin_failures = 0
             WHERE id = ?1",
            &[&id],
        )?;
        audit::record(
            tx,
            now,
            "sign_in",
            "account",
            &id.to_string(),
            &serde_json::json!({}),
        )?;
        return Ok(None);
    }
    let failures = credentials.failed_attempts + 1;
    let wait = wait_after(failures);
    tx.execute(
        "UPDATE account SET failed_attempts = ?2, retry_after = ?3 WHERE id = ?1",
        &[&id, &failures, &format_instant(now + wait)],
    )?;
    audit::record(
        tx,
        now,
        "sign_in_refused",
        "account",
        &id.to_string(),
        &serde_json::json!({ "failures": failures }),
    )?;
    Ok(Some(Error::invalid(
        "passphrase",
        format!(
            "the passphrase for {} is wrong; try again in {} s",
            credentials.account.name,
            wait.num_seconds()
        ),
    )))
}

/// Refuses a PIN before it is checked: a disabled account, one without a
/// PIN, or one whose PIN is spent after five wrong tries.
pub fn check_may_try_pin(credentials: &Credentials) -> Result<()> {
    let account = &credentials.account;
    if account.disabled {
        return Err(Error::Forbidden(format!(
            "the account {} is disabled; the clinic's owner can enable it",
            account.name
        )));
    }
    // Field "passphrase": the window then asks for the passphrase instead.
    if credentials.pin_hash.is_none() {
        return Err(Error::invalid(
            "passphrase",
            format!(
                "{} has no PIN yet; sign in with the passphrase",
                account.name
            ),
        ));
    }
    if credentials.pin_failures >= MAX_PIN_FAILURES {
        return Err(Error::invalid(
            "passphrase",
            format!(
                "{MAX_PIN_FAILURES} wrong PINs for {}; sign in with the passphrase",
                account.name
            ),
        ));
    }
    Ok(())
}

/// Records how a PIN went (`purpose` names it in the audit: "resume",
/// "sign"). A failure counts toward the five; the fifth asks for the
/// passphrase. Returns the refusal to give for a failure.
pub fn record_pin_attempt<'c>(
    tx: impl Into<Db<'c>>,
    credentials: &Credentials,
    succeeded: bool,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<Option<Error>> {
    let tx = tx.into();
    let id = credentials.account.id;
    if succeeded {
        tx.execute("UPDATE account SET pin_failures = 0 WHERE id = ?1", &[&id])?;
        if purpose == "resume" {
            audit::record(
                tx,
                now,
                "resume",
                "account",
                &id.to_string(),
                &serde_json::json!({}),
            )?;
        }
        return Ok(None);
    }
    let failures = credentials.pin_failures + 1;
    tx.execute(
        "UPDATE account SET pin_failures = ?2 WHERE id = ?1",
        &[&id, &failures],
    )?;
    audit::record(
        tx,
        now,
        "pin_refused",
        "account",
        &id.to_string(),
        &serde_json::json!({ "failures": failures, "for": purpose }),
    )?;
    let left = MAX_PIN_FAILURES.saturating_sub(failures);
    Ok(Some(Error::invalid(
        if left == 0 { "passphrase" } else { "pin" },
        if left == 0 {
            format!(
                "wrong PIN; after {MAX_PIN_FAILURES} wrong PINs {} must sign in with the passphrase",
                credentials.account.name
            )
        } else {
            format!(
                "wrong PIN; {left} {} left before the passphrase is needed",
                if left == 1 { "try" } else { "tries" }
            )
        },
    )))
}
