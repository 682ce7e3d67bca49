//! `--format json`: the stable machine format (input of `chart` and `check`).
//!
//! Pretty-printed, two spaces, except that an array inside an array is written on one line:
//! the buckets of a histogram (`histograms.rto_ms` and `histograms.rpo_ms` of each
//! architecture, `{"count", "max", "buckets": [[index, count, sum], ...]}` in ms, see
//! [`crate::metrics::LogHistogram`]) take a line each.

use crate::metrics::{ArchitectureReport, DataReport, Report};

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
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Rows::default());
    serde::Serialize::serialize(report, &mut serializer).expect("report types serialise");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    Ok(text)
}

/// serde_json's pretty formatter, but an array within an array is one line: `[2048, 3, 6150]`.
#[derive(Default)]
struct Rows {
    pretty: serde_json::ser::PrettyFormatter<'static>,
    /// Per open array: written on one line; and whether it has a value yet.
    arrays: Vec<(bool, bool)>,
    /// Open containers, `true` for an array.
    open: Vec<bool>,
}

impl Rows {
    /// Inside an array written on one line.
    fn inline(&self) -> bool {
        self.arrays.last().is_some_and(|a| a.0)
    }
}

impl serde_json::ser::Formatter for Rows {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        let inline = self.open.last() == Some(&true);
        self.open.push(true);
        self.arrays.push((inline, false));
        if inline { w.write_all(b"[") } else { self.pretty.begin_array(w) }
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open.pop();
        let (inline, _) = self.arrays.pop().unwrap_or_default();
        if inline { w.write_all(b"]") } else { self.pretty.end_array(w) }
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if self.inline() {
            return if first { Ok(()) } else { w.write_all(b", ") };
        }
        self.pretty.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        if self.inline() { Ok(()) } else { self.pretty.end_array_value(w) }
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open.push(false);
        self.pretty.begin_object(w)
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open.pop();
        self.pretty.end_object(w)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.pretty.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_object_value(w)
    }
}

fn check_finite(a: &ArchitectureReport) -> Result<(), NonFinite> {
    let mut values: Vec<(&'static str, Option<f64>)> = vec![
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
        ("objectives.availability.target", a.objectives.availability.target),
        ("objectives.rto.target", a.objectives.rto.target),
        ("objectives.rpo.target", a.objectives.rpo.target),
    ];
    values.extend(a.problems.iter().map(|p| ("problems.downtime_h", Some(p.downtime_h))));
    values.extend(a.downtime_by_label.iter().map(|l| ("downtime_by_label.downtime_h", Some(l.downtime_h))));
    for i in &a.importance {
        values.extend([
            ("importance.downtime_share", Some(i.downtime_share)),
            ("importance.birnbaum", Some(i.birnbaum)),
            ("importance.birnbaum_se", i.birnbaum_se),
        ]);
    }
    values.extend(data_values(&a.data, Under::Architecture));
    for d in &a.datasets {
        values.extend(data_values(&d.data, Under::Datasets));
    }
    for q in &a.queues {
        values.extend([
            ("queues.retention_s", Some(q.retention_s)),
            ("queues.backlogs_per_year", Some(q.backlogs_per_year)),
            ("queues.backlog_age_s.p50", q.backlog_age_s.p50),
            ("queues.backlog_age_s.p95", q.backlog_age_s.p95),
            ("queues.backlog_age_s.max", q.backlog_age_s.max),
        ]);
        values.extend(data_values(&q.data, Under::Queues));
    }
    for (field, v) in values {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(NonFinite { architecture: a.name.clone(), field });
        }
    }
    Ok(())
}

/// Where a [`DataReport`] sits in the JSON.
#[derive(Clone, Copy)]
enum Under {
    /// Flattened into the architecture (every dataset and queue together).
    Architecture,
    /// Flattened into an entry of `datasets`.
    Datasets,
    /// Flattened into an entry of `queues`.
    Queues,
}

/// The floats of a [`DataReport`], named as in the JSON.
fn data_values(d: &DataReport, under: Under) -> [(&'static str, Option<f64>); 13] {
    macro_rules! name {
        ($field:literal) => {
            match under {
                Under::Architecture => $field,
                Under::Datasets => concat!("datasets.", $field),
                Under::Queues => concat!("queues.", $field),
            }
        };
    }
    [
        (name!("data_loss_events_per_year"), Some(d.data_loss_events_per_year)),
        (name!("rpo_s.p50"), d.rpo_s.p50),
        (name!("rpo_s.p95"), d.rpo_s.p95),
        (name!("rpo_s.p99"), d.rpo_s.p99),
        (name!("rpo_s.max"), d.rpo_s.max),
        (name!("rpo_s.mean"), d.rpo_s.mean),
        (name!("rpo_s.within_objective"), d.rpo_s.within_objective),
        (name!("unrecoverable.lost_span_mean_h"), d.unrecoverable.lost_span_mean_h),
        (name!("unrecoverable.lost_span_max_h"), d.unrecoverable.lost_span_max_h),
        (name!("lost_writes.total_h"), Some(d.lost_writes.total_h)),
        (name!("lost_writes.per_year_h"), Some(d.lost_writes.per_year_h)),
        (name!("lost_writes.mean_h"), d.lost_writes.mean_h),
        (name!("lost_writes.max_h"), d.lost_writes.max_h),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn every_data_loss_float_is_checked() {
        let report = fixture::dr_report("objectives: (rpo: \"1m\"),");
        assert!(render(&report).is_ok());
        type Poke = fn(&mut ArchitectureReport);
        let pokes: [(&str, Poke); 7] = [
            ("rpo_s.p95", |a| a.data.rpo_s.p95 = Some(f64::NAN)),
            ("datasets.lost_writes.per_year_h", |a| a.datasets[0].data.lost_writes.per_year_h = f64::NAN),
            ("data_loss_events_per_year", |a| a.data.data_loss_events_per_year = f64::INFINITY),
            ("unrecoverable.lost_span_mean_h", |a| a.data.unrecoverable.lost_span_mean_h = Some(f64::NAN)),
            ("objectives.rpo.target", |a| a.objectives.rpo.target = Some(f64::NAN)),
            ("datasets.rpo_s.mean", |a| a.datasets[0].data.rpo_s.mean = Some(f64::NAN)),
            ("datasets.unrecoverable.lost_span_max_h", |a| {
                a.datasets[0].data.unrecoverable.lost_span_max_h = Some(f64::NEG_INFINITY)
            }),
        ];
        for (field, poke) in pokes {
            let mut bad = report.clone();
            poke(&mut bad.architectures[1]);
            let e = render(&bad).unwrap_err();
            assert_eq!((e.architecture.as_str(), e.field), ("backup-only", field));
        }
    }

    #[test]
    fn every_queue_float_is_checked() {
        let report = fixture::report(fixture::QUEUED);
        assert!(render(&report).is_ok());
        type Poke = fn(&mut ArchitectureReport);
        let pokes: [(&str, Poke); 8] = [
            ("queues.retention_s", |a| a.queues[0].retention_s = f64::NAN),
            ("queues.backlogs_per_year", |a| a.queues[0].backlogs_per_year = f64::INFINITY),
            ("queues.backlog_age_s.p50", |a| a.queues[0].backlog_age_s.p50 = Some(f64::NAN)),
            ("queues.backlog_age_s.p95", |a| a.queues[0].backlog_age_s.p95 = Some(f64::NAN)),
            ("queues.backlog_age_s.max", |a| a.queues[0].backlog_age_s.max = Some(f64::NEG_INFINITY)),
            ("queues.data_loss_events_per_year", |a| a.queues[0].data.data_loss_events_per_year = f64::NAN),
            ("queues.rpo_s.p95", |a| a.queues[0].data.rpo_s.p95 = Some(f64::INFINITY)),
            ("queues.unrecoverable.lost_span_max_h", |a| {
                a.queues[0].data.unrecoverable.lost_span_max_h = Some(f64::NAN)
            }),
        ];
        for (field, poke) in pokes {
            let mut bad = report.clone();
            poke(&mut bad.architectures[0]);
            let e = render(&bad).unwrap_err();
            assert_eq!((e.architecture.as_str(), e.field), ("queued", field));
        }
    }
}
