//! The cost section of the table and of the Markdown report: each design's cost per year
//! beside its downtime per year, printed only when some design has a cost (a report without
//! costs prints as before costs existed).

use std::fmt::Write as _;

use super::format::{amount, minutes};
use super::layout::{Align, columns};
use crate::metrics::ArchitectureReport;

/// What the numbers mean (the table wraps it).
const MEANING: &str = "every component costs its cost_per_hour for every hour it is provisioned, up or down; a standby member its passive rate while another member is active";

/// Whether any design has a cost.
pub fn any(archs: &[ArchitectureReport]) -> bool {
    archs.iter().any(|a| a.cost_per_year > 0.0)
}

/// For a terminal: the section and a blank line (nothing without costs).
pub fn table(archs: &[ArchitectureReport]) -> String {
    if !any(archs) {
        return String::new();
    }
    let mut rows = vec![["cost", "per year", "downtime/yr"].map(String::from).to_vec()];
    rows.extend(
        archs.iter().map(|a| vec![a.name.clone(), amount(a.cost_per_year), minutes(a.downtime_min_per_year)]),
    );
    format!(
        "{}(every component costs its cost_per_hour for every hour it is provisioned, up or down;\n a standby member its passive rate while another member is active)\n\n",
        columns(&rows, &[Align::Left, Align::Right, Align::Right], "")
    )
}

/// As a document: a section (nothing without costs).
pub fn markdown(archs: &[ArchitectureReport]) -> String {
    if !any(archs) {
        return String::new();
    }
    let mut out =
        String::from("\n## Cost\n\n| architecture | cost per year | downtime/yr |\n|---|---:|---:|\n");
    for a in archs {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            a.name.replace('|', "\\|"),
            amount(a.cost_per_year),
            minutes(a.downtime_min_per_year)
        );
    }
    let _ = writeln!(out, "\nIn the scenario's currency: {MEANING}.");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two designs: a Hot pair that fails over at 10 h, and the same pair Cold.
    const COSTED: &str = r#"(name: "cost", horizon: "100h", replications: 2, random: false,
        architectures: [
            (name: "hot", components: [
                (name: "a", kind: Instance, fail: Never, cost_per_hour: 1.0),
                (name: "b", kind: Instance, fail: Never, cost_per_hour: 1.0),
                (name: "g", kind: Group, standby: (members: ["a", "b"], detect: "0s", switch: "1h"))],
             service: "g"),
            (name: "cold", extends: "hot", components: [
                (name: "g", kind: Group, standby: (members: ["a", "b"], detect: "0s", switch: "1h", passive: Cold))])],
        injections: [(target: "a", at: "10h", duration: "5h")])"#;

    #[test]
    fn a_section_when_a_design_costs_and_none_otherwise() {
        let report = crate::report::fixture::report(COSTED);
        // hot: 2 x 100 h = 200 a run; cold: a active 10 h, b active 90 h, each passive at 0.
        let per_year = |per_run: f64| per_run * 8760.0 / 100.0;
        assert!((report.architectures[0].cost_per_year - per_year(200.0)).abs() < 1e-6);
        assert!((report.architectures[1].cost_per_year - per_year(100.0)).abs() < 1e-6);
        insta::assert_snapshot!(table(&report.architectures) + &markdown(&report.architectures));
        let free = crate::report::fixture::dr_report("");
        assert_eq!(table(&free.architectures) + &markdown(&free.architectures), "");
    }
}
