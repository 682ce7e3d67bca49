//! Folding outcomes in replication order, then the statistics of DESIGN.md "Statistics".

use std::collections::BTreeMap;

use crate::engine::{Cause, Label};
use crate::model::{Architecture, ComponentId};
use crate::time::{MS_PER_HOUR, MS_PER_YEAR, SimTime};

use super::outcome::{DataTotals, LABEL_SLOTS, Outcome, ProblemTotals, QueueTotals};
use super::report::{
    ArchitectureReport, AvailabilityStats, BacklogStats, DataReport, DatasetReport, Degraded, Histograms,
    LabelTotals, LostWrites, ObjectiveResult, Objectives, Planned, PrecisionReached, Problem, QueueReport,
    Ranking, RecoveredFrom, RpoStats, RtoStats, Unrecoverable,
};
use super::{LogHistogram, Wide, student_t::t_quantile};

/// Replications with downtime below which the availability CI is flagged unreliable.
pub const MIN_REPLICATIONS_WITH_DOWNTIME: u64 = 30;

/// Running totals of one architecture, every one an exact integer (the availability's variance
/// from exact sums of squares), so the totals of consecutive runs of replications merge
/// ([`Aggregate::merge`]) into exactly those of one run.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// The number of the first replication folded (0 but in a shard).
    first: u64,
    replications: u64,
    /// Availability over all downtime.
    all: Fold,
    /// Availability over unplanned downtime (planned outages counted as up).
    unplanned: Fold,
    planned_ms: u128,
    planned_outages: u64,
    degraded_ms: u128,
    degraded_episodes: u64,
    events: u64,
    incidents: u64,
    censored: u64,
    censored_max_ms: u64,
    rto: LogHistogram,
    within_rto: u64,
    #[serde(with = "pairs")]
    problems: BTreeMap<Cause, ProblemTotals>,
    labels: [ProblemTotals; LABEL_SLOTS],
    datasets: Vec<DataTotals>,
    queues: Vec<QueueTotals>,
    longest: Option<(u64, (bool, u64))>,
    injection_in_first: bool,
    /// Each standby member's time active `[ms]`, over the folded replications.
    active_ms: Vec<(ComponentId, u128)>,
    /// The precision asked and the most replications allowed, when the run had a precision.
    precision: Option<(f64, u64)>,
}

/// Where the incidents a timeline may show are, found in the run's pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Incidents {
    /// Replications run.
    pub replications: u64,
    /// The replication of the longest incident of the run: an ended incident beats a censored
    /// one, then the longer, then the earlier replication; `None` without incidents.
    pub longest: Option<u64>,
    /// An incident of replication 0 overlapped a scripted injection.
    pub injection_in_first: bool,
}

impl Aggregate {
    /// An empty aggregate whose first replication will be number `first` (a shard's).
    pub fn starting_at(first: u64) -> Aggregate {
        Aggregate { first, ..Aggregate::default() }
    }

    /// Adds the next replication's outcome (call in replication order).
    pub fn add(&mut self, o: &Outcome, horizon: SimTime) {
        let number = self.first + self.replications;
        if let Some(rank) = o.longest
            && self.longest.is_none_or(|(_, best)| rank > best)
        {
            self.longest = Some((number, rank));
        }
        if number == 0 {
            self.injection_in_first = o.during_injection;
        }
        self.replications += 1;
        self.all.add(o.up_ms, horizon);
        self.unplanned.add(o.up_ms + o.planned_ms, horizon);
        self.planned_ms += u128::from(o.planned_ms);
        self.planned_outages += o.planned_outages;
        self.degraded_ms += u128::from(o.degraded_ms);
        self.degraded_episodes += o.degraded_episodes;
        self.events += o.events;
        self.incidents += o.incidents;
        self.censored += o.censored;
        self.censored_max_ms = self.censored_max_ms.max(o.censored_max_ms);
        self.rto.merge(&o.rto);
        self.within_rto += o.within_rto;
        self.add_breakdowns(&o.problems, &o.labels, &o.datasets, &o.queues);
        if self.active_ms.is_empty() {
            self.active_ms = o.active_ms.iter().map(|&(m, _)| (m, 0)).collect();
        }
        for ((member, total), &(m, ms)) in self.active_ms.iter_mut().zip(&o.active_ms) {
            debug_assert_eq!(*member, m, "the same members in every replication");
            *total += u128::from(ms);
        }
    }

    /// Adds the totals by problem, by label, by dataset and by queue of a replication or of a
    /// later run.
    fn add_breakdowns(
        &mut self,
        problems: &BTreeMap<Cause, ProblemTotals>,
        labels: &[ProblemTotals; LABEL_SLOTS],
        datasets: &[DataTotals],
        queues: &[QueueTotals],
    ) {
        for (cause, p) in problems {
            self.problems.entry(*cause).or_default().merge(p);
        }
        for (t, p) in self.labels.iter_mut().zip(labels) {
            t.merge(p);
        }
        merge_padded(&mut self.datasets, datasets, DataTotals::merge);
        merge_padded(&mut self.queues, queues, QueueTotals::merge);
    }

    /// Replications folded so far.
    pub fn replications(&self) -> u64 {
        self.replications
    }

    /// The number of the first replication folded.
    pub fn first(&self) -> u64 {
        self.first
    }

    /// Adds the totals of `later`, which folded the replications that come right after these
    /// (`later.first() == self.first() + self.replications()`): the result is the aggregate of
    /// one run over both, to the bit, as every total is an exact integer.
    pub fn merge(&mut self, later: &Aggregate) {
        debug_assert_eq!(later.first, self.first + self.replications, "consecutive runs");
        if let Some((r, rank)) = later.longest
            && self.longest.is_none_or(|(_, best)| rank > best)
        {
            self.longest = Some((r, rank));
        }
        self.injection_in_first |= later.injection_in_first;
        self.replications += later.replications;
        self.all.merge(&later.all);
        self.unplanned.merge(&later.unplanned);
        self.planned_ms += later.planned_ms;
        self.planned_outages += later.planned_outages;
        self.degraded_ms += later.degraded_ms;
        self.degraded_episodes += later.degraded_episodes;
        self.events += later.events;
        self.incidents += later.incidents;
        self.censored += later.censored;
        self.censored_max_ms = self.censored_max_ms.max(later.censored_max_ms);
        self.rto.merge(&later.rto);
        self.within_rto += later.within_rto;
        self.add_breakdowns(&later.problems, &later.labels, &later.datasets, &later.queues);
        if self.active_ms.is_empty() {
            self.active_ms = later.active_ms.iter().map(|&(m, _)| (m, 0)).collect();
        }
        for ((_, total), &(_, ms)) in self.active_ms.iter_mut().zip(&later.active_ms) {
            *total += ms;
        }
    }

    /// The 95% CI half-width of the unavailability over the folded replications, relative to
    /// the unavailability (Student t, not clamped to [0, 1]); `None` with fewer than two
    /// replications or no downtime at all (a relative precision is then undefined).
    pub fn relative_half_width(&self, horizon: SimTime) -> Option<f64> {
        let n = self.replications;
        let unavailability = 1.0 - self.all.stats(horizon, n).mean;
        if n < 2 || unavailability <= 0.0 {
            return None;
        }
        let sd = libm::sqrt(self.all.variance(horizon, n));
        Some(t_quantile(0.975, (n - 1) as f64) * sd / libm::sqrt(n as f64) / unavailability)
    }

    /// Records that the run aimed at `relative` precision with at most `max` replications
    /// (reported with what it reached).
    pub fn set_precision(&mut self, relative: f64, max: u64) {
        self.precision = Some((relative, max));
    }

    /// Where the incidents a timeline may show are.
    pub fn incidents(&self) -> Incidents {
        Incidents {
            replications: self.replications,
            longest: self.longest.map(|(r, _)| r),
            injection_in_first: self.injection_in_first,
        }
    }

    /// The statistics of `arch` over the folded replications, with the components' `importance`
    /// (computed outside the statistics, see [`Ranking`]).
    pub fn report(&self, arch: &Architecture, horizon: SimTime, importance: Ranking) -> ArchitectureReport {
        // Every dataset's and queue's data-loss events together.
        let mut data = DataTotals::default();
        for d in self.datasets.iter().chain(self.queues.iter().map(|q| &q.data)) {
            data.merge(d);
        }
        let n = self.replications;
        let total_ms = u128::from(horizon.0) * u128::from(n);
        let years = horizon.0 as f64 * n as f64 / MS_PER_YEAR as f64;
        let availability = self.all.stats(horizon, n);
        let availability_unplanned = self.unplanned.stats(horizon, n);
        let (mean, lo) = (availability.mean, availability.ci95[0]);
        let down_total_ms = total_ms - self.all.up_ms;
        let per_year = |x: f64| if years > 0.0 { x / years } else { 0.0 };
        let uncensored = self.incidents - self.censored;
        let rto_s = |q: f64| self.rto.quantile(q).map(|ms| ms / 1000.0);
        let rto = RtoStats {
            p50: rto_s(0.50),
            p95: rto_s(0.95),
            p99: rto_s(0.99),
            max: self.rto.max().map(|ms| ms as f64 / 1000.0),
            within_objective: (arch.objectives.rto.is_some() && uncensored > 0)
                .then(|| self.within_rto as f64 / uncensored as f64),
            censored: self.censored,
        };
        let objectives = Objectives {
            availability: ObjectiveResult {
                target: arch.objectives.availability,
                met: arch.objectives.availability.map(|t| lo >= t),
            },
            availability_unplanned: ObjectiveResult {
                target: arch.objectives.availability_unplanned,
                met: arch.objectives.availability_unplanned.map(|t| availability_unplanned.ci95[0] >= t),
            },
            rpo: ObjectiveResult {
                target: arch.objectives.rpo.map(|t| t.0 as f64 / 1000.0),
                // Without datasets or queues there is nothing to measure: not met, not missed.
                met: arch
                    .objectives
                    .rpo
                    .filter(|_| !arch.datasets.is_empty() || !arch.queues.is_empty())
                    .map(|t| rpo_met(&data, t)),
            },
            rto: ObjectiveResult {
                target: arch.objectives.rto.map(|t| t.0 as f64 / 1000.0),
                // With no completed incident, an open one already longer than the target is a
                // known miss.
                met: arch.objectives.rto.map(|t| match rto.p95 {
                    Some(p95) => p95 <= t.0 as f64 / 1000.0,
                    None => self.censored_max_ms <= t.0,
                }),
            },
            gate: arch.objectives.gate,
        };
        let mut problems: Vec<Problem> = self
            .problems
            .iter()
            .map(|(cause, t)| Problem {
                cause: format!(
                    "{}/{}",
                    arch.components[cause.component.index()].name,
                    arch.components[cause.component.index()].mode_name(cause.mode)
                ),
                incidents: t.incidents,
                downtime_h: t.downtime_ms as f64 / MS_PER_HOUR as f64,
            })
            .collect();
        problems.sort_by(|a, b| b.downtime_h.total_cmp(&a.downtime_h).then_with(|| a.cause.cmp(&b.cause)));
        let slots = Label::ALL.iter().map(|&l| Some(l)).chain([None]);
        let mut downtime_by_label: Vec<Problem> = slots
            .zip(&self.labels)
            .filter(|(_, t)| t.incidents > 0)
            .map(|(label, t)| Problem {
                cause: Label::name_or_open(label).to_string(),
                incidents: t.incidents,
                downtime_h: t.downtime_ms as f64 / MS_PER_HOUR as f64,
            })
            .collect();
        downtime_by_label
            .sort_by(|a, b| b.downtime_h.total_cmp(&a.downtime_h).then_with(|| a.cause.cmp(&b.cause)));
        let downtime_by_label = downtime_by_label
            .into_iter()
            .map(|p| LabelTotals { label: p.cause, incidents: p.incidents, downtime_h: p.downtime_h })
            .collect();
        ArchitectureReport {
            name: arch.name.clone(),
            availability,
            replications_with_downtime: self.all.with_downtime,
            nines: (mean < 1.0).then(|| -libm::log10(1.0 - mean)),
            downtime_min_per_year: if years > 0.0 { down_total_ms as f64 / 60_000.0 / years } else { 0.0 },
            planned: Planned {
                downtime_min_per_year: per_year(self.planned_ms as f64 / 60_000.0),
                outages_per_year: per_year(self.planned_outages as f64),
                outages: self.planned_outages,
                availability_unplanned,
            },
            precision: self.precision.map(|(target, max_replications)| {
                let reached = self.relative_half_width(horizon);
                PrecisionReached {
                    target,
                    reached,
                    replications: n,
                    max_replications,
                    stopped_by: if reached.is_some_and(|h| h <= target) {
                        "precision"
                    } else {
                        "max_replications"
                    },
                }
            }),
            estimator: None,
            degraded: arch.components.iter().any(|c| c.full.is_some()).then(|| Degraded {
                minutes_per_year: per_year(self.degraded_ms as f64 / 60_000.0),
                episodes_per_year: per_year(self.degraded_episodes as f64),
                episodes: self.degraded_episodes,
            }),
            incidents_per_year: if years > 0.0 { self.incidents as f64 / years } else { 0.0 },
            incidents_per_year_upper95: (self.incidents == 0 && years > 0.0).then(|| 3.0 / years),
            mtbi_h: (self.incidents > 0)
                .then(|| self.all.up_ms as f64 / MS_PER_HOUR as f64 / self.incidents as f64),
            incidents: self.incidents,
            rto_s: rto,
            objectives,
            problems,
            downtime_by_label,
            birnbaum_method: importance.method,
            importance: importance.components,
            data: data_report(&data, arch.objectives.rpo, years),
            datasets: arch
                .datasets
                .iter()
                .enumerate()
                .map(|(d, ds)| DatasetReport {
                    name: ds.name.clone(),
                    data: data_report(
                        self.datasets.get(d).unwrap_or(&DataTotals::default()),
                        arch.objectives.rpo,
                        years,
                    ),
                })
                .collect(),
            queues: arch
                .queues
                .iter()
                .enumerate()
                .map(|(q, link)| {
                    let empty = QueueTotals::default();
                    let totals = self.queues.get(q).unwrap_or(&empty);
                    let s = |ms: Option<f64>| ms.map(|ms| ms / 1000.0);
                    let name = |c: crate::model::ComponentId| arch.components[c.index()].name.clone();
                    QueueReport {
                        name: name(link.queue),
                        producer: name(link.producer),
                        consumers: name(link.consumers),
                        retention_s: link.retention.0 as f64 / 1000.0,
                        backlogs: totals.backlog.count(),
                        backlogs_per_year: if years > 0.0 {
                            totals.backlog.count() as f64 / years
                        } else {
                            0.0
                        },
                        backlog_age_s: BacklogStats {
                            p50: s(totals.backlog.quantile(0.50)),
                            p95: s(totals.backlog.quantile(0.95)),
                            max: s(totals.backlog.max().map(|ms| ms as f64)),
                        },
                        data: data_report(&totals.data, arch.objectives.rpo, years),
                    }
                })
                .collect(),
            injections_skipped: arch.injections_skipped.clone(),
            events: self.events,
            cost_per_year: super::cost::cost_per_year(arch, &self.active_ms, horizon, n),
            histograms: Histograms {
                rto_ms: self.rto.clone(),
                rpo_ms: (!arch.datasets.is_empty() || !arch.queues.is_empty()).then(|| data.rpo.clone()),
            },
        }
    }
}

impl Aggregate {
    /// The downtime `[ms]` charged to each of `arch`'s components (incidents its own failures
    /// caused, in any mode), by component index.
    pub fn downtime_by_component(&self, arch: &Architecture) -> Vec<u64> {
        let mut downtime = vec![0u64; arch.components.len()];
        for (cause, t) in &self.problems {
            downtime[cause.component.index()] += t.downtime_ms;
        }
        downtime
    }

    /// The service's downtime `[ms]` over the folded replications of `horizon` each.
    pub fn downtime_ms(&self, horizon: SimTime) -> u128 {
        u128::from(horizon.0) * u128::from(self.replications) - self.all.up_ms
    }

    /// The same without the planned outages: the downtime the problems add up to.
    pub fn unplanned_downtime_ms(&self, horizon: SimTime) -> u128 {
        self.downtime_ms(horizon) - self.planned_ms
    }
}

/// The running availability of one kind of up-time: its total, and the exact sums of the
/// per-replication downtimes and their squares. Integer sums are the same whatever order the
/// replications are added or merged in, so a run split into shards merges to the same bits.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Fold {
    up_ms: u128,
    /// Σ (horizon - up)² over the replications `[ms²]`.
    down_sq: Wide,
    min_up_ms: Option<u64>,
    max_up_ms: u64,
    with_downtime: u64,
}

impl Fold {
    /// Adds a replication up for `up_ms` of `horizon`.
    fn add(&mut self, up_ms: u64, horizon: SimTime) {
        self.up_ms += u128::from(up_ms);
        self.down_sq.add(Wide::square(u128::from(horizon.0 - up_ms)));
        self.min_up_ms = Some(self.min_up_ms.map_or(up_ms, |m| m.min(up_ms)));
        self.max_up_ms = self.max_up_ms.max(up_ms);
        self.with_downtime += u64::from(up_ms < horizon.0);
    }

    /// Adds the replications folded in `other`.
    fn merge(&mut self, other: &Fold) {
        self.up_ms += other.up_ms;
        self.down_sq.add(other.down_sq);
        self.min_up_ms = match (self.min_up_ms, other.min_up_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max_up_ms = self.max_up_ms.max(other.max_up_ms);
        self.with_downtime += other.with_downtime;
    }

    /// The sample variance of the per-replication availability over `n` replications of
    /// `horizon`: (n Σd² - (Σd)²) / (n (n - 1) horizon²) with d the downtime, the numerator
    /// exact.
    fn variance(&self, horizon: SimTime, n: u64) -> f64 {
        let down = u128::from(horizon.0) * u128::from(n) - self.up_ms;
        let numerator = self.down_sq.times(n).minus(Wide::square(down)).expect("n Σd² >= (Σd)²");
        let h = horizon.0 as f64;
        numerator.to_f64() / (n as f64 * (n - 1) as f64) / (h * h)
    }

    /// The mean over `n` replications of `horizon` and its Student-t 95% CI.
    fn stats(&self, horizon: SimTime, n: u64) -> AvailabilityStats {
        let total_ms = u128::from(horizon.0) * u128::from(n);
        let mean = if total_ms == 0 { 1.0 } else { self.up_ms as f64 / total_ms as f64 };
        let degenerate = n < 2 || self.min_up_ms == Some(self.max_up_ms);
        let (lo, hi) = if degenerate {
            (mean, mean)
        } else {
            let sd = libm::sqrt(self.variance(horizon, n));
            let half = t_quantile(0.975, (n - 1) as f64) * sd / libm::sqrt(n as f64);
            ((mean - half).max(0.0), (mean + half).min(1.0))
        };
        AvailabilityStats {
            mean,
            ci95: [lo, hi],
            ci_method: if degenerate { "degenerate" } else { "student-t" },
            ci_reliable: !degenerate && self.with_downtime >= MIN_REPLICATIONS_WITH_DOWNTIME,
        }
    }
}

/// An RPO objective is met iff the pooled nearest-rank p95 over every data-loss event not
/// censored is within it, an unrecoverable event counting as beyond any target (no such
/// event: met).
fn rpo_met(data: &DataTotals, target: SimTime) -> bool {
    // Censored events (still growing at the horizon) are left out, as for RTO.
    let pooled = data.events - data.censored;
    if pooled == 0 {
        return true;
    }
    let rank = (libm::ceil(0.95 * pooled as f64) as u64).clamp(1, pooled);
    data.rpo.at_rank(rank).is_some_and(|ms| ms <= target.0 as f64)
}

/// The data-loss statistics of `data` over `years` simulated years.
fn data_report(data: &DataTotals, rpo_objective: Option<SimTime>, years: f64) -> DataReport {
    let s = |ms: Option<f64>| ms.map(|ms| ms / 1000.0);
    let recoverable = data.rpo.count();
    DataReport {
        data_loss_events: data.events,
        data_loss_events_per_year: if years > 0.0 { data.events as f64 / years } else { 0.0 },
        rpo_s: RpoStats {
            p50: s(data.rpo.quantile(0.50)),
            p95: s(data.rpo.quantile(0.95)),
            p99: s(data.rpo.quantile(0.99)),
            max: s(data.rpo.max().map(|ms| ms as f64)),
            mean: s(data.rpo.mean()),
            // Censored events are left out, as from the quantiles and the verdict.
            within_objective: (rpo_objective.is_some() && data.events > data.censored)
                .then(|| data.within_rpo as f64 / (data.events - data.censored) as f64),
            censored: data.censored,
        },
        unrecoverable: Unrecoverable {
            events: data.unrecoverable,
            lost_span_mean_h: (data.unrecoverable > 0)
                .then(|| data.lost_span_ms as f64 / data.unrecoverable as f64 / MS_PER_HOUR as f64),
            lost_span_max_h: (data.unrecoverable > 0)
                .then(|| data.lost_span_max_ms as f64 / MS_PER_HOUR as f64),
        },
        recovered_from: RecoveredFrom {
            replica: data.from_replica,
            backup: data.from_backup,
            failover: data.from_failover,
        },
        recoverable,
        lost_writes: LostWrites {
            total_h: data.lost_writes_ms as f64 / MS_PER_HOUR as f64,
            per_year_h: if years > 0.0 {
                data.lost_writes_ms as f64 / MS_PER_HOUR as f64 / years
            } else {
                0.0
            },
            mean_h: (data.events > 0)
                .then(|| data.lost_writes_ms as f64 / data.events as f64 / MS_PER_HOUR as f64),
            max_h: (data.events > 0).then(|| data.lost_writes_max_ms as f64 / MS_PER_HOUR as f64),
        },
    }
}

/// Merges `from` into `into` element by element, `into` first padded to `from`'s length.
fn merge_padded<T: Clone + Default>(into: &mut Vec<T>, from: &[T], merge: impl Fn(&mut T, &T)) {
    if into.len() < from.len() {
        into.resize(from.len(), T::default());
    }
    for (t, f) in into.iter_mut().zip(from) {
        merge(t, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Cause, Mode};
    use crate::metrics::{Method, Outcome};
    use crate::model::{ComponentId, compile_str};

    /// The variance from exact sums against a two-pass floating-point one, on downtimes whose
    /// squares summed n times pass 2^128 (what `Wide` is for): a 2^62 ms horizon, downtimes up
    /// to half of it.
    #[test]
    fn the_exact_variance_matches_a_two_pass_one_past_two_to_the_128() {
        let horizon = SimTime(1 << 62);
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let ups: Vec<u64> = (0..40)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                horizon.0 - (x >> 3) % (horizon.0 / 2)
            })
            .collect();
        let mut fold = Fold::default();
        for &up in &ups {
            fold.add(up, horizon);
        }
        let n = ups.len() as u64;
        let down: u128 = ups.iter().map(|&u| u128::from(horizon.0 - u)).sum();
        assert!(down.checked_mul(down).is_none(), "(Σd)² passes 2^128");
        let a: Vec<f64> = ups.iter().map(|&u| u as f64 / horizon.0 as f64).collect();
        let mean = a.iter().sum::<f64>() / n as f64;
        let two_pass = a.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
        let exact = fold.variance(horizon, n);
        assert!((exact / two_pass - 1.0).abs() < 1e-12, "{exact:e} against {two_pass:e}");
    }

    /// Two replications of 1000 h, one with a single 10 h incident, one with none: every
    /// reported number by hand.
    #[test]
    fn report_numbers_by_hand() {
        let system = compile_str(
            r#"(name: "h", horizon: "1000h", architectures: [(name: "a", service: "s",
                objectives: (availability: 0.9, rto: "12h"),
                components: [(name: "s", kind: Instance, fail: Never)])])"#,
        )
        .unwrap()
        .system;
        let (arch, horizon) = (&system.architectures[0], system.horizon);
        let hour = MS_PER_HOUR;
        let mut one = Outcome { up_ms: 990 * hour, events: 2, incidents: 1, ..Outcome::default() };
        one.rto.record(10 * hour);
        one.within_rto = 1;
        let cause = Cause { component: ComponentId(0), mode: Mode::Failure };
        one.problems.insert(cause, ProblemTotals { incidents: 1, downtime_ms: 10 * hour });
        let two = Outcome { up_ms: 1000 * hour, ..Outcome::default() };
        let mut aggregate = Aggregate::default();
        aggregate.add(&one, horizon);
        aggregate.add(&two, horizon);
        let r = aggregate.report(arch, horizon, Ranking { method: Method::Exact, components: Vec::new() });
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        assert!(close(r.availability.mean, 0.995));
        // sd of (0.99, 1.0) is 0.01/√2; half-width t(0.975, 1) · sd / √2 = 12.7062047362 · 0.005
        assert!(
            close(r.availability.ci95[0], 0.995 - 12.706_204_736_174_694 * 0.005),
            "{:?}",
            r.availability.ci95
        );
        assert_eq!(r.availability.ci95[1], 1.0, "clamped");
        assert!(close(r.nines.unwrap(), 2.301_029_995_663_981));
        let years = 2000.0 / 8760.0;
        assert!(close(r.downtime_min_per_year, 600.0 / years));
        assert!(close(r.incidents_per_year, 1.0 / years));
        assert_eq!(r.incidents_per_year_upper95, None);
        assert!(close(r.mtbi_h.unwrap(), 1990.0));
        assert_eq!((r.rto_s.p50, r.rto_s.max), (Some(36_000.0), Some(36_000.0)));
        assert_eq!((r.rto_s.within_objective, r.rto_s.censored), (Some(1.0), 0));
        assert_eq!((r.objectives.availability.met, r.objectives.rto.met), (Some(true), Some(true)));
        assert_eq!((r.problems[0].cause.as_str(), r.problems[0].downtime_h), ("s/failure", 10.0));
        assert_eq!(r.events, 2);
    }
}

/// A map with struct keys as a list of (key, value) pairs, for JSON.
mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(deserializer)?.into_iter().collect())
    }
}
