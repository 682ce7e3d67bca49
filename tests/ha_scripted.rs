//! Standby groups with scripted failures and fixed delays, whose incidents are known exactly.

use faultline::engine::{Cause, Incident, Label, Mode, Prepared, Recorder, RunParams, Simulator};
use faultline::model::{Architecture, compile_str};
use faultline::time::{MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, SimTime};

fn run(text: &str) -> (Architecture, Vec<Incident>) {
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let params = RunParams::of(&system);
    let arch = system.architectures.into_iter().next().unwrap();
    let prepared = Prepared::new(&arch, params);
    let mut recorder = Recorder::default();
    Simulator::new(&prepared).run(0, &mut recorder);
    (arch, recorder.incidents)
}

/// A pair `a` (primary) and `b` behind standby group `svc`, never failing on their own.
fn pair(standby: &str, injections: &str) -> String {
    format!(
        r#"(name: "s", horizon: "1d", random: false,
            architectures: [(name: "x", service: "svc", components: [
                (name: "a", kind: Database, fail: Never), (name: "b", kind: Database, fail: Never),
                (name: "svc", kind: Group, standby: (members: ["a", "b"], {standby})),
            ])],
            injections: [{injections}])"#
    )
}

fn ms(h: u64, m: u64, s: u64) -> SimTime {
    SimTime(h * MS_PER_HOUR + m * MS_PER_MINUTE + s * MS_PER_SECOND)
}

fn span(i: &Incident) -> (SimTime, SimTime) {
    (i.start, i.end)
}

#[test]
fn failover_costs_detect_plus_switch_and_stays_without_failback() {
    let (arch, incidents) =
        run(&pair(r#"detect: "30s", switch: "90s""#, r#"(target: "a", at: "1h", duration: "1h")"#));
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let i = &incidents[0];
    assert_eq!(span(i), (ms(1, 0, 0), ms(1, 2, 0)));
    assert_eq!((i.cause.component, i.cause.mode), (arch.find("a").unwrap(), Mode::Injected));
    assert_eq!(i.label, Some(Label::Failover));
}

#[test]
fn failback_switches_back_at_the_cost_of_one_switch() {
    let (arch, incidents) = run(&pair(
        r#"detect: "30s", switch: "90s", failback: true"#,
        r#"(target: "a", at: "1h", duration: "1h")"#,
    ));
    assert_eq!(incidents.len(), 2, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(1, 0, 0), ms(1, 2, 0)));
    assert_eq!(span(&incidents[1]), (ms(2, 0, 0), ms(2, 1, 30)));
    assert_eq!(incidents[1].cause.component, arch.find("svc").unwrap());
    assert_eq!(incidents[1].cause.mode, Mode::Failback);
    assert_eq!(incidents[1].label, Some(Label::Failover));
}

#[test]
fn an_active_member_back_before_detection_ends_means_no_switch() {
    let (arch, incidents) =
        run(&pair(r#"detect: "30s", switch: "90s""#, r#"(target: "a", at: "1h", duration: "10s")"#));
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(1, 0, 0), ms(1, 0, 10)));
    assert_eq!(incidents[0].label, Some(Label::InjectionEnd));
    assert_eq!(incidents[0].cause.component, arch.find("a").unwrap());
}

#[test]
fn a_failed_start_tries_the_next_member_at_once() {
    // b always fails to start (and is then repaired in 1 h); c starts.
    let text = r#"(name: "s", horizon: "1d",
        architectures: [(name: "x", service: "svc", components: [
            (name: "a", kind: Instance, fail: Never),
            (name: "b", kind: Instance, fail: Never, recover: Repair("1h"), start_failure: 1.0),
            (name: "c", kind: Instance, fail: Never),
            (name: "svc", kind: Group, standby: (members: ["a", "b", "c"], detect: "30s", switch: "90s")),
        ])],
        injections: [(target: "a", at: "1h", duration: "5h")])"#;
    let (arch, incidents) = run(text);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let i = &incidents[0];
    assert_eq!(span(i), (ms(1, 0, 0), ms(1, 2, 0)), "detect, a failed start, then c's switch");
    assert_eq!(i.contributing.len(), 1);
    assert_eq!(
        (i.contributing[0].component, i.contributing[0].mode),
        (arch.find("b").unwrap(), Mode::StartFailure)
    );
}

#[test]
fn a_member_failing_during_the_switch_is_abandoned_for_the_next() {
    let text = r#"(name: "s", horizon: "1d", random: false,
        architectures: [(name: "x", service: "svc", components: [
            (name: "a", kind: Instance, fail: Never), (name: "b", kind: Instance, fail: Never),
            (name: "c", kind: Instance, fail: Never),
            (name: "svc", kind: Group, standby: (members: ["a", "b", "c"], detect: "30s", switch: "90s")),
        ])],
        injections: [(target: "a", at: "1h", duration: "5h"), (target: "b", at: "3660s", duration: "5h")])"#;
    let (_, incidents) = run(text);
    // a down at 1h; switch to b starts at 1h 00m 30s; b fails at 1h 01m; c's switch ends at 1h 02m 30s.
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(1, 0, 0), ms(1, 2, 30)));
}

#[test]
fn with_no_healthy_member_the_first_back_takes_over_after_a_switch() {
    let (_, incidents) = run(&pair(
        r#"detect: "30s", switch: "90s""#,
        r#"(target: "a", at: "1h", duration: "2h"), (target: "b", at: "30m", duration: "3h")"#,
    ));
    // b (passive) down from 30m; a down at 1h: no healthy member until a is back at 3h.
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(1, 0, 0), ms(3, 1, 30)));
    // No failover ended it: a, the cause, came back (and took over after a switch).
    assert_eq!(incidents[0].label, Some(Label::InjectionEnd));
}

/// Secondary fails 100 min after it starts ageing; primary is injected from 3h on.
fn cold_or_hot(passive: &str) -> Vec<Incident> {
    let text = format!(
        r#"(name: "s", horizon: "10h",
        architectures: [(name: "x", service: "svc", components: [
            (name: "a", kind: Power, fail: Never),
            (name: "b", kind: Power, fail: Fixed("100m"), recover: Repair("1h")),
            (name: "svc", kind: Group, standby: (members: ["a", "b"], detect: "0s", switch: "0s",
                                                 passive: {passive})),
        ])],
        injections: [(target: "a", at: "3h", duration: "20h")])"#
    );
    run(&text).1
}

#[test]
fn cold_passive_members_do_not_age_until_activated() {
    // Hot: b fails at 1h40m (passive), again at 4h20m (active): down until 5h20m.
    let hot = cold_or_hot("Hot");
    assert_eq!(span(&hot[0]), (ms(4, 20, 0), ms(5, 20, 0)), "{hot:?}");
    // Cold: b's clock starts at 3h: it fails at 4h40m.
    let cold = cold_or_hot("Cold");
    assert_eq!(span(&cold[0]), (ms(4, 40, 0), ms(5, 40, 0)), "{cold:?}");
}

/// A utility feed backed by a UPS (15 min of runtime, 2 h to recharge while its `room` is up).
fn ups(injections: &str) -> (Architecture, Vec<Incident>) {
    run(&format!(
        r#"(name: "s", horizon: "1d", random: false,
        architectures: [(name: "x", service: "power", components: [
            (name: "room", kind: Az, fail: Never),
            (name: "utility", kind: Power, fail: Never),
            (name: "ups", kind: Power, fail: Never, runtime: "15m", recharge: "2h", needs: All(["room"])),
            (name: "power", kind: Group, standby: (members: ["utility", "ups"], detect: "0s", switch: "0s",
                                                   failback: true)),
        ])],
        injections: [{injections}])"#
    ))
}

#[test]
fn a_ups_carries_the_load_for_its_runtime_then_runs_out() {
    let (arch, incidents) = ups(r#"(target: "utility", at: "1h", duration: "1h")"#);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let i = &incidents[0];
    assert_eq!(span(i), (ms(1, 15, 0), ms(2, 0, 0)), "the UPS bridges 15 min of the hour");
    assert_eq!((i.cause.component, i.cause.mode), (arch.find("ups").unwrap(), Mode::BatteryEmpty));
    assert_eq!(i.label, Some(Label::Dependency), "the utility came back, not the battery");
}

#[test]
fn an_empty_ups_recharges_only_while_its_needs_hold() {
    // Empty at 1h15m; recharging pauses while the room is down (1h20m to 2h20m) and restarts
    // from nothing: full at 4h20m. A utility outage at 4h finds it empty; one at 4h30m does not.
    let (_, early) =
        ups(r#"(target: "utility", at: "1h", duration: "1h"), (target: "room", at: "80m", duration: "1h"),
           (target: "utility", at: "4h", duration: "10m")"#);
    assert_eq!(early.len(), 2, "{early:?}");
    assert_eq!(span(&early[1]), (ms(4, 0, 0), ms(4, 10, 0)));
    let (_, late) =
        ups(r#"(target: "utility", at: "1h", duration: "1h"), (target: "room", at: "80m", duration: "1h"),
           (target: "utility", at: "270m", duration: "10m")"#);
    assert_eq!(late.len(), 1, "the recharged UPS carries the second outage: {late:?}");
}

#[test]
fn a_partly_discharged_ups_carries_what_it_has_left() {
    // 10 of its 15 minutes used from 1h; recharging (2 h) is not over when the utility fails
    // again at 1h20m: the UPS carries 5 minutes, then the load is down until 1h30m.
    let (arch, incidents) = ups(
        r#"(target: "utility", at: "1h", duration: "10m"), (target: "utility", at: "80m", duration: "10m")"#,
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(1, 25, 0), ms(1, 30, 0)));
    assert_eq!(incidents[0].cause.component, arch.find("ups").unwrap());
    // After a full recharge the whole runtime is back.
    let (_, later) = ups(
        r#"(target: "utility", at: "1h", duration: "10m"), (target: "utility", at: "4h", duration: "14m")"#,
    );
    assert!(later.is_empty(), "{later:?}");
}

#[test]
fn a_battery_member_first_in_line_discharges_from_the_start() {
    // The UPS is the primary: it carries the load from t = 0 and runs out at 15 min; the group
    // then switches to `gen` (10 s), and does not fail back (no failback).
    let text = r#"(name: "s", horizon: "1d", random: false,
        architectures: [(name: "x", service: "p", components: [
            (name: "ups", kind: Power, fail: Never, runtime: "15m", recharge: "1h"),
            (name: "gen", kind: Power, fail: Never),
            (name: "p", kind: Group, standby: (members: ["ups", "gen"], detect: "0s", switch: "10s")),
        ])])"#;
    let (arch, incidents) = run(text);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(0, 15, 0), ms(0, 15, 10)));
    assert_eq!(
        (incidents[0].cause.component, incidents[0].cause.mode),
        (arch.find("ups").unwrap(), Mode::BatteryEmpty)
    );
}

#[test]
fn the_same_instant_as_a_timer_is_seen_by_the_group() {
    // m1 is back exactly when detection ends (1h01m): no switch, the incident is the 1 minute
    // of m1's injection.
    let (_, incidents) = run(r#"(name: "s", horizon: "1d", random: false,
        architectures: [(name: "x", service: "p", components: [
            (name: "m1", kind: Instance, fail: Never), (name: "m2", kind: Instance, fail: Never),
            (name: "p", kind: Group, standby: (members: ["m1", "m2"], detect: "1m", switch: "10m")),
        ])],
        injections: [(target: "m1", at: "1h", duration: "1m")])"#);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(1, 0, 0), ms(1, 1, 0)));
    assert_eq!(incidents[0].label, Some(Label::InjectionEnd));
    // m2 fails exactly when the switch to it ends (5h11m): the next member is tried with no
    // second detection; none is healthy (m1 is down until 7h) until m2 is back at 5h21m, which
    // then takes over after a switch: up at 5h31m.
    let (_, incidents) = run(r#"(name: "s", horizon: "1d", random: false,
        architectures: [(name: "x", service: "p", components: [
            (name: "m1", kind: Instance, fail: Never), (name: "m2", kind: Instance, fail: Never),
            (name: "p", kind: Group, standby: (members: ["m1", "m2"], detect: "1m", switch: "10m")),
        ])],
        injections: [(target: "m1", at: "5h", duration: "2h"), (target: "m2", at: "311m", duration: "10m")])"#);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(5, 0, 0), ms(5, 31, 0)));
}

#[test]
fn start_failures_are_random_draws_and_never_loop() {
    // random: false turns start failures off, even with p = 1 and a battery.
    let (_, incidents) = run(r#"(name: "s", horizon: "1d", random: false,
        architectures: [(name: "x", service: "p", components: [
            (name: "util", kind: Power, fail: Never),
            (name: "ups", kind: Power, fail: Never, recover: Repair("1h"), start_failure: 1.0,
             runtime: "15m", recharge: "1h"),
            (name: "p", kind: Group, standby: (members: ["util", "ups"], detect: "0s", switch: "0s")),
        ])],
        injections: [(target: "util", at: "1h", duration: "10m")])"#);
    assert!(incidents.is_empty(), "the UPS starts: {incidents:?}");
    // With random failures on, p = 1 and an instant repair end in time: a failed start lasts at
    // least 1 ms, so the group cannot retry the same member at the same instant for ever.
    let (_, incidents) = run(r#"(name: "s", horizon: "1d",
        architectures: [(name: "x", service: "p", components: [
            (name: "util", kind: Power, fail: Never),
            (name: "gen", kind: Power, fail: Never, recover: Repair("0s"), start_failure: 1.0),
            (name: "p", kind: Group, standby: (members: ["util", "gen"], detect: "0s", switch: "0s")),
        ])],
        injections: [(target: "util", at: "1h", duration: "10ms")])"#);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(1, 0, 0), SimTime(ms(1, 0, 0).0 + 10)));
    // A member that never fails on its own but is replaced after each failed start (it always
    // fails to start, so the service waits for the utility).
    let (arch, incidents) = run(r#"(name: "s", horizon: "1d",
        architectures: [(name: "x", service: "p", components: [
            (name: "util", kind: Power, fail: Never),
            (name: "vpn", kind: Link, fail: Never, recover: Replace(detect: "1m", launch: "5m"), start_failure: 1.0),
            (name: "p", kind: Group, standby: (members: ["util", "vpn"], detect: "0s", switch: "0s")),
        ])],
        injections: [(target: "util", at: "1h", duration: "1h")])"#);
    assert_eq!(span(&incidents[0]), (ms(1, 0, 0), ms(2, 0, 0)), "{incidents:?}");
    assert_eq!(
        incidents[0].contributing,
        [Cause { component: arch.find("vpn").unwrap(), mode: Mode::StartFailure }]
    );
}

#[test]
fn batteries_and_memberships_that_cannot_be_simulated_are_errors() {
    let with = |fields: &str, extra: &str| {
        format!(
            r#"(name: "s", horizon: "1d", architectures: [(name: "x", service: "p", components: [
                (name: "a", kind: Power, fail: Never {fields}), (name: "b", kind: Power, fail: Never),
                (name: "p", kind: Group, standby: (members: ["a", "b"], detect: "0s", switch: "0s")) {extra}
            ])])"#
        )
    };
    let message =
        |text: String| compile_str(&text).unwrap_err().into_iter().map(|d| d.message).collect::<Vec<_>>();
    assert_eq!(message(with(r#", runtime: "15m""#, "")), ["`a` has a `runtime` but no `recharge`"]);
    assert_eq!(
        message(with(r#", runtime: "15m", recharge: "0s""#, "")),
        ["a battery's `recharge` must take time"]
    );
    let twice = r#", (name: "q", kind: Group, standby: (members: ["b", "a"], detect: "0s", switch: "0s"))"#;
    assert_eq!(
        message(with("", twice)),
        ["`b` is already a member of standby group `p`", "`a` is already a member of standby group `p`"]
    );
}

#[test]
fn an_emptied_ups_recharges_once_it_no_longer_carries_the_load() {
    // Empty at 1h15m while the utility is still down: the group has no healthy member, the UPS
    // no longer carries the load and recharges (2 h): full at 3h15m, in time for 3h20m.
    let (_, incidents) = ups(
        r#"(target: "utility", at: "1h", duration: "1h"), (target: "utility", at: "200m", duration: "10m")"#,
    );
    assert_eq!(incidents.len(), 1, "only the first outage: {incidents:?}");
    let (_, incidents) = ups(
        r#"(target: "utility", at: "1h", duration: "1h"), (target: "utility", at: "190m", duration: "10m")"#,
    );
    assert_eq!(incidents.len(), 2, "at 3h10m it is not full yet: {incidents:?}");
}
