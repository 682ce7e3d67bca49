//! `faultline report`: the bundle is complete, valid, and the same bytes on any thread count.

use std::path::Path;

use crate::harness;

fn report(out: &Path, threads: &str) {
    let status = harness::command()
        .args([
            "report",
            "scenarios/database-multi-az.ron",
            "--out",
            out.to_str().unwrap(),
            "--threads",
            threads,
        ])
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(files(&path));
        } else {
            all.push((
                path.strip_prefix(dir.parent().unwrap()).unwrap().display().to_string(),
                std::fs::read(&path).unwrap(),
            ));
        }
    }
    all.sort();
    all
}

#[test]
fn the_bundle_is_complete_and_deterministic() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-test");
    let _ = std::fs::remove_dir_all(&base);
    let (one, two) = (base.join("a/db"), base.join("b/db"));
    report(&one, "1");
    report(&two, "2");
    let (a, b) = (files(&one), files(&two));
    assert_eq!(a.len(), b.len());
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na.trim_start_matches("a/"), nb.trim_start_matches("b/"));
        assert!(ba == bb, "{na} differs between --threads 1 and 2");
    }
    let md = std::fs::read_to_string(one.join("report.md")).unwrap();
    for needed in [
        "# Database: RDS Multi-AZ vs Single-AZ",
        "## Objectives",
        "![Availability per architecture](charts/availability.png)",
        "faultline report scenarios/database-multi-az.ron",
    ] {
        assert!(md.contains(needed), "report.md lacks {needed:?}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(one.join("result.json")).unwrap()).unwrap();
    assert_eq!(json["architectures"].as_array().unwrap().len(), 2);
    for (name, bytes) in &a {
        if name.ends_with(".png") {
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000, "{name}");
            let image = std::path::Path::new(name);
            assert!(
                md.contains(&format!("charts/{}", image.file_name().unwrap().to_str().unwrap())),
                "{name} is not in report.md"
            );
        }
        if name.ends_with(".svg") {
            assert!(
                bytes.starts_with(b"<svg") && bytes.ends_with(b"</svg>\n") || bytes.ends_with(b"</svg>"),
                "{name}"
            );
        }
    }
}

#[test]
fn charts_from_a_result_or_a_scenario() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chart-test");
    let _ = std::fs::remove_dir_all(&base);
    let run = |args: &[&str]| harness::command().arg("chart").args(args).output().unwrap();
    let out = base.join("from-json");
    let done = run(&["reports/three-tier/result.json", "--out", out.to_str().unwrap()]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    for name in ["availability", "problems-single-az", "problems-three-az"] {
        for ext in ["svg", "png"] {
            assert!(out.join(format!("charts/{name}.{ext}")).exists(), "{name}.{ext}");
        }
    }
    // The same availability chart as the committed report's.
    assert_eq!(
        std::fs::read(out.join("charts/availability.png")).unwrap(),
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/three-tier/charts/availability.png")
        )
        .unwrap()
    );
    let bad = base.join("bad.json");
    std::fs::create_dir_all(&base).unwrap();
    std::fs::write(&bad, "{\"not\": \"a result\"}").unwrap();
    assert_eq!(run(&[bad.to_str().unwrap(), "--out", base.to_str().unwrap()]).status.code(), Some(2));
}

/// `chart result.json` draws the RTO and RPO curves from the result's histograms, the same
/// bytes as `report` drew from the scenario (the committed reports, kept by `check` in CI).
#[test]
fn rto_and_rpo_charts_from_a_result_are_the_reports() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chart-histograms");
    let _ = std::fs::remove_dir_all(&base);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, charts) in [
        ("three-tier", &["availability", "rto"][..]),
        ("database-data-protection", &["availability", "rto", "rpo"][..]),
        ("order-pipeline", &["rto", "rpo"][..]),
    ] {
        let out = base.join(name);
        let result = root.join(format!("reports/{name}/result.json"));
        let done = faultline(&["chart", result.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
        for chart in charts {
            for ext in ["svg", "png"] {
                let file = format!("charts/{chart}.{ext}");
                let committed = std::fs::read(root.join(format!("reports/{name}/{file}"))).unwrap();
                assert!(std::fs::read(out.join(&file)).unwrap() == committed, "{name}: {file} differs");
            }
        }
    }
    assert!(!base.join("three-tier/charts/rpo.svg").exists(), "no datasets, no RPO chart");
}

/// A result whose histogram cannot be is refused with the reason, exit 2, no chart written.
#[test]
fn a_malformed_histogram_is_bad_input() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chart-bad-histogram");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/database-data-protection/result.json"),
    )
    .unwrap();
    let first = text.find("\"buckets\": [\n").expect("a histogram with buckets") + "\"buckets\": [\n".len();
    let row_end = first + text[first..].find(']').unwrap();
    let row: Vec<u128> =
        text[first..row_end].trim().trim_start_matches('[').split(", ").map(|v| v.parse().unwrap()).collect();
    let (b, n, sum) = (row[0], row[1], row[2]);
    let with_row = |new: String| format!("{}{new}{}", &text[..first], &text[row_end + 1..]);
    let indent = &text[first..first + text[first..].find('[').unwrap()];
    for (case, bad, says) in [
        ("sum", with_row(format!("{indent}[{b}, {n}, {}]", sum + u128::from(u64::MAX))), "cannot be"),
        ("count", with_row(format!("{indent}[{b}, 0, 0]")), "count of 0"),
        ("bucket", with_row(format!("{indent}[99999, {n}, {sum}]")), "does not exist"),
        ("type", with_row(format!("{indent}[{b}, -1, {sum}]")), "invalid value"),
    ] {
        let file = base.join(format!("{case}.json"));
        std::fs::write(&file, bad).unwrap();
        let out = base.join(case);
        let done = faultline(&["chart", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains("not a faultline result") && stderr.contains(says), "{case}: {stderr}");
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        assert!(!out.join("charts").exists(), "{case}: charts written");
    }
}

fn faultline(args: &[&str]) -> std::process::Output {
    harness::command().args(args).output().unwrap()
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_cannot_be_made_is_named_and_explained() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chart-out-bad");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let stderr = |args: &[&str]| {
        let done = faultline(args);
        assert_eq!(done.status.code(), Some(2), "{args:?}");
        String::from_utf8(done.stderr).unwrap()
    };
    let result = "reports/three-tier/result.json";
    let scenario = "tests/fixtures/run/scripted_outage.ron";
    // A dangling symbolic link as --out: what it points to, and that it does not exist.
    let link = base.join("link");
    std::os::unix::fs::symlink("gone/away", &link).unwrap();
    let target = base.join("gone/away");
    for (command, file) in [("chart", result), ("chart", scenario), ("report", scenario)] {
        let err = stderr(&[command, file, "--out", link.to_str().unwrap()]);
        let made = link.clone();
        assert!(
            err.ends_with(&format!(
                "error: cannot create {}: {} is a symbolic link to gone/away ({}), which does not exist\n  = hint: create {} first, or remove the link, or choose another path\n",
                made.display(),
                link.display(),
                target.display(),
                target.display()
            )),
            "{command} {file}: {err}"
        );
    }
    // A file where charts/ should be: that path is named, not --out.
    let out = base.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("charts"), "").unwrap();
    for file in [result, scenario] {
        let err = stderr(&["chart", file, "--out", out.to_str().unwrap()]);
        let charts = out.join("charts");
        assert!(
            err.ends_with(&format!(
                "error: cannot create {}: {} is not a directory\n  = hint: move it away, or choose another path\n",
                charts.display(),
                charts.display()
            )),
            "{file}: {err}"
        );
    }
    // A file on the way to --out: that file is named.
    let notes = base.join("notes.txt");
    std::fs::write(&notes, "").unwrap();
    let err = stderr(&["chart", result, "--out", notes.join("x").to_str().unwrap()]);
    assert!(err.contains(&format!(": {} is not a directory\n", notes.display())), "{err}");
    // A chart that cannot be written: its path.
    let out = base.join("blocked");
    std::fs::create_dir_all(out.join("charts/availability.svg")).unwrap();
    let err = stderr(&["chart", result, "--out", out.to_str().unwrap()]);
    assert!(
        err.contains(&format!("error: cannot write {}: ", out.join("charts/availability.svg").display())),
        "{err}"
    );
}

#[test]
fn report_md_says_which_incident_each_timeline_shows() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-timeline-default");
    let _ = std::fs::remove_dir_all(&out);
    let done = faultline(&["report", "scenarios/database-multi-az.ron", "--out", out.to_str().unwrap()]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    // The scenario injects a 36 h outage of db-a at 200d: both designs show its incident.
    for arch in ["single-az", "multi-az"] {
        let at =
            md.find(&format!("### Timeline: {arch}, replication 0\n")).unwrap_or_else(|| panic!("{arch}"));
        let caption = md[at..].lines().nth(2).unwrap();
        assert!(
            caption.starts_with("Replication 0, seed 42: The longest incident during a scripted injection. Down at 200d 00:00:00 for "),
            "{caption}"
        );
        assert!(caption.contains("cause `db-a/injected`"), "{caption}");
        assert!(
            caption.contains(&format!(
                "`faultline trace scenarios/database-multi-az.ron --arch {arch} --replication 0 --from "
            )),
            "{caption}"
        );
        let svg = std::fs::read_to_string(out.join(format!("charts/timeline-{arch}.svg"))).unwrap();
        assert!(svg.contains(&format!("Timeline: {arch}, replication 0")));
        assert!(svg.contains("Down at 200d 00:00:00 for "));
    }
    // The trace command given lists the incident.
    let caption = md.lines().find(|l| l.contains("--arch single-az --replication 0")).unwrap();
    let command = caption.split('`').rev().nth(1).unwrap();
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let trace = faultline(&args);
    assert!(trace.status.success(), "{command}: {}", String::from_utf8_lossy(&trace.stderr));
    let text = String::from_utf8(trace.stdout).unwrap();
    assert!(
        text.contains("200d 00:00:00.000  db") && text.contains("SERVICE DOWN, cause db-a/injected"),
        "{text}"
    );
}

#[test]
fn timeline_replication_chooses_the_replication() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-timeline-replication");
    let _ = std::fs::remove_dir_all(&base);
    let out = base.join("report");
    let done = faultline(&[
        "report",
        "scenarios/database-multi-az.ron",
        "--out",
        out.to_str().unwrap(),
        "--timeline-replication",
        "3",
    ]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("### Timeline: single-az, replication 3\n"), "{md}");
    assert!(
        md.contains("Replication 3, seed 42: The longest incident of the replication asked for. Down at ")
    );
    let svg = std::fs::read_to_string(out.join("charts/timeline-single-az.svg")).unwrap();
    assert!(
        svg.contains("Timeline: single-az, replication 3")
            && svg.contains("The longest incident of the replication asked for")
    );

    // `chart` from the scenario draws the same timeline.
    let charts = base.join("chart");
    let done = faultline(&[
        "chart",
        "scenarios/database-multi-az.ron",
        "--out",
        charts.to_str().unwrap(),
        "--timeline-replication",
        "3",
    ]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    for name in ["timeline-single-az.svg", "timeline-single-az.png"] {
        assert_eq!(
            std::fs::read(charts.join("charts").join(name)).unwrap(),
            std::fs::read(out.join("charts").join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn a_timeline_replication_beyond_the_run_is_bad_input() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-timeline-bad");
    let _ = std::fs::remove_dir_all(&base);
    let out = base.join("out");
    for command in ["report", "chart"] {
        let done = faultline(&[
            command,
            "scenarios/database-multi-az.ron",
            "--out",
            out.to_str().unwrap(),
            "--timeline-replication",
            "1000",
        ]);
        assert_eq!(done.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert!(
            stderr.contains("error: --timeline-replication 1000 is beyond the scenario's replications"),
            "{stderr}"
        );
        assert!(
            stderr
                .contains("hint: scenarios/database-multi-az.ron runs 1000 replications, numbered 0 to 999"),
            "{stderr}"
        );
        assert!(!out.exists(), "{command} wrote before checking its arguments");
    }
    // A result has no histories to draw a timeline from.
    let done = faultline(&[
        "chart",
        "reports/three-tier/result.json",
        "--out",
        out.to_str().unwrap(),
        "--timeline-replication",
        "0",
    ]);
    assert_eq!(done.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&done.stderr).contains("--timeline-replication needs a scenario"));
    assert!(!out.exists());
}

#[test]
fn run_options_are_honoured_and_recorded_by_report_and_chart() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-options");
    let _ = std::fs::remove_dir_all(&base);
    let out = base.join("db");
    let options = ["--seed", "7", "--replications", "20", "--horizon", "1y", "--threads", "1"];
    let file = "scenarios/database-multi-az.ron";
    let done = faultline(&[&["report", file, "--out", out.to_str().unwrap()][..], &options].concat());
    assert_eq!(done.status.code(), Some(0), "{}", String::from_utf8_lossy(&done.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("result.json")).unwrap()).unwrap();
    assert_eq!((json["seed"].as_u64(), json["replications"].as_u64()), (Some(7), Some(20)));
    assert_eq!(json["horizon_h"].as_f64(), Some(8760.0));
    assert_eq!(json["overrides"], serde_json::json!({"seed": 7, "replications": 20, "horizon": "1y"}));
    // result.json is `run --format json` with the same options, byte for byte.
    let run = faultline(&[&["run", file, "--format", "json"][..], &options].concat());
    assert_eq!(run.stdout, std::fs::read(out.join("result.json")).unwrap());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("\n20 replications of 1y each, seed 7, random failures on,"), "{md}");
    assert!(
        md.contains(&format!("faultline report {file} --seed 7 --replications 20 --horizon 1y\n")),
        "{md}"
    );
    assert!(
        md.contains(&format!("faultline run {file} --seed 7 --replications 20 --horizon 1y --format json")),
        "{md}"
    );
    if md.contains("`faultline trace ") {
        assert!(md.contains(&format!("`faultline trace {file} --seed 7 --horizon 1y --arch ")), "{md}");
    }
    // A timeline beyond --replications is refused, naming the option.
    let done = faultline(&[
        "report",
        file,
        "--out",
        out.to_str().unwrap(),
        "--replications",
        "5",
        "--timeline-replication",
        "5",
    ]);
    assert_eq!(done.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(stderr.contains("error: --timeline-replication 5 is beyond the --replications replications\n  = hint: this run runs 5 replications, numbered 0 to 4"), "{stderr}");
    // A result ran already: the options need a scenario.
    let done = faultline(&[
        "chart",
        out.join("result.json").to_str().unwrap(),
        "--out",
        base.join("c").to_str().unwrap(),
        "--seed",
        "1",
    ]);
    assert_eq!(done.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(
        stderr.contains(
            "error: --seed, --replications, --horizon, --precision, --max-replications and --method need a scenario\n"
        ),
        "{stderr}"
    );
}
