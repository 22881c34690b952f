//! The PDF engine: Typst as a library, fed from memory only. A report is a
//! Typst template (compiled into the binary), a `data.json` the template
//! reads, and the images it shows; fonts are the Inter faces shipped in
//! `assets/fonts/`, so a report looks the same on every computer.
//!
//! Nothing is read from disk or the network here: the [`World`] knows only
//! the files handed to it, so a template cannot reach anything else.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::{Error, Result};

/// The shared page style, header, footer and helpers (`common.typ`).
const COMMON: &str = include_str!("templates/common.typ");

/// The fonts every report uses, parsed once.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let faces: [&'static [u8]; 4] = [
        include_bytes!("../../../../assets/fonts/Inter-Regular.otf"),
        include_bytes!("../../../../assets/fonts/Inter-Italic.otf"),
        include_bytes!("../../../../assets/fonts/Inter-SemiBold.otf"),
        include_bytes!("../../../../assets/fonts/Inter-Bold.otf"),
    ];
    let fonts: Vec<Font> = faces
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// Typst's standard library, built once.
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// One document to lay out: the template, its data and its files.
#[derive(Debug, Clone)]
pub struct Document {
    /// The main Typst source (it may `#import "common.typ": *`).
    pub template: &'static str,
    /// Read by the template as `json("data.json")`.
    pub data: serde_json::Value,
    /// Further files by virtual path (images, charts), e.g. `photos/0.jpg`.
    /// Paths are reused from report to report (Typst keeps every path it
    /// sees for the life of the process), so name them by position.
    pub files: Vec<(String, Vec<u8>)>,
    /// The document's title in the PDF's metadata.
    pub title: String,
}

struct Memory {
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: NaiveDate,
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("report file names are plain relative paths");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for Memory {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.today.year(),
            self.today.month() as u8,
            self.today.day() as u8,
        )
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

/// Why Typst refused, in one line (the first error and its hints).
fn diagnostics(world: &Memory, errors: &[SourceDiagnostic]) -> String {
    use typst::WorldExt;
    errors
        .iter()
        .map(|e| {
            let place = e
                .span
                .id()
                .and_then(|id| {
                    let source = world.sources.get(&id)?;
                    let range = world.range(e.span)?;
                    let line = source.lines().byte_to_line(range.start)? + 1;
                    Some(format!(" ({}:{line})", id.vpath().get_without_slash()))
                })
                .unwrap_or_default();
            let hints: Vec<&str> = e.hints.iter().map(|h| h.v.as_str()).collect();
            if hints.is_empty() {
                format!("{}{place}", e.message)
            } else {
                format!("{}{place}; {}", e.message, hints.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A laid-out document: its pages and the PDF bytes.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// Lays `doc` out and writes it as PDF. `now` is the PDF's creation time
/// (and Typst's "today"), so the same input gives the same bytes.
pub fn render(doc: Document, now: DateTime<Utc>) -> Result<Rendered> {
    let main = file_id("main.typ");
    let common = file_id("common.typ");
    let data = file_id("data.json");
    let mut sources = HashMap::new();
    sources.insert(main, Source::new(main, doc.template.to_owned()));
    sources.insert(common, Source::new(common, COMMON.to_owned()));
    let mut files = HashMap::new();
    let json = serde_json::to_vec(&doc.data)
        .map_err(|e| Error::Report(format!("the report data cannot be written: {e}")))?;
    files.insert(data, Bytes::new(json));
    for (path, bytes) in doc.files {
        files.insert(file_id(&path), Bytes::new(bytes));
    }
    let world = Memory {
        main,
        sources,
        files,
        today: now.date_naive(),
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let result = compiled
        .map_err(|errors| {
            Error::Report(format!(
                "the report could not be laid out: {}",
                diagnostics(&world, &errors)
            ))
        })
        .and_then(|document| {
            let timestamp = Datetime::from_ymd_hms(
                now.year(),
                now.month() as u8,
                now.day() as u8,
                now.hour() as u8,
                now.minute() as u8,
                now.second() as u8,
            )
            .map(typst_pdf::Timestamp::new_utc);
            let options = typst_pdf::PdfOptions {
                ident: Smart::Custom(doc.title.clone()),
                creator: Smart::Custom(Some(format!("Pinpoint {}", env!("CARGO_PKG_VERSION")))),
                timestamp,
                ..typst_pdf::PdfOptions::default()
            };
            let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
                Error::Report(format!(
                    "the report could not be written as PDF: {}",
                    diagnostics(&world, &errors)
                ))
            })?;
            Ok(Rendered {
                pdf,
                pages: document.pages().len(),
            })
        });
    // Typst memoises layouts across runs; a report is a one-off, so let the
    // memory go rather than keep every photo of every report.
    typst::comemo::evict(0);
    result
}
