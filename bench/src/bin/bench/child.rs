//! Running the measuring programs and the reference tools as child
//! processes: the samples and facts the programs print as JSON lines, wall
//! and CPU times, peak memory, and a tool's version line.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Instant;

use pinpoint_bench::stats;

/// Samples and facts printed by the measuring programs, by key.
#[derive(Debug, Default)]
pub struct Collected {
    pub samples: BTreeMap<String, Vec<f64>>,
    pub facts: BTreeMap<String, serde_json::Value>,
}

impl Collected {
    fn take(&mut self, stdout: &str) {
        for line in stdout.lines().filter(|l| l.starts_with('{')) {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let Some(key) = value["key"].as_str() else {
                continue;
            };
            if let Some(samples) = value["samples"].as_array() {
                self.samples.insert(
                    key.to_owned(),
                    samples.iter().filter_map(|s| s.as_f64()).collect(),
                );
            } else {
                self.facts.insert(key.to_owned(), value["fact"].clone());
            }
        }
    }

    pub fn get(&self, key: &str) -> &[f64] {
        self.samples.get(key).map_or(&[], Vec::as_slice)
    }

    pub fn fact(&self, key: &str) -> Option<f64> {
        self.facts.get(key).and_then(serde_json::Value::as_f64)
    }
}

/// Runs a measuring program and collects its JSON lines; stderr passes
/// through so progress shows.
pub fn collect(command: &mut Command, into: &mut Collected) -> bool {
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    into.take(&String::from_utf8_lossy(&output.stdout));
    if !output.status.success() {
        eprintln!("bench: {command:?} failed ({})", output.status);
    }
    output.status.success()
}

/// CPU time (user + system) of every finished child process, in ms
/// (`cutime` + `cstime` of /proc/self/stat; 10 ms resolution over the sum).
pub fn children_cpu_ms() -> f64 {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = text
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum::<f64>()
        * 10.0
}

/// Wall time of one run of an external tool, in ms; panics if it fails.
pub fn timed(command: &mut Command) -> f64 {
    let start = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let ms = stats::ms_since(start);
    assert!(status.success(), "{command:?} failed: {status}");
    ms
}

/// Max resident memory of one run of a command, in KiB (GNU time's %M).
pub fn max_rss_kib(program: &str, args: &[&str]) -> Option<f64> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M", program])
        .args(args)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

pub fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| {
            let text = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .unwrap_or_else(|_| "not found".to_owned())
}
