//! Determinism: same scenario + same seed = same bytes, whatever `--threads` is (DESIGN rule
//! 9), and the random-stream contract of DESIGN rule 6: a component's failure times depend on
//! its name, the seed and the replication only — not on other components, not on how it
//! recovers, not on the architecture it is in (common random numbers).
//!
//! The CLI checks run the debug binary on bundled scenarios; the stream checks use the library
//! (`compile_str`, `Prepared`, `Simulator`, `Recorder`) on small inline scenarios. Every seed is
//! fixed.

use std::path::Path;

use faultline::engine::{Incident, Prepared, Recorder, RunParams, Simulator};
use faultline::model::{Architecture, System, compile_str};
use faultline::runner::{self, CHUNK};

use crate::harness;

// ---------------------------------------------------------------------------------------------
// CLI harness

/// Runs `faultline run ARGS -q` from the crate root; panics unless it exits 0. Returns stdout.
fn run(args: &[&str]) -> Vec<u8> {
    let all = [&["run"], args, &["-q"]].concat();
    let output = harness::faultline(&all);
    let stderr = output.stderr;
    assert_eq!(output.code, Some(0), "faultline run {args:?} failed:\n{stderr}");
    assert!(!output.stdout.is_empty(), "faultline run {args:?} printed nothing");
    output.stdout.into_bytes()
}

/// Asserts two outputs are the same bytes; on failure shows the first differing line.
fn assert_same_bytes(a: &[u8], b: &[u8], what: &str) {
    if a == b {
        return;
    }
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let diff = a.lines().zip(b.lines()).enumerate().find(|(_, (x, y))| x != y);
    match diff {
        Some((i, (x, y))) => panic!("{what}: outputs differ at line {}:\n  {x}\n  {y}", i + 1),
        None => {
            panic!("{what}: outputs differ in length ({} vs {} lines)", a.lines().count(), b.lines().count())
        }
    }
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(bytes)))
}

/// More replications than two runner chunks, and not a multiple of a chunk.
const ACROSS_CHUNKS: u64 = 2 * CHUNK + 76;

// ---------------------------------------------------------------------------------------------
// 1. Same scenario + seed: same bytes.

#[test]
fn same_scenario_and_seed_give_the_same_json_bytes() {
    for scenario in ["scenarios/three-tier.ron", "scenarios/web-single-vs-multi-az.ron"] {
        let args = [scenario, "--seed", "2024", "--replications", "200", "--format", "json"];
        let first = run(&args);
        let second = run(&args);
        assert_same_bytes(&first, &second, scenario);
        // Not vacuous: the report has incidents, so the bytes carry random draws.
        let report = json(&first);
        for a in report["architectures"].as_array().unwrap() {
            assert!(a["incidents"].as_u64().unwrap() > 0, "{scenario}: {} saw no incident", a["name"]);
        }
    }
}

#[test]
fn same_scenario_and_seed_give_the_same_table_bytes() {
    let args = ["scenarios/three-tier.ron", "--seed", "2024", "--replications", "200"];
    assert_same_bytes(&run(&args), &run(&args), "table");
}

#[test]
fn the_scenario_path_does_not_reach_the_output() {
    // Same file, named relatively and absolutely: same bytes (the header hashes the content).
    let relative = "scenarios/web-single-vs-multi-az.ron";
    let absolute = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let absolute = absolute.to_str().expect("UTF-8 path");
    let args = |file| vec![file, "--seed", "9", "--replications", "100", "--format", "json"];
    let a = run(&args(relative));
    let b = run(&args(absolute));
    assert_same_bytes(&a, &b, "relative vs absolute path");
    let text = String::from_utf8(a).unwrap();
    assert!(!text.contains("scenarios/"), "a path leaked into the output:\n{text}");
    assert!(!text.contains(env!("CARGO_MANIFEST_DIR")), "a path leaked into the output:\n{text}");
}

// ---------------------------------------------------------------------------------------------
// 2. Any --threads: same bytes, across several runner chunks.

/// Runs `scenario` over [`ACROSS_CHUNKS`] replications with `--threads 1`, then with each of
/// `threads` ("" = no flag: one thread per core), and compares the bytes of every `format`.
fn assert_thread_count_free(scenario: &str, formats: &[&str], threads: &[&str]) {
    let replications = ACROSS_CHUNKS.to_string();
    for format in formats {
        let with = |threads: &str| {
            let mut v =
                vec![scenario, "--seed", "31337", "--replications", &replications, "--format", format];
            if !threads.is_empty() {
                v.extend(["--threads", threads]);
            }
            run(&v)
        };
        let one = with("1");
        for t in threads {
            assert_same_bytes(&one, &with(t), &format!("{scenario} {format}: --threads 1 vs {t:?}"));
        }
        if *format == "json" {
            let report = json(&one);
            assert_eq!(report["replications"], ACROSS_CHUNKS);
            for a in report["architectures"].as_array().unwrap() {
                assert!(a["incidents"].as_u64().unwrap() > 0, "{scenario}: {} saw no incident", a["name"]);
            }
        }
    }
}

#[test]
fn thread_count_does_not_change_bench_tiers() {
    assert_thread_count_free("scenarios/bench-tiers.ron", &["json"], &["2"]);
}

#[test]
fn thread_count_does_not_change_three_tier() {
    assert_thread_count_free("scenarios/three-tier.ron", &["json"], &["2"]);
    assert_thread_count_free("scenarios/three-tier.ron", &["table"], &["2"]);
}

#[test]
fn thread_count_does_not_change_web_single_vs_multi_az() {
    // 3 threads cut a chunk into uneven slices.
    assert_thread_count_free("scenarios/web-single-vs-multi-az.ron", &["json"], &["2", "3", ""]);
    assert_thread_count_free("scenarios/web-single-vs-multi-az.ron", &["table"], &["2"]);
}

#[test]
fn thread_count_does_not_change_data_loss_statistics() {
    // Data-loss events, RPO histograms and per-dataset totals fold in replication order too.
    assert_thread_count_free("scenarios/dr-strategies.ron", &["json"], &["2", "3"]);
    let args =
        ["scenarios/dr-strategies.ron", "--seed", "31337", "--replications", "300", "--format", "json"];
    let report = json(&run(&args));
    for a in report["architectures"].as_array().unwrap() {
        assert!(a["data_loss_events"].as_u64().unwrap() > 0, "{}: no data-loss event", a["name"]);
    }
}

/// The bundled scenarios the tests above run on several thread counts.
const ACROSS_THREADS: [&str; 4] =
    ["bench-tiers.ron", "three-tier.ron", "web-single-vs-multi-az.ron", "dr-strategies.ron"];

/// Every other bundled scenario, at reduced replications: the same JSON bytes on 1 and 2
/// threads. One chunk and a part ([`CHUNK`] + 76) cross the runner's chunks; the large
/// benchmark model gets 40 (threads still split the chunk). The default replications on the
/// default thread count are checked by `.ci/run`, which regenerates the committed reports byte
/// for byte.
#[test]
fn thread_count_does_not_change_any_bundled_scenario() {
    let mut files: Vec<_> = std::fs::read_dir(Path::new(harness::ROOT).join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .filter(|p| !ACROSS_THREADS.iter().any(|covered| p.ends_with(covered)))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the bundled scenarios: {files:?}");
    for path in files {
        let file = path.to_str().unwrap();
        let replications = if file.ends_with("bench-tiers-large.ron") { 40 } else { CHUNK + 76 };
        let replications = replications.to_string();
        let with = |threads| {
            run(&[
                file,
                "--seed",
                "7",
                "--replications",
                &replications,
                "--format",
                "json",
                "--threads",
                threads,
            ])
        };
        let one = with("1");
        assert_same_bytes(&one, &with("2"), &format!("{file}: --threads 1 vs 2"));
        assert!(
            json(&one)["architectures"].as_array().unwrap().iter().all(|a| a["events"].as_u64() > Some(0))
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Library harness

fn compile(text: &str) -> System {
    compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system
}

fn arch<'s>(system: &'s System, name: &str) -> &'s Architecture {
    system.architectures.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no architecture {name}"))
}

fn params(system: &System) -> RunParams {
    RunParams::of(system)
}

/// An incident with its cause by name (ids shift when components are added).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    start: u64,
    end: u64,
    censored: bool,
    cause: String,
}

fn seen(arch: &Architecture, i: &Incident) -> Seen {
    Seen {
        start: i.start.0,
        end: i.end.0,
        censored: i.censored,
        cause: format!("{}/{}", arch.components[i.cause.component.index()].name, i.cause.mode.name()),
    }
}

/// The incidents of each replication in `replications`, run in that order on one simulator.
fn incidents(
    arch: &Architecture,
    params: RunParams,
    replications: impl IntoIterator<Item = u64>,
) -> Vec<(u64, Vec<Seen>)> {
    let prepared = Prepared::new(arch, params);
    let mut sim = Simulator::new(&prepared);
    replications
        .into_iter()
        .map(|r| {
            let mut recorder = Recorder::default();
            sim.run(r, &mut recorder);
            (r, recorder.incidents.iter().map(|i| seen(arch, i)).collect())
        })
        .collect()
}

const REPLICATIONS: u64 = 12;

/// A one-architecture scenario whose service is `svc`, after `before` (other components).
fn single(before: &str, svc_recover: &str) -> String {
    format!(
        r#"(name: "streams", seed: 20260101, horizon: "5y", replications: 10,
            architectures: [(name: "a", components: [
                {before}
                (name: "svc", kind: Instance, fail: Exp(mean: "1500h"), recover: {svc_recover}),
            ], service: "svc")])"#
    )
}

/// Asserts that every replication saw several incidents, so comparisons are not vacuous.
fn assert_busy(runs: &[(u64, Vec<Seen>)]) {
    for (r, seen) in runs {
        assert!(seen.len() >= 5, "replication {r}: only {} incidents", seen.len());
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Another component, declared first (so ids shift), changes nothing for `svc`.

#[test]
fn an_unrelated_component_leaves_failure_times_unchanged() {
    let alone = compile(&single("", r#"Repair(Exp(mean: "3h"))"#));
    let extra = r#"(name: "zz-extra", kind: Instance, fail: Exp(mean: "700h"), recover: Repair(Exp(mean: "9h"))),
                   (name: "aa-extra", kind: Az, fail: Exp(mean: "300h"), recover: Replace(detect: "5m", launch: "1h")),"#;
    let with_extra = compile(&single(extra, r#"Repair(Exp(mean: "3h"))"#));
    let (a, b) = (arch(&alone, "a"), arch(&with_extra, "a"));
    assert_ne!(a.find("svc"), b.find("svc"), "the test needs the ids to shift");
    let want = incidents(a, params(&alone), 0..REPLICATIONS);
    assert_busy(&want);
    let got = incidents(b, params(&with_extra), 0..REPLICATIONS);
    assert_eq!(got, want);
}

#[test]
fn an_unrelated_shared_component_leaves_failure_times_unchanged() {
    let text = |shared: &str| {
        format!(
            r#"(name: "streams", seed: 5, horizon: "5y",
                shared: [{shared}],
                architectures: [(name: "a", components: [
                    (name: "svc", kind: Instance, fail: Weibull(shape: 1.7, mean: "900h"), recover: Repair(LogNormal(mean: "2h", sigma: 1.0))),
                ], service: "svc")])"#
        )
    };
    let alone = compile(&text(""));
    let shared =
        compile(&text(r#"(name: "region", kind: Region, fail: Exp(mean: "100h"), recover: Repair("8h"))"#));
    let want = incidents(arch(&alone, "a"), params(&alone), 0..REPLICATIONS);
    assert_busy(&want);
    assert_eq!(incidents(arch(&shared, "a"), params(&shared), 0..REPLICATIONS), want);
}

// ---------------------------------------------------------------------------------------------
// 4. Another recovery: same times to failure, other incident durations.

/// Up intervals of a single-component service: first start, then start[i] - end[i-1].
fn up_intervals(seen: &[Seen]) -> Vec<u64> {
    let mut last_end = 0;
    seen.iter()
        .map(|s| {
            let up = s.start - last_end;
            last_end = s.end;
            up
        })
        .collect()
}

#[test]
fn another_recovery_leaves_times_to_failure_unchanged() {
    let repair = compile(&single("", r#"Repair("1h")"#));
    let replace = compile(&single("", r#"Replace(detect: "5m", launch: Exp(mean: "2h"))"#));
    let a = incidents(arch(&repair, "a"), params(&repair), 0..REPLICATIONS);
    let b = incidents(arch(&replace, "a"), params(&replace), 0..REPLICATIONS);
    assert_busy(&a);
    assert_busy(&b);
    for ((r, a), (_, b)) in a.iter().zip(&b) {
        let (up_a, up_b) = (up_intervals(a), up_intervals(b));
        // Recoveries of different lengths push later failures past the horizon in one run but
        // not the other: compare the failures both runs saw.
        let common = up_a.len().min(up_b.len());
        assert!(common >= 5, "replication {r}: only {common} failures in common");
        assert_eq!(up_a[..common], up_b[..common], "replication {r}: times to failure");
        // The recoveries did change.
        let durations =
            |s: &[Seen]| s.iter().filter(|s| !s.censored).map(|s| s.end - s.start).collect::<Vec<_>>();
        let (d_a, d_b) = (durations(a), durations(b));
        assert!(d_a.iter().all(|&d| d == 3_600_000), "replication {r}: Repair(\"1h\") lasts 1 h: {d_a:?}");
        assert_ne!(d_a[..common.min(d_a.len())], d_b[..common.min(d_b.len())], "replication {r}: durations");
        assert!(d_b.iter().all(|&d| d > 300_000), "replication {r}: Replace lasts more than detect: {d_b:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Same name in two architectures: same numbers.

const TWO_ARCHITECTURES: &str = r#"
(
    name: "crn", seed: 777, horizon: "4y",
    profiles: { "vm": (fail: Exp(mean: "1000h"), recover: Replace(detect: "2m", launch: Uniform(lo: "3m", hi: "30m"))) },
    architectures: [
        (name: "plain", components: [(name: "web", kind: Instance, profile: "vm")], service: "web"),
        (
            name: "busy",
            components: [
                (name: "cache", kind: Instance, fail: Exp(mean: "400h"), recover: Repair("1h")),
                (name: "batch", kind: Queue, profile: "vm", needs: All(["cache"])),
                (name: "web", kind: Instance, profile: "vm"),
            ],
            service: "web",
        ),
    ],
)
"#;

#[test]
fn same_named_components_in_two_architectures_draw_the_same_numbers() {
    let system = compile(TWO_ARCHITECTURES);
    let (plain, busy) = (arch(&system, "plain"), arch(&system, "busy"));
    assert_ne!(plain.find("web"), busy.find("web"), "the test needs different ids");
    let a = incidents(plain, params(&system), 0..REPLICATIONS);
    assert_busy(&a);
    assert_eq!(incidents(busy, params(&system), 0..REPLICATIONS), a);
}

#[test]
fn same_named_components_give_the_same_report_numbers() {
    // Through the runner and the statistics: the two reports differ only in their name.
    let system = compile(TWO_ARCHITECTURES);
    let pool = runner::thread_pool(2).unwrap();
    let report = |name: &str| {
        let arch = arch(&system, name);
        let aggregate = runner::run_architecture(arch, params(&system), 300, &pool, &|_| {});
        let mut value = serde_json::to_value(runner::report(arch, &aggregate, system.horizon)).unwrap();
        value["name"] = serde_json::Value::Null;
        value["events"] = serde_json::Value::Null; // `cache` and `batch` add events of their own
        // `cache` and `batch` can fail, so they are listed too: no downtime, not needed.
        value["importance"].as_array_mut().unwrap().retain(|e| {
            let extra = e["component"] != "web";
            assert!(!extra || (e["downtime_share"] == 0.0 && e["birnbaum"] == 0.0), "{e}");
            !extra
        });
        value
    };
    let plain = report("plain");
    assert!(plain["incidents"].as_u64().unwrap() > 100);
    assert_eq!(report("busy"), plain);
}

// ---------------------------------------------------------------------------------------------
// A plain component (random failures, a plain `Repair`: the engine's fast path, which draws each
// next time one ahead of its use) and the same component on the general path (a crew that is
// never busy) draw the same numbers at the same moments of their cycles.

/// Two architectures, `plain` and `general`, alike but for the crew of `general`'s instances.
fn plain_and_general() -> String {
    let design = |name: &str, crew: &str| {
        format!(
            r#"(name: "{name}", service: "web", components: [
                (name: "a", kind: Instance, profile: "exp{crew}", needs: All(["zone"])),
                (name: "b", kind: Instance, profile: "weibull{crew}"),
                (name: "web", kind: Group, needs: All(["a", "b"])),
            ])"#
        )
    };
    let laws = [
        ("exp", r#"fail: Exp(mean: "700h"), recover: Repair(Exp(mean: "3h"))"#),
        (
            "weibull",
            r#"fail: Weibull(shape: 1.7, mean: "900h"), recover: Repair(LogNormal(mean: "2h", sigma: 1.0))"#,
        ),
    ];
    let profiles: String = laws
        .iter()
        .map(|(name, law)| format!(r#""{name}": ({law}), "{name}-crew": ({law}, crew: "everyone"),"#))
        .collect();
    format!(
        r#"(name: "paths", seed: 4242, horizon: "5y", crews: {{"everyone": 100}}, profiles: {{ {profiles} }},
            shared: [(name: "zone", kind: Az, fail: Exp(mean: "3000h"), recover: Repair(Exp(mean: "5h")))],
            architectures: [{}, {}])"#,
        design("plain", ""),
        design("general", "-crew")
    )
}

#[test]
fn a_plain_component_draws_as_the_general_path_does() {
    let system = compile(&plain_and_general());
    let (plain, general) = (arch(&system, "plain"), arch(&system, "general"));
    let a = incidents(plain, params(&system), 0..REPLICATIONS);
    assert_busy(&a);
    let causes = |runs: &[(u64, Vec<Seen>)], name: &str| {
        runs.iter().flat_map(|(_, s)| s).filter(|s| s.cause.starts_with(name)).count()
    };
    assert!(causes(&a, "a/") > 20 && causes(&a, "b/") > 20 && causes(&a, "zone/") > 0, "{a:?}");
    assert_eq!(incidents(general, params(&system), 0..REPLICATIONS), a);
}

// ---------------------------------------------------------------------------------------------
// A replication's history is its own: order of runs and simulator reuse do not matter.

#[test]
fn a_replication_does_not_depend_on_what_the_simulator_ran_before() {
    let system = compile(TWO_ARCHITECTURES);
    let busy = arch(&system, "busy");
    let forward = incidents(busy, params(&system), 0..REPLICATIONS);
    let mut backward = incidents(busy, params(&system), (0..REPLICATIONS).rev());
    backward.reverse();
    assert_eq!(backward, forward);
    // One at a time on fresh simulators.
    for (r, want) in &forward {
        assert_eq!(&incidents(busy, params(&system), [*r])[0].1, want, "replication {r} alone");
    }
    // And replications are different histories.
    assert_ne!(forward[0].1, forward[1].1);
}

#[test]
fn runner_reports_are_identical_for_any_pool_size() {
    let system = compile(TWO_ARCHITECTURES);
    let busy = arch(&system, "busy");
    let report = |threads: usize| {
        let pool = runner::thread_pool(threads).unwrap();
        let aggregate = runner::run_architecture(busy, params(&system), ACROSS_CHUNKS, &pool, &|_| {});
        assert_eq!(aggregate.replications(), ACROSS_CHUNKS);
        serde_json::to_string(&runner::report(busy, &aggregate, system.horizon)).unwrap()
    };
    let one = report(1);
    for threads in [2, 3] {
        assert_eq!(report(threads), one, "{threads} threads");
    }
}

// ---------------------------------------------------------------------------------------------
// 6. The seed matters (so the tests above can fail).

#[test]
fn another_seed_gives_other_numbers() {
    let args =
        |seed| ["scenarios/three-tier.ron", "--seed", seed, "--replications", "200", "--format", "json"];
    let (a, b) = (json(&run(&args("1"))), json(&run(&args("2"))));
    assert_eq!((a["seed"].as_u64(), b["seed"].as_u64()), (Some(1), Some(2)));
    for (x, y) in a["architectures"].as_array().unwrap().iter().zip(b["architectures"].as_array().unwrap()) {
        assert_eq!(x["name"], y["name"]);
        assert_ne!(x["availability"]["mean"], y["availability"]["mean"], "{}", x["name"]);
        assert_ne!(x["events"], y["events"], "{}", x["name"]);
    }
}

#[test]
fn another_seed_gives_other_failure_times() {
    let system = compile(&single("", r#"Repair(Exp(mean: "3h"))"#));
    let a = arch(&system, "a");
    let mut other = params(&system);
    other.seed += 1;
    let (x, y) = (incidents(a, params(&system), 0..REPLICATIONS), incidents(a, other, 0..REPLICATIONS));
    for ((r, x), (_, y)) in x.iter().zip(&y) {
        assert_ne!(up_intervals(x).first(), up_intervals(y).first(), "replication {r}");
    }
}
