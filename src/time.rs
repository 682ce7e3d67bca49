//! Simulated time and the duration grammar of scenario files.
//!
//! Owns [`SimTime`], the engine's integer clock in milliseconds, and the one parser of duration
//! literals (`"250ms" "30s" "15m" "4h" "30d" "2y"`, decimals allowed). A year is 365 days
//! (8760 h), as everywhere in faultline's reports. Decimals are converted exactly with integer
//! arithmetic and rounded once to whole milliseconds, half up (`"1.0005s"` is 1001 ms), so a
//! duration never depends on floating-point rounding.

use std::fmt;

/// A point in simulated time, or a span of it, in whole milliseconds `[ms]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// Milliseconds per unit, in the order the grammar lists the units.
pub const MS_PER_SECOND: u64 = 1_000;
/// Milliseconds in one minute.
pub const MS_PER_MINUTE: u64 = 60 * MS_PER_SECOND;
/// Milliseconds in one hour.
pub const MS_PER_HOUR: u64 = 60 * MS_PER_MINUTE;
/// Milliseconds in one day.
pub const MS_PER_DAY: u64 = 24 * MS_PER_HOUR;
/// Milliseconds in one year of 365 days (8760 h).
pub const MS_PER_YEAR: u64 = 365 * MS_PER_DAY;

impl SimTime {
    /// Time zero, when every replication starts.
    pub const ZERO: SimTime = SimTime(0);
    /// The largest representable time; used as "never".
    pub const NEVER: SimTime = SimTime(u64::MAX);

    /// Milliseconds as an integer.
    pub fn as_ms(self) -> u64 {
        self.0
    }

    /// Hours as a float, for reports.
    pub fn as_hours(self) -> f64 {
        self.0 as f64 / MS_PER_HOUR as f64
    }

    /// Years (of 8760 h) as a float, for reports.
    pub fn as_years(self) -> f64 {
        self.0 as f64 / MS_PER_YEAR as f64
    }

    /// `self + d`, saturating at [`SimTime::NEVER`].
    pub fn saturating_add(self, d: SimTime) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl fmt::Display for SimTime {
    /// Formats with the largest unit that divides the value exactly, so that a parsed
    /// duration prints back as the user wrote it when it was a whole number of that unit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if ms == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in UNITS.iter().rev() {
            if ms.is_multiple_of(*size) {
                return write!(f, "{}{}", ms / size, unit);
            }
        }
        write!(f, "{ms}ms")
    }
}

/// Units of the grammar with their size in milliseconds, smallest first.
const UNITS: [(&str, u64); 6] = [
    ("ms", 1),
    ("s", MS_PER_SECOND),
    ("m", MS_PER_MINUTE),
    ("h", MS_PER_HOUR),
    ("d", MS_PER_DAY),
    ("y", MS_PER_YEAR),
];

/// Most significant decimal places a duration may carry (after trailing zeros are dropped).
const MAX_FRACTION_DIGITS: usize = 27;

/// Why a duration literal was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// The text does not match `^\d+(\.\d+)?(ms|s|m|h|d|y)$`.
    #[error("`{0}` is not a duration")]
    Syntax(String),
    /// The value does not fit in 64-bit milliseconds.
    #[error("`{0}` is too long to represent")]
    Overflow(String),
}

/// Parses a duration literal into whole milliseconds, rounding half up.
///
/// The grammar is `^\d+(\.\d+)?(ms|s|m|h|d|y)$`: no sign, no spaces, no exponent, a unit is
/// required; at most 27 significant decimal places. Zero is accepted here; whether zero is
/// allowed depends on the field.
pub fn parse_duration(text: &str) -> Result<SimTime, DurationError> {
    let syntax = || DurationError::Syntax(text.to_string());
    let number_end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).ok_or_else(syntax)?;
    let (number, unit) = text.split_at(number_end);
    let size = UNITS.iter().find(|(name, _)| *name == unit).map(|(_, size)| *size).ok_or_else(syntax)?;
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !digits_only(whole)
        || !digits_only(fraction)
        || (number.contains('.') && fraction.is_empty())
    {
        return Err(syntax());
    }
    let overflow = || DurationError::Overflow(text.to_string());
    let whole: u128 = whole.parse().map_err(|_| overflow())?;
    let mut total = whole.checked_mul(size as u128).ok_or_else(overflow)?;
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        // round_half_up(fraction / 10^len units), exactly: 27 digits times a year in ms
        // still fits in u128.
        if fraction.len() > MAX_FRACTION_DIGITS {
            return Err(syntax());
        }
        let digits: u128 = fraction.parse().map_err(|_| syntax())?;
        let scale = 10u128.pow(fraction.len() as u32);
        let part = (2 * digits * size as u128 + scale) / (2 * scale);
        total = total.checked_add(part).ok_or_else(overflow)?;
    }
    u64::try_from(total).ok().filter(|&ms| ms != u64::MAX).map(SimTime).ok_or_else(overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> u64 {
        parse_duration(text).unwrap().as_ms()
    }

    #[test]
    fn every_unit() {
        assert_eq!(ms("250ms"), 250);
        assert_eq!(ms("30s"), 30_000);
        assert_eq!(ms("15m"), 900_000);
        assert_eq!(ms("4h"), 14_400_000);
        assert_eq!(ms("30d"), 2_592_000_000);
        assert_eq!(ms("2y"), 2 * 8760 * 3_600_000);
        assert_eq!(ms("0s"), 0);
    }

    #[test]
    fn decimals_round_half_up_to_whole_ms() {
        assert_eq!(ms("1.5h"), 5_400_000);
        assert_eq!(ms("0.25s"), 250);
        assert_eq!(ms("1.0005s"), 1001, "exactly half a ms rounds up");
        assert_eq!(ms("1.0004s"), 1000);
        assert_eq!(ms("1.00049999s"), 1000);
        assert_eq!(ms("1.00050001s"), 1001);
        assert_eq!(ms("0.4ms"), 0);
        assert_eq!(ms("0.5ms"), 1);
        assert_eq!(ms("2.5ms"), 3);
        assert_eq!(ms("0.1y"), 3_153_600_000);
        assert_eq!(ms("1.000000000000000000000000001s"), 1000);
        assert_eq!(ms("1.5000000000000000000000000000000000h"), 5_400_000);
    }

    #[test]
    fn rejections() {
        for bad in [
            "",
            "h",
            "5",
            "5 h",
            " 5h",
            "5h ",
            "-5h",
            "+5h",
            "5.h",
            ".5h",
            "5..5h",
            "5hr",
            "5H",
            "1e3s",
            "5w",
            "5sec",
            "1.2.3s",
            "½h",
            "1.0000000000000000000000000001s",
        ] {
            assert!(matches!(parse_duration(bad), Err(DurationError::Syntax(_))), "{bad:?} must be rejected");
        }
        assert!(matches!(parse_duration("99999999999999999999y"), Err(DurationError::Overflow(_))));
        assert!(matches!(parse_duration("18446744073709551615ms"), Err(DurationError::Overflow(_))));
    }

    #[test]
    fn display_uses_the_largest_exact_unit() {
        for text in ["250ms", "30s", "15m", "4h", "30d", "2y", "0s", "90m", "1001ms"] {
            assert_eq!(parse_duration(text).unwrap().to_string(), text);
        }
        assert_eq!(SimTime(5_400_000).to_string(), "90m");
    }
}
