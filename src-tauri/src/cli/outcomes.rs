//! The command line for progress: the timeline, outcome scores, follow-up
//! visits and adverse events.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use pinpoint_core::followup::{self, Severity};
use pinpoint_core::ids::{AdverseEventId, ClientId, FollowUpId, ScoreId};
use pinpoint_core::outcome::{self, Scale, ScoreSubject, ALL_SCALES};
use pinpoint_core::timeline::{self, TimelineEntry};
use pinpoint_core::Store;

use super::{print, Failure};

fn open(data_dir: &Path) -> Result<Store, Failure> {
    Ok(Store::open_existing(data_dir)?)
}

fn date(what: &str, text: Option<String>, today: NaiveDate) -> Result<NaiveDate, Failure> {
    Ok(text
        .map(|t| pinpoint_core::client::parse_date(what, &t))
        .transpose()?
        .unwrap_or(today))
}

/// `timeline CLIENT`
pub fn run_timeline(
    client: &str,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let timeline = timeline::build(store.conn(), client.parse()?, today)?;
    print(json, &timeline, || {
        let mut lines = Vec::new();
        for entry in &timeline.entries {
            lines.push(match entry {
                TimelineEntry::Session(s) => format!(
                    "{}  session{}  {}{}  {}",
                    s.session.local_date,
                    match (s.session.course_position, s.session.course_length) {
                        (Some(n), Some(of)) => format!(" {n} of {of}"),
                        _ => String::new(),
                    },
                    s.session
                        .zones
                        .iter()
                        .map(|z| format!("{} {}", z.zone_name, z.depth))
                        .collect::<Vec<_>>()
                        .join(", "),
                    match s.days_since_previous {
                        Some(d) => format!("  (+{d} days)"),
                        None => String::new(),
                    },
                    match s.interval {
                        timeline::IntervalFlag::TooShort => "interval too short",
                        timeline::IntervalFlag::Overdue => "overdue",
                        _ => "",
                    }
                ),
                TimelineEntry::FollowUp(f) => {
                    format!("{}  follow-up visit  {}", f.visit.visited_on, f.visit.notes)
                }
                TimelineEntry::AdverseEvent(e) => format!(
                    "{}  adverse event ({})  {}  {}",
                    e.started_on,
                    e.severity.as_str(),
                    e.description,
                    e.resolved_on
                        .map(|d| format!("resolved {d}"))
                        .unwrap_or_else(|| "OPEN".to_owned())
                ),
            });
        }
        if let Some(due) = timeline.next_due {
            lines.push(format!(
                "next session due {due}{}",
                if timeline.overdue { " (overdue)" } else { "" }
            ));
        }
        if lines.is_empty() {
            "nothing recorded yet".to_owned()
        } else {
            lines.join("\n")
        }
    })
}

#[derive(Debug, Subcommand)]
pub enum ScoreCommand {
    /// Record an outcome score
    Add {
        #[arg(long)]
        client: String,
        /// gais_practitioner, gais_client, goodman_baron_grade,
        /// goodman_baron_score, ecca, mmasi, satisfaction or pain
        #[arg(long)]
        scale: String,
        #[arg(long)]
        value: f64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        /// The session it rates
        #[arg(long)]
        session: Option<String>,
        /// The follow-up visit it rates
        #[arg(long)]
        visit: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The scales and their ranges
    Scales,
}

#[derive(Debug, Subcommand)]
pub enum VisitCommand {
    /// Record a follow-up visit (photos and scores without needling)
    Add {
        #[arg(long)]
        client: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdverseCommand {
    /// Report an adverse event
    Add {
        #[arg(long)]
        client: String,
        /// The session it followed
        #[arg(long)]
        session: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        #[arg(long)]
        description: String,
        /// mild, moderate or severe
        #[arg(long, default_value = "mild")]
        severity: String,
    },
    /// Mark an adverse event resolved
    Resolve {
        id: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        #[arg(long, default_value = "")]
        outcome: String,
    },
}

pub fn run_score(
    command: ScoreCommand,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    match command {
        ScoreCommand::Scales => {
            let scales: Vec<_> = ALL_SCALES.iter().map(|s| s.info()).collect();
            print(json, &scales, || {
                scales
                    .iter()
                    .map(|s| format!("{:<22} {} to {}", s.scale.as_str(), s.min, s.max))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ScoreCommand::Add {
            client,
            scale,
            value,
            on,
            session,
            visit,
            note,
        } => {
            let mut store = open(data_dir)?;
            let client: ClientId = client.parse()?;
            let scale = Scale::parse(&scale)?;
            let on = date("on", on, today)?;
            let subject = ScoreSubject {
                session_id: session.map(|s| s.parse()).transpose()?,
                follow_up_id: visit.map(|v| v.parse()).transpose()?,
                ..ScoreSubject::default()
            };
            let added = store.write(|tx| {
                outcome::add(
                    tx,
                    ScoreId::new(),
                    client,
                    scale,
                    value,
                    on,
                    &subject,
                    &note,
                    today,
                    now,
                )
            })?;
            print(json, &added, || {
                format!(
                    "{} {} on {}",
                    added.scale.info().name,
                    added.value,
                    added.recorded_on
                )
            })
        }
    }
}

pub fn run_visit(
    command: VisitCommand,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let VisitCommand::Add { client, on, notes } = command;
    let mut store = open(data_dir)?;
    let client: ClientId = client.parse()?;
    let on = date("on", on, today)?;
    let added = store
        .write(|tx| followup::add_visit(tx, FollowUpId::new(), client, on, &notes, today, now))?;
    print(json, &added, || {
        format!("follow-up visit {} on {}", added.id, added.visited_on)
    })
}

pub fn run_adverse(
    command: AdverseCommand,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut store = open(data_dir)?;
    let event = match command {
        AdverseCommand::Add {
            client,
            session,
            on,
            description,
            severity,
        } => {
            let client: ClientId = client.parse()?;
            let session = session.map(|s| s.parse()).transpose()?;
            let on = date("on", on, today)?;
            let severity = Severity::parse(&severity)?;
            store.write(|tx| {
                followup::report_event(
                    tx,
                    AdverseEventId::new(),
                    client,
                    session,
                    on,
                    &description,
                    severity,
                    today,
                    now,
                )
            })?
        }
        AdverseCommand::Resolve { id, on, outcome } => {
            let id: AdverseEventId = id.parse()?;
            let on = date("on", on, today)?;
            store.write(|tx| followup::resolve_event(tx, id, on, &outcome, today, now))?
        }
    };
    print(json, &event, || {
        format!(
            "adverse event {} ({}) from {}{}",
            event.id,
            event.severity.as_str(),
            event.started_on,
            event
                .resolved_on
                .map(|d| format!(", resolved {d}"))
                .unwrap_or_default()
        )
    })
}
