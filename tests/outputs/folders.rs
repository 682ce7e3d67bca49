//! Output folders and files: a folder per scenario file that never escapes or collides,
//! bundles and baselines replaced whole, one writer per folder, no write through a link, and a
//! distinct chart file for every design.

use std::path::{Path, PathBuf};

use crate::harness;

/// Runs faultline in `dir`: (exit code, stdout, stderr).
fn faultline(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = harness::faultline_in(dir, args);
    (out.exit_code(), out.stdout, out.stderr)
}

/// An empty scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    harness::scratch_dir(&format!("outputs-{test}"))
}

/// Writes a small scenario with one two-member design per name.
fn scenario(file: &Path, seed: u64, designs: &[&str]) {
    let archs: Vec<String> = designs
        .iter()
        .map(|name| {
            format!(
                r#"(name: "{name}", service: "svc", components: [
        (name: "a", kind: Instance, profile: "m", needs: All(["az"])),
        (name: "b", kind: Instance, profile: "m", needs: All(["az"])),
        (name: "svc", kind: Group, needs: Any(["a", "b"])),
    ])"#
            )
        })
        .collect();
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        file,
        format!(
            r#"(name: "outputs", seed: {seed}, horizon: "1y", replications: 20,
    profiles: {{ "m": (fail: Exp(mean: "300h"), recover: Repair(Exp(mean: "20h"))) }},
    shared: [(name: "az", kind: Az, fail: Never)],
    architectures: [{}])"#,
            archs.join(", ")
        ),
    )
    .unwrap();
}

#[test]
fn two_scenario_files_of_one_stem_are_refused_in_one_command() {
    let dir = scratch("same-stem");
    scenario(&dir.join("a/x.ron"), 1, &["pair"]);
    scenario(&dir.join("b/x.ron"), 2, &["pair"]);
    for update in [true, false] {
        let mut args = vec!["check", "a/x.ron", "b/x.ron", "--baseline", "baselines"];
        if update {
            args.push("--update-baseline");
        }
        let (code, out, err) = faultline(&dir, &args);
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("a/x.ron and b/x.ron both use the folder baselines/x"), "{err}");
        assert!(err.contains("hint: "), "{err}");
        assert!(!dir.join("baselines").exists(), "nothing is written");
    }
    // Names that differ only in case share a folder on a case-insensitive filesystem.
    scenario(&dir.join("X.ron"), 1, &["pair"]);
    scenario(&dir.join("x.ron"), 2, &["pair"]);
    let (code, _, err) = faultline(&dir, &["check", "X.ron", "x.ron", "--baseline", "baselines"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("X.ron and x.ron both use the folder baselines/"), "{err}");
    // One file named twice is one input.
    let (code, _, err) = faultline(&dir, &["check", "a/x.ron", "./a/x.ron", "--baseline", "baselines"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_stem_of_dots_names_a_folder_inside_the_output_folder() {
    let dir = scratch("dots");
    // `...ron` has the stem `..`, `..ron` the stem `.`.
    scenario(&dir.join("...ron"), 1, &["pair"]);
    scenario(&dir.join("..ron"), 1, &["pair"]);
    let (code, out, err) = faultline(&dir, &["report", "...ron"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "report written to reports/__\n");
    let (code, out, err) = faultline(&dir, &["report", "..ron"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "report written to reports/_\n");
    for written in ["reports/__/result.json", "reports/__/charts/rto.png", "reports/_/report.md"] {
        assert!(dir.join(written).is_file(), "{written}");
    }
    assert!(!dir.join("result.json").exists() && !dir.join("reports/result.json").exists());
    let (code, out, err) =
        faultline(&dir, &["check", "...ron", "..ron", "--baseline", "b", "--update-baseline"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("...ron: baseline written to b/__/baseline.json"), "{out}");
    assert!(dir.join("b/__/baseline.json").is_file() && dir.join("b/_/baseline.json").is_file());
    assert!(!dir.join("baseline.json").exists() && !dir.join("b/baseline.json").exists());
}

#[cfg(unix)]
#[test]
fn an_updated_baseline_replaces_the_file_and_never_writes_through_a_link() {
    let dir = scratch("baseline-atomic");
    let file = dir.join("x.ron");
    scenario(&file, 1, &["pair"]);
    let update = ["check", "x.ron", "--baseline", "b", "--update-baseline"];
    assert_eq!(faultline(&dir, &update).0, 0);
    let path = dir.join("b/x/baseline.json");
    let first = std::fs::read(&path).unwrap();
    // A second name for the old file: written in place, it would change too.
    std::fs::hard_link(&path, dir.join("old.json")).unwrap();
    scenario(&file, 2, &["pair"]);
    assert_eq!(faultline(&dir, &update).0, 0);
    assert!(std::fs::read(dir.join("old.json")).unwrap() == first, "the old file was written over");
    assert!(std::fs::read(&path).unwrap() != first, "the baseline was not updated");
    assert_eq!(std::fs::read_dir(dir.join("b/x")).unwrap().count(), 1, "no temporary file is left");
    // A link in the folder is refused, and what it points to is untouched.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(dir.join("elsewhere.json"), "keep").unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere.json"), &path).unwrap();
    let (code, _, err) = faultline(&dir, &update);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("b/x/baseline.json is a symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("elsewhere.json")).unwrap(), "keep");
}

#[cfg(unix)]
#[test]
fn a_report_replaces_its_files_whole_and_a_failed_one_leaves_the_old_bundle() {
    let dir = scratch("report-atomic");
    let file = dir.join("x.ron");
    scenario(&file, 1, &["pair"]);
    let report = ["report", "x.ron", "--out", "out"];
    assert_eq!(faultline(&dir, &report).0, 0);
    let out = dir.join("out");
    let first = std::fs::read(out.join("result.json")).unwrap();
    std::fs::hard_link(out.join("result.json"), dir.join("old.json")).unwrap();
    scenario(&file, 2, &["pair"]);
    assert_eq!(faultline(&dir, &report).0, 0);
    assert!(std::fs::read(dir.join("old.json")).unwrap() == first, "result.json was written over");
    let (second, md) =
        (std::fs::read(out.join("result.json")).unwrap(), std::fs::read(out.join("report.md")).unwrap());
    assert!(second != first, "result.json was not replaced");
    let mut entries: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    entries.sort();
    assert_eq!(entries, ["charts", "report.md", "result.json"], "nothing else is left in the folder");
    // A report that fails (a chart's place is taken by a folder) changes nothing.
    std::fs::remove_file(out.join("charts/rto.png")).unwrap();
    std::fs::create_dir(out.join("charts/rto.png")).unwrap();
    scenario(&file, 3, &["pair"]);
    let (code, _, err) = faultline(&dir, &report);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("out/charts/rto.png"), "{err}");
    assert!(std::fs::read(out.join("result.json")).unwrap() == second, "result.json changed");
    assert!(std::fs::read(out.join("report.md")).unwrap() == md, "report.md changed");
    std::fs::remove_dir(out.join("charts/rto.png")).unwrap();
    // A link in the folder is refused before anything runs; its target is untouched.
    std::fs::remove_file(out.join("report.md")).unwrap();
    std::fs::write(dir.join("elsewhere.md"), "keep").unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere.md"), out.join("report.md")).unwrap();
    let (code, _, err) = faultline(&dir, &report);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("out/report.md is a symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("elsewhere.md")).unwrap(), "keep");
    assert!(std::fs::read(out.join("result.json")).unwrap() == second, "result.json changed");
}

#[test]
fn a_second_writer_of_one_folder_is_refused() {
    let dir = scratch("lock");
    scenario(&dir.join("x.ron"), 1, &["pair"]);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // This test process holds the lock, as a running faultline would.
    let lock = out.join(".faultline.lock");
    std::fs::write(&lock, format!("pid: {}\n", std::process::id())).unwrap();
    for command in ["report", "chart"] {
        let (code, stdout, err) = faultline(&dir, &[command, "x.ron", "--out", "out"]);
        assert_eq!(code, 2, "{command}: {stdout}{err}");
        assert!(
            err.contains(&format!(
                "out is being written by another faultline (process {})",
                std::process::id()
            )),
            "{command}: {err}"
        );
        assert!(err.contains("remove out/.faultline.lock"), "{command}: {err}");
        assert!(!out.join("result.json").exists() && !out.join("charts").exists(), "{command} wrote");
    }
    // A lock whose writer cannot be told is respected, with the same way out.
    std::fs::write(&lock, "").unwrap();
    let (code, _, err) = faultline(&dir, &["report", "x.ron", "--out", "out"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("out is locked") && err.contains("remove out/.faultline.lock"), "{err}");
    assert!(lock.exists(), "another writer's lock is left alone");
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_left_by_a_writer_that_ended_is_taken_over() {
    let dir = scratch("stale-lock");
    scenario(&dir.join("x.ron"), 1, &["pair"]);
    let out = dir.join("out");
    std::fs::create_dir_all(out.join(".faultline-staging/charts")).unwrap();
    std::fs::write(out.join(".faultline-staging/charts/rto.png"), "half").unwrap();
    let mut ended = harness::command().arg("--version").spawn().unwrap();
    let pid = ended.id();
    ended.wait().unwrap();
    std::fs::write(out.join(".faultline.lock"), format!("pid: {pid}\n")).unwrap();
    let (code, _, err) = faultline(&dir, &["report", "x.ron", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("an earlier write by process {pid} was interrupted")), "{err}");
    let mut entries: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    entries.sort();
    assert_eq!(entries, ["charts", "report.md", "result.json"]);
    assert!(std::fs::read(out.join("charts/rto.png")).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn designs_whose_names_differ_in_unsafe_characters_get_distinct_charts() {
    let dir = scratch("chart-names");
    let long = "d".repeat(300);
    scenario(&dir.join("x.ron"), 1, &["a/b", "a-b", "a|b", &long]);
    let (code, _, err) = faultline(&dir, &["report", "x.ron", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    // The plain name when it is free; else the first 8 hex digits of the SHA-256 of the name
    // (`printf 'a/b' | sha256sum`), after at most 55 characters of the plain name.
    let long_name = format!("{}-63c29b7d", "d".repeat(55));
    let expected = [
        ("a/b", "a-b-c14cddc0"),
        ("a-b", "a-b"),
        ("a|b", "a-b-0eab8a0a"),
        (long.as_str(), long_name.as_str()),
    ];
    let md = std::fs::read_to_string(dir.join("out/report.md")).unwrap();
    for (design, name) in expected {
        for kind in ["problems", "timeline"] {
            for ext in ["svg", "png"] {
                let path = dir.join(format!("out/charts/{kind}-{name}.{ext}"));
                assert!(path.is_file(), "{design}: {}", path.display());
            }
        }
        let section = md.split(&format!("### Downtime by problem: {design}\n")).nth(1).unwrap();
        let link = section.lines().find(|l| l.starts_with("![")).unwrap();
        assert!(link.ends_with(&format!("](charts/problems-{name}.png)")), "{design}: {link}");
    }
    // `chart` from the result names them alike.
    let (code, _, err) = faultline(&dir, &["chart", "out/result.json", "--out", "again"]);
    assert_eq!(code, 0, "{err}");
    for (_, name) in expected {
        assert!(dir.join(format!("again/charts/problems-{name}.png")).is_file(), "{name}");
    }
}
