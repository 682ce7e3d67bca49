//! `faultline run` as a user runs it: the debug binary on the bundled scenarios and on
//! fixtures in `tests/fixtures/run/`, checking exit codes, the table, the JSON contract of
//! DESIGN.md "Outputs" and "Statistics", and the errors. Every seed is fixed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;
use sha2::{Digest, Sha256};

use faultline::model::{System, compile_str};
use faultline::rng::STREAM_VERSION;

use crate::harness::{self, Run, faultline};

// ---------------------------------------------------------------------------------------------
// Harness

/// `faultline run ARGS -q`, which must exit 0.
fn run_ok(args: &[&str]) -> Run {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.push("-q");
    let run = faultline(&all);
    assert_eq!(run.code, Some(0), "faultline {all:?}:\n{}", run.stderr);
    run
}

/// `faultline run ARGS --format json -q`, parsed.
fn run_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = run_ok(&all);
    assert!(run.stdout.ends_with("}\n"), "JSON ends with a newline:\n{}", run.stdout);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout))
}

/// A run that must fail with exit code 2 and print nothing on stdout.
fn run_bad(args: &[&str]) -> Run {
    let run = faultline(args);
    assert_eq!(
        run.code,
        Some(2),
        "faultline {args:?} should exit 2:\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stdout.is_empty(), "faultline {args:?} printed on stdout:\n{}", run.stdout);
    run
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled scenarios, relative to the crate root, sorted.
fn bundled() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_str().unwrap()))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "bundled scenarios: {files:?}");
    files
}

fn compile(file: &str) -> System {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    compile_str(&text).unwrap_or_else(|d| panic!("{file}: {d:#?}")).system
}

/// Replications that keep a debug run fast: the 1,500-instance benchmark gets a handful.
fn replications_for(system: &System) -> u64 {
    let components: usize = system.architectures.iter().map(|a| a.components.len()).sum();
    if components > 200 { 4 } else { 150 }
}

const HOURS_PER_YEAR: f64 = 8760.0;

/// Relative closeness for derived numbers (the report computes them in another order).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

// ---------------------------------------------------------------------------------------------
// The JSON contract

fn num(v: &Value, path: &str) -> f64 {
    let x = v.as_f64().unwrap_or_else(|| panic!("{path}: not a number: {v}"));
    assert!(x.is_finite(), "{path}: {x}");
    x
}

fn int(v: &Value, path: &str) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("{path}: not a non-negative integer: {v}"))
}

/// A number or null.
fn opt(v: &Value, path: &str) -> Option<f64> {
    (!v.is_null()).then(|| num(v, path))
}

/// `v` is an object with at least `keys`.
fn has_keys(v: &Value, path: &str, keys: &[&str]) {
    let object = v.as_object().unwrap_or_else(|| panic!("{path}: not an object: {v}"));
    for k in keys {
        assert!(object.contains_key(*k), "{path}: no key `{k}` in {v}");
    }
}

/// Every number anywhere in `v` is finite.
fn all_finite(v: &Value, path: &str) {
    match v {
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path}: {n}"),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, x)| all_finite(x, &format!("{path}[{i}]")))
        }
        Value::Object(map) => map.iter().for_each(|(k, x)| all_finite(x, &format!("{path}.{k}"))),
        _ => {}
    }
}

/// Checks the header and every architecture of a `run --format json` report.
fn check_report(report: &Value, file: &str, system: &System, replications: u64) {
    all_finite(report, "$");
    has_keys(
        report,
        "$",
        &[
            "schema",
            "faultline",
            "stream_version",
            "scenario",
            "seed",
            "replications",
            "horizon_h",
            "random",
            "overrides",
            "architectures",
        ],
    );
    assert_eq!(report["schema"], 1);
    assert_eq!(report["faultline"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["stream_version"], STREAM_VERSION);
    assert_eq!(report["scenario"]["name"], system.name.as_str());
    let sha = report["scenario"]["sha256"].as_str().expect("scenario.sha256 is a string");
    assert!(
        sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "sha256 {sha}"
    );
    let bytes = std::fs::read(root().join(file)).unwrap();
    let want: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(sha, want, "sha256 of {file}");
    assert_eq!(report["replications"], replications);
    assert_eq!(report["random"], system.random);
    assert!(report["overrides"].is_object());
    let horizon_h = num(&report["horizon_h"], "horizon_h");
    assert_eq!(horizon_h, system.horizon.0 as f64 / 3_600_000.0);
    let years = replications as f64 * horizon_h / HOURS_PER_YEAR;

    let archs = report["architectures"].as_array().expect("architectures is an array");
    for (a, arch) in archs.iter().zip(&system.architectures) {
        let (crude, crude_years) = crude_view(a, horizon_h, years);
        check_architecture(&crude, crude_years, arch);
    }
}

/// A design as its crude run gave it, and that run's simulated years: itself (with a
/// precision, over the replications it ran), or, for a design whose availability came from
/// the rare-event method, the crude run beside it, once the rare figures are checked to agree
/// with each other.
fn crude_view(a: &Value, horizon_h: f64, years: f64) -> (Value, f64) {
    let name = a["name"].as_str().expect("name is a string");
    let e = &a["estimator"];
    if e["method"] != "rare" {
        let n = a["precision"]["replications"].as_u64();
        return (a.clone(), n.map_or(years, |n| n as f64 * horizon_h / HOURS_PER_YEAR));
    }
    // The rare figures: one unavailability behind availability, nines and downtime; the
    // precision counts cycles.
    let mean = num(&a["availability"]["mean"], name);
    let u = 1.0 - mean;
    assert_eq!(a["availability"]["ci_method"], "regenerative", "{name}");
    let nines = num(&a["nines"], name);
    assert!((nines - -libm::log10(u)).abs() <= 1e-4, "{name}: nines {nines} vs U {u}");
    let downtime = num(&a["downtime_min_per_year"], name);
    assert!((downtime / (u * HOURS_PER_YEAR * 60.0) - 1.0).abs() <= 1e-4, "{name}: downtime {downtime}");
    assert_eq!(a["precision"]["replications"], e["rare"]["cycles"], "{name}");
    assert_eq!(a["precision"]["reached"], e["relative_half_width"], "{name}");
    let per_year = num(&a["incidents_per_year"], name);
    let ci = &e["rare"]["incidents_per_year_ci95"];
    assert!(
        num(&ci[0], name) <= per_year && per_year <= num(&ci[1], name),
        "{name}: {per_year} outside {ci}"
    );
    // The crude run, seen as a report of its own.
    let crude = &e["crude"];
    let n = crude["replications"].as_u64().expect("crude.replications");
    let years = n as f64 * horizon_h / HOURS_PER_YEAR;
    let mean = num(&crude["availability"]["mean"], name);
    let lo = num(&crude["availability"]["ci95"][0], name);
    let mut v = a.clone();
    v["availability"] = crude["availability"].clone();
    v["planned"]["availability_unplanned"] = crude["availability"].clone();
    v["nines"] = if mean < 1.0 { serde_json::json!(-libm::log10(1.0 - mean)) } else { Value::Null };
    v["downtime_min_per_year"] = serde_json::json!((1.0 - mean) * HOURS_PER_YEAR * 60.0);
    v["incidents_per_year"] = crude["incidents_per_year"].clone();
    let none = a["incidents"].as_u64() == Some(0);
    v["incidents_per_year_upper95"] = if none { serde_json::json!(3.0 / years) } else { Value::Null };
    for k in ["availability", "availability_unplanned"] {
        if let Some(target) = a["objectives"][k]["target"].as_f64() {
            v["objectives"][k]["met"] = Value::Bool(lo >= target);
        }
    }
    (v, years)
}

fn check_architecture(a: &Value, years: f64, arch: &faultline::model::Architecture) {
    let name = a["name"].as_str().expect("name is a string");
    let at = |field: &str| format!("{name}.{field}");
    has_keys(
        a,
        name,
        &[
            "name",
            "availability",
            "nines",
            "downtime_min_per_year",
            "incidents_per_year",
            "incidents_per_year_upper95",
            "rto_s",
            "objectives",
            "problems",
            "events",
        ],
    );
    // Availability and its CI.
    let av = &a["availability"];
    has_keys(av, &at("availability"), &["mean", "ci95", "ci_method", "ci_reliable"]);
    let mean = num(&av["mean"], &at("availability.mean"));
    let ci = av["ci95"].as_array().expect("ci95 is an array");
    assert_eq!(ci.len(), 2, "{name}: ci95 {ci:?}");
    let (lo, hi) = (num(&ci[0], &at("ci95[0]")), num(&ci[1], &at("ci95[1]")));
    assert!(0.0 <= lo && lo <= mean && mean <= hi && hi <= 1.0, "{name}: ci95 [{lo}, {hi}] around {mean}");
    let method = av["ci_method"].as_str().expect("ci_method is a string");
    assert!(method == "student-t" || method == "degenerate", "{name}: ci_method {method}");
    if method == "degenerate" {
        assert_eq!((lo, hi), (mean, mean), "{name}: a degenerate CI is the mean");
        assert_eq!(av["ci_reliable"], false, "{name}: a degenerate CI is not reliable");
    }
    assert!(av["ci_reliable"].is_boolean());

    // Nines, downtime and incidents agree with the mean.
    let nines = opt(&a["nines"], &at("nines"));
    let downtime = num(&a["downtime_min_per_year"], &at("downtime_min_per_year"));
    let per_year = num(&a["incidents_per_year"], &at("incidents_per_year"));
    // Planned maintenance: part of the downtime; the availability without it is at least the
    // availability, and its mean adds the planned downtime back.
    let planned = &a["planned"];
    has_keys(
        planned,
        &at("planned"),
        &["downtime_min_per_year", "outages_per_year", "outages", "availability_unplanned"],
    );
    let planned_downtime = num(&planned["downtime_min_per_year"], &at("planned.downtime_min_per_year"));
    assert!(
        (0.0..=downtime * (1.0 + 1e-12)).contains(&planned_downtime),
        "{name}: planned {planned_downtime}"
    );
    assert_eq!(int(&planned["outages"], &at("planned.outages")) == 0, planned_downtime == 0.0, "{name}");
    let unplanned_mean =
        num(&planned["availability_unplanned"]["mean"], &at("planned.availability_unplanned.mean"));
    let minutes_per_year = HOURS_PER_YEAR * 60.0;
    assert!(
        (unplanned_mean - (mean + planned_downtime / minutes_per_year)).abs() <= 1e-9,
        "{name}: unplanned availability {unplanned_mean} vs {mean} + planned {planned_downtime} min/yr"
    );
    // Degraded capacity: reported iff a group declares `full`; time up, so within the year.
    let declared = arch.components.iter().any(|c| c.full.is_some());
    assert_eq!(a["degraded"].is_null(), !declared, "{name}: degraded");
    if declared {
        has_keys(&a["degraded"], &at("degraded"), &["minutes_per_year", "episodes_per_year", "episodes"]);
        let degraded = num(&a["degraded"]["minutes_per_year"], &at("degraded.minutes_per_year"));
        assert!((0.0..=HOURS_PER_YEAR * 60.0 - downtime).contains(&degraded), "{name}: degraded {degraded}");
        let episodes = int(&a["degraded"]["episodes"], &at("degraded.episodes"));
        assert_eq!(episodes == 0, degraded == 0.0, "{name}: episodes {episodes}, {degraded} min/yr");
    }
    let upper = opt(&a["incidents_per_year_upper95"], &at("incidents_per_year_upper95"));
    if mean < 1.0 {
        let want = -libm::log10(1.0 - mean);
        assert!(
            nines.is_some_and(|n| (n - want).abs() <= 1e-9 * want),
            "{name}: nines {nines:?}, want {want}"
        );
        assert!(per_year > 0.0, "{name}: downtime without incidents");
    } else {
        assert_eq!(nines, None, "{name}: no downtime, no nines");
        assert_eq!(downtime, 0.0, "{name}");
    }
    assert!(
        (downtime - (1.0 - mean) * HOURS_PER_YEAR * 60.0).abs() <= 1e-6 * downtime.max(1.0),
        "{name}: downtime {downtime} min/yr vs availability {mean}"
    );
    if per_year == 0.0 {
        assert_eq!(upper, Some(3.0 / years), "{name}: no incident: upper bound 3 / (replications x years)");
    } else {
        assert_eq!(upper, None, "{name}: the upper bound is only for zero incidents");
    }

    // RTO quantiles: all or none, ordered.
    let rto = &a["rto_s"];
    has_keys(rto, &at("rto_s"), &["p50", "p95", "p99", "max", "within_objective", "censored"]);
    let q: Vec<Option<f64>> =
        ["p50", "p95", "p99", "max"].iter().map(|k| opt(&rto[*k], &at(&format!("rto_s.{k}")))).collect();
    let censored = int(&rto["censored"], &at("rto_s.censored"));
    let rto_max = q[3];
    if q.iter().all(Option::is_some) {
        let q: Vec<f64> = q.into_iter().flatten().collect();
        assert!(q[0] > 0.0 && q.windows(2).all(|w| w[0] <= w[1]), "{name}: rto_s not ordered: {q:?}");
    } else {
        assert!(q.iter().all(Option::is_none), "{name}: rto_s partly null: {q:?}");
        assert!(
            opt(&rto["within_objective"], &at("rto_s.within_objective")).is_none(),
            "{name}: share of nothing"
        );
        assert!(per_year == 0.0 || censored > 0, "{name}: incidents but no RTO");
    }
    if let Some(share) = opt(&rto["within_objective"], &at("rto_s.within_objective")) {
        assert!((0.0..=1.0).contains(&share), "{name}: within_objective {share}");
    }

    // The RTO histogram: the uncensored incidents, whose nearest-rank bucket means are the
    // quantiles above and whose max is the max.
    let h = &a["histograms"]["rto_ms"];
    has_keys(h, &at("histograms.rto_ms"), &["count", "max", "buckets"]);
    let buckets: Vec<[u128; 3]> = h["buckets"]
        .as_array()
        .expect("buckets is an array")
        .iter()
        .map(|b| {
            let b: Vec<u128> = b.as_array().unwrap().iter().map(|v| v.as_u64().unwrap().into()).collect();
            [b[0], b[1], b[2]]
        })
        .collect();
    let count = int(&h["count"], &at("histograms.rto_ms.count"));
    assert_eq!(u128::from(count), buckets.iter().map(|b| b[1]).sum::<u128>(), "{name}: rto_ms count");
    assert_eq!(
        count,
        int(&a["incidents"], &at("incidents")) - censored,
        "{name}: rto_ms counts the uncensored"
    );
    let at_rank = |rank: u128| {
        let mut seen = 0;
        buckets.iter().find(|b| {
            seen += b[1];
            seen >= rank
        })
    };
    for (k, p) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
        let want = opt(&rto[k], &at(k));
        let rank = (libm::ceil(p * count as f64) as u128).max(1);
        let got = (count > 0).then(|| at_rank(rank).map(|b| b[2] as f64 / b[1] as f64 / 1000.0)).flatten();
        assert_eq!(got, want, "{name}: rto_s.{k} from the histogram");
    }
    if count > 0 {
        assert_eq!(Some(int(&h["max"], "max") as f64 / 1000.0), rto_max, "{name}: rto max");
    }

    // Objectives: a verdict exactly when there is a target.
    let obj = &a["objectives"];
    has_keys(obj, &at("objectives"), &["availability", "availability_unplanned", "rto"]);
    for k in ["availability", "availability_unplanned", "rto"] {
        let o = &obj[k];
        has_keys(o, &at(&format!("objectives.{k}")), &["target", "met"]);
        assert_eq!(o["target"].is_null(), o["met"].is_null(), "{name}: objectives.{k}: {o}");
        assert!(o["met"].is_null() || o["met"].is_boolean(), "{name}: objectives.{k}: {o}");
    }
    if let Some(target) = opt(&obj["availability"]["target"], &at("objectives.availability.target")) {
        assert_eq!(obj["availability"]["met"], lo >= target, "{name}: met iff CI low {lo} >= {target}");
    }
    if let Some(target) =
        opt(&obj["availability_unplanned"]["target"], &at("objectives.availability_unplanned.target"))
    {
        let lo =
            num(&planned["availability_unplanned"]["ci95"][0], &at("planned.availability_unplanned.ci95[0]"));
        assert_eq!(
            obj["availability_unplanned"]["met"],
            lo >= target,
            "{name}: met iff CI low {lo} >= {target}"
        );
    }
    if let (Some(target), Some(p95)) = (opt(&obj["rto"]["target"], "rto.target"), q_p95(rto)) {
        assert_eq!(obj["rto"]["met"], p95 <= target, "{name}: met iff p95 {p95} <= {target}");
    }

    // Problems: by downtime descending, then cause; they add up to the downtime.
    let problems = a["problems"].as_array().expect("problems is an array");
    let mut total_h = 0.0;
    let mut total_incidents = 0;
    for (i, p) in problems.iter().enumerate() {
        let at = at(&format!("problems[{i}]"));
        has_keys(p, &at, &["cause", "incidents", "downtime_h"]);
        let cause = p["cause"].as_str().expect("cause is a string");
        // `<component>/<mode>`: a built-in mode, or one of the component's failure modes
        // (random, or injected as `injected-<mode>`).
        let (component, mode) = cause.rsplit_once('/').expect("cause is component/mode");
        let c =
            arch.components.iter().find(|c| c.name == component).unwrap_or_else(|| panic!("{at}: {cause}"));
        let named = c.modes.iter().any(|m| mode == m.name || mode == format!("injected-{}", m.name));
        assert!(
            named
                || ["failure", "injected", "maintenance", "start-failure", "failback", "battery-empty"]
                    .contains(&mode),
            "{at}: cause {cause}"
        );
        let n = int(&p["incidents"], &at);
        assert!(n > 0, "{at}: a problem without incidents");
        total_incidents += n;
        total_h += num(&p["downtime_h"], &at);
    }
    for w in problems.windows(2) {
        let (a, b) = (num(&w[0]["downtime_h"], "downtime_h"), num(&w[1]["downtime_h"], "downtime_h"));
        let (ca, cb) = (w[0]["cause"].as_str().unwrap(), w[1]["cause"].as_str().unwrap());
        assert!(
            a > b || (a == b && ca < cb),
            "{name}: problems out of order: {ca} ({a} h) before {cb} ({b} h)"
        );
    }
    // Planned outages are no problem's.
    let downtime_h = (downtime - planned_downtime) / 60.0 * years;
    assert!(
        (total_h - downtime_h).abs() <= 1e-6 * downtime_h.max(1.0),
        "{name}: problems {total_h} h vs {downtime_h} h"
    );
    // Importance: every component that can fail or caused downtime, once; each one's share is
    // the downtime of the problems it caused; Birnbaum importance is a probability, exact
    // (no standard error) or an estimate (with one); by share, then Birnbaum, then name.
    let method = a["birnbaum_method"].as_str().expect("birnbaum_method is a string");
    assert!(["exact", "estimate"].contains(&method), "{name}: birnbaum_method {method}");
    let ranked = a["importance"].as_array().expect("importance is an array");
    let listed: Vec<&str> = ranked.iter().map(|e| e["component"].as_str().unwrap()).collect();
    for c in &arch.components {
        let caused =
            problems.iter().any(|p| p["cause"].as_str().unwrap().rsplit_once('/').unwrap().0 == c.name);
        let times = listed.iter().filter(|&&l| l == c.name).count();
        assert_eq!(times, usize::from(c.can_fail() || caused), "{name}: {} listed {times} times", c.name);
    }
    for (i, entry) in ranked.iter().enumerate() {
        let component = entry["component"].as_str().unwrap();
        let caused: f64 = problems
            .iter()
            .filter(|p| p["cause"].as_str().unwrap().rsplit_once('/').unwrap().0 == component)
            .map(|p| num(&p["downtime_h"], "downtime_h"))
            .sum();
        let share = num(&entry["downtime_share"], "downtime_share");
        let want = if total_h > 0.0 { caused / total_h } else { 0.0 };
        assert!((share - want).abs() <= 1e-9, "{name}: {component} share {share} vs {caused} / {total_h} h");
        let birnbaum = num(&entry["birnbaum"], "birnbaum");
        assert!((0.0..=1.0).contains(&birnbaum), "{name}: {component} Birnbaum {birnbaum}");
        assert_eq!(entry["birnbaum_se"].is_null(), method == "exact", "{name}: {component} birnbaum_se");
        if i > 0 {
            let before = &ranked[i - 1];
            let key = |e: &Value| (num(&e["downtime_share"], "share"), num(&e["birnbaum"], "birnbaum"));
            let (a, b) = (key(before), key(entry));
            let in_order = a.0 > b.0
                || (a.0 == b.0
                    && (a.1 > b.1 || (a.1 == b.1 && before["component"].as_str().unwrap() < component)));
            assert!(in_order, "{name}: importance out of order at {component}");
        }
    }
    if let Some(incidents) = a.get("incidents") {
        assert_eq!(total_incidents, int(incidents, "incidents"), "{name}: problems' incidents");
        assert!(close(per_year, int(incidents, "incidents") as f64 / years) || per_year == 0.0);
    }
    int(&a["events"], &at("events"));
}

fn q_p95(rto: &Value) -> Option<f64> {
    rto["p95"].as_f64()
}

// ---------------------------------------------------------------------------------------------
// Bundled scenarios

#[test]
fn every_bundled_scenario_prints_a_table() {
    for file in bundled() {
        let system = compile(&file);
        let n = replications_for(&system).to_string();
        let run = run_ok(&[&file, "--replications", &n, "--seed", "3"]);
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines[0], system.name, "{file}: the first line is the scenario name");
        let random = if system.random { "" } else { ", random failures off" };
        let replications = match system.precision {
            None => format!("{n} replications"),
            Some(p) => format!(
                "{n} to {} replications (until ±{:.2}% of the unavailability)",
                p.max_replications,
                p.relative * 100.0
            ),
        };
        assert_eq!(
            lines[1],
            format!("{replications} x {}, seed 3{random}, stream v{STREAM_VERSION}", system.horizon),
            "{file}: header line"
        );
        let columns = lines.iter().position(|l| l.starts_with("architecture ")).expect("a column header");
        for h in
            ["availability", "95% CI", "nines", "downtime/yr", "incidents/yr", "RTO p50", "p95", "p99", "max"]
        {
            assert!(lines[columns].contains(h), "{file}: column {h} in {:?}", lines[columns]);
        }
        for (k, arch) in system.architectures.iter().enumerate() {
            let row = lines[columns + 1 + k];
            assert!(row.starts_with(&format!("{} ", arch.name)), "{file}: row {k} is {}: {row:?}", arch.name);
            assert!(row.contains('%'), "{file}: {row:?}");
        }
        let not_finite = |w: &&str| matches!(w.trim_matches(|c| "[],%*".contains(c)), "NaN" | "inf" | "-inf");
        let odd = run.stdout.split_whitespace().find(not_finite);
        assert_eq!(odd, None, "{file}: a number that is not finite:\n{}", run.stdout);
    }
}

#[test]
fn every_bundled_scenario_gives_json_with_the_design_keys() {
    for file in bundled() {
        let system = compile(&file);
        let n = replications_for(&system);
        let report = run_json(&[&file, "--replications", &n.to_string(), "--seed", "11"]);
        check_report(&report, &file, &system, n);
        assert_eq!(report["seed"], 11);
        let names: Vec<&str> =
            report["architectures"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        let want: Vec<&str> = system.architectures.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, want, "{file}: architectures in file order");
    }
}

#[test]
fn a_report_with_incidents_has_every_statistic() {
    // The injection takes use1-az1 down in every replication: single-az always has incidents.
    let file = "scenarios/web-single-vs-multi-az.ron";
    let report = run_json(&[file, "--replications", "200", "--seed", "5"]);
    check_report(&report, file, &compile(file), 200);
    let single = &report["architectures"][0];
    assert_eq!(single["name"], "single-az");
    assert!(single["nines"].as_f64().is_some());
    assert!(single["rto_s"]["p95"].as_f64().is_some());
    assert!(single["rto_s"]["within_objective"].as_f64().is_some(), "the scenario has an RTO objective");
    let problems = single["problems"].as_array().unwrap();
    assert!(problems.len() >= 3, "{problems:?}");
    let injected =
        problems.iter().find(|p| p["cause"] == "use1-az1/injected").expect("the injection is a problem");
    // 6 h in every replication, unless a random failure was already down then.
    let downtime = injected["downtime_h"].as_f64().unwrap();
    assert!(injected["incidents"].as_u64().unwrap() <= 200 && downtime <= 200.0 * 6.0 + 1e-9, "{injected}");
    assert!(downtime >= 150.0 * 6.0, "{injected}");
}

#[test]
fn birnbaum_importance_in_the_json_is_exact() {
    // multi-az: web-1 (in AZ 1) is critical iff the region, the ALB and AZ 1 are up and web-2
    // or AZ 2 (alike, in AZ 2) is down; each with its MTTF / (MTTF + MTTR) from the file.
    let file = "scenarios/web-single-vs-multi-az.ron";
    let report = run_json(&[file, "--replications", "20", "--arch", "multi-az"]);
    let a = &report["architectures"][0];
    assert_eq!(a["birnbaum_method"], "exact");
    let ib = |c: &str| {
        let entries = a["importance"].as_array().unwrap();
        let e = entries.iter().find(|e| e["component"] == c).unwrap_or_else(|| panic!("{c} not listed"));
        assert!(e["birnbaum_se"].is_null(), "{c}: an exact value has no standard error");
        num(&e["birnbaum"], c)
    };
    let avail = |mttf_h: f64, mttr_h: f64| mttf_h / (mttf_h + mttr_h);
    let (web, alb) = (avail(8760.0, (65.0 + 630.0) / 3600.0), avail(8760.0, 1.0));
    let (az, region) = (avail(43800.0, 22.3), avail(31000.0, 13.3));
    let want = region * alb * az * (1.0 - web * az);
    assert_eq!(
        ib("web-1").to_bits(),
        ib("web-2").to_bits(),
        "web-1 {} vs web-2 {}",
        ib("web-1"),
        ib("web-2")
    );
    assert!((ib("web-1") - want).abs() <= 1e-12, "web-1 {} vs {want}", ib("web-1"));
}

#[test]
fn json_does_not_depend_on_the_file_name_but_on_its_content() {
    let file = "scenarios/web-single-vs-multi-az.ron";
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_run");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("copy.ron");
    std::fs::write(&copy, &text).unwrap();
    let commented = dir.join("commented.ron");
    std::fs::write(&commented, format!("{text}// one more comment\n")).unwrap();
    let args = |f: &str| run_ok(&[f, "--replications", "50", "--seed", "8", "--format", "json"]).stdout;
    let original = args(file);
    assert_eq!(args(copy.to_str().unwrap()), original, "same bytes under another name");
    // Another content: another sha256, same simulation.
    let other: Value = serde_json::from_str(&args(commented.to_str().unwrap())).unwrap();
    let original: Value = serde_json::from_str(&original).unwrap();
    assert_ne!(other["scenario"]["sha256"], original["scenario"]["sha256"]);
    assert_eq!(other["architectures"], original["architectures"]);
}

// ---------------------------------------------------------------------------------------------
// Overrides and --arch

#[test]
fn overrides_are_recorded_in_the_header() {
    let file = "scenarios/web-single-vs-multi-az.ron";
    let args = [file, "--seed", "7", "--replications", "20", "--horizon", "2y", "--arch", "multi-az"];
    let report = run_json(&args);
    assert_eq!(
        report["overrides"],
        serde_json::json!({"seed": 7, "replications": 20, "horizon": "2y", "arch": ["multi-az"]}),
    );
    assert_eq!(report["seed"], 7);
    assert_eq!(report["replications"], 20);
    assert_eq!(report["horizon_h"].as_f64(), Some(17520.0));
    let archs = report["architectures"].as_array().unwrap();
    assert_eq!(archs.len(), 1);
    assert_eq!(archs[0]["name"], "multi-az");
    let system = compile(file);
    let arch = system.architectures.iter().find(|a| a.name == "multi-az").unwrap();
    check_architecture(&archs[0], 20.0 * 2.0, arch);

    let table = run_ok(&args).stdout;
    assert_eq!(table.lines().nth(1), Some("20 replications x 2y, seed 7, stream v2"), "{table}");
}

#[test]
fn without_overrides_the_header_has_the_scenario_values() {
    // --threads and -q do not change the results, so they are not overrides.
    let file = "scenarios/single-instance.ron";
    let system = compile(file);
    let report = run_json(&[file, "--threads", "1"]);
    assert_eq!(report["overrides"], serde_json::json!({}));
    assert_eq!(report["seed"], system.seed);
    assert_eq!(report["replications"], system.replications);
    assert_eq!(report["horizon_h"].as_f64(), Some(87600.0));
    check_report(&report, file, &system, system.replications);
}

#[test]
fn unknown_architecture_exits_2_with_a_hint() {
    let file = "scenarios/web-single-vs-multi-az.ron";
    let run = run_bad(&["run", file, "--arch", "multi-a", "-q"]);
    assert!(run.stderr.contains("no architecture named `multi-a`"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `multi-az`?"), "{}", run.stderr);
    assert!(run.stderr.contains(file), "the error names the file: {}", run.stderr);

    let run = run_bad(&["run", file, "--arch", "kubernetes", "-q"]);
    assert!(run.stderr.contains("no architecture named `kubernetes`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("single-az") && run.stderr.contains("multi-az"),
        "lists the choices: {}",
        run.stderr
    );

    // One bad name among good ones is still an error.
    let run = run_bad(&["run", file, "--arch", "single-az", "--arch", "singel-az", "-q"]);
    assert!(run.stderr.contains("did you mean `single-az`?"), "{}", run.stderr);
}

#[test]
fn arch_selects_only_that_architecture() {
    let file = "scenarios/web-single-vs-multi-az.ron";
    let common = [file, "--replications", "100", "--seed", "4"];
    let table = run_ok(&[&common[..], &["--arch", "multi-az"]].concat()).stdout;
    assert!(table.contains("multi-az"), "{table}");
    assert!(!table.contains("single-az"), "{table}");

    // The selected architecture's numbers are the ones it gets in a full run.
    let full = run_json(&common);
    let only = run_json(&[&common[..], &["--arch", "multi-az"]].concat());
    assert_eq!(only["architectures"].as_array().unwrap().len(), 1);
    assert_eq!(only["architectures"][0], full["architectures"][1]);

    // Several --arch: file order, whatever the order on the command line.
    let both = run_json(&[&common[..], &["--arch", "multi-az", "--arch", "single-az"]].concat());
    assert_eq!(both["architectures"], full["architectures"]);
}

// ---------------------------------------------------------------------------------------------
// Zero incidents

const NO_FAILURES: &str = "tests/fixtures/run/no_failures.ron";

#[test]
fn no_random_failures_and_no_injection_is_always_up() {
    let system = compile(NO_FAILURES);
    assert!(!system.random);
    let report = run_json(&[NO_FAILURES, "--replications", "40"]);
    check_report(&report, NO_FAILURES, &system, 40);
    assert_eq!(report["random"], false);
    let archs = report["architectures"].as_array().unwrap();
    assert_eq!(archs.len(), 2);
    for a in archs {
        let name = &a["name"];
        assert_eq!(a["availability"]["mean"].as_f64(), Some(1.0), "{name}");
        assert_eq!(a["availability"]["ci95"], serde_json::json!([1.0, 1.0]), "{name}");
        assert_eq!(a["availability"]["ci_method"], "degenerate", "{name}");
        assert_eq!(a["availability"]["ci_reliable"], false, "{name}");
        assert!(a["nines"].is_null(), "{name}");
        assert_eq!(a["downtime_min_per_year"].as_f64(), Some(0.0), "{name}");
        assert_eq!(a["incidents_per_year"].as_f64(), Some(0.0), "{name}");
        // 3 / (40 replications x 1 year)
        assert_eq!(a["incidents_per_year_upper95"].as_f64(), Some(3.0 / 40.0), "{name}");
        for k in ["p50", "p95", "p99", "max", "within_objective"] {
            assert!(a["rto_s"][k].is_null(), "{name}: rto_s.{k} = {}", a["rto_s"][k]);
        }
        assert_eq!(a["rto_s"]["censored"], 0, "{name}");
        assert_eq!(a["problems"], serde_json::json!([]), "{name}");
        assert_eq!(a["events"], 0, "{name}");
        assert_eq!(a["objectives"]["availability"]["met"], true, "{name}: CI low 1 >= 0.999");
    }

    // Another horizon scales the bound: 3 / (40 x 2 years).
    let report = run_json(&[NO_FAILURES, "--replications", "40", "--horizon", "2y"]);
    assert_eq!(report["architectures"][0]["incidents_per_year_upper95"].as_f64(), Some(3.0 / 80.0));

    let table = run_ok(&[NO_FAILURES, "--replications", "40"]).stdout;
    assert_eq!(
        table.lines().nth(1),
        Some("40 replications x 1y, seed 1, random failures off, stream v2"),
        "{table}"
    );
    for name in ["pair", "lone"] {
        let row = table.lines().find(|l| l.starts_with(&format!("{name} "))).expect("a row");
        assert!(row.contains("100.0000%"), "{row}");
        assert!(row.contains("none") && row.contains("0.075"), "the upper bound, not a rate of 0: {row}");
    }
}

#[test]
fn zero_incidents_table_says_none_observed() {
    let table = run_ok(&[NO_FAILURES, "--replications", "40"]).stdout;
    assert!(table.contains("none observed"), "{table}");
}

// ---------------------------------------------------------------------------------------------
// A scripted history with known numbers

const SCRIPTED: &str = "tests/fixtures/run/scripted_outage.ron";

#[test]
fn a_scripted_history_gives_exact_numbers() {
    // Per replication: one 3 h incident, one incident censored after 3 d, 8 own changes.
    let system = compile(SCRIPTED);
    let report = run_json(&[SCRIPTED, "--replications", "35"]);
    check_report(&report, SCRIPTED, &system, 35);
    let a = &report["architectures"][0];
    let down_h = 3.0 + 72.0;
    assert_eq!(a["availability"]["mean"].as_f64(), Some((8760.0 * 35.0 - down_h * 35.0) / (8760.0 * 35.0)));
    assert_eq!(a["availability"]["ci_method"], "degenerate", "every replication is the same");
    assert_eq!(a["replications_with_downtime"], 35);
    assert_eq!(a["downtime_min_per_year"].as_f64(), Some(down_h * 60.0));
    assert_eq!(a["incidents_per_year"].as_f64(), Some(2.0));
    assert!(a["incidents_per_year_upper95"].is_null());
    assert_eq!(a["incidents"], 70);
    for k in ["p50", "p95", "p99", "max"] {
        assert_eq!(
            a["rto_s"][k].as_f64(),
            Some(3.0 * 3600.0),
            "rto_s.{k}: the censored incident is left out"
        );
    }
    assert_eq!(a["rto_s"]["censored"], 35);
    assert_eq!(a["rto_s"]["within_objective"].as_f64(), Some(0.0), "3 h > 1 h");
    assert_eq!(a["objectives"]["rto"], serde_json::json!({"target": 3600.0, "met": false}));
    assert_eq!(a["objectives"]["availability"], serde_json::json!({"target": 0.99, "met": true}));
    assert_eq!(
        a["problems"],
        serde_json::json!([{"cause": "web-1/injected", "incidents": 70, "downtime_h": down_h * 35.0}]),
        "both incidents are charged to the failure that broke the group"
    );
    assert_eq!(a["events"], 8 * 35);

    let table = run_ok(&[SCRIPTED, "--replications", "35"]).stdout;
    assert!(table.contains("35 incident(s) open at the horizon"), "{table}");
    assert!(table.contains("MISSED <= 1h 00m (got 3h 00m)"), "{table}");
}

#[test]
fn the_table_does_not_claim_too_few_replications_saw_downtime() {
    let table = run_ok(&[SCRIPTED, "--replications", "35"]).stdout;
    assert!(
        !table.contains("fewer than 30 replications saw downtime"),
        "35 of 35 replications saw downtime:\n{table}"
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input

const SAME_OUTAGE: &str = "tests/fixtures/run/same_outage_every_replication.ron";

#[test]
fn no_too_few_replications_warning_when_every_replication_saw_downtime() {
    // Random failures on, 500 replications, each with the same 6 h outage: the CI is
    // degenerate, but 500 replications saw downtime, not fewer than 30.
    let run = run_ok(&[SAME_OUTAGE, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let a = &report["architectures"][0];
    assert_eq!(a["replications_with_downtime"], 500);
    assert_eq!(a["availability"]["ci_method"], "degenerate");
    assert!(!run.stderr.contains("saw downtime"), "500 replications saw downtime:\n{}", run.stderr);
    assert_eq!(run.stderr, "", "no warning at all");

    // With 20 replications the warning is right, and says how many saw downtime.
    let run = run_ok(&[SAME_OUTAGE, "--replications", "20"]);
    assert!(
        run.stderr.contains(
            "warning: one: only 20 replication(s) saw downtime (fewer than 30); the availability CI is not reliable"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_scenario_with_errors_exits_2_with_its_diagnostics() {
    let file = "tests/fixtures/broken/three_errors.ron";
    let run = run_bad(&["run", file, "-q"]);
    for (line, message) in
        [(7, "`2000hrs` is not a duration"), (13, "unknown component `dbb`"), (14, "dependency cycle")]
    {
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&format!("{file}:{line}:")) && l.contains(message)),
            "{file}:{line}: {message}\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    assert!(run.stderr.contains("3 errors"), "{}", run.stderr);
}

#[test]
fn a_missing_file_exits_2() {
    let run = run_bad(&["run", "scenarios/no-such-file.ron", "-q"]);
    assert!(run.stderr.contains("scenarios/no-such-file.ron"), "{}", run.stderr);
    assert!(run.stderr.contains("error"), "{}", run.stderr);
}

#[test]
fn bad_flag_values_are_rejected() {
    let file = "scenarios/single-instance.ron";
    for (flag, value) in [
        ("--replications", "0"),
        ("--replications", "-3"),
        ("--replications", "many"),
        ("--horizon", "0s"),
        ("--horizon", "0y"),
        ("--horizon", "5x"),
        ("--horizon", "10"),
        ("--horizon", "-1y"),
        ("--seed", "-1"),
        ("--threads", "two"),
        ("--format", "xml"),
    ] {
        // `--flag=value`, so that clap reads "-3" as a value, not as a flag.
        let run = run_bad(&["run", file, &format!("{flag}={value}"), "-q"]);
        assert!(
            run.stderr.contains("invalid value") && run.stderr.contains(flag),
            "{flag} {value}: {}",
            run.stderr
        );
    }
    let run = run_bad(&["run", "-q"]);
    assert!(run.stderr.contains("FILE"), "a missing FILE is a usage error: {}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Pipes, help and version

#[test]
fn a_closed_stdout_pipe_is_not_a_crash() {
    let spawn = || {
        harness::command()
            .args(["run", "scenarios/bench-tiers.ron", "--replications", "600", "--format", "json", "-q"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the faultline binary runs")
    };
    // Like `| head -c 16`: read a little, then close.
    let mut child = spawn();
    let mut head = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    assert_eq!(&head[..1], b"{");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");

    // Closed before the report is written: the write fails with a broken pipe.
    let mut child = spawn();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

/// A scenario with two small designs, and every command's arguments on it (writing into
/// `dir`), for the output tests below.
fn every_command(dir: &Path) -> Vec<Vec<String>> {
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("two.ron");
    std::fs::write(
        &file,
        r#"(name: "two", seed: 3, horizon: "1y", replications: 20,
    profiles: { "m": (fail: Exp(mean: "300h"), recover: Repair(Exp(mean: "20h"))) },
    architectures: [
        (name: "one", service: "svc", components: [(name: "a", kind: Instance, profile: "m"), (name: "svc", kind: Group, needs: Any(["a"]))]),
        (name: "two", service: "svc", components: [(name: "a", kind: Instance, profile: "m"), (name: "b", kind: Instance, profile: "m"), (name: "svc", kind: Group, needs: Any(["a", "b"]))]),
    ])"#,
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let commands: [&[&str]; 11] = [
        &["run", f, "-q"],
        &["compare", f, "-q"],
        &["report", f, "--out", &out("report")],
        &["chart", f, "--out", &out("chart")],
        &["check", f, "--baseline", &out("baselines")],
        &["trace", f, "--arch", "two"],
        &["sweep", f],
        &["cutsets", f, "--arch", "two"],
        &["validate", f],
        &["graph", f, "--arch", "two"],
        &["--version"],
    ];
    commands.iter().map(|c| c.iter().map(|a| a.to_string()).collect()).collect()
}

#[test]
fn a_full_stdout_is_an_error_in_every_command() {
    let Ok(full) = std::fs::File::options().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full here");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stdout-full");
    let _ = std::fs::remove_dir_all(&dir);
    let mut wrong = Vec::new();
    for args in every_command(&dir) {
        let output = harness::command()
            .args(&args)
            .stdout(Stdio::from(full.try_clone().unwrap()))
            .stderr(Stdio::piped())
            .output()
            .expect("the faultline binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let told = stderr.ends_with("error: cannot write to stdout: No space left on device (os error 28)\n");
        if output.status.code() != Some(2) || !told || stderr.contains("panicked") {
            wrong.push(format!("{}: exit {:?}, stderr:\n{stderr}", args[0], output.status.code()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_closed_stdout_pipe_is_not_an_error_in_any_command() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stdout-closed");
    let _ = std::fs::remove_dir_all(&dir);
    for args in every_command(&dir) {
        let mut child = harness::command()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the faultline binary runs");
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{}: {stderr}", args[0]);
        assert!(!stderr.contains("error"), "{}: {stderr}", args[0]);
    }
}

#[test]
fn help_lists_the_subcommands() {
    let run = faultline(&["--help"]);
    assert_eq!(run.code, Some(0));
    for command in ["run", "validate", "graph"] {
        assert!(
            run.stdout.lines().any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "no `{command}` in:\n{}",
            run.stdout
        );
    }
    let run = faultline(&["run", "--help"]);
    assert_eq!(run.code, Some(0));
    for flag in ["--seed", "--replications", "--horizon", "--threads", "--format", "--arch", "--quiet"] {
        assert!(run.stdout.contains(flag), "no {flag} in:\n{}", run.stdout);
    }
}

#[test]
fn version_prints_the_crate_version() {
    let run = faultline(&["--version"]);
    assert_eq!(run.code, Some(0));
    assert_eq!(run.stdout.trim(), format!("faultline {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let run = run_bad(&[]);
    assert!(run.stderr.contains("Usage"), "{}", run.stderr);
}
