//! The one place the app reads the wall clock; the core is always handed
//! `today` and `now`.

use chrono::{DateTime, Local, NaiveDate, Utc};

/// The clinic's local calendar date and the current instant.
pub fn today_and_now() -> (NaiveDate, DateTime<Utc>) {
    let now = Utc::now();
    (now.with_timezone(&Local).date_naive(), now)
}
