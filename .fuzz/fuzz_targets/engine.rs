//! Compile any bytes as a scenario file and, when they are valid, simulate every design (two
//! replications, the horizon cut to 30 days) and render every report format. Must never panic;
//! every float of the JSON must be finite; up-time never exceeds the horizon.
//!
//! Inputs that would process an event storm (a mean time to failure or recovery under a second,
//! or certain start failures with fast repairs) are skipped: the engine is right to take long
//! on them (`run` warns about them), and a fuzzer needs fast executions.
#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use faultline::metrics::{Header, Report, ScenarioId};
use faultline::model::{Recovery, System, compile_str};
use faultline::report::{csv, json, markdown, table};
use faultline::time::{MS_PER_DAY, SimTime};
use libfuzzer_sys::fuzz_target;

fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| faultline::runner::thread_pool(1).expect("a thread pool"))
}

/// Whether some law is fast enough to flood the run with events.
fn storm(system: &System) -> bool {
    let fast = |mean_ms: f64| mean_ms < 1000.0;
    let recovery = |r: &Recovery| match r {
        Recovery::Repair(d) => d.mean_ms(),
        Recovery::Replace { detect, launch } => detect.mean_ms() + launch.mean_ms(),
    };
    system.architectures.iter().flat_map(|a| &a.components).any(|c| {
        c.fail.is_some_and(|d| fast(d.mean_ms()))
            || c.modes.iter().any(|m| m.fail.is_some_and(|d| fast(d.mean_ms())) || fast(recovery(&m.recover)))
            || c.recover.as_ref().is_some_and(|r| fast(recovery(r)))
            || c.battery.is_some_and(|b| fast(b.runtime.mean_ms()) || fast(b.recharge.mean_ms()))
            || c.standby.as_ref().is_some_and(|s| fast(s.detect.mean_ms() + s.switch.mean_ms()))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(compiled) = compile_str(text) else { return };
    let mut system = compiled.system;
    if storm(&system) {
        return;
    }
    system.replications = system.replications.min(2);
    system.horizon = SimTime(system.horizon.0.min(30 * MS_PER_DAY));
    let architectures = faultline::runner::report_all(&system, pool());
    for a in &architectures {
        assert!((0.0..=1.0).contains(&a.availability.mean), "{}: availability {}", a.name, a.availability.mean);
    }
    let id = ScenarioId { name: system.name.clone(), sha256: String::new() };
    let report = Report { header: Header::new(&system, id, BTreeMap::new()), architectures };
    json::render(&report).expect("every float of the report is finite");
    let _ = (table::render(&report), markdown::render(&report), csv::render(&report));
});
