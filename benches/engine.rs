//! Benchmarks: the engine on the bench-tiers models (events/s), the backup-and-restore design
//! of dr-strategies at backup cadences from a day to a minute (replications/s: the cost of a
//! design must not grow with how often it backs up its data), compiling a 10,000-component
//! scenario (components/s), the report fold (replications/s), the Birnbaum importance of
//! every component of bench-tiers-large (components/s), and the single points of failure of
//! a generated 100,000-component scenario by `sweep` and `cutsets --order 1` (components/s),
//! and the samplers' logarithm, `dist::ln` against `libm::log` (calls/s).
//!
//! `cargo bench` prints throughput; CI only smoke-runs these (`cargo test --benches`). The
//! figures recorded in benches/README.md come from a quiet machine.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use faultline::analysis::cutsets::minimal_cut_sets;
use faultline::analysis::importance::{BUDGET, Method, birnbaum};
use faultline::analysis::sweep::sweep;
use faultline::dist::{ln, unit_open_closed};
use faultline::engine::{Incident, Observer, Prepared, RunParams, Simulator};
use faultline::metrics::{Aggregate, Outcome, simulate};
use faultline::model::{ComponentId, System, compile_str};

struct Discard;

impl Observer for Discard {
    fn incident(&mut self, incident: &Incident) {
        black_box(incident);
    }
}

fn load(name: &str) -> System {
    let path = format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("bundled scenario");
    compile_str(&text).expect("bundled scenarios compile").system
}

fn params(system: &System) -> RunParams {
    RunParams::of(system)
}

/// The engine alone: replications of one architecture on one thread, no statistics.
fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.measurement_time(Duration::from_secs(5)).sample_size(20);
    for (file, replications) in [("bench-tiers.ron", 20u64), ("bench-tiers-large.ron", 2)] {
        let system = load(file);
        let prepared = Prepared::new(&system.architectures[0], params(&system));
        let mut sim = Simulator::new(&prepared);
        let events: u64 = (0..replications).map(|r| sim.run(r, &mut Discard).events).sum();
        group.throughput(Throughput::Elements(events));
        group.bench_function(file, |b| {
            b.iter(|| (0..replications).map(|r| sim.run(black_box(r), &mut Discard).events).sum::<u64>())
        });
    }
    group.finish();
}

/// The backup-and-restore design of dr-strategies with its backups every 24 h (as bundled), 1 h,
/// 5 min and 1 min: replications of one architecture on one thread.
fn backup_cadence(c: &mut Criterion) {
    let mut group = c.benchmark_group("backup-cadence");
    group.measurement_time(Duration::from_secs(3)).sample_size(20);
    let path = format!("{}/scenarios/dr-strategies.ron", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("bundled scenario");
    let replications = 20u64;
    for every in ["24h", "1h", "5m", "1m"] {
        let text = text.replace(
            r#"(every: "24h", to: "snapshots-use1""#,
            &format!(r#"(every: "{every}", to: "snapshots-use1""#),
        );
        let system = compile_str(&text).expect("dr-strategies compiles").system;
        let arch = system.architectures.iter().find(|a| a.name == "backup-restore").expect("bundled design");
        let prepared = Prepared::new(arch, params(&system));
        let mut sim = Simulator::new(&prepared);
        group.throughput(Throughput::Elements(replications));
        group.bench_function(every, |b| {
            b.iter(|| (0..replications).map(|r| sim.run(black_box(r), &mut Discard).events).sum::<u64>())
        });
    }
    group.finish();
}

/// A tiers scenario with `tiers` x 3 AZs x `per_az` instances, as text.
pub fn tiers_scenario(tiers: usize, per_az: usize) -> String {
    let mut s = String::from(
        r#"(name: "generated", horizon: "10y",
    profiles: { "i": (fail: Exp(mean: "2000h"), recover: Repair(Exp(mean: "15m"))),
                "az": (fail: Exp(mean: "17520h"), recover: Repair(Exp(mean: "4h"))) },
    shared: [ (name: "region", kind: Region, fail: Exp(mean: "87600h"), recover: Repair(Exp(mean: "8h"))),
              (name: "az-1", kind: Az, profile: "az", needs: All(["region"])),
              (name: "az-2", kind: Az, profile: "az", needs: All(["region"])),
              (name: "az-3", kind: Az, profile: "az", needs: All(["region"])) ],
    architectures: [( name: "tiers", service: "service", components: [
"#,
    );
    for t in 1..=tiers {
        let mut members = Vec::new();
        for az in 1..=3 {
            for k in 1..=per_az {
                let name = format!("t{t}-az{az}-{k}");
                let _ = writeln!(
                    s,
                    r#"(name: "{name}", kind: Instance, profile: "i", needs: All(["az-{az}"])),"#
                );
                members.push(format!("\"{name}\""));
            }
        }
        let _ = writeln!(s, r#"(name: "tier-{t}", kind: Group, needs: Any([{}])),"#, members.join(", "));
    }
    let tiers: Vec<String> = (1..=tiers).map(|t| format!("\"tier-{t}\"")).collect();
    let _ = writeln!(s, r#"(name: "service", kind: Group, needs: All([{}])),"#, tiers.join(", "));
    s.push_str("])])\n");
    s
}

/// Parsing and compiling a scenario of 10,000 components.
fn compile(c: &mut Criterion) {
    let text = tiers_scenario(20, 166); // 20 x 3 x 166 = 9,960 instances + 25 others
    let components =
        compile_str(&text).expect("generated scenario compiles").system.architectures[0].components.len();
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    group.throughput(Throughput::Elements(components as u64));
    group.bench_function("10k-components", |b| b.iter(|| compile_str(black_box(&text)).is_ok()));
    group.finish();
}

/// Folding per-replication outcomes into the report, in replication order.
fn fold(c: &mut Criterion) {
    let system = load("bench-tiers.ron");
    let arch = &system.architectures[0];
    let prepared = Prepared::new(arch, params(&system));
    let mut sim = Simulator::new(&prepared);
    let outcomes: Vec<Outcome> = (0..1000).map(|r| simulate(&mut sim, r, arch.objectives.rto)).collect();
    let mut group = c.benchmark_group("report");
    group.throughput(Throughput::Elements(outcomes.len() as u64));
    group.bench_function("fold-1000-replications", |b| {
        b.iter(|| {
            let mut aggregate = Aggregate::default();
            for o in &outcomes {
                aggregate.add(o, system.horizon);
            }
            faultline::runner::report(arch, &aggregate, system.horizon)
        })
    });
    group.finish();
}

/// Birnbaum importance of every component of bench-tiers-large that can fail, as `run`
/// computes it (exact: the region and the three AZs conditioned on, 2^4 passes).
fn importance(c: &mut Criterion) {
    let system = load("bench-tiers-large.ron");
    let arch = &system.architectures[0];
    let ids: Vec<ComponentId> = (0..arch.components.len() as u32)
        .map(ComponentId)
        .filter(|c| arch.components[c.index()].can_fail())
        .collect();
    assert_eq!(birnbaum(arch, &ids, BUDGET).method, Method::Exact);
    let mut group = c.benchmark_group("importance");
    group.throughput(Throughput::Elements(ids.len() as u64));
    group.bench_function("bench-tiers-large.ron", |b| b.iter(|| birnbaum(arch, black_box(&ids), BUDGET)));
    group.finish();
}

/// Single points of failure of a 100,000-component tiers scenario: every component failed
/// alone (`sweep`, which the dependency graph settles here) and the order-1 cut sets.
fn single_points(c: &mut Criterion) {
    let text = tiers_scenario(200, 167); // 200 x 3 x 167 = 100,200 instances + 205 others
    let system = compile_str(&text).expect("generated scenario compiles").system;
    let arch = &system.architectures[0];
    let mut group = c.benchmark_group("single-points");
    group.sample_size(10);
    group.throughput(Throughput::Elements(arch.components.len() as u64));
    let month = faultline::time::SimTime(30 * faultline::time::MS_PER_DAY);
    group
        .bench_function("sweep/100k-components", |b| b.iter(|| sweep(black_box(arch), 1, month).spofs.len()));
    group.bench_function("cutsets-order-1/100k-components", |b| {
        b.iter(|| minimal_cut_sets(black_box(arch), 1).len())
    });
    group.finish();
}

/// The exponential and Weibull samplers' logarithm, `dist::ln`, against `libm::log`, which they
/// used before stream version 2: the same 4,096 sampler inputs U in (0, 1].
fn logarithm(c: &mut Criterion) {
    let inputs: Vec<f64> =
        (1..=4096u64).map(|i| unit_open_closed(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))).collect();
    let mut group = c.benchmark_group("ln");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("dist::ln", |b| b.iter(|| black_box(&inputs).iter().map(|&u| ln(u)).sum::<f64>()));
    group.bench_function("libm::log", |b| {
        b.iter(|| black_box(&inputs).iter().map(|&u| libm::log(u)).sum::<f64>())
    });
    group.finish();
}

criterion_group!(benches, engine, backup_cadence, compile, fold, importance, single_points, logarithm);
criterion_main!(benches);
