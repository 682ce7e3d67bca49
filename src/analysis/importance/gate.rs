//! One `AtLeast(k)` gate over independent inputs: the probability that it holds, and its
//! partial derivative with respect to each input's probability of being up.
//!
//! Each input is a pair (P(up), P(down)): both are carried, so that neither is ever computed as
//! `1 - the other` (which would lose the small one in a highly available design). The gate
//! runs the Poisson-binomial recurrence over the inputs, counting ups when `k` is small and
//! downs when `k` is close to the number of inputs, whichever needs fewer states (`All` and
//! `Any` need one), so it costs inputs x min(k, n - k + 1).
//!
//! **Symmetry.** The inputs are taken in increasing order of their values, so the result
//! depends only on the multiset of values, not on the order of the `needs` list; and the
//! derivative with respect to an input is computed once per distinct value, as P(exactly the
//! threshold minus one of the *others* count), from the recurrence over the inputs before the
//! first input with that value and the one over the inputs after it. Inputs with equal values
//! therefore get bit-identical derivatives.

/// Working memory reused from gate to gate.
#[derive(Clone, Debug, Default)]
pub(super) struct Scratch {
    order: Vec<u32>,
    states: Vec<f64>,
    /// The recurrence's states before each run of equal inputs (`t` per run).
    before: Vec<f64>,
    /// The sorted position where each run of equal inputs starts.
    runs: Vec<u32>,
}

/// P(up) and P(down) of "at least `k` of `inputs` up"; with `derivatives`, also writes
/// d P(up) / d P(input i up) into `derivatives[i]`.
pub(super) fn at_least(
    k: usize,
    inputs: &[(f64, f64)],
    derivatives: Option<&mut [f64]>,
    scratch: &mut Scratch,
) -> (f64, f64) {
    let m = inputs.len();
    if k > m {
        if let Some(d) = derivatives {
            d.fill(0.0);
        }
        return (0.0, 1.0);
    }
    if k == 0 {
        if let Some(d) = derivatives {
            d.fill(0.0);
        }
        return (1.0, 0.0);
    }
    // Count ups (the gate holds once `k` are up) or downs (it fails once `m - k + 1` are down).
    let by_ups = k <= m - k + 1;
    let t = if by_ups { k } else { m - k + 1 };
    let step = |&(up, down): &(f64, f64)| if by_ups { (up, down) } else { (down, up) };

    let Scratch { order, states, before, runs } = scratch;
    order.clear();
    order.extend(0..m as u32);
    let key = |i: &u32| inputs[*i as usize];
    order.sort_unstable_by(|a, b| {
        let (x, y) = (key(a), key(b));
        x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)).then(a.cmp(b))
    });
    runs.clear();
    before.clear();
    states.clear();
    states.resize(t, 0.0);
    states[0] = 1.0;
    let mut reached = 0.0; // P(at least t counted so far)
    for (pos, &i) in order.iter().enumerate() {
        if derivatives.is_some() && (pos == 0 || inputs[order[pos - 1] as usize] != inputs[i as usize]) {
            runs.push(pos as u32);
            before.extend_from_slice(states);
        }
        let (hit, miss) = step(&inputs[i as usize]);
        push(states, &mut reached, hit, miss);
    }
    let below: f64 = states.iter().sum(); // P(fewer than t counted)
    let (up, down) = if by_ups { (reached, below) } else { (below, reached) };

    if let Some(derivatives) = derivatives {
        // The recurrence over the inputs after each run's first input, built from the end.
        states.fill(0.0);
        states[0] = 1.0;
        let mut unused = 0.0;
        let mut run = runs.len();
        for pos in (0..m).rev() {
            if run > 0 && runs[run - 1] as usize == pos {
                run -= 1;
                let pre = &before[run * t..(run + 1) * t];
                // P(exactly t - 1 of the others counted): then this input decides the gate.
                let exact: f64 = (0..t).map(|a| pre[a] * states[t - 1 - a]).sum();
                let end = runs.get(run + 1).map_or(m, |&r| r as usize);
                for &i in &order[pos..end] {
                    derivatives[i as usize] = exact;
                }
            }
            let (hit, miss) = step(&inputs[order[pos] as usize]);
            push(states, &mut unused, hit, miss);
        }
    }
    (up, down)
}

/// One more input of the recurrence: `states[j]` = P(exactly j counted) for j < t, and
/// `reached` = P(at least t counted).
fn push(states: &mut [f64], reached: &mut f64, hit: f64, miss: f64) {
    let t = states.len();
    *reached += states[t - 1] * hit;
    for j in (1..t).rev() {
        states[j] = states[j] * miss + states[j - 1] * hit;
    }
    states[0] *= miss;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(k: usize, ups: &[f64]) -> (f64, f64, Vec<f64>) {
        let inputs: Vec<(f64, f64)> = ups.iter().map(|&u| (u, 1.0 - u)).collect();
        let mut d = vec![f64::NAN; ups.len()];
        let (up, down) = at_least(k, &inputs, Some(&mut d), &mut Scratch::default());
        (up, down, d)
    }

    /// P(at least k of `ups`) by enumerating every up/down combination.
    fn by_hand(k: usize, ups: &[f64]) -> f64 {
        (0u32..1 << ups.len())
            .filter(|s| s.count_ones() as usize >= k)
            .map(|s| {
                (0..ups.len()).map(|i| if s >> i & 1 == 1 { ups[i] } else { 1.0 - ups[i] }).product::<f64>()
            })
            .sum()
    }

    #[test]
    fn every_threshold_against_enumeration() {
        let ups = [0.9, 0.5, 0.99, 0.7, 0.9, 0.3];
        for k in 0..=ups.len() + 1 {
            let (up, down, d) = gate(k, &ups);
            assert!((up - by_hand(k, &ups)).abs() < 1e-14, "k {k}: {up}");
            assert!((up + down - 1.0).abs() < 1e-14, "k {k}: {up} + {down}");
            for i in 0..ups.len() {
                let (mut hi, mut lo) = (ups, ups);
                (hi[i], lo[i]) = (1.0, 0.0);
                let want = by_hand(k, &hi) - by_hand(k, &lo);
                assert!((d[i] - want).abs() < 1e-14, "k {k}, input {i}: {} vs {want}", d[i]);
            }
        }
    }

    #[test]
    fn closed_forms_and_small_unavailability_kept() {
        let (up, down, d) = gate(3, &[0.9, 0.8, 0.5]);
        assert!((up - 0.36).abs() < 1e-15 && (down - 0.64).abs() < 1e-15);
        assert!((d[0] - 0.4).abs() < 1e-15 && (d[2] - 0.72).abs() < 1e-15);
        // Any of two inputs each down 1e-12: down 1e-24, not rounded to zero.
        let (_, down, d) = at_least_pairs(1, &[(1.0, 1e-12), (1.0, 1e-12)]);
        assert!((down - 1e-24).abs() < 1e-36, "{down}");
        assert_eq!(d, vec![1e-12, 1e-12]);
    }

    fn at_least_pairs(k: usize, inputs: &[(f64, f64)]) -> (f64, f64, Vec<f64>) {
        let mut d = vec![f64::NAN; inputs.len()];
        let (up, down) = at_least(k, inputs, Some(&mut d), &mut Scratch::default());
        (up, down, d)
    }

    #[test]
    fn equal_inputs_get_identical_bits_whatever_their_order() {
        let base = [0.999, 0.1, 0.7, 0.999, 0.35, 0.999, 0.7];
        for k in 1..=base.len() {
            let (up, down, d) = gate(k, &base);
            assert_eq!(d[0].to_bits(), d[3].to_bits());
            assert_eq!(d[0].to_bits(), d[5].to_bits());
            assert_eq!(d[2].to_bits(), d[6].to_bits());
            let mut shuffled = base;
            shuffled.reverse();
            let (up2, down2, d2) = gate(k, &shuffled);
            assert_eq!((up.to_bits(), down.to_bits()), (up2.to_bits(), down2.to_bits()));
            assert_eq!(d[1].to_bits(), d2[5].to_bits());
        }
    }
}
