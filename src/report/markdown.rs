//! `--format markdown`: the comparison as a document for design reviews.
//!
//! With datasets in any architecture, the comparison gains data loss per year and RPO p95, the
//! objectives table an RPO column, and each architecture with datasets a "Data loss and RPO"
//! part with one row per dataset. "Ended by" tables say which mechanisms are HA and which DR.
//! Queues count as datasets do for the data-loss columns and the "Data loss and RPO" part, and
//! each architecture with queues has a "Queues" part with one row per queue. A report without
//! queues reads exactly as before queues existed.

use std::fmt::Write as _;

use super::format::{
    birnbaum, duration_s, hours, incidents_per_year, lost_writes_per_year, mechanism_kind, minutes, nines,
    no_rpo_reason, percent, pooled_rpo_p95, ranked, rate, rpo_or_dash, run_sentence, share, simulated_years,
    unrecoverable,
};
use crate::metrics::{ArchitectureReport, DataReport, Header, ObjectiveResult, Report};

/// Components ranked per architecture (the ones that caused the most downtime).
const TOP_COMPONENTS: usize = 10;

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
    let archs = &report.architectures;
    let with_data = archs.iter().any(has_stores);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", cell(&h.scenario.name));
    let _ = writeln!(out, "{}\n", run_sentence(h));
    out.push_str(&comparison(archs, with_data, h));
    out.push_str(&objectives(archs));
    out.push_str(&super::cost::markdown(archs));
    out.push_str(&super::planned::markdown(archs));
    out.push_str(&super::degraded::markdown(archs));
    if archs.iter().any(|a| !a.downtime_by_label.is_empty()) {
        out.push_str(
            "\nShare of downtime: of the service's downtime, how much incidents caused by the component \
             account for (this run). Birnbaum importance: how much the service's availability \
             moves with the component's, P(up | it is up) - P(up | it is down), computed exactly from the \
             dependency graph with the other components at their own MTTF / (MTTF + MTTR) (an estimate \
             ± its standard error for a graph too large to compute exactly).\n",
        );
        out.push_str(
            "\nIn the \"ended by\" tables, **HA** marks high-availability mechanisms (failover, replacement, repair: \
             the service's components come back; a failover to a member that lacks the newest writes loses \
             them, see the data-loss part) and **DR** disaster recovery (promote a replica, restore a backup, \
             recreate: a dataset is rebuilt after losing its primary copy).\n",
        );
    }
    for a in archs {
        let _ = writeln!(out, "\n## {}\n", cell(&a.name));
        let rare = a.rare().is_some();
        if a.problems.is_empty() && rare {
            out.push_str(
                "No incident in the crude run beside the rare-event estimate (see *Method* below).\n",
            );
        } else if a.problems.is_empty() {
            out.push_str("No incident.\n");
        } else {
            out.push_str("| top problems | incidents | downtime (all replications) |\n|---|---:|---:|\n");
            for p in a.problems.iter().take(super::table::TOP_PROBLEMS) {
                let _ = writeln!(out, "| `{}` | {} | {} |", p.cause, p.incidents, hours(p.downtime_h));
            }
            out.push_str(
                "\n| ended by | kind | incidents | downtime (all replications) |\n|---|---|---:|---:|\n",
            );
            for l in &a.downtime_by_label {
                let kind = mechanism_kind(&l.label);
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    l.label,
                    if kind.is_empty() { "-" } else { kind },
                    l.incidents,
                    hours(l.downtime_h)
                );
            }
            out.push_str("\n| component | share of downtime | Birnbaum importance |\n|---|---:|---:|\n");
            for i in ranked(a, TOP_COMPONENTS) {
                let _ =
                    writeln!(out, "| `{}` | {} | {} |", i.component, share(i.downtime_share), birnbaum(i));
            }
        }
        if has_stores(a) {
            out.push_str(&data_loss(a, simulated_years(h, a)));
        }
        if !a.queues.is_empty() {
            out.push_str(&queues(a, simulated_years(h, a)));
        }
        if !a.injections_skipped.is_empty() {
            let _ = writeln!(
                out,
                "\nInjections skipped (no such component): {}.",
                a.injections_skipped.join(", ")
            );
        }
        if let Some(p) = &a.precision {
            let _ = writeln!(out, "\nPrecision: {}.", super::format::precision_reached(a, p));
        }
        if let Some(note) = super::format::estimator_note(a) {
            let _ = writeln!(out, "\nMethod: {note}.");
        }
    }
    out
}

/// Whether `a` has anything that can lose data: a dataset or a queue.
fn has_stores(a: &ArchitectureReport) -> bool {
    !a.datasets.is_empty() || !a.queues.is_empty()
}

/// Data-loss events per year, or "none observed" with the 95% upper bound.
fn loss_rate(d: &DataReport, years: f64) -> String {
    rate(d.data_loss_events, d.data_loss_events_per_year, years)
}

fn comparison(archs: &[ArchitectureReport], with_data: bool, h: &Header) -> String {
    let any_queues = archs.iter().any(|a| !a.queues.is_empty());
    let mut out = String::from(
        "| architecture | availability | 95% CI | nines | downtime/yr | incidents/yr | RTO p50 | RTO p95 | RTO max |",
    );
    if with_data {
        out.push_str(" data loss/yr | RPO p95 |");
    }
    out.push_str("\n|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    if with_data {
        out.push_str("---:|---:|");
    }
    out.push('\n');
    let q = |v: Option<f64>| v.map_or_else(|| "-".to_string(), duration_s);
    for a in archs {
        let _ = write!(
            out,
            "| {} | {} | [{}, {}] | {} | {} | {} | {} | {} | {} |",
            cell(&a.name),
            percent(a.availability.mean),
            percent(a.availability.ci95[0]),
            percent(a.availability.ci95[1]),
            nines(a.nines),
            minutes(a.downtime_min_per_year),
            incidents_per_year(a),
            q(a.rto_s.p50),
            q(a.rto_s.p95),
            q(a.rto_s.max),
        );
        if with_data && !has_stores(a) {
            let _ = write!(out, " {} | - |", no_rpo_reason(any_queues));
        } else if with_data {
            let _ = write!(
                out,
                " {} | {} |",
                loss_rate(&a.data, simulated_years(h, a)),
                rpo_or_dash(a.data.rpo_s.p95)
            );
        }
        out.push('\n');
    }
    out
}

fn objectives(archs: &[ArchitectureReport]) -> String {
    let with_rpo = archs.iter().any(|a| has_stores(a) || a.objectives.rpo.target.is_some());
    let any_queues = archs.iter().any(|a| !a.queues.is_empty());
    let mut out = String::from("\n## Objectives\n\n| architecture | availability | RTO (p95) |");
    out.push_str(if with_rpo {
        " RPO (p95) | gate |\n|---|---|---|---|---|\n"
    } else {
        " gate |\n|---|---|---|---|\n"
    });
    for a in archs {
        let o = &a.objectives;
        // A target with its verdict and what was got; `-` without a target.
        let availability = match o.availability.target {
            None => "-".to_string(),
            Some(t) => format!(
                ">= {} {} (CI low {})",
                percent(t),
                verdict(o.availability),
                percent(a.availability.ci95[0])
            ),
        };
        let rto = match o.rto.target {
            None => "-".to_string(),
            Some(t) => {
                let got = a.rto_s.p95.map_or_else(|| "no completed incident".to_string(), duration_s);
                format!("<= {} {} (got {got})", duration_s(t), verdict(o.rto))
            }
        };
        let _ = write!(out, "| {} | {} | {} |", cell(&a.name), cell(&availability), cell(&rto));
        if with_rpo {
            let rpo = match (o.rpo.target, o.rpo.met) {
                (None, _) => "-".to_string(),
                (Some(t), None) => format!("<= {} n/a ({})", duration_s(t), no_rpo_reason(any_queues)),
                (Some(t), Some(_)) => {
                    format!("<= {} {} (got {})", duration_s(t), verdict(o.rpo), pooled_rpo_p95(&a.data))
                }
            };
            let _ = write!(out, " {} |", cell(&rpo));
        }
        let _ = writeln!(out, " {} |", if o.gate { "on" } else { "off (kept for contrast)" });
    }
    out
}

/// The "Data loss and RPO" part of one architecture with datasets or queues: every data-loss
/// event together, then one row per dataset. Queues have their rows in [`queues`].
fn data_loss(a: &ArchitectureReport, years: f64) -> String {
    let d = &a.data;
    let with_datasets = !a.datasets.is_empty();
    let mut out = String::from("\n### Data loss and RPO\n\n");
    if d.data_loss_events == 0 {
        let _ = writeln!(out, "No data-loss event ({} per year).", loss_rate(d, years));
    } else {
        let events = if d.data_loss_events == 1 { "data-loss event" } else { "data-loss events" };
        let mut parts = Vec::new();
        if with_datasets {
            parts.push(format!("{} recovered from a replica", d.recovered_from.replica));
            parts.push(format!("{} from a backup", d.recovered_from.backup));
            parts.push(format!("{} by a failover", d.recovered_from.failover));
        }
        if !a.queues.is_empty() {
            let lost: u64 = a.queues.iter().map(|q| q.data.data_loss_events).sum();
            parts.push(format!("{lost} in queues (messages deleted past their retention)"));
        }
        if with_datasets || d.unrecoverable.events > 0 {
            parts.push(format!(
                "{} unrecoverable (no surviving copy{})",
                d.unrecoverable.events,
                d.unrecoverable
                    .lost_span_mean_h
                    .map_or_else(String::new, |h| format!(", mean span lost {}", duration_s(h * 3600.0))),
            ));
        }
        let _ = write!(
            out,
            "{} {events} over all replications ({} per year): {}.",
            d.data_loss_events,
            loss_rate(d, years),
            parts.join(", "),
        );
        match (d.rpo_s.p50, d.rpo_s.p95, d.rpo_s.p99, d.rpo_s.max, d.rpo_s.mean) {
            (Some(p50), Some(p95), Some(p99), Some(max), Some(mean)) => {
                let _ = writeln!(
                    out,
                    " Realised RPO{}: p50 {}, p95 {}, p99 {}, max {}, mean {}.",
                    if with_datasets { " of the recoverable ones" } else { "" },
                    duration_s(p50),
                    duration_s(p95),
                    duration_s(p99),
                    duration_s(max),
                    duration_s(mean)
                );
            }
            _ => out.push_str(" None was recoverable, so there is no realised RPO.\n"),
        }
        if let (Some(mean), Some(max)) = (d.lost_writes.mean_h, d.lost_writes.max_h) {
            let _ = writeln!(
                out,
                "\nLost writes (how long the store had accepted the writes the events destroyed, not \
                 counting what an earlier loss had destroyed): {} per year, mean {} per event, max {}.",
                lost_writes_per_year(d),
                duration_s(mean * 3600.0),
                duration_s(max * 3600.0),
            );
        }
    }
    if !with_datasets {
        return out;
    }
    out.push_str(
        "\n| dataset | data loss/yr | RPO p50 | RPO p95 | RPO max | lost writes/yr | from replica | from backup | \
         by failover | unrecoverable |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for ds in &a.datasets {
        let d = &ds.data;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&ds.name),
            loss_rate(d, years),
            rpo_or_dash(d.rpo_s.p50),
            rpo_or_dash(d.rpo_s.p95),
            rpo_or_dash(d.rpo_s.max),
            lost_writes_per_year(d),
            d.recovered_from.replica,
            d.recovered_from.backup,
            d.recovered_from.failover,
            unrecoverable(d),
        );
    }
    out
}

/// The "Queues" part of one architecture with queues: one row per queue.
fn queues(a: &ArchitectureReport, years: f64) -> String {
    let mut out = String::from(
        "\n### Queues\n\nWhile a queue's consumers are down, messages wait in it as a backlog (its age: how long \
         they were down), and messages older than the queue's retention are deleted, so a backlog older than \
         the retention loses messages: a data-loss event with RPO = backlog age - retention.\n\n\
         | queue | producer -> consumers | retention | backlogs/yr | backlog p50 | backlog p95 | backlog max \
         | messages lost/yr | RPO p95 | RPO max |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for q in &a.queues {
        let b = &q.backlog_age_s;
        let _ = writeln!(
            out,
            "| {} | {} -> {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&q.name),
            cell(&q.producer),
            cell(&q.consumers),
            duration_s(q.retention_s),
            rate(q.backlogs, q.backlogs_per_year, years),
            rpo_or_dash(b.p50),
            rpo_or_dash(b.p95),
            rpo_or_dash(b.max),
            loss_rate(&q.data, years),
            rpo_or_dash(q.data.rpo_s.p95),
            rpo_or_dash(q.data.rpo_s.max),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn data_loss_rpo_objective_and_mechanism_kinds() {
        let md = render(&fixture::dr_report("objectives: (rpo: \"1m\"),"));
        insta::assert_snapshot!(md);
        assert_eq!(md.matches("### Data loss and RPO").count(), 3, "not for the stateless design");
    }

    #[test]
    fn without_datasets_no_data_columns() {
        let md = render(&fixture::report(
            r#"(name: "s", horizon: "30d", replications: 2, random: false,
                architectures: [(name: "a", service: "x", components: [(name: "x", kind: Instance, fail: Never)])],
                injections: [(target: "x", at: "1d", duration: "2h")])"#,
        ));
        for absent in ["data loss", "Data loss", "RPO", "| dataset"] {
            assert!(!md.contains(absent), "{absent:?} in\n{md}");
        }
        assert!(md.contains("| injection-end | - | 2 | 4.0 h |\n"), "{md}");
    }

    #[test]
    fn queues_part_and_data_loss_of_queues() {
        let md = render(&fixture::report(fixture::QUEUED));
        insta::assert_snapshot!(md);
        assert_eq!(md.matches("### Queues").count(), 1, "not for the sync design");
        assert!(!md.contains("| dataset |"), "no dataset table without datasets:\n{md}");
        let without = render(&fixture::dr_report("objectives: (rpo: \"1m\"),"));
        for absent in ["Queues", "queue", "backlog"] {
            assert!(!without.contains(absent), "{absent:?} in\n{without}");
        }
    }
}
