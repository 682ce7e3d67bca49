//! The report: every number faultline prints, before formatting.
//!
//! Field names are the JSON contract (`--format json`); units are in the names (`_h`, `_s`,
//! `_min_per_year`). Optional statistics are `None` (JSON `null`) when they do not exist: no
//! incidents means no RTO quantiles and no nines.

use std::collections::BTreeMap;

use serde::Serialize;

use super::LogHistogram;

/// Everything `run` reports.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// How the report was made.
    #[serde(flatten)]
    pub header: Header,
    /// One entry per simulated architecture, in file order.
    pub architectures: Vec<ArchitectureReport>,
}

/// How a report was made. No path, time, host or revision: reruns give the same bytes.
#[derive(Clone, Debug, Serialize)]
pub struct Header {
    /// Version of this JSON layout.
    pub schema: u32,
    /// Version of faultline that made it.
    pub faultline: &'static str,
    /// Version of the random stream derivation.
    pub stream_version: u32,
    /// The scenario simulated.
    pub scenario: ScenarioId,
    /// Master seed used.
    pub seed: u64,
    /// Replications run (with a precision: the first batch; each design's count is in its
    /// `precision`).
    pub replications: u64,
    /// The stopping rule, with a precision (no key without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionRule>,
    /// Simulated time per replication `[h]`.
    pub horizon_h: f64,
    /// Random failures on.
    pub random: bool,
    /// Command-line values that replaced the scenario's.
    pub overrides: BTreeMap<&'static str, serde_json::Value>,
}

impl Header {
    /// The header of a run of `system` (its parameters after any overrides).
    pub fn new(
        system: &crate::model::System,
        scenario: ScenarioId,
        overrides: BTreeMap<&'static str, serde_json::Value>,
    ) -> Header {
        Header {
            schema: 1,
            faultline: env!("CARGO_PKG_VERSION"),
            stream_version: crate::rng::STREAM_VERSION,
            scenario,
            seed: system.seed,
            replications: system.replications,
            precision: system.precision.map(|p| PrecisionRule {
                relative: p.relative,
                max_replications: p.max_replications,
                rule: "each design doubles its replications from `replications` until the 95% CI half-width of its unavailability is at most `relative` of it, or `max_replications`",
            }),
            horizon_h: system.horizon.0 as f64 / crate::time::MS_PER_HOUR as f64,
            random: system.random,
            overrides,
        }
    }
}

/// A run's stopping rule with a precision.
#[derive(Clone, Debug, Serialize)]
pub struct PrecisionRule {
    /// The largest 95% CI half-width wanted, relative to the unavailability.
    pub relative: f64,
    /// The most replications a design runs.
    pub max_replications: u64,
    /// The rule, in words.
    pub rule: &'static str,
}

/// Which scenario, by name and content.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioId {
    /// The scenario's `name`.
    pub name: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// The statistics of one architecture.
#[derive(Clone, Debug, Serialize)]
pub struct ArchitectureReport {
    /// Architecture name.
    pub name: String,
    /// Availability and its confidence interval.
    pub availability: AvailabilityStats,
    /// Replications in which the service was down at some point.
    pub replications_with_downtime: u64,
    /// -log10(1 - availability); `None` when there was no downtime.
    pub nines: Option<f64>,
    /// Mean downtime per year `[min/yr]`, planned included.
    pub downtime_min_per_year: f64,
    /// Planned maintenance: its downtime, outages and the availability without it.
    pub planned: Planned,
    /// Time up at reduced capacity; `None` (JSON `null`) when no group declares `full`.
    pub degraded: Option<Degraded>,
    /// With a precision asked: what was reached and when the replications stopped (no key
    /// without one, so that such a report is the same bytes as before precisions existed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionReached>,
    /// With a precision or `--method`: which method gave the availability and incident
    /// figures, and why (no key otherwise, as for `precision`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimator: Option<EstimatorReport>,
    /// Incidents per simulated year.
    pub incidents_per_year: f64,
    /// With no incident observed: the 95% upper bound 3 / (replications x years).
    pub incidents_per_year_upper95: Option<f64>,
    /// Mean up-time between incidents `[h]`.
    pub mtbi_h: Option<f64>,
    /// Incidents over all replications, censored ones included.
    pub incidents: u64,
    /// Realised RTO: incident durations.
    pub rto_s: RtoStats,
    /// Objectives and whether they were met.
    pub objectives: Objectives,
    /// Root causes by downtime, then name.
    pub problems: Vec<Problem>,
    /// Downtime by the mechanism that ended each incident, by downtime, then label.
    pub downtime_by_label: Vec<LabelTotals>,
    /// How `importance`'s Birnbaum values were computed: `exact`, or `estimate` (with standard
    /// errors) when the design is past the exact method's budget.
    pub birnbaum_method: Method,
    /// Every component that can fail or caused downtime, with its share of the downtime and
    /// its Birnbaum importance: by share, then Birnbaum importance (both descending), then
    /// name. The table shows the first ones that caused downtime.
    pub importance: Vec<Importance>,
    /// Data-loss events of every dataset together.
    #[serde(flatten)]
    pub data: DataReport,
    /// Data-loss events per dataset, in file order.
    pub datasets: Vec<DatasetReport>,
    /// Backlogs and message losses per queue between a producer and its consumers.
    pub queues: Vec<QueueReport>,
    /// Injection targets that do not exist in this architecture.
    pub injections_skipped: Vec<String>,
    /// Own failures and recoveries simulated, over all replications.
    pub events: u64,
    /// Mean cost per simulated year, in the scenario's currency (0 without costs).
    pub cost_per_year: f64,
    /// The distributions behind `rto_s` and `rpo_s`, for charts.
    pub histograms: Histograms,
}

impl ArchitectureReport {
    /// The rare-event estimate, when that method gave the availability and incident figures.
    pub fn rare(&self) -> Option<&RareReport> {
        self.estimator.as_ref()?.rare.as_ref()
    }

    /// The replications its problems, RTO and data-loss figures come from, in a run of
    /// `run_replications` (the header's): those, or with a precision the design's own, or the
    /// crude run's beside a rare-event estimate (whose precision counts cycles).
    pub fn crude_replications(&self, run_replications: u64) -> u64 {
        match (self.estimator.as_ref().and_then(|e| e.crude.as_ref()), &self.precision) {
            (Some(crude), _) => crude.replications,
            (None, Some(p)) => p.replications,
            (None, None) => run_replications,
        }
    }
}

/// The distributions behind the quantiles, as log-bucket histograms in ms (the JSON form is in
/// [`LogHistogram`]'s docs): the quantiles of `rto_s` and `rpo_s` are theirs.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Histograms {
    /// Durations of the uncensored incidents `[ms]`.
    pub rto_ms: LogHistogram,
    /// RPO of the recoverable data-loss events of every dataset and queue `[ms]`; `None`
    /// (JSON `null`) for an architecture without datasets or queues.
    pub rpo_ms: Option<LogHistogram>,
}

/// Availability: the mean over replications of up-time / horizon.
#[derive(Clone, Debug, Serialize)]
pub struct AvailabilityStats {
    /// Mean.
    pub mean: f64,
    /// 95% confidence interval (Student t across replications, clamped to [0, 1]).
    pub ci95: [f64; 2],
    /// `"student-t"`, or `"degenerate"` with fewer than 2 distinct per-replication values.
    pub ci_method: &'static str,
    /// False with fewer than 30 replications that saw any downtime, and for a degenerate CI.
    pub ci_reliable: bool,
}

/// Planned maintenance of one design. A planned outage is one a maintenance window caused with
/// no other kind of failure contributing (see `Incident::planned`): it counts in the
/// availability and the downtime, but not in the incidents, RTO, problems or labels.
#[derive(Clone, Debug, Serialize)]
pub struct Planned {
    /// Mean planned downtime per year `[min/yr]` (part of `downtime_min_per_year`).
    pub downtime_min_per_year: f64,
    /// Planned outages per simulated year.
    pub outages_per_year: f64,
    /// Planned outages over all replications.
    pub outages: u64,
    /// Availability counting unplanned downtime only (SLAs usually exclude planned
    /// maintenance); equal to `availability` without maintenance windows.
    pub availability_unplanned: AvailabilityStats,
}

/// How precise a design's answer got, with a precision asked.
#[derive(Clone, Debug, Serialize)]
pub struct PrecisionReached {
    /// The 95% CI half-width asked for, relative to the unavailability.
    pub target: f64,
    /// The half-width reached, relative; `None` when no downtime was seen (undefined).
    pub reached: Option<f64>,
    /// Replications run.
    pub replications: u64,
    /// The most it could run.
    pub max_replications: u64,
    /// `precision` (reached) or `max_replications` (stopped there short of it).
    pub stopped_by: &'static str,
}

/// Which method estimated a design's availability, downtime, nines, incidents per year and mean
/// time between incidents.
#[derive(Clone, Debug, Serialize)]
pub struct EstimatorReport {
    /// `crude` (replications over the horizon) or `rare` (importance sampling over
    /// regenerative cycles).
    pub method: &'static str,
    /// Why: as asked, or what `auto`'s pilot saw, or why `rare` does not apply.
    pub because: String,
    /// The unavailability's 95% CI half-width relative to it; `None` with no downtime seen.
    pub relative_half_width: Option<f64>,
    /// Crude: the replications; rare: Kish's effective sample size of the cycles' weighted
    /// downtime, (Σ d)² / Σ d².
    pub effective_sample_size: f64,
    /// The rare-event run, when `method` is `rare`.
    pub rare: Option<RareReport>,
    /// The crude run's own figures beside the rare ones, when `method` is `rare`.
    pub crude: Option<CrudeReport>,
}

/// A rare-event run's figures (long-run values).
#[derive(Clone, Debug, Serialize)]
pub struct RareReport {
    /// Regenerative cycles run.
    pub cycles: u64,
    /// The unavailability, as estimated (the availability is 1 minus it: near 1, a double
    /// keeps fewer of the unavailability's digits than this does).
    pub unavailability: f64,
    /// Its 95% CI, the lower end clamped at 0.
    pub unavailability_ci95: [f64; 2],
    /// Cycles in which the service went down.
    pub cycles_with_downtime: u64,
    /// The probability given to failures in a state with a repair in progress (balanced
    /// failure biasing).
    pub failure_biasing: f64,
    /// Incidents per year's 95% CI.
    pub incidents_per_year_ci95: [f64; 2],
    /// Mean incident duration `[s]`; `None` with no incident seen.
    pub mean_incident_s: Option<f64>,
    /// Its 95% CI.
    pub mean_incident_s_ci95: Option<[f64; 2]>,
    /// The report's fields that come from the crude run alone.
    pub crude_only: &'static [&'static str],
}

/// What crude sampling gave, beside a rare-event estimate.
#[derive(Clone, Debug, Serialize)]
pub struct CrudeReport {
    /// Replications run.
    pub replications: u64,
    /// Availability and its CI.
    pub availability: AvailabilityStats,
    /// Incidents per simulated year.
    pub incidents_per_year: f64,
    /// The unavailability's relative 95% CI half-width; `None` with no downtime seen.
    pub relative_half_width: Option<f64>,
}

/// Degraded capacity of one design: the service up while a group it depends on has fewer
/// than its `full` capacity up (apart from incidents, when it is down).
#[derive(Clone, Debug, Serialize)]
pub struct Degraded {
    /// Mean time degraded per year `[min/yr]`.
    pub minutes_per_year: f64,
    /// Degradation episodes per simulated year.
    pub episodes_per_year: f64,
    /// Degradation episodes over all replications.
    pub episodes: u64,
}

/// Realised RTO over uncensored incidents, nearest rank `[s]`.
#[derive(Clone, Debug, Serialize)]
pub struct RtoStats {
    /// Median.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// Longest.
    pub max: Option<f64>,
    /// Share of uncensored incidents no longer than the RTO objective.
    pub within_objective: Option<f64>,
    /// Incidents still open at the horizon, left out of the quantiles.
    pub censored: u64,
}

/// Data-loss statistics (of one dataset, or of an architecture's datasets together).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataReport {
    /// Data-loss events over all replications, unrecoverable ones included.
    pub data_loss_events: u64,
    /// Data-loss events per simulated year.
    pub data_loss_events_per_year: f64,
    /// Realised RPO of the recoverable events.
    pub rpo_s: RpoStats,
    /// Events with no surviving copy (left out of `rpo_s`).
    pub unrecoverable: Unrecoverable,
    /// What the recoverable events were recovered from.
    pub recovered_from: RecoveredFrom,
    /// Recoverable events (those in `rpo_s`).
    pub recoverable: u64,
    /// The writes the events destroyed, measured in time the dataset accepted them.
    pub lost_writes: LostWrites,
}

/// How long the dataset had accepted the writes that data-loss events destroyed, not counting
/// what an earlier loss already destroyed nor spans without writes (RPO counts both again).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LostWrites {
    /// Sum over every event, unrecoverable and censored ones included `[h]`.
    pub total_h: f64,
    /// Per simulated year `[h/yr]`.
    pub per_year_h: f64,
    /// Mean per event `[h]`; `None` without events.
    pub mean_h: Option<f64>,
    /// The most one event destroyed `[h]`; `None` without events.
    pub max_h: Option<f64>,
}

/// One dataset's data-loss statistics.
#[derive(Clone, Debug, Serialize)]
pub struct DatasetReport {
    /// Dataset name.
    pub name: String,
    /// Its statistics.
    #[serde(flatten)]
    pub data: DataReport,
}

/// A queue between a producer and its consumers (`needs: Async(..)`).
#[derive(Clone, Debug, Serialize)]
pub struct QueueReport {
    /// The queue component.
    pub name: String,
    /// The component that writes to it.
    pub producer: String,
    /// What reads it.
    pub consumers: String,
    /// How long it keeps a message `[s]`.
    pub retention_s: f64,
    /// Backlogs (outages of the consumers) over all replications.
    pub backlogs: u64,
    /// Backlogs per simulated year.
    pub backlogs_per_year: f64,
    /// Age of each backlog when the consumers were back.
    pub backlog_age_s: BacklogStats,
    /// Messages deleted past their retention: RPO = backlog age - retention.
    #[serde(flatten)]
    pub data: DataReport,
}

/// Backlog ages, nearest rank `[s]`.
#[derive(Clone, Debug, Serialize)]
pub struct BacklogStats {
    /// Median.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// Oldest.
    pub max: Option<f64>,
}

/// Realised RPO over recoverable data-loss events, nearest rank `[s]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RpoStats {
    /// Median.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// Largest.
    pub max: Option<f64>,
    /// Mean.
    pub mean: Option<f64>,
    /// Share of all data-loss events (unrecoverable ones included) within the RPO objective.
    pub within_objective: Option<f64>,
    /// Events still growing at the horizon (a queue's backlog), left out of the quantiles.
    pub censored: u64,
}

/// Data-loss events with no surviving copy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unrecoverable {
    /// How many.
    pub events: u64,
    /// Mean span of data lost (since the dataset was last created) `[h]`.
    pub lost_span_mean_h: Option<f64>,
    /// Longest span lost `[h]`.
    pub lost_span_max_h: Option<f64>,
}

/// What recoverable data-loss events were recovered from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecoveredFrom {
    /// A promoted replica.
    pub replica: u64,
    /// A restored backup.
    pub backup: u64,
    /// A standby group's failover to a member lacking the newest writes.
    pub failover: u64,
}

/// Objectives with their verdicts.
#[derive(Clone, Debug, Serialize)]
pub struct Objectives {
    /// Met iff the CI lower bound >= target.
    pub availability: ObjectiveResult,
    /// Met iff the CI lower bound of the availability over unplanned downtime >= target.
    pub availability_unplanned: ObjectiveResult,
    /// Target in seconds; met iff the pooled p95 <= target.
    pub rto: ObjectiveResult,
    /// Target in seconds; met iff the pooled p95 over every data-loss event <= target, an
    /// unrecoverable loss counting as beyond any target.
    pub rpo: ObjectiveResult,
    /// `false`: a design kept for contrast, never failing a check.
    pub gate: bool,
}

/// A target and whether it was met (`null`s without a target).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ObjectiveResult {
    /// The target.
    pub target: Option<f64>,
    /// Whether it was met.
    pub met: Option<bool>,
}

/// Downtime ended by one mechanism.
#[derive(Clone, Debug, Serialize)]
pub struct LabelTotals {
    /// `failover`, `replacement`, `repair`, `injection-end`, `dependency`, or `open at
    /// horizon` for censored incidents.
    pub label: String,
    /// Incidents it ended.
    pub incidents: u64,
    /// Their downtime `[h]`.
    pub downtime_h: f64,
}

/// How the Birnbaum importances were computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Over every state of the conditioned components: exact up to float rounding.
    Exact,
    /// Over random states of them: an estimate with a standard error.
    Estimate,
}

/// The components' importance as an [`ArchitectureReport`] lists it. The statistics do not
/// compute it: `analysis::importance::ranking` does, from a run's [`super::Aggregate`] and the
/// structure of the design.
#[derive(Clone, Debug)]
pub struct Ranking {
    /// How the Birnbaum values were computed.
    pub method: Method,
    /// By share of downtime, then Birnbaum importance (both descending), then name.
    pub components: Vec<Importance>,
}

/// How much of the service's downtime a component caused, and how critical it is.
#[derive(Clone, Debug, Serialize)]
pub struct Importance {
    /// Component name.
    pub component: String,
    /// Share of the service's downtime charged to incidents it caused, in [0, 1].
    pub downtime_share: f64,
    /// Birnbaum importance: P(service up | it is up) - P(service up | it is down), from the
    /// structure function and the components' own availabilities.
    pub birnbaum: f64,
    /// The standard error of `birnbaum` when it is an estimate; `None` when exact.
    pub birnbaum_se: Option<f64>,
}

/// One root cause.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// `<component>/<mode>`.
    pub cause: String,
    /// Incidents it caused.
    pub incidents: u64,
    /// Downtime of those incidents `[h]`.
    pub downtime_h: f64,
}
