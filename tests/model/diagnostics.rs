//! Integration tests of `faultline validate` diagnostics: one broken fixture per diagnostic
//! class in `tests/fixtures/broken/`, each checked for the exit code, the exact `line:col`
//! and the message text, as a user sees them on stderr.
//!
//! The binary runs with the crate root as its working directory and relative fixture paths,
//! so every diagnostic starts with `tests/fixtures/broken/NAME.ron:LINE:COL: `.

use std::path::PathBuf;

use crate::harness;

/// The high-availability forms, with the same helpers.
#[path = "diagnostics/ha.rs"]
mod ha;

/// The data forms (modes, datasets), with the same helpers.
#[path = "diagnostics/data.rs"]
mod data;

/// Costs, warm standby factors, repair priorities and battery sources, with the same helpers.
#[path = "diagnostics/cost.rs"]
mod cost;

/// Derived designs (`extends`, `remove`), with the same helpers.
#[path = "diagnostics/derived.rs"]
mod derived;

/// Planned maintenance windows and the unplanned availability objective, with the same helpers.
#[path = "diagnostics/maintenance.rs"]
mod maintenance;

/// Degraded capacity (`full` on a group), with the same helpers.
#[path = "diagnostics/capacity.rs"]
mod capacity;

/// Warnings for likely modelling slips and `--deny-warnings`, with the same helpers.
#[path = "diagnostics/warnings.rs"]
mod warnings;

/// Where the broken fixtures live, relative to the crate root.
const BROKEN: &str = "tests/fixtures/broken";

/// Exit code for bad input (`cli::EXIT_BAD_INPUT`).
const BAD_INPUT: i32 = 2;

/// The path of fixture `name` as passed to the binary, and so as printed in diagnostics.
fn fixture(name: &str) -> String {
    format!("{BROKEN}/{name}.ron")
}

/// What one run of the binary produced.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `faultline validate PATHS...` from the crate root.
fn validate(paths: &[&str]) -> Run {
    let output = harness::faultline(&[&["validate"], paths].concat());
    Run { code: output.exit_code(), stdout: output.stdout, stderr: output.stderr }
}

/// Runs `validate` on one fixture; returns (exit code, stderr).
fn run_fixture(name: &str) -> (i32, String) {
    let run = validate(&[&fixture(name)]);
    (run.code, run.stderr)
}

/// The header line of a diagnostic, exactly as printed.
fn header(file: &str, line: usize, col: usize, level: &str, message: &str) -> String {
    format!("{file}:{line}:{col}: {level}: {message}")
}

/// Asserts that `stderr` has the line `FILE:LINE:COL: LEVEL: MESSAGE` (exactly once) and returns
/// its block: the header, the source excerpt, the hint and any `note:` lines.
fn assert_diagnostic<'s>(
    stderr: &'s str,
    file: &str,
    line: usize,
    col: usize,
    level: &str,
    message: &str,
) -> Vec<&'s str> {
    let wanted = header(file, line, col, level, message);
    let lines: Vec<&str> = stderr.lines().collect();
    let at: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| **l == wanted).map(|(i, _)| i).collect();
    assert_eq!(at.len(), 1, "expected the line\n  {wanted}\nonce in stderr:\n{stderr}");
    let origin = format!("{file}:");
    let rest =
        lines[at[0] + 1..].iter().take_while(|l| !l.starts_with(&origin) || l.contains(": note: ")).copied();
    std::iter::once(lines[at[0]]).chain(rest).collect()
}

/// Asserts `FILE:LINE:COL: error: MESSAGE` is in `stderr`; returns its block.
fn assert_error<'s>(stderr: &'s str, file: &str, line: usize, col: usize, message: &str) -> Vec<&'s str> {
    assert_diagnostic(stderr, file, line, col, "error", message)
}

/// The hint of a diagnostic block, if any.
fn hint<'s>(block: &[&'s str]) -> Option<&'s str> {
    block.iter().find_map(|l| l.trim_start().strip_prefix("= hint: "))
}

/// The 1-based column and width of the caret line of a diagnostic block (excerpt without tabs).
fn caret(block: &[&str]) -> (usize, usize) {
    let line = block.iter().find(|l| l.contains('^')).expect("a caret line");
    let text = &line[line.find(" | ").expect("a gutter") + 3..];
    let col = text.find('^').expect("a caret") + 1;
    (col, text.matches('^').count())
}

/// Runs a fixture that must fail with exactly one error, `LINE:COL: error: MESSAGE`; checks the
/// exit code, the count line and that the caret sits under `COL`; returns the hint.
fn expect_single_error(name: &str, line: usize, col: usize, message: &str) -> Option<String> {
    let file = fixture(name);
    let (code, stderr) = run_fixture(name);
    assert_eq!(code, BAD_INPUT, "exit code of {file}; stderr:\n{stderr}");
    let block = assert_error(&stderr, &file, line, col, message);
    assert_eq!(caret(&block).0, col, "caret column in:\n{}", block.join("\n"));
    assert_eq!(
        stderr.lines().filter(|l| l.contains(": error: ")).count(),
        1,
        "exactly one error expected:\n{stderr}"
    );
    assert!(stderr.ends_with(&format!("{file}: 1 error\n")), "count line missing:\n{stderr}");
    hint(&block).map(str::to_string)
}

/// Asserts that `stdout` is the one summary line of an accepted file (`FILE: ok: ...`); the
/// wording of the summary is not what these tests are about.
fn assert_accepted(stdout: &str, file: &str) {
    let prefix = format!("{file}: ok: ");
    assert!(
        stdout.starts_with(&prefix) && stdout.ends_with('\n') && stdout.lines().count() == 1,
        "expected one `{prefix}...` line on stdout, got:\n{stdout}"
    );
}

/// `validate` of `text`, written to scratch file `name`: (exit code, the file as printed,
/// stderr).
fn validate_text(name: &str, text: &str) -> (i32, String, String) {
    let file = scratch(name, text.as_bytes()).display().to_string();
    let run = validate(&[&file]);
    (run.code, file, run.stderr)
}

/// The 1-based column of the first `needle` on 1-based line `line` of `text`.
fn column(text: &str, line: usize, needle: &str) -> usize {
    let at = text.lines().nth(line - 1).unwrap_or_else(|| panic!("no line {line}"));
    at.find(needle).unwrap_or_else(|| panic!("no {needle} on line {line}: {at}")) + 1
}

/// A scratch file for tests that need content no fixture holds; unique per test.
fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    harness::scratch_file(&format!("diagnostics-{name}"), contents)
}

/// A valid scenario without the optional top-level struct name.
const VALID_ANONYMOUS: &str = r#"// Valid: the top-level struct name is left out.
(
    name: "anonymous",
    horizon: "1y",
    architectures: [
        (
            name: "one",
            components: [
                (name: "az-1", kind: Az, fail: Never),
                (name: "web-1", kind: Instance, fail: Never, needs: All(["az-1"])),
            ],
            service: "web-1",
        ),
    ],
)
"#;

// ---------------------------------------------------------------------------------------------
// RON syntax and schema (reported by ron, positions from its spans)
// ---------------------------------------------------------------------------------------------

#[test]
fn syntax_missing_comma() {
    let hint = expect_single_error("syntax_missing_comma", 5, 5, "expected comma");
    assert_eq!(hint.as_deref(), Some("separate fields and list items with `,`"));
}

#[test]
fn syntax_unclosed_paren() {
    // The file ends with a newline after its line 16: the end of file is line 17, column 1.
    let hint = expect_single_error("syntax_unclosed_paren", 17, 1, "unexpected end of file");
    assert_eq!(hint.as_deref(), Some("a closing `)`, `]` or `}` may be missing"));
}

#[test]
fn unknown_field() {
    let hint = expect_single_error(
        "unknown_field",
        4,
        5,
        "unexpected field named `horizn` in `Scenario`, expected one of `name`, `seed`, `horizon`, \
         `replications`, `precision`, `random`, `objectives`, `profiles`, `crews`, `shared`, `architectures`, `injections`, \
         or `maintenance` instead",
    );
    assert_eq!(hint.as_deref(), Some("did you mean `horizon`?"));
}

#[test]
fn unknown_kind() {
    let hint = expect_single_error(
        "unknown_kind",
        12,
        39,
        "unexpected variant named `Instanse` in enum `kind`, expected one of `Region`, `Az`, `Power`, \
         `Link`, `Instance`, `Storage`, `Database`, `LoadBalancer`, `Dns`, `Queue`, or `Group` instead",
    );
    assert_eq!(hint.as_deref(), Some("did you mean `Instance`?"));
}

#[test]
fn unknown_distribution() {
    let hint = expect_single_error(
        "unknown_distribution",
        6,
        23,
        "unexpected variant named `Weibul` in enum `distribution`, expected one of `Exp`, `Weibull`, \
         `LogNormal`, `Fixed`, `Uniform`, `HealthCheck`, or `Never` instead",
    );
    assert_eq!(hint.as_deref(), Some("did you mean `Weibull`?"));
}

#[test]
fn unknown_variant_in_recover() {
    let hint = expect_single_error(
        "unknown_variant_recover",
        6,
        52,
        "unexpected variant named `Repare` in enum `recover`, expected either `Repair` or `Replace` instead",
    );
    assert_eq!(hint.as_deref(), Some("did you mean `Repair`?"));
}

#[test]
fn unknown_variant_in_needs() {
    let hint = expect_single_error(
        "unknown_variant_needs",
        13,
        51,
        "unexpected variant named `Anyy` in enum `needs`, expected one of `All`, `Any`, `AtLeast`, or `Async` instead",
    );
    assert_eq!(hint.as_deref(), Some("did you mean `Any`?"));
}

#[test]
fn name_that_is_not_a_string() {
    let hint = expect_single_error("name_not_string", 12, 24, "expected string");
    assert_eq!(hint.as_deref(), Some("names and durations are written in double quotes, e.g. \"4h\""));
}

#[test]
fn wrong_top_level_struct_name() {
    let file = fixture("wrong_struct_name");
    let hint =
        expect_single_error("wrong_struct_name", 2, 1, "expected `Scenario(...)` here, found `Scenaro(...)`");
    assert_eq!(hint.as_deref(), Some("write `Scenario(...)` or leave the name out: `(...)`"));
    let (_, stderr) = run_fixture("wrong_struct_name");
    let block = assert_error(&stderr, &file, 2, 1, "expected `Scenario(...)` here, found `Scenaro(...)`");
    assert_eq!(caret(&block), (1, "Scenaro".len()));
}

#[test]
fn top_level_struct_name_may_be_left_out() {
    let path = scratch("anonymous.ron", VALID_ANONYMOUS.as_bytes());
    let shown = path.display().to_string();
    let run = validate(&[&shown]);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_accepted(&run.stdout, &shown);
}

// ---------------------------------------------------------------------------------------------
// Values: durations, distributions, objectives
// ---------------------------------------------------------------------------------------------

const DURATION_HINT: &str = "durations are a number and a unit: \"250ms\", \"30s\", \"15m\", \"4h\", \"30d\", \"2y\" (decimals allowed: \"1.5h\"; several units largest first: \"1h30m\")";

const ZERO_HINT: &str = "a mean, a time to failure, the horizon and an injection's duration must be positive; only a delay written as a duration (\"0s\" or Fixed(\"0s\")) may be zero";

#[test]
fn bad_duration() {
    let hint = expect_single_error("bad_duration", 6, 69, "`4 hours` is not a duration");
    assert_eq!(hint.as_deref(), Some(DURATION_HINT));
}

#[test]
fn compound_duration_with_units_out_of_order() {
    let hint = expect_single_error(
        "duration_units_out_of_order",
        6,
        69,
        "`30m1h` has its units out of order: `h` after `m`",
    );
    assert_eq!(hint.as_deref(), Some("units go largest first (y d h m s ms), each once: write \"1h30m\""));
}

#[test]
fn compound_duration_with_a_unit_twice() {
    let hint = expect_single_error("duration_unit_twice", 14, 59, "`1d2h3h` has the unit `h` twice");
    assert_eq!(hint.as_deref(), Some("units go largest first (y d h m s ms), each once: write \"1d5h\""));
}

#[test]
fn compound_durations_are_accepted_and_equal_their_single_unit_forms() {
    let text = VALID_ANONYMOUS.replace("horizon: \"1y\"", "horizon: \"1y36d12h\"");
    assert!(text.contains("1y36d12h"));
    let path = scratch("compound.ron", text.as_bytes());
    let run = validate(&[path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_accepted(&run.stdout, path.to_str().unwrap());
    let horizon = |literal: &str| {
        faultline::model::compile_str(&VALID_ANONYMOUS.replace("\"1y\"", literal)).unwrap().system.horizon
    };
    assert_eq!(horizon("\"1h30m\""), horizon("\"90m\""));
    assert_eq!(horizon("\"1h30m\""), horizon("\"1.5h\""));
    assert_eq!(horizon("\"2d12h\"").as_ms(), 60 * 3_600_000);
}

#[test]
fn zero_mean() {
    let hint = expect_single_error("zero_mean", 6, 33, "a mean must be longer than 0, got `0s`");
    assert_eq!(hint.as_deref(), Some(ZERO_HINT));
}

#[test]
fn non_positive_weibull_shape() {
    let hint = expect_single_error("weibull_shape", 6, 39, "the Weibull shape must be positive, got 0");
    assert_eq!(hint.as_deref(), Some("shape < 1 models infant mortality, 1 is exponential, > 1 wear-out"));
}

#[test]
fn non_positive_lognormal_sigma() {
    let hint = expect_single_error("lognormal_sigma", 6, 88, "sigma must be positive, got -0.5");
    assert_eq!(hint.as_deref(), Some("sigma is the standard deviation of ln(duration), e.g. 0.5"));
}

#[test]
fn uniform_lo_above_hi() {
    let hint = expect_single_error("uniform_lo_above_hi", 6, 59, "lo (2h) is greater than hi (1h)");
    assert_eq!(hint.as_deref(), Some("swap `lo` and `hi`"));
}

#[test]
fn availability_outside_zero_one() {
    let hint = expect_single_error(
        "availability_out_of_range",
        5,
        32,
        "an availability target is a fraction in [0, 1], got 99.95",
    );
    assert_eq!(hint.as_deref(), Some("write 99.95% as 0.9995"));
}

#[test]
fn zero_horizon() {
    let hint = expect_single_error("zero_horizon", 4, 14, "the horizon must be longer than 0, got `0s`");
    assert_eq!(hint.as_deref(), Some(ZERO_HINT));
}

#[test]
fn zero_injection_duration() {
    let hint = expect_single_error(
        "zero_injection_duration",
        17,
        58,
        "an injection's duration must be longer than 0, got `0s`",
    );
    assert_eq!(hint.as_deref(), Some(ZERO_HINT));
}

#[test]
fn zero_fixed_time_to_failure() {
    let hint =
        expect_single_error("zero_fixed_fail", 12, 33, "a time to failure must be longer than 0, got `0s`");
    assert_eq!(hint.as_deref(), Some(ZERO_HINT));
}

// ---------------------------------------------------------------------------------------------
// Components, names and the dependency graph
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_component_suggests_the_closest_name() {
    let hint = expect_single_error("unknown_component", 14, 65, "unknown component `databse`");
    assert_eq!(hint.as_deref(), Some("did you mean `database`?"));
}

#[test]
fn duplicate_name_points_at_the_second_definition() {
    let file = fixture("duplicate_name");
    let hint = expect_single_error("duplicate_name", 13, 24, "`web-1` is already defined");
    assert_eq!(
        hint.as_deref(),
        Some("names are unique within an architecture, its shared components and datasets included")
    );
    let (_, stderr) = run_fixture("duplicate_name");
    let block = assert_error(&stderr, &file, 13, 24, "`web-1` is already defined");
    assert_eq!(
        block.last().copied(),
        Some(header(&file, 12, 24, "note", "first definition of `web-1`").as_str())
    );
}

#[test]
fn dependency_cycle_is_printed_whole() {
    let hint = expect_single_error("cycle", 12, 73, "dependency cycle: a -> b -> c -> a");
    assert_eq!(
        hint.as_deref(),
        Some("a component cannot depend on itself, directly or through others; remove one of these needs")
    );
}

#[test]
fn dependency_cycle_renders_exactly() {
    let (code, stderr) = run_fixture("cycle");
    assert_eq!(code, BAD_INPUT);
    let f = fixture("cycle");
    let expected = format!(
        "{f}:12:73: error: dependency cycle: a -> b -> c -> a
   |
12 |                 (name: \"a\", kind: Instance, profile: \"ec2\", needs: All([\"b\"])),
   |                                                                         ^^^
   = hint: a component cannot depend on itself, directly or through others; remove one of these needs
{f}: 1 error
"
    );
    assert_eq!(stderr, expected);
}

#[test]
fn at_least_zero() {
    let hint = expect_single_error("atleast_zero", 14, 59, "`AtLeast` needs k >= 1");
    assert_eq!(hint.as_deref(), Some("with k = 0 the dependency always holds: remove `needs` instead"));
}

#[test]
fn at_least_more_than_listed() {
    let hint = expect_single_error("atleast_too_many", 14, 59, "`AtLeast(3, ..)` lists only 2 components");
    assert_eq!(hint.as_deref(), Some("k must be between 1 and 2"));
}

#[test]
fn missing_fail() {
    let hint = expect_single_error("missing_fail", 9, 24, "component `web-1` has no `fail`");
    assert_eq!(
        hint.as_deref(),
        Some("add `fail: Exp(mean: \"2000h\")` (or `fail: Never`), or a `profile` that has one")
    );
}

#[test]
fn missing_recover() {
    let hint =
        expect_single_error("missing_recover", 9, 24, "component `web-1` can fail but has no `recover`");
    assert_eq!(
        hint.as_deref(),
        Some(
            "add `recover: Repair(Exp(mean: \"4h\"))` or `recover: Replace(detect: \"1m\", launch: \"4m\")`"
        )
    );
}

#[test]
fn group_with_fail() {
    let hint = expect_single_error("group_with_fail", 13, 50, "group `web` cannot fail on its own");
    assert_eq!(
        hint.as_deref(),
        Some("a Group is up iff its `needs` hold: remove `fail`, `recover` and `profile` from it")
    );
}

#[test]
fn unknown_service() {
    // `wbe` is two edits from `web`, too far for a suggestion: the hint lists the names instead.
    let hint = expect_single_error("unknown_service", 15, 22, "unknown component `wbe`");
    assert_eq!(hint.as_deref(), Some("did you mean `web`?"));
}

#[test]
fn unknown_service_of_a_design_without_components() {
    let hint = expect_single_error("unknown_service_no_components", 9, 22, "unknown component `web`");
    assert_eq!(hint.as_deref(), Some("there are no components to refer to here"));
}

#[test]
fn unknown_profile() {
    let file = fixture("unknown_profile");
    let (code, stderr) = run_fixture("unknown_profile");
    assert_eq!(code, BAD_INPUT, "stderr:\n{stderr}");
    let block = assert_error(&stderr, &file, 12, 58, "unknown profile `ec3`");
    assert_eq!(hint(&block), Some("did you mean `ec2`?"));
    assert_eq!(caret(&block), (58, "\"ec3\"".len()));
}

#[test]
fn unknown_profile_is_the_only_error() {
    // The component's `fail` and `recover` come from the profile it names; when that profile
    // does not exist, the missing `fail` is a consequence, not a second mistake, and its hint
    // ("or a `profile` that has one") sends the user the wrong way.
    let hint = expect_single_error("unknown_profile", 12, 58, "unknown profile `ec3`");
    assert_eq!(hint.as_deref(), Some("did you mean `ec2`?"));
}

#[test]
fn duplicate_profile_key() {
    let file = fixture("duplicate_profile");
    let hint = expect_single_error("duplicate_profile", 7, 9, "profile `ec2` is defined twice");
    assert_eq!(hint.as_deref(), Some("rename or remove one of them"));
    let (_, stderr) = run_fixture("duplicate_profile");
    let block = assert_error(&stderr, &file, 7, 9, "profile `ec2` is defined twice");
    assert_eq!(
        block.last().copied(),
        Some(header(&file, 6, 9, "note", "first definition of `ec2`").as_str())
    );
}

#[test]
fn injection_target_in_no_architecture() {
    let hint = expect_single_error(
        "injection_target_missing",
        17,
        27,
        "injection target `web-9` is in no architecture",
    );
    assert_eq!(hint.as_deref(), Some("did you mean `web-1`?"));
}

#[test]
fn injection_after_the_horizon_is_a_warning() {
    let file = fixture("injection_after_horizon");
    let run = validate(&[&file]);
    assert_eq!(run.code, 0, "a warning alone exits 0; stderr:\n{}", run.stderr);
    let block = assert_diagnostic(
        &run.stderr,
        &file,
        18,
        40,
        "warning",
        "injection at `2y` starts at or after the horizon (1y)",
    );
    assert_eq!(hint(&block), Some("it will never happen; move it earlier or lengthen the horizon"));
    assert_eq!(run.stderr.matches(": warning: ").count(), 1, "one warning expected:\n{}", run.stderr);
    assert!(!run.stderr.contains(": error: "), "no error expected:\n{}", run.stderr);
    assert!(!run.stderr.contains(" error"), "no error count line expected:\n{}", run.stderr);
    assert_accepted(&run.stdout, &file);
}

// ---------------------------------------------------------------------------------------------
// Several errors, several files, unreadable files
// ---------------------------------------------------------------------------------------------

/// The `(line, col)` of every `FILE:L:C: error:` line of `stderr`, in print order.
fn error_positions(stderr: &str, file: &str) -> Vec<(usize, usize)> {
    let prefix = format!("{file}:");
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter(|l| l.contains(": error: "))
        .map(|l| {
            let mut parts = l.splitn(3, ':');
            let line = parts.next().and_then(|s| s.parse().ok()).expect("a line number");
            let col = parts.next().and_then(|s| s.parse().ok()).expect("a column number");
            (line, col)
        })
        .collect()
}

#[test]
fn three_errors_are_all_reported_in_file_order() {
    let file = fixture("three_errors");
    let (code, stderr) = run_fixture("three_errors");
    assert_eq!(code, BAD_INPUT, "stderr:\n{stderr}");
    let duration = assert_error(&stderr, &file, 7, 33, "`2000hrs` is not a duration");
    assert_eq!(hint(&duration), Some(DURATION_HINT));
    let unknown = assert_error(&stderr, &file, 13, 71, "unknown component `dbb`");
    // `db` itself is never suggested: it would depend on itself.
    assert_eq!(hint(&unknown), Some("known components: a, b"));
    assert_error(&stderr, &file, 14, 70, "dependency cycle: a -> b -> a");
    assert_eq!(error_positions(&stderr, &file), vec![(7, 33), (13, 71), (14, 70)]);
    assert!(stderr.ends_with(&format!("{file}: 3 errors\n")), "count line missing:\n{stderr}");
}

#[test]
fn several_files_are_all_reported() {
    let valid = scratch("several-valid.ron", VALID_ANONYMOUS.as_bytes());
    let valid = valid.display().to_string();
    let cycle = fixture("cycle");
    let zero = fixture("zero_horizon");
    let run = validate(&[&cycle, &valid, &zero]);
    assert_eq!(run.code, BAD_INPUT, "stderr:\n{}", run.stderr);
    assert_error(&run.stderr, &cycle, 12, 73, "dependency cycle: a -> b -> c -> a");
    assert_error(&run.stderr, &zero, 4, 14, "the horizon must be longer than 0, got `0s`");
    let counts: Vec<&str> = run.stderr.lines().filter(|l| l.ends_with(" error")).collect();
    assert_eq!(counts, vec![format!("{cycle}: 1 error"), format!("{zero}: 1 error")]);
    assert_accepted(&run.stdout, &valid);
}

#[test]
fn a_missing_file_is_reported_and_the_others_still_checked() {
    let missing = fixture("does_not_exist");
    let cycle = fixture("cycle");
    let run = validate(&[&missing, &cycle]);
    assert_eq!(run.code, BAD_INPUT, "stderr:\n{}", run.stderr);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("{missing}: error: cannot read the file: ")),
        "unexpected first line: {first}"
    );
    assert_error(&run.stderr, &cycle, 12, 73, "dependency cycle: a -> b -> c -> a");
}

#[test]
fn a_missing_file_alone_exits_2() {
    let missing = fixture("does_not_exist");
    let run = validate(&[&missing]);
    assert_eq!(run.code, BAD_INPUT);
    assert!(run.stderr.starts_with(&format!("{missing}: error: cannot read the file: ")), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_non_utf8_file_is_reported() {
    // "café" saved as Latin-1: the é is the single byte 0xE9, not a valid UTF-8 sequence.
    let mut bytes = b"// Breaks: the file is Latin-1, not UTF-8\n(\n    name: \"caf".to_vec();
    let offset = bytes.len();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\",\n    horizon: \"1y\",\n    architectures: [],\n)\n");
    let path = scratch("latin1.ron", &bytes);
    let shown = path.display().to_string();
    let run = validate(&[&shown]);
    assert_eq!(run.code, BAD_INPUT, "stderr:\n{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "{shown}: error: not UTF-8 text (invalid byte at offset {offset})\n  = hint: save the scenario as UTF-8\n"
        )
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn every_fixture_has_a_comment_saying_what_it_breaks() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(BROKEN);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("the fixture directory") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).expect("a UTF-8 fixture");
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("// Breaks") || first.starts_with("// Warns"),
            "{}: the first line should say what the fixture breaks",
            path.display()
        );
        let lines = text.lines().count();
        // 30: a dataset fixture needs a holder, a replica host, a backup store and an injection.
        assert!((10..=30).contains(&lines), "{}: {lines} lines, keep fixtures small", path.display());
    }
    assert!(count >= 30, "expected one fixture per diagnostic class, found {count}");
}
