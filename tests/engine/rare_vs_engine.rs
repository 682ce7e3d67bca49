//! The rare-event method's chain against the engine: for designs the method takes (exponential
//! failures and repairs, instant standby groups), the engine's crude estimate over a long
//! horizon and the chain's estimate agree within four combined standard errors. The chain is a
//! second implementation of the engine's semantics (needs, standby choice, failback, warm
//! ageing); these designs are frequent enough for crude sampling to pin them down.

use faultline::engine::{Observer, Prepared, RunParams, Simulator};
use faultline::model::compile_str;
use faultline::rare::{Chain, estimate};

use crate::harness::mean_se;

fn agree(components: &str, seed: u64) {
    let text = format!(
        r#"(name: "v", seed: {seed}, horizon: "20000h", architectures: [(name: "a", service: "svc", components: [{components}])])"#
    );
    let system = compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let arch = &system.architectures[0];
    let prepared = Prepared::new(arch, RunParams::of(&system));
    let mut sim = Simulator::new(&prepared);
    let crude: Vec<f64> =
        (0..300).map(|r| 1.0 - sim.run(r, &mut Nothing).up.0 as f64 / system.horizon.0 as f64).collect();
    let (u_crude, se_crude) = mean_se(&crude);
    let chain = Chain::new(arch, system.random).expect("the design qualifies");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let rare = estimate(&chain, seed, "a", 0.01, 2_000_000, &pool).moments.unavailability();
    let se_rare = rare.half_width / 1.96;
    let se = (se_crude * se_crude + se_rare * se_rare).sqrt();
    assert!(se < 0.05 * u_crude, "the test must be precise: SE {se} against U {u_crude}");
    assert!(
        (u_crude - rare.value).abs() <= 4.0 * se,
        "engine {u_crude:e} ± {se_crude:e}, chain {:e} ± {se_rare:e}",
        rare.value
    );
}

/// An observer that keeps nothing: the summary is enough.
struct Nothing;

impl Observer for Nothing {
    fn incident(&mut self, _: &faultline::engine::Incident) {}
}

const M: &str = r#"fail: Exp(mean: "200h"), recover: Repair(Exp(mean: "10h"))"#;

#[test]
fn two_of_three_on_their_zones() {
    agree(
        &format!(
            r#"(name: "z1", kind: Az, fail: Exp(mean: "2000h"), recover: Repair(Exp(mean: "20h"))),
               (name: "z2", kind: Az, fail: Exp(mean: "2000h"), recover: Repair(Exp(mean: "20h"))),
               (name: "x", kind: Instance, {M}, needs: All(["z1"])), (name: "y", kind: Instance, {M}, needs: All(["z1"])),
               (name: "w", kind: Instance, {M}, needs: All(["z2"])),
               (name: "svc", kind: Group, needs: AtLeast(2, ["x", "y", "w"]))"#
        ),
        21,
    );
}

#[test]
fn warm_standby_with_failback_and_unequal_members() {
    // The active member matters: the primary fails more often, the passive one ages at 0.3.
    agree(
        r#"(name: "p", kind: Database, fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "8h"))),
           (name: "s", kind: Database, fail: Exp(mean: "300h"), recover: Repair(Exp(mean: "20h"))),
           (name: "svc", kind: Group, standby: (members: ["p", "s"], detect: "0s", switch: "0s", failback: true,
                                                passive: Warm(factor: 0.3)))"#,
        22,
    );
}

#[test]
fn hot_standby_without_failback_behind_a_shared_zone() {
    agree(
        &format!(
            r#"(name: "z", kind: Az, fail: Exp(mean: "1000h"), recover: Repair(Exp(mean: "5h"))),
               (name: "p", kind: Database, {M}, needs: All(["z"])), (name: "s", kind: Database, fail: Exp(mean: "100h"),
                recover: Repair(Exp(mean: "10h"))),
               (name: "pair", kind: Group, standby: (members: ["p", "s"], detect: "0s", switch: "0s")),
               (name: "lb", kind: LoadBalancer, fail: Exp(mean: "5000h"), recover: Repair(Exp(mean: "1h"))),
               (name: "svc", kind: Group, needs: All(["lb", "pair"]))"#
        ),
        23,
    );
}
