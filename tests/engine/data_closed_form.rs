//! Realised RPO and failure modes against closed-form answers, with tolerances from the
//! confidence interval (4 standard errors, each estimated from the data or from the exact
//! distribution; fixed seeds).
//!
//! - Backups every T, with data-losing failures from an exponential clock (so independent of
//!   the schedule): the newest backup is Uniform(0, T) old, so RPO ~ Uniform(0, T): mean T/2,
//!   p95 0.95 T, max below T. With `takes` K a backup is usable only once complete, so
//!   RPO ~ Uniform(K, T + K).
//! - Competing failure modes with rates λ1, λ2 and mean repairs r1, r2: an alternating renewal
//!   process with mean up-time 1/(λ1+λ2) and mean down-time (λ1 r1 + λ2 r2)/(λ1+λ2); a
//!   failure is in mode 1 with probability λ1/(λ1+λ2).
//!
//! The nearest-rank p-quantile of N draws from a density f has standard error about
//! √(p(1-p)/N) / f(x_p); for Uniform(a, a+T), f = 1/T.

use faultline::engine::{DataLoss, Incident, Mode, Observer, Prepared, RunParams, Simulator};
use faultline::model::compile_str;

use crate::harness::{mean_se, quantile};

#[derive(Default)]
struct Collect {
    rpo_h: Vec<f64>,
    incidents: Vec<Incident>,
}

impl Observer for Collect {
    fn incident(&mut self, i: &Incident) {
        self.incidents.push(i.clone());
    }

    fn data_loss(&mut self, loss: &DataLoss) {
        self.rpo_h.push(loss.rpo.expect("a backup always survives").0 as f64 / 3.6e6);
    }
}

fn simulate(text: &str, replications: u64) -> (Collect, Vec<f64>) {
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let arch = &system.architectures[0];
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: true };
    let prepared = Prepared::new(arch, params);
    let mut sim = Simulator::new(&prepared);
    let mut collect = Collect::default();
    let mut availability = Vec::new();
    for r in 0..replications {
        let summary = sim.run(r, &mut collect);
        availability.push(summary.up.0 as f64 / system.horizon.0 as f64);
    }
    (collect, availability)
}

/// Daily backups taking `takes`; a volume lost every 30 days on average, back at once.
fn backups(takes: &str) -> String {
    format!(
        r#"(name: "rpo", seed: 7, horizon: "10y",
            architectures: [(name: "a", service: "app", components: [
                (name: "db", kind: Database, recover: Repair("1s"),
                 modes: [(name: "volume-loss", fail: Exp(mean: "30d"), loses_data: true)]),
                (name: "s3", kind: Storage, fail: Never),
                (name: "app", kind: Instance, fail: Never, needs: All(["orders"])),
            ], data: [(name: "orders", holder: "db",
                       backups: [(every: "24h", to: "s3", restore: "0s", takes: "{takes}")])])])"#
    )
}

/// RPO ~ Uniform(k, k + t): checks mean, p95 and the bounds.
fn check_uniform(rpo_h: &mut [f64], k: f64, t: f64) {
    let n = rpo_h.len() as f64;
    assert!(n > 10_000.0, "{n} events");
    rpo_h.sort_by(f64::total_cmp);
    let (mean, _) = mean_se(rpo_h);
    let se_mean = t / libm::sqrt(12.0 * n);
    assert!((mean - (k + t / 2.0)).abs() <= 4.0 * se_mean, "mean {mean} h, exact {} h", k + t / 2.0);
    let p95 = quantile(rpo_h, 0.95);
    let se_p95 = libm::sqrt(0.95 * 0.05 / n) * t;
    assert!((p95 - (k + 0.95 * t)).abs() <= 4.0 * se_p95, "p95 {p95} h, exact {} h", k + 0.95 * t);
    let max = *rpo_h.last().unwrap();
    assert!(max <= k + t && max > k + 0.99 * t, "max {max} h, bound {} h", k + t);
}

#[test]
fn backups_every_t_give_a_uniform_rpo() {
    let (mut c, _) = simulate(&backups("0s"), 100);
    check_uniform(&mut c.rpo_h, 0.0, 24.0);
    assert!(c.rpo_h[0] >= 0.0);
}

#[test]
fn a_backup_usable_only_once_taken_shifts_the_rpo_by_its_duration() {
    let (mut c, _) = simulate(&backups("3h"), 100);
    check_uniform(&mut c.rpo_h, 3.0, 24.0);
    // Only losses in the first 27 h (before the first scheduled backup completes) can be
    // younger than 3 h: at most a handful.
    let young = c.rpo_h.iter().filter(|&&r| r < 3.0).count();
    assert!(young <= 3, "{young} events below `takes`");
}

#[test]
fn competing_failure_modes() {
    let text = r#"(name: "modes", seed: 11, horizon: "20000h",
        architectures: [(name: "a", service: "svc", components: [
            (name: "svc", kind: Instance, modes: [
                (name: "crash", fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "10h"))),
                (name: "disk", fail: Exp(mean: "400h"), recover: Repair(Exp(mean: "40h"))),
            ]),
        ])])"#;
    let (c, availability) = simulate(text, 300);
    let (l1, l2, r1, r2) = (0.01, 0.0025, 10.0, 40.0);
    let up = 1.0 / (l1 + l2);
    let down = (l1 * r1 + l2 * r2) / (l1 + l2);
    let exact_a = up / (up + down);
    let (a, se_a) = mean_se(&availability);
    assert!(se_a < 0.02 * (1.0 - exact_a));
    assert!((a - exact_a).abs() <= 4.0 * se_a, "A = {a}, exact {exact_a}, 4 SE = {}", 4.0 * se_a);
    let durations: Vec<f64> =
        c.incidents.iter().filter(|i| !i.censored).map(|i| i.duration().0 as f64 / 3.6e6).collect();
    let (d, se_d) = mean_se(&durations);
    assert!((d - down).abs() <= 4.0 * se_d, "mean outage {d} h, exact {down} h");
    let n = c.incidents.len() as f64;
    let crash = c.incidents.iter().filter(|i| i.cause.mode == Mode::Named(0)).count() as f64;
    let disk = c.incidents.iter().filter(|i| i.cause.mode == Mode::Named(1)).count() as f64;
    assert_eq!(crash + disk, n, "every incident is in one of the modes");
    let p = l1 / (l1 + l2);
    let se_p = libm::sqrt(p * (1.0 - p) / n);
    assert!((crash / n - p).abs() <= 4.0 * se_p, "share of crashes {}, exact {p}", crash / n);
}

/// A producer decoupled from its consumers by a queue: consumers fail every 100 h on average
/// and are repaired in Exp(mean 2 h). Each outage is a backlog of that age; with a retention
/// of 3 h a backlog loses messages with probability e^(-3/2), and (memoryless repairs) the
/// RPO of such a loss is again Exp(mean 2 h). The producer-facing service never goes down.
#[test]
fn queue_backlogs_follow_the_consumers_outages_and_losses_their_tail() {
    #[derive(Default)]
    struct Queue {
        ages_h: Vec<f64>,
        rpo_h: Vec<f64>,
        incidents: u64,
    }
    impl Observer for Queue {
        fn incident(&mut self, _: &Incident) {
            self.incidents += 1;
        }
        fn data_loss(&mut self, loss: &DataLoss) {
            self.rpo_h.push(loss.rpo.unwrap().0 as f64 / 3.6e6);
        }
        fn backlog(&mut self, _queue: u32, age: faultline::time::SimTime) {
            self.ages_h.push(age.0 as f64 / 3.6e6);
        }
    }
    let text = r#"(name: "q", seed: 5, horizon: "20000h",
        architectures: [(name: "a", service: "checkout", components: [
            (name: "workers", kind: Instance, fail: Exp(mean: "100h"), recover: Repair(Exp(mean: "2h"))),
            (name: "orders-q", kind: Queue, fail: Never, retention: "3h"),
            (name: "checkout", kind: Group, needs: Async(queue: "orders-q", consumers: "workers")),
        ])])"#;
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: true };
    let prepared = Prepared::new(&system.architectures[0], params);
    let mut sim = Simulator::new(&prepared);
    let mut q = Queue::default();
    for r in 0..100 {
        sim.run(r, &mut q);
    }
    assert_eq!(q.incidents, 0, "the producer never needs the consumers");
    let n = q.ages_h.len() as f64;
    assert!(n > 15_000.0, "{n} backlogs");
    // Exp(2 h): standard deviation 2 h.
    let (mean_age, _) = mean_se(&q.ages_h);
    assert!((mean_age - 2.0).abs() <= 4.0 * 2.0 / libm::sqrt(n), "mean backlog {mean_age} h");
    let p = libm::exp(-1.5);
    let share = q.rpo_h.len() as f64 / n;
    assert!((share - p).abs() <= 4.0 * libm::sqrt(p * (1.0 - p) / n), "share lost {share}, exact {p}");
    let m = q.rpo_h.len() as f64;
    let (mean_rpo, _) = mean_se(&q.rpo_h);
    assert!((mean_rpo - 2.0).abs() <= 4.0 * 2.0 / libm::sqrt(m), "mean RPO {mean_rpo} h over {m} losses");
}
