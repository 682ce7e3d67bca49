//! Scripted reports for the renderers' tests: real runs of small scenarios with data loss.

use std::collections::BTreeMap;

use crate::engine::RunParams;
use crate::metrics::{Header, Report, ScenarioId};
use crate::model::compile_str;
use crate::time::MS_PER_HOUR;

/// An injected AZ fire destroys the primary of `orders` at 245 h: the async replica (lag 30 s)
/// is promoted after 5 m; without it the daily backup from t = 0 is restored (RPO 5 h, the
/// time since 240 h when the backup of that day started). `OBJECTIVES` is replaced.
pub const DR: &str = r#"Scenario(
    name: "dr smoke",
    horizon: "30d",
    replications: 1,
    random: false,
    OBJECTIVES
    shared: [
        (name: "az1", kind: Az, modes: [(name: "fire", fail: Never, loses_data: true, recover: Repair("48h"))]),
        (name: "az2", kind: Az, fail: Never),
    ],
    architectures: [
        (
            name: "async-replica",
            components: [
                (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
                (name: "db-b", kind: Database, fail: Never, needs: All(["az2"])),
                (name: "s3", kind: Storage, fail: Never),
                (name: "app", kind: Instance, fail: Never, needs: All(["orders"])),
            ],
            data: [(name: "orders", holder: "db-a",
                    replicas: [(on: "db-b", mode: Async(lag: "30s"))],
                    backups: [(every: "1d", to: "s3", restore: "2h", takes: "10m")],
                    promote: "5m", resync: "1h")],
            service: "app",
        ),
        (
            name: "backup-only",
            components: [
                (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
                (name: "s3", kind: Storage, fail: Never),
                (name: "app", kind: Instance, fail: Never, needs: All(["orders"])),
            ],
            data: [(name: "orders", holder: "db-a",
                    backups: [(every: "1d", to: "s3", restore: "2h", takes: "10m")])],
            service: "app",
        ),
        (
            name: "no-copy",
            components: [
                (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
                (name: "app", kind: Instance, fail: Never, needs: All(["orders"])),
            ],
            data: [(name: "orders", holder: "db-a")],
            service: "app",
        ),
        (
            name: "stateless",
            components: [(name: "app", kind: Instance, fail: Never, needs: All(["az2"]))],
            service: "app",
        ),
    ],
    injections: [(target: "az1", at: "245h", duration: "6h", mode: "fire")],
)"#;

/// Orders go through a queue (retention 4 d) in `queued`, straight to the workers in `sync`;
/// an injected 5-day outage of the workers at 100 h leaves a 5-day backlog in `queued` (1 day
/// of messages deleted: RPO 1 d) and takes `sync` down for 5 days.
pub const QUEUED: &str = include_str!("../../tests/fixtures/data/queued.ron");

/// The report of [`DR`] with `objectives` (e.g. `objectives: (rpo: "1m"),`, or empty).
pub fn dr_report(objectives: &str) -> Report {
    report(&DR.replace("OBJECTIVES", objectives))
}

/// Runs `text` on one thread and reports it as `run` does (no overrides, a dummy hash).
pub fn report(text: &str) -> Report {
    let system = compile_str(text).unwrap_or_else(|e| panic!("{e:?}")).system;
    let params = RunParams { seed: system.seed, horizon: system.horizon, random: system.random };
    let pool = crate::runner::thread_pool(1).expect("thread pool");
    let architectures = system
        .architectures
        .iter()
        .map(|a| {
            crate::runner::run_architecture(a, params, system.replications, &pool, &|_| {})
                .report(a, system.horizon)
        })
        .collect();
    let header = Header {
        schema: 1,
        faultline: "test",
        stream_version: crate::rng::STREAM_VERSION,
        scenario: ScenarioId { name: system.name.clone(), sha256: "0".repeat(64) },
        seed: system.seed,
        replications: system.replications,
        horizon_h: system.horizon.0 as f64 / MS_PER_HOUR as f64,
        random: system.random,
        overrides: BTreeMap::new(),
    };
    Report { header, architectures }
}
