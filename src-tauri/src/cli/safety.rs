//! The command line for data safety: `demo`, `backup`, `restore` and
//! `verify`.

use std::path::Path;

use pinpoint_core::action::{safety, unwatched};

use super::{print, Failure, Folder};

/// `demo`: fills an empty folder with the demo clinic.
pub fn run_demo(folder: &Folder, json: bool) -> Result<(), Failure> {
    let clinic = folder.create()?;
    let filled = safety::fill_demo(&folder.ctx(&clinic)?)?;
    print(json, &filled, || {
        format!(
            "demo clinic created in {}: {} practitioners, {} clients, {} photos",
            clinic.data_dir().display(),
            filled.summary.practitioners,
            filled.summary.clients,
            filled.photos
        )
    })
}

/// `backup --out FILE`
pub fn run_backup(out: &Path, folder: &Folder, json: bool) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    let summary = unwatched("backup", |task| safety::backup_to_file(ctx, out, task))?;
    print(json, &summary, || {
        format!(
            "backup written to {}: {} parts, {:.1} MB, schema {}",
            summary.path,
            summary.parts,
            summary.bytes / 1e6,
            summary.schema_version
        )
    })
}

/// `restore ARCHIVE` into the (empty) data folder.
pub fn run_restore(archive: &Path, folder: &Folder, json: bool) -> Result<(), Failure> {
    if folder.is_clinic() {
        return Err(super::user(
            "restore fills an empty data folder, not a clinic server: run it without --clinic",
        ));
    }
    let secret = super::auth::backup_secret(folder)?;
    let unlock = secret.as_ref().map(super::auth::unlock_of);
    let summary = unwatched("restore", |task| {
        safety::restore(archive, folder.dir(), unlock, folder.clock().now, task)
    })?;
    print(json, &summary, || {
        format!(
            "restored {} parts into {} (backup schema {})",
            summary.parts, summary.data_dir, summary.backup_schema_version
        )
    })
}

/// `verify`: the full check; exit code 2 when anything is wrong.
pub fn run_verify(folder: &Folder, repair: bool, json: bool) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let ctx = folder.ctx(&clinic)?;
    if repair {
        let swept = safety::sweep_orphans(&ctx)?;
        if !json {
            eprintln!("removed {} photo file(s) no record names", swept.len());
        }
    }
    let report = safety::check_data(&ctx, true)?;
    print(json, &report, || {
        let mut lines = vec![format!("database integrity: {}", report.integrity)];
        match &report.audit.first_broken {
            None => lines.push(format!("audit chain: ok ({} events)", report.audit.events)),
            Some(link) => lines.push(format!(
                "audit chain: broken at event {}: {}",
                link.seq, link.reason
            )),
        }
        lines.push(format!(
            "photos: {} checked, {} orphan file(s){}",
            report.photos.photos,
            report.photos.orphans.len(),
            if report.photos.orphans.is_empty() {
                String::new()
            } else {
                format!(": {}", report.photos.orphans.join(", "))
            }
        ));
        lines.extend(report.problems.iter().map(|p| format!("problem: {p}")));
        lines.join("\n")
    })?;
    if report.ok {
        Ok(())
    } else {
        Err(Failure::Other(format!(
            "verification failed: {}",
            report.problems.join("; ")
        )))
    }
}
