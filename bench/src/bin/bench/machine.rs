//! The machine a run measured on (CPU, cores, memory, OS, Rust, load,
//! the reference tools' versions), for the page's first table.

use crate::child::first_line;
use crate::options::Options;

pub fn machine(o: &Options) -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown".to_owned(), |(_, v)| v.trim().to_owned());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: f64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let os = std::fs::read_to_string("/etc/os-release")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .unwrap_or("unknown")
        .trim_matches('"')
        .to_owned();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    vec![
        ("CPU".to_owned(), cpu),
        (
            "cores".to_owned(),
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .to_string(),
        ),
        (
            "memory".to_owned(),
            format!("{:.1} GiB", mem_kib / 1024.0 / 1024.0),
        ),
        ("OS".to_owned(), format!("{os}, Linux {}", kernel.trim())),
        ("Rust".to_owned(), first_line("rustc", &["--version"])),
        (
            "date".to_owned(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        (
            "load average at start (1, 5, 15 min)".to_owned(),
            format!(
                "{} — other work on the machine inflates wall times; CPU times are less affected",
                load.join(", ")
            ),
        ),
        (
            "reference tools".to_owned(),
            format!(
                "vipsthumbnail ({}), {}, djpeg ({}), sqlite3 {}",
                first_line("vipsthumbnail", &["--vips-version"]),
                first_line("/usr/bin/convert", &["-version"])
                    .trim_start_matches("Version: ")
                    .split(" https")
                    .next()
                    .unwrap_or(""),
                first_line("djpeg", &["-version"]),
                first_line("sqlite3", &["--version"])
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
            ),
        ),
        ("app build measured".to_owned(), o.app_build.clone()),
    ]
}
