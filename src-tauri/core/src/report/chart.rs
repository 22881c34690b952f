//! The report's charts as SVG: depth per zone across the course and each
//! outcome scale over time. Plain line charts on a time axis, drawn as
//! vectors so they print sharp at any size.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::day;

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub points: Vec<(NaiveDate, f64)>,
}

/// How the value axis runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub min: f64,
    pub max: f64,
    /// Distance between grid lines.
    pub step: f64,
    /// Appended to tick labels, e.g. ` mm`.
    pub unit: &'static str,
}

/// Calm, print-safe colours that stay apart in greyscale too.
const PALETTE: [&str; 8] = [
    "#2b6c73", "#c0662b", "#5b4fa0", "#3c8d3f", "#a23b5a", "#7a6a2f", "#2f5fa0", "#6b6b6b",
];

const LEFT: f64 = 46.0;
const RIGHT: f64 = 8.0;
/// Room at each end of the time axis for half a date label.
const INSET: f64 = 26.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 30.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A value axis for depths up to `max_mm`: from 0 to the next half millimetre.
pub fn depth_axis(max_mm: f64) -> Axis {
    let max = ((max_mm / 0.5).ceil() * 0.5).max(0.5);
    Axis {
        min: 0.0,
        max,
        step: if max <= 1.0 { 0.25 } else { 0.5 },
        unit: " mm",
    }
}

/// A value axis for a clinical scale's whole range, with about five steps.
pub fn scale_axis(min: f64, max: f64) -> Axis {
    let span = (max - min).max(1.0);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= 6.0)
        .unwrap_or(span);
    Axis {
        min,
        max,
        step: if span <= 5.0 { 1.0 } else { step },
        unit: "",
    }
}

/// A line chart of `lines` over time, `width` × `height` units (a unit
/// prints at about a third of a millimetre when the chart spans its column;
/// text is 9 units). Lines with one point show as a dot.
pub fn line_chart(lines: &[Line], axis: &Axis, width: f64, height: f64) -> String {
    let mut first = None::<NaiveDate>;
    let mut last = None::<NaiveDate>;
    for (date, _) in lines.iter().flat_map(|l| &l.points) {
        first = Some(first.map_or(*date, |f| f.min(*date)));
        last = Some(last.map_or(*date, |l| l.max(*date)));
    }
    let (Some(first), Some(last)) = (first, last) else {
        return String::new();
    };
    let per_row = ((width - LEFT) / 110.0).floor().max(1.0) as usize;
    let legend_rows = if lines.len() > 1 {
        lines.len().div_ceil(per_row)
    } else {
        0
    };
    let top = TOP + legend_rows as f64 * 14.0;
    let plot_w = width - LEFT - RIGHT;
    let plot_h = height - top - BOTTOM;
    let days = (last - first).num_days().max(1) as f64;
    // A single date sits in the middle.
    let x = |d: NaiveDate| {
        if first == last {
            LEFT + plot_w / 2.0
        } else {
            LEFT + INSET + (d - first).num_days() as f64 / days * (plot_w - 2.0 * INSET)
        }
    };
    let span = (axis.max - axis.min).max(f64::EPSILON);
    let y = |v: f64| top + plot_h - (v.clamp(axis.min, axis.max) - axis.min) / span * plot_h;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="Inter" font-size="9" fill="#1d2a33">"##
    );
    // Grid and value labels.
    let mut tick = axis.min;
    while tick <= axis.max + 1e-9 {
        let ty = y(tick);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="#dde3e6" stroke-width="0.6"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#5b6770">{}{}</text>"##,
            width - RIGHT,
            LEFT - 6.0,
            ty + 3.0,
            number(tick),
            axis.unit
        );
        tick += axis.step;
    }
    // Date labels: every distinct date that leaves room for its label,
    // always the last one.
    let mut dates: Vec<NaiveDate> = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|(d, _)| *d))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    const LABEL_ROOM: f64 = 60.0;
    let mut chosen: Vec<NaiveDate> = Vec::new();
    for d in &dates {
        match chosen.last() {
            Some(prev) if x(*d) - x(*prev) < LABEL_ROOM => {}
            _ => chosen.push(*d),
        }
    }
    if let (Some(last), Some(kept)) = (dates.last(), chosen.last().copied()) {
        if kept != *last {
            if x(*last) - x(kept) < LABEL_ROOM && chosen.len() > 1 {
                chosen.pop();
            }
            chosen.push(*last);
        }
    }
    let baseline = top + plot_h;
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{baseline:.1}" x2="{:.1}" y2="{baseline:.1}" stroke="#9aa5ab" stroke-width="0.8"/>"##,
        width - RIGHT
    );
    for d in &chosen {
        let dx = x(*d);
        let _ = write!(
            svg,
            r##"<line x1="{dx:.1}" y1="{baseline:.1}" x2="{dx:.1}" y2="{:.1}" stroke="#9aa5ab" stroke-width="0.8"/><text x="{dx:.1}" y="{:.1}" text-anchor="middle" fill="#5b6770">{}</text>"##,
            baseline + 3.0,
            baseline + 14.0,
            escape(&day(*d))
        );
    }
    // Lines and points.
    for (i, line) in lines.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let mut points = line.points.clone();
        points.sort_by_key(|(d, _)| *d);
        if points.len() > 1 {
            let path: Vec<String> = points
                .iter()
                .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
                .collect();
            let _ = write!(
                svg,
                r##"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-linejoin="round"/>"##,
                path.join(" ")
            );
        }
        for (d, v) in &points {
            let _ = write!(
                svg,
                r##"<circle cx="{:.1}" cy="{:.1}" r="2.6" fill="{colour}" stroke="#ffffff" stroke-width="0.8"/>"##,
                x(*d),
                y(*v)
            );
        }
    }
    // Legend above the plot.
    if legend_rows > 0 {
        let column = plot_w / per_row as f64;
        for (i, line) in lines.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let lx = LEFT + (i % per_row) as f64 * column;
            let ly = 8.0 + (i / per_row) as f64 * 14.0;
            let _ = write!(
                svg,
                r##"<rect x="{lx:.1}" y="{:.1}" width="10" height="3" fill="{colour}"/><text x="{:.1}" y="{:.1}">{}</text>"##,
                ly - 3.5,
                lx + 14.0,
                ly + 1.0,
                escape(&line.label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn axes_cover_the_values() {
        assert_eq!(depth_axis(1.25).max, 1.5, "depth axis rounds up to 0.5 mm");
        assert_eq!(depth_axis(0.3).step, 0.25, "shallow depths get finer grid");
        let gb = scale_axis(0.0, 84.0);
        assert!(gb.step >= 10.0 && 84.0 / gb.step <= 9.0, "{gb:?}");
        assert_eq!(scale_axis(1.0, 5.0).step, 1.0, "GAIS shows every grade");
    }

    #[test]
    fn chart_names_lines_and_escapes_labels() {
        let svg = line_chart(
            &[
                Line {
                    label: "Cheeks".into(),
                    points: vec![(date(1), 1.0), (date(29), 1.5)],
                },
                Line {
                    label: "Neck & <chest>".into(),
                    points: vec![(date(1), 0.25)],
                },
            ],
            &depth_axis(1.5),
            520.0,
            200.0,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(
            svg.contains("Neck &amp; &lt;chest&gt;"),
            "labels are escaped"
        );
        assert_eq!(
            svg.matches("<polyline").count(),
            1,
            "one-point lines are dots"
        );
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(line_chart(&[], &depth_axis(1.0), 520.0, 200.0).is_empty());
    }
}
