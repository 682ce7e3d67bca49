//! Diagnostics of planned maintenance: windows that never end, a zero period, a target in no
//! architecture or a dataset, a first window past the horizon, a misspelt field, an
//! `availability_unplanned` target out of [0, 1].

use super::*;

/// A one-design file (a database `db` holding dataset `orders`) whose maintenance list (line
/// 5) is `windows` and whose objectives (line 2) are `objectives`.
fn text(windows: &str, objectives: &str) -> String {
    format!(
        "(name: \"m\", horizon: \"1y\",\n    objectives: ({objectives}),\n    architectures: [(name: \"a\", components: [(name: \"db\", kind: Database, fail: Never)],\n        data: [(name: \"orders\", holder: \"db\")], service: \"db\")],\n    maintenance: [{windows}],\n)\n"
    )
}

#[test]
fn a_window_as_long_as_its_period_never_ends() {
    let t = text(r#"(target: "db", every: "1h", duration: "1h")"#, "");
    let (code, file, stderr) = validate_text("maintenance-never-ends", &t);
    assert_eq!(code, BAD_INPUT);
    let col = column(&t, 5, "\"1h\")");
    let block = assert_error(&stderr, &file, 5, col, "a maintenance window of `1h` every `1h` never ends");
    assert_eq!(hint(&block), Some("`duration` must be shorter than `every`"));
}

#[test]
fn a_zero_period() {
    let t = text(r#"(target: "db", every: "0s", duration: "1h")"#, "");
    let (code, file, stderr) = validate_text("maintenance-zero", &t);
    assert_eq!(code, BAD_INPUT);
    assert_error(
        &stderr,
        &file,
        5,
        column(&t, 5, "\"0s\""),
        "a maintenance `every` must be longer than 0, got `0s`",
    );
}

#[test]
fn a_target_in_no_architecture_suggests_the_nearest_name() {
    let t = text(r#"(target: "dbb", every: "7d", duration: "30m")"#, "");
    let (code, file, stderr) = validate_text("maintenance-target", &t);
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(
        &stderr,
        &file,
        5,
        column(&t, 5, "\"dbb\""),
        "maintenance target `dbb` is in no architecture",
    );
    assert_eq!(hint(&block), Some("did you mean `db`?"));
}

#[test]
fn a_dataset_cannot_be_maintained() {
    let t = text(r#"(target: "orders", every: "7d", duration: "30m")"#, "");
    let (code, file, stderr) = validate_text("maintenance-dataset", &t);
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(
        &stderr,
        &file,
        5,
        column(&t, 5, "\"orders\""),
        "`orders` is a dataset and cannot be maintained",
    );
    assert_eq!(hint(&block), Some("put the window on the component that holds it"));
}

#[test]
fn a_first_window_past_the_horizon_is_a_warning() {
    let t = text(r#"(target: "db", every: "7d", at: "2y", duration: "30m")"#, "");
    let (code, file, stderr) = validate_text("maintenance-late", &t);
    assert_eq!(code, 0, "{stderr}");
    let block = assert_diagnostic(
        &stderr,
        &file,
        5,
        column(&t, 5, "\"2y\""),
        "warning",
        "maintenance at `2y` starts at or after the horizon (1y)",
    );
    assert_eq!(hint(&block), Some("it will never happen; move it earlier or lengthen the horizon"));
}

#[test]
fn a_misspelt_field_lists_the_right_ones() {
    let t = text(r#"(target: "db", every: "7d", start: "3h", duration: "30m")"#, "");
    let (code, file, stderr) = validate_text("maintenance-field", &t);
    assert_eq!(code, BAD_INPUT);
    let line =
        stderr.lines().find(|l| l.starts_with(&format!("{file}:5:"))).unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("error") && line.contains("start"), "{line}");
    assert!(stderr.contains("`at`"), "the expected fields are listed:\n{stderr}");
}

#[test]
fn an_unplanned_availability_target_out_of_range() {
    let t = text(r#"(target: "db", every: "7d", duration: "30m")"#, "availability_unplanned: 99.95");
    let (code, file, stderr) = validate_text("maintenance-objective", &t);
    assert_eq!(code, BAD_INPUT);
    let block = assert_error(
        &stderr,
        &file,
        2,
        column(&t, 2, "99.95"),
        "an availability target is a fraction in [0, 1], got 99.95",
    );
    assert_eq!(hint(&block), Some("write 99.95% as 0.9995"));
}
