//! `run --format csv|markdown`: documented columns, one row per architecture, same numbers as
//! the JSON.

use crate::harness;

fn run(args: &[&str]) -> String {
    let out = harness::command().arg("run").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// RFC 4180 records (quoted fields, doubled quotes, CRLF line ends).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = vec![];
    let (mut record, mut field, mut quoted, mut chars) =
        (vec![], String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "CRLF line ends"),
            (false, '\n') => panic!("bare LF"),
            (false, c) => field.push(c),
        }
        if !quoted && c == '\r' {
            record.push(std::mem::take(&mut field));
            records.push(std::mem::take(&mut record));
        }
    }
    records
}

#[test]
fn csv_has_the_documented_columns_and_the_json_numbers() {
    let file = "scenarios/database-multi-az.ron";
    let csv = parse_csv(&run(&[file, "--format", "csv", "-q", "--replications", "100"]));
    assert_eq!(csv[0], faultline::report::csv::COLUMNS);
    let json: serde_json::Value =
        serde_json::from_str(&run(&[file, "--format", "json", "-q", "--replications", "100"])).unwrap();
    let archs = json["architectures"].as_array().unwrap();
    assert_eq!(csv.len() - 1, archs.len());
    for (row, a) in csv[1..].iter().zip(archs) {
        assert_eq!(row.len(), faultline::report::csv::COLUMNS.len());
        assert_eq!(row[0], a["name"].as_str().unwrap());
        assert_eq!(row[1].parse::<f64>().unwrap(), a["availability"]["mean"].as_f64().unwrap());
        assert_eq!(row[7].parse::<f64>().unwrap(), a["downtime_min_per_year"].as_f64().unwrap());
        assert_eq!(row[22].parse::<u64>().unwrap(), a["events"].as_u64().unwrap());
        let p95 = a["rto_s"]["p95"].as_f64();
        assert_eq!(row[12].parse::<f64>().ok(), p95, "empty for null");
    }
}

#[test]
fn csv_quotes_names_that_need_it() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("quoted.ron");
    std::fs::write(
        &path,
        r#"(name: "q", horizon: "1y", replications: 3, architectures: [
            (name: "web, \"blue\"", service: "s", components: [(name: "s", kind: Instance, fail: Never)])])"#,
    )
    .unwrap();
    let text = run(&[path.to_str().unwrap(), "--format", "csv", "-q"]);
    assert!(text.contains("\r\n\"web, \"\"blue\"\"\","), "{text}");
    let rows = parse_csv(&text);
    assert_eq!(rows[1][0], "web, \"blue\"");
    assert_eq!(rows[1].len(), faultline::report::csv::COLUMNS.len());
}

#[test]
fn markdown_is_a_document_with_the_comparison_and_objectives() {
    let md = run(&["scenarios/database-multi-az.ron", "--format", "markdown", "-q", "--replications", "100"]);
    assert!(md.starts_with("# Database: RDS Multi-AZ vs Single-AZ\n"));
    assert!(md.contains("| architecture | availability | 95% CI |"));
    assert!(md.contains("## Objectives"));
    assert!(md.contains("| multi-az |"));
    assert_eq!(
        md,
        run(&[
            "scenarios/database-multi-az.ron",
            "--format",
            "markdown",
            "-q",
            "--replications",
            "100",
            "--threads",
            "1"
        ])
    );
}
