//! Importance of components: which ones the service's downtime comes from, and how critical
//! each is to the structure.
//!
//! - **Downtime share** (from a Monte Carlo run): the share of the service's downtime charged to
//!   incidents caused by the component (any mode), from the run's problems.
//! - **Birnbaum importance** I_B(i) = P(service up | i up) - P(service up | i down): how much the
//!   service's availability moves with the component's. It is estimated from the structure
//!   function (as for cut sets: a standby group is up while a member is, a dataset while its
//!   holder is) with every other component up with its own steady-state
//!   availability MTTF / (MTTF + MTTR), independently. MTTF is the mean of `fail` (the
//!   competing rate of `modes`), MTTR the mean of the recovery (alerting delay plus repair, or
//!   detection plus launch); waits for a crew and failover timing are left out, as is anything
//!   the structure function does not see. The two conditional probabilities are estimated on
//!   the same `samples` draws of the other components' states (common random numbers), from a
//!   stream keyed by the architecture's name, so the result is deterministic; its standard
//!   error is at most 0.5 / √samples.
//!
//! Decision where the contract is silent: I_B is computed for the components that caused
//! downtime, at most [`MAX_RANKED`] of them by share, so that large models stay fast.

use crate::dist::unit_open;
use crate::model::{Architecture, ComponentId, Recovery};
use crate::rng::{Stream, named_stream_key};

/// Components ranked (the top ones by downtime share).
pub const MAX_RANKED: usize = 10;

/// Draws of the other components' states per estimate.
pub const SAMPLES: u64 = 4000;

/// The steady-state availability of `c` on its own (1 if it cannot fail).
pub fn own_availability(arch: &Architecture, c: ComponentId) -> f64 {
    let comp = &arch.components[c.index()];
    let recovery_ms = |r: &Recovery| comp.mean_recovery_ms(r);
    let (rate, down_ms) = match (comp.fail, &comp.recover) {
        (Some(fail), Some(r)) => (1.0 / fail.mean_ms(), recovery_ms(r)),
        _ => {
            let rates: Vec<(f64, f64)> = comp
                .modes
                .iter()
                .filter_map(|m| m.fail.map(|f| (1.0 / f.mean_ms(), recovery_ms(&m.recover))))
                .collect();
            let rate: f64 = rates.iter().map(|&(l, _)| l).sum();
            if rate == 0.0 {
                return 1.0;
            }
            (rate, rates.iter().map(|&(l, r)| l * r).sum::<f64>() / rate)
        }
    };
    1.0 / (1.0 + rate * down_ms)
}

/// Birnbaum importance of each of `components` (see the module docs), in the same order.
pub fn birnbaum(arch: &Architecture, components: &[ComponentId], samples: u64) -> Vec<f64> {
    let order = super::cutsets::topological(arch);
    let availability: Vec<f64> =
        (0..arch.components.len()).map(|i| own_availability(arch, ComponentId(i as u32))).collect();
    let mut stream = Stream::new(&named_stream_key(0, &arch.name, "importance"), 0);
    let mut failed = vec![false; arch.components.len()];
    let mut critical = vec![0u64; components.len()];
    for _ in 0..samples {
        for (i, f) in failed.iter_mut().enumerate() {
            let a = availability[i];
            *f = a < 1.0 && unit_open(stream.next_word()) >= a;
        }
        for (k, &c) in components.iter().enumerate() {
            let was = failed[c.index()];
            failed[c.index()] = false;
            let up = super::cutsets::service_up(arch, &order, &failed);
            failed[c.index()] = true;
            let down = !super::cutsets::service_up(arch, &order, &failed);
            failed[c.index()] = was;
            critical[k] += u64::from(up && down);
        }
    }
    critical.iter().map(|&n| n as f64 / samples as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::compile_str;

    fn arch(components: &str) -> Architecture {
        let text = format!(
            r#"(name: "i", horizon: "1y", architectures: [(name: "a", service: "svc", components: [{components}])])"#
        );
        compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system.architectures.remove(0)
    }

    /// 90 h up, 10 h down: a = 0.9; 50 h up, 50 h down: a = 0.5.
    const A: &str = r#"fail: Exp(mean: "90h"), recover: Repair(Exp(mean: "10h"))"#;
    const B: &str = r#"fail: Exp(mean: "50h"), recover: Repair("50h")"#;

    fn within(estimate: f64, exact: f64) {
        let se = libm::sqrt(exact * (1.0 - exact) / SAMPLES as f64).max(1e-9);
        assert!(
            (estimate - exact).abs() <= 4.0 * se,
            "estimate {estimate}, exact {exact}, 4 SE {}",
            4.0 * se
        );
    }

    #[test]
    fn availability_from_the_laws() {
        let a = arch(&format!(
            r#"(name: "x", kind: Instance, {A}), (name: "svc", kind: Group, needs: All(["x"]))"#
        ));
        assert!((own_availability(&a, ComponentId(0)) - 0.9).abs() < 1e-12);
        assert_eq!(own_availability(&a, ComponentId(1)), 1.0, "a group cannot fail on its own");
        let modes = arch(
            r#"(name: "svc", kind: Instance, modes: [
                (name: "a", fail: Exp(mean: "100h"), recover: Repair("10h")),
                (name: "b", fail: Exp(mean: "400h"), recover: Replace(detect: "10h", launch: "30h"))])"#,
        );
        // Rate 0.0125/h; mean down (0.01 * 10 + 0.0025 * 40) / 0.0125 = 16 h; up 80 h.
        assert!((own_availability(&modes, ComponentId(0)) - 80.0 / 96.0).abs() < 1e-12);
    }

    #[test]
    fn series_parallel_and_two_of_three() {
        let ids = [ComponentId(0), ComponentId(1)];
        let series = arch(&format!(
            r#"(name: "x", kind: Instance, {A}), (name: "y", kind: Instance, {B}),
               (name: "svc", kind: Group, needs: All(["x", "y"]))"#
        ));
        let ib = birnbaum(&series, &ids, SAMPLES);
        within(ib[0], 0.5); // I_B(x) = a_y
        within(ib[1], 0.9);
        let parallel = arch(&format!(
            r#"(name: "x", kind: Instance, {A}), (name: "y", kind: Instance, {B}),
               (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
        ));
        let ib = birnbaum(&parallel, &ids, SAMPLES);
        within(ib[0], 0.5); // I_B(x) = 1 - a_y
        within(ib[1], 0.1);
        let two_of_three = arch(&format!(
            r#"(name: "x", kind: Instance, {A}), (name: "y", kind: Instance, {A}),
               (name: "z", kind: Instance, {B}), (name: "svc", kind: Group, needs: AtLeast(2, ["x", "y", "z"]))"#
        ));
        // x is critical iff exactly one of y, z is up: 0.9 * 0.5 + 0.1 * 0.5.
        let ib = birnbaum(&two_of_three, &[ComponentId(0), ComponentId(2)], SAMPLES);
        within(ib[0], 0.9 * 0.5 + 0.1 * 0.5);
        within(ib[1], 2.0 * 0.9 * 0.1); // z: exactly one of x, y up
    }
}
