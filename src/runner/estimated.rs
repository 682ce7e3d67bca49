//! Choosing the estimator of a design (crude, rare, or auto) and putting a rare-event
//! estimate into its report.
//!
//! - `crude` runs the replications of the plan, as without a method.
//! - `rare` runs the plan's first batch of replications (the crude figures stay beside the rare
//!   ones, and everything rare sampling does not estimate comes from them), then the
//!   rare-event cycles (`rare`) to the precision asked, or [`DEFAULT_TARGET`] without one,
//!   within `--max-replications` cycles (at least `rare::FIRST`: fewer would be no estimate). A design the method does not apply to is run crude
//!   on the whole plan, and the report says why.
//! - `auto` (the default with a precision) runs the crude plan's first batch as a pilot. If
//!   that batch predicts that crude would need more than the most replications to reach the
//!   precision, n (h / P)² for n replications at relative half-width h (no downtime seen:
//!   beyond any count), and the design qualifies, it goes rare; otherwise crude carries on.
//!   `--method auto` without a precision gets one of [`DEFAULT_TARGET`] (`cli::options`).
//!
//! With rare, these report fields carry the rare estimate: `availability` (its CI from the
//! delta method, `ci_method` `regenerative`), `nines`, `downtime_min_per_year`,
//! `planned.availability_unplanned` (a design with maintenance windows never qualifies),
//! `incidents_per_year` (and no upper bound), `mtbi_h`, the availability objectives, and
//! `precision` (counting cycles). The rest — RTO quantiles, problems, labels, importance
//! shares, data loss, cost, degraded time, the incident count — comes from the crude run and
//! is listed in `estimator.rare.crude_only`. RTO quantiles are not taken from the cycles: with
//! expected holding times a cycle gives a mean, not the distribution of incident durations.

use crate::metrics::{
    Aggregate, ArchitectureReport, AvailabilityStats, CrudeReport, EstimatorReport,
    MIN_REPLICATIONS_WITH_DOWNTIME, Outcome, PrecisionReached, RareReport,
};
use crate::model::{Architecture, Estimator, Precision, System};
use crate::rare::{self, Chain, RareEstimate};
use crate::time::{MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR};

use super::{Plan, RunParams, run_plan};

/// The relative precision `rare` and `auto` aim at without `--precision`.
pub const DEFAULT_TARGET: f64 = 0.05;

/// The report fields a rare-event run leaves to the crude run.
const CRUDE_ONLY: &[&str] = &[
    "replications_with_downtime",
    "incidents",
    "rto_s",
    "problems",
    "downtime_by_label",
    "importance",
    "data_loss_events",
    "data_loss_events_per_year",
    "rpo_s",
    "unrecoverable",
    "recovered_from",
    "recoverable",
    "lost_writes",
    "datasets",
    "queues",
    "degraded",
    "cost_per_year",
    "planned.downtime_min_per_year",
    "planned.outages",
    "events",
];

/// A design's run: the crude aggregate and, with a method or a precision, what was chosen.
pub struct Estimated {
    /// The crude run.
    pub aggregate: Aggregate,
    /// `None` for a plain crude run (no method, no precision): its report has no `estimator`.
    pub choice: Option<Choice>,
}

/// The estimator used for a design, and why.
pub struct Choice {
    /// Why this method.
    pub because: String,
    /// The rare-event run, when it was the method.
    pub rare: Option<RareEstimate>,
}

/// Runs `arch` as `system` asks: its plan, with the estimator of `system` (see the module
/// docs). `progress` and `each` see the crude replications.
pub fn estimate(
    arch: &Architecture,
    system: &System,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
    each: &mut dyn FnMut(u64, &Outcome),
) -> Estimated {
    let params = RunParams::of(system);
    let plan = Plan::of(system);
    let estimator = Estimator::of(system);
    let target = system.precision.map_or(DEFAULT_TARGET, |p| p.relative);
    // The most crude replications, which auto's pilot weighs its prediction against; the rare
    // method runs at least its first batch of cycles whatever that is.
    let max = system
        .precision
        .map_or(system.max_replications.unwrap_or(Precision::DEFAULT_MAX), |p| p.max_replications);
    let max_cycles = max.max(rare::FIRST);
    let crude = |stop: &mut dyn FnMut(&Aggregate) -> bool, each: &mut dyn FnMut(u64, &Outcome)| {
        run_plan(arch, params, plan, pool, progress, each, stop)
    };
    let rare_run = |chain: &Chain| rare::estimate(chain, system.seed, &arch.name, target, max_cycles, pool);
    match estimator {
        Estimator::Crude => {
            let aggregate = crude(&mut |_| false, each);
            let choice = system.estimator.map(|_| Choice { because: "--method crude".into(), rare: None });
            Estimated { aggregate, choice }
        }
        Estimator::Rare => {
            let chain = Chain::new(arch, system.random);
            // The crude run is the plan's first batch: the rare estimate is the answer, the
            // crude figures stand beside it and give what it does not estimate.
            let aggregate = crude(&mut |_| chain.is_ok(), each);
            let choice = match chain {
                Ok(chain) => Choice { because: "--method rare".into(), rare: Some(rare_run(&chain)) },
                Err(why) => Choice {
                    because: format!(
                        "--method rare was asked, but the rare-event method does not apply: {why}"
                    ),
                    rare: None,
                },
            };
            Estimated { aggregate, choice: Some(choice) }
        }
        Estimator::Auto => {
            let chain = Chain::new(arch, system.random);
            let mut because = String::new();
            let mut go_rare = false;
            let aggregate = crude(
                &mut |pilot| {
                    let n = pilot.replications();
                    let predicted = pilot
                        .relative_half_width(params.horizon)
                        .map(|h| n as f64 * (h / target) * (h / target));
                    let pilot = format!("a crude pilot of {n} replications");
                    let too_many = predicted.is_none_or(|p| p > max as f64);
                    let seen = match predicted {
                        Some(p) => {
                            let than = if too_many { "more than" } else { "within" };
                            format!(
                                "{pilot} predicts {p:.3e} replications for ±{}, {than} the most ({max})",
                                percent(target)
                            )
                        }
                        None => format!("{pilot} saw no downtime"),
                    };
                    because = match (&chain, too_many) {
                        (Err(why), true) => {
                            format!("auto: {seen}, and the rare-event method does not apply: {why}")
                        }
                        _ => format!("auto: {seen}"),
                    };
                    go_rare = too_many && chain.is_ok();
                    go_rare
                },
                each,
            );
            let rare = match (&chain, go_rare) {
                (Ok(chain), true) => Some(rare_run(chain)),
                _ => None,
            };
            Estimated { aggregate, choice: Some(Choice { because, rare }) }
        }
    }
}

/// The report of `arch` from `run`: the crude statistics, with the rare estimate put in (see
/// the module docs) and the `estimator` block when a method was chosen.
pub fn report_estimated(arch: &Architecture, run: &Estimated, system: &System) -> ArchitectureReport {
    let mut report = super::report(arch, &run.aggregate, system.horizon);
    let Some(choice) = &run.choice else { return report };
    let crude_half_width = run.aggregate.relative_half_width(system.horizon);
    let Some(rare) = &choice.rare else {
        report.estimator = Some(EstimatorReport {
            method: "crude",
            because: choice.because.clone(),
            relative_half_width: crude_half_width,
            effective_sample_size: run.aggregate.replications() as f64,
            rare: None,
            crude: None,
        });
        return report;
    };
    let m = &rare.moments;
    let u = m.unavailability();
    let [u_low, u_high] = u.ci95();
    let per_year = m.incident_rate().scaled(MS_PER_YEAR as f64);
    let availability = AvailabilityStats {
        mean: 1.0 - u.value,
        ci95: [(1.0 - u_high).max(0.0), 1.0 - u_low],
        ci_method: if m.n < 2 || u.value == 0.0 { "degenerate" } else { "regenerative" },
        // As crude sampling asks 30 replications with downtime: 30 cycles with downtime, worth
        // 30 equally weighted observations.
        ci_reliable: m.with_downtime >= MIN_REPLICATIONS_WITH_DOWNTIME
            && m.effective_sample_size() >= MIN_REPLICATIONS_WITH_DOWNTIME as f64,
    };
    let crude = CrudeReport {
        replications: run.aggregate.replications(),
        availability: report.availability.clone(),
        incidents_per_year: report.incidents_per_year,
        relative_half_width: crude_half_width,
    };
    let met = |target: Option<f64>| target.map(|t| availability.ci95[0] >= t);
    report.objectives.availability.met = met(arch.objectives.availability);
    report.objectives.availability_unplanned.met = met(arch.objectives.availability_unplanned);
    report.nines = (u.value > 0.0).then(|| -libm::log10(u.value));
    report.downtime_min_per_year = u.value * MS_PER_YEAR as f64 / MS_PER_MINUTE as f64;
    report.planned.availability_unplanned = availability.clone();
    report.availability = availability;
    report.incidents_per_year = per_year.value;
    report.incidents_per_year_upper95 = None;
    report.mtbi_h = (per_year.value > 0.0)
        .then(|| (1.0 - u.value) * MS_PER_YEAR as f64 / MS_PER_HOUR as f64 / per_year.value);
    report.precision = Some(PrecisionReached {
        target: rare.target,
        reached: u.relative(),
        replications: m.n,
        max_replications: rare.max_cycles,
        stopped_by: if rare.reached() { "precision" } else { "max_replications" },
    });
    let mean_incident = m.mean_incident().map(|r| r.scaled(1e-3));
    report.estimator = Some(EstimatorReport {
        method: "rare",
        because: choice.because.clone(),
        relative_half_width: u.relative(),
        effective_sample_size: m.effective_sample_size(),
        rare: Some(RareReport {
            cycles: m.n,
            unavailability: u.value,
            unavailability_ci95: [u_low, u_high],
            cycles_with_downtime: m.with_downtime,
            failure_biasing: rare::BIAS,
            incidents_per_year_ci95: per_year.ci95(),
            mean_incident_s: mean_incident.map(|r| r.value),
            mean_incident_s_ci95: mean_incident.map(|r| r.ci95()),
            crude_only: CRUDE_ONLY,
        }),
        crude: Some(crude),
    });
    report
}

/// `5%`, `0.5%`: four decimals at most, trailing zeros dropped.
fn percent(relative: f64) -> String {
    let text = format!("{:.4}", relative * 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}
