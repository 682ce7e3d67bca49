//! Inverse-CDF samplers: one `u64` in, one duration in ms out, through [`ln()`] and `libm`.

use super::ln::ln_positive_normal;
use super::normal::normal_quantile;

const TWO_POW_MINUS_53: f64 = 1.0 / (1u64 << 53) as f64;
const TWO_POW_MINUS_52: f64 = 1.0 / (1u64 << 52) as f64;

/// Maps a word to (0, 1]: the top 53 bits, plus one, times 2^-53.
pub fn unit_open_closed(word: u64) -> f64 {
    ((word >> 11) + 1) as f64 * TWO_POW_MINUS_53
}

/// Maps a word to (0, 1), symmetric about 1/2: the top 52 bits plus one half, times 2^-52
/// (52, not 53, so that the largest value, 1 - 2^-53, is exactly representable below 1).
pub fn unit_open(word: u64) -> f64 {
    ((word >> 12) as f64 + 0.5) * TWO_POW_MINUS_52
}

/// Exponential: -mean ln U, U in (0, 1].
#[inline(always)]
pub fn exponential(word: u64, mean_ms: f64) -> f64 {
    -mean_ms * ln_positive_normal(unit_open_closed(word))
}

/// Weibull: scale (-ln U)^(1/shape).
pub fn weibull(word: u64, shape: f64, scale_ms: f64) -> f64 {
    scale_ms * libm::pow(-ln_positive_normal(unit_open_closed(word)), 1.0 / shape)
}

/// Log-normal: exp(mu + sigma Φ⁻¹(U)), U in (0, 1).
pub fn lognormal(word: u64, mu: f64, sigma: f64) -> f64 {
    libm::exp(mu + sigma * normal_quantile(unit_open(word)))
}

/// Uniform on [lo, hi]: lo + U (hi - lo), U in (0, 1).
pub fn uniform(word: u64, lo_ms: u64, hi_ms: u64) -> f64 {
    lo_ms as f64 + unit_open(word) * (hi_ms - lo_ms) as f64
}
