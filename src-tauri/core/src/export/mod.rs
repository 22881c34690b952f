//! Data portability: one client's whole record as a folder (`record.json`,
//! `sessions.csv`, `zones.csv`, the original photos and the progress
//! report), and the de-identified photo export for marketing, refused
//! unless the client's marketing-photo consent is in force.
//!
//! Both write into a hidden temporary folder beside the target and rename
//! it at the end, so the target is either complete or absent. The format is
//! documented in `format.md`, which every export carries as
//! `FORMAT.md`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::backup::{OnProgress, Progress};
use crate::client::Client;
use crate::consent::{self, Consent, ConsentKind};
use crate::db::Db;
use crate::followup::{self, AdverseEvent, FollowUp};
use crate::ids::{ClientId, PhotoId, SessionId};
use crate::outcome::{self, OutcomeScore};
use crate::photo::{self, Photo, PhotoSize};
use crate::plan::TreatmentPlan;
use crate::report::{self, Prepared};
use crate::screening::Screening;
use crate::session::TreatmentSession;
use crate::{record, settings, Error, Result, Store};

mod deidentified;
pub(crate) mod spreadsheet;

pub use deidentified::{
    deidentified_photos, prepare_deidentified, DeidentifiedPhotos, DeidentifiedSummary,
};
pub use spreadsheet::{sessions_csv, zones_csv};

/// The `format` value of every `record.json`.
pub const FORMAT: &str = "pinpoint-client-export";
/// The version of the export format this Pinpoint writes and reads.
pub const VERSION: u32 = 1;

const FORMAT_DOC: &str = include_str!("format.md");

/// A photo in `record.json`: its stored metadata and where its original is
/// in the export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoEntry {
    #[serde(flatten)]
    pub photo: Photo,
    /// The original's path inside the export, e.g.
    /// `photos/2026-03-02_cheeks_front_before_1a2b3c4d.jpg`; none when the
    /// original was missing from the photo store.
    pub file: Option<String>,
}

/// The whole of `record.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientExport {
    /// Always `pinpoint-client-export`.
    pub format: String,
    /// The format's version, 1.
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    /// The Pinpoint version that wrote the export.
    pub pinpoint_version: String,
    pub clinic: String,
    pub client: Client,
    /// Newest first.
    pub screenings: Vec<Screening>,
    /// Newest first.
    pub consents: Vec<Consent>,
    /// Newest first.
    pub plans: Vec<TreatmentPlan>,
    /// Oldest first.
    pub sessions: Vec<TreatmentSession>,
    /// Oldest first.
    pub follow_ups: Vec<FollowUp>,
    /// Oldest first.
    pub adverse_events: Vec<AdverseEvent>,
    pub scores: Vec<OutcomeScore>,
    pub photos: Vec<PhotoEntry>,
}

/// What [`client`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    /// The export folder.
    pub folder: String,
    pub sessions: u32,
    pub zones: u32,
    pub photos: u32,
    /// Photos whose original was missing from the photo store.
    pub photos_missing: u32,
    pub report_pages: u32,
    /// Everything written, in bytes.
    pub bytes: f64,
}

/// Everything an export needs, read from the database; writing it needs no
/// database (so the app can let go of its lock meanwhile).
#[derive(Debug)]
pub struct PreparedExport {
    record: ClientExport,
    /// The data folder the photos are read from.
    data_dir: PathBuf,
    /// Original (a path relative to the data folder), file name inside
    /// `photos/`, size.
    photo_files: Vec<(String, String, u64)>,
    report: Prepared,
    today: NaiveDate,
}

/// Exports one client into the folder `out` chosen by the rule of
/// [`destination`] (see the module doc).
pub fn client(
    store: &Store,
    client_id: ClientId,
    out: &Path,
    today: NaiveDate,
    now: DateTime<Utc>,
    progress: OnProgress<'_>,
) -> Result<ExportSummary> {
    let prepared = prepare(store.db(), store.data_dir(), client_id, today, now)?;
    let out_dir = destination(out, store.data_dir(), &prepared.folder_name())?;
    prepared.write(&out_dir, progress)
}

/// `parent/base`, or `parent/base (2)`, `(3)`, … : the first that does not
/// exist yet. Characters a file name cannot hold become `_`.
pub fn unused_folder(parent: &Path, base: &str) -> PathBuf {
    let base: String = base
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut candidate = parent.join(&base);
    let mut n = 2;
    while candidate.exists() {
        candidate = parent.join(format!("{base} ({n})"));
        n += 1;
    }
    candidate
}

/// The folder name a client's export gets inside a chosen folder.
pub fn client_folder_name(client: &Client, today: NaiveDate) -> String {
    format!("{} {today}", client.name)
}

/// The folder name de-identified photos get inside a chosen folder (no
/// client name: the point is that nothing names the client).
pub fn deidentified_folder_name(today: NaiveDate) -> String {
    format!("De-identified photos {today}")
}

/// The folder an export chosen as `out` goes into, the one rule for the
/// window and the command line: a folder that does not exist yet is made
/// (its parent must exist); an empty folder is filled; a folder with
/// things in it gets a new folder `base` inside it (`base (2)`, … when
/// taken). A file, or anything inside the data folder `data_dir`, is
/// refused.
pub fn destination(out: &Path, data_dir: &Path, base: &str) -> Result<PathBuf> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    if !out.exists() && !parent.is_dir() {
        return Err(Error::invalid(
            "folder",
            format!("the folder {} does not exist", parent.display()),
        ));
    }
    let resolved = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
    let inside_data = |p: &Path| resolved(p).starts_with(resolved(data_dir));
    if inside_data(if out.exists() { out } else { &parent }) {
        return Err(Error::invalid(
            "folder",
            format!(
                "{} is inside Pinpoint's data folder; choose a folder outside it",
                out.display()
            ),
        ));
    }
    if !out.exists() {
        return Ok(out.to_owned());
    }
    if !out.is_dir() {
        return Err(Error::invalid(
            "folder",
            format!("{} is a file; choose a folder", out.display()),
        ));
    }
    let empty = std::fs::read_dir(out)
        .map_err(|e| Error::io(format!("cannot read {}", out.display()), e))?
        .next()
        .is_none();
    Ok(if empty {
        out.to_owned()
    } else {
        unused_folder(out, base)
    })
}

/// Refuses to write into `out_dir` unless it is absent or an empty folder
/// (what [`destination`] gives; checked again before writing).
pub(super) fn ensure_free(out_dir: &Path) -> Result<()> {
    let free = !out_dir.exists()
        || (out_dir.is_dir()
            && std::fs::read_dir(out_dir)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false));
    if free {
        Ok(())
    } else {
        Err(Error::invalid(
            "folder",
            format!(
                "{} already exists; choose a new folder name",
                out_dir.display()
            ),
        ))
    }
}

/// `2026-03-02_cheeks_front_before_1a2b3c4d.jpg`: sortable by date, with
/// the tail of the photo id to keep names apart.
pub(super) fn photo_file_name(photo: &Photo, date: NaiveDate) -> String {
    let id = photo.id.as_uuid().simple().to_string();
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    format!(
        "{date}_{}_{}_{}_{}.{}",
        safe(&photo.zone),
        photo.pose.as_str(),
        photo.kind.as_str(),
        &id[id.len() - 8..],
        photo.format.extension()
    )
}

/// Reads the client's record, photo list and report for an export.
pub fn prepare<'c>(
    conn: impl Into<Db<'c>>,
    data_dir: &Path,
    client_id: ClientId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<PreparedExport> {
    let conn = conn.into();
    let loaded = record::load(conn, client_id)?;
    let session_dates: std::collections::HashMap<SessionId, NaiveDate> = loaded
        .sessions
        .iter()
        .map(|s| (s.id, s.local_date))
        .collect();
    let mut photos = Vec::new();
    let mut photo_files = Vec::new();
    for p in photo::list(conn, client_id)? {
        let date = p
            .session_id
            .and_then(|s| session_dates.get(&s).copied())
            .or(p.captured_at.map(|t| t.date()))
            .unwrap_or_else(|| p.imported_at.date_naive());
        let file = match photo::file(data_dir, &p, PhotoSize::Original) {
            Ok(_) => {
                let name = photo_file_name(&p, date);
                let relative = photo::original_relative(&p.sha256, p.format);
                photo_files.push((relative, name.clone(), u64::from(p.bytes)));
                Some(format!("photos/{name}"))
            }
            Err(e) if e.kind() == crate::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        photos.push(PhotoEntry { photo: p, file });
    }
    let report = report::prepare_progress_report(conn, data_dir, client_id, today, now)?;
    Ok(PreparedExport {
        data_dir: data_dir.to_owned(),
        record: ClientExport {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: now,
            pinpoint_version: env!("CARGO_PKG_VERSION").to_owned(),
            clinic: settings::get(conn)?.clinic_name,
            client: loaded.client,
            screenings: loaded.screenings,
            consents: loaded.consents,
            plans: loaded.plans,
            sessions: loaded.sessions,
            follow_ups: followup::list_visits(conn, client_id)?,
            adverse_events: followup::list_events(conn, client_id)?,
            scores: outcome::list(conn, client_id)?,
            photos,
        },
        photo_files,
        report,
        today,
    })
}

impl PreparedExport {
    /// The name of the folder this export gets inside a chosen folder.
    pub fn folder_name(&self) -> String {
        client_folder_name(&self.record.client, self.today)
    }

    /// The record as it will be written to `record.json`.
    pub fn record(&self) -> &ClientExport {
        &self.record
    }

    /// Writes the export into the new folder `out_dir`, reporting progress
    /// in bytes; `progress` returning false cancels and leaves nothing.
    pub fn write(self, out_dir: &Path, progress: OnProgress<'_>) -> Result<ExportSummary> {
        ensure_free(out_dir)?;
        let temp = temp_folder(out_dir);
        let _ = std::fs::remove_dir_all(&temp);
        let result = self.write_into(&temp, out_dir, progress);
        match result {
            Ok(summary) => Ok(summary),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&temp);
                Err(e)
            }
        }
    }

    fn write_into(
        self,
        temp: &Path,
        out_dir: &Path,
        progress: OnProgress<'_>,
    ) -> Result<ExportSummary> {
        let io = |what: &Path| {
            let what = what.display().to_string();
            move |e| Error::io(format!("cannot write {what}"), e)
        };
        let photo_bytes: u64 = self.photo_files.iter().map(|(_, _, b)| b).sum();
        // The report is laid out, not copied: count it as a few photos.
        let report_weight = 4_000_000u64;
        let total = (photo_bytes + report_weight + 100_000) as f64;
        let mut done = 0f64;
        let mut step = |done: f64| {
            if progress(Progress {
                done_bytes: done,
                total_bytes: total,
            }) {
                Ok(())
            } else {
                Err(Error::Cancelled(
                    "the export was cancelled; nothing was written".to_owned(),
                ))
            }
        };
        step(0.0)?;
        crate::private::create_dir_all(&temp.join("photos")).map_err(io(temp))?;
        let mut written = 0u64;
        let mut put = |name: &str, bytes: &[u8]| -> Result<()> {
            let path = temp.join(name);
            crate::private::write(&path, bytes).map_err(io(&path))?;
            written += bytes.len() as u64;
            Ok(())
        };
        let json = serde_json::to_vec_pretty(&self.record)
            .map_err(|e| Error::Report(format!("the record cannot be written as JSON: {e}")))?;
        put("record.json", &json)?;
        put("FORMAT.md", FORMAT_DOC.as_bytes())?;
        let (sessions_csv, zones) = sessions_csv(&self.record.sessions)?;
        put("sessions.csv", &sessions_csv)?;
        put("zones.csv", &zones_csv(&self.record.sessions)?)?;
        done += 100_000.0;
        step(done)?;

        let pdf = self.report.render()?;
        put("report.pdf", &pdf.bytes)?;
        done += report_weight as f64;
        step(done)?;

        for (source, name, bytes) in &self.photo_files {
            let target = temp.join("photos").join(name);
            let plain = photo::files::read_stored(&self.data_dir, source)?;
            crate::private::write(&target, &plain)
                .map_err(|e| Error::io(format!("cannot copy the photo {source}"), e))?;
            written += plain.len() as u64;
            done += *bytes as f64;
            step(done)?;
        }
        // An empty folder in the way (made by a folder picker) goes first.
        if out_dir.is_dir() {
            std::fs::remove_dir(out_dir).map_err(io(out_dir))?;
        }
        std::fs::rename(temp, out_dir).map_err(io(out_dir))?;
        Ok(ExportSummary {
            folder: out_dir.display().to_string(),
            sessions: self.record.sessions.len() as u32,
            zones: zones as u32,
            photos: self.photo_files.len() as u32,
            photos_missing: (self.record.photos.len() - self.photo_files.len()) as u32,
            report_pages: pdf.pages as u32,
            bytes: written as f64,
        })
    }
}

pub(super) fn temp_folder(out_dir: &Path) -> PathBuf {
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".to_owned());
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    parent.join(format!(".{name}.exporting"))
}

/// Reads an export's `record.json` back (refusing other formats and newer
/// versions).
pub fn read_record(path: &Path) -> Result<ClientExport> {
    let path = if path.is_dir() {
        path.join("record.json")
    } else {
        path.to_owned()
    };
    let bytes = std::fs::read(&path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    #[derive(Deserialize)]
    struct Header {
        format: String,
        version: u32,
    }
    let header: Header = serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid_input(format!("{} is not a Pinpoint export: {e}", path.display()))
    })?;
    if header.format != FORMAT {
        return Err(Error::invalid_input(format!(
            "{} is a {:?} file, not a Pinpoint client export",
            path.display(),
            header.format
        )));
    }
    if header.version > VERSION {
        return Err(Error::invalid_input(format!(
            "{} is export version {}; this Pinpoint reads up to version {VERSION}",
            path.display(),
            header.version
        )));
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::invalid_input(format!("{} is damaged: {e}", path.display())))
}
