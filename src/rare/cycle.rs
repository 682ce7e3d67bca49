//! One regenerative cycle of the chain under balanced failure biasing: from the all-up state
//! until it is entered again, with the likelihood ratio of the path carried along.
//!
//! The cycle walks the chain's jump chain (which transition comes next), one draw per step,
//! and credits each state visited with its *expected* holding time 1/q (q the state's total
//! rate) rather than a sampled one: conditional Monte Carlo, which leaves the expectation
//! alone and removes the holding times' variance.
//!
//! **Balanced failure biasing** (Shahabuddin 1994, "Importance sampling for the simulation of
//! highly reliable Markovian systems", Management Science 40(3)). While the service is up:
//! - in the all-up state, each possible failure is chosen with the same probability;
//! - in any other state, the failures together have probability [`BIAS`], shared equally,
//!   and the repairs 1 - `BIAS`, in proportion to their rates (all of it when nothing left up
//!   can fail).
//!
//! While the service is down the chain moves with its own probabilities. Each step multiplies
//! the likelihood ratio by (the transition's probability in the chain) / (its probability as
//! drawn), so every quantity credited at a state, weighted by the ratio of the path that led
//! there, has the chain's expectation.

use crate::rng::Stream;

use super::chain::{Chain, State};

/// The probability given to failures in a state with a repair in progress.
pub const BIAS: f64 = 0.5;

/// What one cycle contributes, each a likelihood-ratio-weighted sum over the states visited.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CycleSums {
    /// Its length `[ms]`.
    pub length: f64,
    /// The service's downtime in it `[ms]`.
    pub down: f64,
    /// Entries into a state where the service is down (incidents).
    pub incidents: f64,
}

/// Scratch space reused from cycle to cycle.
pub struct Walker<'c> {
    chain: &'c Chain,
    state: State,
    rates: Vec<f64>,
    warm: bool,
}

impl<'c> Walker<'c> {
    /// A walker on `chain`.
    pub fn new(chain: &'c Chain) -> Walker<'c> {
        let rates = chain.units.iter().map(|u| u.lambda).collect();
        Walker { chain, state: chain.all_up(), rates, warm: chain.has_warm_groups() }
    }

    /// Runs one cycle on `stream`.
    pub fn cycle(&mut self, stream: &mut Stream) -> CycleSums {
        let chain = self.chain;
        let mut sums = CycleSums::default();
        let mut weight = 1.0;
        let mut was_up = true;
        // A cycle starts where the last one ended, all up and settled: the service is up.
        debug_assert!(chain.settle(&mut self.state.clone()));
        let mut up = true;
        loop {
            if self.warm {
                for u in 0..chain.units.len() {
                    self.rates[u] = chain.failure_rate(&self.state, u);
                }
            }
            // The state's failure and repair rates, and how many failures are possible.
            let (mut fail_total, mut repair_total, mut failures) = (0.0, 0.0, 0usize);
            for (u, unit) in chain.units.iter().enumerate() {
                if self.state.down[u] {
                    repair_total += unit.mu;
                } else if self.rates[u] > 0.0 {
                    fail_total += self.rates[u];
                    failures += 1;
                }
            }
            let total = fail_total + repair_total;
            let holding = weight / total;
            sums.length += holding;
            if !up {
                sums.down += holding;
                if was_up {
                    sums.incidents += weight;
                }
            }
            // The transition: unit `u` changes state; `drawn` is its probability as drawn, if
            // not the chain's own.
            let x = crate::dist::unit_open(stream.next_word());
            let (u, drawn) = if !up || failures == 0 {
                // While down, and when nothing left can fail (the rest never fails): the
                // chain's own probabilities, under which the ratio stays 1.
                (self.pick_by_rate(x * total, false), None)
            } else if repair_total == 0.0 {
                (self.pick_failure(x, failures), Some(1.0 / failures as f64))
            } else if x < BIAS {
                (self.pick_failure(x / BIAS, failures), Some(BIAS / failures as f64))
            } else {
                let u = self.pick_by_rate((x - BIAS) / (1.0 - BIAS) * repair_total, true);
                (u, Some((1.0 - BIAS) * chain.units[u].mu / repair_total))
            };
            if let Some(drawn) = drawn {
                let rate = if self.state.down[u] { chain.units[u].mu } else { self.rates[u] };
                weight *= rate / total / drawn;
            }
            self.state.down[u] = !self.state.down[u];
            if self.state.down[u] {
                self.state.down_count += 1;
            } else {
                self.state.down_count -= 1;
            }
            was_up = up;
            up = chain.settle(&mut self.state);
            if chain.regenerated(&self.state) {
                return sums;
            }
        }
    }

    /// The `k`-th possible failure for k = floor(x · failures), x in (0, 1).
    fn pick_failure(&self, x: f64, failures: usize) -> usize {
        let k = ((x * failures as f64) as usize).min(failures - 1);
        let mut seen = 0;
        for (u, &rate) in self.rates.iter().enumerate() {
            if !self.state.down[u] && rate > 0.0 {
                if seen == k {
                    return u;
                }
                seen += 1;
            }
        }
        unreachable!("k < failures")
    }

    /// The unit whose transition takes the running sum of rates past `target`, among repairs
    /// only or every transition.
    fn pick_by_rate(&self, target: f64, repairs_only: bool) -> usize {
        let mut sum = 0.0;
        let mut last = None;
        for (u, unit) in self.chain.units.iter().enumerate() {
            let rate = if self.state.down[u] {
                unit.mu
            } else if !repairs_only {
                self.rates[u]
            } else {
                0.0
            };
            if rate > 0.0 {
                sum += rate;
                last = Some(u);
                if target < sum {
                    return u;
                }
            }
        }
        // Rounding may leave the target at the very end: the last transition.
        last.expect("a state with no transition")
    }
}
