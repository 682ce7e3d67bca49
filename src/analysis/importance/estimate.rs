//! The fallback when there are too many conditioned variables to visit every state: the same
//! quantities as `exact`, averaged over states drawn at random instead of summed over all.
//!
//! For a state s of the conditioned variables, a free variable's term is dq(s)/dp_v, exact
//! given s; a conditioned variable's is q(s with it up) - q(s with it down), one more pass
//! with its state flipped. Integrating the free variables out exactly makes this at least as
//! precise as drawing every component's state (conditional Monte Carlo).
//!
//! **Failure biasing.** Conditioned components are mostly up, and the states that matter
//! (one or two of them down) would be too rare to be drawn. Each is drawn down with
//! probability max(its own unavailability, min(1/2, 1/c)) for c conditioned components, so
//! that about one is down per draw, and each term is weighted by the likelihood ratio of the
//! draw (the product over the conditioned variables of their true over their biased
//! probability; a conditioned variable's own factor is left out of its term, which does not
//! depend on its state). The estimate is the mean of the weighted terms, unbiased; its
//! standard error the sample standard deviation over √draws (Welford's update, in draw order).
//! The draws come from a stream keyed by the architecture's name and `importance`, one word
//! per conditioned variable, so the result is deterministic.

use crate::dist::unit_open;
use crate::rng::{Stream, named_stream_key};

use super::pass::Pass;
use super::structure::Structure;

/// Estimates and standard errors per free variable and per conditioned variable.
#[derive(Clone, Debug)]
pub(super) struct Estimate {
    /// (mean, standard error) per free variable.
    pub free: Vec<(f64, f64)>,
    /// (mean, standard error) per conditioned variable.
    pub conditioned: Vec<(f64, f64)>,
}

/// Welford's running mean and sum of squared deviations.
#[derive(Clone, Copy, Debug, Default)]
struct Running {
    mean: f64,
    m2: f64,
}

impl Running {
    fn push(&mut self, x: f64, n: u64) {
        let delta = x - self.mean;
        self.mean += delta / n as f64;
        self.m2 += delta * (x - self.mean);
    }

    fn result(self, n: u64) -> (f64, f64) {
        let variance = if n > 1 { self.m2 / (n - 1) as f64 } else { 0.0 };
        (self.mean, libm::sqrt(variance.max(0.0) / n as f64))
    }
}

/// The estimate over `draws` states, from the stream of architecture `arch_name`.
pub(super) fn estimate(s: &Structure, arch_name: &str, draws: u64) -> Estimate {
    let c = s.conditioned.len();
    let floor = (1.0 / c.max(1) as f64).min(0.5);
    // P(drawn down) of each conditioned variable; one that cannot be down is not biased.
    let biased: Vec<f64> =
        s.conditioned.iter().map(|v| if v.down > 0.0 { v.down.max(floor) } else { 0.0 }).collect();
    let mut stream = Stream::new(&named_stream_key(0, arch_name, "importance"), 0);
    let mut pass = Pass::new(s);
    let mut state = vec![false; c];
    let mut ratio = vec![1.0; c]; // true over biased probability of each drawn state
    let mut free = vec![Running::default(); s.free.len()];
    let mut conditioned = vec![Running::default(); c];
    for n in 1..=draws {
        for (j, v) in s.conditioned.iter().enumerate() {
            let down = unit_open(stream.next_word()) < biased[j];
            state[j] = !down;
            ratio[j] = match (down, biased[j] == v.down) {
                (_, true) => 1.0,
                (true, false) => v.down / biased[j],
                (false, false) => v.up / (1.0 - biased[j]),
            };
        }
        let weight = |skip: Option<usize>| -> f64 {
            ratio.iter().enumerate().filter(|&(j, _)| Some(j) != skip).map(|(_, r)| r).product()
        };
        let here = pass.forward(s, &state, !s.free.is_empty());
        if !s.free.is_empty() {
            pass.backward(s);
            let w = weight(None);
            for (v, r) in free.iter_mut().enumerate() {
                r.push(w * pass.free_derivative(s, v), n);
            }
        }
        for (j, r) in conditioned.iter_mut().enumerate() {
            state[j] = !state[j];
            let flipped = pass.forward(s, &state, false);
            state[j] = !state[j];
            let (hi, lo) = if state[j] { (here, flipped) } else { (flipped, here) };
            let gain = if lo.1 <= 0.5 { lo.1 - hi.1 } else { hi.0 - lo.0 };
            r.push(weight(Some(j)) * gain, n);
        }
    }
    Estimate {
        free: free.into_iter().map(|r| r.result(draws)).collect(),
        conditioned: conditioned.into_iter().map(|r| r.result(draws)).collect(),
    }
}
