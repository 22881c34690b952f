//! The command line for clients: add, list and show.

use clap::{Args, Subcommand};
use pinpoint_core::action::clients;
use pinpoint_core::client::{Client, ClientInput, ClientQuery, Fitzpatrick, Glogau, Indication};
use pinpoint_core::erasure::ErasureReason;
use pinpoint_core::ids::ClientId;

use super::{print, Failure, Folder};

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
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
    /// The records past the clinic's retention (years after the last
    /// visit), or how long one client's record is kept
    Retention {
        /// One client's id
        id: Option<String>,
    },
    /// Erase a client's whole record: every row and photo; the audit log
    /// keeps only a tombstone. Backups made before keep the record.
    Erase {
        /// The client's id
        id: String,
        /// Why: `retention` (its retention has passed) or `request` (the
        /// client asked, where the law allows)
        #[arg(long, value_name = "retention|request")]
        reason: String,
        /// The client's name exactly as recorded, to confirm
        #[arg(long, value_name = "NAME")]
        confirm: String,
    },
}

#[derive(Debug, Args)]
pub struct ClientFields {
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

pub fn run_client(command: ClientCommand, folder: &Folder, json: bool) -> Result<(), Failure> {
    match command {
        ClientCommand::Add(fields) => {
            let input = ClientInput {
                name: fields.name,
                date_of_birth: fields.dob,
                phone: fields.phone,
                email: fields.email,
                fitzpatrick: fields
                    .fitzpatrick
                    .as_deref()
                    .map(|t| Fitzpatrick::parse(t).map(Fitzpatrick::value))
                    .transpose()?,
                glogau: fields
                    .glogau
                    .as_deref()
                    .map(|t| Glogau::parse(t).map(Glogau::value))
                    .transpose()?,
                indications: fields
                    .indications
                    .iter()
                    .map(|t| parse_indication(t))
                    .collect::<Result<_, _>>()?,
                alerts: fields.alerts,
                notes: fields.notes,
            };
            // Checked before the folder is created, so a bad value leaves nothing.
            input.validate(folder.today())?;
            let clinic = folder.create()?;
            let created = clients::create_client(&folder.ctx(&clinic)?, &input)?;
            print(json, &created, || client_text(&created))
        }
        ClientCommand::List { search, archived } => {
            let query = ClientQuery {
                search,
                include_archived: archived,
                limit: None,
            };
            let clinic = folder.existing()?;
            let found = clients::list_clients(&folder.ctx(&clinic)?, &query)?;
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
        ClientCommand::Show { id } => {
            let id: ClientId = id.parse()?;
            let clinic = folder.existing()?;
            // Opening a client's record: read as the window does, so the
            // audit notes it.
            let found = clients::client_record(&folder.ctx(&clinic)?, id)?.client;
            print(json, &found, || client_text(&found))
        }
        ClientCommand::Retention { id } => {
            let clinic = folder.existing()?;
            let ctx = folder.ctx(&clinic)?;
            let kept = match id {
                Some(id) => vec![clients::client_retention(&ctx, id.parse()?)?],
                None => clients::past_retention(&ctx)?,
            };
            print(json, &kept, || {
                if kept.is_empty() {
                    return "no record is past the clinic's retention".to_owned();
                }
                kept.iter()
                    .map(|k| {
                        format!(
                            "{}  {:<30} last visit {}, kept until {}",
                            k.client_id, k.name, k.last_visit, k.kept_until
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ClientCommand::Erase {
            id,
            reason,
            confirm,
        } => {
            let id: ClientId = id.parse()?;
            let reason = match reason.trim() {
                "retention" => ErasureReason::RetentionPassed,
                "request" => ErasureReason::ClientRequest,
                other => {
                    return Err(Failure::User(format!(
                        "--reason {other:?} should be retention or request"
                    )))
                }
            };
            let clinic = folder.existing()?;
            let erased = clients::erase_client(&folder.ctx(&clinic)?, id, reason, &confirm)?;
            print(json, &erased, || {
                format!(
                    "erased client {}: {} rows and {} photos; backups made before still hold the record",
                    erased.client_id, erased.rows, erased.photos
                )
            })
        }
    }
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
    add("glogau", c.glogau.map(|g| g.roman().to_owned()));
    add("alerts", Some(c.alerts.clone()));
    add("phone", c.phone.clone());
    add("email", c.email.clone());
    add("notes", Some(c.notes.clone()));
    add("archived", c.archived.then(|| "yes".to_owned()));
    lines.join("\n")
}
