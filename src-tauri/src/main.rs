//! The `pinpoint` binary: the desktop app with no subcommand, the headless
//! command-line tool with one.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    pinpoint_app::main()
}
