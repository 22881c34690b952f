//! The core's one error type, with the few kinds a caller can act on.

use std::path::PathBuf;

/// What went wrong, grouped by what the caller can do about it.
///
/// The UI branches on [`ErrorKind`] and on [`Error::field`]; nobody matches
/// message text.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value given by the user is not acceptable; `field` names the input.
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },
    /// The record asked for does not exist.
    #[error("{what} not found")]
    NotFound { what: String },
    /// The change contradicts what is already stored.
    #[error("{0}")]
    Conflict(String),
    /// The person stopped a long task; nothing was changed.
    #[error("{0}")]
    Cancelled(String),
    /// Stored data cannot be read as Pinpoint wrote it (a damaged setting,
    /// an original that no longer decodes, a failed migration): nothing the
    /// person typed is wrong; the message names the record.
    #[error("{0}")]
    Damaged(String),
    /// The signed-in account's role does not allow the action; nothing was
    /// done.
    #[error("{0}")]
    Forbidden(String),
    /// The record is signed and can only change through an amendment.
    #[error("{0}")]
    Locked(String),
    /// Another process has the data folder open.
    #[error(
        "the data folder {path} is in use by another Pinpoint{}; close it first",
        pid.map(|p| format!(" (process {p})")).unwrap_or_default()
    )]
    InUse { path: PathBuf, pid: Option<u32> },
    /// The data folder was written by a newer Pinpoint.
    #[error(
        "the database {path} was written by a newer version of Pinpoint \
         (schema version {found}, this version knows up to {supported}); \
         install the newer version to open it"
    )]
    NewerDatabase {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// The step belongs to one engine only (a data folder's SQLite file)
    /// and was asked of the other; the message says what to do instead.
    #[error("{0}")]
    Unsupported(String),
    /// The file is not a Pinpoint database at all.
    #[error("{path} is not a Pinpoint database: {reason}")]
    NotOurDatabase { path: PathBuf, reason: String },
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// A document (PDF, JSON, CSV) could not be made.
    #[error("{0}")]
    Report(String),
    /// SQLite reported an error we did not expect.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// The clinic's PostgreSQL server reported an error we did not expect,
    /// or could not be reached.
    #[error("clinic server error: {}", server_said(.0))]
    Server(postgres::Error),
}

impl From<rusqlite::Error> for Error {
    /// A damaged value found while mapping a row travels through rusqlite
    /// (see `Error::into_row`) and comes out as itself again.
    fn from(error: rusqlite::Error) -> Self {
        match error {
            rusqlite::Error::FromSqlConversionFailure(_, _, inner) if inner.is::<Error>() => {
                *inner.downcast::<Error>().expect("checked by is")
            }
            other => Error::Sqlite(other),
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(error: postgres::Error) -> Self {
        Error::Server(error)
    }
}

/// What the server said: its own message (a refusing trigger's words, a
/// constraint's name) rather than the client library's "db error".
fn server_said(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        // No answer at all: the server is down or the network is.
        None => format!(
            "the clinic server cannot be reached ({error}); what was being saved was not \
             saved: try again when the network or the server is back"
        ),
    }
}

/// The kinds of [`Error`] a caller may branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    NotFound,
    Invalid,
    Conflict,
    Locked,
    Forbidden,
    Incompatible,
    Cancelled,
    Damaged,
    Internal,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A user error about one input field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    /// A user error not tied to one field.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::Invalid {
            field: None,
            message: message.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound { what: what.into() }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// This error as a row-mapping closure returns it; `?` on the query
    /// turns it back into this error.
    pub(crate) fn into_row(self) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(self))
    }

    /// A damaged-data error with the record it was found in named first
    /// ("session 0190…: …"); other errors are returned as they are.
    pub(crate) fn in_record(self, record: impl std::fmt::Display) -> Error {
        match self {
            Error::Damaged(message) => Error::Damaged(format!("{record}: {message}")),
            other => other,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict(_) | Error::InUse { .. } => ErrorKind::Conflict,
            Error::Locked(_) => ErrorKind::Locked,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::Cancelled(_) => ErrorKind::Cancelled,
            Error::Damaged(_) => ErrorKind::Damaged,
            Error::NewerDatabase { .. } | Error::NotOurDatabase { .. } | Error::Unsupported(_) => {
                ErrorKind::Incompatible
            }
            Error::Io { .. } | Error::Sqlite(_) | Error::Server(_) | Error::Report(_) => {
                ErrorKind::Internal
            }
        }
    }

    /// The input field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Whether the user can fix this by changing what they typed.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Invalid
                | ErrorKind::NotFound
                | ErrorKind::Conflict
                | ErrorKind::Locked
                | ErrorKind::Forbidden
        ) || matches!(
            self,
            Error::NewerDatabase { .. } | Error::NotOurDatabase { .. }
        )
    }
}
