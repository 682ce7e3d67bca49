//! Means of draws as a run sees them: raised to a floor and cut at a cap, for estimating how
//! much work a run will be (`analysis::workload`), never for sampling.
//!
//! `E[min(max(X, a), b)] = a + ∫_a^b P(X > x) dx` for `0 <= a <= b`. A time to failure is at
//! least 1 ms (the floor) and a draw past the horizon ends its clock (the cap). For most laws
//! that is the plain mean; for a heavy tail it is not: `LogNormal(mean: "2000h", sigma: 10)`
//! has its median near 10^-22 of its mean, so nearly every draw is the 1 ms floor, and its
//! clipped mean over 10 years is about half a minute. Closed forms: Exp, Fixed, Uniform and
//! health checks directly, LogNormal through the normal CDF (`libm::erfc`), Weibull through
//! the regularized incomplete gamma function (series and continued fraction, as in Numerical
//! Recipes §6.2, over `libm::lgamma`). Rounding of draws to whole ms is left out.

use super::Dist;

impl Dist {
    /// `E[min(max(X, floor), cap)]` in ms, for `0 <= floor <= cap` (cap may be infinite).
    pub fn clipped_mean_ms(&self, floor: f64, cap: f64) -> f64 {
        debug_assert!(0.0 <= floor && floor <= cap);
        match *self {
            Dist::Exp { mean_ms: m } => {
                let tail = if cap.is_finite() { libm::exp(-cap / m) } else { 0.0 };
                floor + m * (libm::exp(-floor / m) - tail)
            }
            Dist::Fixed(t) => (t.as_ms() as f64).clamp(floor, cap),
            Dist::Uniform { lo_ms, hi_ms } => uniform(lo_ms as f64, hi_ms as f64, floor, cap),
            Dist::HealthCheck { interval_ms, threshold } => {
                let lo = interval_ms as f64 * f64::from(threshold - 1);
                uniform(lo, lo + interval_ms as f64, floor, cap)
            }
            Dist::LogNormal { mu, sigma } => lognormal(mu, sigma, floor, cap),
            Dist::Weibull { shape, scale_ms } => weibull(shape, scale_ms, floor, cap),
        }
    }
}

fn uniform(lo: f64, hi: f64, floor: f64, cap: f64) -> f64 {
    if hi <= lo {
        return lo.clamp(floor, cap);
    }
    // ∫_0^x P(X > t) dt, piecewise: 1 below lo, linear down to 0 at hi.
    let area = |x: f64| {
        if x <= lo {
            x
        } else if x <= hi {
            x - (x - lo) * (x - lo) / (2.0 * (hi - lo))
        } else {
            (lo + hi) / 2.0
        }
    };
    floor + area(cap) - area(floor)
}

/// The standard normal CDF.
fn phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / core::f64::consts::SQRT_2)
}

fn lognormal(mu: f64, sigma: f64, floor: f64, cap: f64) -> f64 {
    // floor·P(X < floor) + E[X; floor <= X < cap] + cap·P(X >= cap), with
    // E[X; X < x] = e^(mu + sigma²/2)·Φ((ln x - mu - sigma²)/sigma).
    let mean = libm::exp(mu + sigma * sigma / 2.0);
    let below = |x: f64| if x > 0.0 { phi((libm::log(x) - mu) / sigma) } else { 0.0 };
    let partial = |x: f64| {
        if x <= 0.0 {
            0.0
        } else if x.is_infinite() {
            mean
        } else {
            mean * phi((libm::log(x) - mu - sigma * sigma) / sigma)
        }
    };
    let over_cap = if cap.is_finite() { cap * (1.0 - below(cap)) } else { 0.0 };
    floor * below(floor) + (partial(cap) - partial(floor)) + over_cap
}

fn weibull(shape: f64, scale: f64, floor: f64, cap: f64) -> f64 {
    // ∫_a^b exp(-(x/λ)^k) dx = (λ/k)·Γ(1/k)·(P(1/k, (b/λ)^k) - P(1/k, (a/λ)^k)).
    let s = 1.0 / shape;
    let at = |x: f64| if x.is_infinite() { f64::INFINITY } else { libm::pow(x / scale, shape) };
    floor + scale * s * libm::tgamma(s) * gamma_p_between(s, at(floor), at(cap))
}

/// `P(s, x2) - P(s, x1)` for `x1 <= x2`, P the regularized lower incomplete gamma function,
/// computed on the side that does not cancel.
fn gamma_p_between(s: f64, x1: f64, x2: f64) -> f64 {
    if x2 < s + 1.0 {
        gamma_p_series(s, x2) - gamma_p_series(s, x1)
    } else {
        let q1 = if x1 < s + 1.0 { 1.0 - gamma_p_series(s, x1) } else { gamma_q_fraction(s, x1) };
        q1 - gamma_q_fraction(s, x2)
    }
}

/// P(s, x) by its series, for x < s + 1.
fn gamma_p_series(s: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let (mut term, mut sum, mut n) = (1.0 / s, 1.0 / s, s);
    for _ in 0..10_000 {
        n += 1.0;
        term *= x / n;
        sum += term;
        if term.abs() < sum.abs() * 1e-16 {
            break;
        }
    }
    sum * libm::exp(-x + s * libm::log(x) - libm::lgamma(s))
}

/// Q(s, x) = 1 - P(s, x) by its continued fraction (modified Lentz), for x >= s + 1.
fn gamma_q_fraction(s: f64, x: f64) -> f64 {
    if x.is_infinite() {
        return 0.0;
    }
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - s;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..10_000 {
        let an = -(i as f64) * (i as f64 - s);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
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
    libm::exp(-x + s * libm::log(x) - libm::lgamma(s)) * h
}

#[cfg(test)]
mod tests {
    use crate::dist::Dist;
    use crate::time::{MS_PER_HOUR, SimTime};

    fn close(got: f64, want: f64, rel: f64) {
        assert!((got - want).abs() <= rel * want.abs(), "got {got}, want {want}");
    }

    const H: f64 = MS_PER_HOUR as f64;

    #[test]
    fn exponential_fixed_and_uniform_by_hand() {
        // Exp(1h) cut at 1h: 1h·(1 - e^-1) = 0.632120558828558 h.
        let exp = Dist::exp(SimTime(MS_PER_HOUR)).unwrap();
        close(exp.clipped_mean_ms(0.0, H), 0.632_120_558_828_558 * H, 1e-12);
        close(exp.clipped_mean_ms(0.0, f64::INFINITY), H, 1e-15);
        // Exp(1 ms) floored at 1 ms: 1 + e^-1 = 1.367879441171442 ms.
        let fast = Dist::exp(SimTime(1)).unwrap();
        close(fast.clipped_mean_ms(1.0, 1e12), 1.367_879_441_171_442, 1e-12);
        assert_eq!(Dist::Fixed(SimTime(5)).clipped_mean_ms(1.0, 3.0), 3.0);
        assert_eq!(Dist::Fixed(SimTime(0)).clipped_mean_ms(1.0, 3.0), 1.0);
        // Uniform(0, 10) cut at 5: ∫_0^5 (1 - x/10) dx = 3.75; floored at 2 instead: 2 + ∫_2^10 = 2 + 3.2.
        let u = Dist::uniform(SimTime(0), SimTime(10)).unwrap();
        close(u.clipped_mean_ms(0.0, 5.0), 3.75, 1e-15);
        close(u.clipped_mean_ms(2.0, f64::INFINITY), 5.2, 1e-15);
        // A health check of 3 x 10 s is uniform on (20 s, 30 s): mean 25 s.
        let hc = Dist::HealthCheck { interval_ms: 10_000, threshold: 3 };
        close(hc.clipped_mean_ms(0.0, f64::INFINITY), 25_000.0, 1e-15);
    }

    #[test]
    fn weibull_against_its_closed_forms() {
        // Shape 1 is the exponential.
        let w1 = Dist::weibull(1.0, SimTime(MS_PER_HOUR)).unwrap();
        close(w1.clipped_mean_ms(0.0, H), 0.632_120_558_828_558 * H, 1e-9);
        // Shape 2: ∫_0^b e^-(x/λ)² dx = λ·√π/2·erf(b/λ); λ = 1000/Γ(1.5) = 1128.379167095513,
        // b = λ: λ·0.886226925452758·0.842700792949715 = 842.700792949715.
        let w2 = Dist::weibull(2.0, SimTime(1000)).unwrap();
        let lambda = 1_128.379_167_095_513;
        close(w2.clipped_mean_ms(0.0, lambda), 842.700_792_949_715, 1e-9);
        close(w2.clipped_mean_ms(0.0, f64::INFINITY), 1000.0, 1e-9);
        // Shape 0.5: ∫_a^b e^-√(x/λ) dx = 2λ[(1+√(a/λ))e^-√(a/λ) - (1+√(b/λ))e^-√(b/λ)];
        // mean 2000 gives λ = 1000; floor 10, cap 4000:
        // 10 + 2000·[(1.1)e^-0.1 - 3e^-2] = 10 + 2000·(0.99532116 - 0.40600585) = 1188.63062.
        let w05 = Dist::weibull(0.5, SimTime(2000)).unwrap();
        close(w05.clipped_mean_ms(10.0, 4000.0), 1_188.630_620_259, 1e-9);
    }

    #[test]
    fn a_heavy_lognormal_is_mostly_its_floor() {
        // LogNormal(mean: 2000h, sigma: 10): mu = ln(7.2e9) - 50 = -27.302653; over 10 y
        // (H = 3.1536e11 ms), floored at 1 ms. By hand, with Φ from erfc (Python's math.erfc):
        // P(X < 1) = Φ(2.730265) = 0.996836; E[X; 1 <= X < H] = 7.2e9·[Φ(-4.622037) -
        // Φ(-7.269735)] = 7.2e9·(1.899955e-6 - 1.8e-13) = 13679.67; H·P(X >= H) =
        // 3.1536e11·(1 - Φ(5.377963)) = 3.1536e11·3.766657e-8 = 11878.53. Sum: 25559.20 ms,
        // about 26 s against a mean of 2000 h.
        let d = Dist::lognormal(SimTime(2000 * MS_PER_HOUR), 10.0).unwrap();
        let horizon = 10.0 * 8760.0 * H;
        close(d.clipped_mean_ms(1.0, horizon), 25_559.197, 1e-6);
        // A light one is its mean.
        let light = Dist::lognormal(SimTime(MS_PER_HOUR), 0.5).unwrap();
        close(light.clipped_mean_ms(1.0, horizon), H, 1e-9);
    }
}
