//! Pinpoint's domain: the clinic's records and the SQLite store that keeps them, with no UI.
//!
//! Everything a practitioner can do is a function here; the desktop shell and
//! the command line only translate between people and these functions.

pub mod audit;
pub mod client;
pub mod demo;
mod error;
pub mod ids;
pub mod practitioner;
pub mod store;

pub use error::{Error, ErrorKind, Result};
pub use store::Store;
