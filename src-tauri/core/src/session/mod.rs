//! Treatment sessions: what was done, to which zones, how deep, with what;
//! the care warnings and the reasons to proceed; signing that locks the
//! record, and amendments with a reason kept beside it.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::catalogue::{self, Device, LotRef, ProductKind};
use crate::client;
use crate::consent::{self, ConsentKind};
use crate::db::{Db, Engine, ToValue};
use crate::depth::NeedleDepth;
use crate::ids::{
    AccountId, AmendmentId, ClientId, DeviceId, LotId, PlanId, PractitionerId, SessionId,
};
use crate::plan;
use crate::practitioner;
use crate::screening;
use crate::settings::{self, ClinicSettings, CosignRule};
use crate::store::{format_instant, read_instant};
use crate::warnings::{self, CareWarning, Facts, WarningOverride, WarningRule};
use crate::{Error, Result};

mod changes;
mod check;
mod read;
mod write;

use changes::*;
use check::*;

pub use check::preview;
pub use read::{get, list};
pub use write::{amend, awaiting_cosign, content_hash, cosign, create, sign, update, Signer};

/// When a product was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Before,
    During,
    After,
}

text_enum! {
    Phase, field "products", called "product phase" {
        Before = "before" | "pre",
        During = "during",
        After = "after" | "post",
    }
}

/// The clinical endpoint reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// Even redness (erythema) across the zone.
    Erythema,
    /// Pinpoint bleeding.
    PinpointBleeding,
    /// Stopped before the intended endpoint.
    NotReached,
}

text_enum! {
    Endpoint, field "endpoint", called "endpoint" {
        Erythema = "erythema",
        PinpointBleeding = "pinpoint_bleeding" | "bleeding",
        NotReached = "not_reached" | "none",
    }
}

/// A product and lot as typed: looked up in the catalogue, added when new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LotInput {
    pub product: String,
    pub lot: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AnaestheticInput {
    pub product: String,
    /// The lot, when recorded.
    pub lot: Option<String>,
    /// Local time `HH:MM`.
    pub applied_at: Option<String>,
    /// Local time `HH:MM`.
    pub removed_at: Option<String>,
}

/// One treated zone as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ZoneInput {
    /// A zone key from the clinic settings, e.g. `cheeks`.
    pub zone: String,
    pub depth_mm: f64,
    pub passes: u32,
    pub technique: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductInput {
    pub product: String,
    pub lot: String,
    pub phase: Phase,
}

/// A session as the practitioner fills it in, before it is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionDraft {
    pub client_id: ClientId,
    pub practitioner_id: PractitionerId,
    /// RFC 3339 with the clinic's UTC offset, e.g. `2026-11-25T10:30:00+01:00`.
    pub started_at: String,
    pub plan_id: Option<PlanId>,
    pub device_id: Option<DeviceId>,
    pub cartridge: Option<LotInput>,
    pub anaesthetic: Option<AnaestheticInput>,
    pub zones: Vec<ZoneInput>,
    pub products: Vec<ProductInput>,
    pub endpoint: Option<Endpoint>,
    /// 0 (none) to 10 (worst imaginable).
    pub pain: Option<u8>,
    pub immediate_reaction: String,
    pub adverse_events: String,
    pub aftercare: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TreatedZone {
    pub zone: String,
    pub zone_name: String,
    pub depth: NeedleDepth,
    pub passes: u32,
    pub technique: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductUse {
    pub lot: LotRef,
    pub phase: Phase,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Anaesthetic {
    pub product: String,
    pub lot: Option<LotRef>,
    pub applied_at: Option<String>,
    pub removed_at: Option<String>,
}

/// A warning shown when the session was saved, with the reason to proceed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecordedWarning {
    pub rule: WarningRule,
    pub subject: String,
    pub message: String,
    pub reason: String,
}

/// A change to a signed session, kept beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Amendment {
    pub id: AmendmentId,
    pub at: DateTime<Utc>,
    pub reason: String,
    /// What changed, in words, one line per part of the record, e.g.
    /// `zones: "Cheeks 1 mm × 3" → "Cheeks 1.25 mm × 3"`.
    pub changes: Vec<String>,
    /// The account that amended it (None: before accounts).
    pub by: Option<String>,
}

/// A signature: who signed (an account), when, and the SHA-256 of the
/// session's clinical content as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Signature {
    pub account_id: AccountId,
    pub account_name: String,
    pub at: DateTime<Utc>,
    pub content_hash: String,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TreatmentSession {
    pub id: SessionId,
    pub client_id: ClientId,
    pub practitioner_id: PractitionerId,
    pub practitioner: String,
    pub started_at: DateTime<Utc>,
    /// The clinic's calendar date of the session.
    pub local_date: NaiveDate,
    pub plan_id: Option<PlanId>,
    /// n of N in the plan's course.
    pub course_position: Option<u32>,
    pub course_length: Option<u32>,
    pub device: Option<Device>,
    pub cartridge: Option<LotRef>,
    pub anaesthetic: Option<Anaesthetic>,
    pub zones: Vec<TreatedZone>,
    pub products: Vec<ProductUse>,
    pub endpoint: Option<Endpoint>,
    pub pain: Option<u8>,
    pub immediate_reaction: String,
    pub adverse_events: String,
    pub aftercare: String,
    pub notes: String,
    pub warnings: Vec<RecordedWarning>,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<PractitionerId>,
    /// The account's signature (None: unsigned, or signed before accounts).
    pub signature: Option<Signature>,
    /// The clinic asks a second signature of this session.
    pub cosign_required: bool,
    pub cosignature: Option<Signature>,
    pub amendments: Vec<Amendment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The draft that reproduces a stored session, to start an edit or an
/// amendment from.
pub fn to_draft(s: &TreatmentSession) -> SessionDraft {
    SessionDraft {
        client_id: s.client_id,
        practitioner_id: s.practitioner_id,
        started_at: s.started_at.to_rfc3339(),
        plan_id: s.plan_id,
        device_id: s.device.as_ref().map(|d| d.id),
        cartridge: s.cartridge.as_ref().map(|l| LotInput {
            product: l.product.clone(),
            lot: l.lot_number.clone(),
        }),
        anaesthetic: s.anaesthetic.as_ref().map(|a| AnaestheticInput {
            product: a.product.clone(),
            lot: a.lot.as_ref().map(|l| l.lot_number.clone()),
            applied_at: a.applied_at.clone(),
            removed_at: a.removed_at.clone(),
        }),
        zones: s
            .zones
            .iter()
            .map(|z| ZoneInput {
                zone: z.zone.clone(),
                depth_mm: z.depth.mm(),
                passes: z.passes,
                technique: z.technique.clone(),
            })
            .collect(),
        products: s
            .products
            .iter()
            .map(|p| ProductInput {
                product: p.lot.product.clone(),
                lot: p.lot.lot_number.clone(),
                phase: p.phase,
            })
            .collect(),
        endpoint: s.endpoint,
        pain: s.pain,
        immediate_reaction: s.immediate_reaction.clone(),
        adverse_events: s.adverse_events.clone(),
        aftercare: s.aftercare.clone(),
        notes: s.notes.clone(),
    }
}

/// The overrides that carry a session's recorded reasons forward (for an
/// amendment that does not touch what raised them).
pub fn recorded_overrides(s: &TreatmentSession) -> Vec<WarningOverride> {
    s.warnings
        .iter()
        .map(|w| WarningOverride {
            rule: w.rule,
            subject: w.subject.clone(),
            reason: w.reason.clone(),
        })
        .collect()
}
