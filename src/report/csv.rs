//! `--format csv`: one row per architecture, for spreadsheets.
//!
//! Columns, in order (units in the names; an empty field where the JSON has `null`):
//! `architecture, availability_mean, availability_ci95_low, availability_ci95_high, ci_method,
//! ci_reliable, nines, downtime_min_per_year, incidents_per_year, incidents_per_year_upper95,
//! mtbi_h, rto_p50_s, rto_p95_s, rto_p99_s, rto_max_s, rto_within_objective, rto_censored,
//! availability_target, availability_met, rto_target_s, rto_met, gate, events`.
//! Quoting follows RFC 4180: a field with a comma, a double quote or a line break is quoted,
//! its double quotes doubled; lines end with CRLF.

use crate::metrics::Report;

/// The header row's fields.
pub const COLUMNS: [&str; 23] = [
    "architecture",
    "availability_mean",
    "availability_ci95_low",
    "availability_ci95_high",
    "ci_method",
    "ci_reliable",
    "nines",
    "downtime_min_per_year",
    "incidents_per_year",
    "incidents_per_year_upper95",
    "mtbi_h",
    "rto_p50_s",
    "rto_p95_s",
    "rto_p99_s",
    "rto_max_s",
    "rto_within_objective",
    "rto_censored",
    "availability_target",
    "availability_met",
    "rto_target_s",
    "rto_met",
    "gate",
    "events",
];

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn number(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn flag(v: Option<bool>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// The report as CSV.
pub fn render(report: &Report) -> String {
    let mut out = COLUMNS.join(",") + "\r\n";
    for a in &report.architectures {
        let r = &a.rto_s;
        let o = &a.objectives;
        let fields = [
            a.name.clone(),
            a.availability.mean.to_string(),
            a.availability.ci95[0].to_string(),
            a.availability.ci95[1].to_string(),
            a.availability.ci_method.to_string(),
            a.availability.ci_reliable.to_string(),
            number(a.nines),
            a.downtime_min_per_year.to_string(),
            a.incidents_per_year.to_string(),
            number(a.incidents_per_year_upper95),
            number(a.mtbi_h),
            number(r.p50),
            number(r.p95),
            number(r.p99),
            number(r.max),
            number(r.within_objective),
            r.censored.to_string(),
            number(o.availability.target),
            flag(o.availability.met),
            number(o.rto.target),
            flag(o.rto.met),
            o.gate.to_string(),
            a.events.to_string(),
        ];
        out += &fields.iter().map(|f| quote(f)).collect::<Vec<_>>().join(",");
        out += "\r\n";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn rfc_4180_quoting() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
    }
}
