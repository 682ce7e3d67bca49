//! What one replication contributes to the statistics, collected as it runs.

use std::collections::BTreeMap;

use crate::engine::{Cause, DataLoss, Incident, Label, Observer, Simulator, Source, Store};
use crate::model::ComponentId;
use crate::time::SimTime;

use super::LogHistogram;

/// Incidents and downtime charged to one problem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProblemTotals {
    /// Incidents it caused.
    pub incidents: u64,
    /// Downtime of those incidents `[ms]` (censored ones up to the horizon).
    pub downtime_ms: u64,
}

impl ProblemTotals {
    /// Adds `other`'s.
    pub fn merge(&mut self, other: &ProblemTotals) {
        self.incidents += other.incidents;
        self.downtime_ms += other.downtime_ms;
    }
}

/// Data-loss events of one dataset, or of a whole architecture.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DataTotals {
    /// Data-loss events, unrecoverable ones included.
    pub events: u64,
    /// Realised RPO of the recoverable ones `[ms]`.
    pub rpo: LogHistogram,
    /// Recoverable events whose RPO was within the RPO objective (0 without one).
    pub within_rpo: u64,
    /// Events with no surviving copy.
    pub unrecoverable: u64,
    /// Events still growing at the horizon (left out of `rpo`).
    pub censored: u64,
    /// Sum of their lost spans `[ms]`.
    pub lost_span_ms: u64,
    /// The longest of those `[ms]`.
    pub lost_span_max_ms: u64,
    /// Recovered by promoting a replica.
    pub from_replica: u64,
    /// Recovered by restoring a backup.
    pub from_backup: u64,
    /// Recovered by a standby group's failover to a member lacking the newest writes.
    pub from_failover: u64,
    /// Sum of the writes destroyed (see [`DataLoss::lost_writes`]) `[ms]`, every event.
    pub lost_writes_ms: u64,
    /// The most writes one event destroyed `[ms]`.
    pub lost_writes_max_ms: u64,
}

impl DataTotals {
    /// Counts one event.
    pub fn record(&mut self, loss: &DataLoss, rpo_objective: Option<crate::time::SimTime>) {
        self.events += 1;
        self.lost_writes_ms += loss.lost_writes.0;
        self.lost_writes_max_ms = self.lost_writes_max_ms.max(loss.lost_writes.0);
        match loss.rpo {
            Some(_) if loss.censored => self.censored += 1,
            Some(rpo) => {
                self.rpo.record(rpo.0);
                if rpo_objective.is_some_and(|t| rpo <= t) {
                    self.within_rpo += 1;
                }
            }
            None => {
                self.unrecoverable += 1;
                self.lost_span_ms += loss.lost_span.0;
                self.lost_span_max_ms = self.lost_span_max_ms.max(loss.lost_span.0);
            }
        }
        match loss.from {
            Some(Source::Replica) => self.from_replica += 1,
            Some(Source::Backup) => self.from_backup += 1,
            Some(Source::Failover) => self.from_failover += 1,
            None => {}
        }
    }

    /// Adds another's counts.
    pub fn merge(&mut self, other: &DataTotals) {
        self.events += other.events;
        self.rpo.merge(&other.rpo);
        self.within_rpo += other.within_rpo;
        self.unrecoverable += other.unrecoverable;
        self.censored += other.censored;
        self.lost_span_ms += other.lost_span_ms;
        self.lost_span_max_ms = self.lost_span_max_ms.max(other.lost_span_max_ms);
        self.from_replica += other.from_replica;
        self.from_backup += other.from_backup;
        self.from_failover += other.from_failover;
        self.lost_writes_ms += other.lost_writes_ms;
        self.lost_writes_max_ms = self.lost_writes_max_ms.max(other.lost_writes_max_ms);
    }
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
    /// Downtime of the planned outages (see [`Incident::planned`]) `[ms]`.
    pub planned_ms: u64,
    /// Planned outages, censored ones included (not in `incidents`).
    pub planned_outages: u64,
    /// Time up below a group's `full` capacity `[ms]`.
    pub degraded_ms: u64,
    /// Degraded episodes.
    pub degraded_episodes: u64,
    /// Own failures and recoveries applied.
    pub events: u64,
    /// Incidents, censored ones included (planned outages are not incidents).
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
    /// Data-loss events per dataset, in file order (empty without datasets).
    pub datasets: Vec<DataTotals>,
    /// Backlogs and data-loss events per queue link (empty without queues).
    pub queues: Vec<QueueTotals>,
    /// The rank of the longest incident, `(ended, duration [ms])`: an ended incident beats a
    /// censored one, then the longer (what a timeline shows by default).
    pub longest: Option<(bool, u64)>,
    /// An incident overlapped a scripted injection (`[at, at + duration)` of any target).
    pub during_injection: bool,
    /// Each standby member and how long it was the active one `[ms]`, groups in order.
    pub active_ms: Vec<(ComponentId, u64)>,
}

/// Backlogs and losses of one queue link.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QueueTotals {
    /// Ages of the backlogs when they ended `[ms]`.
    pub backlog: LogHistogram,
    /// Messages deleted past their retention.
    pub data: DataTotals,
}

impl QueueTotals {
    /// Adds another's counts.
    pub fn merge(&mut self, other: &QueueTotals) {
        self.backlog.merge(&other.backlog);
        self.data.merge(&other.data);
    }
}

impl Outcome {
    /// This replication's downtime in minutes per year of `horizon` (the per-replication value
    /// behind `downtime_min_per_year`, for paired comparisons).
    pub fn downtime_min_per_year(&self, horizon: SimTime) -> f64 {
        (horizon.0 - self.up_ms) as f64 / 60_000.0 / (horizon.0 as f64 / crate::time::MS_PER_YEAR as f64)
    }

    /// This replication's data-loss events (every dataset's and queue's) per year of `horizon`
    /// (the per-replication value behind `data_loss_events_per_year`).
    pub fn data_loss_events_per_year(&self, horizon: SimTime) -> f64 {
        let events: u64 =
            self.datasets.iter().chain(self.queues.iter().map(|q| &q.data)).map(|d| d.events).sum();
        events as f64 / (horizon.0 as f64 / crate::time::MS_PER_YEAR as f64)
    }
}

/// Builds an [`Outcome`] from the engine's incidents.
struct Collector<'a> {
    injections: &'a [crate::model::Injection],
    rto_objective: Option<SimTime>,
    rpo_objective: Option<SimTime>,
    outcome: Outcome,
}

impl Observer for Collector<'_> {
    fn incident(&mut self, incident: &Incident) {
        let o = &mut self.outcome;
        let duration = incident.duration();
        if incident.planned() {
            o.planned_outages += 1;
            o.planned_ms += duration.0;
            return;
        }
        o.incidents += 1;
        let rank = (!incident.censored, duration.0);
        if o.longest.is_none_or(|best| rank > best) {
            o.longest = Some(rank);
        }
        o.during_injection |= self
            .injections
            .iter()
            .any(|j| incident.start < j.at.saturating_add(j.duration) && incident.end > j.at);
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

    fn data_loss(&mut self, loss: &DataLoss) {
        match loss.store {
            Store::Dataset(d) => self.outcome.datasets[d as usize].record(loss, self.rpo_objective),
            Store::Queue(q) => self.outcome.queues[q as usize].data.record(loss, self.rpo_objective),
        }
    }

    fn backlog(&mut self, queue: u32, age: SimTime) {
        self.outcome.queues[queue as usize].backlog.record(age.0);
    }

    fn active_time(&mut self, member: ComponentId, active: SimTime) {
        self.outcome.active_ms.push((member, active.0));
    }
}

/// Runs `replication` and folds it into an [`Outcome`].
pub fn simulate(sim: &mut Simulator<'_>, replication: u64, rto_objective: Option<SimTime>) -> Outcome {
    let arch = sim.arch();
    let mut collector = Collector {
        injections: &arch.injections,
        rto_objective,
        rpo_objective: arch.objectives.rpo,
        outcome: Outcome {
            datasets: vec![DataTotals::default(); arch.datasets.len()],
            queues: vec![QueueTotals::default(); arch.queues.len()],
            ..Outcome::default()
        },
    };
    let summary = sim.run(replication, &mut collector);
    let mut outcome = collector.outcome;
    outcome.up_ms = summary.up.0;
    outcome.events = summary.events;
    outcome.degraded_ms = summary.degraded.0;
    outcome.degraded_episodes = summary.degraded_episodes;
    outcome
}
