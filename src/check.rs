//! Regression checks for scheduled runs: objectives of gated designs, and drift against a
//! stored baseline.
//!
//! A finding is a *failure* when a design with `gate: true` misses an objective (availability:
//! the CI lower bound is below the target; RTO: the pooled p95 is above it, or only open
//! incidents exist and one already exceeds it; RPO: the pooled p95 over every data-loss event
//! is above it, an unrecoverable event counting as beyond any target, and the line says how
//! many were unrecoverable; a design without datasets or queues has no RPO verdict), or when its
//! downtime per year got significantly worse than the baseline's: a paired test on the stored per-replication values
//! (same seed and replications, so replication k meets the same failures), failing when the
//! 99% CI of the mean difference lies above 0. A CI below 0 is a *stale* baseline: reported,
//! never failing. Designs with `gate: false` are reported the same way but never fail.
//! The baseline (`baseline.json`) holds, per architecture, the per-replication downtime in
//! minutes per year, exactly (serde_json's float round trip), with the stream version, seed,
//! replications and horizon it was made with; a baseline made differently cannot be compared.
//! Designs and baseline entries are matched by name: a gated design with no entry in a stored
//! baseline is a *failure* (renamed or new: it would otherwise never be compared), a design
//! with `gate: false` without one and an entry whose design is gone are only reported. With no
//! baseline file at all, only the objectives are checked; a file that is there is trusted or
//! refused whole ([`Baseline::from_json`]), so a bad one never skips a drift test in silence.
//! A stored baseline is compared only with a run of the same stream version, seed,
//! replications and horizon ([`Baseline::compatible`]); [`evaluate`] applies every rule above
//! and says whether the check passed. Reading the file and printing the findings is the CLI's.

mod baseline;

pub use baseline::{Baseline, BaselineArchitecture, BaselineError};

use crate::metrics::{ArchitectureReport, DataReport};

/// Why a stored baseline cannot be compared with this run: its values would not be paired
/// replication by replication.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Incompatible {
    /// Made with other random streams.
    #[error("made with random streams v{before}, this faultline uses v{now}")]
    Stream {
        /// The baseline's stream version.
        before: u32,
        /// This faultline's.
        now: u32,
    },
    /// Made with another seed, replication count or horizon.
    #[error(
        "made with seed {}, {} replications of {} h; {} seed {}, {} of {} h",
        before.0, before.1, before.2,
        if *given { "this run has, as given on the command line," } else { "the scenario now has" },
        now.0, now.1, now.2
    )]
    Params {
        /// The baseline's seed, replications and horizon `[h]`.
        before: (u64, u64, f64),
        /// This run's.
        now: (u64, u64, f64),
        /// This run's values were given on the command line, not read from the scenario.
        given: bool,
    },
}

impl Incompatible {
    /// The same, saying whether this run's values were given on the command line (`check
    /// --seed ...`) rather than read from the scenario.
    pub fn given(self, on_command_line: bool) -> Incompatible {
        match self {
            Incompatible::Params { before, now, .. } => {
                Incompatible::Params { before, now, given: on_command_line }
            }
            other => other,
        }
    }
}

impl Baseline {
    /// Whether `now` (this run's values) can be compared with this stored baseline.
    pub fn compatible(&self, now: &Baseline) -> Result<(), Incompatible> {
        if self.stream_version != now.stream_version {
            return Err(Incompatible::Stream { before: self.stream_version, now: now.stream_version });
        }
        let params = |b: &Baseline| (b.seed, b.replications, b.horizon_h);
        if params(self) != params(now) {
            return Err(Incompatible::Params { before: params(self), now: params(now), given: false });
        }
        Ok(())
    }
}

/// Everything a check of one scenario found, in the order it is reported.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Objectives missed, then drifts from the baseline, in file order.
    pub findings: Vec<Finding>,
    /// Designs and baseline entries that do not match by name ([`unmatched`]).
    pub unmatched: Vec<Unmatched>,
    /// A baseline was compared, but with one replication: no paired test is possible.
    pub single_replication: bool,
}

impl Outcome {
    /// No finding and no unmatched design fails.
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| !f.fails) && self.unmatched.iter().all(|u| !u.fails)
    }
}

/// Checks the run `reports` (with its per-replication values `now`) against its objectives
/// and, when there is one, the stored baseline `before`: an error when the baseline cannot be
/// compared with this run.
pub fn evaluate(
    reports: &[ArchitectureReport],
    now: &Baseline,
    before: Option<&Baseline>,
) -> Result<Outcome, Incompatible> {
    let mut outcome = Outcome {
        findings: reports.iter().flat_map(objectives).collect(),
        unmatched: Vec::new(),
        single_replication: false,
    };
    let Some(before) = before else { return Ok(outcome) };
    before.compatible(now)?;
    for (arch, report) in now.architectures.iter().zip(reports) {
        if let Some(b) = before.architectures.iter().find(|b| b.name == arch.name)
            && let Some(f) = drift(
                &arch.name,
                report.objectives.gate,
                &arch.downtime_min_per_year,
                &b.downtime_min_per_year,
            )
        {
            outcome.findings.push(f);
        }
    }
    outcome.single_replication = now.replications < 2;
    outcome.unmatched = unmatched(reports.iter().map(|r| (r.name.as_str(), r.objectives.gate)), before);
    Ok(outcome)
}

/// What a check found about one architecture.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Architecture.
    pub architecture: String,
    /// What was expected and what was got, as numbers (`report::check` words them).
    pub measure: Measure,
    /// Failing (exit 1) or only reported.
    pub fails: bool,
    /// `missed`, `regression` or `baseline stale`.
    pub kind: &'static str,
}

/// The numbers behind a finding.
#[derive(Clone, Debug, PartialEq)]
pub enum Measure {
    /// An availability objective: the target, the mean and its 95% CI (fractions).
    Availability {
        /// Over unplanned downtime only (`availability_unplanned`).
        unplanned: bool,
        /// Target.
        target: f64,
        /// Mean availability.
        mean: f64,
        /// Its 95% CI.
        ci95: [f64; 2],
    },
    /// An RTO objective `[s]`: the pooled p95, or `None` when only incidents still open at the
    /// horizon (`censored` of them) exceed the target.
    Rto {
        /// Target `[s]`.
        target: f64,
        /// Pooled p95 `[s]`.
        p95: Option<f64>,
        /// Incidents still open at the horizon.
        censored: u64,
    },
    /// An RPO objective `[s]`, with the data-loss figures its pooled p95 is read from.
    Rpo {
        /// Target `[s]`.
        target: f64,
        /// The design's data-loss figures (every dataset and queue).
        data: Box<DataReport>,
    },
    /// Downtime against the baseline `[min/yr]`: the two means and the paired 99% CI of the
    /// difference.
    Downtime {
        /// The baseline's mean.
        before: f64,
        /// This run's mean.
        now: f64,
        /// Mean difference, now minus before.
        difference: f64,
        /// Its 99% CI.
        ci99: [f64; 2],
    },
}

impl Finding {
    /// `availability`, `availability_unplanned`, `rto`, `rpo` or `downtime`.
    pub fn metric(&self) -> &'static str {
        match self.measure {
            Measure::Availability { unplanned: false, .. } => "availability",
            Measure::Availability { unplanned: true, .. } => "availability_unplanned",
            Measure::Rto { .. } => "rto",
            Measure::Rpo { .. } => "rpo",
            Measure::Downtime { .. } => "downtime",
        }
    }
}

/// Objectives missed by `a`.
pub fn objectives(a: &ArchitectureReport) -> Vec<Finding> {
    let mut findings = Vec::new();
    let o = &a.objectives;
    let mut push = |measure| {
        findings.push(Finding { architecture: a.name.clone(), measure, fails: o.gate, kind: "missed" })
    };
    if let (Some(target), Some(false)) = (o.availability.target, o.availability.met) {
        push(Measure::Availability {
            unplanned: false,
            target,
            mean: a.availability.mean,
            ci95: a.availability.ci95,
        });
    }
    if let (Some(target), Some(false)) = (o.availability_unplanned.target, o.availability_unplanned.met) {
        let got = &a.planned.availability_unplanned;
        push(Measure::Availability { unplanned: true, target, mean: got.mean, ci95: got.ci95 });
    }
    if let (Some(target), Some(false)) = (o.rto.target, o.rto.met) {
        push(Measure::Rto { target, p95: a.rto_s.p95, censored: a.rto_s.censored });
    }
    if let (Some(target), Some(false)) = (o.rpo.target, o.rpo.met) {
        push(Measure::Rpo { target, data: Box::new(a.data.clone()) });
    }
    findings
}

/// The paired comparison of `now` with `before` (per-replication downtime, same replications).
pub fn drift(name: &str, gate: bool, now: &[f64], before: &[f64]) -> Option<Finding> {
    let n = now.len();
    if n != before.len() || n < 2 {
        return None;
    }
    let (mean, [lo, hi]) = crate::compare::paired_ci(now, before, 0.99);
    let mean_of = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let (kind, fails) = if lo > 0.0 {
        ("regression", gate)
    } else if hi < 0.0 {
        ("baseline stale", false)
    } else {
        return None;
    };
    Some(Finding {
        architecture: name.to_string(),
        measure: Measure::Downtime {
            before: mean_of(before),
            now: mean_of(now),
            difference: mean,
            ci99: [lo, hi],
        },
        fails,
        kind,
    })
}

/// A design and a stored baseline that do not match by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched {
    /// The design's name (in the scenario, or in the baseline only).
    pub architecture: String,
    /// `true`: a design of the scenario has no entry in the baseline; `false`: a baseline
    /// entry names no design of the scenario.
    pub in_scenario: bool,
    /// Failing (a gated design without an entry) or only reported.
    pub fails: bool,
}

/// Designs (name, gate), in file order, that have no entry in `baseline`, then entries of
/// `baseline`, in its order, whose design is gone. A gated design without an entry fails: a
/// design renamed (or added) since the baseline was stored would otherwise lose its
/// regression check without a word.
pub fn unmatched<'n>(
    designs: impl IntoIterator<Item = (&'n str, bool)>,
    baseline: &Baseline,
) -> Vec<Unmatched> {
    let designs: Vec<(&str, bool)> = designs.into_iter().collect();
    let stored = |name: &str| baseline.architectures.iter().any(|b| b.name == name);
    let missing = designs.iter().filter(|(name, _)| !stored(name)).map(|&(name, gate)| Unmatched {
        architecture: name.to_string(),
        in_scenario: true,
        fails: gate,
    });
    let gone = baseline
        .architectures
        .iter()
        .filter(|b| !designs.iter().any(|(name, _)| *name == b.name))
        .map(|b| Unmatched { architecture: b.name.clone(), in_scenario: false, fails: false });
    missing.chain(gone).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_is_a_paired_test() {
        let before = [10.0, 20.0, 30.0, 40.0, 50.0];
        let worse: Vec<f64> = before.iter().map(|x| x + 1.0).collect();
        let f = drift("x", true, &worse, &before).unwrap();
        assert_eq!((f.kind, f.fails), ("regression", true));
        let better: Vec<f64> = before.iter().map(|x| x - 1.0).collect();
        let f = drift("x", true, &better, &before).unwrap();
        assert_eq!((f.kind, f.fails), ("baseline stale", false));
        assert_eq!(drift("x", true, &before, &before), None);
        assert!(!drift("x", false, &worse, &before).unwrap().fails, "gate off never fails");
    }

    #[test]
    fn designs_and_baseline_entries_are_matched_by_name() {
        let entry = |name: &str| BaselineArchitecture { name: name.into(), downtime_min_per_year: vec![1.0] };
        let baseline = Baseline {
            stream_version: 1,
            seed: 0,
            replications: 1,
            horizon_h: 1.0,
            architectures: vec![entry("a"), entry("old"), entry("b")],
        };
        let found = unmatched([("a", true), ("new", true), ("contrast", false), ("b", false)], &baseline);
        let un = |name: &str, in_scenario, fails| Unmatched { architecture: name.into(), in_scenario, fails };
        assert_eq!(found, [un("new", true, true), un("contrast", true, false), un("old", false, false)]);
        assert_eq!(unmatched([("a", true), ("old", true), ("b", true)], &baseline), []);
    }

    #[test]
    fn a_baseline_is_compared_only_with_a_run_made_alike() {
        let b = |stream_version, seed, replications, horizon_h| Baseline {
            stream_version,
            seed,
            replications,
            horizon_h,
            architectures: vec![],
        };
        let stored = b(2, 5, 300, 17520.0);
        assert_eq!(stored.compatible(&b(2, 5, 300, 17520.0)), Ok(()));
        let e = stored.compatible(&b(3, 5, 300, 17520.0)).unwrap_err();
        assert_eq!(e.to_string(), "made with random streams v2, this faultline uses v3");
        for now in [b(2, 6, 300, 17520.0), b(2, 5, 10, 17520.0), b(2, 5, 300, 8760.0)] {
            assert!(matches!(stored.compatible(&now), Err(Incompatible::Params { .. })));
        }
        let e = stored.compatible(&b(2, 5, 10, 8760.5)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "made with seed 5, 300 replications of 17520 h; the scenario now has seed 5, 10 of 8760.5 h"
        );
        assert_eq!(
            stored.compatible(&b(2, 5, 10, 8760.0)).unwrap_err().given(true).to_string(),
            "made with seed 5, 300 replications of 17520 h; this run has, as given on the command line, seed 5, 10 of 8760 h"
        );
    }
}
