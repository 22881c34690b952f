//! Commands for who is at the keyboard: the first start's setup, signing
//! in and out, the lock and PIN, the clinic's accounts, and the audit's
//! reports (a client's access report, an account's activity).
//!
//! Passphrases and PINs are checked off the window's workers: each check
//! takes a fraction of a second on purpose.

use std::path::Path;

use pinpoint_core::access_log::AccessEntry;
use pinpoint_core::account::{Account, NewAccount};
use pinpoint_core::action::accounts::{self, FirstOwner, SignInName};
use pinpoint_core::action::activity::{self, ReportFormat};
use pinpoint_core::action::{Actor, Permission, Role};
use pinpoint_core::ids::{AccountId, ClientId, PractitionerId};
use pinpoint_core::report::WrittenPdf;
use pinpoint_core::seal::SealProgress;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use super::{off_the_workers, CommandResult};
use crate::presence::Presence;
use crate::{clock, AppState};

/// Where the window stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Door {
    /// The clinic's first start: no account exists yet.
    Setup,
    /// Nobody is signed in.
    SignedOut,
    /// Behind the lock screen.
    Locked,
    /// Someone is working.
    Open,
}

/// The person signed in (or whose window is locked).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Me {
    pub id: AccountId,
    pub name: String,
    pub role: Role,
    /// The practitioner they treat as, if they treat clients.
    pub practitioner_id: Option<PractitionerId>,
    /// What the core lets them do (the window hides the rest).
    pub permissions: Vec<Permission>,
}

/// What the window needs to show the right screen.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AuthStatus {
    pub door: Door,
    pub clinic_name: String,
    pub me: Option<Me>,
    /// The names the sign-in screen offers.
    pub names: Vec<SignInName>,
    /// Seconds without a key or click before the window locks: the
    /// clinic's minutes, or fewer when $PINPOINT_IDLE_LOCK_SECONDS asks
    /// (the end-to-end tests; it can only make the lock come sooner).
    pub idle_lock_seconds: u32,
    /// The data folder is sealed (encrypted at rest).
    pub sealed: bool,
    /// The recovery key of a folder sealed in this run, shown until the
    /// owner says it is kept safe.
    pub recovery_key: Option<String>,
}

/// How far sealing the data folder has come (the first owner's setup, or
/// the owner's first sign-in after the upgrade).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SealingProgress {
    pub done: u32,
    pub total: u32,
}

/// The idle time the window locks after, in seconds.
fn idle_lock_seconds(minutes: u32) -> u32 {
    let clinic = minutes.saturating_mul(60);
    std::env::var("PINPOINT_IDLE_LOCK_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .filter(|s| *s > 0)
        .map_or(clinic, |s| s.min(clinic))
}

fn status(state: &AppState) -> CommandResult<AuthStatus> {
    let system = state.system_ctx();
    let recovery_key = state.recovery_key();
    if !state.clinic.is_open() {
        // Sealed shut: nothing but the names that can open it is known.
        return Ok(AuthStatus {
            door: Door::SignedOut,
            clinic_name: String::new(),
            me: None,
            names: accounts::sign_in_names(&state.clinic)?,
            idle_lock_seconds: idle_lock_seconds(
                pinpoint_core::settings::ClinicSettings::default().idle_lock_minutes,
            ),
            sealed: true,
            recovery_key,
        });
    }
    let settings = pinpoint_core::action::catalogue::get_settings(&system)?;
    let presence = state.presence().clone();
    let (door, actor) = match presence {
        _ if accounts::needs_first_owner(&state.clinic)? => (Door::Setup, None),
        Presence::SignedOut => (Door::SignedOut, None),
        Presence::Locked(actor) => (Door::Locked, Some(actor)),
        Presence::Active(actor) => (Door::Open, Some(actor)),
    };
    let me = match actor {
        Some(actor) => {
            let ctx = system.acting_as(actor.clone());
            accounts::me(&ctx)?.map(|account| Me {
                permissions: Permission::ALL
                    .into_iter()
                    .filter(|p| ctx.require(*p).is_ok())
                    .collect(),
                id: account.id,
                name: account.name,
                role: account.role,
                practitioner_id: account.practitioner_id,
            })
        }
        None => None,
    };
    Ok(AuthStatus {
        door,
        clinic_name: settings.clinic_name,
        me,
        names: accounts::sign_in_names(&state.clinic)?,
        idle_lock_seconds: idle_lock_seconds(settings.idle_lock_minutes),
        sealed: state.clinic.is_sealed(),
        recovery_key,
    })
}

/// Seals the folder in the clear for the owner who just signed in (or set
/// the clinic up) with `passphrase`, keeping the recovery key to show. A
/// folder already sealed, or a person who is not the owner, seals nothing;
/// nor does clinic mode, where the records are on the clinic's server and
/// the folder is this desktop's own (sealing it would open an empty store
/// of its own in place of the server's).
fn seal_for_owner(
    app: &AppHandle,
    state: &AppState,
    actor: &Actor,
    passphrase: &str,
) -> pinpoint_core::Result<()> {
    let is_owner = matches!(
        actor,
        Actor::Account {
            role: Role::Owner,
            ..
        }
    );
    if state.clinic.is_sealed() || !is_owner || state.clinic.is_clinic() {
        return Ok(());
    }
    let ctx = state.system_ctx().acting_as(actor.clone());
    let recovery = accounts::seal_clinic(&ctx, passphrase, &mut |p: SealProgress| {
        let _ = SealingProgress {
            done: p.done,
            total: p.total,
        }
        .emit(app);
    })?;
    state.keep_recovery_key(recovery.to_string());
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn auth_status(state: State<'_, AppState>) -> CommandResult<AuthStatus> {
    status(&state)
}

/// Runs `work` (which checks a passphrase or PIN and gives the actor that
/// now holds the keyboard) off the workers, then opens the window to it.
async fn open_to(
    app: AppHandle,
    what: &'static str,
    work: impl FnOnce(&AppState) -> pinpoint_core::Result<Actor> + Send + 'static,
) -> CommandResult<AuthStatus> {
    off_the_workers(what, move || {
        let state = app.state::<AppState>();
        let was_open = state.clinic.is_open();
        let actor = work(&state)?;
        state.set_presence(Presence::Active(actor));
        if !was_open {
            // The automatic backup waited for the folder to open.
            let handle = app.clone();
            std::thread::spawn(move || super::safety::auto_backup(&handle, false));
        }
        status(&state)
    })
    .await
}

/// The first start: the clinic's name and its owner, signed in at once.
#[tauri::command]
#[specta::specta]
pub async fn setup_clinic(app: AppHandle, input: FirstOwner) -> CommandResult<AuthStatus> {
    let handle = app.clone();
    open_to(app, "the setup", move |state| {
        let owner = accounts::create_first_owner(&state.clinic, clock::now(), &input)?;
        seal_for_owner(&handle, state, &owner, &input.passphrase)?;
        Ok(owner)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn sign_in(
    app: AppHandle,
    name: String,
    passphrase: String,
) -> CommandResult<AuthStatus> {
    let handle = app.clone();
    open_to(app, "signing in", move |state| {
        let actor = accounts::sign_in(&state.clinic, clock::now(), &name, &passphrase)?;
        // The owner's first sign-in after the upgrade seals the folder.
        seal_for_owner(&handle, state, &actor, &passphrase)?;
        Ok(actor)
    })
    .await
}

/// Opens a sealed folder with its recovery key and gives `name` a new
/// passphrase and PIN.
#[tauri::command]
#[specta::specta]
pub async fn recover_account(
    app: AppHandle,
    recovery_key: String,
    name: String,
    passphrase: String,
    pin: String,
) -> CommandResult<AuthStatus> {
    open_to(app, "the recovery", move |state| {
        accounts::recover_account(
            &state.clinic,
            clock::now(),
            &recovery_key,
            &name,
            &passphrase,
            &pin,
        )
    })
    .await
}

/// Prints the recovery sheet (PDF) of the key being shown to `path`.
#[tauri::command]
#[specta::specta]
pub async fn save_recovery_sheet(
    app: AppHandle,
    path: String,
    replace: bool,
) -> CommandResult<WrittenPdf> {
    off_the_workers("the recovery sheet", move || {
        let state = app.state::<AppState>();
        let key = state.recovery_key().ok_or_else(|| {
            pinpoint_core::Error::Conflict(
                "the recovery key is shown only once, right after the data is sealed".to_owned(),
            )
        })?;
        let ctx = state.ctx()?;
        let path = state.allow(&app, &path, crate::grants::Want::WriteFile { replace })?;
        let written = accounts::recovery_sheet(&ctx, &key, &path, replace)?;
        state.remember_written(Path::new(&written.path));
        Ok(written)
    })
    .await
}

/// The owner has kept the recovery key: it is not shown again.
#[tauri::command]
#[specta::specta]
pub async fn dismiss_recovery_key(state: State<'_, AppState>) -> CommandResult<AuthStatus> {
    state.forget_recovery_key();
    status(&state)
}

/// The first use of an account without a passphrase: the person chooses
/// one and a PIN.
#[tauri::command]
#[specta::specta]
pub async fn claim_account(
    app: AppHandle,
    name: String,
    passphrase: String,
    pin: String,
) -> CommandResult<AuthStatus> {
    open_to(app, "signing in", move |state| {
        accounts::claim_account(&state.clinic, clock::now(), &name, &passphrase, &pin)
    })
    .await
}

/// Resumes a locked window with the PIN of the person who locked it.
#[tauri::command]
#[specta::specta]
pub async fn resume(app: AppHandle, pin: String) -> CommandResult<AuthStatus> {
    open_to(app, "resuming", move |state| {
        let locked = match &*state.presence() {
            Presence::Locked(Actor::Account { id, .. }) => *id,
            _ => {
                return Err(pinpoint_core::Error::Conflict(
                    "the window is not locked".to_owned(),
                ))
            }
        };
        accounts::resume(&state.clinic, clock::now(), locked, &pin)
    })
    .await
}

/// Locks the window (Ctrl+L, the sidebar, or the idle timer).
#[tauri::command]
#[specta::specta]
pub async fn lock_window(state: State<'_, AppState>) -> CommandResult<AuthStatus> {
    let presence = state.presence().clone();
    if let Presence::Active(actor) = presence {
        state.set_presence(Presence::Locked(actor));
    }
    status(&state)
}

#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> CommandResult<AuthStatus> {
    state.set_presence(Presence::SignedOut);
    // A sealed folder closes: its key leaves memory until the next sign-in.
    state.clinic.close();
    status(&state)
}

#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, AppState>) -> CommandResult<Vec<Account>> {
    Ok(accounts::list_accounts(&state.ctx()?)?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_account(app: AppHandle, input: NewAccount) -> CommandResult<Account> {
    off_the_workers("adding the account", move || {
        let state = app.state::<AppState>();
        Ok(accounts::add_account(&state.ctx()?, &input)?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_account_disabled(
    state: State<'_, AppState>,
    id: AccountId,
    disabled: bool,
) -> CommandResult<Account> {
    Ok(accounts::set_account_disabled(&state.ctx()?, id, disabled)?)
}

/// Sets a passphrase (one's own, or anyone's for the owner) and, when
/// given, a PIN.
#[tauri::command]
#[specta::specta]
pub async fn set_passphrase(
    app: AppHandle,
    id: AccountId,
    passphrase: String,
    pin: Option<String>,
) -> CommandResult<Account> {
    off_the_workers("the passphrase", move || {
        let state = app.state::<AppState>();
        Ok(accounts::set_passphrase(
            &state.ctx()?,
            id,
            &passphrase,
            pin.as_deref(),
        )?)
    })
    .await
}

/// Everything recorded about a client's record, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn access_report(
    state: State<'_, AppState>,
    client_id: ClientId,
) -> CommandResult<Vec<AccessEntry>> {
    Ok(activity::access_report(&state.ctx()?, client_id)?)
}

/// What one account did, newest first.
#[tauri::command]
#[specta::specta]
pub async fn account_activity(
    state: State<'_, AppState>,
    account_id: AccountId,
) -> CommandResult<Vec<AccessEntry>> {
    Ok(activity::account_activity(&state.ctx()?, account_id)?)
}

/// Writes a client's access report as PDF or CSV to `path`.
#[tauri::command]
#[specta::specta]
pub async fn export_access_report(
    app: AppHandle,
    client_id: ClientId,
    format: ReportFormat,
    path: String,
    replace: bool,
) -> CommandResult<WrittenPdf> {
    off_the_workers("the access report", move || {
        let state = app.state::<AppState>();
        let ctx = state.ctx()?;
        let path = state.allow(&app, &path, crate::grants::Want::WriteFile { replace })?;
        let written = activity::export_access_report(&ctx, client_id, format, &path, replace)?;
        state.remember_written(Path::new(&written.path));
        Ok(written)
    })
    .await
}
