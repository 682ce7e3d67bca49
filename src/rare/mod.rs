//! Rare-event estimation: the long-run unavailability, incident frequency and mean incident
//! duration of a design that fails too rarely for crude sampling, by importance sampling over
//! regenerative cycles.
//!
//! **Where it applies** ([`Chain::new`] says why not, otherwise): every component the service
//! needs, directly or not, either never fails or fails after an `Exp` time and is repaired by
//! `Repair(Exp(..))`, with no alerting delay, repair crew, failure modes, failed starts or
//! battery; no dataset or queue link is among them; standby groups switch instantly
//! (`detect: "0s", switch: "0s"`) and are `Hot`, or `Warm` with `failback`; and the design has no injections or
//! maintenance windows, with random failures on. The design is then a continuous-time Markov
//! chain (`chain`), and its long-run behaviour is what is estimated. Replacements, fixed or
//! non-exponential delays, crews, datasets and failover times are outside it: such designs are
//! measured by crude sampling, which suits the frequent outages that those mechanisms cause.
//!
//! **Estimator.** The chain regenerates each time it enters the all-up state. A cycle (`cycle`) runs from there until it comes back,
//! under balanced failure biasing, and contributes its length, the service's downtime and its
//! incidents, each weighted by the likelihood ratio. Renewal-reward gives unavailability =
//! E[downtime] / E[length], incident frequency = E[incidents] / E[length], mean incident
//! duration = E[downtime] / E[incidents], each a ratio estimate with a delta-method CI
//! (`moments`). The values are long-run (stationary) ones: the crude estimate over a finite
//! horizon, which starts all-up, sits a hair below in unavailability, by about the mean repair
//! time over the horizon, relatively.
//!
//! **Determinism.** Cycles run in blocks of [`BLOCK`]; block b draws from the ChaCha stream b
//! of the key (seed, architecture name, `rare`), and blocks are merged in order, so the result
//! is the same for any thread count. With a precision the run doubles, from [`FIRST`] cycles,
//! until the 95% CI half-width of the unavailability is at most the precision relative to it,
//! or the most cycles allowed have run, as crude runs double their replications.

mod chain;
mod cycle;
mod moments;

pub use chain::{Chain, NotApplicable};
pub use cycle::{BIAS, CycleSums};
pub use moments::{Moments, Ratio};

use rayon::prelude::*;

use crate::rng::{Stream, named_stream_key};

/// Cycles per random stream.
pub const BLOCK: u64 = 1024;

/// Cycles of the first batch.
pub const FIRST: u64 = 16 * BLOCK;

/// The result of a rare-event run.
#[derive(Clone, Debug, PartialEq)]
pub struct RareEstimate {
    /// The cycles' moments.
    pub moments: Moments,
    /// The relative half-width asked for.
    pub target: f64,
    /// The most cycles it could run.
    pub max_cycles: u64,
}

impl RareEstimate {
    /// Whether it stopped because the precision was reached (else: at the most cycles).
    pub fn reached(&self) -> bool {
        reached(&self.moments, self.target)
    }
}

/// Whether the unavailability's relative 95% half-width of `moments` is at most `target`.
fn reached(moments: &Moments, target: f64) -> bool {
    moments.unavailability().relative().is_some_and(|h| h <= target)
}

/// Runs cycles of `chain` on `pool` until the unavailability's relative 95% half-width is at
/// most `target` or `max_cycles` ran.
pub fn estimate(
    chain: &Chain,
    seed: u64,
    arch_name: &str,
    target: f64,
    max_cycles: u64,
    pool: &rayon::ThreadPool,
) -> RareEstimate {
    let key = named_stream_key(seed, arch_name, "rare");
    let max_cycles = max_cycles.max(1);
    let max_blocks = max_cycles.div_ceil(BLOCK);
    let mut moments = Moments::default();
    let mut done = 0;
    let mut goal = (FIRST / BLOCK).min(max_blocks);
    loop {
        let blocks: Vec<Moments> = pool.install(|| {
            (done as usize..goal as usize)
                .into_par_iter()
                .with_max_len(1)
                .map(|b| {
                    let mut stream = Stream::new(&key, b as u64);
                    let mut walker = cycle::Walker::new(chain);
                    let mut m = Moments::default();
                    // The last block stops at the most cycles.
                    for _ in 0..BLOCK.min(max_cycles - b as u64 * BLOCK) {
                        m.add(&walker.cycle(&mut stream));
                    }
                    m
                })
                .collect()
        });
        blocks.iter().for_each(|b| moments.merge(b));
        done = goal;
        if reached(&moments, target) || done == max_blocks {
            return RareEstimate { moments, target, max_cycles };
        }
        goal = (goal * 2).min(max_blocks);
    }
}

#[cfg(test)]
mod tests;
