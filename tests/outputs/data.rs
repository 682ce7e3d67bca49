//! Data loss in every output: the table, Markdown, CSV and JSON of `run`, the verdicts of
//! `check`, and the RPO chart of `report` and `chart`, on a scripted scenario (random failures
//! off, one replication) whose RPOs are known exactly: an injected AZ fire at 245 h destroys
//! the primary; an async replica (lag 30 s) loses 30 s, the daily backup started at 240 h
//! loses 5 h. Queues likewise: a 5-day outage of the consumers leaves a 5-day backlog in a
//! queue that keeps messages 4 days, losing 1 day of them.

use std::path::{Path, PathBuf};

use crate::harness;

/// The scripted scenario; `OBJECTIVES` and `ARCHITECTURES` are replaced.
const SCENARIO: &str = include_str!("../fixtures/data/dr.ron");

const ASYNC_REPLICA: &str = include_str!("../fixtures/data/async-replica.ron");

const BACKUP_ONLY: &str = include_str!("../fixtures/data/backup-only.ron");

const FIRE: &str = include_str!("../fixtures/data/fire.ron");

const FAILOVER: &str = include_str!("../fixtures/data/failover.ron");

/// A scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    harness::scratch_dir(&format!("data-outputs-{test}"))
}

/// Writes the scenario with `objectives`, `archs` and `injections` into `dir`.
fn scenario(dir: &Path, objectives: &str, archs: &[&str], injections: &str) -> PathBuf {
    let path = dir.join("dr.ron");
    let text = SCENARIO
        .replace("OBJECTIVES", objectives)
        .replace("ARCHITECTURES", &archs.join(", "))
        .replace("INJECTIONS", injections);
    std::fs::write(&path, text).unwrap();
    path
}

fn faultline(args: &[&str]) -> (i32, String, String) {
    let out = harness::faultline(args);
    (out.exit_code(), out.stdout, out.stderr)
}

fn run(file: &Path, format: &str) -> String {
    let (code, out, err) = faultline(&["run", file.to_str().unwrap(), "--format", format, "-q"]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn table_markdown_csv_and_json_show_the_exact_rpos() {
    let dir = scratch("formats");
    let file = scenario(&dir, r#"objectives: (rpo: "1m"),"#, &[ASYNC_REPLICA, BACKUP_ONLY, FAILOVER], FIRE);

    // Lost writes per year: one loss in 30 days, 12.167 a year: 30 s -> 6 min 05 s, 5 h -> 2 d 13 h.
    let table = run(&file, "table");
    for line in [
        "async-replica       12.2    30.0s   30.0s   30.0s          6m 05s                         1/0/0  0\n",
        "backup-only         12.2   5h 00m  5h 00m  5h 00m          2d 13h                         0/1/0  0\n",
        "failover            12.2    30.0s   30.0s   30.0s          6m 05s                         0/0/1  0\n",
        "async-replica  -             -          met <= 1m 00s (got 30.0s)\n",
        "backup-only    -             -          MISSED <= 1m 00s (got 5h 00m)\n",
    ] {
        assert!(table.contains(line), "table lacks {line:?}:\n{table}");
    }

    let md = run(&file, "markdown");
    for needed in [
        "| 5m 00s | 5m 00s | 5m 00s | 12.2 | 30.0s |\n",
        "| 8h 00m | 8h 00m | 8h 00m | 12.2 | 5h 00m |\n",
        "| backup-only | - | - | <= 1m 00s **missed** (got 5h 00m) | on |\n",
        "| orders | 12.2 | 30.0s | 30.0s | 30.0s | 6m 05s | 1 | 0 | 0 | 0 |\n",
        "| orders | 12.2 | 5h 00m | 5h 00m | 5h 00m | 2d 13h | 0 | 1 | 0 | 0 |\n",
        "| orders | 12.2 | 30.0s | 30.0s | 30.0s | 6m 05s | 0 | 0 | 1 | 0 |\n",
        "0 recovered from a replica, 0 from a backup, 1 by a failover, 0 unrecoverable",
        "Lost writes (how long the store had accepted the writes the events destroyed, not counting what an \
         earlier loss had destroyed): 2d 13h per year, mean 5h 00m per event, max 5h 00m.\n",
        "| promote | DR | 1 | 0.1 h |\n",
        "| restore | DR | 1 | 8.0 h |\n",
    ] {
        assert!(md.contains(needed), "markdown lacks {needed:?}:\n{md}");
    }

    let csv = run(&file, "csv");
    let rows: Vec<Vec<&str>> =
        csv.split("\r\n").filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0], faultline::report::csv::COLUMNS);
    let col = |name: &str| faultline::report::csv::COLUMNS.iter().position(|c| *c == name).unwrap();
    for (row, p95, met, lost_h, failover) in [
        (1, "30", "true", 30.0 / 3600.0, "0"),
        (2, "18000", "false", 5.0, "0"),
        (3, "30", "true", 30.0 / 3600.0, "1"),
    ] {
        assert_eq!(rows[row][col("rpo_p95_s")], p95);
        assert_eq!(rows[row][col("rpo_max_s")], p95);
        assert_eq!(rows[row][col("rpo_target_s")], "60");
        assert_eq!(rows[row][col("rpo_met")], met);
        assert_eq!(rows[row][col("data_loss_events")], "1");
        assert_eq!(rows[row][col("recovered_from_failover")], failover);
        assert_eq!(rows[row][col("lost_writes_h")].parse::<f64>().unwrap(), lost_h);
        assert_eq!(rows[row][col("lost_writes_max_h")].parse::<f64>().unwrap(), lost_h);
    }

    let json: serde_json::Value = serde_json::from_str(&run(&file, "json")).unwrap();
    let archs = json["architectures"].as_array().unwrap();
    assert_eq!(archs[0]["rpo_s"]["p95"], 30.0);
    assert_eq!(archs[1]["rpo_s"]["p95"], 18_000.0);
    assert_eq!(archs[1]["datasets"][0]["rpo_s"]["max"], 18_000.0);
    assert_eq!(archs[1]["objectives"]["rpo"]["met"], false);
    let years = 30.0 / 365.0;
    assert_eq!(archs[1]["lost_writes"]["total_h"], 5.0);
    assert_eq!(archs[1]["lost_writes"]["per_year_h"], 5.0 / years);
    assert_eq!(archs[1]["datasets"][0]["lost_writes"]["mean_h"], 5.0);
    assert_eq!(archs[2]["recovered_from"]["failover"], 1);
    assert_eq!(archs[2]["rpo_s"]["max"], 30.0);

    // The trace shows the loss at the fire, and the failover that ends the incident.
    let (code, trace, err) =
        faultline(&["trace", file.to_str().unwrap(), "--arch", "failover", "--from", "245h", "--to", "246h"]);
    assert_eq!(code, 0, "{err}");
    for needed in [
        "DATA LOST: RPO 30.0s, 30.0s of writes destroyed, the member failed over to lacks them",
        "switch to db-b started",
        "SERVICE UP after 3m 00s (failover)",
    ] {
        assert!(trace.contains(needed), "trace lacks {needed:?}:\n{trace}");
    }
}

#[test]
fn check_fails_the_backup_only_design_and_passes_the_replica() {
    let dir = scratch("check");
    let baselines = dir.join("baselines");
    let check = |file: &Path| {
        faultline(&["check", file.to_str().unwrap(), "--baseline", baselines.to_str().unwrap()])
    };
    let objectives = r#"objectives: (rpo: "1m"),"#;

    let (code, out, err) = check(&scenario(&dir, objectives, &[BACKUP_ONLY], FIRE));
    assert_eq!(code, 1, "{out}{err}");
    let fails: Vec<&str> = out.lines().filter(|l| l.contains(": FAIL: ")).collect();
    assert_eq!(fails.len(), 1, "{out}");
    assert!(
        fails[0].ends_with("dr.ron: FAIL: backup-only: rpo missed: expected p95 <= 1m 00s, got p95 5h 00m"),
        "{out}"
    );

    let (code, out, err) = check(&scenario(&dir, objectives, &[ASYNC_REPLICA], FIRE));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok (1 architecture)"), "{out}");

    // A design kept for contrast is reported, not failing.
    let (code, out, _) =
        check(&scenario(&dir, r#"objectives: (rpo: "1m", gate: false),"#, &[BACKUP_ONLY], FIRE));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": note: backup-only: rpo missed") && out.contains("(gate off)"), "{out}");
}

#[test]
fn an_unrecoverable_loss_misses_any_rpo_and_says_so() {
    let dir = scratch("unrecoverable");
    let no_copy = include_str!("../fixtures/data/no-copy.ron");
    let stateless = include_str!("../fixtures/data/stateless.ron");
    let file = scenario(&dir, r#"objectives: (rpo: "30d"),"#, &[no_copy, stateless], FIRE);
    let (code, out, _) = faultline(&["check", file.to_str().unwrap(), "--baseline", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            ": FAIL: no-copy: rpo missed: expected p95 <= 30d 00h, got p95 unrecoverable: 1 of 1 event (no surviving copy)\n"
        ),
        "{out}"
    );
    assert!(!out.contains("stateless"), "no datasets, no RPO verdict: {out}");
    let table = run(&file, "table");
    let rows: Vec<String> =
        table.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    for row in ["orders 12.2 - - - 124d 05h 0/0/0 1 (mean 10d 05h lost)", "stateless - - n/a (no datasets)"] {
        assert!(rows.iter().any(|r| r == row), "table lacks {row:?}:\n{table}");
    }
}

#[test]
fn the_rpo_chart_comes_with_data_loss_only() {
    let dir = scratch("chart");
    let file = scenario(&dir, r#"objectives: (rpo: "1m"),"#, &[ASYNC_REPLICA, BACKUP_ONLY], FIRE);
    let out = dir.join("report");
    let (code, _, err) = faultline(&["report", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let png = std::fs::read(out.join("charts/rpo.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let svg = std::fs::read_to_string(out.join("charts/rpo.svg")).unwrap();
    for needed in ["Realised RPO", "async-replica: p50 30.0s, p95 30.0s, n = 1", "objective 1m 00s"] {
        assert!(svg.contains(needed), "rpo.svg lacks {needed:?}");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("![Realised RPO](charts/rpo.png)"), "{md}");
    // `chart` from the scenario draws the same bytes.
    let charts = dir.join("charts");
    let (code, _, err) = faultline(&["chart", file.to_str().unwrap(), "--out", charts.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(charts.join("charts/rpo.png")).unwrap(), png);

    // Without a data-loss event: no RPO chart, and report.md does not list one.
    let quiet = dir.join("quiet");
    std::fs::create_dir_all(&quiet).unwrap();
    let file = scenario(&quiet, r#"objectives: (rpo: "1m"),"#, &[ASYNC_REPLICA, BACKUP_ONLY], "");
    let out = quiet.join("report");
    let (code, _, err) = faultline(&["report", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.join("charts/rpo.png").exists() && !out.join("charts/rpo.svg").exists());
    assert!(!std::fs::read_to_string(out.join("report.md")).unwrap().contains("rpo.png"));
}

/// Orders go through a queue (retention 4 d) in `queued`, straight to the workers in `sync`; the
/// workers are out for 5 days from 100 h.
const QUEUED: &str = include_str!("../fixtures/data/queued.ron");

/// Each line of `text` with its runs of spaces made one.
fn squeezed(text: &str) -> Vec<String> {
    text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

#[test]
fn table_markdown_and_csv_show_the_backlog_and_the_rpo_of_a_queue() {
    let dir = scratch("queues");
    let file = dir.join("q.ron");
    std::fs::write(&file, QUEUED).unwrap();

    let table = run(&file, "table");
    let rows = squeezed(&table);
    for row in [
        // name, producer -> consumers, retention, backlogs/yr, backlog age p50 p95 max, losses/yr,
        // RPO p95 max
        "orders-q enqueue -> workers 4d 00h 12.2 5d 00h 5d 00h 5d 00h 12.2 1d 00h 1d 00h",
        "queued 12.2 1d 00h 1d 00h 1d 00h 12d 04h 0/0/0 0",
        "orders-q (queue) 12.2 1d 00h 1d 00h 1d 00h 12d 04h 0/0/0 0",
        "queued - - MISSED <= 1h 00m (got 1d 00h)",
        "sync - - n/a (no datasets or queues)",
    ] {
        assert!(rows.iter().any(|r| r == row), "table lacks {row:?}:\n{table}");
    }
    assert_eq!(table.matches("orders-q").count(), 2, "one data-loss row, one queue row:\n{table}");

    let md = run(&file, "markdown");
    for needed in [
        "| orders-q | enqueue -> workers | 4d 00h | 12.2 | 5d 00h | 5d 00h | 5d 00h | 12.2 | 1d 00h | 1d 00h |\n",
        "| queued | - | - | <= 1h 00m **missed** (got 1d 00h) | on |\n",
        "| sync | - | - | <= 1h 00m n/a (no datasets or queues) | on |\n",
        "### Queues\n\nWhile a queue's consumers are down, messages wait in it as a backlog",
        "1 in queues (messages deleted past their retention). Realised RPO: p50 1d 00h, p95 1d 00h,",
    ] {
        assert!(md.contains(needed), "markdown lacks {needed:?}:\n{md}");
    }
    let sync = &md[md.find("\n## sync\n").unwrap()..];
    assert!(!sync.contains("Queues") && !sync.contains("Data loss"), "{sync}");

    let csv = run(&file, "csv");
    let rows: Vec<Vec<&str>> =
        csv.split("\r\n").filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0], faultline::report::csv::COLUMNS);
    let col = |name: &str| faultline::report::csv::COLUMNS.iter().position(|c| *c == name).unwrap();
    let at = |row: usize, names: [&str; 6]| names.map(|n| rows[row][col(n)]);
    let columns = [
        "queue_backlogs",
        "queue_backlog_age_p95_s",
        "queue_backlog_age_max_s",
        "queue_data_loss_events",
        "queue_rpo_max_s",
        "rpo_met",
    ];
    assert_eq!(at(1, columns), ["1", "432000", "432000", "1", "86400", "false"]);
    assert_eq!(at(2, columns), ["0", "", "", "0", "", ""]);
    assert_eq!(rows[1][col("rpo_p95_s")], "86400", "queue losses count in the totals");
}

#[test]
fn check_fails_the_queued_design_on_its_rpo_and_gives_sync_no_verdict() {
    let dir = scratch("queues-check");
    let file = dir.join("q.ron");
    std::fs::write(&file, QUEUED).unwrap();
    let (code, out, err) =
        faultline(&["check", file.to_str().unwrap(), "--baseline", dir.join("baselines").to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    let fails: Vec<&str> = out.lines().filter(|l| l.contains(": FAIL: ")).collect();
    assert_eq!(fails.len(), 1, "{out}");
    assert!(
        fails[0].ends_with("q.ron: FAIL: queued: rpo missed: expected p95 <= 1h 00m, got p95 1d 00h"),
        "{out}"
    );
    assert!(!out.contains("sync"), "no datasets or queues, no RPO verdict: {out}");

    let json: serde_json::Value = serde_json::from_str(&run(&file, "json")).unwrap();
    let archs = json["architectures"].as_array().unwrap();
    assert_eq!(archs[0]["objectives"]["rpo"]["met"], false);
    assert_eq!(archs[1]["objectives"]["rpo"]["met"], serde_json::Value::Null);
}
