//! Pinpoint's domain: the clinic's records and the SQLite store that keeps them, with no UI.
//!
//! Everything a practitioner can do is a function here; the desktop shell and
//! the command line only translate between people and these functions.

// First: the modules below use its macro.
#[macro_use]
mod text;

pub mod access_log;
pub mod account;
pub mod action;
pub mod audit;
pub mod backup;
pub mod bucket;
pub mod catalogue;
pub mod client;
pub mod consent;
pub mod db;
pub mod demo;
pub mod depth;
pub mod erasure;
mod error;
pub mod export;
pub mod followup;
pub mod hex;
pub mod ids;
pub mod outcome;
pub mod photo;
pub mod plan;
pub mod practitioner;
pub mod private;
pub mod recall;
pub mod record;
pub mod report;
pub mod screening;
pub mod seal;
pub mod session;
pub mod settings;
pub mod store;
pub mod timeline;
pub mod verify;
pub mod warnings;

pub use error::{Error, ErrorKind, Result};
pub use store::{DataFolder, FolderHold, Reader, SharedStore, Store};
