//! Birnbaum importance against closed forms and against enumerating every state of the
//! components by hand (`cutsets::service_up` on all 2^n own states).

use super::*;
use crate::analysis::cutsets::{service_up, topological};
use crate::model::compile_str;

fn arch(components: &str) -> Architecture {
    let text = format!(
        r#"(name: "i", horizon: "1y", architectures: [(name: "a", service: "svc", components: [{components}])])"#
    );
    compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system.architectures.remove(0)
}

fn id(a: &Architecture, name: &str) -> ComponentId {
    a.find(name).unwrap_or_else(|| panic!("no {name}"))
}

/// Exact I_B of the named components.
fn exact(a: &Architecture, names: &[&str]) -> Vec<f64> {
    let ids: Vec<ComponentId> = names.iter().map(|n| id(a, n)).collect();
    let b = birnbaum(a, &ids, BUDGET);
    assert_eq!(b.method, Method::Exact);
    b.values
        .iter()
        .map(|&(v, se)| {
            assert_eq!(se, None);
            v
        })
        .collect()
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-12, "got {got}, want {want}");
}

/// 90 h up, 10 h down: a = 0.9; 50 h up, 50 h down: a = 0.5.
const A: &str = r#"fail: Exp(mean: "90h"), recover: Repair(Exp(mean: "10h"))"#;
const B: &str = r#"fail: Exp(mean: "50h"), recover: Repair("50h")"#;

/// Availability and I_B of every component that can fail, by enumerating all 2^n own states.
fn by_hand(a: &Architecture) -> (f64, Vec<(ComponentId, f64)>) {
    let vars: Vec<usize> = (0..a.components.len()).filter(|&c| a.components[c].can_fail()).collect();
    assert!(vars.len() <= 16, "{} variables", vars.len());
    let p: Vec<(f64, f64)> = vars.iter().map(|&c| own_states(a, ComponentId(c as u32))).collect();
    let order = topological(a);
    let mut failed = vec![false; a.components.len()];
    let (mut availability, mut given_up, mut given_down) =
        (0.0, vec![0.0; vars.len()], vec![0.0; vars.len()]);
    for state in 0u32..1 << vars.len() {
        let bit = |i: usize| state >> i & 1 == 1;
        vars.iter().enumerate().for_each(|(i, &c)| failed[c] = !bit(i));
        if !service_up(a, &order, &failed) {
            continue;
        }
        let prob = |skip: Option<usize>| -> f64 {
            (0..vars.len())
                .filter(|&i| Some(i) != skip)
                .map(|i| if bit(i) { p[i].0 } else { p[i].1 })
                .product()
        };
        availability += prob(None);
        for i in 0..vars.len() {
            let sum = if bit(i) { &mut given_up } else { &mut given_down };
            sum[i] += prob(Some(i));
        }
    }
    let ib =
        vars.iter().enumerate().map(|(i, &c)| (ComponentId(c as u32), given_up[i] - given_down[i])).collect();
    (availability, ib)
}

/// Every component that can fail, exactly, against [`by_hand`].
fn against_enumeration(a: &Architecture) {
    let (availability, want) = by_hand(a);
    close(structure_availability(a, BUDGET).unwrap(), availability);
    let ids: Vec<ComponentId> = want.iter().map(|&(c, _)| c).collect();
    let got = birnbaum(a, &ids, BUDGET);
    assert_eq!(got.method, Method::Exact);
    for ((c, want), (got, _)) in want.iter().zip(&got.values) {
        assert!((got - want).abs() <= 1e-12, "{}: got {got}, by hand {want}", a.components[c.index()].name);
    }
}

#[test]
fn availability_from_the_laws() {
    let a =
        arch(&format!(r#"(name: "x", kind: Instance, {A}), (name: "svc", kind: Group, needs: All(["x"]))"#));
    assert!((own_availability(&a, ComponentId(0)) - 0.9).abs() < 1e-12);
    assert!((own_states(&a, ComponentId(0)).1 - 0.1).abs() < 1e-12);
    assert_eq!(own_states(&a, ComponentId(1)), (1.0, 0.0), "a group cannot fail on its own");
    let modes = arch(
        r#"(name: "svc", kind: Instance, modes: [
            (name: "a", fail: Exp(mean: "100h"), recover: Repair("10h")),
            (name: "b", fail: Exp(mean: "400h"), recover: Replace(detect: "10h", launch: "30h"))])"#,
    );
    // Rate 0.0125/h; mean down (0.01 * 10 + 0.0025 * 40) / 0.0125 = 16 h; up 80 h.
    assert!((own_availability(&modes, ComponentId(0)) - 80.0 / 96.0).abs() < 1e-12);
    // P(down) is computed directly, not as 1 - P(up): kept to full precision when tiny.
    let tiny = arch(r#"(name: "svc", kind: Instance, fail: Exp(mean: "1000000y"), recover: Repair("1ms"))"#);
    let down = own_states(&tiny, ComponentId(0)).1;
    let x = 1.0 / (1e6 * 8760.0 * 3.6e6);
    assert!((down - x / (1.0 + x)).abs() <= 1e-15 * x, "{down}");
}

#[test]
fn series_parallel_and_two_of_three() {
    let series = arch(&format!(
        r#"(name: "x", kind: Instance, {A}), (name: "y", kind: Instance, {B}),
           (name: "svc", kind: Group, needs: All(["x", "y"]))"#
    ));
    let ib = exact(&series, &["x", "y"]);
    close(ib[0], 0.5); // I_B(x) = a_y
    close(ib[1], 0.9);
    let parallel = arch(&format!(
        r#"(name: "x", kind: Instance, {A}), (name: "y", kind: Instance, {B}),
           (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
    ));
    let ib = exact(&parallel, &["x", "y"]);
    close(ib[0], 0.5); // I_B(x) = 1 - a_y
    close(ib[1], 0.1);
    let two_of_three = arch(&format!(
        r#"(name: "x", kind: Instance, {A}), (name: "y", kind: Instance, {A}),
           (name: "z", kind: Instance, {B}), (name: "svc", kind: Group, needs: AtLeast(2, ["x", "y", "z"]))"#
    ));
    // x is critical iff exactly one of y, z is up: 0.9 * 0.5 + 0.1 * 0.5.
    let ib = exact(&two_of_three, &["x", "y", "z"]);
    close(ib[0], 0.9 * 0.5 + 0.1 * 0.5);
    assert_eq!(ib[0].to_bits(), ib[1].to_bits(), "x and y are alike");
    close(ib[2], 2.0 * 0.9 * 0.1); // z: exactly one of x, y up
}

#[test]
fn identical_instances_in_a_shared_az_get_identical_exact_values() {
    let shared = arch(&format!(
        r#"(name: "az", kind: Az, {B}), (name: "x", kind: Instance, {A}, needs: All(["az"])),
           (name: "y", kind: Instance, {A}, needs: All(["az"])), (name: "svc", kind: Group, needs: Any(["x", "y"]))"#
    ));
    let ib = exact(&shared, &["x", "y", "az"]);
    // x is critical iff the AZ is up and y is down; the AZ iff either instance is up.
    close(ib[0], 0.5 * 0.1);
    assert_eq!(ib[0].to_bits(), ib[1].to_bits(), "x {} and y {}", ib[0], ib[1]);
    close(ib[2], 1.0 - 0.1 * 0.1);
    close(structure_availability(&shared, BUDGET).unwrap(), 0.5 * (1.0 - 0.1 * 0.1));
}

/// Two AZs under one region, each with an instance: the two instances are symmetric only
/// through swapping the AZs, which are both conditioned on.
#[test]
fn the_bundled_multi_az_web_tier_against_its_closed_form() {
    let text = include_str!("../../../scenarios/web-single-vs-multi-az.ron");
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    for a in &system.architectures {
        let ib = exact(a, &["web-1", "web-2", "use1-az1", "use1-az2", "alb", "use1"]);
        let p = |name: &str| own_states(a, id(a, name));
        let ((r, _), (lb, _), (w, wd), (z, zd)) = (p("use1"), p("alb"), p("web-1"), p("use1-az1"));
        assert_eq!(ib[0].to_bits(), ib[1].to_bits(), "{}: web-1 {} vs web-2 {}", a.name, ib[0], ib[1]);
        if a.name == "multi-az" {
            assert_eq!(ib[2].to_bits(), ib[3].to_bits(), "the AZs are alike: {} vs {}", ib[2], ib[3]);
            // web-1 is critical iff the region, the ALB and AZ 1 are up and web-2 or AZ 2 is down.
            close(ib[0], r * lb * z * (1.0 - w * z));
            // AZ 1 is critical iff region and ALB are up, web-1 is up, and web-2 or AZ 2 down;
            // (with AZ 1 down the ALB still has AZ 2).
            close(ib[2], r * lb * w * (1.0 - w * z));
        } else {
            // Both in AZ 1: web-1 is critical iff everything else is up but web-2.
            close(ib[0], r * lb * z * wd);
            close(ib[2], r * lb * (1.0 - wd * wd));
        }
        let _ = zd;
    }
}

/// Twelve components that can fail: a region, three AZs, a 2-of-3 web tier, a standby
/// database holding a dataset, and a producer that writes to a queue consumed by workers.
const DESIGN: &str = r#"
    (name: "region", kind: Region, fail: Exp(mean: "20000h"), recover: Repair(Exp(mean: "200h"))),
    (name: "az-1", kind: Az, fail: Exp(mean: "500h"), recover: Repair(Exp(mean: "30h")), needs: All(["region"])),
    (name: "az-2", kind: Az, fail: Exp(mean: "500h"), recover: Repair(Exp(mean: "30h")), needs: All(["region"])),
    (name: "az-3", kind: Az, fail: Exp(mean: "700h"), recover: Repair(Exp(mean: "20h")), needs: All(["region"])),
    (name: "web-1", kind: Instance, fail: Exp(mean: "90h"), recover: Repair("10h"), needs: All(["az-1"])),
    (name: "web-2", kind: Instance, fail: Exp(mean: "90h"), recover: Repair("10h"), needs: All(["az-2"])),
    (name: "web-3", kind: Instance, fail: Exp(mean: "90h"), recover: Repair("10h"), needs: All(["az-3"])),
    (name: "web", kind: Group, needs: AtLeast(2, ["web-1", "web-2", "web-3"])),
    (name: "db-a", kind: Database, fail: Exp(mean: "300h"), recover: Replace(detect: "1h", launch: "5h"), needs: All(["az-1"])),
    (name: "db-b", kind: Database, fail: Exp(mean: "300h"), recover: Replace(detect: "1h", launch: "5h"), needs: All(["az-2"])),
    (name: "db", kind: Group, needs: All(["region"]),
        standby: (members: ["db-a", "db-b"], detect: "1m", switch: "1m")),
    (name: "orders-q", kind: Queue, fail: Exp(mean: "1000h"), recover: Repair("3h"), retention: "4d",
        needs: Any(["az-1", "az-3"])),
    (name: "workers", kind: Instance, fail: Exp(mean: "50h"), recover: Repair("25h"), needs: All(["az-3"])),
    (name: "checkout", kind: Group, needs: Async(queue: "orders-q", consumers: "workers")),
    (name: "svc", kind: Group, needs: All(["web", "orders", "checkout"])),
"#;

fn design() -> Architecture {
    let text = format!(
        r#"(name: "i", horizon: "1y", architectures: [(name: "a", service: "svc", components: [{DESIGN}],
            data: [(name: "orders", holder: "db")])])"#
    );
    compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system.architectures.remove(0)
}

#[test]
fn a_design_with_shared_components_against_enumeration() {
    let a = design();
    against_enumeration(&a);
    // The queue's consumers are not a need of the producer: they do not matter.
    assert_eq!(exact(&a, &["workers"]), vec![0.0]);
}

#[test]
fn bench_like_tiers_against_enumeration_and_symmetric_to_the_bit() {
    // 2 tiers x 3 AZs x 2 instances under a region: 16 components that can fail.
    let mut components = String::from(
        r#"(name: "region", kind: Region, fail: Exp(mean: "8760h"), recover: Repair(Exp(mean: "80h"))),"#,
    );
    for z in 1..=3 {
        components += &format!(
            r#"(name: "az-{z}", kind: Az, fail: Exp(mean: "1752h"), recover: Repair(Exp(mean: "40h")), needs: All(["region"])),"#
        );
    }
    for t in 1..=2 {
        let mut members = Vec::new();
        for z in 1..=3 {
            for i in 1..=2 {
                components += &format!(
                    r#"(name: "t{t}-{z}-{i}", kind: Instance, fail: Exp(mean: "200h"), recover: Repair("15h"), needs: All(["az-{z}"])),"#
                );
                members.push(format!(r#""t{t}-{z}-{i}""#));
            }
        }
        components += &format!(r#"(name: "tier-{t}", kind: Group, needs: Any([{}])),"#, members.join(", "));
    }
    components += r#"(name: "svc", kind: Group, needs: All(["tier-1", "tier-2"])),"#;
    let a = arch(&components);
    against_enumeration(&a);
    let names: Vec<String> = (1..=2)
        .flat_map(|t| (1..=3).flat_map(move |z| (1..=2).map(move |i| format!("t{t}-{z}-{i}"))))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let ib = exact(&a, &refs);
    assert!(ib.iter().all(|v| v.to_bits() == ib[0].to_bits()), "instances: {ib:?}");
    let azs = exact(&a, &["az-1", "az-2", "az-3"]);
    assert!(azs.iter().all(|v| v.to_bits() == azs[0].to_bits()), "AZs: {azs:?}");
}

#[test]
fn a_component_asked_about_that_cannot_fail_and_one_outside_the_service() {
    let a = arch(&format!(
        r#"(name: "x", kind: Instance, {A}), (name: "lb", kind: LoadBalancer, fail: Never),
           (name: "spare", kind: Instance, {B}), (name: "svc", kind: Group, needs: All(["x", "lb"]))"#
    ));
    // lb never fails at random (it can be injected): I_B(lb) = a_x; spare is not needed.
    let ib = exact(&a, &["lb", "spare"]);
    close(ib[0], 0.9);
    assert_eq!(ib[1], 0.0);
}

/// The estimate of `a` at budget 0 (the fewest draws) against enumeration: within the
/// two-sided 99.99% Student-t interval of each value.
fn estimate_against_enumeration(a: &Architecture) -> Vec<(f64, f64, f64)> {
    let (_, want) = by_hand(a);
    let ids: Vec<ComponentId> = want.iter().map(|&(c, _)| c).collect();
    let got = birnbaum(a, &ids, 0);
    assert_eq!(got.method, Method::Estimate);
    let t = crate::metrics::t_quantile(0.99995, (MIN_SAMPLES - 1) as f64);
    let mut out = Vec::new();
    for ((c, want), &(value, se)) in want.iter().zip(&got.values) {
        let se = se.expect("an estimate has a standard error");
        let name = &a.components[c.index()].name;
        assert!((value - want).abs() <= t * se + 1e-15, "{name}: {value} ± {se}, exact {want}");
        out.push((*want, value, se));
    }
    out
}

#[test]
fn past_the_budget_an_estimate_with_its_standard_error() {
    estimate_against_enumeration(&design());
}

#[test]
fn the_estimate_resolves_a_rare_state_of_the_shared_components() {
    // Two regions, each with two AZs and an instance in each; the service runs on either.
    // A region matters only while the other is down (P ~ 1e-3): drawn 100 times without
    // biasing, that state would almost never come up.
    let mut components = String::new();
    for r in 1..=2 {
        components += &format!(
            r#"(name: "region-{r}", kind: Region, fail: Exp(mean: "10000h"), recover: Repair("10h")),"#
        );
        for z in 1..=2 {
            components += &format!(
                r#"(name: "az-{r}{z}", kind: Az, fail: Exp(mean: "5000h"), recover: Repair("5h"), needs: All(["region-{r}"])),
                   (name: "i-{r}{z}", kind: Instance, {A}, needs: All(["az-{r}{z}"])),"#
            );
        }
        components += &format!(r#"(name: "stack-{r}", kind: Group, needs: Any(["i-{r}1", "i-{r}2"])),"#);
    }
    components += r#"(name: "svc", kind: Group, needs: Any(["stack-1", "stack-2"])),"#;
    let a = arch(&components);
    let region = estimate_against_enumeration(&a)[0];
    assert!(
        region.0 > 1e-4 && region.2 < region.0 / 2.0,
        "region-1: exact {}, {} ± {}",
        region.0,
        region.1,
        region.2
    );
}
