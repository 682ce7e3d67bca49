//! Runs replications on rayon and folds their outcomes strictly in replication order.
//!
//! Replications are processed in chunks of [`CHUNK`]. The workers of the thread pool take a
//! chunk's replications one at a time, each on its own [`Simulator`] (the same one for the
//! whole run), so one long replication holds up no others; the outcomes come back as a vector
//! in replication order, which is folded sequentially into the [`Aggregate`]. A replication's
//! outcome depends on its number only, not on the simulator that ran it. So the
//! floating-point fold never depends on scheduling — output is byte-identical for any
//! `--threads` — and memory holds one chunk of outcomes at a time, whatever the replication
//! count or horizon.
//!
//! With a precision ([`Plan::Precise`]), a design runs its first batch, then doubles its
//! replications (2n, 4n, ..., up to the maximum) until the 95% CI half-width of its
//! unavailability is at most the precision asked, relative to the estimate. The rule is only
//! looked at on those fixed boundaries, on the aggregate folded in replication order, so where a
//! design stops never depends on the threads or the machine. Replication r is the same
//! replication whatever the plan (common random numbers hold across designs). [`Plan::Range`]
//! runs replications `start..end` only: a shard (`shard`), whose aggregate merges with the
//! others' into the whole run's.
//!
//! `estimated.rs` chooses the estimator of a design (`--method`): the plan above (crude), or
//! its first batch beside rare-event cycles (`rare`), or, for `auto`, the first batch as a pilot
//! that decides between them; and puts a rare estimate into the report.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

mod estimated;

pub use estimated::{Choice, DEFAULT_TARGET, Estimated, estimate, report_estimated};

use crate::analysis::importance;
use crate::engine::{Prepared, RunParams, Simulator};
use crate::metrics::{Aggregate, ArchitectureReport, Outcome, simulate};
use crate::model::Architecture;
use crate::time::SimTime;

/// Replications in flight at once.
pub const CHUNK: u64 = 512;

/// How many replications a design runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Plan {
    /// Exactly this many.
    Fixed(u64),
    /// `first`, then doubling until the precision is reached or `max` replications ran.
    Precise {
        /// The first batch.
        first: u64,
        /// The largest half-width wanted, relative to the unavailability.
        relative: f64,
        /// The most replications.
        max: u64,
    },
    /// Replications `start..end` of a fixed count (a shard's: see `shard`).
    Range {
        /// The first replication.
        start: u64,
        /// One past the last.
        end: u64,
    },
}

impl From<u64> for Plan {
    fn from(n: u64) -> Plan {
        Plan::Fixed(n)
    }
}

impl Plan {
    /// The plan of `system`: its precision if it has one, else its replications.
    pub fn of(system: &crate::model::System) -> Plan {
        match system.precision {
            Some(p) => Plan::Precise {
                first: system.replications,
                relative: p.relative,
                max: p.max_replications.max(system.replications),
            },
            None => Plan::Fixed(system.replications),
        }
    }

    /// The most replications it may run (for progress bars).
    pub fn most(&self) -> u64 {
        match *self {
            Plan::Fixed(n) => n,
            Plan::Precise { max, .. } => max,
            Plan::Range { start, end } => end - start,
        }
    }
}

/// Runs the replications `plan` asks for of `arch` on `pool`, calling `progress` with the
/// number done after each replication (from the worker threads, so a slow replication shows).
pub fn run_architecture(
    arch: &Architecture,
    params: RunParams,
    plan: impl Into<Plan>,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
) -> Aggregate {
    run_architecture_with(arch, params, plan, pool, progress, &mut |_, _| {})
}

/// Runs every architecture of `system` on `pool` and reports each, in file order.
pub fn report_all(system: &crate::model::System, pool: &rayon::ThreadPool) -> Vec<ArchitectureReport> {
    system
        .architectures
        .iter()
        .map(|a| report_estimated(a, &estimate(a, system, pool, &|_| {}, &mut |_, _| {}), system))
        .collect()
}

/// The report of `arch` from the run folded in `aggregate`: its statistics, and the
/// components' importance (`analysis::importance`, computed here rather than by the
/// statistics, for the reports that print it).
pub fn report(arch: &Architecture, aggregate: &Aggregate, horizon: SimTime) -> ArchitectureReport {
    aggregate.report(arch, horizon, importance::ranking(arch, aggregate, horizon))
}

/// As [`run_architecture`], also handing each outcome to `each` in replication order (for
/// statistics that need per-replication values, such as paired comparisons).
pub fn run_architecture_with(
    arch: &Architecture,
    params: RunParams,
    plan: impl Into<Plan>,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
    each: &mut dyn FnMut(u64, &Outcome),
) -> Aggregate {
    run_plan(arch, params, plan.into(), pool, progress, each, &mut |_| false)
}

/// As [`run_architecture_with`]; after the first batch, `stop_after_pilot` sees the aggregate
/// and may end the run there (the `auto` estimator's pilot).
fn run_plan(
    arch: &Architecture,
    params: RunParams,
    plan: Plan,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
    each: &mut dyn FnMut(u64, &Outcome),
    stop_after_pilot: &mut dyn FnMut(&Aggregate) -> bool,
) -> Aggregate {
    let (first, mut replications, last) = match plan {
        Plan::Fixed(n) => (0, n, n),
        Plan::Precise { first, max, .. } => (0, first.min(max), max),
        Plan::Range { start, end } => (start, end, end),
    };
    let prepared = Prepared::new(arch, params);
    let rto_objective = arch.objectives.rto;
    // One simulator per worker thread, kept for the whole run: building one costs far more
    // than a short replication, and the buffers are reset by every replication anyway. A
    // worker locks its own (never contended); replications are handed out one by one, so a
    // slow one holds up no others.
    let simulators: Vec<Mutex<Simulator<'_>>> =
        (0..pool.current_num_threads().max(1)).map(|_| Mutex::new(Simulator::new(&prepared))).collect();
    let mut aggregate = Aggregate::starting_at(first);
    let done = AtomicU64::new(0);
    let mut start = first;
    let mut pilot = true;
    loop {
        if start == replications {
            if std::mem::take(&mut pilot) && stop_after_pilot(&aggregate) {
                break;
            }
            let Plan::Precise { relative, .. } = plan else { break };
            let reached = aggregate.relative_half_width(params.horizon);
            if reached.is_some_and(|h| h <= relative) || replications == last {
                aggregate.set_precision(relative, last);
                break;
            }
            replications = (replications * 2).min(last);
        }
        let end = (start + CHUNK).min(replications);
        let outcomes: Vec<Outcome> = pool.install(|| {
            (start as usize..end as usize)
                .into_par_iter()
                .with_max_len(1)
                .map(|r| {
                    let r = r as u64;
                    let worker = rayon::current_thread_index().unwrap_or(0) % simulators.len();
                    let mut sim = simulators[worker].lock().unwrap_or_else(PoisonError::into_inner);
                    let outcome = simulate(&mut sim, r, rto_objective);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    outcome
                })
                .collect()
        });
        for (k, outcome) in outcomes.iter().enumerate() {
            aggregate.add(outcome, params.horizon);
            each(start + k as u64, outcome);
        }
        start = end;
    }
    aggregate
}

/// A thread pool of `threads` workers (0: one per core).
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build()
}
