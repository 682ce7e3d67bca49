//! The exact method: every state of the conditioned variables, one pass each.
//!
//! With P(s) the probability of state s of the conditioned variables and q(s) the service's
//! P(up) given s (exact: see `structure`),
//! - a free variable v: I_B(v) = sum over s of P(s) dq(s)/dp_v, since q(s) is multilinear in
//!   the free variables' probabilities;
//! - a conditioned variable c: I_B(c) = sum over the states s' of the others of
//!   P(s') (q(s', c up) - q(s', c down)), the difference taken between the two P(down)s when
//!   the service is mostly up (or the two P(up)s when it is mostly down) so that little is lost
//!   to cancellation.
//!
//! Each P(s) multiplies its factors in increasing order, and every sum over states is exact
//! ([`ExactSum`]), so a result does not depend on how the conditioned variables are numbered:
//! symmetric components get bit-identical values.

use super::exact_sum::ExactSum;
use super::pass::Pass;
use super::structure::{Structure, Var};

/// Birnbaum importance of every variable, and the service's availability.
#[derive(Clone, Debug)]
pub(super) struct Exact {
    /// Per free variable.
    pub free: Vec<f64>,
    /// Per conditioned variable.
    pub conditioned: Vec<f64>,
    /// P(service up) with every variable at its own availability.
    pub availability: f64,
}

/// The product of the conditioned variables' probabilities in `state` (bit j: variable j up),
/// leaving variable `skip` out, in increasing order of the factors.
fn weight(vars: &[Var], state: usize, skip: Option<usize>, factors: &mut Vec<f64>) -> f64 {
    factors.clear();
    factors.extend(
        vars.iter()
            .enumerate()
            .filter(|&(j, _)| Some(j) != skip)
            .map(|(j, v)| if state >> j & 1 == 1 { v.up } else { v.down }),
    );
    factors.sort_unstable_by(f64::total_cmp);
    factors.iter().product()
}

/// The exact Birnbaum importance of every variable of `s`, which has at most
/// `usize::BITS - 1` conditioned variables.
pub(super) fn exact(s: &Structure) -> Exact {
    let c = s.conditioned.len();
    let states = 1usize << c;
    let mut pass = Pass::new(s);
    let mut bits = vec![false; c];
    let mut factors = Vec::with_capacity(c);
    let mut service = Vec::with_capacity(states); // (P(up), P(down)) per state
    let mut free = vec![ExactSum::default(); s.free.len()];
    let mut availability = ExactSum::default();
    for state in 0..states {
        bits.iter_mut().enumerate().for_each(|(j, b)| *b = state >> j & 1 == 1);
        let w = weight(&s.conditioned, state, None, &mut factors);
        let (up, down) = pass.forward(s, &bits, !s.free.is_empty());
        service.push((up, down));
        availability.add(w * up);
        if s.free.is_empty() {
            continue;
        }
        pass.backward(s);
        for (v, sum) in free.iter_mut().enumerate() {
            let d = pass.free_derivative(s, v);
            if d != 0.0 {
                sum.add(w * d);
            }
        }
    }
    let conditioned = (0..c)
        .map(|j| {
            let mut sum = ExactSum::default();
            for state in (0..states).filter(|state| state >> j & 1 == 1) {
                let (hi, lo) = (service[state], service[state ^ 1 << j]);
                let gain = if lo.1 <= 0.5 { lo.1 - hi.1 } else { hi.0 - lo.0 };
                if gain != 0.0 {
                    sum.add(weight(&s.conditioned, state, Some(j), &mut factors) * gain);
                }
            }
            sum.value()
        })
        .collect();
    Exact {
        free: free.iter().map(ExactSum::value).collect(),
        conditioned,
        availability: availability.value(),
    }
}
