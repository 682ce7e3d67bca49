//! Degraded capacity: the time the service is up below a group's `full`, exact in scripted
//! cases, kept apart from incidents.

use faultline::engine::{Prepared, Recorder, RunParams, Simulator, Summary};
use faultline::model::{System, compile_str};
use faultline::time::{MS_PER_HOUR, SimTime};

fn compile(text: &str) -> System {
    compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system
}

/// Replication 0 of the first architecture.
fn summary(text: &str) -> Summary {
    let system = compile(text);
    let prepared = Prepared::new(&system.architectures[0], RunParams::of(&system));
    Simulator::new(&prepared).run(0, &mut Recorder::default())
}

/// Three web instances in three AZs behind `web` (up with one, full with two of them), which
/// `site` needs with a load balancer; the given injections.
fn three_azs(full: &str, injections: &str) -> String {
    format!(
        r#"(name: "c", horizon: "30d", replications: 2, random: false,
            shared: [(name: "az-1", kind: Az, fail: Never), (name: "az-2", kind: Az, fail: Never),
                     (name: "az-3", kind: Az, fail: Never)],
            architectures: [(name: "n-plus-1", components: [
                (name: "web-1", kind: Instance, fail: Never, needs: All(["az-1"])),
                (name: "web-2", kind: Instance, fail: Never, needs: All(["az-2"])),
                (name: "web-3", kind: Instance, fail: Never, needs: All(["az-3"])),
                (name: "web", kind: Group, needs: Any(["web-1", "web-2", "web-3"]) {full}),
                (name: "lb", kind: LoadBalancer, fail: Never),
                (name: "site", kind: Group, needs: All(["lb", "web"])),
            ], service: "site")],
            injections: [{injections}])"#
    )
}

fn h(hours: u64) -> SimTime {
    SimTime(hours * MS_PER_HOUR)
}

/// Full with all three instances up.
const FULL: &str = r#", full: All(["web-1", "web-2", "web-3"])"#;
/// N+1: full with any two of the three (static stability).
const N_PLUS_1: &str = r#", full: AtLeast(2, ["web-1", "web-2", "web-3"])"#;

#[test]
fn below_full_but_within_needs_is_degraded_not_down() {
    // az-1 down [10 h, 12 h), az-2 down [11 h, 11 h 30 min): never down. Needing all three,
    // degraded from 10 h to 12 h; N+1 only while two are down, [11 h, 11 h 30 min).
    let injections =
        r#"(target: "az-1", at: "10h", duration: "2h"), (target: "az-2", at: "11h", duration: "30m")"#;
    let all = summary(&three_azs(FULL, injections));
    assert_eq!((all.degraded, all.degraded_episodes), (h(2), 1));
    assert_eq!(all.up, SimTime(30 * 24 * MS_PER_HOUR), "degraded is not down");
    let n_plus_1 = summary(&three_azs(N_PLUS_1, injections));
    assert_eq!((n_plus_1.degraded, n_plus_1.degraded_episodes), (SimTime(30 * 60_000), 1));
}

#[test]
fn downtime_is_not_degraded_time_and_splits_episodes() {
    // az-1 down [10 h, 14 h); the load balancer down [11 h, 12 h): degraded [10 h, 11 h) and
    // [12 h, 14 h), two episodes, 1 h down between them.
    let s = summary(&three_azs(
        FULL,
        r#"(target: "az-1", at: "10h", duration: "4h"), (target: "lb", at: "11h", duration: "1h")"#,
    ));
    assert_eq!((s.degraded, s.degraded_episodes), (h(3), 2));
    assert_eq!(s.up, SimTime(30 * 24 * MS_PER_HOUR - MS_PER_HOUR));
}

#[test]
fn a_degradation_still_open_at_the_horizon_counts_up_to_it() {
    let s = summary(&three_azs(FULL, r#"(target: "web-3", at: "719h", duration: "10h")"#));
    assert_eq!((s.degraded, s.degraded_episodes), (h(1), 1));
}

#[test]
fn without_full_nothing_is_degraded_and_the_report_says_null() {
    let text = three_azs("", r#"(target: "az-1", at: "10h", duration: "2h")"#);
    let s = summary(&text);
    assert_eq!((s.degraded, s.degraded_episodes), (SimTime::ZERO, 0));
    let pool = faultline::runner::thread_pool(1).unwrap();
    assert!(faultline::runner::report_all(&compile(&text), &pool)[0].degraded.is_none());
}

#[test]
fn the_report_gives_degraded_time_and_episodes_per_year() {
    let text = three_azs(FULL, r#"(target: "az-1", at: "10h", duration: "90m")"#);
    let pool = faultline::runner::thread_pool(2).unwrap();
    let report = &faultline::runner::report_all(&compile(&text), &pool)[0];
    let d = report.degraded.as_ref().expect("a full capacity is declared");
    let years = 30.0 / 365.0;
    assert_eq!(d.episodes, 2, "one a replication");
    assert!((d.episodes_per_year - 1.0 / years).abs() < 1e-9);
    assert!((d.minutes_per_year - 90.0 / years).abs() < 1e-9);
    assert_eq!(report.incidents, 0);
}

#[test]
fn degraded_time_matches_the_closed_form_of_three_independent_members() {
    // Three members of availability a = 100 / (100 + 10) each, the group up with any one and
    // full with all three: degraded a fraction (1 - (1-a)^3) - a^3 of the time, and N+1 (full
    // with two) 3 a (1-a)^2 of it. Tolerance: 4 standard errors of the per-replication means
    // (seed fixed); the transient is far below them (1/(λ+μ) = 9 h against 20,000 h).
    let text = |full: &str| {
        format!(
            r#"(name: "cf", seed: 2026, horizon: "20000h",
                profiles: {{"m": (fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h")))}},
                architectures: [(name: "a", components: [
                    (name: "m1", kind: Instance, profile: "m"), (name: "m2", kind: Instance, profile: "m"),
                    (name: "m3", kind: Instance, profile: "m"),
                    (name: "svc", kind: Group, needs: Any(["m1", "m2", "m3"]), full: {full}),
                ], service: "svc")])"#
        )
    };
    let a: f64 = 100.0 / 110.0;
    let q = 1.0 - a;
    for (full, exact) in [
        (r#"All(["m1", "m2", "m3"])"#, (1.0 - q * q * q) - a * a * a),
        (r#"AtLeast(2, ["m1", "m2", "m3"])"#, 3.0 * a * q * q),
    ] {
        let system = compile(&text(full));
        let prepared = Prepared::new(&system.architectures[0], RunParams::of(&system));
        let mut sim = Simulator::new(&prepared);
        let fractions: Vec<f64> = (0..400)
            .map(|r| sim.run(r, &mut Recorder::default()).degraded.0 as f64 / system.horizon.0 as f64)
            .collect();
        let (mean, se) = crate::harness::mean_se(&fractions);
        assert!((mean - exact).abs() <= 4.0 * se, "{full}: {mean} ± {se} vs {exact}");
        assert!(se < 0.01 * exact, "{full}: the check is sharp ({se} vs {exact})");
    }
}
