//! The command line for documents and exports: `report`, `note`,
//! `aftercare` (PDF) and `export` (the client's data folder, or
//! de-identified photos).

use std::path::PathBuf;

use pinpoint_core::action::documents::{self, Document};
use pinpoint_core::action::unwatched;
use pinpoint_core::ids::PhotoId;
use pinpoint_core::report::WrittenPdf;
use pinpoint_core::ErrorKind;

use super::{print, user, Failure, Folder};

fn written_text(what: &str, w: &WrittenPdf) -> String {
    format!(
        "{what} written to {} ({} page{}, {} photo{}, {:.1} MB)",
        w.path,
        w.pages,
        if w.pages == 1 { "" } else { "s" },
        w.photos,
        if w.photos == 1 { "" } else { "s" },
        f64::from(w.bytes) / 1e6
    )
}

/// Where a document goes: `--out FILE.pdf`, and `--force` to replace a
/// file already there.
#[derive(Debug, clap::Args)]
pub struct DocumentOut {
    /// The PDF file to write
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    force: bool,
}

/// Writes one document to `out`; an existing file only with `--force`.
fn write_document(
    what: &str,
    document: Document,
    out: &DocumentOut,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = folder.ctx(&clinic)?;
    let written = documents::export_document(&ctx, document, &out.out, out.force).map_err(|e| {
        match e.kind() {
            ErrorKind::Conflict => user(format!("{e}; add --force to replace it")),
            _ => e.into(),
        }
    })?;
    print(json, &written, || written_text(what, &written))
}

/// `report CLIENT --out FILE.pdf [--force]`
pub fn run_report(
    client: &str,
    out: &DocumentOut,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    let document = Document::ProgressReport(client.parse()?);
    write_document("progress report", document, out, folder, json)
}

/// `note SESSION --out FILE.pdf [--force]`
pub fn run_note(
    session: &str,
    out: &DocumentOut,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    let document = Document::TreatmentNote(session.parse()?);
    write_document("treatment note", document, out, folder, json)
}

/// `aftercare SESSION --out FILE.pdf [--force]`
pub fn run_aftercare(
    session: &str,
    out: &DocumentOut,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    let document = Document::Aftercare(session.parse()?);
    write_document("aftercare sheet", document, out, folder, json)
}

/// What `export` was given.
pub struct ExportArgs {
    pub client: String,
    pub out: PathBuf,
    pub deidentified: bool,
    pub photos: Vec<String>,
}

/// `export CLIENT --out DIR [--deidentified-photos [--photo ID]…]`
pub fn run_export(args: &ExportArgs, folder: &Folder, json: bool) -> Result<(), Failure> {
    let client = args.client.parse()?;
    let photo_ids = args
        .photos
        .iter()
        .map(|p| p.parse::<PhotoId>())
        .collect::<Result<Vec<_>, _>>()?;
    if !args.deidentified && !photo_ids.is_empty() {
        return Err(user("--photo only goes with --deidentified-photos"));
    }
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    if args.deidentified {
        let summary = documents::export_deidentified_photos(ctx, client, &photo_ids, &args.out)?;
        return print(json, &summary, || {
            format!(
                "{} de-identified photo{} written to {} (no metadata)",
                summary.files.len(),
                if summary.files.len() == 1 { "" } else { "s" },
                summary.folder
            )
        });
    }
    let summary = unwatched("client export", |task| {
        documents::export_client(ctx, client, &args.out, task)
    })?;
    print(json, &summary, || {
        let mut text = format!(
            "exported to {}: record.json, sessions.csv ({} sessions), zones.csv ({} zones), \
             {} photo{}, report.pdf ({} pages)",
            summary.folder,
            summary.sessions,
            summary.zones,
            summary.photos,
            if summary.photos == 1 { "" } else { "s" },
            summary.report_pages
        );
        if summary.photos_missing > 0 {
            text.push_str(&format!(
                "\nwarning: {} photo original(s) missing from the photo store were left out",
                summary.photos_missing
            ));
        }
        text
    })
}
