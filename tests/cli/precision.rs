//! `--precision`: a design stops at the first doubling of its replications whose 95% CI is
//! within the precision asked, with the same numbers as a fixed run of that many; the rule and
//! what each design reached are in the output; any thread count gives the same bytes.

use crate::harness::{faultline, scratch_file};

/// A design that needs a few doublings (a weak single instance) beside one that is precise at
/// once (a scripted, degenerate one is not: it fails the same way every replication).
const SCENARIO: &str = r#"(name: "p", seed: 7, horizon: "1y", replications: 100,
    architectures: [
        (name: "rare", components: [(name: "x", kind: Instance, fail: Exp(mean: "2y"), recover: Repair(Exp(mean: "3h")))], service: "x"),
        (name: "often", components: [(name: "y", kind: Instance, fail: Exp(mean: "300h"), recover: Repair(Exp(mean: "3h")))], service: "y"),
    ])"#;

fn json(args: &[&str]) -> serde_json::Value {
    let run = faultline(args);
    assert_eq!(run.exit_code(), 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON")
}

/// The relative 95% half-width of the unavailability of design `k` in a fixed run's JSON.
fn relative(report: &serde_json::Value, k: usize) -> f64 {
    let a = &report["architectures"][k]["availability"];
    let (mean, lo, hi) =
        (a["mean"].as_f64().unwrap(), a["ci95"][0].as_f64().unwrap(), a["ci95"][1].as_f64().unwrap());
    (hi - lo) / 2.0 / (1.0 - mean)
}

#[test]
fn each_design_stops_at_the_first_doubling_precise_enough_with_a_fixed_runs_numbers() {
    let file = scratch_file("precision.ron", SCENARIO);
    let file = file.to_str().unwrap();
    let precise = json(&["run", file, "--precision", "10%", "--format", "json", "-q"]);
    assert_eq!(precise["precision"]["relative"], 0.1);
    for k in 0..2 {
        let p = &precise["architectures"][k]["precision"];
        assert_eq!(p["stopped_by"], "precision", "{p}");
        let n = p["replications"].as_u64().unwrap();
        assert!(n >= 100 && (n / 100).is_power_of_two(), "a doubling of the first batch: {n}");
        // The same replications run as a fixed count give the same numbers, and the reached
        // half-width is theirs (the CI here is far from the clamp at 1).
        let fixed = json(&["run", file, "--replications", &n.to_string(), "--format", "json", "-q"]);
        let (a, b) = (&precise["architectures"][k], &fixed["architectures"][k]);
        assert_eq!(a["availability"], b["availability"]);
        assert_eq!(a["downtime_min_per_year"], b["downtime_min_per_year"]);
        let reached = p["reached"].as_f64().unwrap();
        assert!(
            (reached - relative(&fixed, k)).abs() < 1e-9 * reached,
            "{reached} vs {}",
            relative(&fixed, k)
        );
        assert!(reached <= 0.1);
        // And the batch before it was not precise enough.
        if n > 100 {
            let half = json(&["run", file, "--replications", &(n / 2).to_string(), "--format", "json", "-q"]);
            assert!(relative(&half, k) > 0.1, "{k}: {} at {}", relative(&half, k), n / 2);
        }
    }
    let rare = precise["architectures"][0]["precision"]["replications"].as_u64().unwrap();
    let often = precise["architectures"][1]["precision"]["replications"].as_u64().unwrap();
    assert!(rare > often, "the design that fails rarely needs more: {rare} vs {often}");
}

#[test]
fn the_maximum_stops_a_design_short_and_says_so() {
    let file = scratch_file("precision-max.ron", SCENARIO);
    let file = file.to_str().unwrap();
    // Crude asked: auto would move this design to the rare-event method.
    let crude = ["--precision", "1%", "--max-replications", "300", "--method", "crude"];
    let report = json(&[&["run", file][..], &crude, &["--format", "json", "-q"]].concat());
    let p = &report["architectures"][0]["precision"];
    assert_eq!((p["replications"].as_u64(), p["stopped_by"].as_str()), (Some(300), Some("max_replications")));
    assert!(p["reached"].as_f64().unwrap() > 0.01);
    let table = faultline(&[&["run", file][..], &crude, &["-q"]].concat());
    assert!(
        table.stdout.contains("100 to 300 replications (until ±1.00% of the unavailability)"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("300 replications, 95% CI"), "{}", table.stdout);
    assert!(table.stdout.contains("short of it at the most"), "{}", table.stdout);
}

#[test]
fn the_same_bytes_on_any_thread_count_and_none_of_it_without_a_precision() {
    let file = scratch_file("precision-threads.ron", SCENARIO);
    let file = file.to_str().unwrap();
    let one = faultline(&["run", file, "--precision", "5%", "--threads", "1", "--format", "json", "-q"]);
    let two = faultline(&["run", file, "--precision", "5%", "--threads", "2", "--format", "json", "-q"]);
    assert_eq!(one.stdout, two.stdout);
    let plain = faultline(&["run", file, "--format", "json", "-q"]);
    assert!(!plain.stdout.contains("precision"), "no key without a precision");
}

#[test]
fn a_precision_in_the_scenario_and_its_mistakes() {
    let file = scratch_file(
        "precision-scenario.ron",
        SCENARIO.replace("replications: 100,", "replications: 100, precision: 0.1,"),
    );
    let report = json(&["run", file.to_str().unwrap(), "--format", "json", "-q"]);
    assert_eq!(report["precision"]["relative"], 0.1);
    let bad = scratch_file(
        "precision-bad.ron",
        SCENARIO.replace("replications: 100,", "replications: 100, precision: 5.0,"),
    );
    let run = faultline(&["validate", bad.to_str().unwrap()]);
    assert_eq!(run.exit_code(), 2);
    assert!(run.stderr.contains("`precision` is a fraction in (0, 1), got 5"), "{}", run.stderr);
    let run = faultline(&["run", file.to_str().unwrap(), "--precision", "150%"]);
    assert_eq!(run.exit_code(), 2);
    assert!(run.stderr.contains("such as 5% or 0.05"), "{}", run.stderr);
    let run = faultline(&["check", file.to_str().unwrap(), "--precision", "5%"]);
    assert_eq!(run.exit_code(), 2, "{}", run.stderr);
    assert!(run.stderr.contains("check does not take --precision"), "{}", run.stderr);
}

#[test]
fn compare_pairs_the_replications_both_designs_ran() {
    let file = scratch_file("precision-compare.ron", SCENARIO);
    let file = file.to_str().unwrap();
    let precise = json(&["run", file, "--precision", "10%", "--format", "json", "-q"]);
    let n = |k: usize| precise["architectures"][k]["precision"]["replications"].as_u64().unwrap();
    let common = n(0).min(n(1));
    assert_ne!(n(0), n(1), "the designs stop at different counts");
    let with = json(&["compare", file, "--baseline", "rare", "--precision", "10%", "--format", "json", "-q"]);
    let fixed = json(&[
        "compare",
        file,
        "--baseline",
        "rare",
        "--replications",
        &common.to_string(),
        "--format",
        "json",
        "-q",
    ]);
    for key in ["difference", "ci95_paired", "ci95_unpaired"] {
        let got = &with["comparisons"][1][key];
        assert!(!got.is_null(), "{key}");
        assert_eq!(got, &fixed["comparisons"][1][key], "{key}");
    }
}

/// A design with a dataset that never loses data, run to a precision past its first batch.
const NO_LOSS: &str = r#"(name: "bound", seed: 3, horizon: "1y", replications: 100,
    profiles: {"db": (modes: [(name: "host", fail: Exp(mean: "300h"), recover: Repair(Exp(mean: "3h")))])},
    architectures: [(name: "a", components: [
        (name: "db", kind: Database, profile: "db"),
        (name: "app", kind: Group, needs: All(["orders"])),
    ], data: [(name: "orders", holder: "db")], service: "app")])"#;

#[test]
fn the_bound_on_an_unseen_rate_counts_the_replications_the_design_ran() {
    let file = scratch_file("precision-no-loss.ron", NO_LOSS);
    let file = file.to_str().unwrap();
    let n =
        json(&["run", file, "--precision", "5%", "--format", "json", "-q"])["architectures"][0]["precision"]
            ["replications"]
            .as_u64()
            .unwrap();
    assert!(n > 100, "the test needs a design that ran past its first batch: {n}");
    // Rule of three over the design's n replications of 1 y, not the first batch's 100.
    let want = 3.0 / n as f64;
    let bound = |text: &str| -> f64 {
        let at = text.find("none observed (< ").expect("an unseen rate") + "none observed (< ".len();
        text[at..].split(')').next().unwrap().parse().unwrap()
    };
    for format in ["table", "markdown"] {
        let out = faultline(&["run", file, "--precision", "5%", "--format", format, "-q"]);
        assert_eq!(out.exit_code(), 0, "{}", out.stderr);
        let got = bound(&out.stdout);
        assert!((got - want).abs() <= 1e-3 * want, "{format}: {got} against 3/{n} = {want}\n{}", out.stdout);
    }
}
