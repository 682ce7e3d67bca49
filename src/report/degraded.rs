//! The degraded-capacity section of the table and of the Markdown report: each design's time
//! up below a group's `full` capacity and its episodes per year, beside its downtime. Printed
//! only when a design declares a `full` capacity (a report without one prints as before).

use std::fmt::Write as _;

use super::format::{minutes, significant};
use super::layout::{Align, columns};
use crate::metrics::ArchitectureReport;

/// Whether the section is printed.
pub fn any(archs: &[ArchitectureReport]) -> bool {
    archs.iter().any(|a| a.degraded.is_some())
}

/// The cells of one design: degraded time/yr, episodes/yr, downtime/yr (`-` without `full`).
fn cells(a: &ArchitectureReport) -> [String; 3] {
    let downtime = minutes(a.downtime_min_per_year);
    match &a.degraded {
        Some(d) => [minutes(d.minutes_per_year), significant(d.episodes_per_year), downtime],
        None => ["-".into(), "-".into(), downtime],
    }
}

/// For a terminal: the section and a blank line (nothing without a `full` capacity).
pub fn table(archs: &[ArchitectureReport]) -> String {
    if !any(archs) {
        return String::new();
    }
    let mut rows =
        vec![["degraded capacity", "degraded/yr", "episodes/yr", "downtime/yr"].map(String::from).to_vec()];
    for a in archs {
        let mut row = vec![a.name.clone()];
        row.extend(cells(a));
        rows.push(row);
    }
    format!(
        "{}(degraded: the service up while a group it depends on has fewer than its `full` capacity up;\n `-`: the design declares no `full`)\n\n",
        columns(&rows, &[Align::Left, Align::Right, Align::Right, Align::Right], "")
    )
}

/// As a document: a section (nothing without a `full` capacity).
pub fn markdown(archs: &[ArchitectureReport]) -> String {
    if !any(archs) {
        return String::new();
    }
    let mut out = String::from(
        "\n## Degraded capacity\n\n| architecture | degraded/yr | episodes/yr | downtime/yr |\n|---|---:|---:|---:|\n",
    );
    for a in archs {
        let [degraded, episodes, downtime] = cells(a);
        let _ = writeln!(out, "| {} | {degraded} | {episodes} | {downtime} |", a.name.replace('|', "\\|"));
    }
    out.push_str(
        "\nDegraded: the service is up while a group it depends on has fewer than its `full` capacity \
         up (`-`: the design declares no `full`). Degraded time is not downtime.\n",
    );
    out
}
