//! The desktop shell's tests, one binary: the command line against the real
//! binary and real data folders, crash safety, and repository rules.

mod auth;
mod capture;
mod cli;
mod clinic;
mod crash;
mod helpers;
mod hostile;
mod photos;
mod records;
mod reports;
mod same_result;
mod snapshots;
mod tidy;
