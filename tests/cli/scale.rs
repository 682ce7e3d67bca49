//! Big runs and big models, as a user meets them: a run that would take hours says so on
//! stderr before it starts (`tests/fixtures/scale/storm.ron`: a unit slip, a heavy tail and a
//! standby group that can never start), and single points of failure of a generated
//! 20,000-component model come out of `sweep` and `cutsets --order 1`.
//!
//! A storm is never run to its end: the test reads stderr until the warning is complete, then
//! stops the process it started. The deadline on that read only keeps a missing warning from
//! hanging the suite; it measures nothing.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use crate::harness;

const STORM: &str = "tests/fixtures/scale/storm.ron";

/// Starts `faultline ARGS`, waits for the storm warning on stderr (up to its hint line), stops
/// the process and returns the warning and whatever it had written to stdout by then.
fn warning_before_the_run(args: &[&str]) -> (String, String) {
    let mut child = harness::command()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the faultline binary starts");
    let stderr = child.stderr.take().expect("piped");
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if send.send(line.expect("UTF-8 stderr")).is_err() {
                break;
            }
        }
    });
    let mut warning = String::new();
    let mut seen = String::new();
    loop {
        match lines.recv_timeout(Duration::from_secs(600)) {
            Ok(line) => {
                let _ = writeln!(seen, "{line}");
                if line.contains("warning: this run will process") {
                    warning.clear();
                }
                if !warning.is_empty() || line.contains("warning: this run will process") {
                    let _ = writeln!(warning, "{line}");
                    if line.starts_with("  = hint:") {
                        break;
                    }
                }
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("faultline {args:?}: no warning before the run; stderr so far:\n{seen}");
            }
        }
    }
    child.kill().expect("the child is ours to stop");
    child.wait().expect("it stops");
    let mut stdout = String::new();
    child.stdout.take().expect("piped").read_to_string(&mut stdout).expect("UTF-8 stdout");
    (warning, stdout)
}

#[test]
fn a_unit_slip_is_announced_with_its_component_before_the_run() {
    let (warning, stdout) = warning_before_the_run(&["run", STORM, "--arch", "slip", "--threads", "2"]);
    // web fails every 20 ms and is repaired in 5 ms: 2 x 3.1536e11 / 25 = 2.52e10 events a
    // replication, 2.52e13 for 1000: 1.26e6 s = 14d 14h (350.4 h) at 2 x 10 M events/s.
    assert!(
        warning.starts_with(&format!(
            "{STORM}: warning: this run will process about 2.5e13 events (1000 replications x 1 architecture), about 14d 14h at 10 M events/s on each of 2 threads\n"
        )),
        "{warning}"
    );
    assert!(
        warning
            .contains("  = note: the most are `web`'s in `slip`: about 2.5e10 per replication, one every "),
        "{warning}"
    );
    assert_eq!(stdout, "", "nothing on stdout before the run");
}

#[test]
fn a_heavy_tail_and_a_group_that_never_starts_are_announced() {
    let (heavy, _) =
        warning_before_the_run(&["compare", STORM, "--arch", "heavy", "--arch", "slip", "--threads", "2"]);
    assert!(heavy.contains("(1000 replications x 2 architectures)"), "{heavy}");
    assert!(heavy.contains("heavy tail (LogNormal with a large sigma)"), "{heavy}");
    // Alone, the heavy tail: means of 2000 h and 15 min, yet draws averaging 25.6 s and 143 ms
    // as the run sees them (at least 1 ms, cut at 10 y): 2 x (3.1536e11 / 25702.2 - 1) =
    // 2.45e7 events a replication, against 2 x 43.8 from the plain means.
    let (alone, _) = warning_before_the_run(&["run", STORM, "--arch", "heavy", "--threads", "2"]);
    assert!(alone.contains("about 2.5e10 events (1000 replications x 1 architecture)"), "{alone}");
    assert!(alone.contains("`web`'s in `heavy`: about 2.5e7 per replication"), "{alone}");
    // The group retries every millisecond once its primary is down for longer than detection.
    let (never, _) = warning_before_the_run(&["run", STORM, "--arch", "never-starts", "--threads", "2"]);
    // db-b fails to start every 1 ms, db-a every 4 h: about 2 events a millisecond.
    assert!(
        never.contains(
            "`db`'s in `never-starts`: about 6.3e11 per replication, 2.0 a millisecond of simulated time\n"
        ),
        "{never}"
    );
}

#[test]
fn every_command_that_simulates_announces_a_storm() {
    let out = harness::scratch_dir("scale-storm").join("out");
    let out = out.to_str().expect("UTF-8 path");
    // Every architecture: the group that never starts has the most events (two per
    // millisecond and replication); trace runs the one it is given.
    for (args, busiest) in [
        (vec!["report", STORM, "--out", out, "--threads", "2"], "`db`'s in `never-starts`"),
        (vec!["chart", STORM, "--out", out, "--threads", "2"], "`db`'s in `never-starts`"),
        (vec!["check", STORM, "--baseline", out, "--threads", "2"], "`db`'s in `never-starts`"),
        (vec!["trace", STORM, "--arch", "slip"], "`web`'s in `slip`"),
    ] {
        let (warning, stdout) = warning_before_the_run(&args);
        assert!(warning.contains(busiest), "{args:?}: {warning}");
        assert_eq!(stdout, "", "{args:?}");
        assert!(!std::path::Path::new(out).join("report.md").exists(), "nothing written before the run");
    }
    // report and chart simulate each replication once, as run does; trace one replication on
    // one thread.
    let (report, _) = warning_before_the_run(&["report", STORM, "--out", out, "--threads", "2"]);
    assert!(report.contains("(1000 replications x 3 architectures), about 1.0 years"), "{report}");
    assert!(!report.contains("passes"), "{report}");
    let (trace, _) = warning_before_the_run(&["trace", STORM, "--arch", "slip"]);
    assert!(
        trace.contains(
            "(1 replication x 1 architecture), about 42m 03s at 10 M events/s on each of 1 thread\n"
        ),
        "{trace}"
    );
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn a_short_run_says_nothing_more() {
    let output = harness::command()
        .args(["run", "scenarios/web-single-vs-multi-az.ron", "--replications", "20", "-q"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("this run will process"), "{stderr}");
}

/// A tiers scenario: `tiers` groups of `per_az` instances in each of 3 AZs, any one of a tier
/// enough, every tier needed.
fn tiers(tiers: usize, per_az: usize) -> String {
    let mut s = String::from(
        r#"(name: "tiers", horizon: "1y", replications: 2,
    profiles: { "i": (fail: Exp(mean: "2000h"), recover: Repair(Exp(mean: "15m"))),
                "az": (fail: Exp(mean: "17520h"), recover: Repair(Exp(mean: "4h"))) },
    shared: [ (name: "region", kind: Region, fail: Exp(mean: "87600h"), recover: Repair(Exp(mean: "8h"))),
              (name: "az-1", kind: Az, profile: "az", needs: All(["region"])),
              (name: "az-2", kind: Az, profile: "az", needs: All(["region"])),
              (name: "az-3", kind: Az, profile: "az", needs: All(["region"])) ],
    architectures: [( name: "tiers", service: "service", components: [
"#,
    );
    for t in 1..=tiers {
        let mut members = Vec::new();
        for az in 1..=3 {
            for k in 1..=per_az {
                let name = format!("t{t}-az{az}-{k}");
                let _ = writeln!(
                    s,
                    r#"(name: "{name}", kind: Instance, profile: "i", needs: All(["az-{az}"])),"#
                );
                members.push(format!("{name:?}"));
            }
        }
        let _ = writeln!(s, r#"(name: "tier-{t}", kind: Group, needs: Any([{}])),"#, members.join(", "));
    }
    // One tier of a single instance: a single point of failure.
    let _ = writeln!(s, r#"(name: "lone", kind: Instance, profile: "i", needs: All(["az-2"])),"#);
    let all: Vec<String> = (1..=tiers).map(|t| format!("\"tier-{t}\"")).chain(["\"lone\"".into()]).collect();
    let _ = writeln!(s, r#"(name: "service", kind: Group, needs: All([{}])),"#, all.join(", "));
    s.push_str("])])\n");
    s
}

#[test]
fn single_points_of_failure_of_a_20k_component_model() {
    let path = harness::scratch_file("scale-tiers.ron", tiers(40, 166)); // 40 x 3 x 166 = 19,920 instances + 46
    let run = |args: &[&str]| {
        let output = harness::command().args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let file = path.to_str().unwrap();
    let cuts = run(&["cutsets", file, "--order", "1"]);
    assert_eq!(
        cuts,
        "minimal cut sets of tiers up to order 1 (dependency graph only: failover delays are not failures)\n  1  az-2\n  1  lone\n  1  region\n"
    );
    let sweep: serde_json::Value = serde_json::from_str(&run(&["sweep", file, "--format", "json"])).unwrap();
    let arch = &sweep["architectures"][0];
    assert_eq!(arch["spofs"], serde_json::json!(["az-2", "lone", "region"]));
    assert_eq!(arch["injections"].as_array().unwrap().len(), 19_920 + 5);
    assert_eq!(arch["injections"][0]["ended_by"], "injection-end");
    let _ = std::fs::remove_file(&path);
}
