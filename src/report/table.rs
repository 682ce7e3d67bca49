//! The terminal table: architectures side by side, then data loss (when an architecture has
//! datasets or queues), queues (when an architecture has queues), cost (when one has a cost),
//! planned maintenance (when one had a planned outage), degraded capacity (when one declares a
//! `full` capacity), objectives, problems and notes.
//!
//! A report without datasets prints exactly as before datasets existed: no data-loss table and
//! no RPO column unless an architecture has datasets (or an RPO objective, to say it is n/a).
//! Likewise a report without queues prints exactly as before queues existed.

use std::fmt::Write as _;

use super::format::{
    birnbaum, duration_s, hours, incidents_per_year, lost_writes_per_year, minutes, nines, no_rpo_reason,
    percent, pooled_rpo_p95, ranked, rate, rpo_or_dash, run_line, share, simulated_years, unrecoverable,
};
use super::layout::{Align, columns};
use crate::metrics::{
    ArchitectureReport, DataReport, Header, ObjectiveResult, Objectives, QueueReport, Report,
};

/// Problems listed per architecture.
pub const TOP_PROBLEMS: usize = 5;

/// Renders the report for a terminal.
pub fn render(report: &Report) -> String {
    let h = &report.header;
    let mut out = String::new();
    let _ = writeln!(out, "{}", h.scenario.name);
    let _ = writeln!(out, "{}\n", run_line(h));
    out.push_str(&comparison(&report.architectures));
    out.push('\n');
    out.push_str(&data_loss(&report.architectures, h));
    out.push_str(&queues(&report.architectures, h));
    out.push_str(&super::cost::table(&report.architectures));
    out.push_str(&super::planned::table(&report.architectures));
    out.push_str(&super::degraded::table(&report.architectures));
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
            nines(a.nines),
            minutes(a.downtime_min_per_year),
            incidents_per_year(a),
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
    let targets = |o: &Objectives| [o.availability, o.rto, o.rpo].map(|r| r.target.is_some());
    if archs.iter().all(|a| targets(&a.objectives) == [false; 3]) {
        return String::new();
    }
    let with_rpo = archs.iter().any(|a| has_stores(a) || a.objectives.rpo.target.is_some());
    let any_queues = archs.iter().any(|a| !a.queues.is_empty());
    let mut header = vec!["objectives", "availability", "RTO (p95)"];
    if with_rpo {
        header.push("RPO (p95)");
    }
    header.push("");
    let mut rows = vec![header.into_iter().map(String::from).collect::<Vec<_>>()];
    for a in archs {
        let o = &a.objectives;
        let availability = verdict(o.availability, |t| {
            format!(">= {} (CI low {})", percent(t), percent(a.availability.ci95[0]))
        });
        let rto = verdict(o.rto, |t| {
            let got = a.rto_s.p95.map_or_else(|| "no completed incident".to_string(), duration_s);
            format!("<= {} (got {got})", duration_s(t))
        });
        let mut row = vec![a.name.clone(), availability, rto];
        if with_rpo {
            row.push(match (o.rpo.target, o.rpo.met) {
                (Some(_), None) => format!("n/a ({})", no_rpo_reason(any_queues)),
                _ => verdict(o.rpo, |t| format!("<= {} (got {})", duration_s(t), pooled_rpo_p95(&a.data))),
            });
        }
        row.push(if o.gate { String::new() } else { "gate off".into() });
        rows.push(row);
    }
    let n = rows[0].len();
    columns(&rows, &vec![Align::Left; n], "") + "\n"
}

/// Whether `a` has anything that can lose data: a dataset or a queue.
fn has_stores(a: &ArchitectureReport) -> bool {
    !a.datasets.is_empty() || !a.queues.is_empty()
}

/// Data-loss events side by side, each architecture's datasets and queues under it; empty when
/// no architecture has a dataset or a queue.
fn data_loss(archs: &[ArchitectureReport], h: &Header) -> String {
    if !archs.iter().any(has_stores) {
        return String::new();
    }
    let any_queues = archs.iter().any(|a| !a.queues.is_empty());
    let mut rows = vec![
        [
            "data loss",
            "events/yr",
            "RPO p50",
            "p95",
            "max",
            "lost writes/yr",
            "from replica/backup/failover",
            "unrecoverable",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let row = |name: String, d: &DataReport, years: f64| {
        vec![
            name,
            rate(d.data_loss_events, d.data_loss_events_per_year, years),
            rpo_or_dash(d.rpo_s.p50),
            rpo_or_dash(d.rpo_s.p95),
            rpo_or_dash(d.rpo_s.max),
            lost_writes_per_year(d),
            format!("{}/{}/{}", d.recovered_from.replica, d.recovered_from.backup, d.recovered_from.failover),
            unrecoverable(d),
        ]
    };
    let mut overflow = Vec::new();
    for a in archs {
        if !has_stores(a) && any_queues {
            // Past the columns, so that the long note does not widen them.
            overflow.push((rows.len(), no_rpo_reason(true)));
            rows.push(vec![a.name.clone()]);
            continue;
        }
        if !has_stores(a) {
            rows.push(vec![a.name.clone(), no_rpo_reason(false).into()]);
            continue;
        }
        let years = simulated_years(h, a);
        rows.push(row(a.name.clone(), &a.data, years));
        for d in &a.datasets {
            rows.push(row(format!("  {}", d.name), &d.data, years));
        }
        for q in &a.queues {
            rows.push(row(format!("  {} (queue)", q.name), &q.data, years));
        }
    }
    let mut align = vec![Align::Right; 8];
    align[0] = Align::Left;
    align[7] = Align::Left;
    let first = rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
    let mut lines: Vec<String> = columns(&rows, &align, "").lines().map(String::from).collect();
    for (i, note) in overflow {
        lines[i] = format!("{:first$}  {note}", lines[i]);
    }
    let mut out = lines.join("\n")
        + "\n(recoveries and unrecoverable events: counts over all replications; RPO: recoverable events;\n \
           lost writes: how long the store had accepted the writes destroyed, per simulated year)\n";
    if any_queues {
        out.push_str("(queue rows: messages deleted past the queue's retention, see queues)\n");
    }
    out + "\n"
}

/// Backlogs and message losses of each architecture's queues; empty when no architecture has a
/// queue.
fn queues(archs: &[ArchitectureReport], h: &Header) -> String {
    if archs.iter().all(|a| a.queues.is_empty()) {
        return String::new();
    }
    let mut rows = vec![
        [
            "queues",
            "producer -> consumers",
            "retention",
            "backlogs/yr",
            "backlog p50",
            "p95",
            "max",
            "losses/yr",
            "RPO p95",
            "max",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let row = |q: &QueueReport, years: f64| {
        let b = &q.backlog_age_s;
        let d = &q.data;
        vec![
            format!("  {}", q.name),
            format!("{} -> {}", q.producer, q.consumers),
            duration_s(q.retention_s),
            rate(q.backlogs, q.backlogs_per_year, years),
            rpo_or_dash(b.p50),
            rpo_or_dash(b.p95),
            rpo_or_dash(b.max),
            rate(d.data_loss_events, d.data_loss_events_per_year, years),
            rpo_or_dash(d.rpo_s.p95),
            rpo_or_dash(d.rpo_s.max),
        ]
    };
    for a in archs.iter().filter(|a| !a.queues.is_empty()) {
        rows.push(vec![a.name.clone()]);
        let years = simulated_years(h, a);
        rows.extend(a.queues.iter().map(|q| row(q, years)));
    }
    let mut align = vec![Align::Right; 10];
    align[0] = Align::Left;
    align[1] = Align::Left;
    columns(&rows, &align, "")
        + "(backlog: its age when the consumers were back; losses: backlogs older than the retention, \
           RPO = age - retention)\n\n"
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
            rows.push(vec![p.cause.clone(), p.incidents.to_string(), hours(p.downtime_h)]);
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
            rows.push(vec![l.label.clone(), l.incidents.to_string(), hours(l.downtime_h)]);
        }
        // Which components the downtime comes from, and how critical each is.
        rows.push(vec![String::new(); 3]);
        rows.push(["component", "downtime share", "Birnbaum"].map(String::from).to_vec());
        for i in ranked(a, TOP_PROBLEMS) {
            rows.push(vec![i.component.clone(), share(i.downtime_share), birnbaum(i)]);
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
        if let Some(p) = &a.precision {
            parts.push(super::format::precision_reached(a, p));
        }
        parts.extend(super::format::estimator_note(a));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn data_loss_and_rpo_objective_rows() {
        let text = render(&fixture::dr_report("objectives: (rpo: \"1m\"),"));
        insta::assert_snapshot!(text);
        let widest = text.lines().map(|l| l.chars().count()).max();
        let comparison = text.lines().find(|l| l.starts_with("architecture")).map(|l| l.chars().count());
        assert_eq!(widest, comparison, "no wider than the comparison:\n{text}");
    }

    #[test]
    fn no_data_loss_is_none_observed_with_its_upper_bound() {
        let text = render(&fixture::report(&fixture::dr().replace("OBJECTIVES", "").replace(
            "injections: [(target: \"az1\", at: \"245h\", duration: \"6h\", mode: \"fire\")]",
            "injections: []",
        )));
        // 3 / (1 replication x 30 d) = 36.5 per year.
        assert!(text.contains(
            "\n  orders       none observed (< 36.5)        -    -    -             0ms                         0/0/0  0\n"
        ));
        assert!(!text.contains("objectives"), "no objective, no objectives table:\n{text}");
    }

    #[test]
    fn component_rows_are_those_that_caused_downtime_an_estimate_with_its_error() {
        // `spare` can fail but never did in this scripted run: in the JSON list, not the table.
        let mut report = fixture::report(
            r#"(name: "s", horizon: "30d", replications: 2, random: false,
                architectures: [(name: "a", service: "x", components: [(name: "x", kind: Instance, fail: Never),
                    (name: "spare", kind: Instance, fail: Exp(mean: "1h"), recover: Repair("1h"))])],
                injections: [(target: "x", at: "1d", duration: "2h")])"#,
        );
        let a = &report.architectures[0];
        let listed: Vec<&str> = a.importance.iter().map(|i| i.component.as_str()).collect();
        assert_eq!(listed, ["x", "spare"]);
        let text = render(&report);
        assert!(text.contains("\n  x                      100.0%           1.000\n\n"), "{text}");
        report.architectures[0].importance[0].birnbaum_se = Some(0.0123);
        let text = render(&report);
        let row = text.lines().find(|l| l.starts_with("  x ")).unwrap();
        assert!(row.ends_with("100.0%   1.000 ± 0.012"), "{text}");
    }

    #[test]
    fn without_datasets_nothing_about_data_is_printed() {
        let text = render(&fixture::report(
            r#"(name: "s", horizon: "30d", replications: 2, random: false, objectives: (rto: "1h"),
                architectures: [(name: "a", service: "x", components: [(name: "x", kind: Instance, fail: Never)])],
                injections: [(target: "x", at: "1d", duration: "2h")])"#,
        ));
        for absent in ["data loss", "RPO", "dataset"] {
            assert!(!text.contains(absent), "{absent:?} in\n{text}");
        }
        assert!(text.contains("objectives  availability  RTO (p95)\na           -             MISSED <= 1h 00m (got 2h 00m)\n"), "{text}");
    }

    #[test]
    fn queues_section_and_queue_rows_only_with_queues() {
        let text = render(&fixture::report(fixture::QUEUED));
        insta::assert_snapshot!(text);
        let widest = text.lines().map(|l| l.chars().count()).max();
        let comparison = text.lines().find(|l| l.starts_with("architecture")).map(|l| l.chars().count());
        assert_eq!(widest, comparison, "no wider than the comparison:\n{text}");

        let without = render(&fixture::dr_report("objectives: (rpo: \"1m\"),"));
        for absent in ["queue", "backlog", "retention"] {
            assert!(!without.contains(absent), "{absent:?} in\n{without}");
        }
    }

    #[test]
    fn a_queue_without_backlog_is_none_observed() {
        let text =
            render(&fixture::report(&fixture::QUEUED.replace(
                r#"injections: [(target: "workers", at: "100h", duration: "5d")]"#,
                "injections: []",
            )));
        let rows: Vec<String> =
            text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        for row in [
            "orders-q enqueue -> workers 4d 00h none observed (< 36.5) - - - none observed (< 36.5) - -",
            "queued - - met <= 1h 00m (got no data loss)",
        ] {
            assert!(rows.iter().any(|r| r.starts_with(row)), "lacks {row:?}:\n{text}");
        }
    }
}
