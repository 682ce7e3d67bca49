//! How much work a run will be: the events one replication of an architecture will process,
//! estimated from the model before anything runs, so that a run of hours is announced (`cli`
//! warns on stderr when the estimate passes a minute at [`EVENTS_PER_SECOND_PER_THREAD`]).
//!
//! Counted, per replication (the engine's event count, `Summary::events`, plus the timers that
//! drive it):
//! - each way a component fails at random (its `fail`, or each of its failure modes competing)
//!   is a renewal process, failure then recovery, whatever its dependencies do (DESIGN rule
//!   2): two events per cycle, three with an alerting delay before a `Repair`. Cycles in a
//!   horizon H: `max(H / (mean TTF + mean recovery), H / min(T + R, H) - 1)`, where T and R
//!   are the means of the draws as the run sees them, the time to failure at least 1 ms and
//!   both cut at the horizon (`Dist::clipped_mean_ms`). By Wald's identity the number of
//!   renewals before H lies between `H / E[Y] - 1` and `2H / E[Y]` for Y the cycle cut at H,
//!   so the estimate is within a factor of about two whatever the law's tail; the plain mean
//!   only decides for failures rarer than the horizon. This is what catches a heavy tail:
//!   `LogNormal(mean: "2000h", sigma: 10)` has a finite mean of 2000 h, but nearly every draw
//!   is the 1 ms floor, and a plain-mean estimate would miss a storm of 10^7 failures per
//!   component and replication. Competing modes combine as exponential clocks do (rates add;
//!   the recovery is each mode's, weighted by its rate).
//! - a standby group: a detect timer each time a member (or something it needs in series)
//!   goes down, and a switch when that outage outlasts detection (the share `1 - detect /
//!   mean recovery`, from the means). If members may fail to start, each switch fails
//!   `p / (1 - p)` starts on average, `p` the largest start-failure probability of its
//!   members, two events each (the failed start and its recovery). With `p = 1` (or many
//!   switches) the group tries for the rest of the horizon once it first has to: one failed
//!   start per member and mean recovery (at least 1 ms, as the engine makes a failed start
//!   last).
//! - a battery: a discharge and a recharge per activation of its group (and the first, when
//!   its member carries the load from the start), at most one per `runtime + recharge`.
//! - an injection: its start and end. Backups cost nothing per period (the engine computes a
//!   chain in closed form when its dataset or store changes, which the events above count).
//!
//! Left out: waits for a crew and paused clocks of cold standby members (they only slow
//! failures down: the estimate is then high), and the promote, restore and resync timers of
//! data-losing failures (a few per such failure, which are counted). The cost of propagating a
//! failure through the graph is in the throughput figure, measured on `bench-tiers` (see
//! benches/README.md); a model where one failure flips thousands of components runs slower
//! per event than that.

use crate::model::{Architecture, Component, ComponentId, Recovery};
use crate::time::SimTime;

/// Events per second one worker thread processes, for the time a run will take: a round
/// figure below the 14-20 M events/s measured on the bench-tiers models (benches/README.md).
pub const EVENTS_PER_SECOND_PER_THREAD: f64 = 10e6;

/// The events one replication of an architecture will process, estimated.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Events per replication, in total.
    pub per_replication: f64,
    /// Events per replication by component (a group's failed starts are the group's; a
    /// dataset's backups its node's), by component id.
    pub by_component: Vec<f64>,
}

impl Estimate {
    /// The component with the most events (the first in id order on a tie), if any has one.
    pub fn busiest(&self) -> Option<(ComponentId, f64)> {
        let mut best: Option<(ComponentId, f64)> = None;
        for (i, &e) in self.by_component.iter().enumerate() {
            if e > 0.0 && best.is_none_or(|(_, b)| e > b) {
                best = Some((ComponentId(i as u32), e));
            }
        }
        best
    }
}

/// Estimates the events of one replication of `arch` over `horizon`, random failures on or
/// off.
pub fn estimate(arch: &Architecture, horizon: SimTime, random: bool) -> Estimate {
    let h = horizon.0 as f64;
    let n = arch.components.len();
    let mut by_component = vec![0.0; n];
    // Own random failures per replication, by component.
    let mut failures = vec![0.0; n];
    if random {
        for (i, c) in arch.components.iter().enumerate() {
            let (count, per_failure) = own_failures(c, h);
            failures[i] = count;
            by_component[i] += count * per_failure;
        }
    }
    let downs = series_downs(arch, &failures, h);
    for (i, c) in arch.components.iter().enumerate() {
        let Some(standby) = &c.standby else { continue };
        let activations: f64 = standby.members.iter().map(|m| downs[m.index()]).sum::<f64>().min(h);
        // A member back before detection ends switches nothing: the share of its outages
        // that outlast `detect`, from the means.
        let detect = standby.detect.clipped_mean_ms(0.0, h);
        let switches: f64 = standby
            .members
            .iter()
            .map(|m| {
                let member = &arch.components[m.index()];
                let down = member.recover.as_ref().map_or(0.0, |r| recovery_ms(member, r, h));
                let outlasts = if down > 0.0 { (1.0 - detect / down).max(0.0) } else { 0.0 };
                downs[m.index()] * outlasts
            })
            .sum::<f64>()
            .min(h);
        by_component[i] += activations + switches; // detect and switch timers
        let flaky: Vec<&Component> = standby
            .members
            .iter()
            .map(|m| &arch.components[m.index()])
            .filter(|m| random && m.start_failure > 0.0 && m.recover.is_some())
            .collect();
        let p = flaky.iter().map(|m| m.start_failure).fold(0.0, f64::max);
        if p > 0.0 {
            // Once triggered, each member fails to start at most once per its recovery.
            let ceiling: f64 = flaky
                .iter()
                .map(|m| h / recovery_ms(m, m.recover.as_ref().expect("filtered"), h).max(1.0))
                .sum::<f64>()
                * switches.min(1.0);
            let failed_starts = if p >= 1.0 { ceiling } else { (switches * p / (1.0 - p)).min(ceiling) };
            by_component[i] += 2.0 * failed_starts;
        }
        for m in &standby.members {
            let Some(battery) = &arch.components[m.index()].battery else { continue };
            let cycle = battery.runtime.clipped_mean_ms(0.0, h) + battery.recharge.clipped_mean_ms(0.0, h);
            let first = if *m == standby.members[0] { 1.0 } else { 0.0 };
            by_component[m.index()] += 2.0 * (activations + first).min(h / cycle.max(1.0));
        }
    }
    for inj in arch.injections.iter().filter(|i| i.at < horizon) {
        let ends = inj.at.saturating_add(inj.duration) < horizon;
        by_component[inj.target.index()] += if ends { 2.0 } else { 1.0 };
    }
    Estimate { per_replication: by_component.iter().sum(), by_component }
}

/// The mean recovery `[ms]` of an own failure ending with `recovery`, each delay cut at the
/// horizon: alerting plus repair, or detection plus launch.
fn recovery_ms(c: &Component, recovery: &Recovery, h: f64) -> f64 {
    match recovery {
        Recovery::Repair(d) => c.alert.map_or(0.0, |a| a.clipped_mean_ms(0.0, h)) + d.clipped_mean_ms(0.0, h),
        Recovery::Replace { detect, launch } => {
            detect.clipped_mean_ms(0.0, h) + launch.clipped_mean_ms(0.0, h)
        }
    }
}

/// One way a component fails: a time to failure and the recovery that follows, each as a
/// plain mean and as the mean of the draws the run sees (`[ms]`), and the events per failure.
struct Way {
    ttf: f64,
    ttf_seen: f64,
    recovery: f64,
    recovery_seen: f64,
    events: f64,
}

/// Random failures of `c` per replication over `h` ms, and events per failure (failure and
/// recovery, and the end of an alerting delay before a `Repair`).
fn own_failures(c: &Component, h: f64) -> (f64, f64) {
    let way = |fail: crate::dist::Dist, recover: &Recovery| Way {
        ttf: fail.mean_ms().max(1.0),
        ttf_seen: fail.clipped_mean_ms(1.0, h),
        recovery: c.mean_recovery_ms(recover),
        recovery_seen: recovery_ms(c, recover, h),
        events: if matches!(recover, Recovery::Repair(_)) && c.alert.is_some() { 3.0 } else { 2.0 },
    };
    let mut ways: Vec<Way> = Vec::new();
    if let (Some(fail), Some(recover)) = (c.fail, c.recover.as_ref()) {
        ways.push(way(fail, recover));
    }
    ways.extend(c.modes.iter().filter_map(|m| m.fail.map(|fail| way(fail, &m.recover))));
    if ways.is_empty() {
        return (0.0, 0.0);
    }
    // Competing clocks: rates add; each way's recovery (and events) weigh as its rate.
    let cycle = |ttf: fn(&Way) -> f64, recovery: fn(&Way) -> f64| {
        let rate: f64 = ways.iter().map(|w| 1.0 / ttf(w)).sum();
        1.0 / rate + ways.iter().map(|w| recovery(w) / ttf(w)).sum::<f64>() / rate
    };
    let plain = cycle(|w| w.ttf, |w| w.recovery);
    let seen = cycle(|w| w.ttf_seen, |w| w.recovery_seen).min(h);
    let count = (h / plain).max(h / seen - 1.0);
    let rate: f64 = ways.iter().map(|w| 1.0 / w.ttf_seen).sum();
    let events = ways.iter().map(|w| w.events / w.ttf_seen).sum::<f64>() / rate;
    (count, events)
}

/// How often each component goes down per replication through its own failures and those of
/// what it needs in series (`All` needs, a dataset's holder), at most once a millisecond:
/// what activates a standby group. Redundant needs (`Any`, `AtLeast` short of all) add
/// nothing: they go down together rarely.
fn series_downs(arch: &Architecture, failures: &[f64], h: f64) -> Vec<f64> {
    let mut downs = failures.to_vec();
    for c in super::cutsets::topological(arch) {
        let component = &arch.components[c];
        let mut d = downs[c];
        if component.needs.k > 0 && component.needs.k as usize == component.needs.of.len() {
            d += component.needs.of.iter().map(|x| downs[x.index()]).sum::<f64>();
        }
        if let Some(k) = component.dataset {
            d += downs[arch.datasets[k as usize].holder.index()];
        }
        downs[c] = d.min(h);
    }
    downs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::compile_str;
    use crate::time::{MS_PER_HOUR, MS_PER_YEAR};

    fn arch(horizon: &str, components: &str, extra: &str) -> (Architecture, SimTime) {
        let text = format!(
            r#"(name: "w", horizon: "{horizon}", architectures: [(name: "a", service: "svc", components: [{components}]{extra})])"#
        );
        let system = compile_str(&text).unwrap_or_else(|d| panic!("{d:#?}")).system;
        (system.architectures[0].clone(), system.horizon)
    }

    fn close(got: f64, want: f64, rel: f64) {
        assert!((got - want).abs() <= rel * want.abs(), "got {got}, want {want}");
    }

    #[test]
    fn a_renewal_process_two_events_per_cycle() {
        // Exp(1h) to failure, a fixed 1 h repair, 100 h: 100 / (1 + 1) = 50 cycles, 100 events.
        let (a, h) = arch(
            "100h",
            r#"(name: "svc", kind: Instance, fail: Exp(mean: "1h"), recover: Repair("1h"))"#,
            "",
        );
        let e = estimate(&a, h, true);
        close(e.per_replication, 100.0, 1e-9);
        assert_eq!(e.busiest(), Some((ComponentId(0), e.per_replication)));
        // Random failures off: nothing.
        assert_eq!(estimate(&a, h, false).per_replication, 0.0);
    }

    #[test]
    fn a_millisecond_clock_is_a_storm() {
        // Exp(1ms) to failure, repair 1 ms, 1 y: the plain cycle is 2 ms, the clipped one
        // 1 + e^-1 + 1 = 2.367879 ms (draws below 1 ms count as 1 ms); the plain one decides:
        // 3.1536e10 / 2 = 1.5768e10 cycles, 3.1536e10 events.
        let (a, h) = arch(
            "1y",
            r#"(name: "svc", kind: Instance, fail: Exp(mean: "1ms"), recover: Repair("1ms"))"#,
            "",
        );
        close(estimate(&a, h, true).per_replication, 2.0 * MS_PER_YEAR as f64 / 2.0, 1e-9);
    }

    #[test]
    fn a_heavy_tail_counts_its_short_draws() {
        // LogNormal(mean: 2000h, sigma: 10) over 10 y: clipped mean 25559.197 ms (see
        // `Dist::clipped_mean_ms`), repair 1 h: 3.1536e11 / (25559.197 + 3.6e6) - 1 = 86981.4
        // cycles against 3.1536e11 / (2001 h) = 43.78 from the plain means.
        let (a, h) = arch(
            "10y",
            r#"(name: "svc", kind: Instance, fail: LogNormal(mean: "2000h", sigma: 10), recover: Repair("1h"))"#,
            "",
        );
        let cycles = 3.1536e11 / (25_559.197 + 3.6e6) - 1.0;
        close(estimate(&a, h, true).per_replication, 2.0 * cycles, 1e-6);
    }

    #[test]
    fn failure_modes_compete_and_alerting_adds_a_timer() {
        // Two modes of mean 2 h each fail at 1/h together; recoveries 1 h and 3 h weigh
        // equally: 2 h. With an alerting delay of 0.5 h on Repair: cycle 1 + 2.5 = 3.5 h over
        // 700 h: 200 cycles, 3 events each (failure, alert, recovery).
        let (a, h) = arch(
            "700h",
            r#"(name: "svc", kind: Database, detect: "30m", modes: [
                (name: "x", fail: Exp(mean: "2h"), recover: Repair("1h")),
                (name: "y", fail: Exp(mean: "2h"), recover: Repair("3h")),
                (name: "z", fail: Never, recover: Repair("9h")),
            ])"#,
            "",
        );
        close(estimate(&a, h, true).per_replication, 600.0, 1e-9);
    }

    #[test]
    fn certain_start_failures_retry_for_the_rest_of_the_horizon() {
        // Over 1 y, p fails at 1/(1000 h) and is repaired in 4 h: 8760 / 1004 = 8.725 cycles;
        // q fails as often, repaired in 1 ms: 8760 h / (1000 h + 1 ms) = 8.76 cycles; 2 events
        // per cycle. Each outage starts detection (a timer); p's outlast the 1 min detection
        // 1 - 1/240 of the time, q's never: 8.689 switches (a timer each). With start_failure
        // 1 every switch fails, and the group retries for the rest of the year once per
        // member recovery: 8760 / 4 + 3.1536e10 failed starts, 2 events each.
        let members = |p: f64| {
            format!(
                r#"(name: "p", kind: Database, fail: Exp(mean: "1000h"), recover: Repair("4h"), start_failure: {p:?}),
                   (name: "q", kind: Database, fail: Exp(mean: "1000h"), recover: Repair("1ms"), start_failure: {p:?}),
                   (name: "svc", kind: Group, standby: (members: ["p", "q"], detect: "1m", switch: "1m"))"#
            )
        };
        let year = MS_PER_YEAR as f64;
        let hour = MS_PER_HOUR as f64;
        let (cp, cq) = (year / (1004.0 * hour), year / (1000.0 * hour + 1.0));
        let switches = cp * (1.0 - 60_000.0 / (4.0 * hour));
        let own_and_timers = 2.0 * cp + 2.0 * cq + (cp + cq) + switches;
        let (a, h) = arch("1y", &members(1.0), "");
        let e = estimate(&a, h, true);
        close(e.per_replication, own_and_timers + 2.0 * (year / (4.0 * hour) + year), 1e-9);
        assert_eq!(e.busiest().map(|(c, _)| c), a.find("svc"));
        // With p = 0.5: one failed start per switch on average.
        let (b, h) = arch("1y", &members(0.5), "");
        close(estimate(&b, h, true).per_replication, own_and_timers + 2.0 * switches, 1e-9);
        // Both repaired in 1 ms: always back before detection ends, nothing switches.
        let quick = members(1.0).replace(r#"Repair("4h")"#, r#"Repair("1ms")"#);
        let (c, h) = arch("1y", &quick, "");
        close(estimate(&c, h, true).per_replication, 2.0 * 2.0 * cq + 2.0 * cq, 1e-9);
    }

    /// Where every event is an own failure or recovery of exponential laws, the estimate is
    /// the engine's count: 50 replications of bundled designs, within 5%.
    #[test]
    fn the_engine_counts_what_was_estimated() {
        for file in ["bench-tiers.ron", "nat-gateways.ron", "web-single-vs-multi-az.ron"] {
            let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
            let system = compile_str(&std::fs::read_to_string(path).unwrap()).unwrap().system;
            for a in &system.architectures {
                let prepared = crate::engine::Prepared::new(a, crate::engine::RunParams::of(&system));
                let mut sim = crate::engine::Simulator::new(&prepared);
                let events: u64 =
                    (0..50).map(|r| sim.run(r, &mut crate::engine::Recorder::default()).events).sum();
                let estimated = estimate(a, system.horizon, system.random).per_replication;
                close(estimated, events as f64 / 50.0, 0.05);
            }
        }
    }

    #[test]
    fn injections_are_timers_and_backups_cost_nothing_per_period() {
        // A backup every 1 ms for 1 h: no event; an injection inside the horizon: 2, one
        // running past it: 1, one after it: 0.
        let (a, h) = arch(
            "1h",
            r#"(name: "db", kind: Database, fail: Never), (name: "s3", kind: Storage, fail: Never),
               (name: "svc", kind: Group, needs: All(["orders"]))"#,
            r#", data: [(name: "orders", holder: "db", backups: [(every: "1ms", to: "s3", restore: "1h")])]"#,
        );
        assert_eq!(estimate(&a, h, true).per_replication, 0.0);
        let text = r#"(name: "w", horizon: "10h", random: false, architectures: [(name: "a", service: "x", components: [
            (name: "x", kind: Instance, fail: Never)])],
            injections: [(target: "x", at: "1h", duration: "1h"), (target: "x", at: "9h", duration: "2h"),
                         (target: "x", at: "11h", duration: "1h")])"#;
        let system = compile_str(text).unwrap().system;
        assert_eq!(estimate(&system.architectures[0], system.horizon, false).per_replication, 3.0);
    }
}
