//! Clinic settings: guide depths per zone, intervals, the screening
//! questions and their waiting periods, aftercare and consent templates.
//!
//! Sources disagree, so none of this is hard-coded as medical truth: the
//! defaults are typical values a clinic can change.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::Db;
use crate::depth::NeedleDepth;
use crate::photo::PhotoPose;
use crate::store::format_instant;
use crate::{Error, Result};

/// A treatment zone and the clinic's guide depth range for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ZoneGuide {
    /// Stable key, e.g. `cheeks`.
    pub key: String,
    pub name: String,
    pub min_depth: NeedleDepth,
    pub max_depth: NeedleDepth,
}

/// How a "yes" to a screening question bears on treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// Do not treat (or only with a recorded reason).
    Contraindication,
    /// Treat with care; the practitioner confirms with a reason.
    Caution,
}

/// One medical-history screening question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScreeningQuestion {
    /// Stable key, e.g. `isotretinoin`.
    pub key: String,
    pub text: String,
    pub concern: Concern,
    /// When set, a "yes" asks for the date it last applied (e.g. when
    /// isotretinoin was last taken), and the concern only holds until that
    /// many days have passed.
    pub wait_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AftercareTemplate {
    pub key: String,
    pub title: String,
    pub text: String,
}

/// Everything a clinic can set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClinicSettings {
    pub clinic_name: String,
    /// Sessions closer together than this are flagged.
    pub min_interval_days: u32,
    /// The usual gap between sessions of a course.
    pub usual_interval_days: u32,
    /// A screening older than this is flagged at the next session.
    pub screening_valid_days: u32,
    /// Bumped whenever the questions change; screenings record it.
    pub screening_version: u32,
    pub screening_questions: Vec<ScreeningQuestion>,
    pub zones: Vec<ZoneGuide>,
    pub aftercare_templates: Vec<AftercareTemplate>,
    /// The version of the consent texts now in use, recorded with each consent.
    pub consent_template_version: String,
    /// Minutes without a key or click before the window locks.
    #[serde(default = "default_idle_lock_minutes")]
    pub idle_lock_minutes: u32,
    /// Which signed sessions wait for a second signature.
    #[serde(default)]
    pub cosign: CosignRule,
    /// Years a client's record is kept after their last visit; after that
    /// the owner may erase it. The law differs by country (README).
    #[serde(default = "default_retention_years")]
    pub retention_years: u32,
    /// The poses a phone capture walks through, in order, for each treated
    /// zone.
    #[serde(default = "default_capture_poses")]
    pub capture_poses: Vec<PhotoPose>,
}

/// Front, then each side at 45°: the views that show a face's cheeks,
/// forehead and jaw with the least distortion.
fn default_capture_poses() -> Vec<PhotoPose> {
    vec![PhotoPose::Front, PhotoPose::Left45, PhotoPose::Right45]
}

/// The most poses a capture asks for, per zone.
pub const MAX_CAPTURE_POSES: usize = 5;

/// Records kept ten years after the last visit unless the clinic says
/// otherwise: the longest period common for medical records in Europe.
fn default_retention_years() -> u32 {
    10
}

/// The longest retention a clinic may set.
pub const MAX_RETENTION_YEARS: u32 = 100;

/// The idle lock's default: five minutes.
fn default_idle_lock_minutes() -> u32 {
    5
}

/// The longest idle time a clinic may set before the window locks.
pub const MAX_IDLE_LOCK_MINUTES: u32 = 60;

/// Which signed sessions a reviewer or the owner must co-sign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CosignRule {
    /// No co-signature.
    #[default]
    Never,
    /// Sessions signed by a practitioner who is not a prescriber.
    NonPrescribers,
    /// Every session.
    Everyone,
}

impl CosignRule {
    /// Whether a session signed by a practitioner who is (or is not) a
    /// prescriber waits for a co-signature.
    pub fn applies(self, prescriber: bool) -> bool {
        match self {
            CosignRule::Never => false,
            CosignRule::NonPrescribers => !prescriber,
            CosignRule::Everyone => true,
        }
    }
}

fn depth(mm: f64) -> NeedleDepth {
    NeedleDepth::from_mm(mm).expect("default depths are valid")
}

fn zone(key: &str, name: &str, min: f64, max: f64) -> ZoneGuide {
    ZoneGuide {
        key: key.to_owned(),
        name: name.to_owned(),
        min_depth: depth(min),
        max_depth: depth(max),
    }
}

fn question(key: &str, text: &str, concern: Concern, wait_days: Option<u32>) -> ScreeningQuestion {
    ScreeningQuestion {
        key: key.to_owned(),
        text: text.to_owned(),
        concern,
        wait_days,
    }
}

impl Default for ClinicSettings {
    fn default() -> Self {
        use Concern::{Caution, Contraindication};
        ClinicSettings {
            clinic_name: "My clinic".to_owned(),
            min_interval_days: 28,
            usual_interval_days: 42,
            screening_valid_days: 180,
            screening_version: 1,
            screening_questions: vec![
                question(
                    "active_acne_or_infection",
                    "Active acne, infection or open wounds in the area",
                    Contraindication,
                    None,
                ),
                question(
                    "herpes",
                    "History of cold sores (herpes simplex)",
                    Caution,
                    None,
                ),
                question(
                    "isotretinoin",
                    "Isotretinoin (Roaccutane) taken",
                    Contraindication,
                    Some(180),
                ),
                question(
                    "keloid",
                    "History of keloid or hypertrophic scarring",
                    Contraindication,
                    None,
                ),
                question(
                    "pregnant_or_breastfeeding",
                    "Pregnant or breastfeeding",
                    Contraindication,
                    None,
                ),
                question(
                    "anticoagulants",
                    "Taking anticoagulants or blood thinners",
                    Caution,
                    None,
                ),
                question("diabetes", "Diabetes", Caution, None),
                question("autoimmune", "Autoimmune disease", Caution, None),
                question(
                    "recent_injectables_or_peel",
                    "Toxin, filler or chemical peel",
                    Caution,
                    Some(14),
                ),
                question(
                    "recent_sun_or_retinoids",
                    "Sunburn, tanning or topical retinoids",
                    Caution,
                    Some(7),
                ),
                question(
                    "allergies",
                    "Allergies (e.g. to anaesthetics, metals, products)",
                    Caution,
                    None,
                ),
            ],
            zones: vec![
                zone("forehead", "Forehead", 0.25, 0.5),
                zone("periorbital", "Periorbital", 0.2, 0.3),
                zone("nose", "Nose", 0.25, 0.75),
                zone("upper_lip", "Upper lip", 0.25, 0.5),
                zone("cheeks", "Cheeks", 0.5, 1.5),
                zone("chin", "Chin", 0.5, 1.5),
                zone("jawline", "Jawline", 0.5, 1.5),
                zone("neck", "Neck", 0.25, 0.5),
                zone("decolletage", "Décolletage", 0.25, 0.5),
                zone("scalp", "Scalp", 0.5, 1.0),
                zone("body", "Body", 0.5, 2.5),
                zone("stretch_marks", "Stretch marks", 1.0, 2.5),
            ],
            aftercare_templates: vec![AftercareTemplate {
                key: "standard".to_owned(),
                title: "Standard aftercare".to_owned(),
                text: "Keep the skin clean and moisturised with the products given to you. \
                       For the first 24 hours: no make-up, no exercise that makes you sweat, \
                       no swimming, sauna or steam. For one week: no sun exposure or tanning \
                       (use SPF 50 every day), no retinoids, acids, scrubs or other harsh \
                       products. Redness like a mild sunburn for 1–3 days is expected. Call \
                       the clinic if you notice swelling that gets worse, pus, fever, \
                       blisters, or redness lasting more than 5 days."
                    .to_owned(),
            }],
            consent_template_version: "2026-1".to_owned(),
            idle_lock_minutes: default_idle_lock_minutes(),
            cosign: CosignRule::Never,
            retention_years: default_retention_years(),
            capture_poses: default_capture_poses(),
        }
    }
}

impl ClinicSettings {
    /// The aftercare template with this key.
    pub fn aftercare_template(&self, key: &str) -> crate::Result<&AftercareTemplate> {
        self.aftercare_templates
            .iter()
            .find(|t| t.key == key)
            .ok_or_else(|| {
                crate::Error::invalid(
                    "aftercare_template",
                    format!("no aftercare template {key:?}"),
                )
            })
    }

    pub fn zone(&self, key: &str) -> Option<&ZoneGuide> {
        self.zones.iter().find(|z| z.key == key)
    }

    pub fn question(&self, key: &str) -> Option<&ScreeningQuestion> {
        self.screening_questions.iter().find(|q| q.key == key)
    }

    fn check(&self) -> Result<()> {
        if self.min_interval_days == 0 || self.min_interval_days > 365 {
            return Err(Error::invalid(
                "min_interval_days",
                format!(
                    "minimum interval {} days should be 1 to 365",
                    self.min_interval_days
                ),
            ));
        }
        if self.usual_interval_days < self.min_interval_days {
            return Err(Error::invalid(
                "usual_interval_days",
                "the usual interval is shorter than the minimum interval",
            ));
        }
        if !(1..=MAX_IDLE_LOCK_MINUTES).contains(&self.idle_lock_minutes) {
            return Err(Error::invalid(
                "idle_lock_minutes",
                format!(
                    "the window locks after 1 to {MAX_IDLE_LOCK_MINUTES} idle minutes, not {}",
                    self.idle_lock_minutes
                ),
            ));
        }
        if !(1..=MAX_RETENTION_YEARS).contains(&self.retention_years) {
            return Err(Error::invalid(
                "retention_years",
                format!(
                    "records are kept 1 to {MAX_RETENTION_YEARS} years after the last visit, not {}",
                    self.retention_years
                ),
            ));
        }
        let poses = &self.capture_poses;
        if poses.is_empty() || poses.len() > MAX_CAPTURE_POSES {
            return Err(Error::invalid(
                "capture_poses",
                format!(
                    "a capture asks for 1 to {MAX_CAPTURE_POSES} poses, not {}",
                    poses.len()
                ),
            ));
        }
        for (i, pose) in poses.iter().enumerate() {
            if *pose == PhotoPose::Custom {
                return Err(Error::invalid(
                    "capture_poses",
                    "a capture pose must be one of the named poses, not custom",
                ));
            }
            if poses[..i].contains(pose) {
                return Err(Error::invalid(
                    "capture_poses",
                    format!("the pose {} is asked for twice", pose.as_str()),
                ));
            }
        }
        if self.screening_valid_days == 0 {
            return Err(Error::invalid(
                "screening_valid_days",
                "a screening must stay valid for at least one day",
            ));
        }
        for z in &self.zones {
            if z.min_depth > z.max_depth {
                return Err(Error::invalid(
                    "zones",
                    format!(
                        "zone {}: the guide range {} to {} is reversed",
                        z.name, z.min_depth, z.max_depth
                    ),
                ));
            }
        }
        let mut keys: Vec<&str> = self.zones.iter().map(|z| z.key.as_str()).collect();
        keys.sort_unstable();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            return Err(Error::invalid("zones", "two zones share a key"));
        }
        Ok(())
    }
}

const KEY: &str = "clinic";

/// The clinic's settings, or the defaults when none were saved.
pub fn get<'c>(conn: impl Into<Db<'c>>) -> Result<ClinicSettings> {
    let stored: Option<String> = conn.into().query_opt(
        "SELECT value FROM clinic_setting WHERE key = ?1",
        &[&KEY],
        |row| row.get(0),
    )?;
    match stored {
        None => Ok(ClinicSettings::default()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| Error::Damaged(format!("the stored clinic settings cannot be read: {e}"))),
    }
}

/// Saves the clinic's settings after checking them.
pub fn save<'c>(
    tx: impl Into<Db<'c>>,
    settings: &ClinicSettings,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = tx.into();
    settings.check()?;
    let json = serde_json::to_string(settings).expect("settings serialise");
    tx.execute(
        "INSERT INTO clinic_setting (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        &[&KEY, &json, &format_instant(now)],
    )?;
    audit::record(tx, now, "update", "settings", KEY, &serde_json::json!({}))?;
    Ok(())
}
