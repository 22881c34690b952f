//! The command line for treatment records: sessions, screening, consents,
//! plans, the catalogue and lot recall.

use std::path::Path;

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use clap::{Args, Subcommand};
use pinpoint_core::catalogue::{self, DeviceInput, ProductKind};
use pinpoint_core::consent::{self, ConsentKind};
use pinpoint_core::depth::NeedleDepth;
use pinpoint_core::ids::{
    AmendmentId, ClientId, ConsentId, DeviceId, LotId, PlanId, ProductId, ScreeningId, SessionId,
};
use pinpoint_core::plan::{self, PlanInput, PlannedZone};
use pinpoint_core::screening::{self, ScreeningAnswer};
use pinpoint_core::session::{
    self, AnaestheticInput, Endpoint, LotInput, Phase, ProductInput, SessionDraft,
    TreatmentSession, ZoneInput,
};
use pinpoint_core::warnings::{WarningOverride, WarningRule};
use pinpoint_core::{practitioner, recall, settings, Error, Store};

use super::{print, Failure};

fn user(message: impl Into<String>) -> Failure {
    Failure::User(message.into())
}

fn open(data_dir: &Path) -> Result<Store, Failure> {
    Ok(Store::open_existing(data_dir)?)
}

fn parse_date(what: &str, text: &str) -> Result<NaiveDate, Failure> {
    Ok(pinpoint_core::client::parse_date(what, text)?)
}

// ---------------------------------------------------------------- sessions

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Record a treatment session
    Add(SessionAdd),
    /// List a client's sessions, oldest first
    List {
        /// The client's id
        client: String,
    },
    /// Show one session with its warnings and amendments
    Show { id: String },
    /// Sign a session: it is locked from then on
    Sign {
        id: String,
        /// Who signs (name or id; default: the treating practitioner)
        #[arg(long)]
        by: Option<String>,
    },
    /// Amend a signed session, with a reason; only the given fields change
    Amend {
        id: String,
        /// Why the record changes
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        fields: SessionFields,
    },
}

#[derive(Debug, Args)]
pub struct SessionAdd {
    /// The client's id
    #[arg(long)]
    client: String,
    /// Who treats (name or id)
    #[arg(long)]
    practitioner: String,
    /// The treatment plan's id, or "none" (default: the client's open plan)
    #[arg(long)]
    plan: Option<String>,
    #[command(flatten)]
    fields: SessionFields,
}

/// The fields of a session a command can set.
#[derive(Debug, Args)]
pub struct SessionFields {
    /// When it started, local time "YYYY-MM-DD HH:MM" (default: now)
    #[arg(long, value_name = "WHEN")]
    at: Option<String>,
    /// Treated zone and depth in mm, repeatable: ZONE:DEPTH[:PASSES[:TECHNIQUE]]
    #[arg(long = "zone", value_name = "ZONE:DEPTH[:PASSES]")]
    zones: Vec<String>,
    /// Product applied, repeatable: NAME:LOT[:before|during|after]
    #[arg(long = "product", value_name = "NAME:LOT[:PHASE]")]
    products: Vec<String>,
    /// The device, by serial number or model
    #[arg(long)]
    device: Option<String>,
    /// The cartridge: NAME:LOT
    #[arg(long, value_name = "NAME:LOT")]
    cartridge: Option<String>,
    /// The topical anaesthetic: NAME[:LOT]
    #[arg(long, value_name = "NAME[:LOT]")]
    anaesthetic: Option<String>,
    /// When the anaesthetic was applied, HH:MM
    #[arg(long, value_name = "HH:MM")]
    anaesthetic_applied: Option<String>,
    /// When the anaesthetic was removed, HH:MM
    #[arg(long, value_name = "HH:MM")]
    anaesthetic_removed: Option<String>,
    /// erythema, pinpoint_bleeding or not_reached
    #[arg(long)]
    endpoint: Option<String>,
    /// Pain, 0 to 10
    #[arg(long)]
    pain: Option<String>,
    /// Immediate reaction
    #[arg(long)]
    reaction: Option<String>,
    /// Adverse events
    #[arg(long)]
    adverse: Option<String>,
    /// Aftercare given (text)
    #[arg(long)]
    aftercare: Option<String>,
    /// Aftercare from a clinic template, by key (e.g. standard)
    #[arg(long, value_name = "KEY", conflicts_with = "aftercare")]
    aftercare_template: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// A reason to proceed despite a care warning, repeatable: RULE[:SUBJECT]=REASON
    #[arg(long = "override", value_name = "RULE[:SUBJECT]=REASON")]
    overrides: Vec<String>,
    /// One reason to proceed despite every care warning
    #[arg(long, value_name = "REASON")]
    proceed_reason: Option<String>,
}

/// `YYYY-MM-DD HH:MM` in local time, or RFC 3339, as RFC 3339.
fn parse_when(text: &str) -> Result<String, Failure> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.to_rfc3339());
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return match Local.from_local_datetime(&naive).earliest() {
                Some(t) => Ok(t.to_rfc3339()),
                None => Err(user(format!("{text:?} does not exist in local time"))),
            };
        }
    }
    Err(user(format!(
        "{text:?} is not a date and time; write it as \"YYYY-MM-DD HH:MM\""
    )))
}

fn parse_zone(text: &str) -> Result<ZoneInput, Failure> {
    let parts: Vec<&str> = text.splitn(4, ':').collect();
    if parts.len() < 2 || parts[0].trim().is_empty() {
        return Err(user(format!(
            "zone {text:?} should be ZONE:DEPTH[:PASSES[:TECHNIQUE]]"
        )));
    }
    let depth =
        NeedleDepth::parse(parts[1]).map_err(|e| user(format!("zone {}: {e}", parts[0])))?;
    let passes = match parts.get(2) {
        None => 1,
        Some(p) => p.trim().parse().map_err(|_| {
            user(format!(
                "zone {}: passes {p:?} is not a whole number",
                parts[0]
            ))
        })?,
    };
    Ok(ZoneInput {
        zone: parts[0].trim().to_lowercase().replace([' ', '-'], "_"),
        depth_mm: depth.mm(),
        passes,
        technique: parts.get(3).unwrap_or(&"").trim().to_owned(),
    })
}

fn parse_product(text: &str) -> Result<ProductInput, Failure> {
    let parts: Vec<&str> = text.split(':').collect();
    let (name, lot, phase) = match parts.as_slice() {
        [name, lot] => (name, lot, Phase::During),
        [name, lot, phase] => (name, lot, Phase::parse(phase)?),
        _ => return Err(user(format!("product {text:?} should be NAME:LOT[:PHASE]"))),
    };
    Ok(ProductInput {
        product: name.trim().to_owned(),
        lot: lot.trim().to_owned(),
        phase,
    })
}

fn parse_override(text: &str) -> Result<WarningOverride, Failure> {
    let Some((target, reason)) = text.split_once('=') else {
        return Err(user(format!(
            "override {text:?} should be RULE[:SUBJECT]=REASON"
        )));
    };
    let (rule, subject) = target.split_once(':').unwrap_or((target, ""));
    let rule = WarningRule::parse(rule.trim()).ok_or_else(|| {
        user(format!(
            "{rule:?} is not a warning rule; use one of {}",
            pinpoint_core::warnings::ALL_RULES
                .map(WarningRule::as_str)
                .join(", ")
        ))
    })?;
    Ok(WarningOverride {
        rule,
        subject: subject.trim().to_owned(),
        reason: reason.trim().to_owned(),
    })
}

impl SessionFields {
    /// Applies the given fields onto `draft`; lists replace, scalars
    /// replace when given.
    fn apply(&self, store: &Store, draft: &mut SessionDraft) -> Result<(), Failure> {
        if let Some(at) = &self.at {
            draft.started_at = parse_when(at)?;
        }
        if !self.zones.is_empty() {
            draft.zones = self
                .zones
                .iter()
                .map(|z| parse_zone(z))
                .collect::<Result<_, _>>()?;
        }
        if !self.products.is_empty() {
            draft.products = self
                .products
                .iter()
                .map(|p| parse_product(p))
                .collect::<Result<_, _>>()?;
        }
        if let Some(device) = &self.device {
            draft.device_id = Some(catalogue::find_device(store.conn(), device)?.id);
        }
        if let Some(cartridge) = &self.cartridge {
            let Some((product, lot)) = cartridge.rsplit_once(':') else {
                return Err(user(format!("cartridge {cartridge:?} should be NAME:LOT")));
            };
            draft.cartridge = Some(LotInput {
                product: product.trim().to_owned(),
                lot: lot.trim().to_owned(),
            });
        }
        if let Some(anaesthetic) = &self.anaesthetic {
            let (product, lot) = match anaesthetic.rsplit_once(':') {
                Some((product, lot)) => (product, Some(lot.trim().to_owned())),
                None => (anaesthetic.as_str(), None),
            };
            draft.anaesthetic = Some(AnaestheticInput {
                product: product.trim().to_owned(),
                lot,
                applied_at: None,
                removed_at: None,
            });
        }
        if self.anaesthetic_applied.is_some() || self.anaesthetic_removed.is_some() {
            let Some(a) = draft.anaesthetic.as_mut() else {
                return Err(user("anaesthetic times need --anaesthetic NAME[:LOT]"));
            };
            if let Some(t) = &self.anaesthetic_applied {
                a.applied_at = Some(t.clone());
            }
            if let Some(t) = &self.anaesthetic_removed {
                a.removed_at = Some(t.clone());
            }
        }
        if let Some(endpoint) = &self.endpoint {
            draft.endpoint = Some(Endpoint::parse(endpoint)?);
        }
        if let Some(pain) = &self.pain {
            draft.pain =
                Some(pain.trim().parse().map_err(|_| {
                    user(format!("pain {pain:?} is not a whole number from 0 to 10"))
                })?);
        }
        if let Some(text) = &self.reaction {
            draft.immediate_reaction = text.clone();
        }
        if let Some(text) = &self.adverse {
            draft.adverse_events = text.clone();
        }
        if let Some(text) = &self.aftercare {
            draft.aftercare = text.clone();
        }
        if let Some(key) = &self.aftercare_template {
            let settings = settings::get(store.conn())?;
            let template = settings
                .aftercare_templates
                .iter()
                .find(|t| t.key == *key)
                .ok_or_else(|| user(format!("no aftercare template {key:?}")))?;
            draft.aftercare = template.text.clone();
        }
        if let Some(text) = &self.notes {
            draft.notes = text.clone();
        }
        Ok(())
    }

    /// The reasons given on the command line, plus `base` (for amendments:
    /// the reasons already on record).
    fn overrides(
        &self,
        store: &Store,
        draft: &SessionDraft,
        editing: Option<SessionId>,
        base: Vec<WarningOverride>,
        now: DateTime<Utc>,
    ) -> Result<Vec<WarningOverride>, Failure> {
        let mut overrides = base;
        for text in &self.overrides {
            let o = parse_override(text)?;
            overrides.retain(|b| !(b.rule == o.rule && b.subject == o.subject));
            overrides.push(o);
        }
        if let Some(reason) = &self.proceed_reason {
            for w in session::preview(store.conn(), draft, editing, now)? {
                if !overrides
                    .iter()
                    .any(|o| o.rule == w.rule && o.subject == w.subject)
                {
                    overrides.push(WarningOverride {
                        rule: w.rule,
                        subject: w.subject,
                        reason: reason.clone(),
                    });
                }
            }
        }
        Ok(overrides)
    }
}

fn with_hint(error: Error) -> Failure {
    match error.field() {
        Some("warnings") => user(format!(
            "{error}; pass --proceed-reason TEXT or --override RULE[:SUBJECT]=REASON"
        )),
        _ => Failure::from(error),
    }
}

fn session_text(s: &TreatmentSession) -> String {
    let mut lines = vec![format!(
        "session {}  {}  {}{}",
        s.id,
        s.started_at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
        s.practitioner,
        match (s.course_position, s.course_length) {
            (Some(n), Some(of)) => format!("  (session {n} of {of})"),
            _ => String::new(),
        }
    )];
    if let Some(d) = &s.device {
        lines.push(format!("  device        {} {}", d.model, d.serial));
    }
    if let Some(c) = &s.cartridge {
        lines.push(format!(
            "  cartridge     {} lot {}",
            c.product, c.lot_number
        ));
    }
    if let Some(a) = &s.anaesthetic {
        lines.push(format!(
            "  anaesthetic   {}{} {}–{}",
            a.product,
            a.lot
                .as_ref()
                .map(|l| format!(" lot {}", l.lot_number))
                .unwrap_or_default(),
            a.applied_at.as_deref().unwrap_or("?"),
            a.removed_at.as_deref().unwrap_or("?")
        ));
    }
    for z in &s.zones {
        lines.push(format!(
            "  zone          {:<14} {:>8}  × {}  {}",
            z.zone_name,
            z.depth.to_string(),
            z.passes,
            z.technique
        ));
    }
    for p in &s.products {
        lines.push(format!(
            "  product       {} lot {} ({})",
            p.lot.product,
            p.lot.lot_number,
            p.phase.as_str()
        ));
    }
    if let Some(e) = s.endpoint {
        lines.push(format!("  endpoint      {}", e.as_str().replace('_', " ")));
    }
    if let Some(p) = s.pain {
        lines.push(format!("  pain          {p}/10"));
    }
    for (label, text) in [
        ("reaction", &s.immediate_reaction),
        ("adverse", &s.adverse_events),
        ("notes", &s.notes),
    ] {
        if !text.is_empty() {
            lines.push(format!("  {label:<14}{text}"));
        }
    }
    for w in &s.warnings {
        lines.push(format!(
            "  warning       {} (reason: {})",
            w.message, w.reason
        ));
    }
    match (s.signed_at, &s.signed_by) {
        (Some(at), Some(_)) => lines.push(format!(
            "  signed        {}",
            at.with_timezone(&Local).format("%Y-%m-%d %H:%M")
        )),
        _ => lines.push("  not signed".to_owned()),
    }
    for a in &s.amendments {
        lines.push(format!(
            "  amended       {} — {}: {}",
            a.at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
            a.reason,
            a.changes.join("; ")
        ));
    }
    lines.join("\n")
}

pub fn run_session(
    command: SessionCommand,
    data_dir: &Path,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut store = open(data_dir)?;
    match command {
        SessionCommand::Add(add) => {
            let client_id: ClientId = add.client.parse()?;
            let practitioner = practitioner::find(store.conn(), &add.practitioner)?;
            let plan_id = match add.plan.as_deref() {
                Some("none") => None,
                Some(id) => Some(id.parse::<PlanId>()?),
                None => {
                    pinpoint_core::client::get(store.conn(), client_id)?;
                    plan::active(store.conn(), client_id)?.map(|p| p.id)
                }
            };
            let mut draft = SessionDraft {
                client_id,
                practitioner_id: practitioner.id,
                started_at: now.with_timezone(&Local).to_rfc3339(),
                plan_id,
                device_id: None,
                cartridge: None,
                anaesthetic: None,
                zones: Vec::new(),
                products: Vec::new(),
                endpoint: None,
                pain: None,
                immediate_reaction: String::new(),
                adverse_events: String::new(),
                aftercare: String::new(),
                notes: String::new(),
            };
            add.fields.apply(&store, &mut draft)?;
            let overrides = add
                .fields
                .overrides(&store, &draft, None, Vec::new(), now)?;
            let created = store
                .write(|tx| session::create(tx, SessionId::new(), &draft, &overrides, now))
                .map_err(with_hint)?;
            print(json, &created, || session_text(&created))
        }
        SessionCommand::List { client } => {
            let id: ClientId = client.parse()?;
            let sessions = session::list(store.conn(), id)?;
            print(json, &sessions, || {
                if sessions.is_empty() {
                    return "no sessions recorded".to_owned();
                }
                sessions
                    .iter()
                    .map(|s| {
                        format!(
                            "{}  {}  {:<24} {}{}",
                            s.id,
                            s.local_date,
                            s.zones
                                .iter()
                                .map(|z| format!("{} {}", z.zone_name, z.depth))
                                .collect::<Vec<_>>()
                                .join(", "),
                            if s.signed_at.is_some() {
                                "signed"
                            } else {
                                "unsigned"
                            },
                            if s.amendments.is_empty() {
                                ""
                            } else {
                                ", amended"
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        SessionCommand::Show { id } => {
            let s = session::get(store.conn(), id.parse()?)?;
            print(json, &s, || session_text(&s))
        }
        SessionCommand::Sign { id, by } => {
            let id: SessionId = id.parse()?;
            let current = session::get(store.conn(), id)?;
            let by = match by {
                Some(by) => practitioner::find(store.conn(), &by)?.id,
                None => current.practitioner_id,
            };
            let signed = store.write(|tx| session::sign(tx, id, by, now))?;
            print(json, &signed, || session_text(&signed))
        }
        SessionCommand::Amend { id, reason, fields } => {
            let id: SessionId = id.parse()?;
            let current = session::get(store.conn(), id)?;
            let mut draft = session::to_draft(&current);
            fields.apply(&store, &mut draft)?;
            let overrides = fields.overrides(
                &store,
                &draft,
                Some(id),
                session::recorded_overrides(&current),
                now,
            )?;
            let amended = store
                .write(|tx| {
                    session::amend(tx, AmendmentId::new(), id, &draft, &overrides, &reason, now)
                })
                .map_err(with_hint)?;
            print(json, &amended, || session_text(&amended))
        }
    }
}

// ------------------------------------------------ screening, consent, plan

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
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut store = open(data_dir)?;
    let settings = settings::get(store.conn())?;
    match command {
        ScreeningCommand::Questions => print(json, &settings.screening_questions, || {
            settings
                .screening_questions
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
        }),
        ScreeningCommand::Add { client, on, yes } => {
            let client_id: ClientId = client.parse()?;
            let taken_on = on
                .map(|d| parse_date("on", &d))
                .transpose()?
                .unwrap_or(today);
            let answers = yes
                .iter()
                .map(|text| {
                    let (key, date) = match text.split_once(':') {
                        Some((key, date)) => (key, Some(parse_date("yes", date)?)),
                        None => (text.as_str(), None),
                    };
                    Ok(ScreeningAnswer {
                        key: key.trim().to_owned(),
                        yes: true,
                        last_on: date,
                        note: String::new(),
                    })
                })
                .collect::<Result<Vec<_>, Failure>>()?;
            let added = store.write(|tx| {
                screening::add(
                    tx,
                    ScreeningId::new(),
                    client_id,
                    taken_on,
                    &answers,
                    &settings,
                    today,
                    now,
                )
            })?;
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

pub fn run_consent(
    command: ConsentCommand,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut store = open(data_dir)?;
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
            let given_on = on
                .map(|d| parse_date("on", &d))
                .transpose()?
                .unwrap_or(today);
            let version = settings::get(store.conn())?.consent_template_version;
            let added = store.write(|tx| {
                consent::add(
                    tx,
                    ConsentId::new(),
                    client_id,
                    kind,
                    &version,
                    given_on,
                    &signature,
                    today,
                    now,
                )
            })?;
            print(json, &added, || describe(&added))
        }
        ConsentCommand::Revoke { id, on, reason } => {
            let id: ConsentId = id.parse()?;
            let on = on
                .map(|d| parse_date("on", &d))
                .transpose()?
                .unwrap_or(today);
            let revoked = store.write(|tx| consent::revoke(tx, id, on, &reason, today, now))?;
            print(json, &revoked, || describe(&revoked))
        }
        ConsentCommand::List { client } => {
            let list = consent::list(store.conn(), client.parse()?)?;
            print(json, &list, || {
                list.iter().map(describe).collect::<Vec<_>>().join("\n")
            })
        }
    }
}

pub fn run_plan(
    command: PlanCommand,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut store = open(data_dir)?;
    let settings = settings::get(store.conn())?;
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
                created_on: on
                    .map(|d| parse_date("on", &d))
                    .transpose()?
                    .unwrap_or(today),
                goals,
                concerns,
                skin_assessment: assessment,
                zones,
                sessions_planned: sessions,
                interval_days: interval.unwrap_or(settings.usual_interval_days),
            };
            let added = store.write(|tx| {
                plan::add(tx, PlanId::new(), client_id, &input, &settings, today, now)
            })?;
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
            let list = plan::list(store.conn(), client.parse()?)?;
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

// ------------------------------------------------------ catalogue, recall

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Add a microneedling device
    AddDevice {
        #[arg(long)]
        model: String,
        #[arg(long, default_value = "")]
        serial: String,
        #[arg(long, value_name = "MM", default_value_t = 0.25)]
        min_depth: f64,
        #[arg(long, value_name = "MM")]
        max_depth: f64,
        #[arg(long, value_name = "MM", default_value_t = 0.25)]
        step: f64,
        /// The maker has not evaluated the device above this depth
        #[arg(long, value_name = "MM")]
        evaluated_up_to: Option<f64>,
    },
    /// Add a product: cartridge, serum, anaesthetic, aftercare or other
    AddProduct {
        #[arg(long)]
        name: String,
        #[arg(long)]
        kind: String,
        #[arg(long, default_value = "")]
        manufacturer: String,
        /// Needles per cartridge
        #[arg(long)]
        needles: Option<u32>,
    },
    /// Add a lot of a product
    AddLot {
        /// The product's name
        #[arg(long)]
        product: String,
        #[arg(long)]
        lot: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        expires: Option<String>,
    },
    /// List devices and products with their lots
    List,
    /// Add a practitioner
    AddPractitioner {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        credentials: String,
    },
}

fn parse_kind(text: &str) -> Result<ProductKind, Failure> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase())).map_err(|_| {
        user(format!(
            "product kind {text:?} should be cartridge, serum, anaesthetic, aftercare or other"
        ))
    })
}

pub fn run_catalogue(
    command: CatalogueCommand,
    data_dir: &Path,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut store = match command {
        CatalogueCommand::List => open(data_dir)?,
        _ => Store::open(data_dir)?,
    };
    match command {
        CatalogueCommand::AddDevice {
            model,
            serial,
            min_depth,
            max_depth,
            step,
            evaluated_up_to,
        } => {
            let input = DeviceInput {
                model,
                serial,
                min_depth_mm: min_depth,
                max_depth_mm: max_depth,
                step_mm: step,
                evaluated_up_to_mm: evaluated_up_to,
            };
            let device =
                store.write(|tx| catalogue::add_device(tx, DeviceId::new(), &input, now))?;
            print(json, &device, || {
                format!("device {}  {} {}", device.id, device.model, device.serial)
            })
        }
        CatalogueCommand::AddProduct {
            name,
            kind,
            manufacturer,
            needles,
        } => {
            let kind = parse_kind(&kind)?;
            let product = store.write(|tx| {
                catalogue::add_product(
                    tx,
                    ProductId::new(),
                    &name,
                    kind,
                    &manufacturer,
                    needles,
                    now,
                )
            })?;
            print(json, &product, || {
                format!("product {}  {}", product.id, product.name)
            })
        }
        CatalogueCommand::AddLot {
            product,
            lot,
            expires,
        } => {
            let expires = expires.map(|d| parse_date("expires", &d)).transpose()?;
            let products = catalogue::list_products(store.conn())?;
            let found = products
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(product.trim()))
                .ok_or_else(|| user(format!("no product called {product:?} in the catalogue")))?;
            let product_id = found.id;
            let added = store
                .write(|tx| catalogue::add_lot(tx, LotId::new(), product_id, &lot, expires, now))?;
            print(json, &added, || {
                format!("lot {} of {}", added.lot_number, found.name)
            })
        }
        CatalogueCommand::AddPractitioner { name, credentials } => {
            let added = store.write(|tx| {
                practitioner::create(
                    tx,
                    pinpoint_core::ids::PractitionerId::new(),
                    &name,
                    &credentials,
                    now,
                )
            })?;
            print(json, &added, || {
                format!("practitioner {}  {}", added.id, added.name)
            })
        }
        CatalogueCommand::List => {
            #[derive(serde::Serialize)]
            struct Catalogue {
                practitioners: Vec<practitioner::Practitioner>,
                devices: Vec<catalogue::Device>,
                products: Vec<catalogue::Product>,
            }
            let all = Catalogue {
                practitioners: practitioner::list(store.conn())?,
                devices: catalogue::list_devices(store.conn())?,
                products: catalogue::list_products(store.conn())?,
            };
            print(json, &all, || {
                let mut lines = Vec::new();
                for p in &all.practitioners {
                    lines.push(format!("practitioner  {}  {}", p.name, p.credentials));
                }
                for d in &all.devices {
                    lines.push(format!(
                        "device        {} {} (up to {})",
                        d.model, d.serial, d.max_depth
                    ));
                }
                for p in &all.products {
                    let lots: Vec<String> = p
                        .lots
                        .iter()
                        .map(|l| match l.expires_on {
                            Some(e) => format!("{} (exp. {e})", l.lot_number),
                            None => l.lot_number.clone(),
                        })
                        .collect();
                    lines.push(format!(
                        "{:<13} {}: {}",
                        p.kind.as_str(),
                        p.name,
                        lots.join(", ")
                    ));
                }
                lines.join("\n")
            })
        }
    }
}

/// `lot recall LOT`
pub fn run_recall(lot: &str, data_dir: &Path, json: bool) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let hits = recall::recall(store.conn(), lot)?;
    print(json, &hits, || {
        if hits.is_empty() {
            return format!("no session used lot {lot}");
        }
        hits.iter()
            .map(|h| {
                format!(
                    "{}  {:<24} {}  session {}  {} lot {}",
                    h.session_date,
                    h.client_name,
                    h.phone.as_deref().or(h.email.as_deref()).unwrap_or(""),
                    h.session_id,
                    h.product,
                    h.lot_number
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}
