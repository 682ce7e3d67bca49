//! Shards: `run`/`report --shard I/N --emit FILE`, `merge` and `report --from` give the bytes
//! of the run on one machine; what does not make one run is refused.

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use faultline::engine::RunParams;
use faultline::metrics::{Header, Report, ScenarioId};
use faultline::model::compile_str;
use faultline::report::render::{Format, Render};
use faultline::runner::{self, Plan};
use faultline::shard::{self, Design, Options, Partial, ScenarioText, Shard};

use crate::harness::{faultline, scenario, scratch_dir};

/// The bundled scenarios a run can shard (not the benchmarks, for time; not those with a
/// `precision`, which a shard refuses).
const SCENARIOS: &[&str] = &[
    "single-instance.ron",
    "web-single-vs-multi-az.ron",
    "three-tier.ron",
    "mirrored-servers.ron",
    "database-multi-az.ron",
    "power-generator.ron",
    "direct-connect-vpn.ron",
    "web-asg-vs-manual.ron",
    "database-data-protection.ron",
    "session-state.ron",
    "order-pipeline.ron",
    "nat-gateways.ron",
    "dr-strategies.ron",
];

const FORMATS: [Format; 4] = [Format::Table, Format::Json, Format::Csv, Format::Markdown];

/// The report of `text` over `replications`, run whole, or as `shards` partials written to
/// JSON, read back and merged.
fn report(text: &str, replications: u64, shards: Option<u64>) -> Report {
    let mut system = compile_str(text).unwrap_or_else(|d| panic!("{d:#?}")).system;
    system.replications = replications;
    let params = RunParams::of(&system);
    let pool = runner::thread_pool(2).unwrap();
    let architectures = match shards {
        None => system
            .architectures
            .iter()
            .map(|a| {
                runner::report(
                    a,
                    &runner::run_architecture(a, params, replications, &pool, &|_| {}),
                    system.horizon,
                )
            })
            .collect(),
        Some(count) => {
            let partials: Vec<(String, Partial)> = (0..count)
                .rev()
                .map(|index| {
                    let shard = Shard { index, count };
                    let (first, end) = shard.range(replications);
                    let designs = system
                        .architectures
                        .iter()
                        .map(|a| Design {
                            name: a.name.clone(),
                            totals: runner::run_architecture(
                                a,
                                params,
                                Plan::Range { start: first, end },
                                &pool,
                                &|_| {},
                            ),
                        })
                        .collect();
                    let partial = Partial {
                        faultline_partial: shard::FORMAT,
                        faultline: "test".into(),
                        stream_version: 2,
                        scenario: ScenarioText {
                            name: system.name.clone(),
                            sha256: "x".into(),
                            file: "f".into(),
                            text: String::new(),
                        },
                        options: Options::default(),
                        shard,
                        replications: [first, end],
                        designs,
                    };
                    // Through the file format and back.
                    let json = serde_json::to_string(&partial).unwrap();
                    (format!("part-{index}"), serde_json::from_str(&json).unwrap())
                })
                .collect();
            let merged = shard::merge(partials).unwrap();
            system
                .architectures
                .iter()
                .zip(&merged.designs)
                .map(|(a, d)| runner::report(a, &d.totals, system.horizon))
                .collect()
        }
    };
    let id = ScenarioId { name: system.name.clone(), sha256: "x".into() };
    Report { header: Header::new(&system, id, Default::default()), architectures }
}

proptest! {
    #![proptest_config(Config { cases: 12, rng_seed: RngSeed::Fixed(18), failure_persistence: None, ..Config::default() })]

    /// For any bundled scenario, replication count and shard count: every output format of
    /// the merged shards is the whole run's, byte for byte.
    #[test]
    fn merged_shards_print_the_bytes_of_one_run(
        which in 0..SCENARIOS.len(),
        replications in 1u64..40,
        count in 1u64..7,
    ) {
        let text = scenario(SCENARIOS[which]);
        let whole = report(&text, replications, None);
        let merged = report(&text, replications, Some(count));
        for format in FORMATS {
            prop_assert_eq!(
                String::from_utf8(whole.render(format).unwrap()).unwrap(),
                String::from_utf8(merged.render(format).unwrap()).unwrap(),
                "{} over {} replications in {} shards, {:?}", SCENARIOS[which], replications, count, format
            );
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 8, rng_seed: RngSeed::Fixed(19), failure_persistence: None, ..Config::default() })]

    /// A sweep split into runs of its injections, concatenated in order, is the sweep.
    #[test]
    fn a_sweep_in_shards_is_the_sweep(which in 0..SCENARIOS.len(), count in 1u64..6, order in 1usize..3) {
        use faultline::analysis::sweep::{finish, injection_sets, sweep_sets, sweep_with};
        let system = compile_str(&scenario(SCENARIOS[which])).unwrap().system;
        let duration = faultline::time::SimTime(6 * 3_600_000);
        for arch in &system.architectures {
            let sets = injection_sets(arch, order);
            let mut outcomes = Vec::new();
            for index in 0..count {
                let (first, end) = Shard { index, count }.range(sets.len() as u64);
                let part = sweep_sets(arch, &sets[first as usize..end as usize], duration, &|_, _| {});
                // Through the file format and back.
                let json = serde_json::to_string(&part).unwrap();
                outcomes.extend(serde_json::from_str::<Vec<faultline::analysis::sweep::Outcome>>(&json).unwrap());
            }
            prop_assert_eq!(finish(&arch.name, outcomes), sweep_with(arch, order, duration, &|_, _| {}));
        }
    }
}

fn ok(args: &[&str]) -> String {
    let run = faultline(args);
    assert_eq!(run.exit_code(), 0, "{args:?}: {}", run.stderr);
    run.stdout
}

/// Runs shards 0 to `count` - 1 of `command` (`run`, `report`, `sweep`) on `file`, with `extra`
/// arguments, into `dir`; returns their partials' paths.
fn emit_with(dir: &std::path::Path, command: &str, file: &str, count: u64, extra: &[&str]) -> Vec<String> {
    (0..count)
        .map(|i| {
            let out = dir.join(format!("{command}-{i}.json")).to_str().unwrap().to_string();
            let shard = format!("{i}/{count}");
            ok(&[&[command, file, "--shard", &shard, "--emit", &out][..], extra].concat());
            out
        })
        .collect()
}

/// [`emit_with`] of `run`, quiet.
fn emit(dir: &std::path::Path, file: &str, count: u64, extra: &[&str]) -> Vec<String> {
    emit_with(dir, "run", file, count, &[extra, &["-q"]].concat())
}

#[test]
fn the_command_line_merges_to_the_run_and_report_from_partials_to_the_bundle() {
    let dir = scratch_dir("shards-cli");
    let file = "scenarios/database-multi-az.ron";
    let parts = emit(&dir, file, 3, &["--replications", "60", "--seed", "9"]);
    let size = std::fs::metadata(&parts[0]).unwrap().len();
    assert!(size < 100_000, "a partial is small: {size} bytes");
    for format in ["table", "json", "csv", "markdown"] {
        let merged = ok(&[
            &["merge"][..],
            &parts.iter().map(String::as_str).collect::<Vec<_>>(),
            &["--format", format],
        ]
        .concat());
        let whole = ok(&["run", file, "--replications", "60", "--seed", "9", "--format", format, "-q"]);
        assert_eq!(merged, whole, "{format}");
    }
    // report --from: the bundle of `report` with the same options, every file.
    let report_parts = emit_with(&dir, "report", file, 2, &["--replications", "40"]);
    let from = dir.join("from");
    let single = dir.join("single");
    ok(&["report", "--from", &report_parts[1], &report_parts[0], "--out", from.to_str().unwrap()]);
    ok(&["report", file, "--replications", "40", "--out", single.to_str().unwrap()]);
    let files = |d: &PathBuf| {
        let mut v: Vec<(String, Vec<u8>)> = walk(d)
            .into_iter()
            .map(|p| (p.strip_prefix(d).unwrap().display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        v.sort();
        v
    };
    let (a, b) = (files(&from), files(&single));
    assert!(a.len() > 5, "{} files", a.len());
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs");
    }
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn a_sweep_merged_from_shards_prints_the_sweep() {
    let dir = scratch_dir("shards-sweep");
    let file = "scenarios/dr-strategies.ron";
    let parts = emit_with(&dir, "sweep", file, 3, &["--order", "2"]);
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    for format in ["table", "json"] {
        let merged = ok(&[&["merge"][..], &parts, &["--format", format]].concat());
        assert_eq!(merged, ok(&["sweep", file, "--order", "2", "--format", format]), "{format}");
    }
    let csv = faultline(&[&["merge"][..], &parts, &["--format", "csv"]].concat());
    assert_eq!(csv.exit_code(), 2);
    assert!(csv.stderr.contains("a sweep prints --format table or json"), "{}", csv.stderr);
    let run_part = emit(&dir, "scenarios/single-instance.ron", 1, &["--replications", "5"]);
    let mixed = faultline(&["merge", parts[0], &run_part[0]]);
    assert_eq!(mixed.exit_code(), 2);
    assert!(mixed.stderr.contains("not a faultline partial result of this kind"), "{}", mixed.stderr);
}

#[test]
fn a_shard_with_no_replication_says_so() {
    let dir = scratch_dir("shards-empty");
    let out = dir.join("empty.json");
    let run = faultline(&[
        "run",
        "scenarios/single-instance.ron",
        "--replications",
        "2",
        "--shard",
        "0/3",
        "--emit",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(run.exit_code(), 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("shard 0/3: no replication (the run has 2, fewer than its 3 shards)"),
        "{}",
        run.stdout
    );
}

#[test]
fn what_is_not_one_run_is_refused_with_the_reason() {
    let dir = scratch_dir("shards-refused");
    let file = "scenarios/single-instance.ron";
    let parts = emit(&dir, file, 2, &["--replications", "20"]);
    let other_seed =
        emit(&scratch_dir("shards-refused-seed"), file, 2, &["--replications", "20", "--seed", "5"]);
    let fails = |args: &[&str], expected: &str| {
        let run = faultline(args);
        assert_eq!(run.exit_code(), 2, "{args:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    };
    fails(&["merge", &parts[0]], "shard 1 of 2 missing");
    fails(&["merge", &parts[0], &parts[1], &parts[1]], "is given twice");
    fails(&["merge", &parts[0], &other_seed[1]], "the run options differ from");
    fails(&["merge", &parts[0], &other_seed[1]], "--seed 5 --replications 20 against --replications 20");
    // A run's own output is not a partial.
    let whole = dir.join("whole.json");
    std::fs::write(
        &whole,
        faultline(&["run", file, "--replications", "20", "--format", "json", "-q"]).stdout,
    )
    .unwrap();
    fails(&["merge", whole.to_str().unwrap()], "it has no `faultline_partial` key");
    // Partials whose designs are not the ones their scenario chooses.
    let edited: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            v["designs"].as_array_mut().unwrap().clear();
            let out = dir.join(format!("edited-{i}.json"));
            std::fs::write(&out, v.to_string()).unwrap();
            out.to_str().unwrap().to_string()
        })
        .collect();
    fails(
        &["merge", &edited[0], &edited[1]],
        "the partials hold 0 design(s) where the scenario they carry chooses 1",
    );
    fails(&["run", file, "--shard", "0/2"], "--shard needs --emit FILE");
    fails(&["run", file, "--shard", "2/2", "--emit", "x.json"], "expected I/N with 0 <= I < N");
    fails(
        &["run", file, "--shard", "0/2", "--emit", "x.json", "--precision", "5%"],
        "do not take --precision",
    );
    fails(
        &["run", "scenarios/replicated-store.ron", "--shard", "0/2", "--emit", "x.json"],
        "sets a `precision`",
    );
    let scenario_as_partial = faultline(&["merge", file]);
    assert_eq!(scenario_as_partial.exit_code(), 2);
    assert!(
        scenario_as_partial.stderr.contains("not a faultline partial result"),
        "{}",
        scenario_as_partial.stderr
    );
    fails(&["report", "--from", &parts[0], &parts[1], "--seed", "3"], "--from takes no run options");
}
