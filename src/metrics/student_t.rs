//! Student's t quantiles over `libm` (DESIGN rule 8), for confidence intervals.
//!
//! The CDF comes from the regularized incomplete beta function, evaluated by its continued
//! fraction (modified Lentz), with `libm::lgamma`; the quantile inverts it by Newton's method
//! on the t density, safeguarded by bisection. Accurate to about 1e-12 for df >= 1.

/// The `p` quantile (0 < p < 1) of Student's t with `df` >= 1 degrees of freedom.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    assert!(p > 0.0 && p < 1.0 && df >= 1.0, "t_quantile({p}, {df})");
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    if p == 0.5 {
        return 0.0;
    }
    // Bracket [0, hi] with cdf(hi) >= p, then Newton steps kept inside the bracket.
    let (mut lo, mut hi) = (0.0, 1.0);
    while t_cdf(hi, df) < p {
        lo = hi;
        hi *= 2.0;
    }
    let mut x = crate::dist::normal_quantile(p).clamp(lo, hi);
    for _ in 0..200 {
        let f = t_cdf(x, df) - p;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x
        } else {
            hi = x
        }
        let step = f / t_density(x, df);
        let next = x - step;
        x = if next > lo && next < hi { next } else { (lo + hi) / 2.0 };
        if (hi - lo) <= 1e-15 * x.abs().max(1.0) || step.abs() <= 1e-15 * x.abs().max(1.0) {
            break;
        }
    }
    x
}

/// P(T <= t).
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, x);
    if t >= 0.0 { 1.0 - tail } else { tail }
}

fn t_density(t: f64, df: f64) -> f64 {
    let log_c =
        libm::lgamma((df + 1.0) / 2.0) - libm::lgamma(df / 2.0) - 0.5 * libm::log(df * core::f64::consts::PI);
    libm::exp(log_c - (df + 1.0) / 2.0 * libm::log1p(t * t / df))
}

/// The regularized incomplete beta function I_x(a, b).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let log_front =
        libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b) + a * libm::log(x) + b * libm::log1p(-x);
    let front = libm::exp(log_front);
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// Continued fraction of the incomplete beta (Numerical Recipes' betacf, modified Lentz).
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_reference_quantiles() {
        // Reference values: scipy.stats.t.ppf(0.975, df).
        for (df, want) in [
            (1.0, 12.706_204_736_174_694),
            (2.0, 4.302_652_729_749_462),
            (9.0, 2.262_157_162_798_205),
            (29.0, 2.045_229_642_132_703),
            (999.0, 1.962_341_461_133_449_3),
        ] {
            let got = t_quantile(0.975, df);
            assert!((got - want).abs() < 1e-12 * want, "df {df}: {got} vs {want}");
        }
        assert!((t_quantile(0.025, 9.0) + 2.262_157_162_798_205).abs() < 1e-9);
        assert!((t_quantile(0.995, 4.0) - 4.604_094_871_349_992).abs() < 1e-9);
    }

    #[test]
    fn cdf_is_consistent() {
        assert!((t_cdf(0.0, 5.0) - 0.5).abs() < 1e-15);
        // t with 1 df is Cauchy: P(T <= 1) = 3/4.
        assert!((t_cdf(1.0, 1.0) - 0.75).abs() < 1e-13);
        assert!((t_cdf(-1.0, 1.0) - 0.25).abs() < 1e-13);
    }
}
