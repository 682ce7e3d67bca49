//! HA mechanisms against exact answers: continuous-time Markov chains solved here, and the
//! health-check delay's closed form. Tolerances are 4 standard errors estimated from the data,
//! with the standard error required small against the exact value; seeds are fixed.
//!
//! Every chain below uses exponential times only, so the engine's own-state machines (repair
//! crews, standby detection and switching, failed starts, cold passive clocks) are exactly
//! Markovian and the stationary distribution gives the long-run unavailability.

use faultline::engine::{Incident, Observer, Prepared, RunParams, Simulator};
use faultline::model::compile_str;

use crate::harness::mean_se;

/// Stationary distribution of a CTMC with `n` states and transitions (from, to, rate).
fn stationary(n: usize, transitions: &[(usize, usize, f64)]) -> Vec<f64> {
    // Solve π Q = 0 with Σ π = 1: transpose Q, replace the last equation by the sum.
    let mut a = vec![vec![0.0; n + 1]; n];
    for &(from, to, rate) in transitions {
        a[to][from] += rate;
        a[from][from] -= rate;
    }
    a[n - 1].fill(1.0); // Σ π = 1 (the right-hand side, column n, is 1 too)
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs())).unwrap();
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (row, r) in a.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot_row[col];
                for (x, p) in r.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    (0..n).map(|i| a[i][n] / a[i][i]).collect()
}

#[derive(Default)]
struct Durations(Vec<f64>);

impl Observer for Durations {
    fn incident(&mut self, i: &Incident) {
        if !i.censored {
            self.0.push(i.duration().0 as f64 / 1000.0);
        }
    }
}

/// Per-replication unavailability of the service of `text` (one architecture), and every
/// uncensored incident duration in seconds.
fn simulate(text: &str, replications: u64) -> (Vec<f64>, Vec<f64>) {
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let arch = &system.architectures[0];
    let params = RunParams::of(&system);
    let prepared = Prepared::new(arch, params);
    let mut sim = Simulator::new(&prepared);
    let mut durations = Durations::default();
    let unavailability = (0..replications)
        .map(|r| 1.0 - sim.run(r, &mut durations).up.0 as f64 / system.horizon.0 as f64)
        .collect();
    (unavailability, durations.0)
}

fn assert_unavailability(values: &[f64], exact: f64) {
    let (u, se) = mean_se(values);
    assert!(se < 0.03 * exact, "standard error {se} is not below 3% of U = {exact}");
    assert!((u - exact).abs() <= 4.0 * se, "U = {u}, exact {exact}, 4 SE = {}", 4.0 * se);
}

fn pair_text(mttf_h: u32, mttr_h: u32, horizon_h: u32, crew: bool) -> String {
    let crew_field = if crew { r#", crew: "oncall""# } else { "" };
    format!(
        r#"(name: "crew", seed: 11, horizon: "{horizon_h}h", crews: {{"oncall": 1}},
            profiles: {{ "m": (fail: Exp(mean: "{mttf_h}h"), recover: Repair(Exp(mean: "{mttr_h}h")){crew_field}) }},
            architectures: [(name: "a", service: "svc", components: [
                (name: "x", kind: Instance, profile: "m"), (name: "y", kind: Instance, profile: "m"),
                (name: "svc", kind: Group, needs: Any(["x", "y"])),
            ])])"#
    )
}

/// Two parallel components, one repair crew: states 0 (both up), 1 (one down), 2 (both down,
/// one repaired at a time).
fn shared_crew_unavailability(lambda: f64, mu: f64) -> f64 {
    stationary(3, &[(0, 1, 2.0 * lambda), (1, 0, mu), (1, 2, lambda), (2, 1, mu)])[2]
}

#[test]
fn two_components_sharing_one_repair_crew() {
    let (lambda, mu) = (1.0 / 100.0, 1.0 / 10.0);
    let (u, _) = simulate(&pair_text(100, 10, 20_000, true), 400);
    assert_unavailability(&u, shared_crew_unavailability(lambda, mu));
    let (u, _) = simulate(&pair_text(100, 10, 20_000, false), 400);
    let independent = (lambda / (lambda + mu)) * (lambda / (lambda + mu));
    assert_unavailability(&u, independent);
}

#[test]
fn a_shared_crew_doubles_the_unavailability_of_a_reliable_pair() {
    // MTTF 1000 h, MTTR 10 h: 2λ²/μ² / (1 + 2λ/μ + 2λ²/μ²) against (λ/(λ+μ))², a ratio of 2.00.
    let (lambda, mu) = (1.0 / 1000.0, 1.0 / 10.0);
    let exact_crew = shared_crew_unavailability(lambda, mu);
    let exact_independent = (lambda / (lambda + mu)) * (lambda / (lambda + mu));
    assert!((exact_crew / exact_independent - 2.0).abs() < 0.01);
    let (crew, _) = simulate(&pair_text(1000, 10, 100_000, true), 4000);
    let (independent, _) = simulate(&pair_text(1000, 10, 100_000, false), 4000);
    assert_unavailability(&crew, exact_crew);
    assert_unavailability(&independent, exact_independent);
    let ((a, se_a), (b, se_b)) = (mean_se(&crew), mean_se(&independent));
    let se = libm::sqrt(se_a * se_a + se_b * se_b);
    assert!(a - b > 4.0 * se, "the test must see the difference: {a} vs {b} (SE {se})");
}

#[test]
fn health_check_detection_lies_between_n_minus_1_and_n_intervals() {
    // Replace with a health check and an instant launch: every incident is the detection delay,
    // uniform on (2·30 s, 3·30 s): min 60 s, mean 75 s, max 90 s.
    let text = r#"(name: "hc", seed: 5, horizon: "20000h",
        architectures: [(name: "a", service: "svc", components: [
            (name: "svc", kind: Instance, fail: Exp(mean: "10h"),
             recover: Replace(detect: HealthCheck(interval: "30s", threshold: 3), launch: "0s")),
        ])])"#;
    let (_, d) = simulate(text, 20);
    assert!(d.len() > 10_000, "{} incidents", d.len());
    let min = d.iter().copied().fold(f64::INFINITY, f64::min);
    let max = d.iter().copied().fold(0.0, f64::max);
    assert!((60.0..60.1).contains(&min), "min {min}");
    assert!((89.9..=90.0).contains(&max), "max {max}");
    let (mean, se) = mean_se(&d);
    assert!((mean - 75.0).abs() <= 4.0 * se, "mean {mean}, 4 SE = {}", 4.0 * se);
}

#[test]
fn hot_standby_pair_with_exponential_detect_and_switch() {
    // Members fail at λ and are repaired at μ (each on its own); detection takes Exp(δ), the
    // switch Exp(σ); no failback. States (phase, active member, other member):
    // 0 Active up/up, 1 Active up/down, 2 Detecting down/up, 3 Detecting down/down,
    // 4 Switching new-up/old-down, 5 Switching new-up/old-up, 6 NoHealthy down/down.
    let (l, m, d, s) = (1.0 / 100.0, 1.0 / 10.0, 1.0, 2.0);
    let pi = stationary(
        7,
        &[
            (0, 2, l),
            (0, 1, l),
            (1, 3, l),
            (1, 0, m),
            (2, 0, m),
            (2, 3, l),
            (2, 4, d),
            (3, 1, m),
            (3, 2, m),
            (3, 6, d),
            (4, 1, s),
            (4, 6, l),
            (4, 5, m),
            (5, 0, s),
            (5, 4, 2.0 * l),
            (6, 4, 2.0 * m),
        ],
    );
    let exact = 1.0 - pi[0] - pi[1];
    let text = r#"(name: "hot", seed: 3, horizon: "20000h",
        profiles: { "db": (fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h"))) },
        architectures: [(name: "a", service: "svc", components: [
            (name: "db-a", kind: Database, profile: "db"), (name: "db-b", kind: Database, profile: "db"),
            (name: "svc", kind: Group, standby: (members: ["db-a", "db-b"], detect: Exp(mean: "1h"),
                                                 switch: Exp(mean: "30m"))),
        ])])"#;
    let (u, _) = simulate(text, 400);
    assert_unavailability(&u, exact);
}

#[test]
fn warm_standby_pair_ages_its_passive_member_at_the_factor() {
    // Two units fail at λ while active, at f λ while passive (a warm spare), each repaired on
    // its own at μ; detection and switch take no time, no failback. States by units up:
    // 2 (one active, one passive) -> 1 at λ (1 + f); 1 -> 0 at λ, -> 2 at μ; 0 -> 1 at 2 μ.
    let (l, m) = (1.0 / 100.0, 1.0 / 10.0);
    for (f, seed) in [(0.5, 5), (0.2, 6)] {
        let pi = stationary(3, &[(2, 1, l * (1.0 + f)), (1, 0, l), (1, 2, m), (0, 1, 2.0 * m)]);
        let exact = pi[0];
        let text = format!(
            r#"(name: "warm", seed: {seed}, horizon: "20000h",
            profiles: {{ "db": (fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h"))) }},
            architectures: [(name: "a", service: "svc", components: [
                (name: "db-a", kind: Database, profile: "db"), (name: "db-b", kind: Database, profile: "db"),
                (name: "svc", kind: Group, standby: (members: ["db-a", "db-b"], detect: "0s", switch: "0s",
                                                     passive: Warm(factor: {f}))),
            ])])"#
        );
        let (u, _) = simulate(&text, 400);
        assert_unavailability(&u, exact);
    }
}

/// One crew member serving `n` components that fail at `l[k]` and are repaired at `m[k]`,
/// non-preemptively, the waiting repair of highest `priority` first, then first come first
/// served. Returns each component's long-run unavailability, from the CTMC whose state is
/// (the repair in progress, the waiting repairs in service order).
fn crew_with_priorities(l: &[f64], m: &[f64], priority: &[i64]) -> Vec<f64> {
    type State = (Option<usize>, Vec<usize>);
    let n = l.len();
    let mut states: Vec<State> = vec![(None, Vec::new())];
    let mut transitions = Vec::new();
    let mut k = 0;
    while k < states.len() {
        let (busy, waiting) = states[k].clone();
        let mut next = Vec::new();
        for c in (0..n).filter(|&c| busy != Some(c) && !waiting.contains(&c)) {
            let s = match busy {
                None => (Some(c), Vec::new()),
                Some(_) => {
                    let mut w = waiting.clone();
                    let at = w.iter().position(|&x| priority[x] < priority[c]).unwrap_or(w.len());
                    w.insert(at, c);
                    (busy, w)
                }
            };
            next.push((s, l[c]));
        }
        if let Some(r) = busy {
            let mut w = waiting.clone();
            let first = (!w.is_empty()).then(|| w.remove(0));
            next.push(((first, w), m[r]));
        }
        for (s, rate) in next {
            let to = states.iter().position(|x| *x == s).unwrap_or_else(|| {
                states.push(s);
                states.len() - 1
            });
            transitions.push((k, to, rate));
        }
        k += 1;
    }
    let pi = stationary(states.len(), &transitions);
    (0..n)
        .map(|c| {
            states.iter().zip(&pi).filter(|((b, w), _)| *b == Some(c) || w.contains(&c)).map(|(_, p)| p).sum()
        })
        .collect()
}

#[test]
fn a_crew_repairs_the_higher_priority_first() {
    // `a` (priority 1, failing every 100 h, repaired in 5 h) and `b`, `c` (priority 0, failing
    // every 40 h, repaired in 30 h) share one crew member: queues form, and `a` jumps them.
    let (l, m) = ([1.0 / 100.0, 1.0 / 40.0, 1.0 / 40.0], [1.0 / 5.0, 1.0 / 30.0, 1.0 / 30.0]);
    let with = crew_with_priorities(&l, &m, &[1, 0, 0]);
    let fcfs = crew_with_priorities(&l, &m, &[0, 0, 0]);
    assert!(with[0] < 0.85 * fcfs[0], "priority matters here: {} vs {}", with[0], fcfs[0]);
    let text = r#"(name: "prio", seed: 8, horizon: "20000h", crews: {"oncall": 1},
        profiles: { "m": (fail: Exp(mean: "40h"), recover: Repair(Exp(mean: "30h")), crew: "oncall") },
        architectures: [(name: "a", service: "a", components: [
            (name: "a", kind: Instance, fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "5h")), crew: "oncall",
             priority: 1),
            (name: "b", kind: Instance, profile: "m"), (name: "c", kind: Instance, profile: "m"),
        ])])"#;
    let (u, _) = simulate(text, 400);
    assert_unavailability(&u, with[0]);
}

#[test]
fn generator_that_may_fail_to_start() {
    // A utility feed (λu, μu) backed by a cold generator (fails only while running, λg; repair
    // μg) that fails to start with probability p each time it is asked: at each utility failure
    // and again after its repair while the utility is still down. Zero-delay detect and switch,
    // failback to the utility. States: A utility up / generator ready, B utility up /
    // generator in repair, C utility down / generator running, D both down.
    let (lu, mu_u, lg, mu_g, p) = (1.0 / 100.0, 1.0 / 4.0, 1.0 / 50.0, 1.0 / 10.0, 0.1);
    let pi = stationary(
        4,
        &[
            (0, 2, lu * (1.0 - p)),
            (0, 3, lu * p),
            (1, 0, mu_g),
            (1, 3, lu),
            (2, 0, mu_u),
            (2, 3, lg),
            (3, 1, mu_u),
            (3, 2, mu_g * (1.0 - p)),
        ],
    );
    let text = r#"(name: "power", seed: 9, horizon: "20000h",
        architectures: [(name: "a", service: "power", components: [
            (name: "utility", kind: Power, fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "4h"))),
            (name: "generator", kind: Power, fail: Exp(mean: "50h"), recover: Repair(Exp(mean: "10h")),
             start_failure: 0.1),
            (name: "power", kind: Group, standby: (members: ["utility", "generator"], detect: "0s",
                                                   switch: "0s", failback: true, passive: Cold)),
        ])])"#;
    let (u, _) = simulate(text, 600);
    assert_unavailability(&u, pi[3]);
}

#[test]
fn direct_connect_with_a_vpn_backup_and_failback() {
    // Members D (Direct Connect, priority 1) and V (VPN), each failing and repaired on its own;
    // detection Exp(δ), switch Exp(σ), failback to D. States (phase, member, D, V):
    //  0 Active D 1 1 | 1 Active D 1 0 | 2 Active V 0 1 | 3 Detect D 0 1 | 4 Detect D 0 0
    //  5 Detect V 0 0 | 6 Detect V 1 0 | 7 Switch V 0 1 | 8 Switch V 1 1 | 9 Switch D 1 1
    // 10 Switch D 1 0 | 11 no healthy member 0 0. Up: 0, 1, 2.
    let (ld, md, lv, mv, d, s) = (1.0 / 200.0, 1.0 / 8.0, 1.0 / 100.0, 1.0 / 2.0, 60.0, 20.0);
    let pi = stationary(
        12,
        &[
            (0, 3, ld),
            (0, 1, lv),
            (1, 4, ld),
            (1, 0, mv),
            (2, 5, lv),
            (2, 9, md),
            (3, 0, md),
            (3, 4, lv),
            (3, 7, d),
            (4, 1, md),
            (4, 3, mv),
            (4, 11, d),
            (5, 2, mv),
            (5, 6, md),
            (5, 11, d),
            (6, 9, mv),
            (6, 5, ld),
            (6, 10, d),
            (7, 2, s),
            (7, 8, md),
            (7, 11, lv),
            (8, 9, s),
            (8, 7, ld),
            (8, 10, lv),
            (9, 0, s),
            (9, 10, lv),
            (9, 7, ld),
            (10, 1, s),
            (10, 9, mv),
            (10, 11, ld),
            (11, 10, md),
            (11, 7, mv),
        ],
    );
    let exact = 1.0 - pi[0] - pi[1] - pi[2];
    let text = r#"(name: "dx", seed: 21, horizon: "20000h",
        architectures: [(name: "a", service: "link", components: [
            (name: "dx", kind: Link, fail: Exp(mean: "200h"), recover: Repair(Exp(mean: "8h"))),
            (name: "vpn", kind: Link, fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "2h"))),
            (name: "link", kind: Group, standby: (members: ["dx", "vpn"], detect: Exp(mean: "1m"),
                                                  switch: Exp(mean: "3m"), failback: true)),
        ])])"#;
    let (u, _) = simulate(text, 500);
    assert_unavailability(&u, exact);
}
