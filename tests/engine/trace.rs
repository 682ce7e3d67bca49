//! `faultline trace`: a replication's timeline adds up to that replication's numbers, is the
//! same bytes every time, and recording it changes nothing.

use faultline::engine::{Prepared, Recorder, RunParams, Simulator, TraceKind};
use faultline::model::compile_str;
use faultline::time::SimTime;

use crate::harness::{self, scenario};

#[test]
fn the_timeline_adds_up_to_the_replication_and_changes_nothing() {
    let mut incidents_seen = 0;
    for file in ["database-multi-az.ron", "power-generator.ron", "three-tier.ron", "web-asg-vs-manual.ron"] {
        let system = compile_str(&scenario(file)).unwrap().system;
        for arch in &system.architectures {
            let params = RunParams::of(&system);
            let prepared = Prepared::new(arch, params);
            let mut plain = Simulator::new(&prepared);
            let mut traced = Simulator::new(&prepared);
            traced.set_tracing(true);
            for r in 0..5 {
                let (mut a, mut b) = (Recorder::default(), Recorder::default());
                let s1 = plain.run(r, &mut a);
                let s2 = traced.run(r, &mut b);
                assert_eq!(
                    (s1, &a.incidents),
                    (s2, &b.incidents),
                    "{file}/{}: tracing changed the run",
                    arch.name
                );
                let events = traced.take_trace();
                assert!(events.windows(2).all(|w| w[0].at <= w[1].at), "events in time order");
                let mut down = 0u64;
                let mut down_since = None;
                for e in &events {
                    match e.kind {
                        TraceKind::ServiceDown { .. } => down_since = Some(e.at),
                        TraceKind::ServiceUp { downtime, .. } => {
                            assert_eq!(Some(SimTime(e.at.0 - downtime.0)), down_since);
                            down += downtime.0;
                            down_since = None;
                        }
                        _ => {}
                    }
                }
                if let Some(t) = down_since {
                    down += system.horizon.0 - t.0; // open at the horizon
                }
                assert_eq!(down, system.horizon.0 - s2.up.0, "{file}/{}: rep {r}", arch.name);
                let downs = events.iter().filter(|e| matches!(e.kind, TraceKind::ServiceDown { .. })).count();
                let zero = events
                    .iter()
                    .filter(|e| matches!(e.kind, TraceKind::ServiceUp { downtime, .. } if downtime.0 == 0))
                    .count();
                assert_eq!(downs - zero, b.incidents.len(), "{file}/{}: rep {r}", arch.name);
                incidents_seen += b.incidents.len();
            }
        }
    }
    assert!(incidents_seen > 100, "only {incidents_seen} incidents checked");
}

fn trace(args: &[&str]) -> (i32, String) {
    let out = harness::faultline(&[&["trace"], args].concat());
    (out.exit_code(), out.stdout)
}

#[test]
fn the_same_arguments_print_the_same_bytes() {
    let args = ["scenarios/database-multi-az.ron", "--arch", "multi-az", "--replication", "3"];
    let (code, first) = trace(&args);
    assert_eq!(code, 0);
    assert_eq!(first, trace(&args).1);
    assert!(first.contains("SERVICE DOWN, cause"), "{first}");
    assert!(first.contains("(failover)"), "{first}");
    let (code, json) = trace(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["replication"], 3);
    assert_eq!(v["architecture"], "multi-az");
    assert!(v["events"].as_array().unwrap().iter().any(|e| e["event"] == "switch_started"));
    assert_eq!(json, trace(&[&args[..], &["--format", "json"]].concat()).1);
}

#[test]
fn a_window_shows_only_its_events_but_the_totals_of_the_whole_replication() {
    let base =
        ["scenarios/database-multi-az.ron", "--arch", "multi-az", "--replication", "3", "--format", "json"];
    let whole: serde_json::Value = serde_json::from_str(&trace(&base).1).unwrap();
    let part: serde_json::Value =
        serde_json::from_str(&trace(&[&base[..], &["--from", "100d", "--to", "1y"]].concat()).1).unwrap();
    let (all, some) = (whole["events"].as_array().unwrap(), part["events"].as_array().unwrap());
    assert!(some.len() < all.len() && !some.is_empty());
    let (from, to) = (100 * 86_400_000u64, 365 * 86_400_000u64);
    assert!(some.iter().all(|e| (from..to).contains(&e["t_ms"].as_u64().unwrap())));
    assert_eq!(part["downtime_h"], whole["downtime_h"]);
    assert_eq!(part["incidents"], whole["incidents"]);
}

#[test]
fn a_file_with_several_architectures_needs_arch() {
    let (code, _) = trace(&["scenarios/database-multi-az.ron"]);
    assert_eq!(code, 2);
    let (code, _) = trace(&["scenarios/database-multi-az.ron", "--arch", "multi-azz"]);
    assert_eq!(code, 2);
}

/// Exit code, stdout and stderr of `faultline trace ARGS`.
fn trace_full(args: &[&str]) -> (i32, String, String) {
    let out = harness::faultline(&[&["trace"], args].concat());
    (out.exit_code(), out.stdout, out.stderr)
}

#[test]
fn a_window_that_would_show_nothing_is_bad_input() {
    // scenarios/three-tier.ron has a 10y horizon.
    let base = ["scenarios/three-tier.ron", "--arch", "three-az"];
    for (window, message, hint) in [
        (
            &["--from", "10d", "--to", "5d"][..],
            "error: --from 10d is after --to 5d: the window would be empty",
            "  = hint: --from is where the window starts and --to where it ends: --from 5d --to 10d",
        ),
        (
            &["--from", "120h", "--to", "5d"],
            "error: --from 5d is not before --to 5d: the window would be empty",
            "  = hint: the window is [--from, --to); give --to a later time",
        ),
        (
            &["--to", "0s"],
            "error: --to 0s ends the window where it starts (0s): it would be empty",
            "  = hint: give --to a time after 0s",
        ),
        (
            &["--from", "20y"],
            "error: --from 20y is not before the horizon (10y): the window would be empty",
            "  = hint: a replication runs from 0s to 10y; choose --from below that",
        ),
        (
            &["--from", "10y", "--to", "11y"],
            "error: --from 10y is not before the horizon (10y): the window would be empty",
            "  = hint: a replication runs from 0s to 10y; choose --from below that",
        ),
    ] {
        let (code, out, err) = trace_full(&[&base[..], window].concat());
        assert_eq!((code, out.as_str()), (2, ""), "{window:?}: {err}");
        assert_eq!(err, format!("{message}\n{hint}\n"), "{window:?}");
    }
}

#[test]
fn a_window_reaching_past_the_horizon_runs_to_its_end() {
    let base = ["scenarios/three-tier.ron", "--arch", "three-az", "--format", "json"];
    let whole: serde_json::Value = serde_json::from_str(&trace(&base).1).unwrap();
    let (code, text) = trace(&[&base[..], &["--from", "9y", "--to", "20y"]].concat());
    assert_eq!(code, 0);
    let part: serde_json::Value = serde_json::from_str(&text).unwrap();
    let from = 9 * 365 * 86_400_000u64;
    let expected: Vec<&serde_json::Value> =
        whole["events"].as_array().unwrap().iter().filter(|e| e["t_ms"].as_u64().unwrap() >= from).collect();
    assert!(!expected.is_empty(), "the last year of the replication has events");
    assert_eq!(part["events"].as_array().unwrap().iter().collect::<Vec<_>>(), expected);
    let (code, text, _) =
        trace_full(&["scenarios/three-tier.ron", "--arch", "three-az", "--from", "9y", "--to", "20y"]);
    assert_eq!(code, 0);
    assert!(text.contains("events from 3285d 00:00:00.000 to 3650d 00:00:00.000\n"), "{text}");
}
