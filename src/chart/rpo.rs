//! Realised RPO: the empirical CDF of the data lost by each data-loss event, per architecture
//! with datasets, on a log time axis (drawn by the shared `cdf` plot).
//!
//! Input: per architecture, the RPO of each recoverable data-loss event in seconds, and how many
//! events were unrecoverable (no surviving copy). A point (t, p) reads "a share p of all
//! data-loss events lost at most t of writes". Unrecoverable events are in the denominator and
//! never reached, so such a curve stays below 100% by their share: they count as beyond any
//! target, as for the RPO objective. Each curve is marked at its p50 and p95 over all events
//! (nearest rank, the p95 the objective is judged on) where that quantile is recoverable; the
//! legend says when it is not. The RPO objective is a dashed vertical line; architectures with
//! different objectives get one line each, labelled with its duration, and the legend gives
//! each architecture's.
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
use super::{ChartError, Format, render};
use crate::engine::{Prepared, Recorder, RunParams, Simulator};
use crate::model::Architecture;
use crate::report::duration_s;

/// The data-loss events of one architecture.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RpoSample {
    /// RPO of each recoverable event `[s]`.
    pub rpo_s: Vec<f64>,
    /// Events with no surviving copy.
    pub unrecoverable: u64,
}

impl RpoSample {
    /// Every data-loss event, recoverable or not.
    pub fn events(&self) -> u64 {
        self.rpo_s.len() as u64 + self.unrecoverable
    }
}

/// One architecture's curve in the RPO chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RpoSeries {
    /// Architecture name.
    pub name: String,
    /// Its data-loss events.
    pub sample: RpoSample,
    /// Its RPO objective `[s]`.
    pub objective_s: Option<f64>,
}

/// The RPO chart of `series`, in any order; `scenario` names the data in the subtitle.
/// [`ChartError::NoData`] when no series has a data-loss event.
pub fn rpo_cdf(scenario: &str, series: &[RpoSeries], format: Format) -> Result<Vec<u8>, ChartError> {
    if series.iter().all(|s| s.sample.events() == 0) {
        return Err(ChartError::NoData("no data-loss event to draw RPO curves for".into()));
    }
    let curves = series[..series.len().min(super::MAX_ARCHITECTURES)]
        .iter()
        .map(|s| {
            let mut d: Vec<f64> =
                s.sample.rpo_s.iter().copied().filter(|v| v.is_finite() && *v >= 0.0).collect();
            d.sort_by(f64::total_cmp);
            Line {
                name: s.name.clone(),
                d,
                lost: s.sample.unrecoverable,
                objective: s.objective_s.filter(|t| t.is_finite() && *t > 0.0),
            }
        })
        .collect();
    let rpo = Rpo { scenario, curves };
    let mut plot = rpo.plot();
    plot.note = super::left_out_note(series.len());
    render(&plot, format)
}

/// The data-loss events of `replications` replications of `arch`: the input of [`rpo_cdf`].
/// Runs on the calling thread; the replications are the same as `run`'s (same numbering, same
/// streams).
pub fn rpo_samples(arch: &Architecture, params: RunParams, replications: u64) -> RpoSample {
    let prepared = Prepared::new(arch, params);
    let mut sim = Simulator::new(&prepared);
    let mut recorder = Recorder::default();
    let mut out = RpoSample::default();
    for r in 0..replications {
        recorder.incidents.clear();
        recorder.losses.clear();
        recorder.backlogs.clear();
        sim.run(r, &mut recorder);
        for loss in &recorder.losses {
            match loss.rpo {
                // Still growing at the horizon: left out, as from the quantiles.
                Some(_) if loss.censored => {}
                Some(rpo) => out.rpo_s.push(rpo.0 as f64 / 1000.0),
                None => out.unrecoverable += 1,
            }
        }
    }
    out.rpo_s.sort_by(f64::total_cmp);
    out
}

struct Rpo<'a> {
    scenario: &'a str,
    curves: Vec<Line>,
}

/// One architecture's events, ready to draw.
struct Line {
    name: String,
    /// Sorted RPOs `[s]`, zeros included.
    d: Vec<f64>,
    /// Unrecoverable events.
    lost: u64,
    /// RPO objective `[s]`.
    objective: Option<f64>,
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
        if !self.curves.iter().any(|c| c.d.first() == Some(&0.0)) {
            return None;
        }
        let positive = self.curves.iter().filter_map(|c| c.d.iter().copied().find(|v| *v > 0.0));
        let reference = positive.chain(self.objectives()).fold(f64::INFINITY, f64::min);
        Some(floor(if reference.is_finite() { reference } else { 10.0 }))
    }

    /// The distinct objectives `[s]`, ascending.
    fn objectives(&self) -> Vec<f64> {
        distinct_objectives(self.curves.iter().map(|c| c.objective))
    }

    /// The nearest-rank quantile `q` over all events of a curve, unrecoverable ones last;
    /// `None` when it falls on an unrecoverable event.
    fn quantile(d: &[f64], unrecoverable: u64, q: f64) -> Option<f64> {
        let n = d.len() as u64 + unrecoverable;
        let rank = (libm::ceil(q * n as f64) as u64).clamp(1, n) as usize;
        d.get(rank - 1).copied()
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
                let n = c.d.len() as u64 + c.lost;
                let q = |q| Self::quantile(&c.d, c.lost, q).map_or_else(|| "unrecoverable".into(), rpo_text);
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
        let ends = self.curves.iter().flat_map(|c| c.d.first().into_iter().chain(c.d.last()));
        let range = log_range(ends.map(|&v| at(v)).chain(self.objectives()));
        let (lo, hi) = range;
        let curves = self
            .curves
            .iter()
            .map(|c| {
                let n = c.d.len() + c.lost as usize;
                let drawn: Vec<f64> = c.d.iter().map(|&v| at(v)).collect();
                (n > 0).then(|| Curve {
                    points: ecdf_points(&drawn, n, lo, hi),
                    markers: [0.5, 0.95]
                        .iter()
                        .filter_map(|&q| Self::quantile(&c.d, c.lost, q).map(|v| (libm::log10(at(v)), q)))
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
        let line = Line { name: "a".into(), d: vec![0.0, 0.0, 30.0], lost: 1, objective: Some(60.0) };
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
        let none = [RpoSeries { name: "a".into(), ..RpoSeries::default() }];
        assert!(matches!(rpo_cdf("s", &none, Format::Svg), Err(ChartError::NoData(_))));
        assert!(matches!(rpo_cdf("s", &[], Format::Svg), Err(ChartError::NoData(_))));
    }
}
