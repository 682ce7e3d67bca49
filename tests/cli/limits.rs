//! Big inputs: the stack, the memory and the output stay bounded whatever the file, and names
//! never carry a terminal escape sequence to the screen.
//!
//! Each test generates its input, runs the debug binary (or the library) and checks the answer
//! against a hand calculation. Bounds are checked by running under a small resource limit
//! (stack, data segment) rather than by timing anything.

use std::process::Command;

use faultline::chart::{self, Format, ReportData};
use faultline::engine::{Prepared, RunParams, Simulator};
use faultline::metrics::{Header, Report, ScenarioId};
use faultline::model::compile_str;
use faultline::report::trace::Trace;
use faultline::time::{MS_PER_HOUR, SimTime};

use crate::harness::{self, Run};

// ---------------------------------------------------------------------------------------------
// Harness

/// Runs `faultline ARGS` with `env`, under the shell limits `ulimit` (e.g. `-s 1024`; empty
/// for none), from the crate root.
fn faultline_limited(ulimit: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = if ulimit.is_empty() {
        harness::command()
    } else {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("ulimit {ulimit} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_faultline"));
        c
    };
    let output = command
        .args(args)
        .envs(env.iter().copied())
        .current_dir(harness::ROOT)
        .output()
        .expect("the faultline binary runs");
    Run::of(args, output)
}

fn faultline(args: &[&str]) -> Run {
    faultline_limited("", &[], args)
}

/// Writes `text` to a scratch file for this test binary and returns its path.
fn scratch(name: &str, text: &str) -> String {
    let path = harness::scratch_file(&format!("limits-{name}"), text);
    path.to_str().expect("UTF-8 path").to_string()
}

// ---------------------------------------------------------------------------------------------
// Deep dependency chains: every graph walk is iterative

/// A chain `c0 -> c1 -> ... -> c{n-1} -> az` declared service first (so a recursive walk from
/// `c0` goes n deep), with random failures off and the last link injected for 1 h; with
/// `cycle`, the last link needs `c0` instead of the AZ.
fn chain(n: usize, cycle: bool) -> String {
    let mut text = String::from(
        "(name: \"chain\", horizon: \"1y\", replications: 1, random: false,\n architectures: [(name: \"a\", service: \"c0\", components: [\n",
    );
    for i in 0..n - 1 {
        text += &format!("  (name: \"c{i}\", kind: Instance, fail: Never, needs: All([\"c{}\"])),\n", i + 1);
    }
    let last_needs = if cycle { "c0" } else { "az" };
    text +=
        &format!("  (name: \"c{}\", kind: Instance, fail: Never, needs: All([\"{last_needs}\"])),\n", n - 1);
    text += "  (name: \"az\", kind: Az, fail: Never),\n ])],\n";
    text += &format!(" injections: [(target: \"c{}\", at: \"10h\", duration: \"1h\")])\n", n - 1);
    text
}

/// Depth of the generated chains. Run with a 1 MiB main stack and 256 KiB worker stacks, a
/// walk may spend at most 1 MiB / 40,000 = 26 bytes per level: less than the 28 bytes per
/// level a 300,000-deep chain leaves on the default 8 MiB stack. The recursive Tarjan this
/// replaced overflowed at 5,000 levels there.
const DEPTH: usize = 40_000;

/// Shell limit and environment for a small stack everywhere: the main thread's and rayon's.
const SMALL_STACK: (&str, &[(&str, &str)]) = ("-s 1024", &[("RUST_MIN_STACK", "262144")]);

#[cfg(unix)]
#[test]
fn a_deep_chain_validates_and_runs_on_a_small_stack() {
    let file = scratch("chain.ron", &chain(DEPTH, false));
    let (limit, env) = SMALL_STACK;
    let run = faultline_limited(limit, env, &["validate", &file]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains(&format!("ok: 1 architecture, {} components", DEPTH + 1)), "{}", run.stdout);
    // The injected hour at the bottom of the chain takes the service down for exactly 1 h.
    let run = faultline_limited(limit, env, &["run", &file, "--format", "json", "-q"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let a = &json["architectures"][0];
    assert_eq!(a["availability"]["mean"].as_f64(), Some(1.0 - 1.0 / 8760.0), "{a}");
    assert_eq!(a["incidents"].as_u64(), Some(1), "{a}");
}

#[cfg(unix)]
#[test]
fn a_deep_cycle_is_found_and_printed_whole_on_a_small_stack() {
    let file = scratch("cycle.ron", &chain(DEPTH, true));
    let (limit, env) = SMALL_STACK;
    let run = faultline_limited(limit, env, &["validate", &file]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let cycle: String = (0..DEPTH).map(|i| format!("c{i} -> ")).collect::<String>() + "c0";
    // The cycle is reported at `c0`'s need of `c1` (line 3, column 57).
    let header = format!("{file}:3:57: error: dependency cycle: {cycle}\n");
    assert!(run.stderr.starts_with(&header), "{}", &run.stderr[..run.stderr.len().min(300)]);
    assert!(run.stderr.ends_with(&format!("{file}: 1 error\n")));
}

// ---------------------------------------------------------------------------------------------
// Replication counts that cannot be stored are refused, not allocated

const TWO_DESIGNS: &str = r#"(name: "two", horizon: "1y", replications: REPS,
 profiles: { "m": (fail: Exp(mean: "1000h"), recover: Repair("1h")) },
 architectures: [
  (name: "one", service: "a", components: [(name: "az", kind: Az, fail: Never),
    (name: "a", kind: Instance, profile: "m", needs: All(["az"]))]),
  (name: "two", service: "g", components: [(name: "az", kind: Az, fail: Never),
    (name: "a", kind: Instance, profile: "m", needs: All(["az"])),
    (name: "b", kind: Instance, profile: "m", needs: All(["az"])),
    (name: "g", kind: Group, needs: Any(["a", "b"]))]),
 ])
"#;

#[test]
fn too_many_replications_on_the_command_line_are_refused() {
    let file = scratch("two.ron", &TWO_DESIGNS.replace("REPS", "10"));
    for count in ["1000000000000", "18446744073709551615", "10000001", "0"] {
        for command in ["compare", "run"] {
            let run = faultline(&[command, &file, "--replications", count, "-q"]);
            assert_eq!(run.code, Some(2), "{command} --replications {count}: {}", run.stderr);
            assert!(
                run.stderr.contains("expected a whole number from 1 to 10000000"),
                "{command} --replications {count}: {}",
                run.stderr
            );
            assert!(run.stdout.is_empty());
        }
    }
}

#[test]
fn too_many_replications_in_a_file_are_an_error_at_their_value() {
    let file = scratch("two-huge.ron", &TWO_DESIGNS.replace("REPS", "1000000000000"));
    let baseline = scratch("baselines-unused", "");
    for command in
        [vec!["validate", &file], vec!["check", &file, "--baseline", &baseline], vec!["compare", &file]]
    {
        let run = faultline(&command);
        assert_eq!(run.code, Some(2), "{command:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!("{file}:1:44: error: `replications` must be at most 10000000\n")),
            "{command:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("= hint: compare and check keep one value per replication"));
    }
    let file = scratch("two-limit.ron", &TWO_DESIGNS.replace("REPS", "10000000"));
    let run = faultline(&["validate", &file]);
    assert_eq!(run.code, Some(0), "the limit itself is accepted: {}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: at most 100 printed, lines clipped, linear

#[test]
fn sixteen_thousand_unknown_names_on_one_line_print_100_clipped_errors() {
    let names: Vec<String> = (0..16_000).map(|i| format!("\"unknown-{i}\"")).collect();
    let line = format!("   (name: \"svc\", kind: Group, needs: All([{}])),", names.join(","));
    assert!(line.len() > 200_000);
    let text = format!(
        "(name: \"u\", horizon: \"1y\",\n architectures: [(name: \"a\", service: \"svc\", components: [\n   (name: \"az\", kind: Az, fail: Never),\n{line}\n ])])\n"
    );
    let file = scratch("unknown.ron", &text);
    let run = faultline(&["validate", &file]);
    assert_eq!(run.code, Some(2));
    let headers: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains(": error: unknown component `")).collect();
    assert_eq!(headers.len(), 100, "the first 100 errors");
    assert!(
        headers[0].starts_with(&format!("{file}:4:43: error: unknown component `unknown-0`")),
        "{}",
        headers[0]
    );
    assert!(headers[99].contains("`unknown-99`"), "{}", headers[99]);
    assert!(
        run.stderr.ends_with(&format!(
            "{file}: and 15900 more errors not shown (the first 100 are)\n{file}: 16000 errors\n"
        )),
        "{}",
        &run.stderr[run.stderr.len() - 300..]
    );
    // Every source line is clipped to 160 columns around its caret: 100 excerpts of a few
    // hundred bytes, not 100 copies of a 200 KB line.
    for excerpt in run.stderr.lines().filter(|l| l.starts_with("4 | ")) {
        assert!(excerpt.chars().count() <= 4 + 160, "{excerpt}");
    }
    assert!(run.stderr.len() < 100 * 700, "{} bytes of diagnostics", run.stderr.len());
    // The 100th error's caret sits under its name in the clipped line.
    let lines: Vec<&str> = run.stderr.lines().collect();
    let at = lines.iter().position(|l| l.contains("`unknown-99`")).unwrap();
    let (source, caret) = (lines[at + 2], lines[at + 3]);
    let col = caret.chars().position(|c| c == '^').unwrap();
    let under: String = source.chars().skip(col).take(12).collect();
    assert_eq!(under, "\"unknown-99\"", "{source}\n{caret}");
    assert!(source.starts_with("4 | …") && source.ends_with('…'), "{source}");
}

#[cfg(unix)]
#[test]
fn an_endless_input_is_refused_past_64_mib() {
    let run = faultline(&["validate", "/dev/zero"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "/dev/zero: error: cannot read the file: larger than 64 MiB, the most an input file may hold\n  = hint: a scenario is RON text (100,000 components take about 7 MB); check the path\n"
    );
    let run = faultline(&["chart", "/dev/zero", "--out", env!("CARGO_TARGET_TMPDIR")]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("larger than 64 MiB"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// trace: memory follows the window

/// One instance failing 1 s after each repair and repaired in 1 s, for 23 days: 993,600
/// incidents, 4 trace events each.
const STORM: &str = r#"(name: "storm", seed: 1, horizon: "23d", replications: 1,
 architectures: [(name: "a", service: "web", components: [
   (name: "az", kind: Az, fail: Never),
   (name: "web", kind: Instance, fail: Fixed("1s"), recover: Repair("1s"), needs: All(["az"])),
 ])])
"#;

/// With every event of the horizon kept (about 4 million), the run needs some 250 MB; the
/// window of 10 s holds 19 events, so 64 MiB of heap is plenty.
#[cfg(target_os = "linux")]
#[test]
fn a_trace_window_holds_only_its_own_events() {
    let file = scratch("storm.ron", STORM);
    let run = faultline_limited("-d 65536", &[], &["trace", &file, "--to", "10s"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let events: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("0d 00:00:0")).collect();
    // Failures at 1, 3, 5, 7, 9 s (each with the service down), repairs at 2, 4, 6, 8 s.
    assert_eq!(events.len(), 5 * 2 + 4 * 2, "{}", run.stdout);
    assert!(events[0].starts_with("0d 00:00:01.000  web        own failure"), "{}", events[0]);
    assert!(events[17].starts_with("0d 00:00:09.000  web        SERVICE DOWN"), "{}", events[17]);
    // The totals are the whole replication's: 23 d / 2 s incidents, down half the time.
    assert!(
        run.stdout.ends_with("replication 0: 993600 incidents, downtime 11d 12h, availability 0.500000\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_simulator_keeps_the_events_of_its_trace_window() {
    let system = compile_str(STORM).expect("valid").system;
    let arch = &system.architectures[0];
    let prepared = Prepared::new(arch, RunParams::of(&system));
    let mut sim = Simulator::new(&prepared);
    sim.set_tracing(true);
    sim.set_trace_window(SimTime(3_000), SimTime(6_000));
    sim.run(0, &mut faultline::engine::Recorder::default());
    let times: Vec<u64> = sim.take_trace().iter().map(|e| e.at.0).collect();
    // Failure and service down at 3 s and 5 s, repair and service up at 4 s; 6 s is out.
    assert_eq!(times, [3_000, 3_000, 4_000, 4_000, 5_000, 5_000]);
}

// ---------------------------------------------------------------------------------------------
// Worker threads are capped

#[test]
fn threads_are_capped_at_four_per_core_with_a_note() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let asked = (4 * cores + 1).to_string();
    let file = scratch("two-threads.ron", &TWO_DESIGNS.replace("REPS", "40"));
    let one = faultline(&["run", &file, "--threads", "1", "--format", "json", "-q"]);
    let many = faultline(&["run", &file, "--threads", &asked, "--format", "json", "-q"]);
    assert_eq!((one.code, many.code), (Some(0), Some(0)), "{}", many.stderr);
    assert_eq!(one.stdout, many.stdout, "identical for any thread count");
    let s = if cores == 1 { "" } else { "s" };
    assert!(
        many.stderr.contains(&format!(
            "note: --threads {asked} capped at {} (4 per core, {cores} core{s}); results are identical for any thread count\n",
            4 * cores
        )),
        "{}",
        many.stderr
    );
    assert!(!one.stderr.contains("capped"), "{}", one.stderr);
}

// ---------------------------------------------------------------------------------------------
// Charts: bounded canvases

/// The width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

fn report_of(text: &str) -> (faultline::model::System, Report) {
    let system = compile_str(text).expect("valid").system;
    let pool = faultline::runner::thread_pool(1).expect("thread pool");
    let scenario = ScenarioId { name: system.name.clone(), sha256: "0".repeat(64) };
    let report = Report {
        header: Header::new(&system, scenario, Default::default()),
        architectures: faultline::runner::report_all(&system, &pool),
    };
    (system, report)
}

#[test]
fn a_chart_of_30_designs_draws_the_first_12_and_says_so() {
    let (_, report) = report_of(&TWO_DESIGNS.replace("REPS", "20"));
    let mut data = ReportData::from_report(&report);
    let two = data.architectures.clone();
    data.architectures = (0..30).map(|i| two[i % 2].clone()).collect();
    for (i, a) in data.architectures.iter_mut().enumerate() {
        a.name = format!("design-{i}");
    }
    let png = chart::availability(&data, Format::Png).expect("renders");
    // 12 slots of 190 plus 240 logical pixels, 560 high plus a line for the note; PNG at 2x.
    assert_eq!(png_size(&png), (2 * (12 * 190 + 240), 2 * (560 + 20)));
    let svg = String::from_utf8(chart::availability(&data, Format::Svg).unwrap()).unwrap();
    assert!(svg.contains("The first 12 of 30 architectures, in file order; the report has every one"));
    assert!(svg.contains("\ndesign-11\n") && !svg.contains("\ndesign-12\n"));
    // The RTO chart likewise.
    for (i, a) in data.architectures.iter_mut().enumerate() {
        let rto = &mut a.histograms.as_mut().expect("histograms").rto_ms;
        *rto = Default::default();
        rto.record(60_000);
        rto.record(120_000 + 1000 * i as u64);
    }
    let svg = String::from_utf8(chart::rto_cdf(&data, Format::Svg).unwrap()).unwrap();
    assert!(svg.contains("The first 12 of 30 architectures"), "{svg}");
    assert!(svg.contains("design-11: ") && !svg.contains("design-12: "));
    assert_eq!(png_size(&chart::rto_cdf(&data, Format::Png).unwrap()), (1800, 2 * 580));
    // Twelve or fewer: no note, the size as before.
    data.architectures.truncate(12);
    let svg = String::from_utf8(chart::availability(&data, Format::Svg).unwrap()).unwrap();
    assert!(!svg.contains("The first"));
    assert_eq!(png_size(&chart::availability(&data, Format::Png).unwrap()), (2 * 2520, 2 * 560));
}

#[test]
fn a_timeline_of_a_zone_of_100_instances_draws_40_rows_the_cause_among_them() {
    // An AZ-wide injection takes 100 instances down (a row each) while a load balancer
    // declared after them, injected around it, is the incident's cause: row 101, drawn anyway.
    let mut text = String::from(
        "(name: \"zone\", horizon: \"30d\", replications: 1, random: false,\n architectures: [(name: \"a\", service: \"web\", components: [\n  (name: \"az\", kind: Az, fail: Never),\n",
    );
    for i in 0..100 {
        text += &format!("  (name: \"i{i}\", kind: Instance, fail: Never, needs: All([\"az\"])),\n");
    }
    let all: Vec<String> = (0..100).map(|i| format!("\"i{i}\"")).collect();
    text += &format!("  (name: \"pool\", kind: Group, needs: AtLeast(1, [{}])),\n", all.join(", "));
    text += "  (name: \"lb\", kind: LoadBalancer, fail: Never, needs: All([\"az\"])),\n";
    text += "  (name: \"web\", kind: Group, needs: All([\"lb\", \"pool\"])),\n ])],\n";
    text += " injections: [(target: InAz(az: \"az\", kind: Instance), at: \"1d\", duration: \"1h\"),\n";
    text += "   (target: \"lb\", at: \"23h\", duration: \"3h\")])\n";
    let system = compile_str(&text).expect("valid").system;
    let arch = &system.architectures[0];
    let prepared = Prepared::new(arch, RunParams::of(&system));
    let mut sim = Simulator::new(&prepared);
    sim.set_tracing(true);
    let mut recorder = faultline::engine::Recorder::default();
    sim.run(0, &mut recorder);
    assert_eq!(recorder.incidents.len(), 1);
    let focus = faultline::report::focus::Focus {
        replication: 0,
        incident: recorder.incidents[0].clone(),
        reason: faultline::report::focus::Reason::Chosen,
    };
    assert_eq!(arch.components[focus.incident.cause.component.index()].name, "lb");
    let trace = Trace {
        scenario: ScenarioId { name: system.name.clone(), sha256: "0".repeat(64) },
        seed: system.seed,
        stream_version: faultline::rng::STREAM_VERSION,
        arch,
        replication: 0,
        horizon: system.horizon,
        window: (SimTime(20 * MS_PER_HOUR), SimTime(30 * MS_PER_HOUR)),
        events: sim.take_trace(),
        incidents: 1,
        up: SimTime(system.horizon.0 - 3 * MS_PER_HOUR),
    };
    let svg = String::from_utf8(chart::timeline(&trace, Some(&focus), Format::Svg).unwrap()).unwrap();
    // The service, the first 39 instances and the load balancer: 41 rows of 34 logical
    // pixels, and a line counting the 61 instances left out.
    assert!(svg.contains("61 more components with outages in view not drawn"), "{svg}");
    assert!(svg.contains("\ni38\n") && svg.contains("\nlb\n"));
    assert!(!svg.contains("\ni39\n") && !svg.contains("\ni70\n"));
    let png = chart::timeline(&trace, Some(&focus), Format::Png).unwrap();
    assert_eq!(png_size(&png), (2000, 2 * (250 + 40 + 20 + 34 * 41)));
}

// ---------------------------------------------------------------------------------------------
// Names never carry control characters to a terminal

/// Every kind of name with a control character, written as RON escapes; and a reference to a
/// name that does not exist, with one.
const CONTROL_NAMES: &str = r#"(name: "evil\u{1b}]0;pwned\u{7}", horizon: "1y",
 profiles: { "p\u{1b}[2J": (fail: Exp(mean: "100h"), recover: Repair("1h")) },
 crews: {"on\tcall": 1},
 architectures: [(name: "a\u{9b}31m", service: "web\u{1b}[2J", components: [
  (name: "az", kind: Az, profile: "p\u{1b}[2J"),
  (name: "web\u{1b}[2J", kind: Instance, profile: "p\u{1b}[2J", needs: All(["az"]),
   modes: [(name: "cr\nash", fail: Exp(mean: "10h"))], recover: Repair("1h")),
  (name: "app", kind: Instance, fail: Never, needs: All(["az\u{1b}[1m"])),
 ], data: [(name: "d\u{7}", holder: "web\u{1b}[2J")])])
"#;

#[test]
fn names_with_control_characters_are_errors_at_the_name() {
    let file = scratch("control.ron", CONTROL_NAMES);
    let run = faultline(&["validate", &file]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    let expected = [
        "1:8: error: the scenario name `evil\\u{1b}]0;pwned\\u{7}` holds a control character (\\u{1b})",
        "2:14: error: the profile name `p\\u{1b}[2J` holds a control character (\\u{1b})",
        "3:10: error: the crew name `on\\u{9}call` holds a control character (\\u{9})",
        "4:25: error: the architecture name `a\\u{9b}31m` holds a control character (\\u{9b})",
        "6:10: error: the component name `web\\u{1b}[2J` holds a control character (\\u{1b})",
        "7:19: error: the failure mode name `cr\\u{a}ash` holds a control character (\\u{a})",
        "8:58: error: unknown component `az\\u{1b}[1m`",
        "9:19: error: the dataset name `d\\u{7}` holds a control character (\\u{7})",
    ];
    assert_eq!(errors.len(), expected.len(), "{}", run.stderr);
    for (got, want) in errors.iter().zip(expected) {
        assert_eq!(*got, format!("{file}:{want}"));
    }
    assert!(run.stderr.contains("= hint: names are printed in tables, reports and terminals"));
    // Nothing but newlines among the control characters written.
    assert!(!run.stderr.chars().any(|c| c.is_control() && c != '\n'), "{:?}", run.stderr);
}
