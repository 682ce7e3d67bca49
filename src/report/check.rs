//! `check`'s lines for one scenario file: `FILE: FAIL|note: ARCHITECTURE: METRIC KIND: expected
//! ..., got ...` per finding, `FILE: FAIL|note: ARCHITECTURE: baseline: ...` per design and
//! baseline entry that do not match, and `FILE: ok (N architectures)` when it passed. What the
//! findings are is `crate::check`'s; reading and writing baselines is the CLI's.

use crate::check::Outcome;

/// The lines of the check of `origin` (`update`: the command that stores a new baseline): a note when one replication cannot show a regression, one
/// line per finding and unmatched design, and `ok` when it passed.
pub fn findings(origin: &str, update: &str, outcome: &Outcome, architectures: usize) -> String {
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
            f.metric,
            f.kind,
            f.expected,
            f.got,
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
        insta::assert_snapshot!(findings("dr.ron", update, &outcome, 4));
        let plain = crate::report::fixture::dr_report("");
        let passed = evaluate(&plain.architectures[..1], &now, None).unwrap();
        insta::assert_snapshot!("passed", findings("dr.ron", update, &passed, 1));
    }
}
