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
    assert_eq!(i.label, Some(Label::Failover), "back on the utility, not on the UPS that ran out");
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

/// A region (failing after exactly 100 h, repaired in 1 h: random failures on, fixed laws)
/// with two AZs, and a Multi-AZ database `db` over a member in each.
fn multi_az(extra: &str, injections: &str) -> String {
    format!(
        r#"(name: "s", horizon: "150h",
            architectures: [(name: "x", service: "svc", components: [
                (name: "r", kind: Region, fail: Fixed("100h"), recover: Repair("1h")),
                (name: "az1", kind: Az, fail: Never, needs: All(["r"])),
                (name: "az2", kind: Az, fail: Never, needs: All(["r"])),
                (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
                (name: "db-b", kind: Database, fail: Never, needs: All(["az2"])),
                (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "60s", switch: "90s")),
                {extra}
            ])],
            injections: [{injections}])"#
    )
}

#[test]
fn a_cause_repaired_before_the_switch_back_to_the_same_member_labels_the_incident() {
    // The region fails at 100 h: both members are down, no switch. It is repaired at 101 h;
    // the group then switches back to db-a, 90 s. The service came back on the member it went
    // down on, once its cause was back: `repair`, not `dependency`.
    let (arch, incidents) = run(&multi_az(r#"(name: "svc", kind: Group, needs: All(["db"])),"#, ""));
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let i = &incidents[0];
    assert_eq!(span(i), (ms(100, 0, 0), ms(101, 1, 30)));
    assert_eq!((i.cause.component, i.cause.mode), (arch.find("r").unwrap(), Mode::Failure));
    assert_eq!(i.label, Some(Label::Repair));
}

#[test]
fn coming_back_on_another_member_is_a_failover_even_after_no_member_was_healthy() {
    // b (passive) is down from 30 min to 2 h; a from 1 h to 3 h: no healthy member until b is
    // back at 2 h; the group takes over on b after a switch. The cause (a) is still down.
    let (_, incidents) = run(&pair(
        r#"detect: "30s", switch: "90s""#,
        r#"(target: "a", at: "1h", duration: "2h"), (target: "b", at: "30m", duration: "90m")"#,
    ));
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(1, 0, 0), ms(2, 1, 30)));
    assert_eq!(incidents[0].label, Some(Label::Failover));
}

#[test]
fn a_redundant_member_back_before_the_cause_is_a_dependency() {
    // web needs any of w1, w2. w2 is down from 90 h to 110 h; w1 fails at 100 h (the cause)
    // until 120 h. w2's return at 110 h brings the service back; the cause is still down.
    let text = r#"(name: "s", horizon: "150h", random: false,
        architectures: [(name: "x", service: "web", components: [
            (name: "w1", kind: Instance, fail: Never), (name: "w2", kind: Instance, fail: Never),
            (name: "web", kind: Group, needs: Any(["w1", "w2"])),
        ])],
        injections: [(target: "w2", at: "90h", duration: "20h"), (target: "w1", at: "100h", duration: "20h")])"#;
    let (arch, incidents) = run(text);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(span(&incidents[0]), (ms(100, 0, 0), ms(110, 0, 0)));
    assert_eq!(incidents[0].cause.component, arch.find("w1").unwrap());
    assert_eq!(incidents[0].label, Some(Label::Dependency));
    // Back at 105 h instead, the cause ends it: `injection-end`.
    let (_, incidents) =
        run(&text.replace(r#"at: "100h", duration: "20h""#, r#"at: "100h", duration: "5h""#));
    assert_eq!(incidents[0].label, Some(Label::InjectionEnd));
}

#[test]
fn a_replaced_cause_labels_its_incident_replacement() {
    // An instance failing after exactly 10 h, replaced in 1 min + 4 min, alone.
    let text = r#"(name: "s", horizon: "12h",
        architectures: [(name: "x", service: "vm", components: [
            (name: "vm", kind: Instance, fail: Fixed("10h"), recover: Replace(detect: "1m", launch: "4m")),
        ])])"#;
    let (_, incidents) = run(text);
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(
        (span(&incidents[0]), incidents[0].label),
        ((ms(10, 0, 0), ms(10, 5, 0)), Some(Label::Replacement))
    );
}

/// A site `dc` serving from `stack-a` (an instance needing room `a`), with a standby stack
/// `stack-b` of an instance and a database in room `b`; stack-b's instance fails 100 min after
/// its clock starts (then every 100 min after a 1 h repair), its database never. The service
/// is `top`: `dc`, with `watched`, also a `watch` that needs any of the two instances.
fn stacks(passive: &str, watched: bool) -> String {
    let (watch, need) = if watched {
        (r#"(name: "watch", kind: Group, needs: Any(["web-a", "web-b"])),"#, r#", "watch""#)
    } else {
        ("", "")
    };
    format!(
        r#"(name: "s", horizon: "10h", random: true,
        architectures: [(name: "x", service: "top", components: [
            (name: "room-a", kind: Az, fail: Never), (name: "room-b", kind: Az, fail: Never),
            (name: "web-a", kind: Instance, fail: Never, needs: All(["room-a"])),
            (name: "web-b", kind: Instance, fail: Fixed("100m"), recover: Repair("1h"), needs: All(["room-b"])),
            (name: "db-b", kind: Database, fail: Never, needs: All(["room-b"])),
            (name: "stack-a", kind: Group, needs: All(["web-a"])),
            (name: "stack-b", kind: Group, needs: All(["web-b", "db-b"])),
            (name: "dc", kind: Group, standby: (members: ["stack-a", "stack-b"], detect: "0s", switch: "0s",
                                                passive: {passive})),
            {watch}
            (name: "top", kind: Group, needs: All(["dc"{need}])),
        ])],
        injections: [(target: "web-a", at: "3h", duration: "20h")])"#
    )
}

#[test]
fn a_cold_member_s_own_components_sleep_with_it() {
    // Hot: web-b fails at 1 h 40 min while passive, is repaired at 2 h 40 min, fails again at
    // 4 h 20 min while active: down from 4 h 20 min to 5 h 20 min.
    let (_, hot) = run(&stacks("Hot", false));
    assert_eq!(span(&hot[0]), (ms(4, 20, 0), ms(5, 20, 0)), "{hot:?}");
    // Cold: only stack-b needs web-b, so its clock sleeps with stack-b until the takeover at
    // 3 h; it fails at 4 h 40 min.
    let (arch, cold) = run(&stacks("Cold", false));
    assert_eq!(span(&cold[0]), (ms(4, 40, 0), ms(5, 40, 0)), "{cold:?}");
    assert_eq!(cold[0].cause.component, arch.find("web-b").unwrap());
    // A component that something running needs too keeps its clock: with `watch` (needing any
    // of the two instances) in the service, web-b ages from the start, as when hot.
    let (_, watched) = run(&stacks("Cold", true));
    assert_eq!(span(&watched[0]), (ms(4, 20, 0), ms(5, 20, 0)), "{watched:?}");
}

#[test]
fn a_battery_recharges_only_from_its_sources() {
    // The utility is out from 100 h to 110 h; the UPS carries the load for 15 min, then needs
    // 4 h of recharge. Charging from the utility, it stays empty until the utility is back:
    // one incident, 100 h 15 to 110 h. Without a source it recharges during the blackout and
    // carries the load again for 15 min every 4 h 15.
    let text = |charges: &str| {
        format!(
            r#"(name: "ups", horizon: "30d", random: false,
            architectures: [(name: "a", service: "power", components: [
                (name: "utility", kind: Power, fail: Never),
                (name: "ups", kind: Power, fail: Never, runtime: "15m", recharge: "4h"{charges}),
                (name: "power", kind: Group, standby: (members: ["utility", "ups"], detect: "0s", switch: "0s", failback: true)),
            ])],
            injections: [(target: "utility", at: "100h", duration: "10h")])"#
        )
    };
    let at = |h: u64, m: u64| SimTime(h * MS_PER_HOUR + m * MS_PER_MINUTE);
    let spans = |incidents: &[Incident]| incidents.iter().map(|i| (i.start, i.end)).collect::<Vec<_>>();
    let (_, sourced) = run(&text(r#", charges_from: ["utility"]"#));
    assert_eq!(spans(&sourced), [(at(100, 15), at(110, 0))]);
    let (_, unsourced) = run(&text(""));
    assert_eq!(
        spans(&unsourced),
        [(at(100, 15), at(104, 15)), (at(104, 30), at(108, 30)), (at(108, 45), at(110, 0))]
    );
}
