//! The benchmark runner behind `bench/run`: runs every measurement (photo
//! import, the store at clinic scale, the progress report, app start) and
//! the reference tools on the same inputs in the same run, then prints and
//! writes `bench/RESULTS.md` with medians, spreads, ratios and the machine.
//!
//! Each measurement runs in a child process (the `photo_import`, `clinic`
//! and `report_speed` programs, `node bench/app_start.mjs`) that prints its
//! samples as JSON lines; this program summarises them.

use std::time::Instant;

mod child;
mod machine;
mod measure;
mod options;
mod results;

fn main() {
    let o = options::options();
    std::fs::create_dir_all(&o.cache).expect("cache folder");
    let machine = machine::machine(&o);
    let started = Instant::now();
    let photos = measure::photo_import::photos(&o);
    let store = measure::store::store(&o);
    let report = measure::report::report(&o);
    let app = measure::app_start::app(&o);
    let page = results::write_results(&o, &machine, &photos, &store, report.as_ref(), &app);
    let page = format!(
        "{page}\nThe whole run took {:.0} s.\n",
        started.elapsed().as_secs_f64()
    );
    std::fs::write(&o.out, &page).expect("write RESULTS.md");
    println!("{page}");
    eprintln!("bench: wrote {}", o.out.display());
}
