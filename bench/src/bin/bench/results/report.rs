//! Section 3 of the page: the progress report.

use std::fmt::Write as _;

use super::{num, spread};
use crate::child::Collected;

pub(super) fn section(w: &mut String, report: Option<&Collected>) {
    let _ = writeln!(w, "\n## 3. Progress report\n");
    match report {
        None => {
            let _ = writeln!(
                w,
                "Not available yet (no `pinpoint_core::report` in this build)."
            );
        }
        Some(r) => {
            let _ = writeln!(
                w,
                "A client with 20 sessions and 40 photos (3 MP, imported through the real pipeline), \
                 `report::progress_report` to PDF bytes.\n\n\
                 | | |\n| --- | --- |\n\
                 | first report in a process (fonts and Typst's library loaded) | {} ms |\n\
                 | later reports, {} runs | {} ms |\n\
                 | PDF size | {:.2} MB, {} pages, {} photos |\n\
                 | peak resident memory of the process | {} MB |",
                spread(r.get("report.first")),
                r.get("report").len(),
                spread(r.get("report")),
                r.fact("report_bytes").unwrap_or(0.0) / 1e6,
                r.fact("report_pages").unwrap_or(0.0),
                r.fact("report_photos").unwrap_or(0.0),
                num(r.fact("peak_kib").unwrap_or(f64::NAN) / 1024.0)
            );
        }
    }
}
