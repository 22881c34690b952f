//! The command line for documents and exports: `report`, `note`,
//! `aftercare` (PDF) and `export` (the client's data folder, or
//! de-identified photos).

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use pinpoint_core::ids::{ClientId, PhotoId, SessionId};
use pinpoint_core::{export, report, Store};

use super::{print, Failure};

fn open(data_dir: &Path) -> Result<Store, Failure> {
    Ok(Store::open_existing(data_dir)?)
}

fn written_text(what: &str, w: &report::WrittenPdf) -> String {
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

/// `report CLIENT --out FILE.pdf`
pub fn run_report(
    client: &str,
    out: &Path,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let client: ClientId = client.parse()?;
    write_document("progress report", out, data_dir, json, |store| {
        report::progress_report(store.conn(), store.data_dir(), client, today, now)
    })
}

/// `note SESSION --out FILE.pdf`
pub fn run_note(
    session: &str,
    out: &Path,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let session: SessionId = session.parse()?;
    write_document("treatment note", out, data_dir, json, |store| {
        report::treatment_note(store.conn(), session, today, now)
    })
}

/// `aftercare SESSION --out FILE.pdf`
pub fn run_aftercare(
    session: &str,
    out: &Path,
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let session: SessionId = session.parse()?;
    write_document("aftercare sheet", out, data_dir, json, |store| {
        report::aftercare_sheet(store.conn(), session, today, now)
    })
}

/// Checks `out`, renders one PDF from the data folder and writes it there.
fn write_document(
    what: &str,
    out: &Path,
    data_dir: &Path,
    json: bool,
    render: impl FnOnce(&Store) -> pinpoint_core::Result<report::Pdf>,
) -> Result<(), Failure> {
    report::check_out_file(out, true)?;
    let store = open(data_dir)?;
    let pdf = render(&store)?;
    let written = report::write_pdf(out, &pdf)?;
    print(json, &written, || written_text(what, &written))
}

/// `export CLIENT --out DIR [--deidentified-photos [--photo ID]…]`
#[allow(clippy::too_many_arguments)]
pub fn run_export(
    client: &str,
    out: &Path,
    deidentified: bool,
    photos: &[String],
    data_dir: &Path,
    json: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let client: ClientId = client.parse()?;
    let photo_ids = photos
        .iter()
        .map(|p| p.parse::<PhotoId>())
        .collect::<Result<Vec<_>, _>>()?;
    if !deidentified && !photo_ids.is_empty() {
        return Err(Failure::User(
            "--photo only goes with --deidentified-photos".to_owned(),
        ));
    }
    export::check_new_folder(out)?;
    let store = open(data_dir)?;
    if deidentified {
        let summary = export::deidentified_photos(
            store.conn(),
            store.data_dir(),
            client,
            &photo_ids,
            out,
            today,
        )?;
        return print(json, &summary, || {
            format!(
                "{} de-identified photo{} written to {} (no metadata)",
                summary.files.len(),
                if summary.files.len() == 1 { "" } else { "s" },
                summary.folder
            )
        });
    }
    let summary = export::client(&store, client, out, today, now, &mut |_| true)?;
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
