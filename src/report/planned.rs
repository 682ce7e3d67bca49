//! The planned-maintenance section of the table and of the Markdown report: each design's
//! planned downtime and outages per year, its availability without them and the
//! `availability_unplanned` objective. Printed only when a design had a planned outage or has
//! that objective (a report without maintenance prints as before maintenance existed).

use std::fmt::Write as _;

use super::format::{minutes, percent, significant};
use super::layout::{Align, columns};
use crate::metrics::ArchitectureReport;

/// What the numbers mean (the table wraps it).
const MEANING: &str = "a planned outage is one a maintenance window caused with no other failure contributing; it counts in the availability and downtime/yr, not in the incidents, RTO or problems";

/// Whether the section is printed.
pub fn any(archs: &[ArchitectureReport]) -> bool {
    archs.iter().any(|a| a.planned.outages > 0 || a.objectives.availability_unplanned.target.is_some())
}

/// The cells of one design: planned downtime/yr, planned outages/yr, availability without
/// planned downtime, its CI, and the objective's verdict (`-` without one).
fn cells(a: &ArchitectureReport, missed: &str) -> [String; 5] {
    let u = &a.planned.availability_unplanned;
    let o = a.objectives.availability_unplanned;
    let verdict = match (o.target, o.met) {
        (Some(t), Some(met)) => format!(">= {} {}", percent(t), if met { "met" } else { missed }),
        _ => "-".to_string(),
    };
    [
        minutes(a.planned.downtime_min_per_year),
        significant(a.planned.outages_per_year),
        percent(u.mean),
        format!("[{}, {}]", percent(u.ci95[0]), percent(u.ci95[1])),
        verdict,
    ]
}

/// For a terminal: the section and a blank line (nothing without maintenance).
pub fn table(archs: &[ArchitectureReport]) -> String {
    if !any(archs) {
        return String::new();
    }
    let header = ["planned maintenance", "planned/yr", "outages/yr", "unplanned only", "95% CI", "objective"];
    let mut rows = vec![header.map(String::from).to_vec()];
    for a in archs {
        let mut row = vec![a.name.clone()];
        row.extend(cells(a, "MISSED"));
        rows.push(row);
    }
    let mut align = vec![Align::Right; header.len()];
    align[0] = Align::Left;
    align[5] = Align::Left;
    format!(
        "{}(a planned outage is one a maintenance window caused with no other failure contributing;\n it counts in the availability and downtime/yr above, not in the incidents, RTO or problems)\n\n",
        columns(&rows, &align, "")
    )
}

/// As a document: a section (nothing without maintenance).
pub fn markdown(archs: &[ArchitectureReport]) -> String {
    if !any(archs) {
        return String::new();
    }
    let mut out = String::from(
        "\n## Planned maintenance\n\n| architecture | planned downtime/yr | planned outages/yr | availability, unplanned only | 95% CI | objective |\n|---|---:|---:|---:|---:|---|\n",
    );
    for a in archs {
        let [down, outages, mean, ci, verdict] = cells(a, "**missed**");
        let _ = writeln!(
            out,
            "| {} | {down} | {outages} | {mean} | {ci} | {verdict} |",
            a.name.replace('|', "\\|")
        );
    }
    let _ = writeln!(out, "\n{}.", capitalised(MEANING));
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
