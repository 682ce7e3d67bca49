//! Engine benchmarks: events per second on the bench-tiers models, and compile time.
//!
//! `cargo bench` prints throughput in events/s (`Throughput::Elements(events)`); CI only
//! smoke-runs these (`cargo test --benches`), timings come from a quiet machine.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use faultline::engine::{Incident, Observer, Prepared, RunParams, Simulator};
use faultline::model::{System, compile_str};

struct Discard;

impl Observer for Discard {
    fn incident(&mut self, incident: &Incident) {
        black_box(incident);
    }
}

fn load(name: &str) -> (String, System) {
    let path = format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("bundled scenario");
    let system = compile_str(&text).expect("bundled scenarios compile").system;
    (text, system)
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.measurement_time(Duration::from_secs(5)).sample_size(20);
    for (file, replications) in [("bench-tiers.ron", 20u64), ("bench-tiers-large.ron", 2)] {
        let (_, system) = load(file);
        let arch = &system.architectures[0];
        let params = RunParams { seed: system.seed, horizon: system.horizon, random: system.random };
        let prepared = Prepared::new(arch, params);
        let mut sim = Simulator::new(&prepared);
        let events: u64 = (0..replications).map(|r| sim.run(r, &mut Discard).events).sum();
        group.throughput(Throughput::Elements(events));
        group.bench_function(file, |b| {
            b.iter(|| (0..replications).map(|r| sim.run(black_box(r), &mut Discard).events).sum::<u64>())
        });
    }
    group.finish();
}

fn compile(c: &mut Criterion) {
    let (text, system) = load("bench-tiers-large.ron");
    let mut group = c.benchmark_group("compile");
    group.throughput(Throughput::Elements(system.architectures[0].components.len() as u64));
    group.bench_function("bench-tiers-large.ron", |b| b.iter(|| compile_str(black_box(&text)).is_ok()));
    group.finish();
}

criterion_group!(benches, engine, compile);
criterion_main!(benches);
