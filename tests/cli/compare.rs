//! `faultline compare` (paired by replication, with common random numbers), `cutsets` and `sweep`.

use crate::harness;

fn compare(args: &[&str]) -> (i32, String) {
    let out = harness::command().arg("compare").args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

const FIXTURE: &str = "tests/fixtures/compare/pairs.ron";

fn json() -> serde_json::Value {
    let (code, out) = compare(&[FIXTURE, "--format", "json", "-q"]);
    assert_eq!(code, 0);
    serde_json::from_str(&out).unwrap()
}

fn ci(v: &serde_json::Value) -> (f64, f64) {
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

#[test]
fn an_unrelated_component_makes_exactly_no_difference() {
    let v = json();
    assert_eq!(v["baseline"], "pair");
    let c = &v["comparisons"][1];
    assert_eq!(c["name"], "pair-plus-orphan");
    assert_eq!(c["difference"].as_f64(), Some(0.0));
    assert_eq!(ci(&c["ci95_paired"]), (0.0, 0.0), "identical per replication");
    let (lo, hi) = ci(&c["ci95_unpaired"]);
    assert!(lo < 0.0 && hi > 0.0, "the unpaired CI is wide: {lo} {hi}");
    assert_eq!(c["verdict"], "no significant difference");
}

#[test]
fn removing_a_redundant_member_is_worse_and_the_pairing_narrows_the_interval() {
    let v = json();
    let c = &v["comparisons"][2];
    assert_eq!(c["name"], "single");
    let (lo, hi) = ci(&c["ci95_paired"]);
    assert!(lo > 0.0, "the paired CI excludes 0: [{lo}, {hi}]");
    assert_eq!(c["verdict"], "worse");
    let (ulo, uhi) = ci(&c["ci95_unpaired"]);
    assert!(hi - lo < uhi - ulo, "paired [{lo}, {hi}] narrower than unpaired [{ulo}, {uhi}]");
    // Against `single` as the baseline the pair is better.
    let (code, out) = compare(&[FIXTURE, "--baseline", "single", "--format", "json", "-q"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["comparisons"][0]["verdict"], "better");
}

#[test]
fn recovery_and_data_loss_agree_with_run_and_pair_by_replication() {
    // dr-strategies has data loss in every design: compare's RTO p95, RPO p95 and data-loss
    // rates are run's, and the paired difference of rates is the difference of run's rates.
    let args = ["scenarios/dr-strategies.ron", "--replications", "60", "--format", "json", "-q"];
    let (code, out) = compare(&args);
    assert_eq!(code, 0);
    let compared: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ran = harness::faultline(&[&["run"], &args[..]].concat());
    let ran: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    let rate = |k: usize| ran["architectures"][k]["data_loss_events_per_year"].as_f64().unwrap();
    for (k, r) in compared["recovery"].as_array().unwrap().iter().enumerate() {
        let a = &ran["architectures"][k];
        assert_eq!(r["name"], a["name"]);
        assert_eq!(r["rto_p95_s"], a["rto_s"]["p95"]);
        assert_eq!(r["rpo_p95_s"], a["rpo_s"]["p95"]);
        assert_eq!(r["data_loss_events_per_year"].as_f64(), Some(rate(k)));
        let difference = r["data_loss_difference"].as_f64().unwrap();
        assert!((difference - (rate(k) - rate(0))).abs() < 1e-9, "{difference} vs {} - {}", rate(k), rate(0));
        let (lo, hi) = ci(&r["data_loss_ci95_paired"]);
        assert!(lo <= difference && difference <= hi);
    }
    // Every failover to the asynchronous replica loses its lag: pilot light loses data more often.
    let (lo, _) = ci(&compared["recovery"][1]["data_loss_ci95_paired"]);
    assert!(lo > 0.0, "{compared:#}");
}

#[test]
fn the_same_arguments_give_the_same_bytes_on_any_thread_count() {
    let one = compare(&[FIXTURE, "--threads", "1", "-q"]);
    let two = compare(&[FIXTURE, "--threads", "2", "-q"]);
    assert_eq!(one, two);
    assert!(one.1.contains("(baseline)"));
    // The run line under the title records what was run.
    let (_, table) = compare(&[FIXTURE, "--replications", "40", "--seed", "3", "--horizon", "1y", "-q"]);
    assert_eq!(table.lines().nth(1), Some("40 replications x 1y, seed 3, stream v2"), "{table}");
}

#[test]
fn an_unknown_baseline_is_an_error() {
    assert_eq!(compare(&[FIXTURE, "--baseline", "pairr", "-q"]).0, 2);
}

#[test]
fn cutsets_lists_single_points_of_failure_first() {
    let out = harness::command()
        .args(["cutsets", "scenarios/three-tier.ron", "--arch", "three-az", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cuts: Vec<Vec<String>> = serde_json::from_value(v["cut_sets"].clone()).unwrap();
    // The database is a standby pair across use1-az1 and use1-az2: losing both members, or one
    // and the other's AZ, or both AZs.
    let expected: [&[&str]; 6] = [
        &["alb"],
        &["use1"],
        &["db", "db-standby"],
        &["db", "use1-az2"],
        &["db-standby", "use1-az1"],
        &["use1-az1", "use1-az2"],
    ];
    assert_eq!(cuts, expected);
    let two = harness::command().args(["cutsets", "scenarios/three-tier.ron"]).output().unwrap();
    assert_eq!(two.status.code(), Some(2), "two architectures need --arch");
}

#[test]
fn sweep_reports_spofs_including_failover_delays() {
    let out = harness::command()
        .args(["sweep", "scenarios/database-multi-az.ron", "--arch", "multi-az", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arch = &v["architectures"][0];
    let spofs: Vec<String> = serde_json::from_value(arch["spofs"].clone()).unwrap();
    assert!(spofs.contains(&"db-a".to_string()), "the primary's failover takes a switch time: {spofs:?}");
    let first = &arch["injections"][0];
    assert_eq!(first["targets"][0], "use1", "sorted by impact: {first}");
    let db_a = arch["injections"].as_array().unwrap().iter().find(|o| o["targets"][0] == "db-a").unwrap();
    assert_eq!(db_a["ended_by"], "failover");
    let pairs = harness::command()
        .args([
            "sweep",
            "scenarios/database-multi-az.ron",
            "--arch",
            "multi-az",
            "--order",
            "2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&pairs.stdout).unwrap();
    assert_eq!(
        v["architectures"][0]["injections"].as_array().unwrap().len(),
        5 + 10,
        "5 singles and 10 pairs"
    );
}

#[test]
fn sweep_takes_threads_and_refuses_the_options_that_do_not_apply() {
    // dr-strategies has standby groups and datasets, so most injections are simulated.
    let sweep = |threads: &str| {
        let args = [
            "sweep",
            "scenarios/dr-strategies.ron",
            "--order",
            "2",
            "--format",
            "json",
            "--threads",
            threads,
        ];
        let run = harness::faultline(&args);
        assert_eq!(run.exit_code(), 0, "{}", run.stderr);
        run.stdout
    };
    let one = sweep("1");
    assert!(one.contains("\"injections\""), "{one}");
    assert_eq!(sweep("3"), one, "the same sweep on any number of threads");
    for option in [["--seed", "3"], ["--replications", "10"], ["--horizon", "1y"]] {
        let run = harness::faultline(&["sweep", "scenarios/dr-strategies.ron", option[0], option[1]]);
        assert_eq!(run.exit_code(), 2, "{option:?}");
        assert_eq!(
            run.stderr,
            "scenarios/dr-strategies.ron: error: sweep runs each injection once, random failures off: --seed, --replications, --horizon, --precision, --max-replications and --method do not apply\n  = hint: --duration sets how long each injection lasts; --threads is the one run option sweep takes\n"
        );
        assert!(run.stdout.is_empty());
    }
}
