use super::*;

/// A fixed sequence of well-spread words (SplitMix64), so tests need no RNG crate.
fn words(n: usize) -> impl Iterator<Item = u64> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..n).map(move |_| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

#[test]
fn normal_quantile_matches_reference_values() {
    // Reference values: Python statistics.NormalDist().inv_cdf (AS241, full double precision).
    let cases = [
        (0.5, 0.0),
        (0.975, 1.959_963_984_540_054),
        (0.025, -1.959_963_984_540_054),
        (0.841_344_746_068_542_9, 1.0),
        (1e-10, -6.361_340_902_404_056),
        (1e-6, -4.753_424_308_822_899),
        // 1 - 2^-20 is exact in binary (reference: Python statistics.NormalDist, AS241).
        (1.0 - 1.0 / 1_048_576.0, 4.763_001_034_267_813_5),
        (1.0 / 1_048_576.0, -4.763_001_034_267_813_5),
        (0.02425, -1.972_961_051_311_884_5),
    ];
    for (p, want) in cases {
        let got = normal_quantile(p);
        assert!((got - want).abs() <= 1e-13 * want.abs().max(1.0), "Φ⁻¹({p}) = {got}, want {want}");
    }
    assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(normal_quantile(1.0), f64::INFINITY);
    assert!(normal_quantile(1.5).is_nan());
}

#[test]
fn unit_maps_stay_inside_their_intervals() {
    assert_eq!(unit_open_closed(u64::MAX), 1.0);
    assert!(unit_open_closed(0) > 0.0);
    assert!(unit_open(0) > 0.0 && unit_open(u64::MAX) < 1.0);
    assert_eq!(unit_open(0) + unit_open(u64::MAX), 1.0, "symmetric about 1/2");
}

/// Sample mean within 4 standard errors of the exact mean; the standard error comes from the
/// sample variance (the CLT bound, not a fixed slack).
fn assert_mean(dist: Dist, n: usize) {
    let xs: Vec<f64> = words(n).map(|w| dist.sample(w).as_ms() as f64).collect();
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let se = (var / n as f64).sqrt();
    let want = dist.mean_ms();
    assert!((mean - want).abs() <= 4.0 * se + 0.5, "{dist:?}: mean {mean}, want {want} ± 4×{se}");
}

#[test]
fn sample_means_match_the_distribution_means() {
    let h = SimTime(3_600_000);
    assert_mean(Dist::exp(h).unwrap(), 200_000);
    assert_mean(Dist::weibull(0.7, h).unwrap(), 200_000);
    assert_mean(Dist::weibull(3.0, h).unwrap(), 200_000);
    assert_mean(Dist::lognormal(h, 1.0).unwrap(), 200_000);
    assert_mean(Dist::uniform(SimTime(1_000), SimTime(9_000)).unwrap(), 200_000);
}

#[test]
fn parameters_are_converted_from_the_mean() {
    let mean = SimTime(7_200_000);
    let Dist::Weibull { scale_ms, .. } = Dist::weibull(2.0, mean).unwrap() else { panic!() };
    // Γ(1.5) = √π / 2.
    let want = 7_200_000.0 / (core::f64::consts::PI.sqrt() / 2.0);
    assert!((scale_ms - want).abs() < 1e-6 * want);
    let Dist::LogNormal { mu, sigma } = Dist::lognormal(mean, 0.5).unwrap() else { panic!() };
    assert!((mu - (libm::log(7_200_000.0) - 0.125)).abs() < 1e-12);
    assert_eq!(sigma, 0.5);
    assert!((Dist::weibull(1.0, mean).unwrap().mean_ms() - 7_200_000.0).abs() < 1e-6);
}

#[test]
fn invalid_parameters_are_rejected() {
    assert_eq!(Dist::exp(SimTime::ZERO), Err(DistError::NonPositiveMean));
    assert_eq!(Dist::weibull(0.0, SimTime(1)), Err(DistError::NonPositiveShape(0.0)));
    assert_eq!(Dist::weibull(-1.0, SimTime(1)), Err(DistError::NonPositiveShape(-1.0)));
    assert!(Dist::weibull(f64::NAN, SimTime(1)).is_err());
    assert_eq!(Dist::weibull(0.001, SimTime(1)), Err(DistError::NotFinite));
    assert_eq!(Dist::lognormal(SimTime(1), 0.0), Err(DistError::NonPositiveSigma(0.0)));
    assert!(Dist::uniform(SimTime(2), SimTime(1)).is_err());
    assert!(Dist::uniform(SimTime(2), SimTime(2)).is_ok());
}

#[test]
fn samples_round_half_up_to_whole_ms() {
    assert_eq!(round_ms(0.5), SimTime(1));
    assert_eq!(round_ms(0.499_999), SimTime(0));
    assert_eq!(round_ms(2.5), SimTime(3));
    assert_eq!(round_ms(1e300), SimTime(u64::MAX - 1));
    assert_eq!(Dist::Fixed(SimTime(42)).sample(7), SimTime(42));
}

/// The output contract of stream version 2 (`rng::STREAM_VERSION`) for the samplers that go
/// through [`ln`]: what an exponential (mean 1 h) and a Weibull (shape 1.5, mean 1 h) draw from
/// fixed words, unrounded and in whole ms. The words: the first draws pinned by `rng`'s golden
/// test; two whose logarithm is 1 ulp away from `libm::log`'s, which version 1 used (there the
/// unrounded exponential draws differ too); and U = 2^-53 (the longest draw), U near 1 (`ln`'s
/// path near 1) and U = 1 (zero).
#[test]
fn golden_exponential_and_weibull_draws() {
    let words = [
        556_260_249_250_834_568,
        10_892_437_793_523_228_860,
        3_145_915_886_177_987_259,
        1_597_410_869_447_431_658,
        9_260_938_848_928_075_708,
        0x2E19_C353_10AD_9F20,
        0x459D_9C43_C66C_CF97,
        0,
        0xFF00_0000_0000_0000,
        u64::MAX,
    ];
    let exp = Dist::exp(SimTime(3_600_000)).unwrap();
    assert_eq!(
        words.map(|w| sample::exponential(w, 3_600_000.0)),
        [
            12_605_064.847_184_28,
            1_896_548.810_026_651_5,
            6_367_618.131_901_54,
            8_807_413.572_013_611,
            2_480_696.823_066_249,
            6_171_662.462_591_184,
            4_687_876.156_078_063,
            132_252_482.050_837_56,
            14_090.037_556_090_383,
            -0.0,
        ]
    );
    assert_eq!(
        words.map(|w| exp.sample(w).as_ms()),
        [
            12_605_065,
            1_896_549,
            6_367_618,
            8_807_414,
            2_480_697,
            6_171_662,
            4_687_876,
            132_252_482,
            14_090,
            0
        ]
    );
    let weibull = Dist::weibull(1.5, SimTime(3_600_000)).unwrap();
    let Dist::Weibull { shape, scale_ms } = weibull else { panic!() };
    assert_eq!(
        words.map(|w| sample::weibull(w, shape, scale_ms)),
        [
            9_195_294.798_109_23,
            2_601_227.183_316_934,
            5_832_484.698_735_593,
            7_240_488.382_282_337,
            3_111_129.302_176_486_7,
            5_712_204.032_946_801,
            4_755_392.344_524_437,
            44_069_503.255_269_07,
            99_039.939_889_906_38,
            0.0,
        ]
    );
    assert_eq!(
        words.map(|w| weibull.sample(w).as_ms()),
        [9_195_295, 2_601_227, 5_832_485, 7_240_488, 3_111_129, 5_712_204, 4_755_392, 44_069_503, 99_040, 0]
    );
}
