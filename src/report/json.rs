//! `--format json`: the stable machine format (input of `chart` and `check`).

use crate::metrics::{ArchitectureReport, Report};

/// A number in the report is NaN or infinite: a bug, never serialised as `null`.
#[derive(Debug, thiserror::Error)]
#[error("internal error: `{field}` of `{architecture}` is not a finite number")]
pub struct NonFinite {
    /// Architecture.
    pub architecture: String,
    /// Field.
    pub field: &'static str,
}

/// Pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> Result<String, NonFinite> {
    for a in &report.architectures {
        check_finite(a)?;
    }
    let mut text = serde_json::to_string_pretty(report).expect("report types serialise");
    text.push('\n');
    Ok(text)
}

fn check_finite(a: &ArchitectureReport) -> Result<(), NonFinite> {
    let values: [(&'static str, Option<f64>); 14] = [
        ("availability.mean", Some(a.availability.mean)),
        ("availability.ci95[0]", Some(a.availability.ci95[0])),
        ("availability.ci95[1]", Some(a.availability.ci95[1])),
        ("nines", a.nines),
        ("downtime_min_per_year", Some(a.downtime_min_per_year)),
        ("incidents_per_year", Some(a.incidents_per_year)),
        ("incidents_per_year_upper95", a.incidents_per_year_upper95),
        ("mtbi_h", a.mtbi_h),
        ("rto_s.p50", a.rto_s.p50),
        ("rto_s.p95", a.rto_s.p95),
        ("rto_s.p99", a.rto_s.p99),
        ("rto_s.max", a.rto_s.max),
        ("rto_s.within_objective", a.rto_s.within_objective),
        ("objectives.rto.target", a.objectives.rto.target),
    ];
    let problems = a
        .problems
        .iter()
        .map(|p| ("problems.downtime_h", Some(p.downtime_h)))
        .chain(a.downtime_by_label.iter().map(|l| ("downtime_by_label.downtime_h", Some(l.downtime_h))));
    for (field, v) in values.into_iter().chain(problems) {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(NonFinite { architecture: a.name.clone(), field });
        }
    }
    Ok(())
}
