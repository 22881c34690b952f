//! The command line for the record around the sessions: medical-history
//! screening, consents and treatment plans.

use clap::Subcommand;
use pinpoint_core::action::catalogue;
use pinpoint_core::action::records::{self, NewConsent, NewScreening};
use pinpoint_core::client::parse_date;
use pinpoint_core::consent::{self, ConsentKind};
use pinpoint_core::depth::NeedleDepth;
use pinpoint_core::ids::{ClientId, ConsentId};
use pinpoint_core::plan::{PlanInput, PlannedZone};
use pinpoint_core::screening::ScreeningAnswer;

use super::sessions::parse_zone;
use super::{date_or_today, print, Failure, Folder};

#[derive(Debug, Subcommand)]
pub enum ScreeningCommand {
    /// Record a medical-history screening; questions not named are "no"
    Add {
        #[arg(long)]
        client: String,
        /// The screening date (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        /// A question answered yes, repeatable: KEY[:YYYY-MM-DD last applied]
        #[arg(long = "yes", value_name = "KEY[:DATE]")]
        yes: Vec<String>,
    },
    /// List the clinic's screening questions
    Questions,
    /// List a client's screenings, newest first
    List {
        #[arg(long)]
        client: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Record a consent: treatment, clinical_photos or marketing_photos
    Add {
        #[arg(long)]
        client: String,
        #[arg(long)]
        kind: String,
        /// When it was given (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        /// The signature: the client's typed name, or SVG path data
        #[arg(long)]
        signature: String,
    },
    /// Revoke a consent
    Revoke {
        id: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// List a client's consents
    List { client: String },
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Record a consultation and treatment plan
    Add {
        #[arg(long)]
        client: String,
        /// A planned zone and target depth, repeatable: ZONE:DEPTH
        #[arg(long = "zone", value_name = "ZONE:DEPTH", required = true)]
        zones: Vec<String>,
        /// Sessions in the course
        #[arg(long)]
        sessions: u32,
        /// Days between sessions (default: the clinic's usual interval)
        #[arg(long)]
        interval: Option<u32>,
        #[arg(long, default_value = "")]
        goals: String,
        #[arg(long, default_value = "")]
        concerns: String,
        #[arg(long, default_value = "")]
        assessment: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
    },
    /// List a client's plans
    List { client: String },
}

pub fn run_screening(
    command: ScreeningCommand,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    match command {
        ScreeningCommand::List { client } => {
            let screenings = records::list_screenings(ctx, client.parse()?)?;
            print(json, &screenings, || {
                screenings
                    .iter()
                    .map(|s| {
                        let yes: Vec<&str> = s
                            .answers
                            .iter()
                            .filter(|a| a.yes)
                            .map(|a| a.key.as_str())
                            .collect();
                        format!(
                            "{}  {}",
                            s.taken_on,
                            if yes.is_empty() {
                                "all no".to_owned()
                            } else {
                                format!("yes: {}", yes.join(", "))
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ScreeningCommand::Questions => {
            let questions = records::screening_questions(ctx)?;
            print(json, &questions, || {
                questions
                    .iter()
                    .map(|q| {
                        format!(
                            "{:<28} {}{}",
                            q.key,
                            q.text,
                            q.wait_days
                                .map(|d| format!(" (wait {d} days)"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ScreeningCommand::Add { client, on, yes } => {
            let client_id: ClientId = client.parse()?;
            let taken_on = date_or_today("on", on.as_deref(), ctx.today())?;
            let answers = yes
                .iter()
                .map(|text| {
                    let (key, date) = match text.split_once(':') {
                        Some((key, date)) => (key, Some(parse_date("yes", date)?)),
                        None => (text.as_str(), None),
                    };
                    Ok::<_, Failure>(ScreeningAnswer {
                        key: key.trim().to_owned(),
                        yes: true,
                        last_on: date,
                        note: String::new(),
                    })
                })
                .collect::<Result<Vec<_>, Failure>>()?;
            let added = records::add_screening(
                ctx,
                &NewScreening {
                    client_id,
                    taken_on,
                    answers,
                },
            )?;
            print(json, &added, || {
                let yes: Vec<&str> = added
                    .answers
                    .iter()
                    .filter(|a| a.yes)
                    .map(|a| a.key.as_str())
                    .collect();
                format!(
                    "screening {} on {}: {}",
                    added.id,
                    added.taken_on,
                    if yes.is_empty() {
                        "all answers no".to_owned()
                    } else {
                        format!("yes to {}", yes.join(", "))
                    }
                )
            })
        }
    }
}

pub fn run_consent(command: ConsentCommand, folder: &Folder, json: bool) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    let describe = |c: &consent::Consent| {
        format!(
            "consent {}  {:<16} given {}{}",
            c.id,
            c.kind.as_str(),
            c.given_on,
            c.revoked_on
                .map(|d| format!(", revoked {d}"))
                .unwrap_or_default()
        )
    };
    match command {
        ConsentCommand::Add {
            client,
            kind,
            on,
            signature,
        } => {
            let client_id: ClientId = client.parse()?;
            let kind = ConsentKind::parse(&kind)?;
            let given_on = date_or_today("on", on.as_deref(), ctx.today())?;
            let added = records::add_consent(
                ctx,
                &NewConsent {
                    client_id,
                    kind,
                    given_on,
                    signature,
                },
            )?;
            print(json, &added, || describe(&added))
        }
        ConsentCommand::Revoke { id, on, reason } => {
            let id: ConsentId = id.parse()?;
            let on = date_or_today("on", on.as_deref(), ctx.today())?;
            let revoked = records::revoke_consent(ctx, id, on, &reason)?;
            print(json, &revoked, || describe(&revoked))
        }
        ConsentCommand::List { client } => {
            let list = records::list_consents(ctx, client.parse()?)?;
            print(json, &list, || {
                list.iter().map(describe).collect::<Vec<_>>().join("\n")
            })
        }
    }
}

pub fn run_plan(command: PlanCommand, folder: &Folder, json: bool) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    match command {
        PlanCommand::Add {
            client,
            zones,
            sessions,
            interval,
            goals,
            concerns,
            assessment,
            on,
        } => {
            let client_id: ClientId = client.parse()?;
            let zones = zones
                .iter()
                .map(|z| {
                    let zone = parse_zone(z)?;
                    Ok(PlannedZone {
                        zone: zone.zone,
                        target_depth: NeedleDepth::from_mm(zone.depth_mm)?,
                    })
                })
                .collect::<Result<Vec<_>, Failure>>()?;
            let input = PlanInput {
                created_on: date_or_today("on", on.as_deref(), ctx.today())?,
                goals,
                concerns,
                skin_assessment: assessment,
                zones,
                sessions_planned: sessions,
                interval_days: match interval {
                    Some(days) => days,
                    None => catalogue::get_settings(ctx)?.usual_interval_days,
                },
            };
            let added = records::add_plan(ctx, client_id, &input)?;
            print(json, &added, || {
                format!(
                    "plan {}: {} sessions every {} days, {}",
                    added.id,
                    added.sessions_planned,
                    added.interval_days,
                    added
                        .zones
                        .iter()
                        .map(|z| format!("{} {}", z.zone, z.target_depth))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        }
        PlanCommand::List { client } => {
            let list = records::list_plans(ctx, client.parse()?)?;
            print(json, &list, || {
                list.iter()
                    .map(|p| {
                        format!(
                            "plan {}  {}  {} of {} sessions done{}",
                            p.id,
                            p.created_on,
                            p.sessions_done,
                            p.sessions_planned,
                            if p.closed { " (closed)" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
