//! Needle depth: a length in millimetres that can only hold a depth a
//! microneedling device can reach.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The deepest any needle depth can be, 3.0 mm: beyond every device on the
/// market, so a larger value is a typing mistake, not a treatment.
pub const MAX_DEPTH_UM: u32 = 3000;

/// A needle depth, kept in whole micrometres (0.01 mm steps are the finest
/// any device offers). Always above 0 and at most 3.0 mm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(try_from = "f64", into = "f64")]
pub struct NeedleDepth(u32);

impl NeedleDepth {
    /// A depth from millimetres, e.g. `0.5`.
    pub fn from_mm(mm: f64) -> Result<Self> {
        if !mm.is_finite() {
            return Err(Error::invalid_input(format!(
                "needle depth {mm} mm is not a number"
            )));
        }
        let um = (mm * 1000.0).round();
        if um <= 0.0 {
            return Err(Error::invalid_input(format!(
                "needle depth {mm} mm must be above 0 mm"
            )));
        }
        if um > f64::from(MAX_DEPTH_UM) {
            return Err(Error::invalid_input(format!(
                "needle depth {mm} mm is impossible; the maximum is {} mm",
                f64::from(MAX_DEPTH_UM) / 1000.0
            )));
        }
        if (um / 10.0).fract() != 0.0 {
            return Err(Error::invalid_input(format!(
                "needle depth {mm} mm is finer than 0.01 mm"
            )));
        }
        Ok(NeedleDepth(um as u32))
    }

    /// A depth typed as text, e.g. `"0.5"`, `"1,25"` or `"0.5mm"`.
    pub fn parse(text: &str) -> Result<Self> {
        let cleaned = text.trim().trim_end_matches("mm").trim().replace(',', ".");
        let mm: f64 = cleaned.parse().map_err(|_| {
            Error::invalid_input(format!(
                "needle depth {text:?} is not a number of millimetres"
            ))
        })?;
        Self::from_mm(mm)
    }

    pub fn from_micrometres(um: u32) -> Result<Self> {
        Self::from_mm(f64::from(um) / 1000.0)
    }

    pub fn micrometres(self) -> u32 {
        self.0
    }

    pub fn mm(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl TryFrom<f64> for NeedleDepth {
    type Error = Error;
    fn try_from(mm: f64) -> Result<Self> {
        NeedleDepth::from_mm(mm)
    }
}

impl From<NeedleDepth> for f64 {
    fn from(depth: NeedleDepth) -> f64 {
        depth.mm()
    }
}

impl fmt::Display for NeedleDepth {
    /// `0.5 mm`, `1.25 mm`, `2 mm`: as few decimals as needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:.2}", self.mm());
        let text = text.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{text} mm")
    }
}
