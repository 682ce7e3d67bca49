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
//!
//! In JSON (`result.json`) a histogram is `{"count": n, "max": ms, "buckets": [[index, count,
//! sum], ...]}`, buckets ascending, empty ones left out. The per-bucket sum is kept because a
//! quantile is the mean of its bucket: without it, a histogram read back could not give the
//! quantiles the report printed. Reading one back checks every bucket ([`HistogramError`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A mergeable histogram of durations in ms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Wire")]
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

/// The largest bucket index (that of `u64::MAX`).
pub const MAX_BUCKET: u32 = EXACT_BELOW as u32 + (63 - 11) * 1024 + 1023;

/// The smallest and largest value of bucket `b` (at most [`MAX_BUCKET`]), inclusive.
pub fn bucket_bounds(b: u32) -> (u64, u64) {
    if u64::from(b) < EXACT_BELOW {
        return (u64::from(b), u64::from(b));
    }
    let k = b - EXACT_BELOW as u32;
    let shift = k / 1024 + 11 - MANTISSA_BITS;
    let lo = u64::from(k % 1024 + 1024) << shift;
    (lo, lo + ((1u64 << shift) - 1))
}

/// A histogram in JSON that cannot be one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistogramError {
    /// A bucket index past the last bucket.
    #[error("histogram bucket {0} does not exist (the last is {MAX_BUCKET})")]
    NoSuchBucket(u32),
    /// Buckets not in ascending order, or one given twice.
    #[error("histogram buckets are not in ascending order at bucket {0}")]
    Unordered(u32),
    /// A bucket with no value.
    #[error("histogram bucket {0} has a count of 0")]
    Empty(u32),
    /// A sum that values of the bucket cannot make.
    #[error("histogram bucket {bucket}: a sum of {sum} cannot be {count} values from {lo} to {hi}")]
    Sum {
        /// The bucket.
        bucket: u32,
        /// Its count.
        count: u64,
        /// Its sum.
        sum: u128,
        /// Its smallest value.
        lo: u64,
        /// Its largest value.
        hi: u64,
    },
    /// `count` is not the sum of the buckets' counts.
    #[error("histogram count {count} is not the buckets' total {total}")]
    Count {
        /// The count given.
        count: u64,
        /// The buckets' total.
        total: u128,
    },
    /// `max` outside the last bucket (or not 0 without values).
    #[error("histogram max {0} is not in its last bucket")]
    Max(u64),
}

/// The JSON form: `count`, `max`, and `[index, count, sum]` per non-empty bucket, ascending.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    count: u64,
    max: u64,
    buckets: Vec<(u32, u64, u128)>,
}

impl Serialize for LogHistogram {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let buckets = self.buckets.iter().map(|(&b, &(n, sum))| (b, n, sum)).collect();
        Wire { count: self.count, max: self.max, buckets }.serialize(serializer)
    }
}

impl TryFrom<Wire> for LogHistogram {
    type Error = HistogramError;

    fn try_from(wire: Wire) -> Result<LogHistogram, HistogramError> {
        let mut buckets = BTreeMap::new();
        let mut total = 0u128;
        let mut last: Option<u32> = None;
        for (b, n, sum) in wire.buckets {
            if b > MAX_BUCKET {
                return Err(HistogramError::NoSuchBucket(b));
            }
            if last.is_some_and(|l| b <= l) {
                return Err(HistogramError::Unordered(b));
            }
            if n == 0 {
                return Err(HistogramError::Empty(b));
            }
            let (lo, hi) = bucket_bounds(b);
            if sum < u128::from(n) * u128::from(lo) || sum > u128::from(n) * u128::from(hi) {
                return Err(HistogramError::Sum { bucket: b, count: n, sum, lo, hi });
            }
            total += u128::from(n);
            last = Some(b);
            buckets.insert(b, (n, sum));
        }
        if total != u128::from(wire.count) {
            return Err(HistogramError::Count { count: wire.count, total });
        }
        let max_fits = match last {
            None => wire.max == 0,
            Some(b) => {
                let (lo, hi) = bucket_bounds(b);
                let (n, sum) = buckets[&b];
                (lo..=hi).contains(&wire.max) && sum <= u128::from(n) * u128::from(wire.max)
            }
        };
        if !max_fits {
            return Err(HistogramError::Max(wire.max));
        }
        Ok(LogHistogram { buckets, count: wire.count, max: wire.max })
    }
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

    /// The non-empty buckets, ascending: `(index, count, mean [ms])`.
    pub fn buckets(&self) -> impl Iterator<Item = (u32, u64, f64)> + '_ {
        self.buckets.iter().map(|(&b, &(n, sum))| (b, n, sum as f64 / n as f64))
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

    fn from_json(text: &str) -> Result<LogHistogram, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn bucket_bounds_invert_bucket_of() {
        for b in [0, 1, 2047, 2048, 2049, 3071, 3072, 10_000, MAX_BUCKET - 1, MAX_BUCKET] {
            let (lo, hi) = bucket_bounds(b);
            assert_eq!((bucket_of(lo), bucket_of(hi)), (b, b), "{b}: {lo}..={hi}");
            if b > 0 {
                assert_eq!(bucket_of(lo - 1), b - 1, "{b}");
            }
        }
        assert_eq!(bucket_of(u64::MAX), MAX_BUCKET);
        assert_eq!(bucket_bounds(2048), (2048, 2049));
    }

    #[test]
    fn json_round_trip_is_exact() {
        let mut h = LogHistogram::default();
        for v in [0, 7, 7, 2048, 2049, 695_000, 695_000, 3_600_123, u64::MAX] {
            h.record(v);
        }
        let text = serde_json::to_string(&h).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"count":9,"max":{max},"buckets":[[0,1,0],[7,2,14],[2048,2,4097],[{a},2,1390000],[{b},1,3600123],[{MAX_BUCKET},1,{max}]]}}"#,
                max = u64::MAX,
                a = bucket_of(695_000),
                b = bucket_of(3_600_123)
            )
        );
        let back = from_json(&text).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.quantile(0.5), h.quantile(0.5));
        assert_eq!(back.mean(), h.mean());
        let empty = serde_json::to_string(&LogHistogram::default()).unwrap();
        assert_eq!(empty, r#"{"count":0,"max":0,"buckets":[]}"#);
        assert_eq!(from_json(&empty).unwrap(), LogHistogram::default());
    }

    #[test]
    fn json_that_cannot_be_a_histogram_is_refused() {
        let b = bucket_of(695_000);
        let (lo, hi) = bucket_bounds(b);
        for (text, says) in [
            (format!(r#"{{"count":1,"max":0,"buckets":[[{},1,0]]}}"#, MAX_BUCKET + 1), "does not exist"),
            (
                r#"{"count":2,"max":7,"buckets":[[7,1,7],[7,1,7]]}"#.into(),
                "not in ascending order at bucket 7",
            ),
            (
                r#"{"count":2,"max":7,"buckets":[[7,1,7],[5,1,5]]}"#.into(),
                "not in ascending order at bucket 5",
            ),
            (r#"{"count":0,"max":7,"buckets":[[7,0,0]]}"#.into(), "bucket 7 has a count of 0"),
            (
                r#"{"count":1,"max":7,"buckets":[[7,1,8]]}"#.into(),
                "a sum of 8 cannot be 1 values from 7 to 7",
            ),
            (format!(r#"{{"count":2,"max":{hi},"buckets":[[{b},2,{}]]}}"#, 2 * hi + 1), "cannot be 2 values"),
            (format!(r#"{{"count":2,"max":{lo},"buckets":[[{b},2,{}]]}}"#, 2 * lo - 1), "cannot be 2 values"),
            (r#"{"count":3,"max":7,"buckets":[[7,1,7]]}"#.into(), "count 3 is not the buckets' total 1"),
            (r#"{"count":1,"max":8,"buckets":[[7,1,7]]}"#.into(), "max 8 is not in its last bucket"),
            (format!(r#"{{"count":2,"max":{lo},"buckets":[[{b},2,{}]]}}"#, 2 * lo + 2), "max"),
            (r#"{"count":0,"max":3,"buckets":[]}"#.into(), "max 3"),
            (r#"{"count":1,"max":7,"buckets":[[7,1]]}"#.into(), "invalid length"),
            (r#"{"count":1,"max":7,"buckets":[[7,-1,7]]}"#.into(), "invalid value"),
            (r#"{"count":1,"max":7}"#.into(), "missing field `buckets`"),
            (r#"{"count":1,"max":7,"buckets":[],"extra":1}"#.into(), "unknown field"),
        ] {
            let e = from_json(&text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
        // The largest sums fit: u64::MAX values of u64::MAX.
        let text = format!(
            r#"{{"count":{m},"max":{m},"buckets":[[{MAX_BUCKET},{m},{}]]}}"#,
            u128::from(u64::MAX) * u128::from(u64::MAX),
            m = u64::MAX
        );
        assert_eq!(from_json(&text).unwrap().max(), Some(u64::MAX));
    }
}
