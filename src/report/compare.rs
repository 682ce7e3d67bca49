//! `compare`'s outputs: each architecture's downtime against a baseline, paired by
//! replication, as a terminal table, Markdown, CSV (RFC 4180) or JSON; then what a review
//! compares beside it: each design's RTO p95 and RPO p95 (pooled over every replication; the
//! table and Markdown give the RPO as `check` judges it, unrecoverable events included, the
//! JSON and CSV the p95 of the recoverable events with the count of unrecoverable ones) and its
//! data-loss events per year, with the paired difference from the baseline's and its 95% CI.
//!
//! The table and Markdown say what was run (`format::run_line` and the report's sentence),
//! print numbers through `format`, and end with how to read them. The CSV has one row per
//! architecture, full precision and the run's options last (seed, replications, horizon, as
//! `run`'s CSV); the JSON is the run's header with the comparisons. A design whose
//! availability came from the rare-event method gets a sentence under the table with its
//! downtime by that method ([`RareDowntime`]; the JSON's `rare` list): the paired rows above
//! pair its crude replications.

use std::fmt::Write as _;

use serde::Serialize;

use super::csv::{RUN_COLUMNS, quote, run_fields};
use super::format::{
    amount, duration_s, minutes, pooled_rpo_p95, run_line, run_sentence, signed_ci, signed_minutes,
    signed_rate, signed_rate_ci,
};
use super::json::{NonFinite, pretty};
use super::layout::{Align, columns};
use crate::compare::{Comparison, paired_ci};
use crate::metrics::{ArchitectureReport, DataReport, Header};

/// What `compare` found, as every renderer takes it.
#[derive(Clone, Debug, Serialize)]
pub struct Comparisons {
    /// What was run.
    #[serde(flatten)]
    pub header: Header,
    /// The metric compared: `downtime_min_per_year`.
    pub metric: &'static str,
    /// The baseline's name.
    pub baseline: String,
    /// One per architecture compared, the baseline's included, in file order.
    pub comparisons: Vec<Comparison>,
    /// The same architectures' recovery and data loss, in the same order.
    pub recovery: Vec<Recovery>,
    /// The designs whose availability came from the rare-event method (no key when none): the
    /// differences above pair their crude replications, which may see little or no downtime.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rare: Vec<RareDowntime>,
}

/// A design's downtime by the rare-event method, beside the crude pairing.
#[derive(Clone, Debug, Serialize)]
pub struct RareDowntime {
    /// The architecture.
    pub name: String,
    /// Downtime per year by the rare-event method `[min/yr]`.
    pub downtime_min_per_year: f64,
    /// Its 95% CI.
    pub ci95: [f64; 2],
}

impl RareDowntime {
    /// The rare-event downtime of `a`, if that method gave its availability.
    pub fn of(a: &ArchitectureReport) -> Option<RareDowntime> {
        let rare = a.rare()?;
        let minutes = |u: f64| u * crate::time::MS_PER_YEAR as f64 / crate::time::MS_PER_MINUTE as f64;
        Some(RareDowntime {
            name: a.name.clone(),
            downtime_min_per_year: a.downtime_min_per_year,
            ci95: rare.unavailability_ci95.map(minutes),
        })
    }

    /// `read-any-3: 1.27e-4 min/yr [1.22e-4, 1.34e-4] by the rare-event method`.
    fn sentence(&self) -> String {
        let m = |v: f64| if v >= 0.01 { super::format::significant(v) } else { format!("{v:.3e}") };
        format!(
            "{}: {} min/yr [{}, {}] by the rare-event method (the row above pairs its crude replications)",
            self.name,
            m(self.downtime_min_per_year),
            m(self.ci95[0]),
            m(self.ci95[1])
        )
    }
}

/// A design's recovery and data loss, beside the baseline's.
#[derive(Clone, Debug, Serialize)]
pub struct Recovery {
    /// The architecture.
    pub name: String,
    /// RTO p95 `[s]`, pooled over every uncensored incident; `null` without one.
    pub rto_p95_s: Option<f64>,
    /// RPO p95 `[s]` over the recoverable data-loss events; `null` without one.
    pub rpo_p95_s: Option<f64>,
    /// Data-loss events with no surviving copy, over all replications.
    pub unrecoverable_events: u64,
    /// Mean data-loss events per year (every dataset and queue).
    pub data_loss_events_per_year: f64,
    /// Mean of (this - baseline) per replication `[events/yr]`.
    pub data_loss_difference: f64,
    /// Its 95% CI from the paired per-replication differences.
    pub data_loss_ci95_paired: [f64; 2],
    /// Mean cost per year (0 without costs).
    pub cost_per_year: f64,
    /// Its difference from the baseline's.
    pub cost_difference: f64,
    /// The data-loss statistics (`None`: no dataset or queue), for the RPO as `check` judges it.
    #[serde(skip)]
    pub data: Option<DataReport>,
}

impl Recovery {
    /// `report`'s recovery and data loss; `values` are its data-loss events per year in each
    /// replication, `baseline` the baseline's in the same replications.
    pub fn of(report: &ArchitectureReport, values: &[f64], baseline: &[f64], baseline_cost: f64) -> Recovery {
        let (difference, ci) = paired_ci(values, baseline, 0.95);
        let stores = !report.datasets.is_empty() || !report.queues.is_empty();
        Recovery {
            name: report.name.clone(),
            rto_p95_s: report.rto_s.p95,
            rpo_p95_s: report.data.rpo_s.p95,
            unrecoverable_events: report.data.unrecoverable.events,
            data_loss_events_per_year: report.data.data_loss_events_per_year,
            data_loss_difference: difference,
            data_loss_ci95_paired: ci,
            cost_per_year: report.cost_per_year,
            cost_difference: report.cost_per_year - baseline_cost,
            data: stores.then(|| report.data.clone()),
        }
    }
}

impl Comparisons {
    fn is_baseline(&self, c: &Comparison) -> bool {
        c.name == self.baseline
    }

    /// Whether a design has a cost: the table and Markdown show costs only then.
    fn with_cost(&self) -> bool {
        self.recovery.iter().any(|r| r.cost_per_year > 0.0)
    }
}

/// Cells of one row: name, downtime, difference, paired CI, unpaired CI, verdict; the
/// baseline's says so instead of comparing itself.
fn cells(report: &Comparisons, c: &Comparison) -> [String; 6] {
    let [name, downtime] = [c.name.clone(), minutes(c.downtime_min_per_year)];
    if report.is_baseline(c) {
        return [name, downtime, "(baseline)".into(), String::new(), String::new(), String::new()];
    }
    [
        name,
        downtime,
        signed_minutes(c.difference),
        signed_ci(c.ci95_paired),
        signed_ci(c.ci95_unpaired),
        c.verdict.to_string(),
    ]
}

const HEADINGS: [&str; 6] =
    ["architecture", "downtime/yr", "difference", "paired 95% CI", "unpaired 95% CI", "verdict"];

/// For a terminal.
pub fn table(report: &Comparisons) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: downtime against `{}`, paired by replication (95% CI)\n{}\n",
        report.header.scenario.name,
        report.baseline,
        run_line(&report.header)
    );
    let mut rows = vec![HEADINGS.map(String::from).to_vec()];
    rows.extend(report.comparisons.iter().map(|c| cells(report, c).to_vec()));
    let mut align = vec![Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Left];
    if report.with_cost() {
        rows[0].extend(COST_HEADINGS.map(String::from));
        for (row, r) in rows[1..].iter_mut().zip(&report.recovery) {
            row.extend(cost_cells(report, r));
        }
        align.extend([Align::Right, Align::Right]);
    }
    out.push_str(&columns(&rows, &align, ""));
    out.push_str("\nnegative differences are less downtime; the verdict follows the paired CI\n");
    for r in &report.rare {
        let _ = writeln!(out, "{}", r.sentence());
    }
    let _ = writeln!(out, "\nrecovery and data loss against `{}`", report.baseline);
    let mut rows = vec![RECOVERY_HEADINGS.map(String::from).to_vec()];
    rows.extend(report.recovery.iter().map(|r| recovery_cells(report, r).to_vec()));
    let align = [Align::Left, Align::Right, Align::Left, Align::Right, Align::Right, Align::Right];
    out.push_str(&columns(&rows, &align, ""));
    out.push_str(
        "\nRTO and RPO p95 pooled over every replication (the RPO as an objective judges it); data-loss\nevents per year paired by replication, negative is fewer\n",
    );
    out
}

const COST_HEADINGS: [&str; 2] = ["cost/yr", "cost difference"];

/// Cost cells beside a downtime row: cost per year and its difference from the baseline's.
fn cost_cells(report: &Comparisons, r: &Recovery) -> [String; 2] {
    let difference = if r.name == report.baseline {
        "(baseline)".to_string()
    } else {
        let d = r.cost_difference;
        // A difference that rounds to zero cents is `+0.00`, never `-0.00`.
        format!("{}{}", if amount(d.abs()) != "0.00" && d < 0.0 { "-" } else { "+" }, amount(d.abs()))
    };
    [amount(r.cost_per_year), difference]
}

const RECOVERY_HEADINGS: [&str; 6] =
    ["architecture", "RTO p95", "RPO p95", "data loss/yr", "difference", "paired 95% CI"];

/// Cells of a recovery row: name, RTO p95, RPO p95, data-loss events per year, difference,
/// paired CI; the baseline's says so instead of comparing itself.
fn recovery_cells(report: &Comparisons, r: &Recovery) -> [String; 6] {
    let rto = r.rto_p95_s.map_or_else(|| "-".to_string(), duration_s);
    let (rpo, rate) = match &r.data {
        None => ("no datasets or queues".to_string(), "-".to_string()),
        Some(d) => (pooled_rpo_p95(d), format!("{:.3}", r.data_loss_events_per_year)),
    };
    if r.name == report.baseline {
        return [r.name.clone(), rto, rpo, rate, "(baseline)".into(), String::new()];
    }
    let ci = r.data_loss_ci95_paired;
    [r.name.clone(), rto, rpo, rate, signed_rate(r.data_loss_difference), signed_rate_ci(ci)]
}

/// As a document.
pub fn markdown(report: &Comparisons) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: downtime against `{}`\n\n{}\n\nEach difference is paired by replication (the same failures in every architecture), with its 95% CI; the unpaired CI is beside it for contrast.\n",
        cell(&report.header.scenario.name),
        report.baseline,
        run_sentence(&report.header)
    );
    let (cost_headings, cost_align) = if report.with_cost() {
        (format!(" | {}", COST_HEADINGS.join(" | ")), "---:|---:|")
    } else {
        (String::new(), "")
    };
    out.push_str(&format!(
        "| {}{cost_headings} |\n|---|---:|---:|---:|---:|---|{cost_align}\n",
        HEADINGS.join(" | ")
    ));
    for (c, r) in report.comparisons.iter().zip(&report.recovery) {
        let mut row: Vec<String> = cells(report, c).iter().map(|s| cell(s)).collect();
        if report.with_cost() {
            row.extend(cost_cells(report, r));
        }
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push_str("\nNegative differences are less downtime; the verdict follows the paired CI.\n");
    for r in &report.rare {
        let _ = writeln!(out, "\n{}.", r.sentence());
    }
    let _ = writeln!(out, "\n## Recovery and data loss against `{}`\n", report.baseline);
    out.push_str(&format!("| {} |\n|---|---:|---|---:|---:|---:|\n", RECOVERY_HEADINGS.join(" | ")));
    for r in &report.recovery {
        let row: Vec<String> = recovery_cells(report, r).iter().map(|s| cell(s)).collect();
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push_str(
        "\nRTO and RPO p95 are pooled over every replication (the RPO as an objective judges it); data-loss events per year are paired by replication, negative is fewer.\n",
    );
    out
}

/// One row per architecture, full precision: the downtime comparison, then recovery and data
/// loss (empty fields where the JSON has `null`), the run's options last; lines end with CRLF.
pub fn csv(report: &Comparisons) -> String {
    let mut out = format!(
        "architecture,downtime_min_per_year,difference,ci95_paired_low,ci95_paired_high,ci95_unpaired_low,ci95_unpaired_high,verdict,rto_p95_s,rpo_p95_s,unrecoverable_events,data_loss_events_per_year,data_loss_difference,data_loss_ci95_paired_low,data_loss_ci95_paired_high,cost_per_year,cost_difference,{}\r\n",
        RUN_COLUMNS.join(",")
    );
    let run = run_fields(&report.header).join(",");
    let number = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
    for (c, r) in report.comparisons.iter().zip(&report.recovery) {
        let name = quote(&c.name);
        let verdict = if report.is_baseline(c) { "baseline" } else { c.verdict };
        let _ = write!(
            out,
            "{name},{},{},{},{},{},{},{verdict},{},{},{},{},{},{},{},{},{},{run}\r\n",
            c.downtime_min_per_year,
            c.difference,
            c.ci95_paired[0],
            c.ci95_paired[1],
            c.ci95_unpaired[0],
            c.ci95_unpaired[1],
            number(r.rto_p95_s),
            number(r.rpo_p95_s),
            r.unrecoverable_events,
            r.data_loss_events_per_year,
            r.data_loss_difference,
            r.data_loss_ci95_paired[0],
            r.data_loss_ci95_paired[1],
            r.cost_per_year,
            r.cost_difference,
        );
    }
    out
}

/// The header and the comparisons, pretty-printed.
pub fn json(report: &Comparisons) -> Result<String, NonFinite> {
    pretty(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare;

    fn comparisons() -> Comparisons {
        let mut report = crate::report::fixture::dr_report("");
        report.header.replications = 4;
        let single = [30.0, 10.0, 50.0, 20.0];
        let multi = [3.0, 1.0, 4.5, 2.5];
        let odd = [31.0, 9.0, 52.0, 19.5];
        let comparisons = vec![
            compare("single|az", &single, &single),
            compare("multi-az", &multi, &single),
            compare("same, \"or so\"", &odd, &single),
        ];
        // The recovery of the DR fixture's first three designs under the same names: each lost
        // data once in 30 days (12.17 a year); per replication, as if that one event had come
        // in replication 0, 2, or spread over all four.
        let y = 365.0 / 30.0;
        let losses = [[4.0 * y, 0.0, 0.0, 0.0], [0.0, 0.0, 4.0 * y, 0.0], [y, y, y, y]];
        let recovery = (0..3)
            .map(|k| {
                let mut a = report.architectures[k].clone();
                a.name = comparisons[k].name.clone();
                Recovery::of(&a, &losses[k], &losses[0], 0.0)
            })
            .collect();
        Comparisons {
            header: report.header,
            metric: "downtime_min_per_year",
            baseline: "single|az".into(),
            comparisons,
            recovery,
            rare: Vec::new(),
        }
    }

    #[test]
    fn table() {
        insta::assert_snapshot!(super::table(&comparisons()));
    }

    #[test]
    fn markdown() {
        insta::assert_snapshot!(super::markdown(&comparisons()));
    }

    #[test]
    fn csv() {
        insta::assert_snapshot!(super::csv(&comparisons()));
    }

    #[test]
    fn json() {
        let text = super::json(&comparisons()).unwrap();
        insta::assert_snapshot!(text);
        let mut bad = comparisons();
        bad.comparisons[1].ci95_unpaired[0] = f64::NAN;
        assert_eq!(super::json(&bad).unwrap_err().path, "comparisons[1].ci95_unpaired[0]");
    }
}
