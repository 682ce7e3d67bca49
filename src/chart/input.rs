//! The part of a report the charts read, from a [`Report`] in memory or from its JSON
//! (`run --format json`, the input of `faultline chart`). Unknown JSON fields are ignored, so
//! later report fields do not break charts. A result's histograms are checked as they are
//! read ([`crate::metrics::LogHistogram`]): one that cannot be is an error, never a chart.

use serde::Deserialize;

use super::ChartError;
use crate::metrics::{Histograms, ObjectiveResult, Report};

/// What the report-based charts need.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ReportData {
    /// The scenario.
    pub scenario: ScenarioName,
    /// Replications run (with a precision: the first batch).
    pub replications: u64,
    /// With a precision: the stopping rule.
    #[serde(default)]
    pub precision: Option<PrecisionData>,
    /// Simulated time per replication `[h]`.
    pub horizon_h: f64,
    /// One entry per architecture, in file order.
    pub architectures: Vec<ArchitectureData>,
}

/// A run's stopping rule.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct PrecisionData {
    /// The relative 95% CI half-width asked for.
    pub relative: f64,
    /// The most replications a design runs.
    pub max_replications: u64,
}

/// Which method gave a design's availability.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EstimatorData {
    /// `crude` or `rare`.
    pub method: String,
    /// With `rare`: the crude run beside it.
    #[serde(default)]
    pub crude: Option<CrudeData>,
}

/// The crude run beside a rare-event estimate.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct CrudeData {
    /// Its replications.
    pub replications: u64,
}

/// What a design's precision came to.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct PrecisionReachedData {
    /// Replications run (regenerative cycles for a rare-event estimate).
    pub replications: u64,
}

/// The scenario's name.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ScenarioName {
    /// The scenario's `name`.
    pub name: String,
}

/// One architecture's figures.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ArchitectureData {
    /// Architecture name.
    pub name: String,
    /// Availability and its confidence interval.
    pub availability: AvailabilityData,
    /// With a method or a precision: which method gave the availability.
    #[serde(default)]
    pub estimator: Option<EstimatorData>,
    /// With a precision: how far the design ran.
    #[serde(default)]
    pub precision: Option<PrecisionReachedData>,
    /// Mean downtime per year `[min]`.
    pub downtime_min_per_year: f64,
    /// Mean cost per year (absent from results made before costs: 0).
    #[serde(default)]
    pub cost_per_year: f64,
    /// Objectives and verdicts.
    pub objectives: ObjectivesData,
    /// Root causes by downtime, then name.
    pub problems: Vec<ProblemData>,
    /// Data-loss events with no surviving copy, of every dataset and queue.
    #[serde(default)]
    pub unrecoverable: UnrecoverableData,
    /// The RTO and RPO distributions (absent from results made before they were written: no
    /// RTO or RPO chart).
    #[serde(default)]
    pub histograms: Option<Histograms>,
}

/// Data-loss events with no surviving copy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
pub struct UnrecoverableData {
    /// How many.
    pub events: u64,
}

/// Availability, a fraction in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct AvailabilityData {
    /// Mean over replications.
    pub mean: f64,
    /// 95% confidence interval.
    pub ci95: [f64; 2],
}

/// Objectives and verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct ObjectivesData {
    /// Availability target (a fraction).
    pub availability: ObjectiveData,
    /// RTO target `[s]`.
    pub rto: ObjectiveData,
    /// RPO target `[s]` (absent from results made before datasets existed: no target).
    #[serde(default)]
    pub rpo: ObjectiveData,
    /// `false`: kept for contrast.
    pub gate: bool,
}

/// A target and whether it was met.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
pub struct ObjectiveData {
    /// The target.
    pub target: Option<f64>,
    /// Whether it was met.
    pub met: Option<bool>,
}

/// One root cause.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ProblemData {
    /// `<component>/<mode>`.
    pub cause: String,
    /// Incidents it caused, over all replications.
    pub incidents: u64,
    /// Their downtime over all replications `[h]`.
    pub downtime_h: f64,
}

impl ReportData {
    /// Reads `run --format json` output.
    pub fn from_json(text: &str) -> Result<ReportData, ChartError> {
        Ok(serde_json::from_str(text)?)
    }

    /// Takes what the charts need from a report in memory.
    pub fn from_report(report: &Report) -> ReportData {
        let objective = |o: ObjectiveResult| ObjectiveData { target: o.target, met: o.met };
        ReportData {
            scenario: ScenarioName { name: report.header.scenario.name.clone() },
            replications: report.header.replications,
            precision: report
                .header
                .precision
                .as_ref()
                .map(|p| PrecisionData { relative: p.relative, max_replications: p.max_replications }),
            horizon_h: report.header.horizon_h,
            architectures: report
                .architectures
                .iter()
                .map(|a| ArchitectureData {
                    name: a.name.clone(),
                    availability: AvailabilityData { mean: a.availability.mean, ci95: a.availability.ci95 },
                    estimator: a.estimator.as_ref().map(|e| EstimatorData {
                        method: e.method.to_string(),
                        crude: e.crude.as_ref().map(|c| CrudeData { replications: c.replications }),
                    }),
                    precision: a
                        .precision
                        .as_ref()
                        .map(|p| PrecisionReachedData { replications: p.replications }),
                    downtime_min_per_year: a.downtime_min_per_year,
                    cost_per_year: a.cost_per_year,
                    objectives: ObjectivesData {
                        availability: objective(a.objectives.availability),
                        rto: objective(a.objectives.rto),
                        rpo: objective(a.objectives.rpo),
                        gate: a.objectives.gate,
                    },
                    problems: a
                        .problems
                        .iter()
                        .map(|p| ProblemData {
                            cause: p.cause.clone(),
                            incidents: p.incidents,
                            downtime_h: p.downtime_h,
                        })
                        .collect(),
                    unrecoverable: UnrecoverableData { events: a.data.unrecoverable.events },
                    histograms: Some(a.histograms.clone()),
                })
                .collect(),
        }
    }

    /// The replications `arch`'s problems and RTO come from: the run's, or with a precision
    /// the design's own, or the crude run's beside a rare-event estimate.
    pub fn crude_replications(&self, arch: &ArchitectureData) -> u64 {
        match (&arch.estimator, &arch.precision) {
            (Some(EstimatorData { crude: Some(c), .. }), _) => c.replications,
            (_, Some(p)) => p.replications,
            _ => self.replications,
        }
    }

    /// Simulated years over the replications `arch`'s problems come from (the denominator of
    /// "per year").
    pub fn simulated_years(&self, arch: &ArchitectureData) -> f64 {
        self.crude_replications(arch) as f64 * self.horizon_h / 8760.0
    }

    /// The architecture named `name`.
    pub fn architecture(&self, name: &str) -> Result<&ArchitectureData, ChartError> {
        self.architectures
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| ChartError::UnknownArchitecture(name.to_string()))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// One architecture without datasets, no incident, no objective.
    pub(crate) fn one_architecture() -> ReportData {
        let none = ObjectiveData::default();
        ReportData {
            scenario: ScenarioName { name: "s".into() },
            replications: 1,
            precision: None,
            horizon_h: 1.0,
            architectures: vec![ArchitectureData {
                name: "a".into(),
                availability: AvailabilityData { mean: 1.0, ci95: [1.0, 1.0] },
                estimator: None,
                precision: None,
                downtime_min_per_year: 0.0,
                cost_per_year: 0.0,
                objectives: ObjectivesData { availability: none, rto: none, rpo: none, gate: true },
                problems: Vec::new(),
                unrecoverable: UnrecoverableData::default(),
                histograms: Some(Histograms { rto_ms: Default::default(), rpo_ms: None }),
            }],
        }
    }

    #[test]
    fn per_year_figures_divide_by_the_replications_the_design_ran() {
        let mut data = one_architecture();
        data.replications = 100;
        data.horizon_h = 8760.0;
        let arch = data.architectures[0].clone();
        assert_eq!(data.simulated_years(&arch), 100.0);
        // With a precision: the design's own count.
        let mut precise = arch.clone();
        precise.precision = Some(PrecisionReachedData { replications: 800 });
        assert_eq!(data.simulated_years(&precise), 800.0);
        // Beside a rare-event estimate, whose precision counts cycles: the crude run's.
        let mut rare = precise.clone();
        rare.estimator =
            Some(EstimatorData { method: "rare".into(), crude: Some(CrudeData { replications: 100 }) });
        rare.precision = Some(PrecisionReachedData { replications: 65_536 });
        assert_eq!(data.simulated_years(&rare), 100.0);
    }

    #[test]
    fn results_without_an_rpo_objective_still_read() {
        let arch = r#"{"name": "a", "availability": {"mean": 0.9, "ci95": [0.8, 1.0]}, "problems": [], "downtime_min_per_year": 52560.0,
            "objectives": {"availability": {"target": null, "met": null}, "rto": {"target": 60.0, "met": true},
            GATE}}"#;
        let text = |gate: &str| {
            format!(
                r#"{{"scenario": {{"name": "s"}}, "replications": 1, "horizon_h": 1.0, "architectures": [{}]}}"#,
                arch.replace("GATE", gate)
            )
        };
        let old = ReportData::from_json(&text(r#""gate": true"#)).unwrap();
        assert_eq!(old.architectures[0].objectives.rpo, ObjectiveData::default());
        let new =
            ReportData::from_json(&text(r#""rpo": {"target": 300.0, "met": false}, "gate": true"#)).unwrap();
        assert_eq!(
            new.architectures[0].objectives.rpo,
            ObjectiveData { target: Some(300.0), met: Some(false) }
        );
    }
}
