//! A 256-bit unsigned integer with the few exact operations the availability's variance needs:
//! sums of squares of per-replication downtimes, which overflow `u128` for long horizons and
//! many replications. Integer sums add up the same in any order, so runs split into shards
//! merge to the same bits as one run.

use serde::{Deserialize, Serialize};

/// An unsigned 256-bit integer, little-endian 64-bit limbs. Operations panic on overflow (the
/// statistics never reach 2^256: see `Fold`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Wide([u64; 4]);

impl Wide {
    /// `x`.
    pub fn from_u128(x: u128) -> Wide {
        Wide([x as u64, (x >> 64) as u64, 0, 0])
    }

    /// `x²`, exactly.
    pub fn square(x: u128) -> Wide {
        let (lo, hi) = (x as u64 as u128, x >> 64);
        let mut out = Wide::from_u128(lo * lo);
        let cross = lo * hi; // counted twice, shifted by 64
        out.add_shifted(cross, 1);
        out.add_shifted(cross, 1);
        out.add_shifted(hi * hi, 2);
        out
    }

    /// Adds `x · 2^(64 limbs)`.
    fn add_shifted(&mut self, x: u128, limbs: usize) {
        let mut carry = 0u128;
        let parts = [x as u64, (x >> 64) as u64];
        for k in limbs..4 {
            let add = parts.get(k - limbs).copied().unwrap_or(0);
            let sum = u128::from(self.0[k]) + u128::from(add) + carry;
            self.0[k] = sum as u64;
            carry = sum >> 64;
        }
        assert!(carry == 0, "256-bit overflow");
    }

    /// `self + other`.
    pub fn add(&mut self, other: Wide) {
        let mut carry = 0u128;
        for k in 0..4 {
            let sum = u128::from(self.0[k]) + u128::from(other.0[k]) + carry;
            self.0[k] = sum as u64;
            carry = sum >> 64;
        }
        assert!(carry == 0, "256-bit overflow");
    }

    /// `self · m`.
    pub fn times(self, m: u64) -> Wide {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (o, &limb) in out.iter_mut().zip(&self.0) {
            let p = u128::from(limb) * u128::from(m) + carry;
            *o = p as u64;
            carry = p >> 64;
        }
        assert!(carry == 0, "256-bit overflow");
        Wide(out)
    }

    /// `self - other`, or `None` if `other` is larger.
    pub fn minus(self, other: Wide) -> Option<Wide> {
        let mut out = [0u64; 4];
        let mut borrow = 0i128;
        for (k, o) in out.iter_mut().enumerate() {
            let d = i128::from(self.0[k]) - i128::from(other.0[k]) - borrow;
            borrow = i128::from(d < 0);
            *o = (d + (borrow << 64)) as u64;
        }
        (borrow == 0).then_some(Wide(out))
    }

    /// The nearest `f64` to its top 128 significant bits (the rest truncated): deterministic,
    /// within 2^-127 relatively of the value.
    pub fn to_f64(self) -> f64 {
        let top = (0..4).rev().find(|&k| self.0[k] != 0);
        let Some(top) = top else { return 0.0 };
        if top < 2 {
            return (u128::from(self.0[0]) | (u128::from(self.0[1]) << 64)) as f64;
        }
        // The 128 bits from the highest set one down: `bits` · 2^shift, the rest dropped.
        let lead = self.0[top].leading_zeros();
        let shift = 64 * (top as u32 - 1) - lead;
        let word = |k: usize| u128::from(self.0[k]);
        let value = word(top) << 64 | word(top - 1);
        let bits = if lead == 0 { value } else { (value << lead) | (word(top - 2) >> (64 - lead)) };
        bits as f64 * f64::from_bits((1023 + u64::from(shift)) << 52)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_u128_where_it_fits() {
        for x in [0u128, 1, 7, u64::MAX as u128, (1 << 63) + 12345] {
            assert_eq!(Wide::square(x), Wide::from_u128(x * x));
            assert_eq!(Wide::square(x).to_f64(), (x * x) as f64);
        }
        let mut w = Wide::from_u128(u128::MAX);
        w.add(Wide::from_u128(1));
        assert_eq!(w, Wide([0, 0, 1, 0]));
        assert_eq!(w.minus(Wide::from_u128(1)), Some(Wide::from_u128(u128::MAX)));
        assert_eq!(Wide::from_u128(1).minus(Wide::from_u128(2)), None);
        assert_eq!(Wide::from_u128(3).times(5), Wide::from_u128(15));
    }

    #[test]
    fn past_u128_against_values_computed_by_hand() {
        // (2^100 + 3)² = 2^200 + 6·2^100 + 9, and times 10 and minus back.
        let x = (1u128 << 100) + 3;
        let sq = Wide::square(x);
        let mut want = Wide::default();
        want.0[3] = 1 << (200 - 192);
        want.add(Wide::from_u128(6 << 100));
        want.add(Wide::from_u128(9));
        assert_eq!(sq, want);
        assert_eq!(sq.times(10).minus(sq.times(9)), Some(sq));
        // 2^200 as f64 exactly; 2^200 + 6·2^100 + 9 rounds to 2^200 (53-bit mantissa).
        assert_eq!(sq.to_f64(), libm::ldexp(1.0, 200));
        let mut big = Wide::default();
        big.0[3] = 0x8000_0000_0000_0001;
        assert_eq!(big.to_f64(), libm::ldexp(1.0, 255) + libm::ldexp(1.0, 192));
    }
}
