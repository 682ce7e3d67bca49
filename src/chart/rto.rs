//! Realised RTO: the empirical CDF of incident durations per architecture, on a log time axis
//! (drawn by the shared `cdf` plot).
//!
//! Input: per architecture, the histogram of its uncensored incidents' durations (censored
//! incidents have no duration, only a lower bound, as in the report's quantiles), from the
//! report ([`ReportData`], in memory or read from `result.json`). A point (t, p) reads "a share
//! p of the incidents were over within t"; each bucket of the histogram is a step at the mean
//! of its values, so a duration that recurs exactly (a `Fixed` recovery) is drawn exactly and
//! any other within 0.1%. Each curve is marked at its p50 and p95, the report's own quantiles
//! (nearest rank, the mean of the bucket); the RTO objective is a dashed vertical line, one per
//! distinct objective when architectures differ (labelled above the plot, and the legend says
//! whose is whose). A result without histograms (made by an older faultline) has no RTO chart.

use super::cdf::{
    Curve, LogCdf, SERIES, distinct_objectives, ecdf_points, log_range, objective_entry, objective_suffix,
};
use super::frame::{Entry, Key};
use super::style;
use super::{ChartError, Format, ReportData, render};
use crate::metrics::LogHistogram;
use crate::report::duration_s;

/// The RTO chart of every architecture of `data` (the first [`super::MAX_ARCHITECTURES`]).
pub fn rto_cdf(data: &ReportData, format: Format) -> Result<Vec<u8>, ChartError> {
    if data.architectures.is_empty() {
        return Err(ChartError::NoData("no architecture to draw RTO curves for".into()));
    }
    let shown = &data.architectures[..data.architectures.len().min(super::MAX_ARCHITECTURES)];
    let mut curves = Vec::new();
    for a in shown {
        let Some(h) = &a.histograms else {
            return Err(ChartError::NoData("the result has no RTO histograms".into()));
        };
        let objective = a.objectives.rto.target.filter(|t| t.is_finite() && *t > 0.0);
        curves.push(Line { name: a.name.clone(), steps: steps(&h.rto_ms), h: h.rto_ms.clone(), objective });
    }
    let rto = Rto { scenario: &data.scenario.name, curves };
    let mut plot = rto.plot();
    plot.note = super::left_out_note(data.architectures.len());
    render(&plot, format)
}

/// The steps of `h`'s CDF: each bucket's mean `[s]` and count, ascending, zeros left out (no
/// place on a log axis).
fn steps(h: &LogHistogram) -> Vec<(f64, u64)> {
    h.buckets().filter(|b| b.2 > 0.0).map(|(_, n, mean)| (mean / 1000.0, n)).collect()
}

/// The nearest-rank quantile `q` of `h` `[s]`, as the report gives it.
fn quantile(h: &LogHistogram, q: f64) -> Option<f64> {
    h.quantile(q).map(|ms| ms / 1000.0)
}

struct Rto<'a> {
    scenario: &'a str,
    curves: Vec<Line>,
}

/// One architecture's incidents, ready to draw.
struct Line {
    name: String,
    /// Its positive steps ([`steps`]).
    steps: Vec<(f64, u64)>,
    /// Its histogram `[ms]`.
    h: LogHistogram,
    /// Its RTO objective `[s]`.
    objective: Option<f64>,
}

impl Rto<'_> {
    /// The distinct objectives `[s]`, ascending.
    fn objectives(&self) -> Vec<f64> {
        distinct_objectives(self.curves.iter().map(|c| c.objective))
    }

    fn legend(&self) -> Vec<Entry> {
        // Architectures with different objectives say which is theirs.
        let uniform = self.curves.windows(2).all(|w| w[0].objective == w[1].objective);
        let mut entries: Vec<Entry> = self
            .curves
            .iter()
            .enumerate()
            .map(|(i, Line { name, h, objective, .. })| {
                let (color, dashed, marker) = SERIES[i % SERIES.len()];
                let text = match (quantile(h, 0.5), quantile(h, 0.95)) {
                    (Some(p50), Some(p95)) => format!(
                        "{name}: p50 {}, p95 {}, n = {}",
                        duration_s(p50),
                        duration_s(p95),
                        style::count(h.count())
                    ),
                    _ => format!("{name}: no incidents"),
                };
                let text = text + &objective_suffix(uniform, *objective);
                (Key::Line { color, dashed, marker: Some(marker) }, text)
            })
            .collect();
        entries.extend(objective_entry(&self.objectives()));
        entries
    }

    fn plot(&self) -> LogCdf<'_> {
        let ends = self.curves.iter().flat_map(|c| c.steps.first().into_iter().chain(c.steps.last()));
        let objectives = self.objectives();
        let range = log_range(ends.map(|s| s.0).chain(objectives.iter().copied()));
        let (lo, hi) = range;
        let curves = self
            .curves
            .iter()
            .map(|Line { steps, h, .. }| {
                (!steps.is_empty()).then(|| Curve {
                    points: ecdf_points(steps, h.count(), lo, hi),
                    markers: [0.5, 0.95]
                        .iter()
                        .filter_map(|&q| quantile(h, q).filter(|v| *v > 0.0).map(|v| (libm::log10(v), q)))
                        .collect(),
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
