//! Realised RPO: the empirical CDF of the data lost by each data-loss event, per architecture
//! with datasets or queues, on a log time axis (drawn by the shared `cdf` plot).
//!
//! Input: per architecture, the histogram of the RPO of its recoverable data-loss events and
//! how many events were unrecoverable (no surviving copy), from the report ([`ReportData`]). A
//! point (t, p) reads "a share p of all data-loss events lost at most t of writes"; each bucket
//! is a step at the mean of its values (exact for an RPO that recurs exactly, within 0.1%
//! otherwise). Unrecoverable events are in the denominator and never reached, so such a curve
//! stays below 100% by their share: they count as beyond any target, as for the RPO
//! objective. Each curve is marked at its p50 and p95 over all events (nearest rank, the p95
//! the objective is judged on) where that quantile is recoverable; the legend says when it is
//! not. The RPO objective is a dashed vertical line; architectures with different objectives
//! get one line each, labelled with its duration, and the legend gives each architecture's.
//!
//! RPO 0 (a synchronous copy survived) has no place on a log axis: zeros are drawn at a floor,
//! the largest round duration at most a third of the smallest positive RPO and of the
//! objective; its tick reads `0` and the axis label says which duration it stands for.

use super::cdf::{
    COARSE, Curve, LogCdf, SERIES, distinct_objectives, ecdf_points, log_range, objective_entry,
    objective_suffix,
};
use super::frame::{Entry, Key};
use super::style;
use super::{ChartError, Format, ReportData, render};
use crate::metrics::LogHistogram;
use crate::report::duration_s;

/// The RPO chart of the architectures of `data` with datasets or queues (the first
/// [`super::MAX_ARCHITECTURES`] of them). [`ChartError::NoData`] when none had a data-loss
/// event, or the result has no histograms.
pub fn rpo_cdf(data: &ReportData, format: Format) -> Result<Vec<u8>, ChartError> {
    let mut lines = Vec::new();
    for a in &data.architectures {
        let Some(h) = &a.histograms else {
            return Err(ChartError::NoData("the result has no RPO histograms".into()));
        };
        let Some(rpo) = &h.rpo_ms else { continue };
        lines.push(Line {
            name: a.name.clone(),
            h: rpo.clone(),
            lost: a.unrecoverable.events,
            objective: a.objectives.rpo.target.filter(|t| t.is_finite() && *t > 0.0),
        });
    }
    if lines.iter().all(|l| l.events() == 0) {
        return Err(ChartError::NoData("no data-loss event to draw RPO curves for".into()));
    }
    let total = lines.len();
    lines.truncate(super::MAX_ARCHITECTURES);
    let rpo = Rpo { scenario: &data.scenario.name, curves: lines };
    let mut plot = rpo.plot();
    plot.note = super::left_out_note(total);
    render(&plot, format)
}

struct Rpo<'a> {
    scenario: &'a str,
    curves: Vec<Line>,
}

/// One architecture's events, ready to draw.
struct Line {
    name: String,
    /// RPOs of the recoverable events `[ms]`, zeros included.
    h: LogHistogram,
    /// Unrecoverable events.
    lost: u64,
    /// RPO objective `[s]`.
    objective: Option<f64>,
}

impl Line {
    /// Every data-loss event, recoverable or not.
    fn events(&self) -> u64 {
        self.h.count() + self.lost
    }

    /// Each bucket's mean `[s]` and count, ascending.
    fn steps(&self) -> Vec<(f64, u64)> {
        self.h.buckets().map(|(_, n, mean)| (mean / 1000.0, n)).collect()
    }
}

/// Where RPO 0 is drawn `[s]`, and its label: the largest round duration at most a third of
/// `reference`, from 1 ms to 1 h (100 µs below 1 ms).
fn floor(reference: f64) -> (f64, &'static str) {
    COARSE[..8].iter().rev().find(|&&(s, _)| s <= reference / 3.0).copied().unwrap_or((0.0001, "100µs"))
}

/// A realised RPO for people: `0` or a duration.
fn rpo_text(s: f64) -> String {
    if s == 0.0 { "0".into() } else { duration_s(s) }
}

impl Rpo<'_> {
    /// The floor for zeros, when some curve has one.
    fn zero_floor(&self) -> Option<(f64, &'static str)> {
        if !self.curves.iter().any(|c| c.h.buckets().next().is_some_and(|b| b.2 == 0.0)) {
            return None;
        }
        let positive =
            self.curves.iter().filter_map(|c| c.steps().into_iter().map(|s| s.0).find(|v| *v > 0.0));
        let reference = positive.chain(self.objectives()).fold(f64::INFINITY, f64::min);
        Some(floor(if reference.is_finite() { reference } else { 10.0 }))
    }

    /// The distinct objectives `[s]`, ascending.
    fn objectives(&self) -> Vec<f64> {
        distinct_objectives(self.curves.iter().map(|c| c.objective))
    }

    /// The nearest-rank quantile `q` `[s]` over all events of a curve, unrecoverable ones
    /// last; `None` when it falls on an unrecoverable event.
    fn quantile(c: &Line, q: f64) -> Option<f64> {
        let n = c.events();
        let rank = (libm::ceil(q * n as f64) as u64).clamp(1, n);
        c.h.at_rank(rank).map(|ms| ms / 1000.0)
    }

    fn legend(&self) -> Vec<Entry> {
        // Architectures with different objectives say which is theirs.
        let uniform = self.curves.windows(2).all(|w| w[0].objective == w[1].objective);
        let mut entries: Vec<Entry> = self
            .curves
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (color, dashed, marker) = SERIES[i % SERIES.len()];
                let n = c.events();
                let q = |q| Self::quantile(c, q).map_or_else(|| "unrecoverable".into(), rpo_text);
                let text = if n == 0 {
                    format!("{}: no data loss", c.name)
                } else if c.lost == n {
                    format!("{}: n = {}, all unrecoverable", c.name, style::count(n))
                } else if c.lost == 0 {
                    format!("{}: p50 {}, p95 {}, n = {}", c.name, q(0.5), q(0.95), style::count(n))
                } else {
                    format!(
                        "{}: p50 {}, p95 {}, n = {} ({} unrecoverable)",
                        c.name,
                        q(0.5),
                        q(0.95),
                        style::count(n),
                        style::count(c.lost)
                    )
                };
                let text = text + &objective_suffix(uniform, c.objective);
                (Key::Line { color, dashed, marker: Some(marker) }, text)
            })
            .collect();
        entries.extend(objective_entry(&self.objectives()));
        entries
    }

    fn plot(&self) -> LogCdf<'_> {
        let zero = self.zero_floor();
        let at = |v: f64| if v > 0.0 { v } else { zero.map_or(v, |z| z.0) };
        let steps: Vec<Vec<(f64, u64)>> = self.curves.iter().map(Line::steps).collect();
        let ends = steps.iter().flat_map(|d| d.first().into_iter().chain(d.last()));
        let range = log_range(ends.map(|s| at(s.0)).chain(self.objectives()));
        let (lo, hi) = range;
        let curves = self
            .curves
            .iter()
            .zip(&steps)
            .map(|(c, d)| {
                let n = c.events();
                let drawn: Vec<(f64, u64)> = d.iter().map(|&(v, k)| (at(v), k)).collect();
                (n > 0).then(|| Curve {
                    points: ecdf_points(&drawn, n, lo, hi),
                    markers: [0.5, 0.95]
                        .iter()
                        .filter_map(|&q| Self::quantile(c, q).map(|v| (libm::log10(at(v)), q)))
                        .collect(),
                })
            })
            .collect();
        let x_desc = match zero {
            Some((_, label)) => {
                format!("RPO: last write - newest copy recovered from (log scale; 0 drawn at {label})")
            }
            None => "RPO: last write - newest copy recovered from (log scale)".into(),
        };
        LogCdf {
            title: "Realised RPO: data lost per data-loss event",
            subtitle: format!(
                "All data-loss events, p50 and p95 marked; unrecoverable ones keep a curve below 100%; {}",
                self.scenario
            ),
            x_desc,
            y_desc: "Data-loss events within this RPO [%]",
            range,
            curves,
            objectives: self.objectives(),
            legend: self.legend(),
            empty: "no data loss",
            note: None,
            zero_at: zero.map(|z| z.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_are_drawn_at_a_round_floor_below_every_value() {
        assert_eq!(floor(30.0), (10.0, "10s"));
        assert_eq!(floor(2.0), (0.1, "100ms"));
        assert_eq!(floor(86_400.0), (3600.0, "1h"));
        assert_eq!(floor(0.001), (0.0001, "100µs"));
        let mut h = LogHistogram::default();
        for ms in [0, 0, 30_000] {
            h.record(ms);
        }
        let line = Line { name: "a".into(), h, lost: 1, objective: Some(60.0) };
        let rpo = Rpo { scenario: "s", curves: vec![line] };
        assert_eq!(rpo.zero_floor(), Some((10.0, "10s")));
        let plot = rpo.plot();
        assert!(plot.x_desc.ends_with("(log scale; 0 drawn at 10s)"), "{}", plot.x_desc);
        let curve = plot.curves[0].as_ref().unwrap();
        assert_eq!(curve.points.last().unwrap().1, 0.75, "one unrecoverable event in four");
        // p50 is the second zero (at the floor); p95 (rank 4) is the unrecoverable event.
        assert_eq!(curve.markers, [(1.0, 0.5)]);
        assert_eq!(plot.legend[0].1, "a: p50 0, p95 unrecoverable, n = 4 (1 unrecoverable)");
    }

    #[test]
    fn no_data_loss_is_no_chart() {
        let mut data = crate::chart::input::tests::one_architecture();
        assert!(matches!(rpo_cdf(&data, Format::Svg), Err(ChartError::NoData(_))), "no datasets");
        data.architectures[0].histograms.as_mut().unwrap().rpo_ms = Some(LogHistogram::default());
        assert!(matches!(rpo_cdf(&data, Format::Svg), Err(ChartError::NoData(_))), "no event");
        data.architectures.clear();
        assert!(matches!(rpo_cdf(&data, Format::Svg), Err(ChartError::NoData(_))));
    }
}
