//! Care warnings: the rules that flag a session before it is saved. They
//! never block silently — the practitioner may proceed with a recorded
//! reason — and they are pure functions of the facts gathered for a session.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Device, LotRef};
use crate::depth::NeedleDepth;
use crate::screening::Screening;
use crate::settings::{ClinicSettings, Concern};

/// Which rule raised a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum WarningRule {
    /// The latest screening has an answer that rules treatment out.
    Contraindication,
    /// The latest screening has an answer that calls for care.
    Caution,
    /// No screening on record before the session.
    ScreeningMissing,
    /// The latest screening is older than the clinic's limit.
    ScreeningStale,
    /// A depth outside the clinic's guide range for the zone.
    DepthOutsideGuide,
    /// A depth the device cannot set or was not evaluated for.
    DepthAboveDevice,
    /// Too soon after the previous session.
    IntervalShort,
    /// A cartridge, product or anaesthetic lot past its expiry date.
    LotExpired,
    /// No treatment consent in force on the session date.
    ConsentMissing,
}

text_enum! {
    WarningRule, field "overrides", called "warning rule" {
        Contraindication = "contraindication",
        Caution = "caution",
        ScreeningMissing = "screening_missing",
        ScreeningStale = "screening_stale",
        DepthOutsideGuide = "depth_outside_guide",
        DepthAboveDevice = "depth_above_device",
        IntervalShort = "interval_short",
        LotExpired = "lot_expired",
        ConsentMissing = "consent_missing",
    }
}

/// Every rule, in the order warnings are shown.
pub const ALL_RULES: [WarningRule; 9] = [
    WarningRule::Contraindication,
    WarningRule::Caution,
    WarningRule::ScreeningMissing,
    WarningRule::ScreeningStale,
    WarningRule::ConsentMissing,
    WarningRule::IntervalShort,
    WarningRule::DepthOutsideGuide,
    WarningRule::DepthAboveDevice,
    WarningRule::LotExpired,
];

/// A warning about a session. `subject` names what it is about (a zone key,
/// a screening question key or a lot number) so a reason can be matched to
/// it; it is empty for warnings about the session as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CareWarning {
    pub rule: WarningRule,
    pub subject: String,
    pub message: String,
}

/// The practitioner's reason to proceed despite a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WarningOverride {
    pub rule: WarningRule,
    pub subject: String,
    pub reason: String,
}

/// What the rules look at.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub settings: &'a ClinicSettings,
    pub session_date: NaiveDate,
    pub screening: Option<&'a Screening>,
    /// The client's closest session before this one, if any.
    pub previous_session: Option<NaiveDate>,
    /// The client's closest session after this one (when a session is
    /// recorded late), if any.
    pub next_session: Option<NaiveDate>,
    pub treatment_consent: bool,
    pub device: Option<&'a Device>,
    pub zones: &'a [(String, NeedleDepth)],
    pub lots: &'a [LotRef],
}

fn warning(rule: WarningRule, subject: &str, message: String) -> CareWarning {
    CareWarning {
        rule,
        subject: subject.to_owned(),
        message,
    }
}

/// Every warning the facts raise, in a stable order.
pub fn evaluate(facts: &Facts<'_>) -> Vec<CareWarning> {
    let settings = facts.settings;
    let date = facts.session_date;
    let mut out = Vec::new();

    match facts.screening {
        None => out.push(warning(
            WarningRule::ScreeningMissing,
            "",
            "no medical-history screening on record before this session".to_owned(),
        )),
        Some(screening) => {
            for answer in screening.answers.iter().filter(|a| a.yes) {
                let Some(question) = settings.question(&answer.key) else {
                    continue;
                };
                let rule = match question.concern {
                    Concern::Contraindication => WarningRule::Contraindication,
                    Concern::Caution => WarningRule::Caution,
                };
                let message = match (question.wait_days, answer.last_on) {
                    (Some(wait), Some(last)) => {
                        let days = (date - last).num_days();
                        if days >= i64::from(wait) {
                            continue;
                        }
                        format!(
                            "{}: last on {last}, {days} days before this session; the clinic waits {wait} days",
                            question.text
                        )
                    }
                    (Some(wait), None) => format!(
                        "{}: answered yes with no date; the clinic waits {wait} days",
                        question.text
                    ),
                    (None, _) => {
                        format!("{}: answered yes on {}", question.text, screening.taken_on)
                    }
                };
                out.push(warning(rule, &question.key, message));
            }
            let age = (date - screening.taken_on).num_days();
            if age > i64::from(settings.screening_valid_days) {
                out.push(warning(
                    WarningRule::ScreeningStale,
                    "",
                    format!(
                        "the latest screening ({}) is {age} days old; the clinic renews it after {} days",
                        screening.taken_on, settings.screening_valid_days
                    ),
                ));
            }
        }
    }

    if !facts.treatment_consent {
        out.push(warning(
            WarningRule::ConsentMissing,
            "",
            format!("no treatment consent in force on {date}"),
        ));
    }

    if let Some(previous) = facts.previous_session {
        let days = (date - previous).num_days();
        if days < i64::from(settings.min_interval_days) {
            out.push(warning(
                WarningRule::IntervalShort,
                "",
                format!(
                    "only {days} days since the previous session on {previous}; the clinic's minimum is {} days",
                    settings.min_interval_days
                ),
            ));
        }
    }

    if let Some(next) = facts.next_session {
        let days = (next - date).num_days();
        if days < i64::from(settings.min_interval_days) {
            out.push(warning(
                WarningRule::IntervalShort,
                "",
                format!(
                    "only {days} days before the next recorded session on {next}; the clinic's minimum is {} days",
                    settings.min_interval_days
                ),
            ));
        }
    }

    for (zone, depth) in facts.zones {
        let Some(guide) = settings.zone(zone) else {
            continue;
        };
        if *depth < guide.min_depth || *depth > guide.max_depth {
            out.push(warning(
                WarningRule::DepthOutsideGuide,
                zone,
                format!(
                    "{}: {depth} is outside the guide range {} to {}",
                    guide.name,
                    guide.min_depth.mm(),
                    guide.max_depth
                ),
            ));
        }
        if let Some(device) = facts.device {
            let name = format!("{} {}", device.model, device.serial);
            let name = name.trim();
            let shallowest = (device.min_depth_mm * 1000.0).round() as u32;
            let problem = if depth.micrometres() < shallowest {
                Some(format!(
                    "is below the device's shallowest setting {} mm",
                    device.min_depth_mm
                ))
            } else if *depth > device.max_depth {
                Some(format!("is above the device maximum {}", device.max_depth))
            } else if device.evaluated_up_to.is_some_and(|limit| *depth > limit) {
                Some(format!(
                    "is above {}, the depth the {name} was evaluated up to",
                    device.evaluated_up_to.expect("checked above")
                ))
            } else if !device.on_step(*depth) {
                Some(format!(
                    "is not one of the device's {} mm steps",
                    device.step_mm
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                out.push(warning(
                    WarningRule::DepthAboveDevice,
                    zone,
                    format!("{}: needle depth {depth} {problem}", guide.name),
                ));
            }
        }
    }

    for lot in facts.lots {
        if let Some(expires) = lot.expires_on {
            if expires < date {
                out.push(warning(
                    WarningRule::LotExpired,
                    &lot.lot_number,
                    format!(
                        "{} lot {} expired on {expires}",
                        lot.product, lot.lot_number
                    ),
                ));
            }
        }
    }
    // Shown most serious first, in the order of `ALL_RULES`; stable, so
    // warnings of one rule keep their order.
    out.sort_by_key(|w| ALL_RULES.iter().position(|r| *r == w.rule));
    out
}

/// The warnings that no override with a reason answers.
pub fn unanswered<'a>(
    warnings: &'a [CareWarning],
    overrides: &[WarningOverride],
) -> Vec<&'a CareWarning> {
    warnings
        .iter()
        .filter(|w| {
            !overrides
                .iter()
                .any(|o| o.rule == w.rule && o.subject == w.subject && !o.reason.trim().is_empty())
        })
        .collect()
}

/// `given` reasons, plus `reason` for each of `raised` that has none yet
/// (the command line's `--proceed-reason`).
pub fn answer_all(
    raised: &[CareWarning],
    mut given: Vec<WarningOverride>,
    reason: &str,
) -> Vec<WarningOverride> {
    for w in raised {
        if !given
            .iter()
            .any(|o| o.rule == w.rule && o.subject == w.subject)
        {
            given.push(WarningOverride {
                rule: w.rule,
                subject: w.subject.clone(),
                reason: reason.to_owned(),
            });
        }
    }
    given
}
