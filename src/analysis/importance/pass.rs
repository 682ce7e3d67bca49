//! One pass over the gate network for one state of the conditioned variables: every node's
//! P(up) and P(down) (forward, inputs first), then the derivative of the service's P(up) with
//! respect to each free variable's (backward, reverse-mode: each node on a free variable's
//! single path passes its derivative to its inputs by the chain rule).
//!
//! A node's probability is the product of its factors (own state, needs gate, members gate,
//! holder), multiplied in that fixed order; its P(down) is summed as P(first factor down) +
//! P(first up, second down) + ..., never as 1 - P(up). The derivative with respect to a
//! factor is the product of the others, in the same order. Nothing here depends on component
//! names or declaration order beyond the roles, so symmetric components get the same bits.

use super::gate::{Scratch, at_least};
use super::structure::{Own, Structure};

/// Buffers for passes over one [`Structure`].
#[derive(Clone, Debug)]
pub(super) struct Pass {
    up: Vec<f64>,
    down: Vec<f64>,
    /// d P(node up) / d P(own up), for nodes the backward pass visits.
    d_own: Vec<f64>,
    /// d P(node up) / d P(input up), per entry of [`Structure::inputs`].
    d_input: Vec<f64>,
    /// d P(service up) / d P(node up), for nodes the backward pass visits.
    grad: Vec<f64>,
    gate_in: Vec<(f64, f64)>,
    scratch: Scratch,
}

impl Pass {
    /// Buffers sized for `s`.
    pub(super) fn new(s: &Structure) -> Self {
        let n = s.nodes.len();
        Pass {
            up: vec![0.0; n],
            down: vec![0.0; n],
            d_own: vec![0.0; n],
            d_input: vec![0.0; s.inputs.len()],
            grad: vec![0.0; n],
            gate_in: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    /// Every node's probabilities with conditioned variable `j` own-up iff `state[j]`; returns
    /// the service's (P(up), P(down)). With `derivatives`, also what [`Pass::backward`] needs.
    pub(super) fn forward(&mut self, s: &Structure, state: &[bool], derivatives: bool) -> (f64, f64) {
        for (i, node) in s.nodes.iter().enumerate() {
            let want = derivatives && node.grad;
            let own = match node.own {
                Own::Up => (1.0, 0.0),
                Own::Free(v) => (s.free[v as usize].up, s.free[v as usize].down),
                Own::Conditioned(j) => {
                    if state[j as usize] {
                        (1.0, 0.0)
                    } else {
                        (0.0, 1.0)
                    }
                }
            };
            let inputs = node.inputs(s);
            let first = node.first_input as usize;
            // Factors in a fixed order, with the range of inputs each one covers.
            let mut factors = [own; 4];
            let mut spans = [(0usize, 0usize); 4];
            let (mut len, mut at) = (1, 0);
            for (k, count) in [(node.k, node.needs), (u32::from(node.standby), node.members)] {
                if k > 0 {
                    let range = at..at + count as usize;
                    factors[len] = self.gate(k as usize, &inputs[range.clone()], want.then_some(first + at));
                    spans[len] = (range.start, range.end);
                    (len, at) = (len + 1, range.end);
                }
            }
            if node.holder {
                let h = inputs[at] as usize;
                factors[len] = (self.up[h], self.down[h]);
                spans[len] = (at, at + 1);
                self.d_input[first + at] = 1.0;
                len += 1;
            }
            let (mut up, mut down) = (1.0, 0.0);
            for &(u, d) in &factors[..len] {
                down += up * d;
                up *= u;
            }
            self.up[i] = up;
            self.down[i] = down;
            if want {
                let others = |skip: usize| -> f64 {
                    factors[..len]
                        .iter()
                        .enumerate()
                        .filter(|&(f, _)| f != skip)
                        .map(|(_, &(u, _))| u)
                        .product()
                };
                self.d_own[i] = others(0);
                for (f, &(from, to)) in spans.iter().enumerate().take(len).skip(1) {
                    let rest = others(f);
                    self.d_input[first + from..first + to].iter_mut().for_each(|d| *d *= rest);
                }
            }
        }
        let last = s.nodes.len() - 1;
        (self.up[last], self.down[last])
    }

    /// The gate "at least `k` of `inputs` up"; with `derivatives_at`, its derivatives go to
    /// `d_input` from there.
    fn gate(&mut self, k: usize, inputs: &[u32], derivatives_at: Option<usize>) -> (f64, f64) {
        self.gate_in.clear();
        self.gate_in.extend(inputs.iter().map(|&j| (self.up[j as usize], self.down[j as usize])));
        let derivatives = derivatives_at.map(|at| &mut self.d_input[at..at + inputs.len()]);
        at_least(k, &self.gate_in, derivatives, &mut self.scratch)
    }

    /// After a forward pass with derivatives: d P(service up) / d P(node up) along the single
    /// path of each node the backward pass visits.
    pub(super) fn backward(&mut self, s: &Structure) {
        let last = s.nodes.len() - 1;
        self.grad[last] = 1.0;
        for (i, node) in s.nodes.iter().enumerate().rev() {
            if !node.grad {
                continue;
            }
            let g = self.grad[i];
            let first = node.first_input as usize;
            for (e, &j) in node.inputs(s).iter().enumerate() {
                if s.nodes[j as usize].grad {
                    // One path: this is the input's only use, so it is set, not added to.
                    self.grad[j as usize] = g * self.d_input[first + e];
                }
            }
        }
    }

    /// After [`Pass::backward`]: d P(service up) / d P(free variable `v` own-up).
    pub(super) fn free_derivative(&self, s: &Structure, v: usize) -> f64 {
        let slot = s.free[v].slot as usize;
        self.grad[slot] * self.d_own[slot]
    }
}
