//! The run options every simulating command takes (`run`, `compare`, `report`, `chart`,
//! `check`): `--seed`, `--replications`, `--horizon`, `--precision`, `--max-replications`,
//! `--method` and `--threads`, one clap struct flattened into each.
//!
//! The first three replace the scenario's values; what a command ran with is what it records:
//! the header of its output (the table's and markdown's run line, the JSON header's values and
//! its `overrides`, `report.md` and `result.json`, `check`'s run line and `baseline.json`).
//! `--threads` changes no byte of any output, so it is not recorded.
//! `sweep` does not take them: its injections are scripted with random failures off (no seed,
//! one history per injection), its horizon follows from `--duration`, and it runs on one
//! thread.
//!
//! Decisions:
//! - `report --replications 10` writes its bundle like any other: the values it ran with are
//!   in report.md's run line and reproduce command and in result.json's header, so a quick
//!   report is never taken for the scenario's. It leaves `baseline.json` alone.
//! - `check` compares only runs made alike: a baseline stored with other values is refused
//!   (exit 2) with the exact command that stores one for these options; `check` with the
//!   same options as `--update-baseline` compares as usual.

use std::collections::BTreeMap;

use crate::model::{Estimator, Precision, System};
use crate::runner::DEFAULT_TARGET;
use crate::scenario::MAX_REPLICATIONS;
use crate::time::{SimTime, parse_duration};

/// `--seed`, `--replications`, `--horizon`, `--threads`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct RunOptions {
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of replications (default: the scenario's).
    #[arg(long, value_parser = replications)]
    pub replications: Option<u64>,
    /// Simulated time per replication, e.g. 10y (default: the scenario's).
    #[arg(long, value_name = "DUR", value_parser = positive_duration)]
    pub horizon: Option<SimTime>,
    /// Run each design until the 95% CI half-width of its unavailability is at most P of it,
    /// e.g. 5% or 0.05, doubling the replications from --replications (default: the
    /// scenario's `precision`, else a fixed count).
    #[arg(long, value_name = "P", value_parser = precision)]
    pub precision: Option<f64>,
    /// With a precision: the most replications a design runs (default 1000000); with the rare
    /// method, also the most regenerative cycles.
    #[arg(long, value_name = "N", value_parser = replications)]
    pub max_replications: Option<u64>,
    /// How availability is estimated: crude replications, rare-event importance sampling beside
    /// them, or auto (rare when crude would need more than --max-replications to reach the
    /// precision). Default: auto with a precision, else crude.
    #[arg(long, value_enum, value_name = "METHOD")]
    pub method: Option<MethodArg>,
    /// Worker threads (default: one per core). Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

impl RunOptions {
    /// Whether a scenario value is replaced.
    pub fn any(&self) -> bool {
        self.seed.is_some()
            || self.replications.is_some()
            || self.horizon.is_some()
            || self.precision.is_some()
            || self.max_replications.is_some()
            || self.method.is_some()
    }

    /// Replaces the scenario's values with the options given; returns them by name, for the
    /// JSON header's `overrides`.
    pub fn apply(&self, system: &mut System) -> BTreeMap<&'static str, serde_json::Value> {
        let mut overrides = BTreeMap::new();
        if let Some(seed) = self.seed {
            system.seed = seed;
            overrides.insert("seed", seed.into());
        }
        if let Some(r) = self.replications {
            system.replications = r;
            overrides.insert("replications", r.into());
        }
        if let Some(h) = self.horizon {
            system.horizon = h;
            overrides.insert("horizon", h.to_string().into());
        }
        if let Some(p) = self.precision {
            system.precision = Some(Precision::with_default_max(p, system.replications));
            overrides.insert("precision", p.into());
        }
        if let Some(m) = self.method {
            system.estimator = Some(m.into());
            overrides.insert("method", Estimator::from(m).name().into());
            // `auto` aims at a precision: `DEFAULT_TARGET` unless one is given.
            if m == MethodArg::Auto && system.precision.is_none() {
                system.precision = Some(Precision::with_default_max(DEFAULT_TARGET, system.replications));
            }
        }
        if let Some(max) = self.max_replications {
            // Never below the first batch: that many run whatever the maximum.
            if let Some(p) = system.precision.as_mut() {
                p.max_replications = max.max(system.replications);
            }
            system.max_replications = Some(max);
            overrides.insert("max_replications", max.into());
        }
        overrides
    }

    /// The options that replace scenario values, as command-line arguments with a leading
    /// space each (` --seed 7 --replications 10`), for the commands a report or a hint quotes.
    pub fn args(&self) -> String {
        let mut out = String::new();
        if let Some(seed) = self.seed {
            out.push_str(&format!(" --seed {seed}"));
        }
        if let Some(r) = self.replications {
            out.push_str(&format!(" --replications {r}"));
        }
        if let Some(h) = self.horizon {
            out.push_str(&format!(" --horizon {h}"));
        }
        if let Some(p) = self.precision {
            out.push_str(&format!(" --precision {p}"));
        }
        if let Some(max) = self.max_replications {
            out.push_str(&format!(" --max-replications {max}"));
        }
        if let Some(m) = self.method {
            out.push_str(&format!(" --method {}", Estimator::from(m).name()));
        }
        out
    }

    /// As [`RunOptions::args`], the options `trace` takes (`--seed`, `--horizon`): the trace
    /// commands under report.md's timelines.
    pub fn trace_args(&self) -> String {
        RunOptions {
            replications: None,
            precision: None,
            max_replications: None,
            method: None,
            ..self.clone()
        }
        .args()
    }
}

/// `--method`'s values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Replications over the horizon.
    Crude,
    /// Importance sampling over regenerative cycles, for designs that fail rarely.
    Rare,
    /// Rare when crude would need more than --max-replications.
    Auto,
}

impl From<MethodArg> for Estimator {
    fn from(m: MethodArg) -> Estimator {
        match m {
            MethodArg::Crude => Estimator::Crude,
            MethodArg::Rare => Estimator::Rare,
            MethodArg::Auto => Estimator::Auto,
        }
    }
}

/// A precision: a fraction in (0, 1), written `0.05` or `5%`.
fn precision(text: &str) -> Result<f64, String> {
    let value = match text.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
        None => text.parse::<f64>(),
    };
    match value {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err("expected a fraction between 0 and 1 of the unavailability, such as 5% or 0.05".into()),
    }
}

/// A replication count: 1 to [`MAX_REPLICATIONS`].
fn replications(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_REPLICATIONS).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected a whole number from 1 to {MAX_REPLICATIONS}; compare and check keep one value per replication and architecture"
        )),
    }
}

pub(super) fn positive_duration(text: &str) -> Result<SimTime, String> {
    match parse_duration(text) {
        Ok(SimTime(0)) => Err("the horizon must be longer than 0".to_string()),
        Ok(t) => Ok(t),
        Err(e) => Err(format!("{e}; {}", e.hint())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::compile_str;

    #[test]
    fn options_replace_the_scenario_values_and_read_back_as_arguments() {
        let mut system = compile_str(
            r#"(name: "s", seed: 1, horizon: "1y", replications: 50, architectures: [(name: "a", service: "x",
                components: [(name: "x", kind: Instance, fail: Exp(mean: "100d"), recover: Repair("1h"))])])"#,
        )
        .unwrap()
        .system;
        let none = RunOptions::default();
        assert!(!none.any());
        assert!(none.apply(&mut system).is_empty());
        assert_eq!((system.seed, system.replications, system.horizon.to_string().as_str()), (1, 50, "1y"));
        let given = RunOptions {
            seed: Some(7),
            replications: Some(10),
            horizon: Some(parse_duration("2y").unwrap()),
            threads: Some(3),
            ..RunOptions::default()
        };
        assert!(given.any());
        let overrides = given.apply(&mut system);
        assert_eq!((system.seed, system.replications, system.horizon.to_string().as_str()), (7, 10, "2y"));
        assert_eq!(
            serde_json::to_string(&overrides).unwrap(),
            r#"{"horizon":"2y","replications":10,"seed":7}"#
        );
        assert_eq!(given.args(), " --seed 7 --replications 10 --horizon 2y");
        assert_eq!(given.trace_args(), " --seed 7 --horizon 2y");
    }
}
