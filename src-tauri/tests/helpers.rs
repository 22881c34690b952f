//! What the shell's tests share: running the real binary on a data folder
//! and reading what it printed.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `pinpoint --data-dir DIR ARGS…`, never on the real data folder.
/// In a clinic with accounts (the demo's) it signs in as the demo's owner.
pub fn pinpoint(data_dir: &Path, args: &[&str]) -> Output {
    command(data_dir)
        .args(args)
        .output()
        .expect("the pinpoint binary runs")
}

/// The demo's owner, whose passphrase and PIN the demo documents.
pub const DEMO_OWNER: &str = "Dr. Amara Okafor";

/// `pinpoint --data-dir DIR`, signed in as the demo's owner when the
/// clinic has accounts: the passphrase and PIN come from owner-only files,
/// as a script would give them.
pub fn command(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinpoint"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("PINPOINT_DATA_DIR")
        .env_remove("PINPOINT_USER")
        .env_remove("PINPOINT_CLINIC")
        .env_remove("PINPOINT_CLINIC_PASSWORD_FILE");
    if has_accounts(data_dir) {
        let (passphrase, pin) = secrets();
        command
            .env("PINPOINT_USER", DEMO_OWNER)
            .env("PINPOINT_PASSPHRASE_FILE", passphrase)
            .env("PINPOINT_PIN_FILE", pin);
    }
    command
}

fn has_accounts(data_dir: &Path) -> bool {
    // A sealed folder (only ever one with an owner) cannot be read here.
    if data_dir.join("pinpoint.keys").is_file() {
        return true;
    }
    let db = data_dir.join("pinpoint.sqlite3");
    db.is_file()
        && rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row("SELECT EXISTS (SELECT 1 FROM account)", [], |r| r.get(0)))
            .unwrap_or(false)
}

/// Files holding the demo passphrase and PIN, readable by their owner
/// only, made once per test run.
pub fn secrets() -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("passphrase", pinpoint_core::demo::DEMO_PASSPHRASE),
            ("pin", pinpoint_core::demo::DEMO_PIN),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, format!("{text}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        dir
    });
    (dir.path().join("passphrase"), dir.path().join("pin"))
}

/// The arguments of `photo import --json` that import `files` as before
/// photos of `client` (cheeks, front).
pub fn import_args<'a>(client: &'a str, files: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut args = vec![
        "--json", "photo", "import", "--client", client, "--kind", "before", "--zone", "cheeks",
        "--pose", "front",
    ];
    args.extend(files);
    args
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
