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
