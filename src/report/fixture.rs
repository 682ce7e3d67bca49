//! Scripted reports for the renderers' tests: real runs of small scenarios with data loss.

use std::collections::BTreeMap;

use crate::metrics::{Header, Report, ScenarioId};
use crate::model::compile_str;

/// An injected AZ fire destroys the primary of `orders` at 245 h: the async replica (lag 30 s)
/// is promoted after 5 m; without it the daily backup from t = 0 is restored (RPO 5 h, the
/// time since 240 h when the backup of that day started). `OBJECTIVES` is left to replace.
pub fn dr() -> String {
    let archs = [
        include_str!("../../tests/fixtures/data/async-replica.ron"),
        include_str!("../../tests/fixtures/data/backup-only.ron"),
        include_str!("../../tests/fixtures/data/no-copy.ron"),
        include_str!("../../tests/fixtures/data/stateless.ron"),
    ];
    include_str!("../../tests/fixtures/data/dr.ron")
        .replace("ARCHITECTURES", &archs.join(", "))
        .replace("INJECTIONS", include_str!("../../tests/fixtures/data/fire.ron"))
}

/// Orders go through a queue (retention 4 d) in `queued`, straight to the workers in `sync`;
/// an injected 5-day outage of the workers at 100 h leaves a 5-day backlog in `queued` (1 day
/// of messages deleted: RPO 1 d) and takes `sync` down for 5 days.
pub const QUEUED: &str = include_str!("../../tests/fixtures/data/queued.ron");

/// The report of [`DR`] with `objectives` (e.g. `objectives: (rpo: "1m"),`, or empty).
pub fn dr_report(objectives: &str) -> Report {
    report(&dr().replace("OBJECTIVES", objectives))
}

/// Runs `text` on one thread and reports it as `run` does (no overrides, a dummy hash).
pub fn report(text: &str) -> Report {
    let system = compile_str(text).unwrap_or_else(|e| panic!("{e:?}")).system;
    let pool = crate::runner::thread_pool(1).expect("thread pool");
    let scenario = ScenarioId { name: system.name.clone(), sha256: "0".repeat(64) };
    Report {
        header: Header::new(&system, scenario, BTreeMap::new()),
        architectures: crate::runner::report_all(&system, &pool),
    }
}
