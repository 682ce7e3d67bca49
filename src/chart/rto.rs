//! Realised RTO: the empirical CDF of incident durations per architecture, on a log time axis
//! (drawn by the shared `cdf` plot).
//!
//! Input: per architecture, the durations of its uncensored incidents in seconds (censored
//! incidents have no duration, only a lower bound, as in the report's quantiles). A point
//! (t, p) reads "a share p of the incidents were over within t". Each curve is marked at its
//! p50 and p95 (nearest rank, as in the report); the RTO objective is a dashed vertical line,
//! one per distinct objective when architectures differ (labelled above the plot, and the
//! legend says whose is whose).

use super::cdf::{
    Curve, LogCdf, SERIES, distinct_objectives, ecdf_points, log_range, objective_entry, objective_suffix,
    quantile,
};
use super::frame::{Entry, Key};
use super::style;
use super::{ChartError, Format, render};
use crate::engine::RunParams;
use crate::model::Architecture;
use crate::report::duration_s;

/// The RTO chart: `series` are `(architecture, incident durations [s], its RTO objective [s])`,
/// in any order. `scenario` names the data in the subtitle.
pub fn rto_cdf(
    scenario: &str,
    series: &[(String, Vec<f64>, Option<f64>)],
    format: Format,
) -> Result<Vec<u8>, ChartError> {
    if series.is_empty() {
        return Err(ChartError::NoData("no architecture to draw RTO curves for".into()));
    }
    let curves = series[..series.len().min(super::MAX_ARCHITECTURES)]
        .iter()
        .map(|(name, d, objective)| {
            let mut d: Vec<f64> = d.iter().copied().filter(|v| v.is_finite() && *v > 0.0).collect();
            d.sort_by(f64::total_cmp);
            (name.clone(), d, objective.filter(|t| t.is_finite() && *t > 0.0))
        })
        .collect();
    let rto = Rto { scenario, curves };
    let mut plot = rto.plot();
    plot.note = super::left_out_note(series.len());
    render(&plot, format)
}

/// The durations `[s]` of the uncensored incidents of `replications` replications of `arch`,
/// sorted: the input of [`rto_cdf`]. Runs on the calling thread; the replications are the
/// same as `run`'s (same numbering, same streams).
pub fn rto_samples(arch: &Architecture, params: RunParams, replications: u64) -> Vec<f64> {
    super::focus::scan(arch, params, replications).rto_s
}

struct Rto<'a> {
    scenario: &'a str,
    /// Sorted positive durations per architecture, and its objective.
    curves: Vec<(String, Vec<f64>, Option<f64>)>,
}

impl Rto<'_> {
    /// The distinct objectives `[s]`, ascending.
    fn objectives(&self) -> Vec<f64> {
        distinct_objectives(self.curves.iter().map(|c| c.2))
    }

    fn legend(&self) -> Vec<Entry> {
        // Architectures with different objectives say which is theirs.
        let uniform = self.curves.windows(2).all(|w| w[0].2 == w[1].2);
        let mut entries: Vec<Entry> = self
            .curves
            .iter()
            .enumerate()
            .map(|(i, (name, d, objective))| {
                let (color, dashed, marker) = SERIES[i % SERIES.len()];
                let text = if d.is_empty() {
                    format!("{name}: no incidents")
                } else {
                    let (p50, p95) = (quantile(d, 0.5), quantile(d, 0.95));
                    format!(
                        "{name}: p50 {}, p95 {}, n = {}",
                        duration_s(p50),
                        duration_s(p95),
                        style::count(d.len() as u64)
                    )
                };
                let text = text + &objective_suffix(uniform, *objective);
                (Key::Line { color, dashed, marker: Some(marker) }, text)
            })
            .collect();
        entries.extend(objective_entry(&self.objectives()));
        entries
    }

    fn plot(&self) -> LogCdf<'_> {
        let ends = self.curves.iter().flat_map(|c| c.1.first().into_iter().chain(c.1.last()));
        let objectives = self.objectives();
        let range = log_range(ends.copied().chain(objectives.iter().copied()));
        let (lo, hi) = range;
        let curves = self
            .curves
            .iter()
            .map(|(_, d, _)| {
                (!d.is_empty()).then(|| Curve {
                    points: ecdf_points(d, d.len(), lo, hi),
                    markers: [0.5, 0.95].map(|q| (libm::log10(quantile(d, q)), q)).to_vec(),
                })
            })
            .collect();
        LogCdf {
            title: "Realised RTO: incident durations",
            subtitle: format!("Uncensored incidents, p50 and p95 marked; {}", self.scenario),
            note: None,
            x_desc: "Incident duration (log scale)".into(),
            y_desc: "Incidents no longer than this [%]",
            range,
            curves,
            objectives,
            legend: self.legend(),
            empty: "no incidents",
            zero_at: None,
        }
    }
}
