//! The command line for treatment sessions: record, list, show, sign and
//! amend.

use chrono::{DateTime, Local, NaiveDateTime, TimeZone};
use clap::{Args, Subcommand};
use pinpoint_core::action::sessions::{self, PlanChoice};
use pinpoint_core::action::{catalogue, Ctx};
use pinpoint_core::depth::NeedleDepth;
use pinpoint_core::ids::{ClientId, PlanId, SessionId};
use pinpoint_core::session::{
    AnaestheticInput, Endpoint, LotInput, Phase, ProductInput, SessionDraft, TreatmentSession,
    ZoneInput,
};
use pinpoint_core::warnings::{WarningOverride, WarningRule};
use pinpoint_core::Error;

use super::{print, user, Failure, Folder};

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

pub(super) fn parse_zone(text: &str) -> Result<ZoneInput, Failure> {
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
    let rule = WarningRule::parse(rule)?;
    Ok(WarningOverride {
        rule,
        subject: subject.trim().to_owned(),
        reason: reason.trim().to_owned(),
    })
}

impl SessionFields {
    /// Applies the given fields onto `draft`; lists replace, scalars
    /// replace when given.
    fn apply(&self, ctx: &Ctx<'_>, draft: &mut SessionDraft) -> Result<(), Failure> {
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
            draft.device_id = Some(catalogue::find_device(ctx, device)?.id);
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
            let settings = catalogue::get_settings(ctx)?;
            draft.aftercare = settings.aftercare_template(key)?.text.clone();
        }
        if let Some(text) = &self.notes {
            draft.notes = text.clone();
        }
        Ok(())
    }

    /// The reasons given on the command line on top of `base` (for
    /// amendments: the reasons already on record), and `--proceed-reason`
    /// for every warning still without one.
    fn overrides(
        &self,
        ctx: &Ctx<'_>,
        draft: &SessionDraft,
        editing: Option<SessionId>,
        base: Vec<WarningOverride>,
    ) -> Result<Vec<WarningOverride>, Failure> {
        let mut overrides = base;
        for text in &self.overrides {
            let o = parse_override(text)?;
            overrides.retain(|b| !(b.rule == o.rule && b.subject == o.subject));
            overrides.push(o);
        }
        Ok(sessions::answer_warnings(
            ctx,
            draft,
            editing,
            overrides,
            self.proceed_reason.as_deref(),
        )?)
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
        let line = format!(
            "  zone          {:<14} {:>8}  × {}  {}",
            z.zone_name,
            z.depth.to_string(),
            z.passes,
            z.technique
        );
        lines.push(line.trim_end().to_owned());
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

/// How `--plan` reads: an id, "none", or (absent) the client's open plan.
fn parse_plan(text: Option<&str>) -> Result<PlanChoice, Failure> {
    Ok(match text {
        None => PlanChoice::Open,
        Some("none") => PlanChoice::None,
        Some(id) => PlanChoice::Plan(id.parse::<PlanId>()?),
    })
}

pub fn run_session(command: SessionCommand, folder: &Folder, json: bool) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    match command {
        SessionCommand::Add(add) => {
            let client_id: ClientId = add.client.parse()?;
            let plan = parse_plan(add.plan.as_deref())?;
            let practitioner = catalogue::find_practitioner(ctx, &add.practitioner)?;
            let mut draft = sessions::blank_draft(ctx, client_id, practitioner.id, plan)?;
            add.fields.apply(ctx, &mut draft)?;
            let overrides = add.fields.overrides(ctx, &draft, None, Vec::new())?;
            let created = sessions::create_session(ctx, &draft, &overrides).map_err(with_hint)?;
            print(json, &created, || session_text(&created))
        }
        SessionCommand::List { client } => {
            let found = sessions::list_sessions(ctx, client.parse()?)?;
            print(json, &found, || session_list_text(&found))
        }
        SessionCommand::Show { id } => {
            let s = sessions::get_session(ctx, id.parse()?)?;
            print(json, &s, || session_text(&s))
        }
        SessionCommand::Sign { id, by } => {
            let by = by
                .map(|by| catalogue::find_practitioner(ctx, &by))
                .transpose()?
                .map(|p| p.id);
            let pin = super::auth::pin_for(ctx)?;
            let signed = sessions::sign_session(ctx, id.parse()?, by, pin.as_deref())?;
            print(json, &signed, || session_text(&signed))
        }
        SessionCommand::Amend { id, reason, fields } => {
            let id: SessionId = id.parse()?;
            let (mut draft, recorded) = sessions::amendment_draft(ctx, id)?;
            fields.apply(ctx, &mut draft)?;
            let overrides = fields.overrides(ctx, &draft, Some(id), recorded)?;
            let pin = super::auth::pin_for(ctx)?;
            let amended =
                sessions::amend_session(ctx, id, &draft, &overrides, &reason, pin.as_deref())
                    .map_err(with_hint)?;
            print(json, &amended, || session_text(&amended))
        }
    }
}

fn session_list_text(found: &[TreatmentSession]) -> String {
    if found.is_empty() {
        return "no sessions recorded".to_owned();
    }
    found
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
}
