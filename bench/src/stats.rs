//! Shared by the measuring programs: summaries of repeated measurements
//! (median, spread, percentiles) and the one-line JSON records a measuring
//! program prints for `bench` to collect.

use std::time::Instant;

/// Repeated measurements of one figure, summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub p10: f64,
    pub p90: f64,
    pub p99: f64,
}

/// The value below which `q` (0 to 1) of the sorted `values` lie, by
/// linear interpolation between the nearest ranks.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let low = rank.floor() as usize;
    let high = rank.ceil() as usize;
    let weight = rank - low as f64;
    sorted[low] * (1.0 - weight) + sorted[high] * weight
}

impl Summary {
    pub fn of(samples: &[f64]) -> Summary {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        Summary {
            count: sorted.len(),
            median: percentile(&sorted, 0.5),
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            p10: percentile(&sorted, 0.1),
            p90: percentile(&sorted, 0.9),
            p99: percentile(&sorted, 0.99),
        }
    }
}

/// Milliseconds since `start`.
pub fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Prints one measured figure as a JSON line: its key, its unit and every
/// sample, for `bench` to summarise.
pub fn emit(key: &str, unit: &str, samples: &[f64]) {
    println!(
        "{}",
        serde_json::json!({ "key": key, "unit": unit, "samples": samples })
    );
}

/// Prints a fact about the run (a count, a size, a note) as a JSON line.
pub fn emit_fact(key: &str, value: impl serde::Serialize) {
    println!("{}", serde_json::json!({ "key": key, "fact": value }));
}

/// Peak and current resident memory of this process, in KiB, from
/// `/proc/self/status` (`VmHWM`, `VmRSS`).
pub fn memory_kib(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A small deterministic random source (xorshift64*), so generated data is
/// the same on every run.
#[derive(Debug, Clone)]
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A whole number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        let s = Summary::of(&[4.0, 1.0, 3.0, 2.0, 5.0]);
        assert_eq!((s.median, s.min, s.max), (3.0, 1.0, 5.0));
        assert!(
            (s.p10 - 1.4).abs() < 1e-9,
            "p10 lies between the two lowest"
        );
    }
}
