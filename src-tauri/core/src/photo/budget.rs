//! One memory budget for decoding, shared by every import worker: before a
//! photo is decoded, the pixel memory it needs (at the size actually
//! decoded) is reserved from the budget, waiting while others hold it. A
//! batch of huge images then decodes a few at a time instead of all at
//! once, whatever the number of cores; one that alone needs more than the
//! whole budget is refused.

use std::sync::{Condvar, Mutex, PoisonError};

/// The decoding memory all workers share: enough for the largest image
/// the size limits allow (100 megapixels, decoded and converted), with
/// room for one more small one.
#[cfg(not(fuzzing))]
pub(crate) const BUDGET_BYTES: u64 = 1536 * 1024 * 1024;
/// Under the fuzzer, a small budget to match its smaller size limit.
#[cfg(fuzzing)]
pub(crate) const BUDGET_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug)]
pub(crate) struct Budget {
    capacity: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// Memory held from the budget until it drops.
#[derive(Debug)]
pub(crate) struct Reservation<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub(crate) const fn new(capacity: u64) -> Budget {
        Budget {
            capacity,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Reserves `bytes`, waiting until they are free; refused when they
    /// exceed the whole budget.
    pub(crate) fn reserve(&self, bytes: u64) -> Result<Reservation<'_>, String> {
        if bytes > self.capacity {
            return Err(format!(
                "decoding it would take {:.0} MB, more than the {:.0} MB Pinpoint allows; \
                 refused as a possible decompression bomb",
                bytes as f64 / 1e6,
                self.capacity as f64 / 1e6
            ));
        }
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        while *used + bytes > self.capacity {
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *used += bytes;
        Ok(Reservation {
            budget: self,
            bytes,
        })
    }

    /// The bytes reserved now.
    #[cfg(test)]
    fn in_use(&self) -> u64 {
        *self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut used = self
            .budget
            .used
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *used -= self.bytes;
        self.budget.freed.notify_all();
    }
}

/// The budget every import shares.
pub(crate) static DECODING: Budget = Budget::new(BUDGET_BYTES);

/// Lost thumbnails and previews made again at once (each a decode of its
/// original): a page asking for a hundred waits its turn, two at a time.
pub(crate) static REBUILDS: Budget = Budget::new(2);

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn more_than_the_whole_budget_is_refused_at_once() {
        let budget = Budget::new(1000);
        let error = budget.reserve(1001).unwrap_err();
        assert!(error.contains("decompression bomb"), "{error}");
        assert_eq!(budget.in_use(), 0);
    }

    #[test]
    fn workers_never_hold_more_than_the_budget_together() {
        let budget = Budget::new(1000);
        let peak = AtomicU64::new(0);
        std::thread::scope(|scope| {
            for _ in 0..16 {
                scope.spawn(|| {
                    for _ in 0..20 {
                        let held = budget.reserve(400).unwrap();
                        peak.fetch_max(budget.in_use(), Ordering::SeqCst);
                        std::thread::yield_now();
                        drop(held);
                    }
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= 1000, "{peak:?}");
        assert_eq!(budget.in_use(), 0, "every reservation is given back");
    }
}
