//! Scripted runs (`random: false`, fixed injections) whose incidents are known exactly.

use faultline::engine::{Cause, Incident, Mode, Prepared, Recorder, RunParams, Simulator};
use faultline::model::{Architecture, compile_str};
use faultline::time::{MS_PER_DAY, MS_PER_HOUR, SimTime};

/// Compiles a scenario with one architecture named "a" and runs replication 0.
fn run(text: &str) -> (Architecture, Vec<Incident>, SimTime, u64) {
    let system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    let params = RunParams::of(&system);
    let arch = system.architectures.into_iter().next().unwrap();
    let mut recorder = Recorder::default();
    let prepared = Prepared::new(&arch, params);
    let summary = Simulator::new(&prepared).run(0, &mut recorder);
    (arch, recorder.incidents, summary.up, summary.events)
}

fn scenario(components: &str, injections: &str) -> String {
    format!(
        r#"(name: "s", horizon: "10d", random: false,
            architectures: [(name: "a", components: [{components}], service: "svc")],
            injections: [{injections}])"#
    )
}

const TWO_AZS: &str = r#"
    (name: "az-1", kind: Az, fail: Exp(mean: "1h"), recover: Repair("1h")),
    (name: "az-2", kind: Az, fail: Exp(mean: "1h"), recover: Repair("1h")),
    (name: "i1", kind: Instance, fail: Exp(mean: "1h"), recover: Repair("1h"), needs: All(["az-1"])),
    (name: "i2", kind: Instance, fail: Exp(mean: "1h"), recover: Repair("1h"), needs: All(["az-2"])),
    (name: "svc", kind: Group, needs: Any(["i1", "i2"])),
"#;

fn cause(arch: &Architecture, name: &str, mode: Mode) -> Cause {
    Cause { component: arch.find(name).unwrap(), mode }
}

#[test]
fn random_false_without_injections_never_goes_down() {
    let (_, incidents, up, events) = run(&scenario(TWO_AZS, ""));
    assert!(incidents.is_empty());
    assert_eq!(up, SimTime(10 * MS_PER_DAY));
    assert_eq!(events, 0);
}

#[test]
fn one_redundant_member_down_is_no_incident() {
    let (_, incidents, up, events) = run(&scenario(TWO_AZS, r#"(target: "az-1", at: "1d", duration: "6h")"#));
    assert!(incidents.is_empty());
    assert_eq!(up, SimTime(10 * MS_PER_DAY));
    assert_eq!(events, 2, "one injected failure, one end");
}

#[test]
fn overlapping_injections_make_one_incident_charged_to_the_first() {
    let (arch, incidents, up, _) = run(&scenario(
        TWO_AZS,
        r#"(target: "az-1", at: "1d", duration: "6h"), (target: "i2", at: "26h", duration: "1h")"#,
    ));
    assert_eq!(incidents.len(), 1);
    let i = &incidents[0];
    assert_eq!((i.start, i.end), (SimTime(26 * MS_PER_HOUR), SimTime(27 * MS_PER_HOUR)));
    assert_eq!(i.cause, cause(&arch, "i2", Mode::Injected), "the failure that broke the group");
    assert!(!i.censored);
    assert_eq!(up, SimTime(10 * MS_PER_DAY - MS_PER_HOUR));
}

#[test]
fn an_incident_open_at_the_horizon_is_censored() {
    let (arch, incidents, up, _) = run(&scenario(
        TWO_AZS,
        r#"(target: "i1", at: "9d", duration: "5d"), (target: "i2", at: "9d", duration: "5d")"#,
    ));
    assert_eq!(incidents.len(), 1);
    let i = &incidents[0];
    assert!(i.censored);
    assert_eq!((i.start, i.end), (SimTime(9 * MS_PER_DAY), SimTime(10 * MS_PER_DAY)));
    // Same batch, applied in (class, name) order: i1 leaves the group up, i2 breaks it.
    assert_eq!(i.cause, cause(&arch, "i2", Mode::Injected));
    assert_eq!(i.contributing, [cause(&arch, "i1", Mode::Injected)]);
    assert_eq!(up, SimTime(9 * MS_PER_DAY));
}

#[test]
fn a_zero_length_down_interval_is_no_incident() {
    // i1 is injected until 2d exactly when i2's injection starts: the service never goes down.
    let (_, incidents, up, events) = run(&scenario(
        TWO_AZS,
        r#"(target: "i1", at: "1d", duration: "1d"), (target: "i2", at: "2d", duration: "1d")"#,
    ));
    assert!(incidents.is_empty(), "{incidents:?}");
    assert_eq!(up, SimTime(10 * MS_PER_DAY));
    assert_eq!(events, 4);
}

#[test]
fn a_dependency_outage_is_charged_to_the_dependency() {
    let components = r#"
        (name: "region", kind: Region, fail: Never),
        (name: "az", kind: Az, fail: Never, needs: All(["region"])),
        (name: "svc", kind: Instance, fail: Never, needs: All(["az"])),
    "#;
    let (arch, incidents, _, _) = run(&scenario(
        components,
        r#"(target: "region", at: "1d", duration: "2h"), (target: "svc", at: "25h", duration: "3h")"#,
    ));
    assert_eq!(incidents.len(), 1);
    let i = &incidents[0];
    assert_eq!(i.cause, cause(&arch, "region", Mode::Injected));
    assert_eq!(i.contributing, [cause(&arch, "svc", Mode::Injected)]);
    assert_eq!((i.start, i.end), (SimTime(24 * MS_PER_HOUR), SimTime(28 * MS_PER_HOUR)));
}

#[test]
fn at_least_k_of_n() {
    let components = r#"
        (name: "a", kind: Instance, fail: Never), (name: "b", kind: Instance, fail: Never),
        (name: "c", kind: Instance, fail: Never),
        (name: "svc", kind: Group, needs: AtLeast(2, ["a", "b", "c"])),
    "#;
    let (_, incidents, _, _) = run(&scenario(
        components,
        r#"(target: "a", at: "1d", duration: "1d"), (target: "b", at: "36h", duration: "1d"), (target: "c", at: "5d", duration: "1d")"#,
    ));
    assert_eq!(incidents.len(), 1);
    assert_eq!(
        (incidents[0].start, incidents[0].end),
        (SimTime(36 * MS_PER_HOUR), SimTime(48 * MS_PER_HOUR))
    );
}

#[test]
fn an_injection_crossing_the_horizon_is_cut_there_and_censored() {
    let one = r#"(name: "svc", kind: Instance, fail: Never)"#;
    // horizon is 10d: starts 1h before it, would last 2h
    let (arch, incidents, up, events) = run(&scenario(one, r#"(target: "svc", at: "239h", duration: "2h")"#));
    assert_eq!(incidents.len(), 1);
    let i = &incidents[0];
    assert!(i.censored);
    assert_eq!((i.start, i.end), (SimTime(239 * MS_PER_HOUR), SimTime(240 * MS_PER_HOUR)));
    assert_eq!(i.cause, cause(&arch, "svc", Mode::Injected));
    assert_eq!(up, SimTime(239 * MS_PER_HOUR));
    assert_eq!(events, 1, "the end falls after the horizon");
}

#[test]
fn an_injection_ending_exactly_at_the_horizon_is_censored() {
    let one = r#"(name: "svc", kind: Instance, fail: Never)"#;
    let (_, incidents, up, _) = run(&scenario(one, r#"(target: "svc", at: "238h", duration: "2h")"#));
    // the end event is at the horizon, which is not simulated: the incident is open there
    assert_eq!(incidents.len(), 1);
    assert!(incidents[0].censored);
    assert_eq!(incidents[0].duration(), SimTime(2 * MS_PER_HOUR));
    assert_eq!(up, SimTime(238 * MS_PER_HOUR));
}

#[test]
fn overlapping_injections_of_one_target_are_one_outage() {
    let one = r#"(name: "svc", kind: Instance, fail: Never)"#;
    let (_, incidents, up, events) = run(&scenario(
        one,
        r#"(target: "svc", at: "1d", duration: "4h"), (target: "svc", at: "26h", duration: "4h")"#,
    ));
    assert_eq!(incidents.len(), 1);
    assert_eq!(
        (incidents[0].start, incidents[0].end),
        (SimTime(24 * MS_PER_HOUR), SimTime(30 * MS_PER_HOUR))
    );
    assert!(incidents[0].contributing.is_empty(), "a failure of the cause itself does not contribute");
    assert_eq!(up, SimTime(10 * MS_PER_DAY - 6 * MS_PER_HOUR));
    assert_eq!(events, 4);
}

#[test]
fn an_injection_at_or_after_the_horizon_never_happens() {
    let one = r#"(name: "svc", kind: Instance, fail: Never)"#;
    let (_, incidents, up, events) = run(&scenario(one, r#"(target: "svc", at: "10d", duration: "1h")"#));
    assert!(incidents.is_empty());
    assert_eq!((up, events), (SimTime(10 * MS_PER_DAY), 0));
}
