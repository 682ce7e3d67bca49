//! `--format json`: the stable machine format (input of `chart` and `check`).
//!
//! Pretty-printed, two spaces, except that an array inside an array is written on one line:
//! the buckets of a histogram (`histograms.rto_ms` and `histograms.rpo_ms` of each
//! architecture, `{"count", "max", "buckets": [[index, count, sum], ...]}` in ms, see
//! [`crate::metrics::LogHistogram`]) take a line each.
//!
//! A NaN or an infinity anywhere in the report is refused (`finite`), never written as `null`.

use crate::metrics::Report;

pub use super::finite::NonFinite;

/// Pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> Result<String, NonFinite> {
    super::finite::check(report)?;
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Rows::default());
    serde::Serialize::serialize(report, &mut serializer).expect("report types serialise");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    Ok(text)
}

/// Any other output as pretty-printed JSON with a trailing newline, once every float in it is
/// known to be finite.
pub fn pretty<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, NonFinite> {
    super::finite::check(value)?;
    let mut text = serde_json::to_string_pretty(value).expect("outputs serialise");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::ArchitectureReport;
    use crate::report::fixture;

    type Poke = fn(&mut ArchitectureReport);

    fn refused(report: &Report, k: usize, poke: Poke) -> String {
        let mut bad = report.clone();
        poke(&mut bad.architectures[k]);
        render(&bad).unwrap_err().path
    }

    #[test]
    fn a_non_finite_float_anywhere_is_refused_with_its_path() {
        let report = fixture::dr_report("objectives: (rpo: \"1m\"),");
        assert!(render(&report).is_ok());
        let pokes: [(&str, Poke); 6] = [
            ("architectures[1].rpo_s.p95", |a| a.data.rpo_s.p95 = Some(f64::NAN)),
            ("architectures[1].datasets[0].lost_writes.per_year_h", |a| {
                a.datasets[0].data.lost_writes.per_year_h = f64::NAN
            }),
            ("architectures[1].data_loss_events_per_year", |a| {
                a.data.data_loss_events_per_year = f64::INFINITY
            }),
            ("architectures[1].objectives.rpo.target", |a| a.objectives.rpo.target = Some(f64::NAN)),
            ("architectures[1].availability.ci95[1]", |a| a.availability.ci95[1] = f64::NAN),
            ("architectures[1].importance[0].birnbaum", |a| a.importance[0].birnbaum = f64::NAN),
        ];
        for (path, poke) in pokes {
            assert_eq!(refused(&report, 1, poke), path);
        }
        let queued = fixture::report(fixture::QUEUED);
        assert!(render(&queued).is_ok());
        assert_eq!(
            refused(&queued, 0, |a| a.queues[0].backlog_age_s.p95 = Some(f64::NAN)),
            "architectures[0].queues[0].backlog_age_s.p95"
        );
        assert_eq!(
            refused(&queued, 0, |a| a.queues[0].data.rpo_s.p95 = Some(f64::INFINITY)),
            "architectures[0].queues[0].rpo_s.p95"
        );
    }
}
