//! The progress report: the `report_speed` program's timings.

use std::process::Command;

use crate::child::{collect, Collected};
use crate::options::Options;

pub fn report(o: &Options) -> Option<Collected> {
    let program = o.programs.join("report_speed");
    if !program.is_file() {
        return None;
    }
    eprintln!("bench: progress report");
    let mut got = Collected::default();
    let dir = o.cache.join("report");
    std::fs::create_dir_all(&dir).expect("report folder");
    collect(
        Command::new(program)
            .arg(&dir)
            .arg(o.runs.max(5).to_string()),
        &mut got,
    )
    .then_some(got)
}
