//! The command line for progress: the timeline, outcome scores, follow-up
//! visits and adverse events.

use clap::Subcommand;
use pinpoint_core::action::progress::{self, NewAdverseEvent, NewScore};
use pinpoint_core::followup::Severity;
use pinpoint_core::ids::{AdverseEventId, ClientId};
use pinpoint_core::outcome::{Scale, ScoreSubject};
use pinpoint_core::timeline::{self, TimelineEntry};

use super::{date_or_today, print, Failure, Folder};

/// `timeline CLIENT`
pub fn run_timeline(client: &str, folder: &Folder, json: bool) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let timeline = progress::client_timeline(&folder.ctx(&clinic)?, client.parse()?)?;
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

pub fn run_score(command: ScoreCommand, folder: &Folder, json: bool) -> Result<(), Failure> {
    match command {
        ScoreCommand::Scales => {
            let scales = progress::list_scales();
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
            let input = NewScore {
                client_id: client.parse()?,
                scale: Scale::parse(&scale)?,
                value,
                recorded_on: date_or_today("on", on.as_deref(), folder.today())?,
                subject: ScoreSubject {
                    session_id: session.map(|s| s.parse()).transpose()?,
                    follow_up_id: visit.map(|v| v.parse()).transpose()?,
                    ..ScoreSubject::default()
                },
                note,
            };
            let clinic = folder.existing()?;
            let added = progress::add_score(&folder.ctx(&clinic)?, &input)?;
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

pub fn run_visit(command: VisitCommand, folder: &Folder, json: bool) -> Result<(), Failure> {
    let VisitCommand::Add { client, on, notes } = command;
    let client: ClientId = client.parse()?;
    let on = date_or_today("on", on.as_deref(), folder.today())?;
    let clinic = folder.existing()?;
    let added = progress::add_follow_up(&folder.ctx(&clinic)?, client, on, &notes)?;
    print(json, &added, || {
        format!("follow-up visit {} on {}", added.id, added.visited_on)
    })
}

pub fn run_adverse(command: AdverseCommand, folder: &Folder, json: bool) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    let event = match command {
        AdverseCommand::Add {
            client,
            session,
            on,
            description,
            severity,
        } => {
            let input = NewAdverseEvent {
                client_id: client.parse()?,
                session_id: session.map(|s| s.parse()).transpose()?,
                started_on: date_or_today("on", on.as_deref(), ctx.today())?,
                description,
                severity: Severity::parse(&severity)?,
            };
            progress::report_adverse_event(ctx, &input)?
        }
        AdverseCommand::Resolve { id, on, outcome } => {
            let id: AdverseEventId = id.parse()?;
            let on = date_or_today("on", on.as_deref(), ctx.today())?;
            progress::resolve_adverse_event(ctx, id, on, &outcome)?
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
