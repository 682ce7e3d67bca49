//! `--method` and the rare-event estimate as a user meets them: `auto` moves a design that
//! crude sampling cannot see to the rare-event method and says so, the numbers match the
//! closed form within their own CI, objectives use that CI, a design outside the method runs
//! crude with the reason, and nothing changes without a method or a precision.

use crate::harness::{faultline, scratch_file};

/// Three replicas, any one enough (U = (1/10001)³, about 1e-12), beside a single instance that
/// crude sampling measures easily.
const SCENARIO: &str = r#"(name: "r", seed: 3, horizon: "10y", replications: 200,
    profiles: { "node": (fail: Exp(mean: "10000h"), recover: Repair(Exp(mean: "1h"))) },
    architectures: [
        (name: "three", objectives: (availability: 0.9999999999995), service: "svc", components: [
            (name: "a", kind: Instance, profile: "node"), (name: "b", kind: Instance, profile: "node"),
            (name: "c", kind: Instance, profile: "node"), (name: "svc", kind: Group, needs: Any(["a", "b", "c"])),
        ]),
        (name: "one", service: "x", components: [
            (name: "x", kind: Instance, fail: Exp(mean: "300h"), recover: Repair(Exp(mean: "3h"))),
        ]),
    ])"#;

fn json(args: &[&str]) -> serde_json::Value {
    let run = faultline(args);
    assert_eq!(run.exit_code(), 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON")
}

/// The scenario in a scratch file of its own for each test (tests run in parallel).
fn file(test: &str) -> String {
    scratch_file(&format!("rare-{test}.ron"), SCENARIO).to_str().unwrap().to_string()
}

#[test]
fn auto_moves_the_design_crude_cannot_see_to_the_rare_method_with_the_closed_form_inside_its_ci() {
    let file = file("auto");
    let report = json(&["run", &file, "--precision", "5%", "--format", "json", "-q"]);
    let three = &report["architectures"][0];
    let e = &three["estimator"];
    assert_eq!(e["method"], "rare");
    assert!(
        e["because"].as_str().unwrap().starts_with("auto: a crude pilot of 200 replications saw no downtime")
    );
    // The crude pilot's own figures stay beside the rare ones.
    assert_eq!(e["crude"]["replications"], 200);
    assert_eq!(e["crude"]["availability"]["mean"], 1.0);
    let q = 1.0 / 10_001.0;
    let exact = q * q * q;
    let a = &three["availability"];
    let (mean, lo, hi) =
        (a["mean"].as_f64().unwrap(), a["ci95"][0].as_f64().unwrap(), a["ci95"][1].as_f64().unwrap());
    assert!(
        1.0 - hi <= exact && exact <= 1.0 - lo,
        "exact U {exact:e} outside [{:e}, {:e}]",
        1.0 - hi,
        1.0 - lo
    );
    assert!(((1.0 - mean) / exact - 1.0).abs() < 0.1);
    assert_eq!(a["ci_method"], "regenerative");
    let nines = three["nines"].as_f64().unwrap();
    assert!((nines - 12.0).abs() < 0.05, "{nines}");
    // The precision counts cycles and was reached; the mean incident is 1/(3μ) = 20 min.
    assert_eq!(three["precision"]["stopped_by"], "precision");
    assert!(three["precision"]["reached"].as_f64().unwrap() <= 0.05);
    assert_eq!(three["precision"]["replications"], e["rare"]["cycles"]);
    assert!((e["rare"]["mean_incident_s"].as_f64().unwrap() - 1200.0).abs() < 1e-6);
    // Incidents: entries into the all-down state, 3 (1 - q) q² λ a year with λ = 1e-4 / h; the
    // mean time between them, (1 - U) over that rate, within the rate's own CI.
    let exact_rate = 3.0 * (1.0 - q) * q * q * 1e-4 * 8760.0;
    let [lo, hi] = [0, 1].map(|k| e["rare"]["incidents_per_year_ci95"][k].as_f64().unwrap());
    assert!(lo <= exact_rate && exact_rate <= hi, "{exact_rate:e} outside [{lo:e}, {hi:e}]");
    let exact_mtbi_h = (1.0 - exact) * 8760.0 / exact_rate;
    let mtbi_h = three["mtbi_h"].as_f64().unwrap();
    assert!(
        (mtbi_h / exact_mtbi_h - 1.0).abs() <= (hi - lo) / (lo + hi),
        "MTBI {mtbi_h} h against {exact_mtbi_h} h"
    );
    assert!(e["effective_sample_size"].as_f64().unwrap() > 100.0);
    // Objectives use the rare estimate's CI: 12.3 nines asked, about 12 reached.
    assert_eq!(three["objectives"]["availability"]["met"], false);
    // The weak design stays crude: its pilot predicts a count within the most.
    let one = &report["architectures"][1];
    assert_eq!(one["estimator"]["method"], "crude");
    assert!(one["estimator"]["because"].as_str().unwrap().contains("within the most"));
}

#[test]
fn without_a_method_or_a_precision_there_is_no_estimator_and_crude_misses_nothing() {
    let file = file("plain");
    let plain = json(&["run", &file, "--format", "json", "-q"]);
    let three = &plain["architectures"][0];
    assert!(three.get("estimator").is_none() && three.get("precision").is_none());
    // Crude sees no downtime in 200 x 10 y, so it calls the 12.3 nines met: the rare method
    // is what tells.
    assert_eq!(three["availability"]["mean"], 1.0);
    assert_eq!(three["objectives"]["availability"]["met"], true);
    let crude = json(&["run", &file, "--method", "crude", "--format", "json", "-q"]);
    assert_eq!(crude["architectures"][0]["estimator"]["method"], "crude");
    assert_eq!(crude["architectures"][0]["availability"], plain["architectures"][0]["availability"]);
}

#[test]
fn the_most_cycles_hold_without_a_precision_and_auto_aims_at_five_percent() {
    let file = file("caps");
    let report =
        json(&["run", &file, "--method", "rare", "--max-replications", "20000", "--format", "json", "-q"]);
    let p = &report["architectures"][0]["precision"];
    assert_eq!(p["max_replications"], 20000);
    assert!(p["replications"].as_u64().unwrap() <= 20000, "{p}");
    // Below the first batch of cycles, the first batch still runs: fewer would be no estimate.
    let tiny = json(&["run", &file, "--method", "rare", "--max-replications", "3", "--format", "json", "-q"]);
    assert_eq!(tiny["architectures"][0]["precision"]["replications"], 16384);
    // `auto` without --precision aims at 5%, for crude designs as for rare ones.
    let auto = json(&["run", &file, "--method", "auto", "--format", "json", "-q"]);
    assert_eq!(auto["precision"]["relative"], 0.05);
    for a in auto["architectures"].as_array().unwrap() {
        assert_eq!(a["precision"]["stopped_by"], "precision", "{}", a["name"]);
    }
}

#[test]
fn a_design_outside_the_method_runs_crude_and_says_why() {
    let text = SCENARIO
        .replace(r#"recover: Repair(Exp(mean: "1h"))"#, r#"recover: Replace(detect: "1m", launch: "4m")"#);
    let file = scratch_file("rare-replace.ron", text);
    let report = json(&["run", file.to_str().unwrap(), "--method", "rare", "--format", "json", "-q"]);
    let e = &report["architectures"][0]["estimator"];
    assert_eq!(e["method"], "crude");
    let because = e["because"].as_str().unwrap();
    assert!(
        because.contains("does not apply") && because.contains("`a` does not recover by `Repair(Exp(..))`"),
        "{because}"
    );
}

#[test]
fn the_table_and_markdown_say_which_method_gave_the_numbers() {
    let file = file("table");
    let table = faultline(&["run", &file, "--method", "rare", "-q"]);
    assert_eq!(table.exit_code(), 0, "{}", table.stderr);
    assert!(table.stdout.contains("regenerative cycles, 95% CI ±"), "{}", table.stdout);
    assert!(table.stdout.contains("by rare-event importance sampling (--method rare)"), "{}", table.stdout);
    assert!(table.stdout.contains("crude over 200 replications: no downtime seen"), "{}", table.stdout);
    let md = faultline(&["run", &file, "--method", "rare", "--format", "markdown", "-q"]);
    assert!(
        md.stdout.contains("Method: availability, downtime, incidents/yr and MTBI by rare-event"),
        "{}",
        md.stdout
    );
}

#[test]
fn same_bytes_for_any_thread_count_and_check_refuses_a_method() {
    let file = file("threads");
    let run = |threads| {
        faultline(&["run", &file, "--method", "rare", "--format", "json", "-q", "--threads", threads])
    };
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one.exit_code(), 0, "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    let check = faultline(&["check", &file, "--method", "rare"]);
    assert_eq!(check.exit_code(), 2, "{}", check.stderr);
    assert!(
        check.stderr.contains("check does not take --precision, --max-replications or --method"),
        "{}",
        check.stderr
    );
}

#[test]
fn auto_weighs_the_pilot_against_the_most_replications_asked() {
    // The pilot of `one` predicts about 225 replications for ±1%: within a million, more than 220.
    let file = file("auto-max");
    let run = |max: &str| {
        let args = ["run", &file, "--arch", "one", "--precision", "1%", "--max-replications", max];
        json(&[&args[..], &["--format", "json", "-q"]].concat())["architectures"][0]["estimator"].clone()
    };
    let within = run("1000000");
    assert_eq!(within["method"], "crude", "{within}");
    assert!(within["because"].as_str().unwrap().contains("within the most (1000000)"), "{within}");
    let beyond = run("220");
    assert_eq!(beyond["method"], "rare", "{beyond}");
    assert!(beyond["because"].as_str().unwrap().contains("more than the most (220)"), "{beyond}");
}

/// A 2-of-3 quorum: node MTTF 5,000 h, MTTR 2 h, independent repairs.
const QUORUM: &str = r#"(name: "q", seed: 11, horizon: "10y", replications: 200,
    profiles: { "node": (fail: Exp(mean: "5000h"), recover: Repair(Exp(mean: "2h"))) },
    architectures: [
        (name: "quorum", service: "svc", components: [
            (name: "a", kind: Instance, profile: "node"), (name: "b", kind: Instance, profile: "node"),
            (name: "c", kind: Instance, profile: "node"), (name: "svc", kind: Group, needs: AtLeast(2, ["a", "b", "c"])),
        ]),
        (name: "single", service: "x", components: [(name: "x", kind: Instance, profile: "node")]),
    ])"#;

/// `value` within the 99.9% interval that a 95% CI `[lo, hi]` around `estimate` implies
/// (half-width scaled by z(0.9995) / z(0.975) = 3.2905 / 1.9600).
fn within_ci(value: f64, estimate: f64, [lo, hi]: [f64; 2], what: &str) {
    let half = (hi - lo) / 2.0 * 3.2905 / 1.9600;
    assert!(
        (value - estimate).abs() <= half,
        "{what}: exact {value:e}, estimate {estimate:e} [{lo:e}, {hi:e}]"
    );
}

#[test]
fn the_quorums_downtime_incidents_and_mean_incident_match_its_chain() {
    let file = scratch_file("rare-quorum.ron", QUORUM).to_str().unwrap().to_string();
    let (lambda, mu) = (1.0 / 5000.0, 1.0 / 2.0); // per hour
    let q = lambda / (lambda + mu);
    // Down with two or three nodes down; incidents enter two-down from one-down; an incident
    // ends back at one-down: from two-down a repair (2μ) ends it, a third failure (λ) adds a
    // three-down spell (1/(3μ)) first, so its mean is (1 + λ/(3μ)) / (2μ).
    let u = 3.0 * q * q * (1.0 - q) + q * q * q;
    let per_year = 3.0 * q * (1.0 - q) * (1.0 - q) * 2.0 * lambda * 8760.0;
    let mean_incident_s = (1.0 + lambda / (3.0 * mu)) / (2.0 * mu) * 3600.0;
    let minutes_per_year = 365.0 * 24.0 * 60.0;

    let report = json(&["run", &file, "--method", "rare", "--precision", "2%", "--format", "json", "-q"]);
    let quorum = &report["architectures"][0];
    let rare = &quorum["estimator"]["rare"];
    let pair = |v: &serde_json::Value| [v[0].as_f64().unwrap(), v[1].as_f64().unwrap()];
    let u_est = rare["unavailability"].as_f64().unwrap();
    let u_ci = pair(&rare["unavailability_ci95"]);
    within_ci(u, u_est, u_ci, "unavailability");
    let downtime = quorum["downtime_min_per_year"].as_f64().unwrap();
    within_ci(u * minutes_per_year, downtime, u_ci.map(|x| x * minutes_per_year), "downtime min/yr");
    within_ci(
        per_year,
        quorum["incidents_per_year"].as_f64().unwrap(),
        pair(&rare["incidents_per_year_ci95"]),
        "incidents/yr",
    );
    within_ci(
        mean_incident_s,
        rare["mean_incident_s"].as_f64().unwrap(),
        pair(&rare["mean_incident_s_ci95"]),
        "mean incident s",
    );

    // compare: the quorum's downtime by the rare-event method, under the paired rows.
    let compare = faultline(&["compare", &file, "--method", "rare", "--format", "json", "-q"]);
    assert_eq!(compare.exit_code(), 0, "{}", compare.stderr);
    let compare: serde_json::Value = serde_json::from_str(&compare.stdout).unwrap();
    let rows = compare["rare"].as_array().unwrap();
    let row = rows.iter().find(|r| r["name"] == "quorum").expect("the quorum's rare downtime");
    within_ci(
        u * minutes_per_year,
        row["downtime_min_per_year"].as_f64().unwrap(),
        pair(&row["ci95"]),
        "compare's rare downtime min/yr",
    );
    assert_eq!(row["downtime_min_per_year"], quorum["downtime_min_per_year"]);
}
