//! Section 4 of the page: app start, first client list, opening a large
//! client, and memory, on each generated clinic.

use std::fmt::Write as _;

use super::spread;
use crate::child::Collected;
use crate::options::Options;

pub(super) fn section(w: &mut String, o: &Options, app: &[Collected]) {
    let _ = writeln!(w, "\n## 4. App start\n");
    if app.is_empty() {
        let _ = writeln!(w, "Not measured in this run (no app binary given).");
    } else {
        let _ = writeln!(
            w,
            "The real `pinpoint` binary ({} build) under Xvfb, opened through tauri-driver and \
             WebKitWebDriver as the end-to-end tests do, {} launches on each of two generated clinics \
             without generated photo rows (their files were never made, and the start-up check would report \
             each one missing) but with 400 real 640 × 480 photos imported for the client with 100 sessions. \
             Launch is the WebDriver session request, which spawns WebKitWebDriver and then the app \
             (its start read from /proc, 10 ms resolution); the first client list is the first poll (every \
             ~5 ms) that finds a `[data-testid=\"client-row\"]`. Memory is read from /proc after opening the \
             client with 100 sessions and 400 photos (`#/clients/<id>`, its timeline shown).\n",
            o.app_build,
            o.app_runs
        );
        let _ = write!(w, "| |");
        for a in app {
            let _ = write!(w, " {} clients |", a.fact("clients").unwrap_or(0.0));
        }
        let _ = write!(w, "\n| --- |");
        for _ in app {
            let _ = write!(w, " --- |");
        }
        let _ = writeln!(w);
        for (label, key, unit) in [
            ("launch → app process started", "app.spawn", "ms"),
            ("launch → the sign-in screen shown", "app.first_screen", "ms"),
            (
                "sign-in pressed → first client list rendered (the passphrase check included)",
                "app.first_list",
                "ms",
            ),
            (
                "opening the client with 100 sessions and 400 photos: address changed → the timeline's first entries and depth chart shown (timed in the page)",
                "app.open_first",
                "ms",
            ),
            (
                "… → jumped to the end of the list, the oldest session drawn (only the entries near the view are in the page)",
                "app.open_client",
                "ms",
            ),
            ("resident memory, app process", "app.rss_app", "MB"),
            (
                "resident memory, WebKit's web and network processes",
                "app.rss_webkit",
                "MB",
            ),
            (
                "proportional memory (PSS) of the app and those processes together",
                "app.pss_total",
                "MB",
            ),
            (
                "for comparison: `PRAGMA quick_check` of the file in the sqlite3 shell",
                "quick_check",
                "ms",
            ),
        ] {
            let _ = write!(w, "| {label} ({unit}) |");
            for a in app {
                let _ = write!(w, " {} |", spread(a.get(key)));
            }
            let _ = writeln!(w);
        }
        let _ = writeln!(
            w,
            "\nResident memory counts shared libraries in every process that maps them; PSS splits them."
        );
    }
}
