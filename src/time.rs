//! Simulated time and the duration grammar of scenario files.
//!
//! Owns [`SimTime`], the engine's integer clock in milliseconds, and the one parser of duration
//! literals (`"250ms" "30s" "15m" "4h" "30d" "2y"`, decimals allowed, and compound forms with
//! the units largest first, each once: `"1h30m"`, `"2d12h"`). A year is 365 days (8760 h), as
//! everywhere in faultline's reports. Decimals are converted exactly with integer arithmetic,
//! the parts of a compound literal are summed exactly, and the sum is rounded once to whole
//! milliseconds, half up (`"1.0005s"` is 1001 ms), so a duration never depends on
//! floating-point rounding and `"1h30m"`, `"90m"` and `"1.5h"` are the same duration.
//!
//! Decisions where the contract is silent: units out of order (`"30m1h"`) and a repeated unit
//! (`"1h2h"`) are errors of their own, whose hint gives the literal reordered where it can;
//! `Display` writes a literal that parses back to the same value: the largest unit that divides
//! the value exactly when that is minutes or more (`90m`, `61m`), else, from a minute on, the
//! compound form (`1h30s`, not `3630s`).

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
    /// Formats as a duration literal that parses back to the same value: with the largest unit
    /// that divides the value exactly when that is minutes or more (`90m`, `61m`, `30d`), so a
    /// parsed duration prints back as the user wrote it; otherwise, from a minute on, in
    /// compound form with the units largest first (`1h30s`, not `3630s`; `1m0.5s` is written
    /// `1m500ms`); below a minute in seconds or milliseconds (`45s`, `1500ms`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if ms == 0 {
            return f.write_str("0s");
        }
        let exact = UNITS.iter().rev().find(|(_, size)| ms.is_multiple_of(*size)).expect("ms divides all");
        if exact.1 >= MS_PER_MINUTE || ms < MS_PER_MINUTE {
            return write!(f, "{}{}", ms / exact.1, exact.0);
        }
        let mut rest = ms;
        for (unit, size) in UNITS.iter().rev() {
            if rest >= *size {
                write!(f, "{}{}", rest / size, unit)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for SimTime {
    type Err = DurationError;

    /// A duration literal, as in a scenario file: `"1h".parse::<SimTime>()`.
    fn from_str(text: &str) -> Result<SimTime, DurationError> {
        parse_duration(text)
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

/// Hint for a literal that is not a duration at all.
pub const SYNTAX_HINT: &str = "durations are a number and a unit: \"250ms\", \"30s\", \"15m\", \"4h\", \"30d\", \"2y\" (decimals allowed: \"1.5h\"; several units largest first: \"1h30m\")";

/// Why a duration literal was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// The text does not match `^(\d+(\.\d+)?(ms|s|m|h|d|y))+$`.
    #[error("`{0}` is not a duration")]
    Syntax(String),
    /// A unit follows a smaller one (`"30m1h"`).
    #[error("`{text}` has its units out of order: `{unit}` after `{after}`")]
    Order {
        /// The literal.
        text: String,
        /// The unit that comes too late.
        unit: &'static str,
        /// The smaller unit before it.
        after: &'static str,
    },
    /// A unit appears twice (`"1h2h"`).
    #[error("`{text}` has the unit `{unit}` twice")]
    Repeated {
        /// The literal.
        text: String,
        /// The repeated unit.
        unit: &'static str,
    },
    /// The value does not fit in 64-bit milliseconds.
    #[error("`{0}` is too long to represent")]
    Overflow(String),
}

impl DurationError {
    /// How to write the literal instead.
    pub fn hint(&self) -> String {
        let units = "units go largest first (y d h m s ms), each once";
        match self {
            DurationError::Syntax(_) => SYNTAX_HINT.to_string(),
            DurationError::Order { text, .. } | DurationError::Repeated { text, .. } => {
                match normalised(text) {
                    Some(fixed) => format!("{units}: write \"{fixed}\""),
                    None => format!("{units}: \"1h30m\", \"2d12h\""),
                }
            }
            DurationError::Overflow(_) => "the longest duration is about 584 million years".to_string(),
        }
    }
}

/// One `number unit` part of a literal.
struct Part<'t> {
    whole: &'t str,
    fraction: &'t str,
    unit: usize,
}

/// Splits a literal into its parts; `None` if it does not match the grammar.
fn parts(text: &str) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let unit_end = rest[number_end..]
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .map_or(rest.len(), |i| number_end + i);
        let (number, unit) = (&rest[..number_end], &rest[number_end..unit_end]);
        let unit = UNITS.iter().position(|(name, _)| *name == unit)?;
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits_only(whole)
            || !digits_only(fraction)
            || (number.contains('.') && fraction.is_empty())
        {
            return None;
        }
        parts.push(Part { whole, fraction, unit });
        rest = &rest[unit_end..];
    }
    (!parts.is_empty()).then_some(parts)
}

/// `text` with its parts sorted largest unit first and the parts of one unit added up
/// (`"30m1h"` is `"1h30m"`, `"1d2h3h"` is `"1d5h"`), if it parses.
fn normalised(text: &str) -> Option<String> {
    let parts = parts(text)?;
    let mut out = String::new();
    for unit in (0..UNITS.len()).rev() {
        let same: Vec<&Part<'_>> = parts.iter().filter(|p| p.unit == unit).collect();
        if same.is_empty() {
            continue;
        }
        let places = same.iter().map(|p| p.fraction.len()).max().unwrap_or(0);
        let scale = 10u128.checked_pow(places as u32)?;
        let (mut whole, mut fraction) = (0u128, 0u128);
        for p in same {
            whole = whole.checked_add(p.whole.parse().ok()?)?;
            let digits: u128 = if p.fraction.is_empty() { 0 } else { p.fraction.parse().ok()? };
            fraction =
                fraction.checked_add(digits.checked_mul(10u128.pow((places - p.fraction.len()) as u32))?)?;
        }
        whole = whole.checked_add(fraction / scale)?;
        let decimals = format!("{:0places$}", fraction % scale);
        let decimals = decimals.trim_end_matches('0');
        let point = if decimals.is_empty() { "" } else { "." };
        out.push_str(&format!("{whole}{point}{decimals}{}", UNITS[unit].0));
    }
    Some(out)
}

/// Parses a duration literal into whole milliseconds, rounding half up.
///
/// The grammar is `^(\d+(\.\d+)?(ms|s|m|h|d|y))+$` with the units largest first, each at most
/// once (`"1h30m"`, `"2d12h"`): no sign, no spaces, no exponent, a unit is required; at most
/// 27 significant decimal places per part. The parts are summed exactly and the sum is rounded
/// once, so `"1h30m"`, `"90m"` and `"1.5h"` are the same duration. Zero is accepted here;
/// whether zero is allowed depends on the field.
pub fn parse_duration(text: &str) -> Result<SimTime, DurationError> {
    let syntax = || DurationError::Syntax(text.to_string());
    let overflow = || DurationError::Overflow(text.to_string());
    let parts = parts(text).ok_or_else(syntax)?;
    for w in parts.windows(2) {
        let (before, unit) = (UNITS[w[0].unit].0, UNITS[w[1].unit].0);
        if w[1].unit == w[0].unit {
            return Err(DurationError::Repeated { text: text.to_string(), unit });
        }
        if w[1].unit > w[0].unit {
            return Err(DurationError::Order { text: text.to_string(), unit, after: before });
        }
    }
    // Whole parts in ms, plus the sum of the fractional parts as an exact fraction over
    // 10^places, rounded once at the end. With at most 27 places, a numerator stays below
    // 10^27 times the sum of the unit sizes (< 3.2e37), which fits in u128.
    let places = parts.iter().map(|p| p.fraction.trim_end_matches('0').len()).max().unwrap_or(0);
    if places > MAX_FRACTION_DIGITS {
        return Err(syntax());
    }
    let mut total: u128 = 0;
    let mut numerator: u128 = 0;
    for p in &parts {
        let size = UNITS[p.unit].1 as u128;
        let whole: u128 = p.whole.parse().map_err(|_| overflow())?;
        total = whole.checked_mul(size).and_then(|w| total.checked_add(w)).ok_or_else(overflow)?;
        let fraction = p.fraction.trim_end_matches('0');
        if !fraction.is_empty() {
            let digits: u128 = fraction.parse().map_err(|_| syntax())?;
            numerator += digits * 10u128.pow((places - fraction.len()) as u32) * size;
        }
    }
    let scale = 10u128.pow(places as u32);
    total = total.checked_add((2 * numerator + scale) / (2 * scale)).ok_or_else(overflow)?;
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
    fn compound_forms_sum_exactly_then_round_once() {
        assert_eq!(ms("1h30m"), 5_400_000);
        assert_eq!(ms("1h30m"), ms("90m"));
        assert_eq!(ms("1h30m"), ms("1.5h"));
        assert_eq!(ms("2d12h"), 60 * 3_600_000);
        assert_eq!(ms("2d12h"), ms("2.5d"));
        assert_eq!(ms("1y1d1h1m1s1ms"), 31_536_000_000 + 86_400_000 + 3_600_000 + 60_000 + 1_000 + 1);
        assert_eq!(ms("1m30s250ms"), 90_250);
        assert_eq!(ms("1h0m"), 3_600_000);
        // Each part alone would round down (0.4 ms); their exact sum is 0.8 ms and rounds up once.
        assert_eq!(ms("0.0004s0.4ms"), 1);
        assert_eq!(ms("0.0004s"), 0);
        // Exactly half a ms in total, from two parts: half up.
        assert_eq!(ms("1.0002s0.3ms"), 1001);
        assert_eq!(ms("1.00049999s0.00001ms"), 1001, "0.49999 + 0.00001 ms is exactly half");
        assert_eq!(ms("1.00049999s0.00000001ms"), 1000, "just below half");
        // Fractions of different lengths share one exact denominator.
        assert_eq!(ms("0.000000000000000000000000001y0.5ms"), 1);
    }

    #[test]
    fn compound_forms_need_units_largest_first_each_once() {
        let order = |text: &str, unit, after| {
            assert_eq!(
                parse_duration(text),
                Err(DurationError::Order { text: text.to_string(), unit, after }),
                "{text}"
            );
        };
        order("30m1h", "h", "m");
        order("1s1m", "m", "s");
        order("1ms1s", "s", "ms");
        order("1h1y", "y", "h");
        let repeated = |text: &str, unit| {
            assert_eq!(
                parse_duration(text),
                Err(DurationError::Repeated { text: text.to_string(), unit }),
                "{text}"
            );
        };
        repeated("1h2h", "h");
        repeated("1h30m15m", "m");
        repeated("1ms1ms", "ms");
        let hint = |text: &str| parse_duration(text).unwrap_err().hint();
        assert_eq!(hint("30m1h"), "units go largest first (y d h m s ms), each once: write \"1h30m\"");
        assert_eq!(hint("1d2h3h"), "units go largest first (y d h m s ms), each once: write \"1d5h\"");
        assert_eq!(
            hint("0.75h30m0.5h"),
            "units go largest first (y d h m s ms), each once: write \"1.25h30m\""
        );
        assert_eq!(hint("50m0.5d"), "units go largest first (y d h m s ms), each once: write \"0.5d50m\"");
        assert_eq!(
            parse_duration("30m1h").unwrap_err().to_string(),
            "`30m1h` has its units out of order: `h` after `m`"
        );
        assert_eq!(parse_duration("1h2h").unwrap_err().to_string(), "`1h2h` has the unit `h` twice");
        for bad in ["1h30", "1h 30m", "1h-30m", "h30m", "1h.5m", "1h30m ", "1.h30m", "1hm", "1h30mm"] {
            assert!(matches!(parse_duration(bad), Err(DurationError::Syntax(_))), "{bad:?} must be rejected");
        }
        assert!(matches!(parse_duration("584942417y1y"), Err(DurationError::Repeated { .. })));
        assert!(matches!(parse_duration("584942417y365d"), Err(DurationError::Overflow(_))));
    }

    #[test]
    fn from_str_is_the_literal_grammar() {
        assert_eq!("1h30m".parse::<SimTime>(), Ok(SimTime(5_400_000)));
        assert_eq!("30m1h".parse::<SimTime>(), parse_duration("30m1h"));
    }

    #[test]
    fn display_uses_the_largest_exact_unit() {
        for text in ["250ms", "30s", "15m", "4h", "30d", "2y", "0s", "90m", "1001ms"] {
            assert_eq!(parse_duration(text).unwrap().to_string(), text);
        }
        assert_eq!(SimTime(5_400_000).to_string(), "90m");
    }

    #[test]
    fn display_is_compound_past_a_minute_when_no_unit_of_a_minute_or_more_divides() {
        for (ms, text) in [
            (3_630_000, "1h30s"),
            (3_690_000, "1h1m30s"),
            (90_000, "1m30s"),
            (60_500, "1m500ms"),
            (86_400_000 + 1, "1d1ms"),
            (59_999, "59999ms"),
            (45_000, "45s"),
        ] {
            assert_eq!(SimTime(ms).to_string(), text);
            assert_eq!(text.parse::<SimTime>(), Ok(SimTime(ms)), "{text} parses back");
        }
    }
}
