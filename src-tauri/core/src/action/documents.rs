//! Actions that print and export: the progress report, treatment note and
//! aftercare sheet as PDF, the client's whole record as a folder, and
//! de-identified photos. Records are read under the store's lock; laying
//! out, decoding and writing happen after it is released.

use std::path::{Path, PathBuf};

use crate::backup::Progress;
use crate::export::{self, DeidentifiedSummary, ExportSummary};
use crate::ids::{ClientId, PhotoId, SessionId};
use crate::report::{self, PdfDocument, WrittenPdf};
use crate::Result;

use super::{Ctx, Permission, Task};

/// A printed document and the record it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    ProgressReport(ClientId),
    TreatmentNote(SessionId),
    Aftercare(SessionId),
}

impl Document {
    /// The document `kind` about the record `id` (the client's for the
    /// progress report, else the session's), as the window names them.
    pub fn of(kind: PdfDocument, id: &str) -> Result<Document> {
        Ok(match kind {
            PdfDocument::ProgressReport => Document::ProgressReport(id.parse()?),
            PdfDocument::TreatmentNote => Document::TreatmentNote(id.parse()?),
            PdfDocument::Aftercare => Document::Aftercare(id.parse()?),
        })
    }
}

/// Writes a document as PDF to `out` (`.pdf` added when missing). A file
/// already there is replaced only when `replace` says so; otherwise the
/// answer is a `conflict`, for the window to ask.
pub fn export_document(
    ctx: &Ctx<'_>,
    document: Document,
    out: &Path,
    replace: bool,
) -> Result<WrittenPdf> {
    ctx.require(Permission::PrintDocuments)?;
    let out = report::pdf_path(out);
    report::check_out_file(&out, replace)?;
    let (today, now) = (ctx.today(), ctx.now());
    let data_dir = ctx.clinic.data_dir();
    let prepared = ctx.clinic.read(|conn| match document {
        Document::ProgressReport(client) => {
            report::prepare_progress_report(conn, data_dir, client, today, now)
        }
        Document::TreatmentNote(session) => {
            report::prepare_treatment_note(conn, session, today, now)
        }
        Document::Aftercare(session) => report::prepare_aftercare_sheet(conn, session, today, now),
    })?;
    let pdf = prepared.render()?;
    let written = report::write_pdf(&out, &pdf)?;
    let (entity, id, name) = match document {
        Document::ProgressReport(client) => ("client", client.to_string(), "progress_report"),
        Document::TreatmentNote(session) => ("session", session.to_string(), "treatment_note"),
        Document::Aftercare(session) => ("session", session.to_string(), "aftercare_sheet"),
    };
    ctx.note_read("print", entity, id, serde_json::json!({ "document": name }));
    Ok(written)
}

/// The path suggested for a document in `folder`: named after the client,
/// the document and its date. `id` is the client's id for the progress
/// report, else the session's.
pub fn suggest_pdf_path(
    ctx: &Ctx<'_>,
    folder: &Path,
    document: PdfDocument,
    id: &str,
) -> Result<PathBuf> {
    ctx.require(Permission::PrintDocuments)?;
    ctx.clinic
        .read(|conn| report::suggested_pdf_path_for(conn, folder, document, id, ctx.today()))
}

/// Exports the client's whole record (JSON, CSV, photos, report) into the
/// folder `out`, by the one rule of [`export::destination`], reporting
/// bytes copied; a cancel leaves nothing behind.
pub fn export_client(
    ctx: &Ctx<'_>,
    client_id: ClientId,
    out: &Path,
    task: &mut Task<'_, Progress>,
) -> Result<ExportSummary> {
    ctx.require(Permission::ExportRecords)?;
    let _running = task.start()?;
    let data_dir = ctx.clinic.data_dir();
    let prepared = ctx
        .clinic
        .read(|conn| export::prepare(conn, data_dir, client_id, ctx.today(), ctx.now()))?;
    let out_dir = export::destination(out, data_dir, &prepared.folder_name())?;
    let summary = prepared.write(&out_dir, &mut |p| task.step(&p))?;
    ctx.note_read("export_record", "client", client_id, serde_json::json!({}));
    Ok(summary)
}

/// Writes de-identified copies of the chosen photos (all when empty) into
/// the folder `out`, by the same rule; refused unless the client's
/// marketing-photo consent is in force. Photos are decoded and encoded
/// again outside the store's lock.
pub fn export_deidentified_photos(
    ctx: &Ctx<'_>,
    client_id: ClientId,
    photo_ids: &[PhotoId],
    out: &Path,
) -> Result<DeidentifiedSummary> {
    ctx.require(Permission::ExportRecords)?;
    let data_dir = ctx.clinic.data_dir();
    let prepared = ctx.clinic.read(|conn| {
        export::prepare_deidentified(conn, data_dir, client_id, photo_ids, ctx.today())
    })?;
    let out_dir = export::destination(
        out,
        data_dir,
        &export::deidentified_folder_name(ctx.today()),
    )?;
    let summary = prepared.write(&out_dir)?;
    ctx.note_read(
        "export_deidentified",
        "client",
        client_id,
        serde_json::json!({ "photos": summary.files.len() }),
    );
    Ok(summary)
}
