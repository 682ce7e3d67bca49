//! `compare`'s outputs: each architecture's downtime against a baseline, paired by
//! replication, as a terminal table, Markdown, CSV (RFC 4180) or JSON.
//!
//! The table and Markdown say what was run (`format::run_line` and the report's sentence),
//! print numbers through `format`, and end with how to read them. The CSV has one row per
//! architecture, full precision and the run's options last (seed, replications, horizon, as
//! `run`'s CSV); the JSON is the run's header with the comparisons.

use std::fmt::Write as _;

use serde::Serialize;

use super::csv::{RUN_COLUMNS, quote, run_fields};
use super::format::{minutes, run_line, run_sentence, signed_ci, signed_minutes};
use super::json::{NonFinite, pretty};
use super::layout::{Align, columns};
use crate::compare::Comparison;
use crate::metrics::Header;

/// What `compare` found, as every renderer takes it.
#[derive(Clone, Debug, Serialize)]
pub struct Comparisons {
    /// What was run.
    #[serde(flatten)]
    pub header: Header,
    /// The metric compared: `downtime_min_per_year`.
    pub metric: &'static str,
    /// The baseline's name.
    pub baseline: String,
    /// One per architecture compared, the baseline's included, in file order.
    pub comparisons: Vec<Comparison>,
}

impl Comparisons {
    fn is_baseline(&self, c: &Comparison) -> bool {
        c.name == self.baseline
    }
}

/// Cells of one row: name, downtime, difference, paired CI, unpaired CI, verdict; the
/// baseline's says so instead of comparing itself.
fn cells(report: &Comparisons, c: &Comparison) -> [String; 6] {
    let [name, downtime] = [c.name.clone(), minutes(c.downtime_min_per_year)];
    if report.is_baseline(c) {
        return [name, downtime, "(baseline)".into(), String::new(), String::new(), String::new()];
    }
    [
        name,
        downtime,
        signed_minutes(c.difference),
        signed_ci(c.ci95_paired),
        signed_ci(c.ci95_unpaired),
        c.verdict.to_string(),
    ]
}

const HEADINGS: [&str; 6] =
    ["architecture", "downtime/yr", "difference", "paired 95% CI", "unpaired 95% CI", "verdict"];

/// For a terminal.
pub fn table(report: &Comparisons) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: downtime against `{}`, paired by replication (95% CI)\n{}\n",
        report.header.scenario.name,
        report.baseline,
        run_line(&report.header)
    );
    let mut rows = vec![HEADINGS.map(String::from).to_vec()];
    rows.extend(report.comparisons.iter().map(|c| cells(report, c).to_vec()));
    let align = [Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Left];
    out.push_str(&columns(&rows, &align, ""));
    out.push_str("\nnegative differences are less downtime; the verdict follows the paired CI\n");
    out
}

/// As a document.
pub fn markdown(report: &Comparisons) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: downtime against `{}`\n\n{}\n\nEach difference is paired by replication (the same failures in every architecture), with its 95% CI; the unpaired CI is beside it for contrast.\n",
        cell(&report.header.scenario.name),
        report.baseline,
        run_sentence(&report.header)
    );
    out.push_str(&format!("| {} |\n|---|---:|---:|---:|---:|---|\n", HEADINGS.join(" | ")));
    for c in &report.comparisons {
        let row: Vec<String> = cells(report, c).iter().map(|s| cell(s)).collect();
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push_str("\nNegative differences are less downtime; the verdict follows the paired CI.\n");
    out
}

/// One row per architecture, full precision, the run's options last, lines ending with CRLF.
pub fn csv(report: &Comparisons) -> String {
    let mut out = format!(
        "architecture,downtime_min_per_year,difference,ci95_paired_low,ci95_paired_high,ci95_unpaired_low,ci95_unpaired_high,verdict,{}\r\n",
        RUN_COLUMNS.join(",")
    );
    let run = run_fields(&report.header).join(",");
    for c in &report.comparisons {
        let name = quote(&c.name);
        let verdict = if report.is_baseline(c) { "baseline" } else { c.verdict };
        let _ = write!(
            out,
            "{name},{},{},{},{},{},{},{verdict},{run}\r\n",
            c.downtime_min_per_year,
            c.difference,
            c.ci95_paired[0],
            c.ci95_paired[1],
            c.ci95_unpaired[0],
            c.ci95_unpaired[1]
        );
    }
    out
}

/// The header and the comparisons, pretty-printed.
pub fn json(report: &Comparisons) -> Result<String, NonFinite> {
    pretty(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare;

    fn comparisons() -> Comparisons {
        let mut report = crate::report::fixture::dr_report("");
        report.header.replications = 4;
        let single = [30.0, 10.0, 50.0, 20.0];
        let multi = [3.0, 1.0, 4.5, 2.5];
        let odd = [31.0, 9.0, 52.0, 19.5];
        let comparisons = vec![
            compare("single|az", &single, &single),
            compare("multi-az", &multi, &single),
            compare("same, \"or so\"", &odd, &single),
        ];
        Comparisons {
            header: report.header,
            metric: "downtime_min_per_year",
            baseline: "single|az".into(),
            comparisons,
        }
    }

    #[test]
    fn table() {
        insta::assert_snapshot!(super::table(&comparisons()));
    }

    #[test]
    fn markdown() {
        insta::assert_snapshot!(super::markdown(&comparisons()));
    }

    #[test]
    fn csv() {
        insta::assert_snapshot!(super::csv(&comparisons()));
    }

    #[test]
    fn json() {
        let text = super::json(&comparisons()).unwrap();
        insta::assert_snapshot!(text);
        let mut bad = comparisons();
        bad.comparisons[1].ci95_unpaired[0] = f64::NAN;
        assert_eq!(super::json(&bad).unwrap_err().path, "comparisons[1].ci95_unpaired[0]");
    }
}
