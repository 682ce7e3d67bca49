//! The warning before a run that will take long: the events it will process, estimated from
//! the model (`analysis::workload`), and the time they take at the documented throughput
//! ([`EVENTS_PER_SECOND_PER_THREAD`] per worker thread). Printed on stderr before anything
//! runs when that time passes [`ANNOUNCE_AFTER_S`]; stdout never changes. It names the
//! component with the most events, where a unit slip (`"1ms"` for `"1m"`) or a heavy tail
//! usually is.

use crate::analysis::workload::{EVENTS_PER_SECOND_PER_THREAD, estimate};
use crate::model::System;
use crate::report::duration_s;
use crate::time::MS_PER_DAY;

use super::output;

/// Runs estimated to take longer than this `[s]` are announced.
pub const ANNOUNCE_AFTER_S: f64 = 60.0;

/// What a command simulates: which architectures and how many replications of each (every
/// command simulates them once; `report` and `chart` draw their charts from that pass).
pub(super) struct Work<'a> {
    pub system: &'a System,
    pub archs: &'a [usize],
    pub replications: u64,
    pub threads: usize,
}

/// Prints the warning of `work` on stderr if it is long.
pub(super) fn announce(work: &Work<'_>, origin: &str) {
    if let Some(text) = warning(work, origin) {
        output::stderr(&text);
    }
}

/// The warning for `work`, if its estimated time passes [`ANNOUNCE_AFTER_S`].
pub(super) fn warning(work: &Work<'_>, origin: &str) -> Option<String> {
    let system = work.system;
    let runs = work.replications as f64;
    let mut total = 0.0;
    let mut busiest: Option<(usize, crate::model::ComponentId, f64)> = None;
    for &a in work.archs {
        let e = estimate(&system.architectures[a], system.horizon, system.random);
        total += e.per_replication * runs;
        if let Some((c, n)) = e.busiest()
            && busiest.is_none_or(|(_, _, b)| n > b)
        {
            busiest = Some((a, c, n));
        }
    }
    let threads = work.threads.max(1);
    let seconds = total / (EVENTS_PER_SECOND_PER_THREAD * threads as f64);
    if seconds.is_nan() || seconds <= ANNOUNCE_AFTER_S {
        return None;
    }
    let archs = work.archs.len();
    let mut text = format!(
        "{origin}: warning: this run will process about {total:.1e} events ({} replication{} x {archs} architecture{}), about {} at {:.0} M events/s on each of {threads} thread{}\n",
        work.replications,
        plural(work.replications as usize),
        plural(archs),
        human(seconds),
        EVENTS_PER_SECOND_PER_THREAD / 1e6,
        plural(threads),
    );
    if let Some((a, c, n)) = busiest {
        let arch = &system.architectures[a];
        let gap_s = system.horizon.0 as f64 / n / 1000.0;
        let rate = if gap_s < 0.001 {
            format!("{:.1} a millisecond", 0.001 / gap_s)
        } else {
            format!("one every {}", duration_s(gap_s))
        };
        text.push_str(&format!(
            "  = note: the most are `{}`'s in `{}`: about {n:.1e} per replication, {rate} of simulated time\n",
            arch.components[c.index()].name,
            arch.name
        ));
    }
    text.push_str(
        "  = hint: estimated from the mean times to failure and recovery, each draw counted as the run sees it (at least 1ms, cut at the horizon), so a heavy tail (LogNormal with a large sigma) counts its many short draws; a mean of milliseconds is often a unit slip (\"1ms\" for \"1m\"); fewer replications or a shorter horizon shorten the run\n",
    );
    Some(text)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A time to wait, from seconds: as in reports, in years past a year.
fn human(seconds: f64) -> String {
    let year_s = 365.0 * MS_PER_DAY as f64 / 1000.0;
    if seconds >= year_s { format!("{:.1} years", seconds / year_s) } else { duration_s(seconds) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::compile_str;

    fn system(fail: &str, replications: u64) -> System {
        let text = format!(
            r#"(name: "s", horizon: "1y", replications: {replications}, architectures: [(name: "a", service: "svc", components: [
                (name: "x", kind: Instance, fail: Exp(mean: "2000h"), recover: Repair("1h")),
                (name: "web", kind: Instance, fail: {fail}, recover: Repair("1ms")),
                (name: "svc", kind: Group, needs: All(["x", "web"]))])])"#
        );
        compile_str(&text).unwrap().system
    }

    #[test]
    fn a_storm_is_announced_with_its_source_and_a_short_run_is_not() {
        // web fails every 1 ms (mean) and recovers in 1 ms: 3.1536e10 events a replication;
        // x adds 2 x 8760 / 2001 = 8.76. 10 replications on 2 threads at 10 M/s: 15768 s.
        let storm = system(r#"Exp(mean: "1ms")"#, 10);
        let work = Work { system: &storm, archs: &[0], replications: 10, threads: 2 };
        let text = warning(&work, "f.ron").expect("a storm");
        assert!(
            text.starts_with("f.ron: warning: this run will process about 3.2e11 events (10 replications x 1 architecture), about 4h 23m at 10 M events/s on each of 2 threads\n"),
            "{text}"
        );
        assert!(text.contains("= note: the most are `web`'s in `a`: about 3.2e10 per replication, one every 1ms of simulated time\n"), "{text}");
        assert!(text.contains("heavy tail"), "{text}");
        // The same model failing every 2000 h: 35 events a replication, no warning.
        let calm = system(r#"Exp(mean: "2000h")"#, 10);
        assert_eq!(warning(&Work { system: &calm, archs: &[0], replications: 10, threads: 2 }, "f"), None);
    }

    #[test]
    fn the_threshold_is_a_minute_of_work() {
        // The calm model has two components failing every 2000 h for a year, repaired in 1 h
        // and 1 ms: 2 x 8760 / 2001 + 2 x 8760 / 2000.0000003 = 17.516 events a replication;
        // a minute on one thread is 6e8 events: 3.43e7 replications.
        let calm = system(r#"Exp(mean: "2000h")"#, 1);
        let per_replication =
            2.0 * 8760.0 / 2001.0 + 2.0 * 8760.0 * 3_600_000.0 / (2000.0 * 3_600_000.0 + 1.0);
        let at_limit = (6e8 / per_replication) as u64;
        let work = |replications| Work { system: &calm, archs: &[0], replications, threads: 1 };
        assert_eq!(warning(&work(at_limit - 1), "f"), None);
        assert!(warning(&work(at_limit + 2), "f").is_some());
    }

    #[test]
    fn waits_read_as_in_reports() {
        assert_eq!(human(90.0), "1m 30s");
        assert_eq!(human(3.0 * 86_400.0), "3d 00h");
        assert_eq!(human(2.0 * 365.0 * 86_400.0), "2.0 years");
    }
}
