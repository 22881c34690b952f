//! What the shell's tests share: running the real binary on a data folder
//! and reading what it printed.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `pinpoint --data-dir DIR ARGS…`, never on the real data folder.
pub fn pinpoint(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pinpoint"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("PINPOINT_DATA_DIR")
        .output()
        .expect("the pinpoint binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON a successful command printed.
pub fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "command failed: {}",
        stderr(output)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// A user error: exit code 1 and one line on stderr holding `expected`.
pub fn refused(output: &Output, expected: &str) {
    assert_eq!(output.status.code(), Some(1), "exit 1: {}", stderr(output));
    let message = stderr(output);
    assert_eq!(message.trim_end().lines().count(), 1, "one line: {message}");
    assert!(message.contains(expected), "{expected:?} in {message:?}");
}

/// The text of a PDF, by poppler's `pdftotext`, with white space folded.
pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils, installed by .ci/setup)");
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
