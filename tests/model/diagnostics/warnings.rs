//! Warnings for likely modelling slips. One fixture per warning in
//! `tests/fixtures/broken/warn_*.ron`, checked through `faultline validate` for the exit code
//! (0, or 2 with `--deny-warnings`), the exact `line:col`, the message, the caret and the hint;
//! then the edges of each rule through the library (`faultline::model::compile_str`).

use super::*;

use faultline::diagnostic::SourceMap;
use faultline::model::compile_str;

/// The `warning:` header lines of `stderr`.
fn warning_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(": warning: ")).collect()
}

/// Runs `validate` on a fixture that must be accepted with exactly one warning,
/// `LINE:COL: warning: MESSAGE`, its caret under `COL`; returns the warning's block.
fn expect_single_warning(name: &str, line: usize, col: usize, message: &str) -> Vec<String> {
    let file = fixture(name);
    let run = validate(&[&file]);
    assert_eq!(run.code, 0, "a warning alone exits 0; stderr:\n{}", run.stderr);
    let block = assert_diagnostic(&run.stderr, &file, line, col, "warning", message);
    assert_eq!(caret(&block).0, col, "caret column in:\n{}", block.join("\n"));
    assert_eq!(warning_lines(&run.stderr).len(), 1, "exactly one warning expected:\n{}", run.stderr);
    assert!(!run.stderr.contains("error"), "no error expected:\n{}", run.stderr);
    assert_accepted(&run.stdout, &file);
    block.iter().map(|l| l.to_string()).collect()
}

fn hint_of(block: &[String]) -> Option<&str> {
    block.iter().find_map(|l| l.trim_start().strip_prefix("= hint: "))
}

/// Every fixture of this file, with its one warning's position.
const FIXTURES: [&str; 5] = [
    "warn_zone_fails_monthly",
    "warn_fails_faster_than_recovers",
    "warn_not_in_service",
    "warn_no_zone",
    "warn_standby_one_az",
];

#[test]
fn a_zone_failing_every_six_minutes() {
    let block = expect_single_warning(
        "warn_zone_fails_monthly",
        6,
        32,
        "mean time to failure 6m is less than a month for an Az",
    );
    assert_eq!(hint_of(&block), Some("\"6m\" is 6 minutes; months are not a unit: write \"180d\""));
    let lines: Vec<&str> = block.iter().map(String::as_str).collect();
    assert_eq!(caret(&lines), (32, "\"6m\"".len()), "the caret underlines the duration");
}

#[test]
fn failing_faster_than_it_recovers() {
    let file = fixture("warn_fails_faster_than_recovers");
    let block = expect_single_warning(
        "warn_fails_faster_than_recovers",
        11,
        34,
        "mean time to failure 2h is shorter than the mean recovery (4h)",
    );
    assert_eq!(hint_of(&block), Some("it would be down more than up; check the number and the unit of both"));
    assert_eq!(
        block.last().map(String::as_str),
        Some(&*format!("{file}:11:67: note: the recovery is written here"))
    );
}

#[test]
fn a_component_outside_the_service() {
    let block =
        expect_single_warning("warn_not_in_service", 15, 24, "`web-3` plays no part in the service `web`");
    assert_eq!(
        hint_of(&block),
        Some(
            "nothing the service needs depends on it and no dataset keeps a copy on it, so its failures change nothing: list it in a `needs`, or remove it"
        )
    );
}

#[test]
fn an_instance_in_no_zone() {
    let block = expect_single_warning("warn_no_zone", 14, 24, "Instance `web-2` depends on no Az or Region");
    assert_eq!(
        hint_of(&block),
        Some(
            "no zone outage can reach it: add the AZ it runs in to its `needs`, e.g. `needs: All([\"use1-az1\"])`"
        )
    );
}

#[test]
fn a_standby_group_in_one_az() {
    let block = expect_single_warning(
        "warn_standby_one_az",
        18,
        24,
        "every member of standby group `db` is in Az `use1-az1`",
    );
    assert_eq!(
        hint_of(&block),
        Some(
            "one outage of `use1-az1` takes every member down, leaving nothing to fail over to: put a member in another AZ"
        )
    );
}

// ---------------------------------------------------------------------------------------------
// --deny-warnings, and the exit codes of the other commands
// ---------------------------------------------------------------------------------------------

#[test]
fn deny_warnings_fails_each_file_with_a_warning() {
    for name in FIXTURES {
        let file = fixture(name);
        let run = validate(&["--deny-warnings", &file]);
        assert_eq!(run.code, BAD_INPUT, "{file}:\n{}", run.stderr);
        assert_eq!(warning_lines(&run.stderr).len(), 1, "the warning is still printed:\n{}", run.stderr);
        assert!(
            run.stderr.ends_with(&format!("{file}: 1 warning, denied by --deny-warnings\n")),
            "count line missing:\n{}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{file} is not `ok`");
    }
    // The horizon warning counts too.
    let file = fixture("injection_after_horizon");
    assert_eq!(validate(&["--deny-warnings", &file]).code, BAD_INPUT);
}

#[test]
fn deny_warnings_passes_a_file_without_warnings() {
    let clean = scratch("deny-clean.ron", VALID_ANONYMOUS.as_bytes()).display().to_string();
    let run = validate(&["--deny-warnings", &clean]);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_accepted(&run.stdout, &clean);

    // One file with a warning among clean ones fails the run; the clean ones are still `ok`.
    let warned = fixture("warn_no_zone");
    let run = validate(&["--deny-warnings", &clean, &warned]);
    assert_eq!(run.code, BAD_INPUT, "stderr:\n{}", run.stderr);
    assert_accepted(&run.stdout, &clean);
}

#[test]
fn every_bundled_scenario_passes_deny_warnings() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let args: Vec<&str> =
        std::iter::once("--deny-warnings").chain(files.iter().map(String::as_str)).collect();
    let run = validate(&args);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
    assert_eq!(run.stderr, "", "no bundled scenario has a warning");
}

/// Runs the binary with `args` from the crate root.
fn faultline(args: &[&str]) -> Run {
    let output = harness::faultline(args);
    Run { code: output.exit_code(), stdout: output.stdout, stderr: output.stderr }
}

#[test]
fn warnings_do_not_change_the_exit_code_of_other_commands() {
    let file = fixture("warn_no_zone");
    let header = header(&file, 14, 24, "warning", "Instance `web-2` depends on no Az or Region");
    let runs: [&[&str]; 5] = [
        &["validate", &file],
        &["run", &file, "--replications", "20", "-q"],
        // With --horizon the file's horizon warnings are checked again; the others still show.
        &["run", &file, "--replications", "20", "--horizon", "2y", "-q"],
        &["graph", &file],
        &["cutsets", &file, "--order", "1"],
    ];
    for args in runs {
        let run = faultline(args);
        assert_eq!(run.code, 0, "faultline {args:?}:\n{}", run.stderr);
        assert_eq!(
            run.stderr.lines().filter(|l| *l == header).count(),
            1,
            "faultline {args:?} prints the warning once:\n{}",
            run.stderr
        );
        assert!(!run.stdout.is_empty(), "faultline {args:?} printed nothing");
    }
}

// ---------------------------------------------------------------------------------------------
// The rules' edges, through the library
// ---------------------------------------------------------------------------------------------

/// The warnings of `text` as `(line, col, message)`, in file order.
fn warnings(text: &str) -> Vec<(usize, usize, String)> {
    let compiled = compile_str(text).unwrap_or_else(|d| panic!("expected a valid scenario, got {d:#?}"));
    let map = SourceMap::new(text);
    compiled
        .warnings
        .iter()
        .map(|d| {
            let at = map.line_col(d.span.expect("a position").start);
            (at.line, at.col, d.message.clone())
        })
        .collect()
}

/// The 1-based line and character column where `needle` (which must occur once) starts.
fn position(text: &str, needle: &str) -> (usize, usize) {
    assert_eq!(text.matches(needle).count(), 1, "`{needle}` occurs once");
    let before = &text[..text.find(needle).unwrap()];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    (line, col)
}

/// A warning at the start of `needle`.
fn at(text: &str, needle: &str, message: &str) -> (usize, usize, String) {
    let (line, col) = position(text, needle);
    (line, col, message.to_string())
}

/// Just the messages.
fn messages(text: &str) -> Vec<String> {
    warnings(text).into_iter().map(|(_, _, m)| m).collect()
}

/// A scenario with `profiles`, `shared` and one architecture's `components` and service.
fn scenario(profiles: &str, shared: &str, components: &str, service: &str) -> String {
    format!(
        "(name: \"t\", horizon: \"1y\",\n profiles: {{ {profiles} }},\n shared: [ {shared} ],\n architectures: [(name: \"a\", components: [ {components} ], service: \"{service}\")])"
    )
}

const AZS: &str = r#"(name: "az1", kind: Az, fail: Never), (name: "az2", kind: Az, fail: Never)"#;

#[test]
fn a_mode_is_checked_value_by_value() {
    let text = scenario(
        r#""region": (modes: [(name: "outage", fail: Exp(mean: "2m")), (name: "quake", fail: Never)],
                     recover: Repair("4h"))"#,
        r#"(name: "r", kind: Region, profile: "region")"#,
        r#"(name: "web", kind: Instance, needs: All(["r"]),
            modes: [(name: "crash", fail: Exp(mean: "1h"), recover: Repair(Exp(mean: "3h"))),
                    (name: "slow", fail: Exp(mean: "1y"))], recover: Repair("1h"))"#,
        "web",
    );
    assert_eq!(
        warnings(&text),
        [
            at(&text, "\"2m\"", "mean time to failure 2m is less than a month for a Region"),
            at(&text, "\"1h\"), recover", "mean time to failure 1h is shorter than the mean recovery (3h)"),
        ]
    );
}

#[test]
fn a_value_is_warned_about_once_however_many_use_it() {
    // One profile, three AZs, shared by two architectures: one warning, at the profile.
    let text = r#"(name: "t", horizon: "1y",
 profiles: { "az": (fail: Exp(mean: "10d"), recover: Repair("1h")) },
 shared: [(name: "az1", kind: Az, profile: "az"), (name: "az2", kind: Az, profile: "az"),
          (name: "az3", kind: Az, profile: "az")],
 architectures: [
   (name: "a", components: [(name: "g", kind: Group, needs: Any(["az1", "az2", "az3"]))], service: "g"),
   (name: "b", components: [(name: "g", kind: Group, needs: All(["az1", "az2", "az3"]))], service: "g"),
 ])"#;
    assert_eq!(
        warnings(text),
        [at(text, "\"10d\"", "mean time to failure 10d is less than a month for an Az")]
    );
    let compiled = compile_str(text).unwrap();
    assert_eq!(
        compiled.warnings[0].hint.as_deref(),
        Some(
            "an Az usually fails months or years apart (e.g. \"43800h\", \"5y\"); check the number and the unit"
        )
    );
}

#[test]
fn the_monthly_rule_is_for_zones_and_power_only_and_spares_cold_standby_members() {
    // A running MTTF of 69 h is a neglected generator's; its clock runs only while it carries
    // the load (passive: Cold). Hot, the same figure is a slip. An instance may fail weekly.
    let group = |passive: &str| {
        scenario(
            r#""gen": (fail: Exp(mean: "69h"), recover: Repair("2h"))"#,
            "",
            &format!(
                r#"(name: "utility", kind: Power, fail: Exp(mean: "6260h"), recover: Repair("4h")),
                   (name: "generator", kind: Power, profile: "gen"),
                   (name: "power", kind: Group, standby: (members: ["utility", "generator"],
                    detect: "20ms", switch: "10s", passive: {passive}))"#
            ),
            "power",
        )
    };
    assert_eq!(messages(&group("Cold")), Vec::<String>::new());
    assert_eq!(
        messages(&group("Hot")),
        ["mean time to failure 2d21h is less than a month for a Power source"]
    );
    let weekly = scenario(
        "",
        AZS,
        r#"(name: "web", kind: Instance, fail: Exp(mean: "7d"), recover: Repair("1h"), needs: All(["az1"]))"#,
        "web",
    );
    assert_eq!(messages(&weekly), Vec::<String>::new());
}

#[test]
fn the_mean_recovery_counts_alerting_and_a_replacement_in_full() {
    // Repair 1 h after a 2 h alerting delay: 3 h down per 2.5 h up.
    let alert = scenario(
        "",
        AZS,
        r#"(name: "db", kind: Database, fail: Exp(mean: "2.5h"), detect: "2h", recover: Repair(Exp(mean: "1h")),
            needs: All(["az1"]))"#,
        "db",
    );
    assert_eq!(
        messages(&alert),
        ["mean time to failure 2h30m is shorter than the mean recovery (3h, alerting included)"]
    );
    // Replace: detect + launch = 40 m against 30 m; 20 m against 30 m is fine.
    let replace = |launch: &str| {
        scenario(
            "",
            AZS,
            &format!(
                r#"(name: "web", kind: Instance, fail: Exp(mean: "30m"), needs: All(["az1"]),
                    recover: Replace(detect: "10m", launch: Exp(mean: "{launch}")))"#
            ),
            "web",
        )
    };
    let text = replace("30m");
    assert_eq!(
        warnings(&text),
        [at(&text, "\"30m\"), needs", "mean time to failure 30m is shorter than the mean recovery (40m)")]
    );
    assert_eq!(messages(&replace("10m")), Vec::<String>::new());
}

#[test]
fn copies_queues_and_standby_members_are_part_of_the_service() {
    // Nothing outside the service: the replica host, the backup store, the restore target
    // and what they need, the queue's consumers, the standby members.
    let text = r#"(name: "t", horizon: "1y",
 shared: [(name: "az1", kind: Az, fail: Never), (name: "az2", kind: Az, fail: Never)],
 architectures: [(name: "a", components: [
    (name: "db-a", kind: Database, fail: Never, needs: All(["az1"])),
    (name: "db-b", kind: Database, fail: Never, needs: All(["az2"])),
    (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "1m", switch: "1m")),
    (name: "rep", kind: Database, fail: Never, needs: All(["az2"])),
    (name: "dr-az", kind: Az, fail: Never),
    (name: "dr", kind: Database, fail: Never, needs: All(["dr-az"])),
    (name: "s3", kind: Storage, fail: Never),
    (name: "q", kind: Queue, fail: Never, retention: "4d", needs: All(["az1"])),
    (name: "worker", kind: Instance, fail: Never, needs: All(["az2"])),
    (name: "enqueue", kind: Group, needs: Async(queue: "q", consumers: "worker")),
    (name: "svc", kind: Group, needs: All(["db", "enqueue"])),
  ],
  data: [(name: "orders", holder: "db", replicas: [(on: "rep", mode: Sync)], promote: "1m", resync: "1m",
          backups: [(every: "1d", to: "s3", restore: "1h", into: "dr")])],
  service: "svc")])"#;
    assert_eq!(messages(text), Vec::<String>::new());
    // Without the dataset, its copies' hosts are left outside (and `dr-az` with `dr`).
    let no_data = text
        .replace(r#"data: [(name: "orders", holder: "db", replicas: [(on: "rep", mode: Sync)], promote: "1m", resync: "1m","#, "data: [],")
        .replace(r#"          backups: [(every: "1d", to: "s3", restore: "1h", into: "dr")])],"#, "");
    assert_eq!(
        messages(&no_data),
        [
            "`rep` plays no part in the service `svc`",
            "`dr-az` plays no part in the service `svc`",
            "`dr` plays no part in the service `svc`",
            "`s3` plays no part in the service `svc`",
        ]
    );
}

#[test]
fn a_shared_component_outside_one_design_is_not_warned_about() {
    let text = scenario(
        "",
        r#"(name: "az1", kind: Az, fail: Never), (name: "spare", kind: Instance, fail: Never, needs: All(["az1"]))"#,
        r#"(name: "web", kind: Instance, fail: Never, needs: All(["az1"]))"#,
        "web",
    );
    assert_eq!(messages(&text), Vec::<String>::new());
}

#[test]
fn a_zone_is_reached_through_any_rule_standby_members_and_datasets() {
    let text = r#"(name: "t", horizon: "1y",
 shared: [(name: "use1", kind: Region, fail: Never), (name: "az1", kind: Az, fail: Never)],
 architectures: [(name: "a", components: [
    (name: "db-a", kind: Database, fail: Never, needs: Any(["use1", "az1"])),
    (name: "db-b", kind: Database, fail: Never, needs: AtLeast(1, ["az1"])),
    (name: "db", kind: Group, standby: (members: ["db-a", "db-b"], detect: "1m", switch: "1m")),
    (name: "app", kind: Instance, fail: Never, needs: All(["db"])),
    (name: "reader", kind: Instance, fail: Never, needs: All(["orders"])),
    (name: "lb", kind: LoadBalancer, fail: Never, needs: All(["app", "reader"])),
    (name: "dns", kind: Dns, fail: Never),
    (name: "svc", kind: Group, needs: All(["lb", "dns"])),
  ],
  data: [(name: "orders", holder: "db-a")],
  service: "svc")])"#;
    // `dns` is not one of the kinds that live in a zone.
    assert_eq!(messages(text), Vec::<String>::new());
    let lone = text.replace(
        r#"(name: "reader", kind: Instance, fail: Never, needs: All(["orders"]))"#,
        r#"(name: "reader", kind: Instance, fail: Never)"#,
    );
    assert_eq!(messages(&lone), ["Instance `reader` depends on no Az or Region"]);
}

#[test]
fn a_standby_group_in_the_only_az_of_the_design_is_not_warned_about() {
    let pair = |shared: &str| {
        scenario(
            "",
            shared,
            r#"(name: "a", kind: Instance, fail: Never, needs: All(["az1"])),
               (name: "b", kind: Instance, fail: Never, needs: All(["az1"])),
               (name: "g", kind: Group, standby: (members: ["a", "b"], detect: "1m", switch: "1m"))"#,
            "g",
        )
    };
    // One site modelled on purpose: nowhere else to put the mirror.
    assert_eq!(messages(&pair(r#"(name: "az1", kind: Az, fail: Never)"#)), Vec::<String>::new());
    assert_eq!(messages(&pair(AZS)), ["every member of standby group `g` is in Az `az1`"]);
    // A member that needs either AZ is in neither.
    let spread = pair(AZS).replace(
        r#"(name: "b", kind: Instance, fail: Never, needs: All(["az1"]))"#,
        r#"(name: "b", kind: Instance, fail: Never, needs: Any(["az1", "az2"]))"#,
    );
    assert_eq!(messages(&spread), Vec::<String>::new());
}

#[test]
fn a_file_with_errors_gets_no_slip_warnings() {
    // In a half-built model they would be noise: `web-2` needs an unknown name here.
    let text = std::fs::read_to_string(fixture("warn_no_zone")).unwrap().replace(
        r#"(name: "web-2", kind: Instance, profile: "ec2")"#,
        r#"(name: "web-2", kind: Instance, profile: "ec3")"#,
    );
    let diagnostics = compile_str(&text).unwrap_err();
    let all: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(all, ["unknown profile `ec3`"]);
}

#[test]
fn run_and_compare_check_the_horizon_warning_against_horizon() {
    let text = r#"// Valid: two designs; an injection at 2y, after the 1y horizon.
(name: "t", horizon: "1y", replications: 5, random: false,
 shared: [(name: "az1", kind: Az, fail: Never)],
 architectures: [
   (name: "a", components: [(name: "web", kind: Instance, fail: Never, needs: All(["az1"]))], service: "web"),
   (name: "b", components: [(name: "web", kind: Instance, fail: Never, needs: All(["az1"]))], service: "web"),
 ],
 injections: [(target: "web", at: "2y", duration: "1h")])
"#;
    let file = scratch("late-injection-two-designs.ron", text.as_bytes()).display().to_string();
    let (line, col) = position(text, "\"2y\"");
    let late = header(&file, line, col, "warning", "injection at `2y` starts at or after the horizon (1y)");
    for command in ["run", "compare"] {
        let run = faultline(&[command, &file, "-q"]);
        assert_eq!(run.code, 0, "{command}:\n{}", run.stderr);
        assert_eq!(run.stderr.lines().filter(|l| *l == late).count(), 1, "{command}:\n{}", run.stderr);
        // With a horizon that reaches it, the injection happens: no warning.
        let run = faultline(&[command, &file, "--horizon", "3y", "-q"]);
        assert_eq!(run.code, 0, "{command}:\n{}", run.stderr);
        assert_eq!(run.stderr, "", "{command} --horizon 3y");
        // With a horizon still short of it, the warning names --horizon.
        let run = faultline(&[command, &file, "--horizon", "6m", "-q"]);
        assert_eq!(
            run.stderr,
            format!(
                "{file}: warning: injection of `web` at 2y starts at or after the horizon (6m) given by --horizon\n  = hint: it will never happen; move it earlier or lengthen the horizon\n"
            ),
            "{command}"
        );
    }
}

#[test]
fn the_readme_example_is_what_validate_prints() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let command = "$ faultline validate --deny-warnings tests/fixtures/broken/warn_zone_fails_monthly.ron\n";
    let start = readme.find(command).expect("the example is in the README") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").expect("the end of the block")];
    let run = validate(&["--deny-warnings", &fixture("warn_zone_fails_monthly")]);
    assert_eq!(run.code, BAD_INPUT);
    assert_eq!(run.stderr, shown);
}
