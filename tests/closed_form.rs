//! The engine against closed-form availability, with tolerances from the confidence interval.
//!
//! Each test runs R replications of a long horizon and compares the mean availability with the
//! exact steady-state value. The horizon is long against 1/(λ+μ), so the start-up transient
//! (of order λ/((λ+μ)² T)) is far below the standard error. The assertion is
//! |estimate - exact| <= 4 standard errors, with the standard error (sample standard deviation
//! over √R) required below 2% of the exact unavailability, so the check is both fair and sharp.
//! Seeds are fixed.

use faultline::engine::{Incident, Observer, RunParams, Simulator};
use faultline::model::compile_str;
use faultline::time::SimTime;

#[derive(Default)]
struct Count {
    incidents: u64,
    down_ms: u64,
}

impl Observer for Count {
    fn incident(&mut self, i: &Incident) {
        self.incidents += 1;
        self.down_ms += i.duration().0;
    }
}

struct Estimate {
    availability: f64,
    standard_error: f64,
    incidents_per_hour: f64,
    mean_incident_h: f64,
}

fn simulate(components: &str, replications: u64, horizon_h: u64) -> Estimate {
    let text = format!(
        r#"(name: "cf", seed: 2026, horizon: "{horizon_h}h",
            architectures: [(name: "a", components: [{components}], service: "svc")])"#
    );
    let system = compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let arch = &system.architectures[0];
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: true };
    let mut sim = Simulator::new(arch, params);
    let horizon = system.horizon.0 as f64;
    let mut values = Vec::new();
    let mut count = Count::default();
    for r in 0..replications {
        let summary = sim.run(r, &mut count);
        values.push(summary.up.0 as f64 / horizon);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    let total_h = n * horizon_h as f64;
    Estimate {
        availability: mean,
        standard_error: (var / n).sqrt(),
        incidents_per_hour: count.incidents as f64 / total_h,
        mean_incident_h: count.down_ms as f64 / 3.6e6 / count.incidents as f64,
    }
}

fn assert_close(e: &Estimate, exact: f64) {
    let u = 1.0 - exact;
    assert!(e.standard_error < 0.02 * u, "standard error {} too large for U = {u}", e.standard_error);
    let diff = (e.availability - exact).abs();
    assert!(
        diff <= 4.0 * e.standard_error,
        "availability {} vs exact {exact}: off by {diff}, 4 SE = {}",
        e.availability,
        4.0 * e.standard_error
    );
}

/// Availability of one component with these means, in hours.
fn a(mttf: f64, mttr: f64) -> f64 {
    mttf / (mttf + mttr)
}

const HORIZON_H: u64 = 20_000;

#[test]
fn single_component() {
    let e = simulate(
        r#"(name: "svc", kind: Instance, fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h")))"#,
        200,
        HORIZON_H,
    );
    let exact = a(100.0, 10.0);
    assert_close(&e, exact);
    // failure frequency f = 1/(MTTF+MTTR); each incident lasts MTTR on average (U/f).
    let f = 1.0 / 110.0;
    let se_rate = (f / (200.0 * HORIZON_H as f64)).sqrt(); // Poisson-like count
    assert!((e.incidents_per_hour - f).abs() <= 4.0 * se_rate * 1.5, "{} vs {f}", e.incidents_per_hour);
    assert!((e.mean_incident_h - 10.0).abs() < 0.3, "mean incident {}", e.mean_incident_h);
}

const MEMBER: &str = r#"fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h"))"#;

#[test]
fn series_of_three() {
    let c = format!(
        r#"(name: "x", kind: Instance, {MEMBER}), (name: "y", kind: Instance, {MEMBER}),
           (name: "z", kind: Instance, {MEMBER}), (name: "svc", kind: Group, needs: All(["x", "y", "z"]))"#
    );
    assert_close(&simulate(&c, 200, HORIZON_H), a(100.0, 10.0) * a(100.0, 10.0) * a(100.0, 10.0));
}

#[test]
fn two_in_parallel() {
    let c = format!(
        r#"(name: "x", kind: Instance, {MEMBER}), (name: "y", kind: Instance, {MEMBER}),
           (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
    );
    let u = 1.0 - a(100.0, 10.0);
    assert_close(&simulate(&c, 400, HORIZON_H), 1.0 - u * u);
}

#[test]
fn two_of_three() {
    let c = format!(
        r#"(name: "x", kind: Instance, {MEMBER}), (name: "y", kind: Instance, {MEMBER}),
           (name: "z", kind: Instance, {MEMBER}), (name: "svc", kind: Group, needs: AtLeast(2, ["x", "y", "z"]))"#
    );
    let p = a(100.0, 10.0);
    assert_close(&simulate(&c, 300, HORIZON_H), p * p * p + 3.0 * p * p * (1.0 - p));
}

#[test]
fn two_instances_sharing_an_az() {
    let c = format!(
        r#"(name: "az", kind: Az, fail: Exp(mean: "200h"), recover: Repair(Exp(mean: "5h"))),
           (name: "x", kind: Instance, {MEMBER}, needs: All(["az"])),
           (name: "y", kind: Instance, {MEMBER}, needs: All(["az"])),
           (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
    );
    let u = 1.0 - a(100.0, 10.0);
    assert_close(&simulate(&c, 400, HORIZON_H), a(200.0, 5.0) * (1.0 - u * u));
}

#[test]
fn weibull_lifetimes_and_lognormal_repairs() {
    // A = MTTF / (MTTF + MTTR) holds for any lifetime and repair distributions.
    let e = simulate(
        r#"(name: "svc", kind: Instance, fail: Weibull(shape: 2.0, mean: "100h"), recover: Repair(LogNormal(mean: "10h", sigma: 0.8)))"#,
        200,
        HORIZON_H,
    );
    assert_close(&e, a(100.0, 10.0));
    let c = r#"(name: "x", kind: Instance, fail: Weibull(shape: 0.8, mean: "100h"), recover: Repair(LogNormal(mean: "10h", sigma: 0.8))),
               (name: "y", kind: Instance, fail: Weibull(shape: 0.8, mean: "100h"), recover: Repair(LogNormal(mean: "10h", sigma: 0.8))),
               (name: "svc", kind: Group, needs: Any(["x", "y"]))"#;
    let u = 1.0 - a(100.0, 10.0);
    assert_close(&simulate(c, 400, HORIZON_H), 1.0 - u * u);
}

#[test]
fn replace_recovery_takes_detect_plus_launch() {
    let e = simulate(
        r#"(name: "svc", kind: Instance, fail: Exp(mean: "100h"), recover: Replace(detect: Exp(mean: "2h"), launch: "8h"))"#,
        200,
        HORIZON_H,
    );
    assert_close(&e, a(100.0, 10.0));
    let _ = SimTime::ZERO;
}
