//! A sum of floats without rounding error, rounded once at the end (Shewchuk's
//! non-overlapping partials, as in CPython's `math.fsum`, with its round-half-even correction).
//!
//! The result is the correctly rounded value of the exact sum, so it does not depend on the
//! order of the terms: two sums of the same terms in different orders give the same bits.
//! [`super`] relies on that to give symmetric components bit-identical values.

/// An exact running sum of finite floats (no overflow: the terms here are probabilities).
#[derive(Clone, Debug, Default)]
pub(super) struct ExactSum {
    /// Non-overlapping partial sums, by increasing magnitude; their exact sum is the total.
    partials: Vec<f64>,
}

impl ExactSum {
    /// Adds `x` exactly.
    pub(super) fn add(&mut self, mut x: f64) {
        let mut kept = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            // Two-sum: hi + lo == x + y exactly.
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        self.partials.push(x);
    }

    /// The exact sum, rounded to the nearest float (ties to even).
    pub(super) fn value(&self) -> f64 {
        let p = &self.partials;
        let Some(&top) = p.last() else { return 0.0 };
        let (mut hi, mut lo) = (top, 0.0);
        let mut n = p.len() - 1;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        // `hi + lo` is exact; if `lo` is half an ulp of `hi` and the partials below push the
        // same way, the correctly rounded result is the other neighbour.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(terms: &[f64]) -> f64 {
        let mut s = ExactSum::default();
        terms.iter().for_each(|&x| s.add(x));
        s.value()
    }

    #[test]
    fn exact_where_naive_summation_is_not() {
        assert_eq!(sum(&[0.1; 10]), 1.0);
        assert_ne!([0.1f64; 10].iter().sum::<f64>(), 1.0);
        assert_eq!(sum(&[1e100, 1.0, -1e100]), 1.0);
        // Each 1e-16 alone is below half an ulp of 1; together they are above it.
        assert_eq!(sum(&[1.0, 1e-16, 1e-16]), 1.0 + f64::EPSILON);
        // Half-way case: 1 + 2^-53 is a tie, rounded to even (1); a tiny push above breaks it.
        let half_ulp = f64::EPSILON / 2.0;
        assert_eq!(sum(&[1.0, half_ulp]), 1.0);
        assert_eq!(sum(&[1.0, half_ulp, 1e-30]), 1.0 + f64::EPSILON);
        assert_eq!(sum(&[]), 0.0);
    }

    #[test]
    fn the_order_of_the_terms_does_not_change_the_bits() {
        let mut terms: Vec<f64> =
            (1..200u32).map(|i| libm::sin(f64::from(i)) * libm::pow(10.0, f64::from(i % 17) - 8.0)).collect();
        let forward = sum(&terms);
        terms.reverse();
        assert_eq!(sum(&terms).to_bits(), forward.to_bits());
        terms.sort_by(f64::total_cmp);
        assert_eq!(sum(&terms).to_bits(), forward.to_bits());
        let naive: f64 = terms.iter().sum();
        assert!((naive - forward).abs() <= 1e-12 * forward.abs(), "{naive} vs {forward}");
    }
}
