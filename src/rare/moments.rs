//! Running means and co-moments of the cycles' (length, downtime, incidents), merged block by
//! block in a fixed order, and the ratio estimates drawn from them.
//!
//! Means and co-moments are updated one cycle at a time (Welford) and blocks are merged with
//! Chan, Golub and LeVeque's pairwise formula, so the variances never come from a difference of
//! two large sums (a cycle's length barely varies: its sum of squares would cancel).
//!
//! A long-run quantity of a regenerative process is a ratio of two cycle means,
//! r = E[Y] / E[X] (renewal-reward). Its estimate is mean(Y) / mean(X) and, by the delta
//! method over n independent cycles, its variance is
//! (s²_Y - 2 r s_XY + r² s²_X) / (n mean(X)²), with the sample (co)variances s.

use crate::metrics::t_quantile;

use super::cycle::CycleSums;

/// The three per-cycle quantities, in this order.
const LENGTH: usize = 0;
const DOWN: usize = 1;
const INCIDENTS: usize = 2;

/// Means and co-moments of a run of cycles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Moments {
    /// Cycles.
    pub n: u64,
    /// Cycles in which the service went down.
    pub with_downtime: u64,
    mean: [f64; 3],
    /// Sums of products of deviations from the means, `co[i][j]`.
    co: [[f64; 3]; 3],
}

/// A ratio estimate and its 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ratio {
    /// The estimate.
    pub value: f64,
    /// Half the width of its 95% CI (Student t, n - 1 degrees of freedom).
    pub half_width: f64,
}

impl Ratio {
    /// The interval, its lower end clamped at 0.
    pub fn ci95(&self) -> [f64; 2] {
        [(self.value - self.half_width).max(0.0), self.value + self.half_width]
    }

    /// The estimate of `factor` times the quantity (a change of unit).
    pub fn scaled(&self, factor: f64) -> Ratio {
        Ratio { value: self.value * factor, half_width: self.half_width * factor }
    }

    /// The half-width relative to the value; `None` when the value is 0.
    pub fn relative(&self) -> Option<f64> {
        (self.value > 0.0).then(|| self.half_width / self.value)
    }
}

impl Moments {
    /// Adds one cycle.
    pub fn add(&mut self, c: &CycleSums) {
        let x = [c.length, c.down, c.incidents];
        self.n += 1;
        self.with_downtime += u64::from(c.down > 0.0);
        let n = self.n as f64;
        let before: [f64; 3] = std::array::from_fn(|i| x[i] - self.mean[i]);
        for (mean, d) in self.mean.iter_mut().zip(before) {
            *mean += d / n;
        }
        let after: [f64; 3] = std::array::from_fn(|j| x[j] - self.mean[j]);
        for (row, d) in self.co.iter_mut().zip(before) {
            for (c, e) in row.iter_mut().zip(after) {
                *c += d * e;
            }
        }
    }

    /// Merges the moments of the cycles that come after these.
    pub fn merge(&mut self, later: &Moments) {
        if later.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = later.clone();
            return;
        }
        let (a, b) = (self.n as f64, later.n as f64);
        let n = a + b;
        let delta: [f64; 3] = std::array::from_fn(|i| later.mean[i] - self.mean[i]);
        for ((row, later_row), di) in self.co.iter_mut().zip(&later.co).zip(delta) {
            for ((c, later_c), dj) in row.iter_mut().zip(later_row).zip(delta) {
                *c += later_c + di * dj * a * b / n;
            }
        }
        for (mean, d) in self.mean.iter_mut().zip(delta) {
            *mean += d * b / n;
        }
        self.n += later.n;
        self.with_downtime += later.with_downtime;
    }

    /// mean(quantity y) / mean(quantity x), with its CI.
    fn ratio(&self, y: usize, x: usize) -> Ratio {
        let n = self.n as f64;
        let value = if self.mean[x] > 0.0 { self.mean[y] / self.mean[x] } else { 0.0 };
        if self.n < 2 || self.mean[x] <= 0.0 {
            return Ratio { value, half_width: 0.0 };
        }
        let r = value;
        let s = |i: usize, j: usize| self.co[i][j] / (n - 1.0);
        let var =
            (s(y, y) - 2.0 * r * s(x, y) + r * r * s(x, x)).max(0.0) / (n * self.mean[x] * self.mean[x]);
        Ratio { value, half_width: t_quantile(0.975, n - 1.0) * libm::sqrt(var) }
    }

    /// The long-run unavailability: downtime / length.
    pub fn unavailability(&self) -> Ratio {
        self.ratio(DOWN, LENGTH)
    }

    /// Incidents per ms: incidents / length.
    pub fn incident_rate(&self) -> Ratio {
        self.ratio(INCIDENTS, LENGTH)
    }

    /// The mean incident duration `[ms]`: downtime / incidents; `None` with no incident.
    pub fn mean_incident(&self) -> Option<Ratio> {
        (self.mean[INCIDENTS] > 0.0).then(|| self.ratio(DOWN, INCIDENTS))
    }

    /// Kish's effective sample size of the downtime's weighted contributions,
    /// (Σ d)² / Σ d²: how many equally weighted observations the downtime estimate is worth.
    pub fn effective_sample_size(&self) -> f64 {
        let n = self.n as f64;
        let sum = self.mean[DOWN] * n;
        let sum_sq = self.co[DOWN][DOWN] + n * self.mean[DOWN] * self.mean[DOWN];
        if sum_sq > 0.0 { sum * sum / sum_sq } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(length: f64, down: f64, incidents: f64) -> CycleSums {
        CycleSums { length, down, incidents }
    }

    #[test]
    fn merged_blocks_agree_with_one_pass_and_with_the_textbook_formulas() {
        let cycles: Vec<CycleSums> =
            (0..10).map(|i| cycle(100.0 + i as f64, (i % 3) as f64 * 0.5, f64::from(i % 3 != 0))).collect();
        let mut one = Moments::default();
        cycles.iter().for_each(|c| one.add(c));
        let mut merged = Moments::default();
        for block in cycles.chunks(3) {
            let mut m = Moments::default();
            block.iter().for_each(|c| m.add(c));
            merged.merge(&m);
        }
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
        let (u1, u2) = (one.unavailability(), merged.unavailability());
        assert!(close(u1.value, u2.value) && close(u1.half_width, u2.half_width));
        // By hand: mean(D) / mean(T) and the delta-method variance from two-pass sums.
        let n = cycles.len() as f64;
        let mt = cycles.iter().map(|c| c.length).sum::<f64>() / n;
        let md = cycles.iter().map(|c| c.down).sum::<f64>() / n;
        let r = md / mt;
        let s = |f: &dyn Fn(&CycleSums) -> f64| cycles.iter().map(f).sum::<f64>() / (n - 1.0);
        let var = s(&|c| {
            let e = c.down - md - r * (c.length - mt);
            e * e
        }) / (n * mt * mt);
        assert!(close(u1.value, r));
        assert!(close(u1.half_width, t_quantile(0.975, n - 1.0) * var.sqrt()));
        assert_eq!((one.n, one.with_downtime), (10, 6));
        assert_eq!(merged, {
            let mut m = merged.clone();
            m.merge(&Moments::default());
            m
        });
    }

    #[test]
    fn effective_sample_size_counts_equal_weights_fully_and_one_dominant_weight_once() {
        let mut equal = Moments::default();
        (0..8).for_each(|_| equal.add(&cycle(1.0, 2.0, 1.0)));
        assert!((equal.effective_sample_size() - 8.0).abs() < 1e-9);
        let mut skewed = Moments::default();
        skewed.add(&cycle(1.0, 1e6, 1.0));
        (0..7).for_each(|_| skewed.add(&cycle(1.0, 1e-3, 1.0)));
        assert!((skewed.effective_sample_size() - 1.0).abs() < 1e-6);
    }
}
