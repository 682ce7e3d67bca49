//! Realised RTO: the empirical CDF of incident durations per architecture, on a log time axis.
//!
//! Input: per architecture, the durations of its uncensored incidents in seconds (censored
//! incidents have no duration, only a lower bound, as in the report's quantiles). A point
//! (t, p) reads "a share p of the incidents were over within t". Each curve is marked at its
//! p50 and p95 (nearest rank, as in the report); the RTO objective is a dashed vertical line.
//!
//! The time axis is a linear axis over log10(seconds) computed with `libm` (plotters' own log
//! coordinates use the platform's `ln`), with ticks at round durations (1s, 1m, 1h, 1d, ...).
//! A curve is thinned to at most two points per 1/1200 of the axis width: within such a sliver
//! the step function is drawn as one segment, which no output resolution can tell apart.
//! Quantile markers of different curves that would cover one another (equal p50s, say) are
//! set side by side to the right of the true point, so every curve's marker stays visible.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::frame::{self, Entry, Key};
use super::style::{self, DARK, INK, LIGHT, MID, MUTED, Marker, OBJECTIVE, Scale, Ticked};
use super::{Chart, ChartError, Format, render};
use crate::engine::{Prepared, Recorder, RunParams, Simulator};
use crate::model::Architecture;
use crate::report::duration_s;

/// The RTO chart: `series` are `(architecture, incident durations [s])`, in any order;
/// `objective_s` is the RTO objective `[s]`. `scenario` names the data in the subtitle.
pub fn rto_cdf(
    scenario: &str,
    series: &[(String, Vec<f64>)],
    objective_s: Option<f64>,
    format: Format,
) -> Result<Vec<u8>, ChartError> {
    if series.is_empty() {
        return Err(ChartError::NoData("no architecture to draw RTO curves for".into()));
    }
    let curves = series
        .iter()
        .map(|(name, d)| {
            let mut d: Vec<f64> = d.iter().copied().filter(|v| v.is_finite() && *v > 0.0).collect();
            d.sort_by(f64::total_cmp);
            (name.clone(), d)
        })
        .collect();
    let objective = objective_s.filter(|t| t.is_finite() && *t > 0.0);
    render(&Rto { scenario, curves, objective }, format)
}

/// The durations `[s]` of the uncensored incidents of `replications` replications of `arch`,
/// sorted: the input of [`rto_cdf`]. Runs on the calling thread; the replications are the
/// same as `run`'s (same numbering, same streams).
pub fn rto_samples(arch: &Architecture, params: RunParams, replications: u64) -> Vec<f64> {
    let prepared = Prepared::new(arch, params);
    let mut sim = Simulator::new(&prepared);
    let mut recorder = Recorder::default();
    let mut out = Vec::new();
    for r in 0..replications {
        recorder.incidents.clear();
        sim.run(r, &mut recorder);
        out.extend(recorder.incidents.iter().filter(|i| !i.censored).map(|i| i.duration().0 as f64 / 1000.0));
    }
    out.sort_by(f64::total_cmp);
    out
}

struct Rto<'a> {
    scenario: &'a str,
    /// Sorted positive durations per architecture.
    curves: Vec<(String, Vec<f64>)>,
    objective: Option<f64>,
}

/// Line colour, dashed, marker: series differ in lightness, dash and marker.
const SERIES: [(RGBColor, bool, Marker); 4] = [
    (DARK, false, Marker::Circle),
    (MID, true, Marker::Triangle),
    (LIGHT, false, Marker::Square),
    (RGBColor(0x2c, 0x7a, 0x3f), true, Marker::Diamond),
];

/// Round durations for ticks `[s]`: the coarse list, then the fine one for short ranges.
const COARSE: [(f64, &str); 14] = [
    (0.001, "1ms"),
    (0.01, "10ms"),
    (0.1, "100ms"),
    (1.0, "1s"),
    (10.0, "10s"),
    (60.0, "1m"),
    (600.0, "10m"),
    (3600.0, "1h"),
    (21_600.0, "6h"),
    (86_400.0, "1d"),
    (604_800.0, "1w"),
    (2_592_000.0, "30d"),
    (31_536_000.0, "1y"),
    (315_360_000.0, "10y"),
];
const FINE: [(f64, &str); 13] = [
    (2.0, "2s"),
    (5.0, "5s"),
    (20.0, "20s"),
    (30.0, "30s"),
    (120.0, "2m"),
    (300.0, "5m"),
    (1200.0, "20m"),
    (1800.0, "30m"),
    (7200.0, "2h"),
    (10_800.0, "3h"),
    (43_200.0, "12h"),
    (172_800.0, "2d"),
    (259_200.0, "3d"),
];

fn ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    let inside = |list: &[(f64, &str)]| -> Vec<(f64, String)> {
        list.iter()
            .map(|&(s, l)| (libm::log10(s), l.to_string()))
            .filter(|&(x, _)| x >= lo && x <= hi)
            .collect()
    };
    let mut t = inside(&COARSE);
    if t.len() < 4 {
        t.extend(inside(&FINE));
        t.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    if t.len() > 12 {
        t = t.into_iter().step_by(2).collect();
    }
    t
}

/// The ECDF of sorted `d` as a polyline over log10(seconds), thinned, from `lo` to `hi`.
fn ecdf_points(d: &[f64], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let n = d.len() as f64;
    let bucket_w = (hi - lo) / 1200.0;
    let mut points = vec![(lo, 0.0)];
    let mut i = 0;
    while i < d.len() {
        let x0 = libm::log10(d[i]);
        let bucket = libm::floor((x0 - lo) / bucket_w);
        let mut j = i;
        while j + 1 < d.len() && libm::floor((libm::log10(d[j + 1]) - lo) / bucket_w) == bucket {
            j += 1;
        }
        points.push((x0, i as f64 / n));
        points.push((libm::log10(d[j]), (j + 1) as f64 / n));
        i = j + 1;
    }
    points.push((hi, 1.0));
    points
}

/// Nearest-rank quantile of sorted `d`.
fn quantile(d: &[f64], q: f64) -> f64 {
    let rank = libm::ceil(q * d.len() as f64).max(1.0) as usize;
    d[rank.min(d.len()) - 1]
}

impl Rto<'_> {
    fn range(&self) -> (f64, f64) {
        let all = self.curves.iter().flat_map(|c| c.1.first().into_iter().chain(c.1.last()));
        let mut ends: Vec<f64> = all.chain(self.objective.as_ref()).map(|&v| libm::log10(v)).collect();
        if ends.is_empty() {
            ends = vec![0.0, libm::log10(86_400.0)];
        }
        let lo = ends.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = ends.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.04).max(0.15);
        let (lo, hi) = (lo - pad, hi + pad);
        if hi - lo < 1.0 { ((lo + hi) / 2.0 - 0.5, (lo + hi) / 2.0 + 0.5) } else { (lo, hi) }
    }

    fn legend(&self) -> Vec<Entry> {
        let mut entries: Vec<Entry> = self
            .curves
            .iter()
            .enumerate()
            .map(|(i, (name, d))| {
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
                (Key::Line { color, dashed, marker: Some(marker) }, text)
            })
            .collect();
        if let Some(t) = self.objective {
            entries.push((
                Key::Line { color: OBJECTIVE, dashed: true, marker: None },
                format!("objective {}", duration_s(t)),
            ));
        }
        entries
    }
}

impl Chart for Rto<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 560)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let s = Scale(scale);
        let subtitle = format!("Uncensored incidents, p50 and p95 marked; {}", self.scenario);
        let top = frame::title(root, "Realised RTO: incident durations", &subtitle, s)?;
        let entries = self.legend();
        let legend_h = frame::legend_height(root, &entries, s)?;
        let h = root.dim_in_pixel().1 as i32;
        frame::legend(root, &entries, h - legend_h, s)?;

        let (lo, hi) = self.range();
        let xt = ticks(lo, hi);
        let yt: Vec<(f64, String)> = (0..=5).map(|k| (k as f64 / 5.0, format!("{}%", k * 20))).collect();
        let body = root.margin(top, legend_h, 0, 0);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(s.px(16.0))
            .margin_right(s.px(28.0))
            .margin_top(s.px(8.0))
            .y_label_area_size(s.px(80.0))
            .x_label_area_size(s.px(58.0))
            .build_cartesian_2d(
                Ticked { lo, hi, ticks: xt.iter().map(|t| t.0).collect() },
                Ticked { lo: 0.0, hi: 1.0, ticks: yt.iter().map(|t| t.0).collect() },
            )?;
        let label_of = |list: &[(f64, String)], v: f64| {
            list.iter().find(|t| (t.0 - v).abs() < 1e-9).map(|t| t.1.clone()).unwrap_or_default()
        };
        chart
            .configure_mesh()
            .x_label_formatter(&|x| label_of(&xt, *x))
            .y_label_formatter(&|y| label_of(&yt, *y))
            .x_desc("Incident duration (log scale)")
            .y_desc("Incidents no longer than this [%]")
            .label_style(s.text(14.0, &INK))
            .axis_desc_style(s.text(15.0, &INK))
            .light_line_style(WHITE)
            .bold_line_style(style::GRID)
            .axis_style(s.line(&INK, 1.0))
            .set_all_tick_mark_size(s.px(5.0))
            .draw()?;

        if let Some(t) = self.objective {
            let (x, y0) = chart.backend_coord(&(libm::log10(t), 1.0));
            let y1 = chart.backend_coord(&(lo, 0.0)).1;
            style::dashed_vline(root, x, (y0, y1), s.line(&OBJECTIVE, 2.0), s)?;
        }
        for (i, (_, d)) in self.curves.iter().enumerate().filter(|c| !c.1.1.is_empty()) {
            let (color, dashed, _) = SERIES[i % SERIES.len()];
            let line = s.line(&color, 2.4);
            let pts = ecdf_points(d, lo, hi);
            if dashed {
                chart.draw_series(DashedLineSeries::new(pts, s.px(9.0), s.px(5.0), line))?;
            } else {
                chart.draw_series(LineSeries::new(pts, line))?;
            }
        }
        // Markers that would hide one another (equal quantiles) are moved right, side by side.
        let r = s.px(6.0);
        let mut placed: Vec<(i32, i32)> = Vec::new();
        for (i, (_, d)) in self.curves.iter().enumerate().filter(|c| !c.1.1.is_empty()) {
            let (color, _, marker) = SERIES[i % SERIES.len()];
            for q in [0.5, 0.95] {
                let mut at = chart.backend_coord(&(libm::log10(quantile(d, q)), q));
                while placed.iter().any(|p| (p.0 - at.0).abs() < 2 * r && (p.1 - at.1).abs() < 2 * r) {
                    at.0 += 2 * r + s.px(1.0);
                }
                placed.push(at);
                style::marker(root, marker, at, r, &color, true, s)?;
            }
        }
        if self.curves.iter().all(|c| c.1.is_empty()) {
            let at = chart.backend_coord(&((lo + hi) / 2.0, 0.5));
            style::boxed_text(root, "no incidents", at, &s.text(18.0, &MUTED), HPos::Center, s)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdf_is_a_thinned_step_function() {
        let d: Vec<f64> = (1..=10_000).map(|k| k as f64).collect();
        let p = ecdf_points(&d, 0.0, 4.0);
        assert!(p.len() <= 2 * 1200 + 2, "{}", p.len());
        assert_eq!(p.first(), Some(&(0.0, 0.0)));
        assert_eq!(p.last(), Some(&(4.0, 1.0)));
        assert!(p.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
        assert_eq!(quantile(&d, 0.5), 5000.0);
        assert_eq!(quantile(&d, 0.95), 9500.0);
    }
}
