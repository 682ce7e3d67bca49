//! `--format csv`: one row per architecture, for spreadsheets.
//!
//! Columns, in order (units in the names; an empty field where the JSON has `null`):
//! `architecture, availability_mean, availability_ci95_low, availability_ci95_high, ci_method,
//! ci_reliable, nines, downtime_min_per_year, incidents_per_year, incidents_per_year_upper95,
//! mtbi_h, rto_p50_s, rto_p95_s, rto_p99_s, rto_max_s, rto_within_objective, rto_censored,
//! availability_target, availability_met, rto_target_s, rto_met, gate, events,
//! data_loss_events, data_loss_events_per_year, rpo_p50_s, rpo_p95_s, rpo_p99_s, rpo_max_s,
//! rpo_mean_s, rpo_within_objective, recovered_from_replica, recovered_from_backup,
//! unrecoverable_events, unrecoverable_lost_span_mean_h, rpo_target_s, rpo_met, queues,
//! queue_backlogs, queue_backlogs_per_year, queue_backlog_age_p95_s, queue_backlog_age_max_s,
//! queue_data_loss_events, queue_rpo_max_s, recovered_from_failover, lost_writes_h,
//! lost_writes_h_per_year, lost_writes_max_h, cost_per_year, planned_downtime_min_per_year,
//! planned_outages_per_year, availability_unplanned_mean, availability_unplanned_ci95_low,
//! availability_unplanned_ci95_high, availability_unplanned_target, availability_unplanned_met,
//! degraded_min_per_year, degradation_episodes_per_year, seed, replications, horizon_h`.
//! The data-loss columns (from `data_loss_events` on, added after `events` so earlier columns
//! keep their positions) cover every dataset of the architecture together; per-dataset figures
//! are in the JSON. `data_loss_events`, the `recovered_from_*` and `unrecoverable_events` are
//! counts over all replications; the `rpo_*_s` quantiles (nearest rank) and mean are over the
//! recoverable events; `rpo_within_objective` is the share of all data-loss events within the
//! RPO objective; `rpo_met` is empty without an RPO objective or without datasets and queues.
//! The data-loss columns count messages deleted from queues too. The queue columns (from
//! `queues`, the number of queues, on; added last so earlier columns keep their positions)
//! cover every queue of the architecture together; per-queue figures are in the JSON.
//! `queue_backlogs` and `queue_data_loss_events` are counts over all replications, summed over
//! the queues, and `queue_backlogs_per_year` is their sum per year; `queue_backlog_age_p95_s`
//! is the largest of the queues' p95 backlog ages (nearest rank per queue, not a pooled p95),
//! `queue_backlog_age_max_s` and `queue_rpo_max_s` the largest over the queues (empty without a
//! backlog, or without a message lost). The last columns (added last, for the same reason):
//! data-loss events recovered by a standby group's failover (a count), and the writes the
//! data-loss events destroyed, in hours the store accepted them (every dataset and queue
//! together: the sum, per year, and the most one event destroyed, empty without an event).
//! `cost_per_year` is the design's mean cost per simulated year in the scenario's currency (0
//! without costs). The planned-maintenance columns follow (added last, before the run's
//! options): planned downtime (part of `downtime_min_per_year`) and planned outages per year,
//! the availability counting unplanned downtime only with its CI, and its objective; then the
//! time up below a group's `full` capacity and its episodes per year (empty without a `full`).
//! The run's options close every row ([`RUN_COLUMNS`]: the seed, the replications and the
//! horizon in hours, the effective ones, command-line options included), so that a row copied
//! out of its file still says what was run; `compare`'s CSV ends the same way.
//! Quoting follows RFC 4180: a field with a comma, a double quote or a line break is quoted,
//! its double quotes doubled; lines end with CRLF.

use crate::metrics::{Header, Report};

/// The header row's fields.
pub const COLUMNS: [&str; 61] = [
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
    "data_loss_events",
    "data_loss_events_per_year",
    "rpo_p50_s",
    "rpo_p95_s",
    "rpo_p99_s",
    "rpo_max_s",
    "rpo_mean_s",
    "rpo_within_objective",
    "recovered_from_replica",
    "recovered_from_backup",
    "unrecoverable_events",
    "unrecoverable_lost_span_mean_h",
    "rpo_target_s",
    "rpo_met",
    "queues",
    "queue_backlogs",
    "queue_backlogs_per_year",
    "queue_backlog_age_p95_s",
    "queue_backlog_age_max_s",
    "queue_data_loss_events",
    "queue_rpo_max_s",
    "recovered_from_failover",
    "lost_writes_h",
    "lost_writes_h_per_year",
    "lost_writes_max_h",
    "cost_per_year",
    "planned_downtime_min_per_year",
    "planned_outages_per_year",
    "availability_unplanned_mean",
    "availability_unplanned_ci95_low",
    "availability_unplanned_ci95_high",
    "availability_unplanned_target",
    "availability_unplanned_met",
    "degraded_min_per_year",
    "degradation_episodes_per_year",
    "seed",
    "replications",
    "horizon_h",
];

/// The run's options, the last columns of every CSV.
pub const RUN_COLUMNS: [&str; 3] = ["seed", "replications", "horizon_h"];

/// The fields of [`RUN_COLUMNS`].
pub fn run_fields(h: &Header) -> [String; 3] {
    [h.seed.to_string(), h.replications.to_string(), h.horizon_h.to_string()]
}

/// `field` as an RFC 4180 field: quoted when it holds a comma, a double quote or a line break.
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn number(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// The largest of `values`, `None` when there is none.
fn largest(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values.flatten().reduce(f64::max)
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
        let d = &a.data;
        let q = &a.queues;
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
            d.data_loss_events.to_string(),
            d.data_loss_events_per_year.to_string(),
            number(d.rpo_s.p50),
            number(d.rpo_s.p95),
            number(d.rpo_s.p99),
            number(d.rpo_s.max),
            number(d.rpo_s.mean),
            number(d.rpo_s.within_objective),
            d.recovered_from.replica.to_string(),
            d.recovered_from.backup.to_string(),
            d.unrecoverable.events.to_string(),
            number(d.unrecoverable.lost_span_mean_h),
            number(o.rpo.target),
            flag(o.rpo.met),
            q.len().to_string(),
            q.iter().map(|q| q.backlogs).sum::<u64>().to_string(),
            // Not `sum`: the sum of no floats is -0.
            q.iter().fold(0.0, |sum, q| sum + q.backlogs_per_year).to_string(),
            number(largest(q.iter().map(|q| q.backlog_age_s.p95))),
            number(largest(q.iter().map(|q| q.backlog_age_s.max))),
            q.iter().map(|q| q.data.data_loss_events).sum::<u64>().to_string(),
            number(largest(q.iter().map(|q| q.data.rpo_s.max))),
            d.recovered_from.failover.to_string(),
            d.lost_writes.total_h.to_string(),
            d.lost_writes.per_year_h.to_string(),
            number(d.lost_writes.max_h),
            a.cost_per_year.to_string(),
            a.planned.downtime_min_per_year.to_string(),
            a.planned.outages_per_year.to_string(),
            a.planned.availability_unplanned.mean.to_string(),
            a.planned.availability_unplanned.ci95[0].to_string(),
            a.planned.availability_unplanned.ci95[1].to_string(),
            number(o.availability_unplanned.target),
            flag(o.availability_unplanned.met),
            number(a.degraded.as_ref().map(|d| d.minutes_per_year)),
            number(a.degraded.as_ref().map(|d| d.episodes_per_year)),
        ];
        let [seed, replications, horizon_h] = run_fields(&report.header);
        let fields = fields.into_iter().chain([seed, replications, horizon_h]);
        out += &fields.map(|f| quote(&f)).collect::<Vec<_>>().join(",");
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

#[cfg(test)]
mod data_tests {
    use super::*;
    use crate::report::fixture;

    /// The column list of the module docs.
    fn documented() -> Vec<String> {
        let docs: String = include_str!("csv.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .collect::<Vec<_>>()
            .join(" ");
        let after = docs.split("Columns, in order").nth(1).unwrap().split_once("):").unwrap().1;
        let list = after.split('`').nth(1).unwrap();
        list.split(',').map(|c| c.trim().to_string()).collect()
    }

    #[test]
    fn the_documented_columns_are_the_header() {
        assert_eq!(documented(), COLUMNS);
    }

    #[test]
    fn data_loss_columns_carry_the_report_numbers() {
        let text = render(&fixture::dr_report("objectives: (rpo: \"1m\"),"));
        let rows: Vec<Vec<&str>> =
            text.split("\r\n").filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect();
        let at = |row: usize, column: &str| rows[row][COLUMNS.iter().position(|c| *c == column).unwrap()];
        assert!(rows.iter().all(|r| r.len() == COLUMNS.len()));
        assert_eq!(COLUMNS[22], "events", "new columns come after the old ones");
        let expect = [
            ("data_loss_events", ["1", "1", "1", "0"]),
            ("rpo_p50_s", ["30", "18000", "", ""]),
            ("rpo_p95_s", ["30", "18000", "", ""]),
            ("rpo_p99_s", ["30", "18000", "", ""]),
            ("rpo_max_s", ["30", "18000", "", ""]),
            ("rpo_mean_s", ["30", "18000", "", ""]),
            ("rpo_within_objective", ["1", "0", "0", ""]),
            ("recovered_from_replica", ["1", "0", "0", "0"]),
            ("recovered_from_backup", ["0", "1", "0", "0"]),
            ("unrecoverable_events", ["0", "0", "1", "0"]),
            ("unrecoverable_lost_span_mean_h", ["", "", "245", ""]),
            ("rpo_target_s", ["60", "60", "60", "60"]),
            ("rpo_met", ["true", "false", "false", ""]),
        ];
        for (column, values) in expect {
            for (k, v) in values.iter().enumerate() {
                assert_eq!(at(k + 1, column), *v, "{column} of row {}", k + 1);
            }
        }
        // 1 event in 30 days.
        let rate: f64 = at(1, "data_loss_events_per_year").parse().unwrap();
        assert!((rate - 365.0 / 30.0).abs() < 1e-12, "{rate}");
    }

    #[test]
    fn queue_columns_come_last_and_carry_the_report_numbers() {
        let text = render(&fixture::report(fixture::QUEUED));
        let rows: Vec<Vec<&str>> =
            text.split("\r\n").filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect();
        let at = |row: usize, column: &str| rows[row][COLUMNS.iter().position(|c| *c == column).unwrap()];
        assert!(rows.iter().all(|r| r.len() == COLUMNS.len()));
        assert_eq!(COLUMNS[36], "rpo_met", "queue columns come after the data-loss ones");
        assert_eq!(COLUMNS[37], "queues");
        let expect = [
            ("queues", ["1", "0"]),
            ("queue_backlogs", ["1", "0"]),
            ("queue_backlog_age_p95_s", ["432000", ""]),
            ("queue_backlog_age_max_s", ["432000", ""]),
            ("queue_data_loss_events", ["1", "0"]),
            ("queue_rpo_max_s", ["86400", ""]),
            // Queue losses count in the architecture's data-loss columns too.
            ("data_loss_events", ["1", "0"]),
            ("rpo_p95_s", ["86400", ""]),
            ("rpo_met", ["false", ""]),
        ];
        for (column, values) in expect {
            for (k, v) in values.iter().enumerate() {
                assert_eq!(at(k + 1, column), *v, "{column} of row {}", k + 1);
            }
        }
        let rate: f64 = at(1, "queue_backlogs_per_year").parse().unwrap();
        assert!((rate - 365.0 / 30.0).abs() < 1e-12, "{rate}");
        assert_eq!(at(2, "queue_backlogs_per_year"), "0", "not -0");
    }

    #[test]
    fn several_queues_sum_counts_and_take_the_largest_ages() {
        let mut report = fixture::report(fixture::QUEUED);
        let a = &mut report.architectures[0];
        let mut other = a.queues[0].clone();
        other.backlogs = 3;
        other.backlogs_per_year = 0.5;
        other.backlog_age_s.p95 = Some(600_000.0);
        other.backlog_age_s.max = Some(100.0);
        other.data.data_loss_events = 2;
        other.data.rpo_s.max = None;
        a.queues.push(other);
        let text = render(&report);
        let row: Vec<&str> = text.split("\r\n").nth(1).unwrap().split(',').collect();
        let at = |column: &str| row[COLUMNS.iter().position(|c| *c == column).unwrap()];
        assert_eq!(
            ["queues", "queue_backlogs", "queue_backlog_age_p95_s", "queue_backlog_age_max_s"].map(at),
            ["2", "4", "600000", "432000"]
        );
        assert_eq!(["queue_data_loss_events", "queue_rpo_max_s"].map(at), ["3", "86400"]);
        let rate: f64 = at("queue_backlogs_per_year").parse().unwrap();
        assert!((rate - (365.0 / 30.0 + 0.5)).abs() < 1e-12, "{rate}");
    }
}
