//! The headless command line: the same binary without a window, for scripts,
//! tests and the clinic's IT. Exit codes: 0 done, 1 user error, 2 anything else.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use pinpoint_core::client::{self, Client, ClientInput, ClientQuery, Indication};
use pinpoint_core::ids::ClientId;
use pinpoint_core::{backup, demo, verify, Store};
use serde::Serialize;

use crate::clock::today_and_now;

mod outcomes;
mod photos;
mod records;
mod reports;

/// Pinpoint: treatment records for microneedling practitioners.
///
/// With no command, opens the desktop app.
#[derive(Debug, Parser)]
#[command(name = "pinpoint", version, about, long_about = None)]
pub struct Cli {
    /// The data folder (default: $PINPOINT_DATA_DIR, else the system's
    /// application-data folder)
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fill an empty data folder with a realistic demo clinic
    Demo,
    /// Add, list and show clients
    #[command(subcommand)]
    Client(ClientCommand),
    /// Record, list, show, sign and amend treatment sessions
    #[command(subcommand)]
    Session(Box<records::SessionCommand>),
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
    Catalogue(records::CatalogueCommand),
    /// Lot recall
    #[command(subcommand)]
    Lot(LotCommand),
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
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Write the treatment note of one session as PDF
    Note {
        /// The session's id
        session: String,
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Write the client's aftercare sheet for a session as PDF
    Aftercare {
        /// The session's id
        session: String,
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
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
    Verify,
}

#[derive(Debug, Subcommand)]
enum LotCommand {
    /// Every client and session that used a cartridge, product or anaesthetic lot
    Recall {
        /// The lot number
        lot: String,
    },
}

#[derive(Debug, Subcommand)]
enum ClientCommand {
    /// Add a client
    Add(ClientFields),
    /// List clients, or find them by a fragment of name, phone or email
    List {
        /// Words to look for (name, phone, email or YYYY-MM-DD date of birth)
        #[arg(long, short)]
        search: Option<String>,
        /// Include archived clients
        #[arg(long)]
        archived: bool,
    },
    /// Show one client
    Show {
        /// The client's id
        id: String,
    },
}

#[derive(Debug, Args)]
struct ClientFields {
    /// Full name
    #[arg(long)]
    name: String,
    /// Date of birth, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    dob: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    /// Fitzpatrick skin type, 1-6 (or I-VI)
    #[arg(long, value_name = "1-6")]
    fitzpatrick: Option<String>,
    /// Glogau photoageing type, 1-4 (or I-IV)
    #[arg(long, value_name = "1-4")]
    glogau: Option<String>,
    /// Why the client seeks treatment (repeatable): acne_scars, fine_lines,
    /// texture, pigmentation, stretch_marks, other
    #[arg(long = "indication", value_name = "INDICATION")]
    indications: Vec<String>,
    /// Alerts shown wherever the client appears (allergies, …)
    #[arg(long, default_value = "")]
    alerts: String,
    #[arg(long, default_value = "")]
    notes: String,
}

/// A failure, split by who can fix it.
pub(crate) enum Failure {
    /// Bad input: exit code 1.
    User(String),
    /// Anything else: exit code 2.
    Other(String),
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
    let data_dir = match cli.data_dir.clone().or_else(default_data_dir) {
        Some(dir) => dir,
        None => {
            eprintln!("error: no application-data folder on this system; pass --data-dir DIR");
            return ExitCode::from(2);
        }
    };
    let Some(command) = cli.command else {
        return match crate::run_app(data_dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::from(2)
            }
        };
    };
    match run(command, data_dir, cli.json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::User(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {message}");
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

fn run(command: Command, data_dir: PathBuf, json: bool) -> Result<(), Failure> {
    let (today, now) = today_and_now();
    // Check what can be checked before the data folder is created or opened,
    // so a bad value never leaves anything behind.
    let store = || Store::open(&data_dir).map_err(Failure::from);
    let existing = || Store::open_existing(&data_dir).map_err(Failure::from);
    match command {
        Command::Demo => {
            let mut store = store()?;
            let summary = store.write(|tx| demo::fill(tx, today, now))?;
            let photos = pinpoint_core::photo::demo::add_photos(&store.into(), now)?;
            #[derive(Serialize)]
            struct Filled {
                #[serde(flatten)]
                summary: demo::DemoSummary,
                photos: usize,
            }
            let filled = Filled {
                summary: summary.clone(),
                photos,
            };
            print(json, &filled, || {
                format!(
                    "demo clinic created in {}: {} practitioners, {} clients, {photos} photos",
                    data_dir.display(),
                    summary.practitioners,
                    summary.clients
                )
            })
        }
        Command::Client(ClientCommand::Add(fields)) => {
            let input = ClientInput {
                name: fields.name,
                date_of_birth: fields.dob,
                phone: fields.phone,
                email: fields.email,
                fitzpatrick: fields
                    .fitzpatrick
                    .as_deref()
                    .map(|t| parse_scale("fitzpatrick type", t, 6))
                    .transpose()?,
                glogau: fields
                    .glogau
                    .as_deref()
                    .map(|t| parse_scale("glogau type", t, 4))
                    .transpose()?,
                indications: fields
                    .indications
                    .iter()
                    .map(|t| parse_indication(t))
                    .collect::<Result<_, _>>()?,
                alerts: fields.alerts,
                notes: fields.notes,
            };
            input.validate(today)?;
            let created =
                store()?.write(|tx| client::create(tx, ClientId::new(), &input, today, now))?;
            print(json, &created, || client_text(&created))
        }
        Command::Client(ClientCommand::List { search, archived }) => {
            let query = ClientQuery {
                search,
                include_archived: archived,
                limit: None,
            };
            let found = client::search(existing()?.conn(), &query)?;
            print(json, &found, || {
                if found.is_empty() {
                    return "no clients found".to_owned();
                }
                found
                    .iter()
                    .map(|c| {
                        format!(
                            "{}  {:<32} {:<10} {:<4} {}",
                            c.id,
                            c.name,
                            c.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
                            c.fitzpatrick.map(|f| f.roman()).unwrap_or(""),
                            if c.archived { "(archived)" } else { "" }
                        )
                        .trim_end()
                        .to_owned()
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Client(ClientCommand::Show { id }) => {
            let id: ClientId = id.parse()?;
            let found = client::get(existing()?.conn(), id)?;
            print(json, &found, || client_text(&found))
        }
        Command::Session(c) => records::run_session(*c, &data_dir, json, now),
        Command::Screening(c) => records::run_screening(c, &data_dir, json, today, now),
        Command::Consent(c) => records::run_consent(c, &data_dir, json, today, now),
        Command::Plan(c) => records::run_plan(c, &data_dir, json, today, now),
        Command::Photo(c) => photos::run_photo(c, &data_dir, json, now),
        Command::Catalogue(c) => records::run_catalogue(c, &data_dir, json, now),
        Command::Lot(LotCommand::Recall { lot }) => records::run_recall(&lot, &data_dir, json),
        Command::Timeline { client } => outcomes::run_timeline(&client, &data_dir, json, today),
        Command::Score(c) => outcomes::run_score(c, &data_dir, json, today, now),
        Command::Visit(c) => outcomes::run_visit(c, &data_dir, json, today, now),
        Command::Adverse(c) => outcomes::run_adverse(c, &data_dir, json, today, now),
        Command::Report { client, out } => {
            reports::run_report(&client, &out, &data_dir, json, today, now)
        }
        Command::Note { session, out } => {
            reports::run_note(&session, &out, &data_dir, json, today, now)
        }
        Command::Aftercare { session, out } => {
            reports::run_aftercare(&session, &out, &data_dir, json, today, now)
        }
        Command::Export {
            client,
            out,
            deidentified_photos,
            photos,
        } => reports::run_export(
            &client,
            &out,
            deidentified_photos,
            &photos,
            &data_dir,
            json,
            today,
            now,
        ),
        Command::Backup { out } => {
            let store = existing()?;
            let summary =
                backup::create(&store, &out, env!("CARGO_PKG_VERSION"), now, &mut |_| true)?;
            print(json, &summary, || {
                format!(
                    "backup written to {}: {} parts, {:.1} MB, schema {}",
                    summary.path,
                    summary.parts,
                    summary.bytes / 1e6,
                    summary.schema_version
                )
            })
        }
        Command::Restore { archive } => {
            let summary = backup::restore(&archive, &data_dir, &mut |_| true)?;
            print(json, &summary, || {
                format!(
                    "restored {} parts into {} (backup schema {})",
                    summary.parts, summary.data_dir, summary.backup_schema_version
                )
            })
        }
        Command::Verify => {
            let store = existing()?;
            let report = verify::run(&store, true)?;
            print(json, &report, || {
                let mut lines = vec![format!("database integrity: {}", report.integrity)];
                match &report.audit.first_broken {
                    None => lines.push(format!("audit chain: ok ({} events)", report.audit.events)),
                    Some(link) => lines.push(format!(
                        "audit chain: broken at event {}: {}",
                        link.seq, link.reason
                    )),
                }
                lines.push(format!(
                    "photos: {} checked, {} orphan file(s){}",
                    report.photos.photos,
                    report.photos.orphans.len(),
                    if report.photos.orphans.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", report.photos.orphans.join(", "))
                    }
                ));
                lines.extend(report.problems.iter().map(|p| format!("problem: {p}")));
                lines.join("\n")
            })?;
            if report.ok {
                Ok(())
            } else {
                Err(Failure::Other(format!(
                    "verification failed: {}",
                    report.problems.join("; ")
                )))
            }
        }
    }
}

/// Accepts 1-`max` or the roman numeral; the core checks the range.
fn parse_scale(what: &str, text: &str, max: usize) -> Result<u8, Failure> {
    let text = text.trim();
    let roman = ["I", "II", "III", "IV", "V", "VI"];
    if let Some(i) = roman[..max]
        .iter()
        .position(|r| r.eq_ignore_ascii_case(text))
    {
        return Ok(i as u8 + 1);
    }
    text.parse::<u8>().map_err(|_| {
        Failure::User(format!(
            "{what} {text:?} is not a number from 1 to {max} (or I to {})",
            roman[max - 1]
        ))
    })
}

fn parse_indication(text: &str) -> Result<Indication, Failure> {
    serde_json::from_value(serde_json::Value::String(text.trim().replace('-', "_")))
        .map_err(|_| {
            Failure::User(format!(
                "indication {text:?} should be one of acne_scars, fine_lines, texture, pigmentation, stretch_marks, other"
            ))
        })
}

fn client_text(c: &Client) -> String {
    let mut lines = vec![format!("{}  ({})", c.name, c.id)];
    let mut add = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            lines.push(format!("  {label:<14}{value}"));
        }
    };
    add("born", c.date_of_birth.map(|d| d.to_string()));
    add("fitzpatrick", c.fitzpatrick.map(|f| f.roman().to_owned()));
    add(
        "glogau",
        c.glogau
            .map(|g| ["I", "II", "III", "IV"][usize::from(g.value() - 1)].to_owned()),
    );
    add("alerts", Some(c.alerts.clone()));
    add("phone", c.phone.clone());
    add("email", c.email.clone());
    add("notes", Some(c.notes.clone()));
    add("archived", c.archived.then(|| "yes".to_owned()));
    lines.join("\n")
}

/// Prints `value` as JSON, or the human text.
pub(crate) fn print<T: Serialize>(
    json: bool,
    value: &T,
    text: impl FnOnce() -> String,
) -> Result<(), Failure> {
    let out = if json {
        serde_json::to_string_pretty(value).map_err(|e| Failure::Other(e.to_string()))?
    } else {
        text()
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{out}").map_err(|e| Failure::Other(format!("cannot write the output: {e}")))
}
