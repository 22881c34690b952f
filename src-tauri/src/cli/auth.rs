//! Signing in on the command line (`--user NAME`, the passphrase from
//! $PINPOINT_PASSPHRASE_FILE or the terminal), the PIN a signature asks
//! for, `setup` (a clinic's first owner) and `access` (a client's access
//! report).

use std::io::IsTerminal;
use std::path::Path;

use pinpoint_core::action::accounts::{self, FirstOwner};
use pinpoint_core::action::activity::{self, ReportFormat};
use pinpoint_core::action::{Actor, Clinic, Clock, Ctx};
use pinpoint_core::seal::{SealProgress, Unlock};
use zeroize::Zeroizing;

use super::{print, user, Failure, Folder};

/// The longest secret read from a file: a passphrase is a line, not a
/// document.
const MAX_SECRET_BYTES: u64 = 1024;

/// The actor of a command: the account `name` signed in with its
/// passphrase, or the workstation in a clinic that has no accounts yet.
pub(super) fn sign_in(
    clinic: &Clinic,
    clock: Clock,
    name: Option<&str>,
) -> Result<(Actor, Option<Zeroizing<String>>), Failure> {
    let has_accounts = !accounts::needs_first_owner(clinic)?;
    match (has_accounts, name) {
        (false, None) => Ok((Actor::Workstation, None)),
        (false, Some(_)) => Err(user(
            "this clinic has no accounts yet; run `pinpoint setup` or open Pinpoint to make its owner",
        )),
        (true, None) => Err(user(
            "this clinic has accounts: say who you are with --user NAME (or $PINPOINT_USER)",
        )),
        (true, Some(name)) => {
            let passphrase = Zeroizing::new(secret(
                "PINPOINT_PASSPHRASE_FILE",
                &format!("Passphrase for {name}: "),
            )?);
            let actor = accounts::sign_in(clinic, clock, name, &passphrase)?;
            Ok((actor, Some(passphrase)))
        }
    }
}

/// The PIN that confirms a signature, for a person signed in: from the
/// file $PINPOINT_PIN_FILE names, else the terminal. None for the
/// workstation.
pub(super) fn pin_for(ctx: &Ctx<'_>) -> Result<Option<String>, Failure> {
    match &ctx.actor {
        Actor::Workstation => Ok(None),
        Actor::Account { name, .. } => {
            secret("PINPOINT_PIN_FILE", &format!("PIN for {name}: ")).map(Some)
        }
    }
}

/// A secret from the file the variable `file_var` names (owner-only, at
/// most 1 KiB, one line), else typed at the terminal without echo.
fn secret(file_var: &str, prompt: &str) -> Result<String, Failure> {
    if let Some(path) = std::env::var_os(file_var).filter(|p| !p.is_empty()) {
        return read_secret_file(file_var, Path::new(&path), MAX_SECRET_BYTES);
    }
    if !std::io::stdin().is_terminal() {
        return Err(user(format!(
            "no terminal to ask on: put the secret in a file only you can read and name it in ${file_var}"
        )));
    }
    rpassword::prompt_password(prompt)
        .map_err(|e| Failure::Other(format!("cannot read from the terminal: {e}")))
}

/// The one line of the secret file `path` (named by the variable
/// `file_var`): readable by its owner only and at most `max_bytes` long;
/// the line break at its end is not part of the secret.
pub(super) fn read_secret_file(
    file_var: &str,
    path: &Path,
    max_bytes: u64,
) -> Result<String, Failure> {
    use std::io::Read as _;
    let shown = path.display();
    // Looked at before it is opened: opening a pipe would wait for a writer.
    let meta = std::fs::metadata(path)
        .map_err(|e| user(format!("${file_var}: cannot read {shown}: {e}")))?;
    if !meta.is_file() || meta.len() > max_bytes {
        return Err(user(format!(
            "${file_var}: {shown} is not a small file holding one line"
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(user(format!(
                "${file_var}: {shown} can be read by others; make it yours only (chmod 600)"
            )));
        }
    }
    let file = std::fs::File::open(path)
        .map_err(|e| user(format!("${file_var}: cannot read {shown}: {e}")))?;
    let mut text = String::new();
    file.take(max_bytes + 1)
        .read_to_string(&mut text)
        .map_err(|e| user(format!("${file_var}: cannot read {shown}: {e}")))?;
    if text.len() as u64 > max_bytes {
        return Err(user(format!(
            "${file_var}: {shown} is not a small file holding one line"
        )));
    }
    Ok(text.trim_end_matches(['\n', '\r']).to_owned())
}

/// `setup --clinic NAME --owner NAME`: the first owner of a clinic with no
/// accounts, as the window's first start makes it.
pub fn run_setup(
    clinic_name: &str,
    owner: &str,
    sheet: Option<&Path>,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    let passphrase = secret(
        "PINPOINT_PASSPHRASE_FILE",
        &format!("Passphrase for {owner}: "),
    )?;
    if folder.is_clinic() && sheet.is_some() {
        return Err(user(
            "in clinic mode (--clinic) nothing is sealed on this desktop, so there is no recovery sheet to print",
        ));
    }
    let pin = secret("PINPOINT_PIN_FILE", &format!("PIN for {owner}: "))?;
    let clinic = folder.create()?;
    let input = FirstOwner {
        clinic_name: clinic_name.to_owned(),
        name: owner.to_owned(),
        passphrase,
        pin,
        treats: None,
    };
    let actor = accounts::create_first_owner(&clinic, folder.clock(), &input)?;
    let ctx = Ctx::new(&clinic, folder.clock()).acting_as(actor);
    // In clinic mode the records are on the clinic's server: this
    // desktop's folder is not sealed.
    let recovery = if folder.is_clinic() {
        None
    } else {
        let key = accounts::seal_clinic(&ctx, &input.passphrase, &mut sealing_progress(json))?;
        if let Some(sheet) = sheet {
            accounts::recovery_sheet(&ctx, &key.to_string(), sheet, false)?;
        }
        Some(key.to_string())
    };
    let names = accounts::sign_in_names(&clinic)?;
    #[derive(serde::Serialize)]
    struct SetUp<'a> {
        accounts: &'a [accounts::SignInName],
        recovery_key: Option<String>,
    }
    let shown = SetUp {
        accounts: &names,
        recovery_key: recovery,
    };
    print(json, &shown, || {
        let names = names
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        match &shown.recovery_key {
            Some(key) => format!(
                "{clinic_name} is set up with {owner} as its owner and sealed; accounts: {names}\n{}",
                recovery_notice(key)
            ),
            None => format!(
                "{clinic_name} is set up on the clinic server with {owner} as its owner; accounts: {names}"
            ),
        }
    })
}

/// What to do with a recovery key, shown once.
fn recovery_notice(key: &str) -> String {
    format!(
        "Recovery key (shown once; print it or write it down and keep it in the clinic's safe):\n\n    {key}\n\n\
         It opens this clinic's data and its backups if every passphrase is lost."
    )
}

/// Progress of a sealing on the terminal (nothing with --json).
fn sealing_progress(json: bool) -> impl FnMut(SealProgress) {
    let quiet = json || !std::io::stderr().is_terminal();
    move |p: SealProgress| {
        if !quiet {
            eprint!("\rsealing: {} of {} files", p.done, p.total);
            if p.done == p.total {
                eprintln!();
            }
        }
    }
}

/// `seal`: seals a folder still in the clear, as its owner.
pub fn run_seal(sheet: Option<&Path>, folder: &Folder, json: bool) -> Result<(), Failure> {
    if folder.is_clinic() {
        return Err(user(
            "seal encrypts a data folder; in clinic mode (--clinic) the records are on the clinic's server",
        ));
    }
    let clinic = folder.existing()?;
    let ctx = folder.ctx(&clinic)?;
    let passphrase = folder
        .passphrase()
        .ok_or_else(|| user("sealing needs the owner: say who you are with --user NAME"))?
        .to_owned();
    let recovery = accounts::seal_clinic(&ctx, &passphrase, &mut sealing_progress(json))?;
    if let Some(sheet) = sheet {
        accounts::recovery_sheet(&ctx, &recovery.to_string(), sheet, false)?;
    }
    #[derive(serde::Serialize)]
    struct Sealed {
        recovery_key: String,
    }
    let shown = Sealed {
        recovery_key: recovery.to_string(),
    };
    print(json, &shown, || {
        format!(
            "{} is sealed.\n{}",
            clinic.data_dir().display(),
            recovery_notice(&shown.recovery_key)
        )
    })
}

/// The recovery key, from $PINPOINT_RECOVERY_KEY_FILE or the terminal.
pub(super) fn recovery_key() -> Result<Zeroizing<String>, Failure> {
    secret("PINPOINT_RECOVERY_KEY_FILE", "Recovery key: ").map(Zeroizing::new)
}

/// A secret for a sealed backup: an account's name and passphrase, or (no
/// name) the recovery key.
pub(super) type BackupSecret = (Option<String>, Zeroizing<String>);

/// What opens a sealed backup on this command line: the recovery key when
/// $PINPOINT_RECOVERY_KEY_FILE names one, else --user's passphrase; `None`
/// when neither is given (a backup in the clear needs none).
pub(super) fn backup_secret(folder: &Folder) -> Result<Option<BackupSecret>, Failure> {
    if std::env::var_os("PINPOINT_RECOVERY_KEY_FILE").is_some_and(|v| !v.is_empty()) {
        return Ok(Some((None, recovery_key()?)));
    }
    match folder.user() {
        Some(name) => {
            let passphrase = secret(
                "PINPOINT_PASSPHRASE_FILE",
                &format!("Passphrase for {name}: "),
            )?;
            Ok(Some((Some(name.to_owned()), Zeroizing::new(passphrase))))
        }
        None => Ok(None),
    }
}

/// The `Unlock` for what [`backup_secret`] read.
pub(super) fn unlock_of(secret: &BackupSecret) -> Unlock<'_> {
    match secret {
        (Some(name), passphrase) => Unlock::Passphrase { name, passphrase },
        (None, key) => Unlock::Recovery(key),
    }
}

/// `recover --user NAME`: the recovery key opens the sealed folder and
/// the account gets a new passphrase and PIN.
pub fn run_recover(folder: &Folder, json: bool) -> Result<(), Failure> {
    let name = folder
        .user()
        .ok_or_else(|| user("say whose passphrase to replace with --user NAME"))?
        .to_owned();
    let clinic = folder.existing()?;
    let key = recovery_key()?;
    let passphrase = Zeroizing::new(secret(
        "PINPOINT_PASSPHRASE_FILE",
        &format!("New passphrase for {name}: "),
    )?);
    let pin = Zeroizing::new(secret(
        "PINPOINT_PIN_FILE",
        &format!("New PIN for {name}: "),
    )?);
    accounts::recover_account(&clinic, folder.clock(), &key, &name, &passphrase, &pin)?;
    print(json, &serde_json::json!({ "account": name }), || {
        format!("{name} has a new passphrase and PIN")
    })
}

/// `access CLIENT [--out FILE.pdf|FILE.csv]`
pub fn run_access(
    client: &str,
    out: Option<&Path>,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    let client = client.parse()?;
    if let Some(out) = out {
        let format = match out.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => ReportFormat::Csv,
            _ => ReportFormat::Pdf,
        };
        activity::export_access_report(ctx, client, format, out, false)?;
    }
    let entries = activity::access_report(ctx, client)?;
    print(json, &entries, || {
        entries
            .iter()
            .map(|e| {
                format!(
                    "{}  {}  {}",
                    e.at.format("%Y-%m-%d %H:%M"),
                    e.who.as_deref().unwrap_or("(not recorded)"),
                    e.what
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}
