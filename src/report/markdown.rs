//! `--format markdown`: the comparison as a document for design reviews.

use std::fmt::Write as _;

use super::format::{duration_s, percent};
use crate::metrics::{ObjectiveResult, Report};
use crate::time::{MS_PER_HOUR, SimTime};

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn verdict(o: ObjectiveResult) -> &'static str {
    match o.met {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "-",
    }
}

/// The report as Markdown.
pub fn render(report: &Report) -> String {
    let h = &report.header;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", cell(&h.scenario.name));
    let horizon = SimTime(libm::round(h.horizon_h * MS_PER_HOUR as f64) as u64);
    let _ = writeln!(
        out,
        "{} replications of {} each, seed {}, random failures {}, faultline {} (stream v{}), scenario SHA-256 `{}`.\n",
        h.replications,
        horizon,
        h.seed,
        if h.random { "on" } else { "off" },
        h.faultline,
        h.stream_version,
        h.scenario.sha256
    );
    out.push_str("| architecture | availability | 95% CI | nines | downtime/yr | incidents/yr | RTO p50 | RTO p95 | RTO max |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let q = |v: Option<f64>| v.map_or_else(|| "-".to_string(), duration_s);
    for a in &report.architectures {
        let _ = writeln!(
            out,
            "| {} | {} | [{}, {}] | {} | {:.1} min | {} | {} | {} | {} |",
            cell(&a.name),
            percent(a.availability.mean),
            percent(a.availability.ci95[0]),
            percent(a.availability.ci95[1]),
            a.nines.map_or_else(|| "-".to_string(), |n| format!("{n:.2}")),
            a.downtime_min_per_year,
            a.incidents_per_year_upper95.map_or_else(
                || format!("{:.3}", a.incidents_per_year),
                |u| format!("none observed (< {u:.3})")
            ),
            q(a.rto_s.p50),
            q(a.rto_s.p95),
            q(a.rto_s.max),
        );
    }
    out.push_str(
        "\n## Objectives\n\n| architecture | availability | RTO (p95) | gate |\n|---|---|---|---|\n",
    );
    for a in &report.architectures {
        let o = &a.objectives;
        let target = |t: Option<f64>, f: &dyn Fn(f64) -> String| t.map_or_else(|| "-".to_string(), f);
        let _ = writeln!(
            out,
            "| {} | {} {} | {} {} | {} |",
            cell(&a.name),
            target(o.availability.target, &|t| format!(">= {}", percent(t))),
            verdict(o.availability),
            target(o.rto.target, &|t| format!("<= {}", duration_s(t))),
            verdict(o.rto),
            if o.gate { "on" } else { "off (kept for contrast)" }
        );
    }
    for a in &report.architectures {
        let _ = writeln!(out, "\n## {}\n", cell(&a.name));
        if a.problems.is_empty() {
            out.push_str("No incident.\n");
            continue;
        }
        out.push_str("| top problems | incidents | downtime (all replications) |\n|---|---:|---:|\n");
        for p in a.problems.iter().take(super::table::TOP_PROBLEMS) {
            let _ = writeln!(out, "| `{}` | {} | {:.1} h |", p.cause, p.incidents, p.downtime_h);
        }
        out.push_str("\n| ended by | incidents | downtime (all replications) |\n|---|---:|---:|\n");
        for l in &a.downtime_by_label {
            let _ = writeln!(out, "| {} | {} | {:.1} h |", l.label, l.incidents, l.downtime_h);
        }
        if !a.injections_skipped.is_empty() {
            let _ = writeln!(
                out,
                "\nInjections skipped (no such component): {}.",
                a.injections_skipped.join(", ")
            );
        }
    }
    out
}
