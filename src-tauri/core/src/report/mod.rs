//! Printed documents as PDF: the client's progress report, the treatment
//! note of one session and the client's aftercare sheet.
//!
//! Each document is made in two steps so that the slow part needs no
//! database: `prepare_*` reads what the document shows (records, photo
//! previews) into a [`Prepared`], and [`Prepared::render`] lays it out with
//! Typst (`engine.rs`) from a template in `templates/`. All wording and
//! formatting is decided here in Rust; the templates only place it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::client::Indication;
use crate::db::Db;
use crate::{Error, Result};

mod access;
mod chart;
mod engine;
mod note;
mod progress;
mod recovery;

pub use access::prepare_access_report;
pub use note::{prepare_aftercare_sheet, prepare_treatment_note};
pub use progress::prepare_progress_report;
pub use recovery::prepare_recovery_sheet;

/// A document read from the records, ready to lay out without the database.
#[derive(Debug, Clone)]
pub struct Prepared {
    doc: engine::Document,
    now: DateTime<Utc>,
    /// How many photos the document shows.
    pub photos: usize,
}

/// A laid-out PDF.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub photos: usize,
}

impl Prepared {
    /// Lays the document out and writes it as PDF bytes.
    pub fn render(self) -> Result<Pdf> {
        let rendered = engine::render(self.doc, self.now)?;
        Ok(Pdf {
            bytes: rendered.pdf,
            pages: rendered.pages,
            photos: self.photos,
        })
    }
}

/// What [`write_pdf`] wrote, as the CLI and the app report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WrittenPdf {
    pub path: String,
    pub pages: u32,
    pub photos: u32,
    pub bytes: u32,
}

/// The documents the app prints, as file names and the app name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PdfDocument {
    ProgressReport,
    TreatmentNote,
    Aftercare,
}

impl PdfDocument {
    /// The words a file name uses for the document.
    fn file_words(self) -> &'static str {
        match self {
            PdfDocument::ProgressReport => "progress report",
            PdfDocument::TreatmentNote => "treatment note",
            PdfDocument::Aftercare => "aftercare",
        }
    }
}

/// Longest name part kept in a suggested file name, in characters.
const MAX_NAME: usize = 80;

/// `text` as a file name every system accepts: characters no file name can
/// hold (on Windows, macOS or Linux) and control characters become `_`,
/// runs of white space one space, no dots or spaces at either end (hidden
/// on Unix, refused on Windows), at most 80 characters; `Client` when
/// nothing is left.
pub fn safe_file_name(text: &str) -> String {
    let mut cleaned = String::new();
    for c in text.chars() {
        let c = if c.is_whitespace() {
            ' '
        } else if c.is_control() || "<>:\"/\\|?*".contains(c) {
            '_'
        } else {
            c
        };
        if !(c == ' ' && cleaned.ends_with(' ')) {
            cleaned.push(c);
        }
    }
    let trim = |s: &str| s.trim_matches(|c: char| c == ' ' || c == '.').to_owned();
    let cut: String = trim(&cleaned).chars().take(MAX_NAME).collect();
    let cut = trim(&cut);
    if cut.is_empty() {
        "Client".to_owned()
    } else {
        cut
    }
}

/// Where a document is suggested to go: `folder/<client> <document> <date>.pdf`,
/// e.g. `Ana Sousa progress report 2026-11-25.pdf`.
pub fn suggested_pdf_path(
    folder: &Path,
    client_name: &str,
    document: PdfDocument,
    date: NaiveDate,
) -> PathBuf {
    folder.join(format!(
        "{} {} {}.pdf",
        safe_file_name(client_name),
        document.file_words(),
        date.format("%Y-%m-%d")
    ))
}

/// The suggested path of `document` in `folder`, named after its client and
/// date: today for the progress report (`id` is the client's), the
/// session's date for a session's documents (`id` is the session's).
pub fn suggested_pdf_path_for<'c>(
    conn: impl Into<Db<'c>>,
    folder: &Path,
    document: PdfDocument,
    id: &str,
    today: NaiveDate,
) -> Result<PathBuf> {
    let conn = conn.into();
    let (name, date) = if document == PdfDocument::ProgressReport {
        (crate::client::get(conn, id.parse()?)?.name, today)
    } else {
        let session: crate::ids::SessionId = id.parse()?;
        conn.query_one(
            "SELECT c.name, s.local_date FROM treatment_session s JOIN client c ON c.id = s.client_id
             WHERE s.id = ?1",
            &[&session],
            &format!("session {session}"),
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?
    };
    Ok(suggested_pdf_path(folder, &name, document, date))
}

/// `out` with `.pdf` added when it does not end so (a name typed without
/// it, or a save dialog that does not add it); an existing folder is left
/// as it is.
pub fn pdf_path(out: &Path) -> PathBuf {
    let is_pdf = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    // A folder stays a folder, so the check that follows can name it.
    if is_pdf || out.as_os_str().is_empty() || out.is_dir() {
        return out.to_owned();
    }
    let mut with = out.as_os_str().to_owned();
    with.push(".pdf");
    PathBuf::from(with)
}

/// Checks that `out` can take a new file: its folder exists and it is not
/// a folder itself, and a file already there is refused (`Conflict`)
/// unless `replace`. Done before the work, so a bad path fails at once.
pub fn check_out_file(out: &Path, replace: bool) -> Result<()> {
    let folder = parent_folder(out);
    if !folder.is_dir() {
        return Err(Error::invalid(
            "path",
            format!("the folder {} does not exist", folder.display()),
        ));
    }
    if out.is_dir() {
        return Err(Error::invalid(
            "path",
            format!("{} is a folder; give a file name", out.display()),
        ));
    }
    if !replace && out.exists() {
        return Err(Error::Conflict(format!("{} already exists", out.display())));
    }
    Ok(())
}

fn parent_folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Writes `pdf` to `out` through a temporary file in the same folder and a
/// rename, so `out` is either the whole new file or untouched.
pub fn write_pdf(out: &Path, pdf: &Pdf) -> Result<WrittenPdf> {
    check_out_file(out, true)?;
    write_file_atomically(out, &pdf.bytes)?;
    Ok(WrittenPdf {
        path: out.display().to_string(),
        pages: pdf.pages as u32,
        photos: pdf.photos as u32,
        bytes: pdf.bytes.len() as u32,
    })
}

/// A temporary file beside `out`, synced, then renamed over it.
pub fn write_file_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    // A bare file name lives in the current folder.
    let within = parent_folder(out).join(out.file_name().unwrap_or(out.as_os_str()));
    crate::photo::files::write_atomically(&within, bytes, true)
        .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))
}

/// A date as printed: `12 Mar 2026` (no day/month order to misread).
pub fn day(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// Whole years from `born` to `on`.
pub(crate) fn age(born: NaiveDate, on: NaiveDate) -> Option<i32> {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    (years >= 0).then_some(years)
}

pub(crate) fn indication_words(indication: Indication) -> &'static str {
    match indication {
        Indication::AcneScars => "acne scars",
        Indication::FineLines => "fine lines",
        Indication::Texture => "texture",
        Indication::Pigmentation => "pigmentation",
        Indication::StretchMarks => "stretch marks",
        Indication::Other => "other",
    }
}

/// `Priya Sharma` → `P. S.`, for footers that should not carry the name.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A label and its value, as the templates' fact lists show them.
pub(crate) fn fact(label: &str, value: impl Into<String>) -> (String, String) {
    (label.to_owned(), value.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_initials() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            age(d(1990, 6, 15), d(2026, 6, 14)),
            Some(35),
            "a day before the birthday"
        );
        assert_eq!(
            age(d(1990, 6, 15), d(2026, 6, 15)),
            Some(36),
            "on the birthday"
        );
        assert_eq!(initials("Priya  Sharma"), "P. S.");
        assert_eq!(initials("élodie du pré"), "É. D. P.");
        assert_eq!(day(d(2026, 3, 2)), "2 Mar 2026");
    }
}
