//! The stored baseline (`baseline.json`): its format, and reading it back.
//!
//! A baseline is trusted or refused, never half used: [`Baseline::from_json`] accepts only the
//! exact shape `check --update-baseline` writes, with one per-replication value for each of
//! the replications it says it was made with, each a downtime (finite, not negative), and one
//! entry per design name. Anything else (text that is not JSON, wrong types, a missing field,
//! a file cut short, an entry with too few or too many values, a name twice) is an error: a
//! half-read baseline would skip the drift test of some design without a word.
//! Fields this version does not know are ignored (serde's default), so that a newer
//! faultline's additions do not make an old baseline unreadable before its stream version is
//! compared.

use serde::{Deserialize, Serialize};

/// Per-replication values of one run, as stored for later checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Random stream version the values were made with.
    pub stream_version: u32,
    /// Master seed.
    pub seed: u64,
    /// Replications.
    pub replications: u64,
    /// Horizon `[h]`.
    pub horizon_h: f64,
    /// Per architecture, in file order.
    pub architectures: Vec<BaselineArchitecture>,
}

/// One architecture's stored values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineArchitecture {
    /// Architecture name.
    pub name: String,
    /// Downtime of each replication `[min/yr]`, in replication order.
    pub downtime_min_per_year: Vec<f64>,
}

/// Why a stored baseline cannot be trusted.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file holds nothing, or only white space.
    #[error("the file is empty")]
    Empty,
    /// Not JSON, or not the shape of a baseline (a wrong type, a missing field), or cut short.
    #[error("{}", json_message(.0))]
    Json(serde_json::Error),
    /// An entry holds another number of values than the replications the file names.
    #[error(
        "the entry for `{name}` holds {found} per-replication value{}, but the baseline was made with {replications} replication{}",
        plural(*found as u64),
        plural(*replications)
    )]
    Length {
        /// The entry's design.
        name: String,
        /// Values it holds.
        found: usize,
        /// Replications the baseline names.
        replications: u64,
    },
    /// A stored value that no run can produce.
    #[error(
        "the entry for `{name}` holds {value} min/yr for replication {replication}: a downtime is never negative"
    )]
    Value {
        /// The entry's design.
        name: String,
        /// Replication (0-based).
        replication: usize,
        /// The value stored.
        value: f64,
    },
    /// Two entries with one name: which one would be compared?
    #[error("two entries for `{name}`")]
    Duplicate {
        /// The name.
        name: String,
    },
}

impl BaselineError {
    /// Line and column (1-based) where the JSON parser stopped, when it did.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            BaselineError::Json(e) if e.line() > 0 => Some((e.line(), e.column())),
            _ => None,
        }
    }

    /// The file ends in the middle of a value: it was cut short (a write interrupted, or a
    /// full disk).
    pub fn truncated(&self) -> bool {
        matches!(self, BaselineError::Json(e) if e.is_eof())
    }
}

/// serde_json's message without its " at line L column C" (the caller prints the position
/// in front, as `file:line:col`).
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&at).map_or_else(|| full.clone(), str::to_string)
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Baseline {
    /// A stored baseline, checked whole: see the module doc for what is refused.
    pub fn from_json(text: &str) -> Result<Baseline, BaselineError> {
        if text.trim().is_empty() {
            return Err(BaselineError::Empty);
        }
        let baseline: Baseline = serde_json::from_str(text).map_err(BaselineError::Json)?;
        for (k, entry) in baseline.architectures.iter().enumerate() {
            let name = || entry.name.clone();
            let values = &entry.downtime_min_per_year;
            if values.len() as u64 != baseline.replications {
                return Err(BaselineError::Length {
                    name: name(),
                    found: values.len(),
                    replications: baseline.replications,
                });
            }
            // serde_json reads only finite numbers; a negative one is an edit.
            if let Some(replication) = values.iter().position(|v| *v < 0.0) {
                return Err(BaselineError::Value { name: name(), replication, value: values[replication] });
            }
            if baseline.architectures[..k].iter().any(|b| b.name == entry.name) {
                return Err(BaselineError::Duplicate { name: name() });
            }
        }
        Ok(baseline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As `check --update-baseline` writes it.
    fn json(b: &Baseline) -> String {
        serde_json::to_string_pretty(b).unwrap() + "\n"
    }

    fn stored() -> Baseline {
        let entry = |name: &str, values: &[f64]| BaselineArchitecture {
            name: name.into(),
            downtime_min_per_year: values.to_vec(),
        };
        Baseline {
            stream_version: 1,
            seed: 5,
            replications: 3,
            horizon_h: 17520.0,
            architectures: vec![entry("a", &[1.5, 0.0, 1.0 / 3.0]), entry("b", &[2.0, 3.0, 4.0])],
        }
    }

    #[test]
    fn a_stored_baseline_reads_back_exactly() {
        let b = stored();
        assert_eq!(Baseline::from_json(&json(&b)).unwrap(), b);
    }

    #[test]
    fn a_baseline_cut_anywhere_is_refused_as_truncated() {
        let text = json(&stored());
        // Every cut but the last few bytes ("}" and the newline; before them, the closing
        // bracket of the list) leaves something unparsed.
        let end = text.trim_end().len() - 1;
        for cut in 1..end {
            let e = Baseline::from_json(&text[..cut]).unwrap_err();
            assert!(e.truncated(), "cut at {cut}: {e}");
            assert!(e.position().is_some(), "cut at {cut}: {e}");
        }
        assert!(matches!(Baseline::from_json(""), Err(BaselineError::Empty)));
        assert!(matches!(Baseline::from_json(" \n"), Err(BaselineError::Empty)));
    }

    #[test]
    fn wrong_shapes_are_refused_with_what_is_wrong() {
        let text = json(&stored());
        let refused = |text: &str| Baseline::from_json(text).unwrap_err();
        let e = refused(&text.replacen("\"seed\": 5", "\"seed\": \"5\"", 1));
        assert_eq!(e.to_string(), "invalid type: string \"5\", expected u64");
        assert_eq!(e.position(), Some((3, 13)));
        assert!(!e.truncated());
        let e = refused(&text.replacen("\"seed\": 5,", "", 1));
        assert!(e.to_string().starts_with("missing field `seed`"), "{e}");
        let e = refused("[1, 2]");
        assert_eq!(e.position(), Some((1, 6)), "{e}");
        let e = refused("not json");
        assert_eq!((e.to_string().as_str(), e.position()), ("expected ident", Some((1, 2))));
    }

    #[test]
    fn every_entry_holds_one_value_per_replication() {
        let mut b = stored();
        b.architectures[1].downtime_min_per_year.pop();
        let e = Baseline::from_json(&json(&b)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the entry for `b` holds 2 per-replication values, but the baseline was made with 3 replications"
        );
        let mut b = stored();
        b.architectures[0].downtime_min_per_year.push(1.0);
        let e = Baseline::from_json(&json(&b)).unwrap_err();
        assert!(e.to_string().starts_with("the entry for `a` holds 4 "), "{e}");
        let mut b = stored();
        b.replications = 1;
        b.architectures.truncate(1);
        b.architectures[0].downtime_min_per_year = vec![];
        let e = Baseline::from_json(&json(&b)).unwrap_err();
        assert!(
            e.to_string()
                .contains("holds 0 per-replication values, but the baseline was made with 1 replication"),
            "{e}"
        );
    }

    #[test]
    fn impossible_values_and_repeated_names_are_refused() {
        let mut b = stored();
        b.architectures[1].downtime_min_per_year[2] = -1.0;
        let e = Baseline::from_json(&json(&b)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the entry for `b` holds -1 min/yr for replication 2: a downtime is never negative"
        );
        let mut b = stored();
        b.architectures[1].name = "a".into();
        let e = Baseline::from_json(&json(&b)).unwrap_err();
        assert_eq!(e.to_string(), "two entries for `a`");
        let text = json(&stored()).replacen("17520.0", "1e999", 1);
        assert!(Baseline::from_json(&text).unwrap_err().to_string().contains("number out of range"));
    }
}
