//! The engine against closed-form answers, with tolerances from the confidence interval.
//!
//! Each test runs R replications of a long horizon T and compares three estimates with their
//! exact steady-state values: the availability A, the frequency f of service failures
//! (incidents per hour) and the mean incident duration, which is (1 - A) / f. T is long
//! against 1/(λ+μ), so the start-up transient (of order λ/((λ+μ)² T)) is far below the
//! standard errors. Every assertion is |estimate - exact| <= 4 standard errors, each standard
//! error estimated from the data (sample standard deviation over √R for per-replication values,
//! over √N for incident durations); the availability's standard error must also be below 2% of
//! the exact unavailability, so the check is sharp as well as fair. Seeds are fixed.
//!
//! Members are independent (failure clocks run whatever the dependencies do), so the exact
//! values follow from the members' own availabilities a = MTTF/(MTTF+MTTR) and failure rates
//! λ = 1/MTTF: a system failure happens when a member fails while it is the last one keeping
//! the system up.

use faultline::engine::{Incident, Observer, Prepared, RunParams, Simulator};
use faultline::model::compile_str;

use crate::harness::mean_se;

#[derive(Default)]
struct Durations {
    count: u64,
    sum_h: f64,
    sum_sq_h: f64,
}

impl Observer for Durations {
    fn incident(&mut self, i: &Incident) {
        let h = i.duration().0 as f64 / 3.6e6;
        self.count += 1;
        self.sum_h += h;
        self.sum_sq_h += h * h;
    }
}

const HORIZON_H: u64 = 20_000;

/// Runs `replications` replications of a service built from `components` and checks A, f and
/// the mean incident duration against `exact_a` and `exact_f` (per hour).
fn check(components: &str, replications: u64, exact_a: f64, exact_f: f64) {
    let text = format!(
        r#"(name: "cf", seed: 2026, horizon: "{HORIZON_H}h",
            architectures: [(name: "a", components: [{components}], service: "svc")])"#
    );
    let system = compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let arch = &system.architectures[0];
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: true };
    let prepared = Prepared::new(arch, params);
    let mut sim = Simulator::new(&prepared);
    let mut availability = Vec::new();
    let mut frequency = Vec::new();
    let mut durations = Durations::default();
    for r in 0..replications {
        let before = durations.count;
        let summary = sim.run(r, &mut durations);
        availability.push(summary.up.0 as f64 / system.horizon.0 as f64);
        frequency.push((durations.count - before) as f64 / HORIZON_H as f64);
    }
    let (a, se_a) = mean_se(&availability);
    let u = 1.0 - exact_a;
    assert!(se_a < 0.02 * u, "standard error {se_a} is not below 2% of U = {u}");
    assert!((a - exact_a).abs() <= 4.0 * se_a, "A = {a}, exact {exact_a}, 4 SE = {}", 4.0 * se_a);
    let (f, se_f) = mean_se(&frequency);
    assert!((f - exact_f).abs() <= 4.0 * se_f, "f = {f}/h, exact {exact_f}/h, 4 SE = {}", 4.0 * se_f);
    let n = durations.count as f64;
    let d = durations.sum_h / n;
    let se_d = libm::sqrt((durations.sum_sq_h / n - d * d) / (n - 1.0));
    let exact_d = u / exact_f;
    assert!(
        (d - exact_d).abs() <= 4.0 * se_d,
        "mean incident {d} h, exact {exact_d} h, 4 SE = {}",
        4.0 * se_d
    );
}

/// Availability of a member with these means (hours).
fn avail(mttf: f64, mttr: f64) -> f64 {
    mttf / (mttf + mttr)
}

const MEMBER: &str = r#"fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h"))"#;
const A: f64 = 100.0 / 110.0;
const LAMBDA: f64 = 1.0 / 100.0;

#[test]
fn single_component() {
    check(&format!(r#"(name: "svc", kind: Instance, {MEMBER})"#), 200, A, LAMBDA * A);
}

#[test]
fn series_of_three() {
    let c = format!(
        r#"(name: "x", kind: Instance, {MEMBER}), (name: "y", kind: Instance, {MEMBER}),
           (name: "z", kind: Instance, {MEMBER}), (name: "svc", kind: Group, needs: All(["x", "y", "z"]))"#
    );
    check(&c, 200, A * A * A, 3.0 * LAMBDA * A * A * A);
}

#[test]
fn two_in_parallel() {
    let c = format!(
        r#"(name: "x", kind: Instance, {MEMBER}), (name: "y", kind: Instance, {MEMBER}),
           (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
    );
    let u = 1.0 - A;
    check(&c, 400, 1.0 - u * u, 2.0 * LAMBDA * A * u);
}

#[test]
fn two_of_three() {
    let c = format!(
        r#"(name: "x", kind: Instance, {MEMBER}), (name: "y", kind: Instance, {MEMBER}),
           (name: "z", kind: Instance, {MEMBER}), (name: "svc", kind: Group, needs: AtLeast(2, ["x", "y", "z"]))"#
    );
    let u = 1.0 - A;
    // Down when two or more are down; it fails when one of the two up members of a
    // "one down" state fails: 3 ways to pick the down one, 2 up members that can fail.
    check(&c, 300, A * A * A + 3.0 * A * A * u, 3.0 * u * A * A * 2.0 * LAMBDA);
}

#[test]
fn two_instances_sharing_an_az() {
    let c = format!(
        r#"(name: "az", kind: Az, fail: Exp(mean: "200h"), recover: Repair(Exp(mean: "5h"))),
           (name: "x", kind: Instance, {MEMBER}, needs: All(["az"])),
           (name: "y", kind: Instance, {MEMBER}, needs: All(["az"])),
           (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
    );
    let (a_az, u) = (avail(200.0, 5.0), 1.0 - A);
    let pair = 1.0 - u * u;
    // The AZ fails while the pair is up, or the last up instance fails while the AZ is up.
    let f = (1.0 / 200.0) * a_az * pair + a_az * 2.0 * LAMBDA * A * u;
    check(&c, 400, a_az * pair, f);
}

#[test]
fn two_azs_in_a_region() {
    let c = r#"(name: "region", kind: Region, fail: Exp(mean: "500h"), recover: Repair(Exp(mean: "8h"))),
           (name: "az-1", kind: Az, fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h")), needs: All(["region"])),
           (name: "az-2", kind: Az, fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h")), needs: All(["region"])),
           (name: "svc", kind: Group, needs: Any(["az-1", "az-2"]))"#;
    let (a_r, u) = (avail(500.0, 8.0), 1.0 - A);
    let pair = 1.0 - u * u;
    let f = (1.0 / 500.0) * a_r * pair + a_r * 2.0 * LAMBDA * A * u;
    check(c, 300, a_r * pair, f);
}

#[test]
fn weibull_lifetimes_and_lognormal_repairs() {
    // A = MTTF / (MTTF + MTTR) and f = 1 / (MTTF + MTTR) hold for any distributions.
    let one =
        r#"fail: Weibull(shape: 2.0, mean: "100h"), recover: Repair(LogNormal(mean: "10h", sigma: 0.8))"#;
    check(&format!(r#"(name: "svc", kind: Instance, {one})"#), 200, A, 1.0 / 110.0);
}

#[test]
fn two_weibull_lognormal_members_in_parallel() {
    // Independent alternating renewal processes: the pair is down with probability u², and
    // in steady state it fails at rate 2 · (1/(MTTF+MTTR)) · P(other down) = 2 u / 110 h.
    let one =
        r#"fail: Weibull(shape: 0.8, mean: "100h"), recover: Repair(LogNormal(mean: "10h", sigma: 0.8))"#;
    let c = format!(
        r#"(name: "x", kind: Instance, {one}), (name: "y", kind: Instance, {one}),
           (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
    );
    let u = 1.0 - A;
    check(&c, 400, 1.0 - u * u, 2.0 * u / 110.0);
}

#[test]
fn replace_recovery_takes_detect_plus_launch() {
    let c = r#"(name: "svc", kind: Instance, fail: Exp(mean: "100h"), recover: Replace(detect: Exp(mean: "2h"), launch: "8h"))"#;
    check(c, 200, A, LAMBDA * A);
}
