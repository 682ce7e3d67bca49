//! Runs replications on rayon and folds their outcomes strictly in replication order.
//!
//! Replications are processed in chunks of [`CHUNK`]. A chunk is cut into contiguous slices,
//! one [`Simulator`] per slice (the same ones for the whole run) runs them on the thread pool,
//! and the outcomes come back as a vector in replication order, which is folded sequentially
//! into the [`Aggregate`]. So the
//! floating-point fold never depends on scheduling — output is byte-identical for any
//! `--threads` — and memory holds one chunk of outcomes at a time, whatever the replication
//! count or horizon.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::analysis::importance;
use crate::engine::{Prepared, RunParams, Simulator};
use crate::metrics::{Aggregate, ArchitectureReport, Outcome, simulate};
use crate::model::Architecture;
use crate::time::SimTime;

/// Replications in flight at once.
pub const CHUNK: u64 = 512;

/// Slices per thread in a chunk, so uneven replications still balance.
const SLICES_PER_THREAD: u64 = 4;

/// Runs `replications` replications of `arch` on `pool`, calling `progress` with the number
/// done after each replication (from the worker threads, so a slow replication shows).
pub fn run_architecture(
    arch: &Architecture,
    params: RunParams,
    replications: u64,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
) -> Aggregate {
    run_architecture_with(arch, params, replications, pool, progress, &mut |_, _| {})
}

/// Runs every architecture of `system` on `pool` and reports each, in file order.
pub fn report_all(system: &crate::model::System, pool: &rayon::ThreadPool) -> Vec<ArchitectureReport> {
    let params = RunParams::of(system);
    system
        .architectures
        .iter()
        .map(|a| report(a, &run_architecture(a, params, system.replications, pool, &|_| {}), system.horizon))
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
    replications: u64,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
    each: &mut dyn FnMut(u64, &Outcome),
) -> Aggregate {
    let prepared = Prepared::new(arch, params);
    let rto_objective = arch.objectives.rto;
    let slices = (pool.current_num_threads() as u64 * SLICES_PER_THREAD).max(1);
    // One simulator per slice, kept for the whole run: building one costs far more than a
    // short replication, and the buffers are reset by every replication anyway.
    let mut simulators: Vec<Simulator<'_>> = (0..slices).map(|_| Simulator::new(&prepared)).collect();
    let mut aggregate = Aggregate::default();
    let done = AtomicU64::new(0);
    let mut start = 0;
    while start < replications {
        let end = (start + CHUNK).min(replications);
        let per_slice = (end - start).div_ceil(slices);
        let outcomes: Vec<Vec<Outcome>> = pool.install(|| {
            simulators
                .par_iter_mut()
                .enumerate()
                .map(|(k, sim)| {
                    let from = (start + k as u64 * per_slice).min(end);
                    let to = (from + per_slice).min(end);
                    (from..to)
                        .map(|r| {
                            let outcome = simulate(sim, r, rto_objective);
                            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                            outcome
                        })
                        .collect()
                })
                .collect()
        });
        for (k, outcome) in outcomes.iter().flatten().enumerate() {
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
