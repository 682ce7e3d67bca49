//! `faultline check`: exit 0, 1 and 2 in the right cases, one line per finding.

use std::path::{Path, PathBuf};

use crate::harness;

fn check(args: &[&str]) -> (i32, String, String) {
    let out = harness::command().arg("check").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A scratch directory for one test, with a scenario whose member MTTF and objective are given.
fn setup(test: &str, mttf: &str, availability: &str, gate: bool) -> (PathBuf, PathBuf) {
    let dir = harness::scratch_dir(&format!("check-{test}"));
    let file = dir.join("pair.ron");
    write_scenario(&file, mttf, availability, gate);
    (dir, file)
}

fn write_scenario(file: &Path, mttf: &str, availability: &str, gate: bool) {
    std::fs::write(
        file,
        format!(
            r#"(name: "pair", seed: 5, horizon: "2y", replications: 300,
    objectives: (availability: {availability}, gate: {gate}),
    profiles: {{ "m": (fail: Exp(mean: "{mttf}"), recover: Repair(Exp(mean: "20h"))) }},
    architectures: [(name: "pair", service: "svc", components: [
        (name: "a", kind: Instance, profile: "m"), (name: "b", kind: Instance, profile: "m"),
        (name: "svc", kind: Group, needs: Any(["a", "b"])),
    ])])"#
        ),
    )
    .unwrap();
}

#[test]
fn objectives_met_pass_and_a_gated_miss_fails_with_one_line() {
    let (dir, file) = setup("objectives", "300h", "0.99", true);
    let baseline = dir.join("baselines");
    let (code, out, _) = check(&[file.to_str().unwrap(), "--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok (1 architecture)"), "{out}");
    write_scenario(&file, "300h", "0.99999", true);
    let (code, out, _) = check(&[file.to_str().unwrap(), "--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let fails: Vec<&str> = out.lines().filter(|l| l.contains(": FAIL: ")).collect();
    assert_eq!(fails.len(), 1, "{out}");
    assert!(fails[0].contains("pair: availability missed: expected >= 99.9990%, got "), "{}", fails[0]);
    // The same miss with the gate off is reported, not failing.
    write_scenario(&file, "300h", "0.99999", false);
    let (code, out, _) = check(&[file.to_str().unwrap(), "--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": note: pair: availability missed") && out.contains("(gate off)"), "{out}");
}

#[test]
fn a_regression_against_the_baseline_fails_and_an_improvement_is_stale() {
    let (dir, file) = setup("regression", "300h", "0.5", true);
    let (f, b) = (file.to_str().unwrap(), dir.join("baselines"));
    let b = b.to_str().unwrap();
    let (code, out, _) = check(&[f, "--baseline", b, "--update-baseline"]);
    assert_eq!(code, 0, "{out}");
    assert!(Path::new(b).join("pair/baseline.json").exists());
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 0, "unchanged: {out}");
    write_scenario(&file, "200h", "0.5", true); // members fail more often
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(": FAIL: pair: downtime regression: expected baseline "), "{out}");
    assert!(out.contains("99% CI [+"), "{out}");
    write_scenario(&file, "500h", "0.5", true); // members fail less often
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": note: pair: downtime baseline stale"), "{out}");
}

#[test]
fn bad_input_and_foreign_baselines_exit_2() {
    let (dir, file) = setup("bad", "300h", "0.5", true);
    let b = dir.join("baselines");
    let (f, b) = (file.to_str().unwrap(), b.to_str().unwrap());
    assert_eq!(check(&["tests/fixtures/broken/three_errors.ron"]).0, 2);
    assert_eq!(check(&[f, "--baseline", b, "--update-baseline"]).0, 0);
    let path = Path::new(b).join("pair/baseline.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let version = format!("\"stream_version\": {}", faultline::rng::STREAM_VERSION);
    std::fs::write(&path, text.replacen(&version, "\"stream_version\": 99", 1)).unwrap();
    let (code, _, err) = check(&[f, "--baseline", b]);
    assert_eq!(code, 2);
    assert!(err.contains("made with random streams v99") && err.contains("--update-baseline"), "{err}");
    std::fs::write(&path, text.replacen("\"replications\": 300", "\"replications\": 100", 1)).unwrap();
    let (code, _, err) = check(&[f, "--baseline", b]);
    assert_eq!(code, 2, "{err}");
    std::fs::write(&path, "not json").unwrap();
    assert_eq!(check(&[f, "--baseline", b]).0, 2);
}

/// A scenario whose gated design regressed against the baseline `bad_baseline` then damages:
/// the baseline's path, its text, and the check's (exit code, stdout, stderr) once `damage`
/// has been applied to the stored file. Each damage must be refused (exit 2), never taken for
/// "no baseline" (exit 0 over a regression).
fn bad_baseline(test: &str, damage: impl FnOnce(&Path, &str)) -> (PathBuf, (i32, String, String)) {
    let (dir, file) = setup(&format!("baseline-{test}"), "300h", "0.5", true);
    let (f, b) = (file.to_str().unwrap(), dir.join("baselines"));
    let b = b.to_str().unwrap();
    assert_eq!(check(&[f, "--baseline", b, "--update-baseline"]).0, 0);
    write_scenario(&file, "150h", "0.5", true); // members fail twice as often: a regression
    let path = Path::new(b).join("pair/baseline.json");
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 1, "the intact baseline shows the regression: {out}");
    let text = std::fs::read_to_string(&path).unwrap();
    damage(&path, &text);
    (path, check(&[f, "--baseline", b]))
}

/// The line a check prints first for each file: what was run.
fn ran(f: &str, replications: u64) -> String {
    let s = if replications == 1 { "" } else { "s" };
    format!("{f}: {replications} replication{s} x 2y, seed 5, stream v{}\n", faultline::rng::STREAM_VERSION)
}

/// Stdout holds the run line alone: the file was run, then refused.
fn only_run_line(out: &str) -> bool {
    out.lines().count() == 1 && out.contains(" replications x 2y, seed 5, stream v")
}

/// The hint every refused baseline ends with.
fn restore_hint(test: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("check-baseline-{test}"));
    format!(
        "restore it from version control, or run `faultline check {} --baseline {} --update-baseline` to store this run as the new baseline\n",
        dir.join("pair.ron").display(),
        dir.join("baselines").display()
    )
}

#[test]
fn a_baseline_that_is_not_utf8_is_refused() {
    let (path, (code, out, err)) = bad_baseline("utf8", |path, text| {
        let mut bytes = text.as_bytes().to_vec();
        bytes.insert(40, 0xff);
        std::fs::write(path, bytes).unwrap();
    });
    assert_eq!((code, only_run_line(&out)), (2, true), "{out}{err}");
    let expected = format!(
        "{}: error: not a faultline baseline: not UTF-8 text (invalid byte at offset 40)\n  = hint: {}",
        path.display(),
        restore_hint("utf8")
    );
    assert!(err.ends_with(&expected), "{err}");
}

#[test]
fn a_truncated_baseline_is_refused_with_a_hint() {
    let (path, (code, out, err)) = bad_baseline("truncated", |path, text| {
        // Cut inside the first entry's values, 3 spaces into line 11.
        let cut = text.match_indices('\n').nth(9).unwrap().0 + 4;
        std::fs::write(path, &text[..cut]).unwrap();
    });
    assert_eq!((code, only_run_line(&out)), (2, true), "{out}{err}");
    let expected = format!(
        "{}:11:3: error: the baseline ends early: EOF while parsing a value\n  = hint: the file was cut short (a write interrupted, or a full disk); {}",
        path.display(),
        restore_hint("truncated")
    );
    assert!(err.ends_with(&expected), "{err}");
    // Cut to nothing.
    let (path, (code, _, err)) = bad_baseline("empty", |path, _| std::fs::write(path, "").unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "{}: error: the baseline is empty\n  = hint: the file was cut short",
            path.display()
        )),
        "{err}"
    );
}

#[test]
fn a_baseline_with_a_value_missing_is_refused() {
    let (path, (code, out, err)) = bad_baseline("short", |path, text| {
        let mut json: serde_json::Value = serde_json::from_str(text).unwrap();
        json["architectures"][0]["downtime_min_per_year"].as_array_mut().unwrap().pop();
        std::fs::write(path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    });
    assert_eq!((code, only_run_line(&out)), (2, true), "{out}{err}");
    let expected = format!(
        "{}: error: the baseline cannot be trusted: the entry for `pair` holds 299 per-replication values, but the baseline was made with 300 replications\n  = hint: the file was edited or damaged; {}",
        path.display(),
        restore_hint("short")
    );
    assert!(err.ends_with(&expected), "{err}");
}

#[test]
fn a_baseline_of_the_wrong_shape_is_refused() {
    let (path, (code, _, err)) = bad_baseline("types", |path, text| {
        std::fs::write(path, text.replacen("\"seed\": 5", "\"seed\": \"5\"", 1)).unwrap()
    });
    assert_eq!(code, 2, "{err}");
    let expected = format!(
        "{}:3:13: error: not a faultline baseline: invalid type: string \"5\", expected u64\n  = hint: {}",
        path.display(),
        restore_hint("types")
    );
    assert!(err.ends_with(&expected), "{err}");
    let (path, (code, _, err)) = bad_baseline("not-json", |path, _| std::fs::write(path, "<html>").unwrap());
    assert_eq!(code, 2, "{err}");
    let expected = format!(
        "{}:1:1: error: not a faultline baseline: expected value\n  = hint: {}",
        path.display(),
        restore_hint("not-json")
    );
    assert!(err.ends_with(&expected), "{err}");
}

#[test]
fn a_directory_named_baseline_json_is_refused() {
    let (path, (code, _, err)) = bad_baseline("directory", |path, _| {
        std::fs::remove_file(path).unwrap();
        std::fs::create_dir(path).unwrap();
    });
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{}: error: cannot read the baseline: it is a directory, not a file\n  = hint: move the directory away; `faultline check ", path.display())),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_baseline_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let mut readable = false;
    let (path, (code, _, err)) = bad_baseline("permissions", |path, _| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads any file: then there is nothing to test.
        readable = std::fs::read(path).is_ok();
    });
    if readable {
        eprintln!("skipped: this user reads files without read permission");
        return;
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{}: error: cannot read the baseline: Permission denied", path.display()))
            && err.contains("= hint: make it readable (check its permissions), or restore it"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_baseline_behind_a_dangling_link_is_refused() {
    let (path, (code, _, err)) = bad_baseline("link", |path, _| {
        std::fs::remove_file(path).unwrap();
        std::os::unix::fs::symlink("/nonexistent/baseline.json", path).unwrap();
    });
    assert_eq!(code, 2, "{err}");
    let expected = format!(
        "{p}: error: cannot read the baseline: {p} is a symbolic link to /nonexistent/baseline.json, which does not exist\n  = hint: create /nonexistent/baseline.json first, or remove the link",
        p = path.display()
    );
    assert!(err.contains(&expected), "{err}");
    // The baselines' folder a link to a volume not mounted: not "no baseline" either.
    let (path, (code, _, err)) = bad_baseline("folder-link", |path, _| {
        let folder = path.parent().unwrap();
        std::fs::remove_dir_all(folder).unwrap();
        std::os::unix::fs::symlink("/nonexistent/volume", folder).unwrap();
    });
    assert_eq!(code, 2, "{err}");
    let folder = path.parent().unwrap().display();
    assert!(
        err.contains(&format!("{folder} is a symbolic link to /nonexistent/volume, which does not exist")),
        "{err}"
    );
}

#[test]
fn with_one_replication_a_baseline_says_it_cannot_show_a_regression() {
    let (dir, file) = setup("one-replication", "300h", "0.5", true);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("replications: 300", "replications: 1", 1)).unwrap();
    let (f, b) = (file.to_str().unwrap(), dir.join("baselines"));
    let b = b.to_str().unwrap();
    assert_eq!(check(&[f, "--baseline", b, "--update-baseline"]).0, 0);
    let (code, out, err) = check(&[f, "--baseline", b]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{}{f}: note: baseline: 1 replication cannot show a regression (the paired test needs 2 or more)\n{f}: ok (1 architecture)\n",
            ran(f, 1)
        )
    );
}

/// A scenario with one design per (name, gate), all alike.
fn write_designs(file: &Path, designs: &[(&str, bool)]) {
    let archs: Vec<String> = designs
        .iter()
        .map(|(name, gate)| {
            format!(
                r#"(name: "{name}", objectives: (gate: {gate}), service: "svc", components: [
        (name: "a", kind: Instance, profile: "m"), (name: "b", kind: Instance, profile: "m"),
        (name: "svc", kind: Group, needs: Any(["a", "b"])),
    ])"#
            )
        })
        .collect();
    std::fs::write(
        file,
        format!(
            r#"(name: "designs", seed: 5, horizon: "2y", replications: 50,
    objectives: (availability: 0.5),
    profiles: {{ "m": (fail: Exp(mean: "300h"), recover: Repair(Exp(mean: "20h"))) }},
    architectures: [{}])"#,
            archs.join(", ")
        ),
    )
    .unwrap();
}

#[test]
fn a_gated_design_missing_from_the_baseline_fails_and_a_gone_one_is_a_note() {
    let (dir, file) = setup("renamed", "300h", "0.5", true);
    let (f, b) = (file.to_str().unwrap(), dir.join("baselines"));
    let b = b.to_str().unwrap();
    let no_entry = |name: &str, status: &str, suffix: &str| {
        format!(
            "{f}: {status}: {name}: baseline: no entry for this design (renamed or new?); run faultline check {f} --baseline {b} --update-baseline{suffix}"
        )
    };
    let gone = |name: &str| {
        format!(
            "{f}: note: {name}: baseline: entry for a design not in the scenario (renamed or removed?); run faultline check {f} --baseline {b} --update-baseline to drop it"
        )
    };
    // No baseline file at all: objectives only, as before.
    write_designs(&file, &[("primary", true), ("contrast", false)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{f}: no baseline at ")) && out.contains("ok (2 architectures)"), "{out}");
    assert_eq!(check(&[f, "--baseline", b, "--update-baseline"]).0, 0);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!((code, out), (0, format!("{}{f}: ok (2 architectures)\n", ran(f, 50))));

    // The gated design renamed: its gate must not vanish in silence.
    write_designs(&file, &[("primary-v2", true), ("contrast", false)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out, format!("{}{}\n{}\n", ran(f, 50), no_entry("primary-v2", "FAIL", ""), gone("primary")));

    // A design kept for contrast renamed, and one added with the gate off: notes only.
    write_designs(&file, &[("primary", true), ("contrast-v2", false), ("extra", false)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        format!(
            "{}{}\n{}\n{}\n{f}: ok (3 architectures)\n",
            ran(f, 50),
            no_entry("contrast-v2", "note", " (gate off)"),
            no_entry("extra", "note", " (gate off)"),
            gone("contrast")
        )
    );

    // A design removed: a note.
    write_designs(&file, &[("primary", true)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!((code, out), (0, format!("{}{}\n{f}: ok (1 architecture)\n", ran(f, 50), gone("contrast"))));

    // A gated design added: a failure until the baseline is updated.
    write_designs(&file, &[("primary", true), ("contrast", false), ("new", true)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!((code, out), (1, format!("{}{}\n", ran(f, 50), no_entry("new", "FAIL", ""))));
    assert_eq!(check(&[f, "--baseline", b, "--update-baseline"]).0, 0);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!((code, out), (0, format!("{}{f}: ok (3 architectures)\n", ran(f, 50))));
}

#[test]
fn run_options_are_recorded_and_a_baseline_is_compared_only_with_a_run_made_alike() {
    let (dir, file) = setup("options", "300h", "0.5", true);
    let (f, b) = (file.to_str().unwrap(), dir.join("baselines"));
    let b = b.to_str().unwrap();
    assert_eq!(check(&[f, "--baseline", b, "--update-baseline"]).0, 0);
    let (code, out, err) = check(&[f, "--baseline", b, "--replications", "10", "--seed", "9"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        out,
        format!("{f}: 10 replications x 2y, seed 9, stream v{}\n", faultline::rng::STREAM_VERSION)
    );
    assert!(
        err.ends_with(&format!(
            "error: made with seed 5, 300 replications of 17520 h; this run has, as given on the command line, seed 9, 10 of 17520 h\n  = hint: leave out --seed, --replications and --horizon to compare with it, or run `faultline check {f} --baseline {b} --seed 9 --replications 10 --update-baseline` to store a new one\n"
        )),
        "{err}"
    );
    let stored = std::path::Path::new(b).join("pair/baseline.json");
    let options = ["--replications", "10", "--seed", "9", "--horizon", "1y"];
    assert_eq!(check(&[&[f, "--baseline", b, "--update-baseline"][..], &options].concat()).0, 0);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&stored).unwrap()).unwrap();
    assert_eq!(
        (json["seed"].as_u64(), json["replications"].as_u64(), json["horizon_h"].as_f64()),
        (Some(9), Some(10), Some(8760.0))
    );
    let (code, out, err) = check(&[&[f, "--baseline", b][..], &options].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&format!("{f}: 10 replications x 1y, seed 9, stream v")), "{out}");
    assert!(out.ends_with(&format!("{f}: ok (1 architecture)\n")), "{out}");
}
