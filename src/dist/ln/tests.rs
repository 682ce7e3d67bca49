//! [`ln`] against a correctly rounded reference (dashu-float's ln at 128 bits, Ziv's method),
//! and its table against its rule. The 10^7-argument run is `#[ignore]`d, to run optimised:
//! `cargo test --release --lib -- --ignored ln_accuracy --nocapture`.

use std::cell::RefCell;
use std::rc::Rc;

use dashu_float::round::mode::HalfEven;
use dashu_float::{CachedFBig, ConstCache, FBig};
use rayon::prelude::*;

use super::*;

type Big = FBig<HalfEven, 2>;

/// The bound the tests hold `ln` to, in ulps: ARM's routine's, 0.52.
const MAX_ULPS: f64 = 0.52;

/// SplitMix64 from `seed`, so that the arguments need no RNG crate.
fn splitmix(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The reference: ln x correctly rounded to 128 bits, its constants cached (one per thread).
struct Reference(Rc<RefCell<ConstCache>>);

impl Reference {
    fn new() -> Reference {
        Reference(Rc::new(RefCell::new(ConstCache::new())))
    }

    fn ln(&self, x: f64, precision: usize) -> Big {
        let x = Big::try_from(x).expect("finite").with_precision(precision).value();
        CachedFBig::new(x, self.0.clone()).ln().into_fbig()
    }

    /// |ln(x) - reference| / ulp(reference), ulp(y) = 2^(floor(log2 |y|) - 52) taken from the
    /// reference itself (never subnormal: |ln x| > 2^-54 for x != 1).
    fn ulps(&self, x: f64) -> f64 {
        let exact = self.ln(x, 128);
        let (_, words) = exact.repr().significand().as_sign_words();
        let top = words.len() * 64 - words.last().expect("x != 1").leading_zeros() as usize;
        let log2 = top as isize - 1 + exact.repr().exponent();
        let ulp = f64::from_bits(((log2 - 52 + 1023) as u64) << 52);
        let error = (Big::try_from(ln(x)).expect("finite") - &exact).to_f64().value();
        error.abs() / ulp
    }
}

#[test]
fn special_values() {
    assert_eq!(ln(1.0).to_bits(), 0, "ln 1 is +0");
    assert_eq!(ln(f64::INFINITY), f64::INFINITY);
    assert_eq!(ln(0.0), f64::NEG_INFINITY);
    assert_eq!(ln(-0.0), f64::NEG_INFINITY);
    for x in [-1.0, -f64::MIN_POSITIVE, -5e-324, -f64::MAX, f64::NEG_INFINITY, f64::NAN, -f64::NAN] {
        assert!(ln(x).is_nan(), "ln({x:e})");
    }
}

/// Arguments where the code changes path or the table changes entry, and the ends of the range.
fn edges() -> Vec<f64> {
    let mut xs = vec![5e-324, 1e-323, f64::MIN_POSITIVE, f64::MAX, 0.5, 2.0, core::f64::consts::E, 10.0];
    for bits in [NEAR_ONE_LO, NEAR_ONE_HI, 1f64.to_bits(), OFF, OFF + (1 << 52)] {
        xs.extend([bits - 1, bits, bits + 1].map(f64::from_bits));
    }
    xs.push(f64::from_bits(0x000F_FFFF_FFFF_FFFF)); // the largest subnormal
    for i in 0..N as u64 {
        xs.push(f64::from_bits(OFF + (i << 45)));
        xs.push(f64::from_bits(OFF + (i << 45) - 1));
    }
    xs.retain(|&x| x != 1.0);
    xs
}

#[test]
fn within_the_bound_on_edges_and_a_few_thousand_arguments() {
    let reference = Reference::new();
    let mut next = splitmix(7);
    let mut xs = edges();
    for _ in 0..1000 {
        xs.push(f64::from_bits(1 + next() % 0x7FEF_FFFF_FFFF_FFFF)); // any positive finite
        xs.push(f64::from_bits(0x3FE0_0000_0000_0000 + next() % (1 << 53))); // [0.5, 2)
        xs.push(((next() >> 11) + 1) as f64 / (1u64 << 53) as f64); // a sampler's input
    }
    xs.extend((1..=1000).map(|k| 1.0 - k as f64 / (1u64 << 53) as f64)); // just below 1
    for x in xs {
        let ulps = reference.ulps(x);
        assert!(ulps <= MAX_ULPS, "ln({x:e}) ({:#x}) is {ulps} ulp off", x.to_bits());
    }
}

/// `ln_positive_normal` gives `ln`'s bits on positive normal arguments: the edges, sampler
/// inputs (the smallest, 2^-53, included) and random bit patterns.
#[test]
fn ln_positive_normal_is_ln() {
    let mut next = splitmix(11);
    let mut xs: Vec<f64> = edges().into_iter().filter(|x| x.is_normal()).collect();
    xs.extend([1.0, 1.0 - 1.0 / (1u64 << 53) as f64, 1.0 / (1u64 << 53) as f64]);
    for _ in 0..100_000 {
        xs.push(f64::from_bits(
            0x0010_0000_0000_0000 + next() % (0x7FF0_0000_0000_0000 - 0x0010_0000_0000_0000),
        ));
        xs.push(((next() >> 11) + 1) as f64 / (1u64 << 53) as f64);
    }
    for x in xs {
        assert_eq!(ln_positive_normal(x).to_bits(), ln(x).to_bits(), "ln({x:e})");
    }
}

/// The kinds of argument of the 10^7 run: a name, how many, and how to draw one from a word.
type Kind = (&'static str, u64, fn(u64) -> f64);

const KINDS: [Kind; 6] = [
    ("positive finite doubles, uniform bit patterns", 3_000_000, |w| {
        f64::from_bits(1 + w % 0x7FEF_FFFF_FFFF_FFFF)
    }),
    ("subnormals", 100_000, |w| f64::from_bits(1 + w % 0x000F_FFFF_FFFF_FFFF)),
    ("[0.5, 2), uniform bit patterns", 3_000_000, |w| f64::from_bits(0x3FE0_0000_0000_0000 + w % (1 << 53))),
    ("near 1: 1 ± m 2^-e, e in 4..=53", 1_000_000, |w| {
        let d = f64::from_bits(((1023 - 4 - w % 50) << 52) | (w >> 12));
        if w & (1 << 11) == 0 { 1.0 + d } else { 1.0 - d }
    }),
    ("sampler inputs k 2^-53, random k", 2_800_000, |w| ((w >> 11) + 1) as f64 / (1u64 << 53) as f64),
    ("sampler inputs k 2^-53, k = 1..=100000", 100_000, |w| w as f64 / (1u64 << 53) as f64),
];

/// 10^7 arguments over the whole domain against the reference, in parallel (about 13 minutes
/// of CPU): prints the largest error of each kind of argument and where, and holds it to
/// [`MAX_ULPS`].
#[test]
#[ignore = "10^7 high-precision logarithms: run optimised, with --ignored"]
fn ln_accuracy() {
    let mut worst = (0.0, 0.0);
    for (seed, (name, count, arg)) in (1u64..).zip(KINDS) {
        let small_k = name.ends_with("1..=100000");
        let (ulps, x) = (0..count.div_ceil(10_000))
            .into_par_iter()
            .map_init(Reference::new, |reference, chunk| {
                let mut next = splitmix(seed << 32 | chunk);
                let words = (chunk * 10_000..count.min((chunk + 1) * 10_000))
                    .map(|k| if small_k { k + 1 } else { next() });
                words.map(arg).filter(|&x| x != 1.0).map(|x| (reference.ulps(x), x)).fold((0.0, 0.0), max)
            })
            .reduce(|| (0.0, 0.0), max);
        println!("{name} ({count}): max {ulps:.4} ulp at {x:e} ({:#018x})", x.to_bits());
        worst = max(worst, (ulps, x));
    }
    let (ulps, x) = worst;
    println!("all 10^7: max {ulps:.4} ulp at {x:e} ({:#018x})", x.to_bits());
    assert!(ulps <= MAX_ULPS);
}

/// The larger error, the smaller argument on a tie: the same answer on any number of threads.
fn max(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    if b.0 > a.0 || (b.0 == a.0 && b.1 < a.1) { b } else { a }
}

/// How many of 10^8 sampler inputs k 2^-53 (k from the words of SplitMix64) give another
/// double than `libm::log`, by how many ulps at most, and which of the two is nearer the exact
/// value on the first 10,000 that differ; and how many draws of an exponential of mean 1 h,
/// rounded to whole ms as the sampler does, differ.
#[test]
#[ignore = "10^8 logarithms: run optimised, with --ignored"]
fn ln_against_libm() {
    let reference = Reference::new();
    let mut next = splitmix(3);
    let (mut differ, mut most, mut ours_nearer, mut judged, mut ms) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for _ in 0..100_000_000 {
        let x = ((next() >> 11) + 1) as f64 / (1u64 << 53) as f64;
        let (ours, theirs) = (ln(x), libm::log(x));
        if ours.to_bits() != theirs.to_bits() {
            differ += 1;
            most = most.max(ours.to_bits().abs_diff(theirs.to_bits()));
            if judged < 10_000 {
                let exact = reference.ln(x, 128);
                let off = |y: f64| (Big::try_from(y).expect("finite") - &exact).to_f64().value().abs();
                ours_nearer += u64::from(off(ours) < off(theirs));
                judged += 1;
            }
            let draw = |y: f64| (-3_600_000.0 * y + 0.5) as u64;
            ms += u64::from(draw(ours) != draw(theirs));
        }
    }
    println!("{differ} of 10^8 sampler inputs differ from libm::log, by at most {most} ulp");
    println!("of the first {judged} that differ, dist::ln is the nearer to the exact value in {ours_nearer}");
    println!("{ms} draws of an exponential of mean 1 h differ in whole ms");
}

/// Whether 1/v is within 2^-66 of the double nearest to it, in exact integer arithmetic:
/// v = m 2^(e-52) and its nearest reciprocal n 2^(ec-52), both with e, ec in {-1, 0}, and
/// |2^(52-e) / m - n 2^(ec-52)| <= 2^-66 is |2^(118-e) - n m 2^(ec+14)| <= m.
fn reciprocal_is_near_a_double(v: f64) -> bool {
    let parts = |x: f64| {
        let bits = x.to_bits();
        let exponent = (bits >> 52) as i32 - 1023;
        assert!(exponent == -1 || exponent == 0, "{x} is in [0.5, 2)");
        (i128::from(bits & ((1 << 52) - 1) | 1 << 52), exponent)
    };
    let (m, e) = parts(v);
    let (n, ec) = parts(1.0 / v);
    ((1i128 << (118 - e)) - ((n * m) << (ec + 14))).abs() <= m
}

/// Entry i by the rule of `gen_table.py`, in Rust: 1/invc the first double near the
/// subinterval's midpoint (outward, upper first) within 2^-66 of a double, then ln c in two
/// parts from the reference.
fn derive(i: u64, reference: &Reference) -> Entry {
    let (lo, hi) = (f64::from_bits(OFF + (i << 45)), f64::from_bits(OFF + ((i + 1) << 45)));
    let start = (1.0 / ((lo + hi) / 2.0)).to_bits();
    let invc = (0u64..)
        .map(|j| f64::from_bits(if j % 2 == 1 { start + j.div_ceil(2) } else { start - j / 2 }))
        .find(|&v| reciprocal_is_near_a_double(v))
        .expect("a candidate");
    let ln_c = -reference.ln(invc, 256);
    let scaled = (ln_c.clone() * Big::from(1u64 << 43)).round().to_int().value();
    let log_c = i64::try_from(scaled).expect("|ln c| < 1") as f64 / (1u64 << 43) as f64;
    let log_c_lo = (ln_c - Big::try_from(log_c).expect("finite")).to_f64().value();
    Entry { invc, c: 1.0 / invc, log_c, log_c_lo }
}

#[test]
fn the_table_follows_its_rule() {
    let reference = Reference::new();
    for (i, entry) in TABLE.iter().enumerate() {
        let want = derive(i as u64, &reference);
        let bits = |e: &Entry| [e.invc, e.c, e.log_c, e.log_c_lo].map(f64::to_bits);
        assert_eq!(bits(entry), bits(&want), "entry {i}: {entry:?}, the rule gives {want:?}");
    }
    // What the algorithm relies on: k LN2_HI exact, and LN2_HI + LN2_LO = ln 2 within 2^-97.
    assert_eq!(LN2_HI.to_bits() & ((1 << 11) - 1), 0, "LN2_HI has 42 bits");
    let ln2 = reference.ln(2.0, 256);
    let rest = (ln2 - Big::try_from(LN2_HI).unwrap() - Big::try_from(LN2_LO).unwrap()).to_f64().value();
    assert!(rest.abs() < f64::from_bits((1023 - 97) << 52), "ln 2 - LN2_HI - LN2_LO = {rest:e}");
}
