//! `faultline check`: exit 0, 1 and 2 in the right cases, one line per finding.

use std::path::{Path, PathBuf};
use std::process::Command;

fn check(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_faultline"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A scratch directory for one test, with a scenario whose member MTTF and objective are given.
fn setup(test: &str, mttf: &str, availability: &str, gate: bool) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("check-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
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
    std::fs::write(&path, text.replacen("\"stream_version\": 1", "\"stream_version\": 99", 1)).unwrap();
    let (code, _, err) = check(&[f, "--baseline", b]);
    assert_eq!(code, 2);
    assert!(err.contains("made with random streams v99") && err.contains("--update-baseline"), "{err}");
    std::fs::write(&path, text.replacen("\"replications\": 300", "\"replications\": 100", 1)).unwrap();
    let (code, _, err) = check(&[f, "--baseline", b]);
    assert_eq!(code, 2, "{err}");
    std::fs::write(&path, "not json").unwrap();
    assert_eq!(check(&[f, "--baseline", b]).0, 2);
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
            "{f}: {status}: {name}: baseline: no entry for this design (renamed or new?); run faultline check {f} --update-baseline{suffix}"
        )
    };
    let gone = |name: &str| {
        format!(
            "{f}: note: {name}: baseline: entry for a design not in the scenario (renamed or removed?); run faultline check {f} --update-baseline to drop it"
        )
    };
    // No baseline file at all: objectives only, as before.
    write_designs(&file, &[("primary", true), ("contrast", false)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{f}: no baseline at ")) && out.contains("ok (2 architectures)"), "{out}");
    assert_eq!(check(&[f, "--baseline", b, "--update-baseline"]).0, 0);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!((code, out), (0, format!("{f}: ok (2 architectures)\n")));

    // The gated design renamed: its gate must not vanish in silence.
    write_designs(&file, &[("primary-v2", true), ("contrast", false)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out, format!("{}\n{}\n", no_entry("primary-v2", "FAIL", ""), gone("primary")));

    // A design kept for contrast renamed, and one added with the gate off: notes only.
    write_designs(&file, &[("primary", true), ("contrast-v2", false), ("extra", false)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        format!(
            "{}\n{}\n{}\n{f}: ok (3 architectures)\n",
            no_entry("contrast-v2", "note", " (gate off)"),
            no_entry("extra", "note", " (gate off)"),
            gone("contrast")
        )
    );

    // A design removed: a note.
    write_designs(&file, &[("primary", true)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!((code, out), (0, format!("{}\n{f}: ok (1 architecture)\n", gone("contrast"))));

    // A gated design added: a failure until the baseline is updated.
    write_designs(&file, &[("primary", true), ("contrast", false), ("new", true)]);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!((code, out), (1, format!("{}\n", no_entry("new", "FAIL", ""))));
    assert_eq!(check(&[f, "--baseline", b, "--update-baseline"]).0, 0);
    let (code, out, _) = check(&[f, "--baseline", b]);
    assert_eq!((code, out), (0, format!("{f}: ok (3 architectures)\n")));
}
