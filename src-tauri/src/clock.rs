//! The one place the app reads the wall clock; the core is always handed
//! the moment it acts at.

use chrono::{Local, Utc};
use pinpoint_core::action::Clock;

/// Now, with the computer's local date and UTC offset.
pub fn now() -> Clock {
    let now = Utc::now();
    Clock::at(now, *now.with_timezone(&Local).offset())
}
