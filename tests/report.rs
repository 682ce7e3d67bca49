//! `faultline report`: the bundle is complete, valid, and the same bytes on any thread count.

use std::path::Path;
use std::process::Command;

fn report(out: &Path, threads: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_faultline"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
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
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_faultline"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("chart")
            .args(args)
            .output()
            .unwrap()
    };
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
