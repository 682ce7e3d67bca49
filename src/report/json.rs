//! `--format json`: the stable machine format (input of `chart` and `check`).
//!
//! A NaN or an infinity anywhere in the report is refused (`finite`), never written as `null`.

use crate::metrics::Report;

pub use super::finite::NonFinite;

/// Pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> Result<String, NonFinite> {
    pretty(report)
}

/// Any output as pretty-printed JSON with a trailing newline, once every float in it is
/// known to be finite.
pub fn pretty<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, NonFinite> {
    super::finite::check(value)?;
    let mut text = serde_json::to_string_pretty(value).expect("outputs serialise");
    text.push('\n');
    Ok(text)
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
