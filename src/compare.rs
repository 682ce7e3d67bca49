//! Paired comparison of architectures: the difference in downtime per year against a baseline,
//! with a 95% CI from per-replication differences (common random numbers), the unpaired
//! (Welch) CI beside it, and a plain verdict.
//!
//! Components with the same name draw the same numbers in every architecture, so replication k
//! of two designs sees the same failures wherever they share components; differencing per
//! replication removes that shared noise. The paired CI is Student t over the n differences;
//! the unpaired one is Welch's, with Welch–Satterthwaite degrees of freedom. The verdict is
//! "better" (less downtime) or "worse" when the paired CI excludes 0, "no significant
//! difference" otherwise; a difference that is the same in every replication has a degenerate
//! CI and is decided by its sign alone. Memory: one value per replication per architecture.

use serde::Serialize;

use crate::metrics::t_quantile;

/// One architecture against the baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Architecture compared.
    pub name: String,
    /// Its mean downtime `[min/yr]`.
    pub downtime_min_per_year: f64,
    /// Mean of (this - baseline) `[min/yr]`: negative is less downtime.
    pub difference: f64,
    /// 95% CI of the difference from paired per-replication differences.
    pub ci95_paired: [f64; 2],
    /// 95% CI of the difference treating the two runs as independent (Welch).
    pub ci95_unpaired: [f64; 2],
    /// `better`, `worse` or `no significant difference`.
    pub verdict: &'static str,
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn variance(xs: &[f64], m: f64) -> f64 {
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() as f64 - 1.0)
}

/// The mean of `now - before` per replication and its two-sided `confidence` interval
/// (Student t over the differences; a point when they are all equal).
pub fn paired_ci(now: &[f64], before: &[f64], confidence: f64) -> (f64, [f64; 2]) {
    assert_eq!(now.len(), before.len(), "the same replications");
    let diffs: Vec<f64> = now.iter().zip(before).map(|(a, b)| a - b).collect();
    let n = diffs.len() as f64;
    let d = mean(&diffs);
    let var = if n < 2.0 { 0.0 } else { variance(&diffs, d) };
    let half =
        if var <= 0.0 { 0.0 } else { t_quantile(0.5 + confidence / 2.0, n - 1.0) * libm::sqrt(var / n) };
    (d, [d - half, d + half])
}

/// Compares `values` with `baseline` (per-replication downtime in min/yr, same replications).
pub fn compare(name: &str, values: &[f64], baseline: &[f64]) -> Comparison {
    let n = values.len() as f64;
    let (d, [lo, hi]) = paired_ci(values, baseline, 0.95);
    let (ma, mb) = (mean(values), mean(baseline));
    let (va, vb) = if n < 2.0 { (0.0, 0.0) } else { (variance(values, ma), variance(baseline, mb)) };
    let welch_df = if va + vb > 0.0 {
        (va / n + vb / n) * (va / n + vb / n)
            / ((va / n) * (va / n) / (n - 1.0) + (vb / n) * (vb / n) / (n - 1.0))
    } else {
        n - 1.0
    };
    let unpaired_half = if n < 2.0 || va + vb <= 0.0 {
        0.0
    } else {
        t_quantile(0.975, welch_df.max(1.0)) * libm::sqrt(va / n + vb / n)
    };
    let verdict = if lo > 0.0 {
        "worse"
    } else if hi < 0.0 {
        "better"
    } else {
        "no significant difference"
    };
    Comparison {
        name: name.to_string(),
        downtime_min_per_year: ma,
        difference: d,
        ci95_paired: [lo, hi],
        ci95_unpaired: [d - unpaired_half, d + unpaired_half],
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_shift_is_decided_by_its_sign() {
        let base = [10.0, 20.0, 30.0, 40.0];
        let worse: Vec<f64> = base.iter().map(|x| x + 5.0).collect();
        let c = compare("w", &worse, &base);
        assert_eq!((c.difference, c.ci95_paired, c.verdict), (5.0, [5.0, 5.0], "worse"));
        assert!(c.ci95_unpaired[0] < 0.0, "unpaired cannot see it: {:?}", c.ci95_unpaired);
        assert_eq!(compare("same", &base, &base).verdict, "no significant difference");
    }

    #[test]
    fn paired_interval_matches_a_hand_calculation() {
        // differences 1, 2, 3, 4: mean 2.5, sd 1.2910, t(0.975, 3) = 3.18245
        let base = [0.0, 0.0, 0.0, 0.0];
        let c = compare("x", &[1.0, 2.0, 3.0, 4.0], &base);
        let half = 3.182_446_305_284_263 * 1.290_994_448_735_805_6 / 2.0;
        assert!((c.ci95_paired[1] - (2.5 + half)).abs() < 1e-9);
        assert_eq!(c.verdict, "worse");
    }

    /// Reference: scipy.stats (ttest_ind with equal_var=False gives df 4.1538; the interval is
    /// 3 ± t(0.975, df) · √(va/n + vb/n) = [-0.869793, 6.869793]).
    #[test]
    fn the_unpaired_interval_is_welchs() {
        let c = compare("a", &[2.0, 4.0, 6.0, 8.0], &[1.0, 1.0, 3.0, 3.0]);
        assert!((c.ci95_unpaired[0] + 0.869_793_065_118_476).abs() < 1e-9, "{:?}", c.ci95_unpaired);
        assert!((c.ci95_unpaired[1] - 6.869_793_065_118_476).abs() < 1e-9, "{:?}", c.ci95_unpaired);
    }
}
