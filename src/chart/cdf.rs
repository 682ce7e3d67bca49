//! The plot shared by the RTO and RPO charts: empirical CDFs of durations per architecture on a
//! log time axis, with quantile markers and a dashed objective line.
//!
//! The time axis is a linear axis over log10(seconds) computed with `libm` (plotters' own log
//! coordinates use the platform's `ln`), with ticks at round durations (1s, 1m, 1h, 1d, ...).
//! A curve is thinned to at most two points per 1/1200 of the axis width: within such a sliver
//! the step function is drawn as one segment, which no output resolution can tell apart.
//! Quantile markers of different curves that would cover one another (equal p50s, say) are
//! set side by side to the right of the true point, so every curve's marker stays visible.
//! With several objectives (architectures with different targets), each line is labelled with
//! its duration in a strip above the plot; lines too close for separate labels share one
//! (`1m 00s / 2m 00s`, left to right) centred over them, so labels cover neither data nor one
//! another.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{self, Entry};
use super::style::{self, DARK, INK, LIGHT, MID, MUTED, Marker, OBJECTIVE, Scale, Ticked};
use super::{Chart, ChartError};
use crate::report::duration_s;

/// Height of the strip of objective labels above the plot, in logical pixels.
const LABEL_ROW: f64 = 16.0;

/// Labels of objective lines at pixel `x` with their texts, ascending: `(text, centre x)`,
/// neighbours that would come closer than 6 logical pixels merged into one label.
fn objective_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[(i32, String, i32)],
    label_style: &TextStyle<'_>,
    s: Scale,
) -> Result<Vec<(String, i32)>, ChartError> {
    // Each group: (first line, last line); its label is their texts joined, centred over them.
    let label = |g: (usize, usize)| -> Result<(String, i32, i32), ChartError> {
        let text = lines[g.0..=g.1].iter().map(|l| l.1.as_str()).collect::<Vec<_>>().join(" / ");
        let w = style::text_size(root, &text, label_style)?.0;
        let centre = (lines[g.0].0 + lines[g.1].0) / 2;
        Ok((text, centre - w / 2, centre + w - w / 2))
    };
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for i in 0..lines.len() {
        groups.push((i, i));
        while groups.len() > 1 {
            let (a, b) = (groups[groups.len() - 2], groups[groups.len() - 1]);
            if label(b)?.1 >= label(a)?.2 + s.px(6.0) {
                break;
            }
            groups.pop();
            *groups.last_mut().expect("two groups") = (a.0, b.1);
        }
    }
    groups.into_iter().map(|g| label(g).map(|(text, left, right)| (text, (left + right) / 2))).collect()
}

/// The distinct objectives `[s]` among the architectures', ascending.
pub(super) fn distinct_objectives(each: impl Iterator<Item = Option<f64>>) -> Vec<f64> {
    let mut all: Vec<f64> = each.flatten().collect();
    all.sort_by(f64::total_cmp);
    all.dedup();
    all
}

/// What a curve's legend text adds about its objective: nothing when every architecture has
/// the same one (`uniform`), else which is its own.
pub(super) fn objective_suffix(uniform: bool, objective: Option<f64>) -> String {
    match (uniform, objective) {
        (true, _) => String::new(),
        (false, Some(t)) => format!("; objective {}", duration_s(t)),
        (false, None) => "; no objective".into(),
    }
}

/// The legend entry of the objective line(s), if there is any objective.
pub(super) fn objective_entry(objectives: &[f64]) -> Option<Entry> {
    let text = match objectives {
        [] => return None,
        [t] => format!("objective {}", duration_s(*t)),
        _ => "objectives, labelled above the plot".to_string(),
    };
    Some((frame::Key::Line { color: OBJECTIVE, dashed: true, marker: None }, text))
}

/// Line colour, dashed, marker: series differ in lightness, dash and marker.
pub(super) const SERIES: [(RGBColor, bool, Marker); 4] = [
    (DARK, false, Marker::Circle),
    (MID, true, Marker::Triangle),
    (LIGHT, false, Marker::Square),
    (RGBColor(0x2c, 0x7a, 0x3f), true, Marker::Diamond),
];

/// Round durations for ticks `[s]`: the coarse list, then the fine one for short ranges.
pub(super) const COARSE: [(f64, &str); 14] = [
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

/// The ECDF of `steps` (positive values `[s]`, ascending, each with its count) as a polyline
/// over log10(seconds), thinned, from `lo` to `hi`, as shares of `total` values (at least the
/// steps' counts; the others never arrive, so the curve ends below 1 by their share).
pub(super) fn ecdf_points(steps: &[(f64, u64)], total: u64, lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let counted: u64 = steps.iter().map(|s| s.1).sum();
    let n = total.max(counted) as f64;
    let sliver_w = (hi - lo) / 1200.0;
    let sliver = |v: f64| libm::floor((libm::log10(v) - lo) / sliver_w);
    let mut points = vec![(lo, 0.0)];
    let mut below = 0u64;
    let mut i = 0;
    while i < steps.len() {
        let mut j = i;
        let mut upto = below + steps[i].1;
        while j + 1 < steps.len() && sliver(steps[j + 1].0) == sliver(steps[i].0) {
            j += 1;
            upto += steps[j].1;
        }
        points.push((libm::log10(steps[i].0), below as f64 / n));
        points.push((libm::log10(steps[j].0), upto as f64 / n));
        below = upto;
        i = j + 1;
    }
    points.push((hi, below as f64 / n));
    points
}

/// The axis range over log10(seconds) for positive `values` `[s]`: padded by 4% (at least 0.15),
/// at least one decade wide, 1 s to 1 d without values.
pub(super) fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let mut ends: Vec<f64> = values.map(libm::log10).collect();
    if ends.is_empty() {
        ends = vec![0.0, libm::log10(86_400.0)];
    }
    let lo = ends.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ends.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.04).max(0.15);
    let (lo, hi) = (lo - pad, hi + pad);
    if hi - lo < 1.0 { ((lo + hi) / 2.0 - 0.5, (lo + hi) / 2.0 + 0.5) } else { (lo, hi) }
}

/// One series: its polyline and quantile markers, over (log10 seconds, share).
pub(super) struct Curve {
    /// The thinned ECDF ([`ecdf_points`]).
    pub points: Vec<(f64, f64)>,
    /// Quantile markers.
    pub markers: Vec<(f64, f64)>,
}

/// A log-time CDF chart, ready to draw.
pub(super) struct LogCdf<'a> {
    /// Title.
    pub title: &'a str,
    /// Subtitle (what the data is, the scenario).
    pub subtitle: String,
    /// A second subtitle line: architectures left out ([`super::left_out_note`]).
    pub note: Option<String>,
    /// Time axis description.
    pub x_desc: String,
    /// Share axis description.
    pub y_desc: &'a str,
    /// Time axis range over log10(seconds) ([`log_range`]).
    pub range: (f64, f64),
    /// Per series, in style order; `None` draws nothing (the legend says why).
    pub curves: Vec<Option<Curve>>,
    /// The objectives `[s]`, ascending, each a dashed vertical line (labelled when more than one).
    pub objectives: Vec<f64>,
    /// The legend below the plot.
    pub legend: Vec<Entry>,
    /// Text in the middle of the plot when no series has a curve.
    pub empty: &'a str,
    /// Where zeros are drawn `[s]`: its tick, if any, reads `0`.
    pub zero_at: Option<f64>,
}

impl Chart for LogCdf<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 560 + if self.note.is_some() { 20 } else { 0 })
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let s = Scale(scale);
        let lines: Vec<&str> = std::iter::once(self.subtitle.as_str()).chain(self.note.as_deref()).collect();
        let top = frame::titles(root, self.title, &lines, s)?;
        let legend_h = frame::legend_height(root, &self.legend, s)?;
        let h = root.dim_in_pixel().1 as i32;
        frame::legend(root, &self.legend, h - legend_h, s)?;

        let (lo, hi) = self.range;
        let mut xt = ticks(lo, hi);
        if let Some(zero) = self.zero_at.map(libm::log10) {
            xt.iter_mut().filter(|t| (t.0 - zero).abs() < 1e-9).for_each(|t| t.1 = "0".into());
        }
        let yt: Vec<(f64, String)> = (0..=5).map(|k| (k as f64 / 5.0, format!("{}%", k * 20))).collect();
        let body = root.margin(top, legend_h, 0, 0);
        let labelled = self.objectives.len() > 1;
        let mut chart = ChartBuilder::on(&body)
            .margin_left(s.px(16.0))
            .margin_right(s.px(28.0))
            .margin_top(s.px(if labelled { 8.0 + LABEL_ROW } else { 8.0 }))
            .y_label_area_size(s.px(80.0))
            .x_label_area_size(s.px(58.0))
            .build_cartesian_2d(
                Ticked { lo, hi, ticks: xt.iter().map(|t| t.0).collect() },
                Ticked { lo: 0.0, hi: 1.0, ticks: yt.iter().map(|t| t.0).collect() },
            )?;
        let label_of = |list: &[(f64, String)], v: f64| {
            list.iter().find(|t| (t.0 - v).abs() < 1e-9).map(|t| t.1.clone()).unwrap_or_default()
        };
        style::house_mesh(&mut chart.configure_mesh(), s)
            .x_label_formatter(&|x| label_of(&xt, *x))
            .y_label_formatter(&|y| label_of(&yt, *y))
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc)
            .label_style(s.text(14.0, &INK))
            .draw()?;

        let mut lines = Vec::new();
        for &t in &self.objectives {
            let (x, y0) = chart.backend_coord(&(libm::log10(t), 1.0));
            let y1 = chart.backend_coord(&(lo, 0.0)).1;
            style::dashed_vline(root, x, (y0, y1), s.line(&OBJECTIVE, 2.0), s)?;
            lines.push((x, duration_s(t), y0));
        }
        if labelled {
            let label_style = s.text(12.0, &OBJECTIVE);
            for (text, x) in objective_labels(root, &lines, &label_style, s)? {
                let y = lines[0].2 - s.px(4.0);
                style::text(root, &text, (x, y), &label_style, HPos::Center, VPos::Bottom)?;
            }
        }
        let drawn = || self.curves.iter().enumerate().filter_map(|(i, c)| c.as_ref().map(|c| (i, c)));
        for (i, curve) in drawn() {
            let (color, dashed, _) = SERIES[i % SERIES.len()];
            let line = s.line(&color, 2.4);
            let pts = curve.points.clone();
            if dashed {
                chart.draw_series(DashedLineSeries::new(pts, s.px(9.0), s.px(5.0), line))?;
            } else {
                chart.draw_series(LineSeries::new(pts, line))?;
            }
        }
        // Markers that would hide one another (equal quantiles) are moved right, side by side.
        let r = s.px(6.0);
        let mut placed: Vec<(i32, i32)> = Vec::new();
        for (i, curve) in drawn() {
            let (color, _, marker) = SERIES[i % SERIES.len()];
            for &point in &curve.markers {
                let mut at = chart.backend_coord(&point);
                while placed.iter().any(|p| (p.0 - at.0).abs() < 2 * r && (p.1 - at.1).abs() < 2 * r) {
                    at.0 += 2 * r + s.px(1.0);
                }
                placed.push(at);
                style::marker(root, marker, at, r, &color, true, s)?;
            }
        }
        if drawn().next().is_none() {
            let at = chart.backend_coord(&((lo + hi) / 2.0, 0.5));
            style::boxed_text(root, self.empty, at, &s.text(18.0, &MUTED), HPos::Center, s)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdf_is_a_thinned_step_function() {
        let d: Vec<(f64, u64)> = (1..=10_000).map(|k| (k as f64, 1)).collect();
        let p = ecdf_points(&d, 10_000, 0.0, 4.0);
        assert!(p.len() <= 2 * 1200 + 2, "{}", p.len());
        assert_eq!(p.first(), Some(&(0.0, 0.0)));
        assert_eq!(p.last(), Some(&(4.0, 1.0)));
        assert!(p.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
    }

    #[test]
    fn a_step_rises_by_its_count() {
        let p = ecdf_points(&[(10.0, 3), (100.0, 1)], 4, 0.0, 4.0);
        assert_eq!(p, [(0.0, 0.0), (1.0, 0.0), (1.0, 0.75), (2.0, 0.75), (2.0, 1.0), (4.0, 1.0)]);
    }

    #[test]
    fn values_that_never_arrive_keep_the_curve_below_one() {
        let p = ecdf_points(&[(10.0, 1), (100.0, 1), (1000.0, 1)], 4, 0.0, 4.0);
        assert_eq!(
            p,
            [
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 0.25),
                (2.0, 0.25),
                (2.0, 0.5),
                (3.0, 0.5),
                (3.0, 0.75),
                (4.0, 0.75)
            ]
        );
    }

    #[test]
    fn close_objective_labels_share_one() {
        super::super::register_fonts();
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        let style = Scale(1.0).text(12.0, &OBJECTIVE);
        let line = |x: i32, t: f64| (x, duration_s(t), 0);
        let lines =
            [line(100, 60.0), line(110, 90.0), line(120, 120.0), line(400, 900.0), line(700, 86_400.0)];
        let labels = objective_labels(&root, &lines, &style, Scale(1.0)).unwrap();
        let texts: Vec<&str> = labels.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(texts, ["1m 00s / 1m 30s / 2m 00s", "15m 00s", "1d 00h"]);
        assert!((labels[0].1 - 110).abs() <= 1, "centred over its lines: {}", labels[0].1);
        assert_eq!((labels[1].1, labels[2].1), (400, 700));
    }
}
