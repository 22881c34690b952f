//! Actions on the audit: a client's access report (in the window, as CSV
//! or as PDF) and an account's activity for the owner. Reads noted but not
//! yet written are written first, so a report is never missing the last
//! minutes.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::access_log::{self, AccessEntry};
use crate::ids::{AccountId, ClientId};
use crate::report::{self, WrittenPdf};
use crate::Result;

use super::{Ctx, Permission};

/// How many events an account's activity shows at most.
pub const ACTIVITY_LIMIT: u32 = 500;

/// Every event about a client's record, oldest first.
pub fn access_report(ctx: &Ctx<'_>, client: ClientId) -> Result<Vec<AccessEntry>> {
    ctx.require(Permission::ReadAudit)?;
    ctx.clinic.flush_reads()?;
    ctx.clinic.read(|conn| access_log::for_client(conn, client))
}

/// What one account did, newest first (the last 500 events): the owner's
/// view of the people who use Pinpoint.
pub fn account_activity(ctx: &Ctx<'_>, account: AccountId) -> Result<Vec<AccessEntry>> {
    ctx.require(Permission::ManageAccounts)?;
    ctx.clinic.flush_reads()?;
    ctx.clinic
        .read(|conn| access_log::for_account(conn, account, ACTIVITY_LIMIT))
}

/// The file formats an access report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Pdf,
    Csv,
}

/// Writes a client's access report to `out` as PDF or CSV (through a
/// temporary file and a rename). A file already there is replaced only
/// when `replace` says so. Writing it is itself recorded.
pub fn export_access_report(
    ctx: &Ctx<'_>,
    client: ClientId,
    format: ReportFormat,
    out: &Path,
    replace: bool,
) -> Result<WrittenPdf> {
    let entries = access_report(ctx, client)?;
    let out = match format {
        ReportFormat::Pdf => report::pdf_path(out),
        ReportFormat::Csv => out.to_owned(),
    };
    report::check_out_file(&out, replace)?;
    let written = match format {
        ReportFormat::Pdf => {
            let prepared = ctx.clinic.read(|conn| {
                report::prepare_access_report(conn, client, &entries, ctx.today(), ctx.now())
            })?;
            report::write_pdf(&out, &prepared.render()?)?
        }
        ReportFormat::Csv => {
            let bytes = access_log::to_csv(&entries)?;
            report::write_file_atomically(&out, &bytes)?;
            WrittenPdf {
                path: out.display().to_string(),
                pages: 0,
                photos: 0,
                bytes: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            }
        }
    };
    ctx.note_read(
        "print",
        "client",
        client,
        serde_json::json!({ "document": "access_report" }),
    );
    Ok(written)
}
