//! The terminal table: architectures side by side, then objectives, problems and notes.

use std::fmt::Write as _;

use super::format::{duration_s, percent};
use super::layout::{Align, columns};
use crate::metrics::{ArchitectureReport, ObjectiveResult, Report};
use crate::time::{MS_PER_HOUR, SimTime};

/// Problems listed per architecture.
pub const TOP_PROBLEMS: usize = 5;

/// Renders the report for a terminal.
pub fn render(report: &Report) -> String {
    let h = &report.header;
    let mut out = String::new();
    let _ = writeln!(out, "{}", h.scenario.name);
    let _ = writeln!(
        out,
        "{} replication{} x {}, seed {}{}, stream v{}\n",
        h.replications,
        if h.replications == 1 { "" } else { "s" },
        SimTime(libm::round(h.horizon_h * MS_PER_HOUR as f64) as u64),
        h.seed,
        if h.random { "" } else { ", random failures off" },
        h.stream_version
    );
    out.push_str(&comparison(&report.architectures));
    out.push('\n');
    out.push_str(&objectives(&report.architectures));
    out.push_str(&problems(&report.architectures));
    out.push_str(&notes(&report.architectures));
    out
}

fn comparison(archs: &[ArchitectureReport]) -> String {
    let mut rows = vec![
        [
            "architecture",
            "availability",
            "95% CI",
            "nines",
            "downtime/yr",
            "incidents/yr",
            "MTBI",
            "RTO p50",
            "p95",
            "p99",
            "max",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for a in archs {
        let r = &a.rto_s;
        let q = |v: Option<f64>| v.map_or_else(|| "-".to_string(), duration_s);
        rows.push(vec![
            a.name.clone(),
            percent(a.availability.mean),
            format!(
                "[{}, {}]{}",
                percent(a.availability.ci95[0]),
                percent(a.availability.ci95[1]),
                ci_mark(a)
            ),
            a.nines.map_or_else(|| "-".to_string(), |n| format!("{n:.2}")),
            format!("{:.1} min", a.downtime_min_per_year),
            match a.incidents_per_year_upper95 {
                Some(upper) => format!("none observed (< {})", significant(upper)),
                None => significant(a.incidents_per_year),
            },
            a.mtbi_h.map_or_else(|| "-".to_string(), |h| duration_s(h * 3600.0)),
            q(r.p50),
            q(r.p95),
            q(r.p99),
            q(r.max),
        ]);
    }
    let mut align = vec![Align::Right; 11];
    align[0] = Align::Left;
    columns(&rows, &align, "")
}

fn objectives(archs: &[ArchitectureReport]) -> String {
    if archs.iter().all(|a| a.objectives.availability.target.is_none() && a.objectives.rto.target.is_none()) {
        return String::new();
    }
    let mut rows = vec![vec![
        "objectives".to_string(),
        "availability".to_string(),
        "RTO (p95)".to_string(),
        String::new(),
    ]];
    for a in archs {
        let o = &a.objectives;
        let availability = verdict(o.availability, |t| {
            format!(">= {} (CI low {})", percent(t), percent(a.availability.ci95[0]))
        });
        let rto = verdict(o.rto, |t| {
            let got = a.rto_s.p95.map_or_else(|| "no completed incident".to_string(), duration_s);
            format!("<= {} (got {got})", duration_s(t))
        });
        rows.push(vec![
            a.name.clone(),
            availability,
            rto,
            if o.gate { String::new() } else { "gate off".into() },
        ]);
    }
    columns(&rows, &[Align::Left; 4], "") + "\n"
}

fn verdict(o: ObjectiveResult, describe: impl Fn(f64) -> String) -> String {
    match (o.target, o.met) {
        (Some(t), Some(true)) => format!("met {}", describe(t)),
        (Some(t), Some(false)) => format!("MISSED {}", describe(t)),
        _ => "-".to_string(),
    }
}

fn problems(archs: &[ArchitectureReport]) -> String {
    let mut out = String::new();
    for a in archs.iter().filter(|a| !a.problems.is_empty()) {
        let _ = writeln!(
            out,
            "top problems of {} (by downtime, summed over all replications), and what ended the incidents",
            a.name
        );
        let mut rows = vec![["cause", "incidents", "total downtime"].map(String::from).to_vec()];
        for p in a.problems.iter().take(TOP_PROBLEMS) {
            rows.push(vec![p.cause.clone(), p.incidents.to_string(), format!("{:.1} h", p.downtime_h)]);
        }
        if a.problems.len() > TOP_PROBLEMS {
            rows.push(vec![
                format!("({} more)", a.problems.len() - TOP_PROBLEMS),
                String::new(),
                String::new(),
            ]);
        }
        // What ended the incidents, in the same columns.
        rows.push(vec![String::new(); 3]);
        rows.push(["ended by", "incidents", "total downtime"].map(String::from).to_vec());
        for l in &a.downtime_by_label {
            rows.push(vec![l.label.clone(), l.incidents.to_string(), format!("{:.1} h", l.downtime_h)]);
        }
        out.push_str(&columns(&rows, &[Align::Left, Align::Right, Align::Right], "  "));
        out.push('\n');
    }
    out
}

fn notes(archs: &[ArchitectureReport]) -> String {
    let mut out = String::new();
    for a in archs {
        let mut parts = vec![format!("{} event{}", a.events, if a.events == 1 { "" } else { "s" })];
        if a.rto_s.censored > 0 {
            parts
                .push(format!("{} incident(s) open at the horizon (censored, not in RTO)", a.rto_s.censored));
        }
        if let Some(share) = a.rto_s.within_objective {
            parts.push(format!("{} of incidents within the RTO objective", percent(share)));
        }
        if !a.injections_skipped.is_empty() {
            parts
                .push(format!("injections skipped (no such component): {}", a.injections_skipped.join(", ")));
        }
        let _ = writeln!(out, "{}: {}", a.name, parts.join("; "));
    }
    if archs.iter().any(|a| ci_mark(a) == "*") {
        out.push_str(
            "* fewer than 30 replications saw downtime: the CI is not reliable; run more replications\n",
        );
    }
    if archs.iter().any(|a| ci_mark(a) == "=") {
        out.push_str("= every replication gave the same availability: the CI is a single point\n");
    }
    out
}

/// `=` for a degenerate CI, `*` for one from too few replications with downtime.
fn ci_mark(a: &ArchitectureReport) -> &'static str {
    if a.availability.ci_method == "degenerate" {
        "="
    } else if !a.availability.ci_reliable {
        "*"
    } else {
        ""
    }
}

/// A positive number with 3 significant digits, without exponent for everyday sizes.
fn significant(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = (2 - libm::floor(libm::log10(v.abs())) as i32).clamp(0, 8) as usize;
    format!("{v:.digits$}")
}
