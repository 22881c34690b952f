//! `bench/RESULTS.md`: the page a run writes, in the order it is read
//! (the machine, the targets, one section per measurement, where Pinpoint
//! is slower and why, what was left out), and how its figures are written.

use std::fmt::Write as _;

use pinpoint_bench::stats::Summary;

use crate::child::Collected;
use crate::measure::photo_import::PhotoFigures;
use crate::measure::store::StoreFigures;
use crate::options::Options;

mod app_start;
mod photo_import;
mod report;
mod store;
mod targets;

fn num(v: f64) -> String {
    if !v.is_finite() {
        "–".to_owned()
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// `median (min–max)`.
fn spread(samples: &[f64]) -> String {
    if samples.is_empty() {
        return "–".to_owned();
    }
    let s = Summary::of(samples);
    if s.count == 1 {
        return num(s.median);
    }
    format!("{} ({}–{})", num(s.median), num(s.min), num(s.max))
}

fn median(samples: &[f64]) -> f64 {
    Summary::of(samples).median
}

fn ratio(a: f64, b: f64) -> String {
    if a.is_finite() && b.is_finite() && b > 0.0 {
        format!("{:.2}×", a / b)
    } else {
        "–".to_owned()
    }
}

pub fn write_results(
    o: &Options,
    machine: &[(String, String)],
    photos: &PhotoFigures,
    store: &StoreFigures,
    report: Option<&Collected>,
    app: &[Collected],
) -> String {
    let mut page = String::new();
    let w = &mut page;
    let _ = writeln!(w, "# Benchmark results\n");
    let _ = writeln!(
        w,
        "Written by `bench/run` (see the README). Every figure is the median over repeated runs \
         with its spread in brackets (min–max); query latencies give p50 and p99 over every query \
         of every pass. Ratios compare medians measured in this same run on the same inputs. \
         Wall times on a machine shared with other work vary; the CPU columns (user + system time \
         of the process, all threads) vary less.\n"
    );
    if !o.note.is_empty() {
        let _ = writeln!(w, "**This run:** {}\n", o.note);
    }
    let _ = writeln!(w, "## Machine\n\n| | |\n| --- | --- |");
    for (k, v) in machine {
        let _ = writeln!(w, "| {k} | {v} |");
    }

    let verdicts = targets::verdicts(o, photos, store, report, app);
    targets::table(w, &verdicts);
    photo_import::section(w, o, photos);
    store::section(w, o, store);
    report::section(w, report);
    app_start::section(w, o, app);
    targets::slower(w, &verdicts, store);
    let _ = writeln!(
        w,
        "\n## Left out\n\n\
         - The 100,000-client targets: the generated clinic has 10,000 clients (`--clinic` takes other sizes).\n\
         - HEIC, PNG and WebP against the reference tools: only JPEGs are compared with them (§1 times each format alone).\n\
         - HEIC as iPhones write it (a grid of 512 px tiles, which libheif decodes in parallel): Debian's heif-enc 1.15 writes one image.\n\
         - The reference tools' output quality is not compared; each writes quality-85 JPEGs of the same sizes."
    );
    page
}
