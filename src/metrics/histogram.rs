//! Durations in fixed log buckets with integer counts: exact merges, quantiles within 0.1%.
//!
//! Values below 2048 ms have a bucket each. Above, a bucket spans the values that share their
//! top 11 significant bits, so its width is less than 1/1024 of its lower bound. Each bucket
//! keeps its count and the exact sum of its values, and a quantile reports the mean of the
//! bucket holding the nearest rank: within 0.1% of the true order statistic, and exact when the
//! bucket holds one distinct value (a `Fixed` recovery time prints as written). Buckets live in
//! a `BTreeMap`, so memory grows with the number of distinct buckets seen (a few thousand at
//! most in practice), not with the number of values; merging adds integers, so the fold order
//! cannot change a result.

use std::collections::BTreeMap;

/// A mergeable histogram of durations in ms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogHistogram {
    buckets: BTreeMap<u32, (u64, u128)>,
    count: u64,
    max: u64,
}

const EXACT_BELOW: u64 = 2048;
const MANTISSA_BITS: u32 = 10;

/// The bucket of value `v`.
pub fn bucket_of(v: u64) -> u32 {
    if v < EXACT_BELOW {
        return v as u32;
    }
    let exponent = 63 - v.leading_zeros(); // >= 11
    let shift = exponent - MANTISSA_BITS;
    let mantissa = (v >> shift) as u32; // in [1024, 2047]
    EXACT_BELOW as u32 + (exponent - 11) * 1024 + (mantissa - 1024)
}

impl LogHistogram {
    /// Records one value.
    pub fn record(&mut self, v: u64) {
        let slot = self.buckets.entry(bucket_of(v)).or_insert((0, 0));
        slot.0 += 1;
        slot.1 += u128::from(v);
        self.count += 1;
        self.max = self.max.max(v);
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &LogHistogram) {
        for (&b, &(n, sum)) in &other.buckets {
            let slot = self.buckets.entry(b).or_insert((0, 0));
            slot.0 += n;
            slot.1 += sum;
        }
        self.count += other.count;
        self.max = self.max.max(other.max);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The exact mean of the values, if any.
    pub fn mean(&self) -> Option<f64> {
        let sum: u128 = self.buckets.values().map(|&(_, s)| s).sum();
        (self.count > 0).then(|| sum as f64 / self.count as f64)
    }

    /// The largest value, exactly; `None` when empty.
    pub fn max(&self) -> Option<u64> {
        (self.count > 0).then_some(self.max)
    }

    /// The nearest-rank `q` quantile (rank ⌈q·n⌉, at least 1), as the mean of its bucket in ms.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = (libm::ceil(q * self.count as f64) as u64).clamp(1, self.count);
        self.at_rank(rank)
    }

    /// The value of rank `rank` (1-based, at most the count), as the mean of its bucket in ms.
    pub fn at_rank(&self, rank: u64) -> Option<f64> {
        if rank == 0 || rank > self.count {
            return None;
        }
        let mut seen = 0;
        for &(n, sum) in self.buckets.values() {
            seen += n;
            if seen >= rank {
                return Some(sum as f64 / n as f64);
            }
        }
        unreachable!("rank <= count")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_narrower_than_a_thousandth() {
        let mut v = 1u64;
        while v < u64::MAX / 3 {
            let b = bucket_of(v);
            assert!(bucket_of(v + 1) >= b, "monotone at {v}");
            if v >= EXACT_BELOW {
                let shift = 63 - v.leading_zeros() - MANTISSA_BITS;
                let (lo, width) = ((v >> shift) << shift, 1u64 << shift);
                assert_eq!(bucket_of(lo), b);
                assert_ne!(bucket_of(lo - 1), b, "{v}: bucket starts at {lo}");
                assert_eq!(bucket_of(lo + width), b + 1, "{v}: next bucket starts at {}", lo + width);
                assert!(width as f64 <= lo as f64 / 1024.0, "{v}: width {width} at {lo}");
            } else {
                assert_eq!(b as u64, v, "exact below 2048");
            }
            v = v * 3 / 2 + 1;
        }
    }

    #[test]
    fn nearest_rank_quantiles() {
        let mut h = LogHistogram::default();
        for v in 1..=100u64 {
            h.record(v);
        }
        assert_eq!(h.quantile(0.5), Some(50.0));
        assert_eq!(h.quantile(0.95), Some(95.0));
        assert_eq!(h.quantile(0.99), Some(99.0));
        assert_eq!(h.quantile(0.0), Some(1.0));
        assert_eq!(h.quantile(1.0), Some(100.0));
        assert_eq!(h.max(), Some(100));
        assert_eq!(LogHistogram::default().quantile(0.5), None);
    }

    #[test]
    fn repeated_values_are_exact_and_large_ones_within_a_thousandth() {
        let mut h = LogHistogram::default();
        for _ in 0..10 {
            h.record(695_000);
        }
        assert_eq!(h.quantile(0.95), Some(695_000.0));
        let mut h = LogHistogram::default();
        let values: Vec<u64> = (0..1000).map(|i| 3_600_000 + i * 997).collect();
        for &v in &values {
            h.record(v);
        }
        let exact = values[949] as f64; // rank 950 of 1000
        let got = h.quantile(0.95).unwrap();
        assert!((got - exact).abs() <= exact / 1000.0, "{got} vs {exact}");
    }

    /// The mean is exact (bucket sums are kept whole), and `at_rank` is the nearest-rank order
    /// statistic: checked by hand on values in the exact and the log ranges.
    #[test]
    fn mean_and_ranks_by_hand() {
        let mut h = LogHistogram::default();
        assert_eq!((h.mean(), h.at_rank(1)), (None, None));
        for v in [0, 1000, 1000, 30_000, 3_600_000] {
            h.record(v);
        }
        assert_eq!(h.mean(), Some(3_632_000.0 / 5.0));
        assert_eq!((h.at_rank(1), h.at_rank(2), h.at_rank(3)), (Some(0.0), Some(1000.0), Some(1000.0)));
        assert_eq!((h.at_rank(4), h.at_rank(5), h.at_rank(6)), (Some(30_000.0), Some(3_600_000.0), None));
        assert_eq!(h.at_rank(0), None);
    }

    #[test]
    fn merge_is_order_free() {
        let (mut a, mut b) = (LogHistogram::default(), LogHistogram::default());
        for v in [5u64, 70_000, 9_999_999] {
            a.record(v);
        }
        for v in [1u64, 70_001, 123_456_789] {
            b.record(v);
        }
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.count(), 6);
        assert_eq!(ab.max(), Some(123_456_789));
    }
}
