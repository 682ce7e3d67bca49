//! What one replication contributes to the statistics, collected as it runs.

use std::collections::BTreeMap;

use crate::engine::{Cause, Incident, Label, Observer, Simulator};
use crate::time::SimTime;

use super::LogHistogram;

/// Incidents and downtime charged to one problem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProblemTotals {
    /// Incidents it caused.
    pub incidents: u64,
    /// Downtime of those incidents `[ms]` (censored ones up to the horizon).
    pub downtime_ms: u64,
}

/// Slots of [`Outcome::labels`]: one per [`Label`], and the last for incidents still open at
/// the horizon.
pub const LABEL_SLOTS: usize = Label::ALL.len() + 1;

/// The slot of a label (`None`: open at the horizon).
pub fn label_slot(label: Option<Label>) -> usize {
    label.map_or(Label::ALL.len(), Label::index)
}

/// One replication, folded: size bounded by the components and the distinct RTO buckets,
/// not by the horizon.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Service up-time `[ms]`.
    pub up_ms: u64,
    /// Own failures and recoveries applied.
    pub events: u64,
    /// Incidents, censored ones included.
    pub incidents: u64,
    /// Incidents still open at the horizon.
    pub censored: u64,
    /// The longest of those, up to the horizon `[ms]` (0 without any).
    pub censored_max_ms: u64,
    /// Durations of uncensored incidents `[ms]`.
    pub rto: LogHistogram,
    /// Uncensored incidents no longer than the RTO objective (0 without one).
    pub within_rto: u64,
    /// Totals per problem.
    pub problems: BTreeMap<Cause, ProblemTotals>,
    /// Totals per mechanism that ended the incidents (`None`: still open at the horizon).
    /// Totals per mechanism that ended the incidents, by [`label_slot`] (a fixed array: no
    /// allocation per replication).
    pub labels: [ProblemTotals; LABEL_SLOTS],
}

impl Outcome {
    /// This replication's downtime in minutes per year of `horizon` (the per-replication value
    /// behind `downtime_min_per_year`, for paired comparisons).
    pub fn downtime_min_per_year(&self, horizon: SimTime) -> f64 {
        (horizon.0 - self.up_ms) as f64 / 60_000.0 / (horizon.0 as f64 / crate::time::MS_PER_YEAR as f64)
    }
}

/// Builds an [`Outcome`] from the engine's incidents.
struct Collector {
    rto_objective: Option<SimTime>,
    outcome: Outcome,
}

impl Observer for Collector {
    fn incident(&mut self, incident: &Incident) {
        let o = &mut self.outcome;
        let duration = incident.duration();
        o.incidents += 1;
        if incident.censored {
            o.censored += 1;
            o.censored_max_ms = o.censored_max_ms.max(duration.0);
        } else {
            o.rto.record(duration.0);
            if self.rto_objective.is_some_and(|t| duration <= t) {
                o.within_rto += 1;
            }
        }
        for totals in
            [o.problems.entry(incident.cause).or_default(), &mut o.labels[label_slot(incident.label)]]
        {
            totals.incidents += 1;
            totals.downtime_ms += duration.0;
        }
    }
}

/// Runs `replication` and folds it into an [`Outcome`].
pub fn simulate(sim: &mut Simulator<'_>, replication: u64, rto_objective: Option<SimTime>) -> Outcome {
    let mut collector = Collector { rto_objective, outcome: Outcome::default() };
    let summary = sim.run(replication, &mut collector);
    let mut outcome = collector.outcome;
    outcome.up_ms = summary.up.0;
    outcome.events = summary.events;
    outcome
}
