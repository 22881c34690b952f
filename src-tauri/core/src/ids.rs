//! Typed record ids: UUID v7 newtypes that cannot be mixed up with each other.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use uuid::Uuid;

use crate::Error;

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id. Call this at the edge (command or
            /// CLI) and pass the id into the core.
            pub fn new() -> Self {
                $name(Uuid::now_v7())
            }

            pub fn from_uuid(uuid: Uuid) -> Self {
                $name(uuid)
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                $name(uuid)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Uuid::parse_str(s.trim()).map($name).map_err(|_| {
                    Error::invalid_input(format!("{s:?} is not a valid {} id", $what))
                })
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.to_string()))
            }
        }

        impl crate::db::ToValue for $name {
            fn to_value(&self) -> crate::db::Value {
                crate::db::Value::Text(self.to_string())
            }
        }

        impl crate::db::FromValue for $name {
            fn from_value(value: &crate::db::Value, what: &str) -> Result<Self, Error> {
                let text = <String as crate::db::FromValue>::from_value(value, what)?;
                Uuid::parse_str(&text).map($name).map_err(|_| {
                    Error::Damaged(format!("{what} holds {text:?}, not a {} id", $what))
                })
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                Uuid::parse_str(text)
                    .map($name)
                    .map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

record_id!(
    /// Identifies a client of the clinic.
    ClientId,
    "client"
);
record_id!(
    /// Identifies a practitioner who treats clients.
    PractitionerId,
    "practitioner"
);
record_id!(
    /// Identifies a microneedling device (pen) of the clinic.
    DeviceId,
    "device"
);
record_id!(
    /// Identifies a product in the clinic's catalogue.
    ProductId,
    "product"
);
record_id!(
    /// Identifies one lot (batch) of a product.
    LotId,
    "lot"
);
record_id!(
    /// Identifies a medical-history screening.
    ScreeningId,
    "screening"
);
record_id!(
    /// Identifies a consent given by a client.
    ConsentId,
    "consent"
);
record_id!(
    /// Identifies a treatment plan.
    PlanId,
    "treatment plan"
);
record_id!(
    /// Identifies a treatment session.
    SessionId,
    "session"
);
record_id!(
    /// Identifies an amendment to a signed session.
    AmendmentId,
    "amendment"
);
record_id!(
    /// Identifies a clinical photo in the photo store.
    PhotoId,
    "photo"
);
record_id!(
    /// Identifies a recorded outcome score.
    ScoreId,
    "score"
);
record_id!(
    /// Identifies a follow-up visit (photos and scores without needling).
    FollowUpId,
    "follow-up visit"
);
record_id!(
    /// Identifies an adverse event followed to resolution.
    AdverseEventId,
    "adverse event"
);
record_id!(
    /// Identifies an account: a person who signs in.
    AccountId,
    "account"
);
