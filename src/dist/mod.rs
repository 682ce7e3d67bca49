//! Probability distributions of durations, validated once and sampled by inverse CDF.
//!
//! Owns [`Dist`], the compiled form of a distribution literal: parameters are checked and
//! converted when the scenario is compiled (Weibull scale from the mean via `libm::tgamma`,
//! LogNormal mu from the mean), so the engine never re-checks them. Sampling maps exactly one
//! `u64` to one duration through the inverse CDF (DESIGN rule 7), with every transcendental
//! function from `libm` or, for the logarithm of the exponential and Weibull samplers, from
//! [`ln()`], our own (rule 8), and rounds to whole milliseconds once, half up (rule 1).

mod clipped;
mod ln;
mod normal;
mod sample;

pub use ln::ln;
pub use normal::normal_quantile;
pub use sample::{unit_open, unit_open_closed};

use crate::time::SimTime;

/// A validated distribution of durations. Parameters are in milliseconds `[ms]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    /// Exponential with mean `mean_ms` > 0.
    Exp {
        /// Mean `[ms]`.
        mean_ms: f64,
    },
    /// Weibull: P(X > x) = exp(-(x / scale)^shape).
    Weibull {
        /// Shape k > 0.
        shape: f64,
        /// Scale `[ms]`, derived from the mean: mean / Γ(1 + 1/k).
        scale_ms: f64,
    },
    /// Log-normal: ln X ~ Normal(mu, sigma²), X in ms.
    LogNormal {
        /// Mean of ln(X / 1 ms), derived from the mean: ln(mean) - sigma²/2.
        mu: f64,
        /// Standard deviation of ln X, > 0.
        sigma: f64,
    },
    /// Always the same duration.
    Fixed(SimTime),
    /// Detection by a periodic health check: `threshold` failed checks `interval` apart, the
    /// failure at a uniformly random phase of the cycle, so uniform on
    /// ((threshold - 1) · interval, threshold · interval).
    HealthCheck {
        /// Time between checks `[ms]`, > 0.
        interval_ms: u64,
        /// Consecutive failed checks needed, >= 1.
        threshold: u32,
    },
    /// Uniform on `[lo, hi]` `[ms]`.
    Uniform {
        /// Lower bound `[ms]`.
        lo_ms: u64,
        /// Upper bound `[ms]`, >= `lo_ms`.
        hi_ms: u64,
    },
}

/// Why distribution parameters were rejected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A mean must be a positive duration.
    #[error("the mean must be positive")]
    NonPositiveMean,
    /// Weibull shape must be a positive finite number.
    #[error("the Weibull shape must be a positive number, got {0}")]
    NonPositiveShape(f64),
    /// LogNormal sigma must be a positive finite number.
    #[error("sigma must be a positive number, got {0}")]
    NonPositiveSigma(f64),
    /// Uniform bounds in the wrong order.
    #[error("lo ({lo}) is greater than hi ({hi})")]
    LoAboveHi {
        /// The lower bound as written.
        lo: SimTime,
        /// The upper bound as written.
        hi: SimTime,
    },
    /// Derived parameters are not finite (a shape so small that Γ(1 + 1/k) overflows).
    #[error("the parameters give a distribution that cannot be sampled (Γ(1 + 1/shape) overflows)")]
    NotFinite,
}

impl Dist {
    /// Exponential with the given mean.
    pub fn exp(mean: SimTime) -> Result<Dist, DistError> {
        positive(mean).map(|mean_ms| Dist::Exp { mean_ms })
    }

    /// Weibull with the given shape and mean.
    pub fn weibull(shape: f64, mean: SimTime) -> Result<Dist, DistError> {
        if !(shape.is_finite() && shape > 0.0) {
            return Err(DistError::NonPositiveShape(shape));
        }
        let mean_ms = positive(mean)?;
        let scale_ms = mean_ms / libm::tgamma(1.0 + 1.0 / shape);
        if !(scale_ms.is_finite() && scale_ms > 0.0) {
            return Err(DistError::NotFinite);
        }
        Ok(Dist::Weibull { shape, scale_ms })
    }

    /// Log-normal with the given mean and sigma of the underlying normal.
    pub fn lognormal(mean: SimTime, sigma: f64) -> Result<Dist, DistError> {
        if !(sigma.is_finite() && sigma > 0.0) {
            return Err(DistError::NonPositiveSigma(sigma));
        }
        let mean_ms = positive(mean)?;
        Ok(Dist::LogNormal { mu: libm::log(mean_ms) - sigma * sigma / 2.0, sigma })
    }

    /// Uniform between `lo` and `hi`.
    pub fn uniform(lo: SimTime, hi: SimTime) -> Result<Dist, DistError> {
        if lo > hi {
            return Err(DistError::LoAboveHi { lo, hi });
        }
        Ok(Dist::Uniform { lo_ms: lo.as_ms(), hi_ms: hi.as_ms() })
    }

    /// The exact mean `[ms]` (before rounding samples to whole ms).
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Dist::Exp { mean_ms } => mean_ms,
            Dist::Weibull { shape, scale_ms } => scale_ms * libm::tgamma(1.0 + 1.0 / shape),
            Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * sigma / 2.0),
            Dist::Fixed(t) => t.as_ms() as f64,
            Dist::Uniform { lo_ms, hi_ms } => (lo_ms as f64 + hi_ms as f64) / 2.0,
            Dist::HealthCheck { interval_ms, threshold } => (f64::from(threshold) - 0.5) * interval_ms as f64,
        }
    }

    /// Maps one random word to one duration by the inverse CDF, rounded to whole ms half up.
    /// The exponential, the engine's usual law, is sampled inline at the call site; the other
    /// laws out of line (the same arithmetic either way).
    #[inline(always)]
    pub fn sample(&self, word: u64) -> SimTime {
        match *self {
            Dist::Exp { mean_ms } => round_ms(sample::exponential(word, mean_ms)),
            _ => self.sample_other(word),
        }
    }

    /// [`Dist::sample`] of the laws other than the exponential.
    #[inline(never)]
    fn sample_other(&self, word: u64) -> SimTime {
        let ms = match *self {
            Dist::Exp { mean_ms } => sample::exponential(word, mean_ms),
            Dist::Weibull { shape, scale_ms } => sample::weibull(word, shape, scale_ms),
            Dist::LogNormal { mu, sigma } => sample::lognormal(word, mu, sigma),
            Dist::Fixed(t) => return t,
            Dist::Uniform { lo_ms, hi_ms } => sample::uniform(word, lo_ms, hi_ms),
            Dist::HealthCheck { interval_ms, threshold } => {
                let lo = interval_ms.saturating_mul(u64::from(threshold - 1));
                sample::uniform(word, lo, lo.saturating_add(interval_ms))
            }
        };
        round_ms(ms)
    }
}

fn positive(mean: SimTime) -> Result<f64, DistError> {
    if mean == SimTime::ZERO { Err(DistError::NonPositiveMean) } else { Ok(mean.as_ms() as f64) }
}

/// Rounds a non-negative duration in ms to whole ms, half up, saturating below "never".
/// For x >= 0, truncating x + 0.5 toward zero is floor(x + 0.5): exact, and cheaper than a
/// call. Below 2^63 ms (any duration short of 292 million years) the truncation goes through
/// `i64`, one instruction on x86-64, where `u64` takes a dozen: the same value. There `as i64`
/// would still test for NaN and saturate (six instructions more a sample, which the range test
/// just made moot); `to_int_unchecked` is the bare truncation.
#[inline]
fn round_ms(ms: f64) -> SimTime {
    const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
    let shifted = ms + 0.5;
    if (1.0..TWO_POW_63).contains(&shifted) {
        // SAFETY: `shifted` is in [1, 2^63): finite, and its truncation toward zero fits an
        // `i64`, which is all `to_int_unchecked` asks.
        let whole = unsafe { shifted.to_int_unchecked::<i64>() };
        SimTime(whole as u64)
    } else if shifted >= (u64::MAX - 1) as f64 {
        SimTime(u64::MAX - 1)
    } else if shifted >= 1.0 {
        SimTime(shifted as u64)
    } else {
        SimTime::ZERO
    }
}

#[cfg(test)]
mod tests;
