//! A client's whole record in one value: identity, screenings, consents,
//! plans, sessions and follow-up visits, as the client page and the exports
//! need it.

use serde::{Deserialize, Serialize};

use crate::client::{self, Client};
use crate::consent::{self, Consent};
use crate::db::Db;
use crate::followup::{self, FollowUp};
use crate::ids::ClientId;
use crate::plan::{self, TreatmentPlan};
use crate::screening::{self, Screening};
use crate::session::{self, TreatmentSession};
use crate::Result;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientRecord {
    pub client: Client,
    /// Newest first.
    pub screenings: Vec<Screening>,
    /// Newest first.
    pub consents: Vec<Consent>,
    /// Newest first.
    pub plans: Vec<TreatmentPlan>,
    /// Oldest first.
    pub sessions: Vec<TreatmentSession>,
    /// Follow-up visits (photos and scores without needling), oldest first.
    pub follow_ups: Vec<FollowUp>,
    /// The clinical parts (screenings, plans, sessions, visits) were left
    /// out: the person reading may see identity and consents only.
    pub clinical_hidden: bool,
}

/// Everything recorded about one client.
pub fn load<'c>(conn: impl Into<Db<'c>>, id: ClientId) -> Result<ClientRecord> {
    let conn = conn.into();
    Ok(ClientRecord {
        client: client::get(conn, id)?,
        screenings: screening::list(conn, id)?,
        consents: consent::list(conn, id)?,
        plans: plan::list(conn, id)?,
        sessions: session::list(conn, id)?,
        follow_ups: followup::list_visits(conn, id)?,
        clinical_hidden: false,
    })
}

/// A client's identity and consents only, for a person who may not read
/// clinical records (the front desk).
pub fn load_front_desk<'c>(conn: impl Into<Db<'c>>, id: ClientId) -> Result<ClientRecord> {
    let conn = conn.into();
    Ok(ClientRecord {
        client: client::get(conn, id)?,
        screenings: Vec::new(),
        consents: consent::list(conn, id)?,
        plans: Vec::new(),
        sessions: Vec::new(),
        follow_ups: Vec::new(),
        clinical_hidden: true,
    })
}
