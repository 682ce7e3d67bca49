//! The natural logarithm of the exponential and Weibull samplers: fast, within 0.52 ulp, and
//! the same bits on every platform.
//!
//! Owns [`ln`], and [`ln_positive_normal`], the same bits for the positive normal arguments the
//! samplers take (U in (0, 1]) without the tests for zero, subnormals, negatives, infinities
//! and NaN (5.7 instructions an event fewer on bench-tiers, callgrind). Both use only IEEE-754
//! basic operations (+ - * / on `f64`, rounded to nearest) and integer operations on the bits
//! of an `f64`: no platform math and no fused multiply-add (Rust never contracts `a * b + c`
//! into one), so their results are the same on every machine
//! (DESIGN rule 8).
//!
//! # Algorithm
//!
//! The structure is that of the table-driven `log` of ARM's optimized-routines (Szabolcs Nagy;
//! musl's `log.c` since 1.1.20), in its variant without FMA; the table, the polynomials and the
//! path near 1 are our own, each with a reproducible derivation.
//!
//! - **Reduction.** x = 2^k z with z in [0x1.6p-1, 0x1.6p0) (subnormals are scaled by 2^52
//!   first). The top 7 bits of z's significand, counted from the bit pattern `OFF`, pick one of
//!   128 subintervals, and its entry gives a double `invc` near 1/z, a double `c` within 2^-66 of
//!   1/invc, and ln(1/invc) in two parts. Then ln x = k ln 2 + ln(1/invc) + ln(1 + r) with
//!   r = z invc - 1, |r| < 2^-8, computed as (z - c) invc: z - c is exact (Sterbenz), so r has
//!   one rounding, under 2^-62, plus under 2^-66 from c.
//! - **Sum.** ln 2 = `LN2_HI` + `LN2_LO` with `LN2_HI` a multiple of 2^-42 with 42 bits, and
//!   `log_c` a multiple of 2^-43, so that w = k `LN2_HI` + `log_c` is exact for every k a double
//!   has; hi = w + r and its rounding error lo are exact (Fast2Sum: |w| > |r| off the path near
//!   1). ln(1 + r) - r is the Taylor series -r²/2 + r³/3 - ... + r⁷/7, whose coefficients are
//!   the quotients 1/n rounded (its truncation error is under r⁸/8 < 2^-67). The result is
//!   hi + (lo + k `LN2_LO` + `log_c_lo` + the series): one rounding of an accurate sum.
//! - **Near 1** (1 - 2^-4 <= x < 1 + 0x1.09p-4, where |ln x| < 2^-4 would make r's rounding
//!   count): with f = x - 1 (exact), ln x = f - f²/2 + s (f²/2 + R), s = f / (2 + f),
//!   R = 2s²/3 + 2s⁴/5 + ... + 2s¹⁰/11 (the atanh series, as in fdlibm; truncation under
//!   2^-62 of the result). f - f²/2 is made exact as a sum hi + lo by splitting f into two
//!   halves of 26 bits (as ARM's routine does), so only the small tail s (f²/2 + R), under
//!   f³/2, carries rounding errors. x = 1 gives +0 exactly.
//!
//! The table is in `ln/table.rs`, written by `ln/gen_table.py` (Python's exact fractions and
//! decimal ln), whose docs give the rule; a test derives every entry again in Rust and compares
//! bits. The coefficients are written as the quotients they are (`1.0 / 3.0`, ...), which Rust
//! rounds correctly.
//!
//! # Accuracy
//!
//! The bound from the steps above is 0.5 ulp (the last rounding) + 0.016 (r) + 0.002 (c, the
//! series) + smaller terms, reached only when |ln x| is just above 2^-4. Measured against
//! dashu-float's correctly rounded ln at 128 bits over 10^7 arguments (random positive finite
//! doubles, subnormals, [0.5, 2], near 1, and the samplers' inputs k 2^-53), the largest error
//! is 0.5150 ulp, at x = 1.0767704803756748 (0x3FF13A73AEE8300F); `cargo test --release --lib
//! -- --ignored ln_accuracy --nocapture` prints the largest error of each kind of argument
//! (about 13 minutes of CPU). Special values: ln 1 = +0, ln(+inf) = +inf, ln(±0) = -inf, and
//! NaN for NaN and every negative x.
//!
//! # Why not `libm::log`
//!
//! `libm::log` (FreeBSD's `e_log.c`) is portable too and within 1 ulp, but divides on every
//! call and was 25% to 29% of the engine's time. This one divides only near 1 (6% of the
//! samplers' inputs) and is about 1.5 times faster. On 7.2% of the samplers' inputs it gives
//! another double than `libm::log`, by 1 ulp, and is then the nearer to the exact value 996
//! times in 1,000; no whole-ms draw of an exponential of mean 1 h changed in 10^8 (`--ignored
//! ln_against_libm`). The other logarithms stay on `libm`: parameter conversions, nines and
//! Student t run once per result, and the log-normal sampler, dominated by its `libm::exp`,
//! takes a logarithm only in its 5% of tails.

#[cfg(test)]
mod tests;

mod table;

use table::TABLE;

/// Number of subintervals of z's range: 2^7.
const N: usize = 128;
/// The bit pattern of 0x1.6p-1, the start of z's range [0x1.6p-1, 0x1.6p0).
const OFF: u64 = 0x3FE6_0000_0000_0000;
/// ln 2 rounded to a multiple of 2^-42 (42 bits): k `LN2_HI` is exact for |k| < 2^11.
const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEFA_3800);
/// ln 2 - `LN2_HI`, rounded to nearest.
const LN2_LO: f64 = f64::from_bits(0x3D2E_F357_93C7_6730);
/// The path near 1 takes the bit patterns of [1 - 2^-4, 1 + 0x1.09p-4): outside it,
/// |ln x| > 2^-4.
const NEAR_ONE_LO: u64 = 0x3FEE_0000_0000_0000;
const NEAR_ONE_HI: u64 = 0x3FF1_0900_0000_0000;
/// 2^52, to scale a subnormal x into the normal range.
const TWO_POW_52: f64 = 4_503_599_627_370_496.0;
/// 2^27, to split a double into two halves of 26 bits.
const TWO_POW_27: f64 = 134_217_728.0;

/// ln(1 + r) - r = r² (`A[0]` + r `A[1]` + ... + r⁵ `A[5]`): the Taylor coefficients (-1)^(n+1)/n.
const A: [f64; 6] = [-1.0 / 2.0, 1.0 / 3.0, -1.0 / 4.0, 1.0 / 5.0, -1.0 / 6.0, 1.0 / 7.0];
/// 2 atanh(s) = 2s + s R, R = s² (`B[0]` + s² `B[1]` + ... + s⁸ `B[4]`): the coefficients 2/(2n+1).
const B: [f64; 5] = [2.0 / 3.0, 2.0 / 5.0, 2.0 / 7.0, 2.0 / 9.0, 2.0 / 11.0];

/// The reduction constants of one subinterval of z.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Near 1 / the subinterval's midpoint: r = z invc - 1.
    invc: f64,
    /// Within 2^-66 of 1 / invc: r is computed as (z - c) invc.
    c: f64,
    /// ln(1 / invc) rounded to a multiple of 2^-43.
    log_c: f64,
    /// ln(1 / invc) - `log_c`, rounded to nearest.
    log_c_lo: f64,
}

/// The natural logarithm of `x`, within 0.52 ulp, with the same bits on every platform.
///
/// ln 1 = +0, ln(+inf) = +inf, ln(±0) = -inf; NaN for NaN and for every negative `x`.
#[inline]
pub fn ln(x: f64) -> f64 {
    let mut ix = x.to_bits();
    if ix.wrapping_sub(NEAR_ONE_LO) < NEAR_ONE_HI - NEAR_ONE_LO {
        return near_one(x - 1.0);
    }
    let top = ix >> 48;
    if top.wrapping_sub(0x0010) >= 0x7FF0 - 0x0010 {
        // Zero, subnormal, negative, infinite or NaN.
        if ix << 1 == 0 {
            return f64::NEG_INFINITY;
        }
        if ix == f64::INFINITY.to_bits() {
            return x;
        }
        if top & 0x8000 != 0 || top & 0x7FF0 == 0x7FF0 {
            return f64::NAN;
        }
        // A positive subnormal: scaled by 2^52 (exact), with 52 taken off its exponent field.
        ix = (x * TWO_POW_52).to_bits().wrapping_sub(52 << 52);
    }
    reduced(ix)
}

/// [`ln`] of a positive normal `x` (finite, at least 2^-1022), such as the samplers' U in
/// (0, 1], which is at least 2^-53: the same bits, without the tests for the other values.
/// Always inlined, with the path near 1 (6% of the samplers' inputs) out of line: the engine's
/// plain events then run 3% and 1% faster (bench-tiers, best of 7 alternating runs).
#[inline(always)]
pub fn ln_positive_normal(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0, "{x:e} is not positive normal");
    let ix = x.to_bits();
    if ix.wrapping_sub(NEAR_ONE_LO) < NEAR_ONE_HI - NEAR_ONE_LO {
        return near_one(x - 1.0);
    }
    reduced(ix)
}

/// ln x off the path near 1, from the bits `ix` of a positive normal x (or of a subnormal's
/// scaled value, its exponent field lowered by 52).
#[inline(always)]
fn reduced(ix: u64) -> f64 {
    // x = 2^k z with z in [0x1.6p-1, 0x1.6p0) and subinterval i: fields of ix - OFF.
    let tmp = ix.wrapping_sub(OFF);
    let i = (tmp >> 45) as usize % N;
    let k = (tmp as i64) >> 52;
    let z = f64::from_bits(ix.wrapping_sub(tmp & (0xFFF << 52)));
    let t = &TABLE[i];
    let r = (z - t.c) * t.invc;
    let kd = k as f64;
    let w = kd * LN2_HI + t.log_c;
    let hi = w + r;
    let lo = w - hi + r;
    let r2 = r * r;
    let p = r2 * A[0] + r * r2 * (A[1] + r * A[2] + r2 * (A[3] + r * A[4] + r2 * A[5]));
    hi + (lo + (kd * LN2_LO + t.log_c_lo) + p)
}

/// ln(1 + f) for -2^-4 <= f < 0x1.09p-4: f - f²/2 exact as hi + lo, plus the atanh tail.
#[inline(never)]
fn near_one(f: f64) -> f64 {
    let s = f / (2.0 + f);
    let s2 = s * s;
    let r = s2 * (B[0] + s2 * (B[1] + s2 * (B[2] + s2 * (B[3] + s2 * B[4]))));
    let tail = s * (0.5 * f * f + r);
    // f = f_hi + f_lo with f_hi of 26 bits, so f_hi² is exact; f² = f_hi² + f_lo (f_hi + f).
    let spread = f * TWO_POW_27;
    let f_hi = f + spread - spread;
    let f_lo = f - f_hi;
    let half_sq_hi = 0.5 * f_hi * f_hi;
    let hi = f - half_sq_hi;
    let lo = f - hi - half_sq_hi - 0.5 * f_lo * (f_hi + f);
    hi + (lo + tail)
}
