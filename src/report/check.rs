//! `check`'s lines for one scenario file: `FILE: FAIL|note: ARCHITECTURE: METRIC KIND: expected
//! ..., got ...` per finding, `FILE: FAIL|note: ARCHITECTURE: baseline: ...` per design and
//! baseline entry that do not match, and `FILE: ok (N architectures)` when it passed. What the
//! findings are is `crate::check`'s; reading and writing baselines is the CLI's.

use super::format::{duration_s, percent, pooled_rpo_p95};
use crate::check::{Finding, Measure, Outcome};

/// What a finding expected, as printed: `>= 99.9500%`, `p95 <= 1h 00m`, `baseline 12.3 min/yr`.
pub fn expected(f: &Finding) -> String {
    match &f.measure {
        Measure::Availability { target, .. } => format!(">= {}", percent(*target)),
        Measure::Rto { target, .. } | Measure::Rpo { target, .. } => {
            format!("p95 <= {}", duration_s(*target))
        }
        Measure::Downtime { before, .. } => format!("baseline {before:.1} min/yr"),
    }
}

/// What a finding got, as printed.
pub fn got(f: &Finding) -> String {
    match &f.measure {
        Measure::Availability { mean, ci95, .. } => {
            format!("{} (95% CI [{}, {}])", percent(*mean), percent(ci95[0]), percent(ci95[1]))
        }
        Measure::Rto { p95: Some(p95), .. } => format!("p95 {}", duration_s(*p95)),
        Measure::Rto { p95: None, censored, .. } => {
            format!("{censored} incident(s) still open at the horizon, longer than the target")
        }
        Measure::Rpo { data, .. } => format!(
            "p95 {}{}",
            pooled_rpo_p95(data),
            if data.unrecoverable.events > 0 { " (no surviving copy)" } else { "" }
        ),
        Measure::Downtime { now, difference, ci99, .. } => {
            format!(
                "{now:.1} min/yr, difference {difference:+.1} (99% CI [{:+.1}, {:+.1}])",
                ci99[0], ci99[1]
            )
        }
    }
}

/// What `check` found for one scenario file, as its renderer takes it.
#[derive(Clone, Copy, Debug)]
pub struct Findings<'a> {
    /// The scenario file, as named on the command line.
    pub origin: &'a str,
    /// The command that stores a new baseline.
    pub update: &'a str,
    /// The findings.
    pub outcome: &'a Outcome,
    /// How many architectures were checked.
    pub architectures: usize,
}

/// The lines of the check: a note when one replication cannot show a regression, one line per
/// finding and unmatched design, and `ok` when it passed.
pub fn lines(found: &Findings<'_>) -> String {
    let Findings { origin, update, outcome, architectures } = *found;
    let mut out = String::new();
    if outcome.single_replication {
        out.push_str(&format!(
            "{origin}: note: baseline: 1 replication cannot show a regression (the paired test needs 2 or more)\n"
        ));
    }
    for f in &outcome.findings {
        let status = if f.fails { "FAIL" } else { "note" };
        out.push_str(&format!(
            "{origin}: {status}: {}: {} {}: expected {}, got {}{}\n",
            f.architecture,
            f.metric(),
            f.kind,
            expected(f),
            got(f),
            if f.fails || f.kind == "baseline stale" { "" } else { " (gate off)" }
        ));
    }
    for u in &outcome.unmatched {
        let (status, gate_off) = match (u.fails, u.in_scenario) {
            (true, _) => ("FAIL", ""),
            (false, true) => ("note", " (gate off)"),
            (false, false) => ("note", ""),
        };
        let what = if u.in_scenario {
            format!("no entry for this design (renamed or new?); run {update}")
        } else {
            format!("entry for a design not in the scenario (renamed or removed?); run {update} to drop it")
        };
        out.push_str(&format!("{origin}: {status}: {}: baseline: {what}{gate_off}\n", u.architecture));
    }
    if outcome.passed() {
        out.push_str(&format!(
            "{origin}: ok ({architectures} architecture{})\n",
            if architectures == 1 { "" } else { "s" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Baseline, BaselineArchitecture, evaluate};

    #[test]
    fn a_missed_rpo_is_one_finding_naming_unrecoverable_events() {
        use crate::check::objectives;
        let report = crate::report::fixture::dr_report("objectives: (rpo: \"1m\"),");
        let per_design: Vec<Vec<Finding>> = report.architectures.iter().map(objectives).collect();
        assert!(per_design[0].is_empty(), "async replica: 30 s <= 1 m");
        assert!(per_design[3].is_empty(), "no datasets: no RPO verdict, never a failure");
        let found: Vec<Finding> = per_design.concat();
        assert!(found.iter().all(|f| f.metric() == "rpo" && f.fails && f.kind == "missed"));
        let words: Vec<(String, String)> = found.iter().map(|f| (expected(f), got(f))).collect();
        assert_eq!(
            words,
            [
                ("p95 <= 1m 00s".to_string(), "p95 5h 00m".to_string()),
                (
                    "p95 <= 1m 00s".to_string(),
                    "p95 unrecoverable: 1 of 1 event (no surviving copy)".to_string()
                ),
            ]
        );
        let report = crate::report::fixture::dr_report("objectives: (rpo: \"1m\", gate: false),");
        assert!(report.architectures.iter().flat_map(objectives).all(|f| !f.fails));
        let report = crate::report::fixture::dr_report("objectives: (rpo: \"6h\"),");
        assert!(report.architectures[1..2].iter().flat_map(objectives).next().is_none(), "5 h <= 6 h");
    }

    #[test]
    fn finding_lines() {
        let report = crate::report::fixture::dr_report("objectives: (rpo: \"1m\", availability: 0.99999),");
        let entry =
            |name: &str, v: f64| BaselineArchitecture { name: name.into(), downtime_min_per_year: vec![v] };
        let now = Baseline {
            stream_version: 1,
            seed: 0,
            replications: 1,
            horizon_h: 720.0,
            architectures: report.architectures.iter().map(|a| entry(&a.name, 1.0)).collect(),
        };
        let mut before = now.clone();
        before.architectures.retain(|a| a.name != "stateless");
        before.architectures.push(entry("retired", 1.0));
        let update = "faultline check dr.ron --update-baseline";
        let outcome = evaluate(&report.architectures, &now, Some(&before)).unwrap();
        let found = Findings { origin: "dr.ron", update, outcome: &outcome, architectures: 4 };
        insta::assert_snapshot!(lines(&found));
        let plain = crate::report::fixture::dr_report("");
        let passed = evaluate(&plain.architectures[..1], &now, None).unwrap();
        let found = Findings { origin: "dr.ron", update, outcome: &passed, architectures: 1 };
        insta::assert_snapshot!("passed", lines(&found));
    }
}
