//! The headless command line: the same binary without a window, for scripts,
//! tests and the clinic's IT. Exit codes: 0 done, 1 user error, 2 anything else.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pinpoint_core::action::{Actor, Clinic, Clock, Ctx};
use serde::Serialize;

mod auth;
mod catalogue;
mod clients;
pub mod clinic;
mod outcomes;
mod photos;
mod records;
mod reports;
mod safety;
mod sessions;

/// Pinpoint: treatment records for microneedling practitioners.
///
/// With no command, opens the desktop app.
#[derive(Debug, Parser)]
#[command(name = "pinpoint", version, about, long_about = None)]
pub struct Cli {
    /// The data folder (default: $PINPOINT_DATA_DIR, else the system's
    /// application-data folder). In clinic mode, this desktop's own folder
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Clinic mode: the clinic connection file (JSON) naming the records
    /// server (default: $PINPOINT_CLINIC). Give it before the command. The
    /// server account's password, when it needs one, is read from the file
    /// named by $PINPOINT_CLINIC_PASSWORD_FILE
    #[arg(long, value_name = "FILE")]
    clinic: Option<PathBuf>,

    /// Starts (or reuses) a clinic server of its own with the demo clinic
    /// and opens the window on it as the desktop ROOM (default room-1)
    #[arg(long, hide = true, value_name = "ROOM", num_args = 0..=1, default_missing_value = "room-1")]
    clinic_demo: Option<String>,

    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    json: bool,

    /// The account to act as (default: $PINPOINT_USER). The passphrase is
    /// read from the file named by $PINPOINT_PASSPHRASE_FILE, else asked
    /// for on the terminal
    #[arg(long, global = true, value_name = "NAME")]
    user: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminal_escapes_in_stored_text_are_shown_not_obeyed() {
        assert_eq!(
            super::inert("Pain 3\u{1b}[2J\u{1b}]0;owned\u{7}\nnext\tline\r"),
            "Pain 3\\x1b[2J\\x1b]0;owned\\x07\nnext\tline\\x0d"
        );
        assert_eq!(super::inert("Café, 1.5 mm"), "Café, 1.5 mm");
        assert_eq!(super::inert("\u{9b}31m"), "\\x9b31m", "C1 controls too");
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fill an empty data folder with a realistic demo clinic
    Demo,
    /// Add, list and show clients
    #[command(subcommand)]
    Client(clients::ClientCommand),
    /// Record, list, show, sign and amend treatment sessions
    #[command(subcommand)]
    Session(Box<sessions::SessionCommand>),
    /// Medical-history screening
    #[command(subcommand)]
    Screening(records::ScreeningCommand),
    /// Consents: treatment, clinical photos, marketing photos
    #[command(subcommand)]
    Consent(records::ConsentCommand),
    /// Consultation and treatment plans
    #[command(subcommand)]
    Plan(records::PlanCommand),
    /// Import, list and export clinical photos
    #[command(subcommand)]
    Photo(photos::PhotoCommand),
    /// Practitioners, devices, products and lots
    #[command(subcommand)]
    Catalogue(catalogue::CatalogueCommand),
    /// Lot recall
    #[command(subcommand)]
    Lot(catalogue::LotCommand),
    /// A client's progress timeline
    Timeline {
        /// The client's id
        client: String,
    },
    /// Outcome scores (GAIS, Goodman & Baron, ECCA, mMASI, satisfaction, pain)
    #[command(subcommand)]
    Score(outcomes::ScoreCommand),
    /// Follow-up visits
    #[command(subcommand)]
    Visit(outcomes::VisitCommand),
    /// Adverse events followed to resolution
    #[command(subcommand)]
    Adverse(outcomes::AdverseCommand),
    /// Write a client's progress report as PDF
    Report {
        /// The client's id
        client: String,
        #[command(flatten)]
        out: reports::DocumentOut,
    },
    /// Write the treatment note of one session as PDF
    Note {
        /// The session's id
        session: String,
        #[command(flatten)]
        out: reports::DocumentOut,
    },
    /// Write the client's aftercare sheet for a session as PDF
    Aftercare {
        /// The session's id
        session: String,
        #[command(flatten)]
        out: reports::DocumentOut,
    },
    /// Export a client's data into a new folder: record.json, sessions.csv,
    /// zones.csv, the photo originals and report.pdf
    Export {
        /// The client's id
        client: String,
        /// The new folder to write
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Instead, write de-identified photos (re-encoded, no metadata);
        /// needs the client's marketing-photo consent
        #[arg(long)]
        deidentified_photos: bool,
        /// With --deidentified-photos: only this photo (repeatable; default all)
        #[arg(long = "photo", value_name = "ID")]
        photos: Vec<String>,
    },
    /// Write a backup archive (database snapshot, photos, manifest)
    Backup {
        /// The archive to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup archive into --data-dir, which must be empty
    Restore {
        /// The archive to restore
        archive: PathBuf,
    },
    /// Check the database's integrity and the audit chain
    Verify {
        /// First remove photo files no record names (left by a crash)
        #[arg(long)]
        repair: bool,
    },
    /// Who viewed, changed, printed or exported a client's record, and when
    Access {
        /// The client's id
        client: String,
        /// Also write the report to this file (.pdf or .csv)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The first start of a clinic without a window: its name and owner
    /// (the passphrase as for --user; the PIN from $PINPOINT_PIN_FILE or
    /// the terminal)
    Setup {
        /// The clinic's name
        #[arg(long)]
        clinic: String,
        /// The owner's name
        #[arg(long)]
        owner: String,
        /// Also print the recovery sheet (PDF) to this file
        #[arg(long, value_name = "FILE")]
        sheet: Option<PathBuf>,
    },
    /// Seal a data folder that is still in the clear (the owner, with
    /// --user): encrypts the database, photos and cache in place and prints
    /// the recovery key once
    Seal {
        /// Also print the recovery sheet (PDF) to this file
        #[arg(long, value_name = "FILE")]
        sheet: Option<PathBuf>,
    },
    /// Open a sealed folder with its recovery key (from
    /// $PINPOINT_RECOVERY_KEY_FILE or the terminal) and give the account
    /// --user a new passphrase and PIN
    Recover,
    /// Clinic mode: move a desktop's data folder onto the clinic's servers
    #[command(subcommand)]
    Clinic(clinic::ClinicCommand),
}

/// A failure, split by who can fix it.
pub(crate) enum Failure {
    /// Bad input: exit code 1.
    User(String),
    /// Anything else: exit code 2.
    Other(String),
}

/// A user error with this message.
pub(crate) fn user(message: impl Into<String>) -> Failure {
    Failure::User(message.into())
}

/// A date given as `YYYY-MM-DD`, or `today` when none was given.
pub(crate) fn date_or_today(
    what: &str,
    text: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, Failure> {
    Ok(text
        .map(|t| pinpoint_core::client::parse_date(what, t))
        .transpose()?
        .unwrap_or(today))
}

impl From<pinpoint_core::Error> for Failure {
    fn from(error: pinpoint_core::Error) -> Self {
        if error.is_user_error() {
            Failure::User(error.to_string())
        } else {
            Failure::Other(error.to_string())
        }
    }
}

/// Parses the arguments and either opens the app or runs one command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { 1 } else { 0 };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    if let Some(room) = cli.clinic_demo {
        if cli.command.is_some() || cli.clinic.is_some() || cli.data_dir.is_some() {
            eprintln!("error: --clinic-demo opens the window alone: give no command, --clinic or --data-dir with it");
            return ExitCode::from(1);
        }
        return match crate::clinic_demo::run(&room) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::from(2)
            }
        };
    }
    let data_dir = match cli.data_dir.clone().or_else(default_data_dir) {
        Some(dir) => dir,
        None => {
            eprintln!("error: no application-data folder on this system; pass --data-dir DIR");
            return ExitCode::from(2);
        }
    };
    let outcome = clinic::ClinicServer::chosen(cli.clinic).and_then(|server| match cli.command {
        None => {
            crate::run_app(data_dir, server).map_err(|error| Failure::Other(format!("{error:#}")))
        }
        Some(command) => run(command, data_dir, server, cli.json, cli.user),
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::User(message)) => {
            eprintln!("error: {}", inert(&message));
            ExitCode::from(1)
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {}", inert(&message));
            ExitCode::from(2)
        }
    }
}

/// `--data-dir`, else `PINPOINT_DATA_DIR`, else the OS application-data folder.
fn default_data_dir() -> Option<PathBuf> {
    std::env::var_os("PINPOINT_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("pinpoint")))
}

/// The data folder a command works on and the moment it runs at. Each
/// handler opens the folder itself, after checking what it can check
/// first, so a bad value never creates or touches a folder.
pub(crate) struct Folder {
    dir: PathBuf,
    /// Clinic mode: the records server (the folder is then this desktop's own).
    clinic: Option<clinic::ClinicServer>,
    clock: Clock,
    /// The account named with --user or $PINPOINT_USER.
    user: Option<String>,
    /// The actor once signed in (one passphrase check per command).
    actor: std::cell::OnceCell<Actor>,
    /// The passphrase it signed in with (sealing wraps the key with it).
    passphrase: std::cell::OnceCell<zeroize::Zeroizing<String>>,
}

impl Folder {
    /// Opens the folder, which must already hold a Pinpoint database; in
    /// clinic mode, the clinic's server with this desktop's folder.
    pub(crate) fn existing(&self) -> Result<Clinic, Failure> {
        match &self.clinic {
            Some(server) => Ok(server.open(&self.dir)?),
            None => Ok(Clinic::open_existing(&self.dir)?),
        }
    }

    /// Opens the folder, creating it when it does not exist; in clinic
    /// mode, the clinic's server with this desktop's folder.
    pub(crate) fn create(&self) -> Result<Clinic, Failure> {
        match &self.clinic {
            Some(server) => Ok(server.open(&self.dir)?),
            None => Ok(Clinic::open(&self.dir)?),
        }
    }

    /// Whether the records are on a clinic server (`--clinic`).
    pub(crate) fn is_clinic(&self) -> bool {
        self.clinic.is_some()
    }

    /// The context of an action on `clinic`, now, as the account named
    /// with --user (signed in with its passphrase once per command). A
    /// clinic without accounts yet has nobody to sign in as: there the
    /// command acts as this workstation, as before accounts existed.
    pub(crate) fn ctx<'a>(&self, clinic: &'a Clinic) -> Result<Ctx<'a>, Failure> {
        let actor = match self.actor.get() {
            Some(actor) => actor.clone(),
            None => {
                let (actor, passphrase) = auth::sign_in(clinic, self.clock, self.user.as_deref())?;
                if let Some(passphrase) = passphrase {
                    let _ = self.passphrase.set(passphrase);
                }
                self.actor.get_or_init(|| actor).clone()
            }
        };
        Ok(Ctx::new(clinic, self.clock).acting_as(actor))
    }

    /// The passphrase the command signed in with, if it did.
    pub(crate) fn passphrase(&self) -> Option<&str> {
        self.passphrase.get().map(|p| p.as_str())
    }

    /// The account named with --user.
    pub(crate) fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    pub(crate) fn clock(&self) -> Clock {
        self.clock
    }

    pub(crate) fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    pub(crate) fn today(&self) -> chrono::NaiveDate {
        self.clock.today
    }
}

fn run(
    command: Command,
    data_dir: PathBuf,
    clinic: Option<clinic::ClinicServer>,
    json: bool,
    user: Option<String>,
) -> Result<(), Failure> {
    let folder = Folder {
        dir: data_dir,
        clinic,
        clock: crate::clock::now(),
        user: user.or_else(|| {
            std::env::var("PINPOINT_USER")
                .ok()
                .filter(|u| !u.is_empty())
        }),
        actor: std::cell::OnceCell::new(),
        passphrase: std::cell::OnceCell::new(),
    };
    match command {
        Command::Demo => safety::run_demo(&folder, json),
        Command::Client(c) => clients::run_client(c, &folder, json),
        Command::Session(c) => sessions::run_session(*c, &folder, json),
        Command::Screening(c) => records::run_screening(c, &folder, json),
        Command::Consent(c) => records::run_consent(c, &folder, json),
        Command::Plan(c) => records::run_plan(c, &folder, json),
        Command::Photo(c) => photos::run_photo(c, &folder, json),
        Command::Catalogue(c) => catalogue::run_catalogue(c, &folder, json),
        Command::Lot(catalogue::LotCommand::Recall { lot }) => {
            catalogue::run_recall(&lot, &folder, json)
        }
        Command::Timeline { client } => outcomes::run_timeline(&client, &folder, json),
        Command::Score(c) => outcomes::run_score(c, &folder, json),
        Command::Visit(c) => outcomes::run_visit(c, &folder, json),
        Command::Adverse(c) => outcomes::run_adverse(c, &folder, json),
        Command::Report { client, out } => reports::run_report(&client, &out, &folder, json),
        Command::Note { session, out } => reports::run_note(&session, &out, &folder, json),
        Command::Aftercare { session, out } => {
            reports::run_aftercare(&session, &out, &folder, json)
        }
        Command::Export {
            client,
            out,
            deidentified_photos,
            photos,
        } => {
            let export = reports::ExportArgs {
                client,
                out,
                deidentified: deidentified_photos,
                photos,
            };
            reports::run_export(&export, &folder, json)
        }
        Command::Backup { out } => safety::run_backup(&out, &folder, json),
        Command::Restore { archive } => safety::run_restore(&archive, &folder, json),
        Command::Verify { repair } => safety::run_verify(&folder, repair, json),
        Command::Access { client, out } => auth::run_access(&client, out.as_deref(), &folder, json),
        Command::Setup {
            clinic,
            owner,
            sheet,
        } => auth::run_setup(&clinic, &owner, sheet.as_deref(), &folder, json),
        Command::Seal { sheet } => auth::run_seal(sheet.as_deref(), &folder, json),
        Command::Recover => auth::run_recover(&folder, json),
        Command::Clinic(c) => clinic::run_clinic(c, &folder, json),
    }
}

/// `text` safe for a terminal: every control character but the line breaks
/// and tabs the text is laid out with is shown as `\x1b`-style escapes, so
/// a stored value cannot move the cursor, clear the screen or retitle the
/// window of whoever prints it.
pub(crate) fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints `value` as JSON, or the human text (made inert for a terminal).
pub(crate) fn print<T: Serialize>(
    json: bool,
    value: &T,
    text: impl FnOnce() -> String,
) -> Result<(), Failure> {
    let out = if json {
        serde_json::to_string_pretty(value).map_err(|e| Failure::Other(e.to_string()))?
    } else {
        inert(&text())
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{out}").map_err(|e| Failure::Other(format!("cannot write the output: {e}")))
}
