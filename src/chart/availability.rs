//! Availability per architecture: the mean as a marker, its 95% CI as a whisker, and the
//! availability objective as a dashed line across the architecture's slot.
//!
//! The y axis is spaced by nines (-log10 of the unavailability) and labelled in percent
//! (99%, 99.9%, 99.95%, ...), zoomed to the means, CIs and objectives. On a linear percent
//! axis 99.9% and 99.999% would touch, and a 95% objective would squash every design into the
//! top pixel row. An availability of exactly 100% (no downtime) has no nines: it is drawn at
//! the top of the axis, labelled `100%`.
//!
//! Marker shape and fill carry the verdict (filled circle met, filled triangle missed, hollow
//! circle no objective), so the chart reads the same in greyscale.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{self, Entry, Key};
use super::input::{ArchitectureData, ReportData};
use super::style::{self, DARK, INK, MID, MUTED, Marker, OBJECTIVE, Scale, Ticked};
use super::{Chart, ChartError, Format, render};

/// The availability chart of every architecture in `report`.
pub fn availability(report: &ReportData, format: Format) -> Result<Vec<u8>, ChartError> {
    if report.architectures.is_empty() {
        return Err(ChartError::NoData("the report has no architecture".into()));
    }
    for a in &report.architectures {
        let av = a.availability;
        let values = [Some(av.mean), Some(av.ci95[0]), Some(av.ci95[1]), a.objectives.availability.target];
        if values.into_iter().flatten().any(|v| !(0.0..=1.0).contains(&v)) {
            return Err(ChartError::Invalid(format!("`{}`: an availability is not in [0, 1]", a.name)));
        }
    }
    let archs = &report.architectures[..report.architectures.len().min(super::MAX_ARCHITECTURES)];
    render(&Availability { report, archs }, format)
}

struct Availability<'a> {
    report: &'a ReportData,
    /// The architectures drawn: the first [`super::MAX_ARCHITECTURES`].
    archs: &'a [ArchitectureData],
}

/// The y axis: a range in nines and its labelled ticks.
struct Axis {
    lo: f64,
    hi: f64,
    /// Where availabilities of exactly 1 are drawn (ticked `100%`).
    top: f64,
    /// With a 100% on the axis: where the axis is broken below it.
    cut: Option<f64>,
    ticks: Vec<(f64, String)>,
}

impl Axis {
    fn new(archs: &[ArchitectureData]) -> Axis {
        let values = archs.iter().flat_map(|a| {
            let av = a.availability;
            [Some(av.mean), Some(av.ci95[0]), Some(av.ci95[1]), a.objectives.availability.target]
        });
        let finite: Vec<f64> = values.flatten().filter(|&v| v < 1.0).map(nines).collect();
        let (mut lo, mut hi) = match finite.iter().copied().reduce(f64::min) {
            Some(min) => (min, finite.iter().copied().fold(min, f64::max)),
            None => (2.0, 4.0),
        };
        if hi - lo < 0.6 {
            let mid = (lo + hi) / 2.0;
            (lo, hi) = (mid - 0.3, mid + 0.3);
        }
        let span = hi - lo;
        let lo = (lo - 0.1 * span).max(0.0);
        let hi = hi + 0.12 * span;
        let perfect = archs.iter().any(|a| a.availability.mean >= 1.0 || a.availability.ci95[1] >= 1.0);
        if !perfect {
            return Axis { lo, hi, top: hi, cut: None, ticks: ticks(lo, hi) };
        }
        let (cut, top) = (hi + 0.05 * span, hi + 0.15 * span);
        let mut t = ticks(lo, hi);
        t.push((top, "100%".into()));
        Axis { lo, hi: top + 0.08 * span, top, cut: Some(cut), ticks: t }
    }

    /// The y value of availability `a`.
    fn y(&self, a: f64) -> f64 {
        if a >= 1.0 { self.top } else { nines(a).clamp(self.lo, self.hi) }
    }
}

/// -log10 of the unavailability.
fn nines(a: f64) -> f64 {
    -libm::log10(1.0 - a)
}

/// Ticks at unavailabilities m x 10^-e, the densest mantissa set that gives at most 9.
fn ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    const SETS: [&[f64]; 4] = [&[1.0, 1.5, 2.0, 3.0, 5.0, 7.0], &[1.0, 2.0, 5.0], &[1.0, 3.0], &[1.0]];
    let mut best = Vec::new();
    for set in SETS {
        best.clear();
        for e in (libm::floor(lo) as i32)..=(libm::ceil(hi) as i32 + 1) {
            for &m in set {
                let y = e as f64 - libm::log10(m);
                if y >= lo && y <= hi {
                    let decimals = (e - 2 + i32::from(m.fract() != 0.0)).max(0) as usize;
                    let pct = 100.0 - m * libm::pow(10.0, f64::from(2 - e));
                    best.push((y, format!("{pct:.decimals$}%")));
                }
            }
        }
        if best.len() <= 9 {
            break;
        }
    }
    best.sort_by(|a, b| a.0.total_cmp(&b.0));
    best
}

/// A mean as a percentage with three significant digits of its unavailability.
fn percent(a: f64) -> String {
    if a >= 1.0 {
        return "100%".into();
    }
    let u = (1.0 - a) * 100.0;
    let decimals = (2 - libm::floor(libm::log10(u)) as i32).clamp(1, 9) as usize;
    format!("{:.decimals$}%", a * 100.0)
}

/// How an architecture's mean is drawn: by its availability verdict (the cost chart too).
pub(super) fn verdict_marker(a: &ArchitectureData) -> (Marker, bool, RGBColor) {
    match a.objectives.availability.met {
        Some(true) => (Marker::Circle, true, DARK),
        Some(false) => (Marker::Triangle, true, MID),
        None => (Marker::Circle, false, DARK),
    }
}

impl Availability<'_> {
    fn legend(&self) -> Vec<Entry> {
        let archs = self.archs;
        let mut entries = Vec::new();
        for (met, label) in [(Some(true), "mean, objective met"), (Some(false), "mean, objective missed")] {
            if let Some(a) = archs.iter().find(|a| a.objectives.availability.met == met) {
                let (shape, filled, color) = verdict_marker(a);
                entries.push((Key::Marker { shape, color, filled }, label.to_string()));
            }
        }
        if archs.iter().any(|a| a.objectives.availability.met.is_none()) {
            let key = Key::Marker { shape: Marker::Circle, color: DARK, filled: false };
            entries.push((key, "mean, no objective".into()));
        }
        entries.push((Key::Whisker(INK), "95% confidence interval".into()));
        if archs.iter().any(|a| a.objectives.availability.target.is_some()) {
            entries.push((Key::Line { color: OBJECTIVE, dashed: true, marker: None }, "objective".into()));
        }
        entries
    }

    /// The lines under an architecture's slot: name, objective, verdict.
    fn slot_lines(a: &ArchitectureData) -> [String; 3] {
        let objective = match a.objectives.availability.target {
            Some(t) => format!("objective \u{2265} {}%", style::trim(t * 100.0)),
            None => "no objective".into(),
        };
        let mut verdict = match a.objectives.availability.met {
            Some(true) => "met".to_string(),
            Some(false) => "missed".to_string(),
            None => String::new(),
        };
        if !a.objectives.gate {
            verdict = if verdict.is_empty() { "not gated".into() } else { format!("{verdict}, not gated") };
        }
        [a.name.clone(), objective, verdict]
    }
}

impl Chart for Availability<'_> {
    fn size(&self) -> (u32, u32) {
        let note = if super::left_out_note(self.report.architectures.len()).is_some() { 20 } else { 0 };
        (((self.archs.len() as u32) * 190 + 240).max(820), 560 + note)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let s = Scale(scale);
        let archs = self.archs;
        let top = frame::comparing_titles(
            root,
            "Availability per architecture",
            "Mean and 95% CI",
            self.report,
            s,
        )?;
        let entries = self.legend();
        let legend_h = frame::legend_height(root, &entries, s)?;
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        frame::legend(root, &entries, h - legend_h, s)?;

        let axis = Axis::new(archs);
        let tick_style = s.text(14.0, &INK);
        let mut label_w = 0;
        for (_, t) in &axis.ticks {
            label_w = label_w.max(style::text_size(root, t, &tick_style)?.0);
        }
        let body = root.margin(top, legend_h, 0, 0);
        let n = archs.len();
        let mut chart = ChartBuilder::on(&body)
            .margin_left(s.px(16.0))
            .margin_right(s.px(24.0))
            .margin_top(s.px(8.0))
            .y_label_area_size(label_w + s.px(44.0))
            .x_label_area_size(s.px(66.0))
            .build_cartesian_2d(
                Ticked { lo: 0.0, hi: n as f64, ticks: Vec::new() },
                Ticked { lo: axis.lo, hi: axis.hi, ticks: axis.ticks.iter().map(|t| t.0).collect() },
            )?;
        let ticks = &axis.ticks;
        let tick_label =
            |y: &f64| ticks.iter().find(|t| (t.0 - *y).abs() < 1e-9).map(|t| t.1.clone()).unwrap_or_default();
        style::house_mesh(&mut chart.configure_mesh(), s)
            .disable_x_mesh()
            .y_label_formatter(&tick_label)
            .y_desc("Availability [%] (axis spaced by nines)")
            .label_style(tick_style.clone())
            .draw()?;

        if let Some(cut) = axis.cut {
            // The axis break: a gap in the axis line, crossed by two slashes.
            let (x, y) = chart.backend_coord(&(0.0, cut));
            let d = s.px(5.0);
            root.draw(&Rectangle::new([(x - d, y - d), (x + d, y + d)], WHITE.filled()))?;
            for dy in [-d / 2 - s.px(1.0), d / 2 + s.px(1.0)] {
                let slash = vec![(x - d - s.px(2.0), y + dy + d / 2), (x + d + s.px(2.0), y + dy - d / 2)];
                root.draw(&PathElement::new(slash, s.line(&INK, 1.2)))?;
            }
            let right = chart.backend_coord(&(n as f64, cut)).0;
            style::dashed_hline(root, (x + d + s.px(4.0), right), y, s.line(&style::GRID, 1.0), s)?;
        }
        let px = |x: f64, a: f64| chart.backend_coord(&(x, axis.y(a)));
        let slot_w = px(1.0, 0.5).0 - px(0.0, 0.5).0;
        let plot_bottom = px(0.0, 0.0).1.max(chart.backend_coord(&(0.0, axis.lo)).1);
        for (i, a) in archs.iter().enumerate() {
            let cx = i as f64 + 0.5;
            if let Some(t) = a.objectives.availability.target {
                let (x0, y) = px(i as f64 + 0.1, t);
                let x1 = px(i as f64 + 0.9, t).0;
                style::dashed_hline(root, (x0, x1), y, s.line(&OBJECTIVE, 2.2), s)?;
            }
            let (x, ylo) = px(cx, a.availability.ci95[0]);
            let yhi = px(cx, a.availability.ci95[1]).1;
            let whisker = s.line(&INK, 1.6);
            let cap = s.px(8.0);
            root.draw(&PathElement::new(vec![(x, ylo), (x, yhi)], whisker))?;
            for y in [ylo, yhi] {
                root.draw(&PathElement::new(vec![(x - cap, y), (x + cap, y)], whisker))?;
            }
            let at = px(cx, a.availability.mean);
            let (shape, filled, color) = verdict_marker(a);
            style::marker(root, shape, at, s.px(7.0), &color, filled, s)?;
            let label = percent(a.availability.mean);
            style::boxed_text(root, &label, (at.0 + s.px(14.0), at.1), &s.text(14.0, &INK), HPos::Left, s)?;

            let lines = Availability::slot_lines(a);
            let sizes = [(15.0, INK), (13.0, MUTED), (13.0, MUTED)];
            for (k, (line, (size, color))) in lines.iter().zip(sizes).enumerate() {
                let st = s.text(size, &color);
                let line = style::fit(root, line, &st, slot_w - s.px(8.0))?;
                let y = plot_bottom + s.px(10.0 + 19.0 * k as f64);
                style::text(root, &line, (x, y), &st, HPos::Center, VPos::Top)?;
            }
        }
        let _ = w;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_are_exact_percentages() {
        let t = ticks(2.2, 3.6);
        let labels: Vec<&str> = t.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["99.5%", "99.7%", "99.8%", "99.85%", "99.9%", "99.93%", "99.95%", "99.97%"]);
        assert_eq!(percent(0.998_536_4), "99.854%");
        assert_eq!(percent(0.999_572_19), "99.9572%");
        assert_eq!(percent(1.0), "100%");
    }
}
