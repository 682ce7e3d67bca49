//! Cost against downtime: each design a point at its mean downtime per year (x) and its mean
//! cost per year (y), labelled with its name: the trade-off a disaster-recovery choice is
//! about (less downtime for more money). No chart when no design has a cost.
//!
//! Both axes start at 0, so distances read as amounts. A design's marker carries its
//! availability verdict as on the availability chart (filled circle met, filled triangle
//! missed, hollow circle no objective). Labels go right of their marker, or left of it near
//! the right edge; designs at nearly the same point stack their labels downwards.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::availability::verdict_marker;
use super::frame::{self, Entry, Key};
use super::input::{ArchitectureData, ReportData};
use super::style::{self, INK, Scale};
use super::{Chart, ChartError, Format, render};

/// The cost-against-downtime chart of `report`'s designs.
pub fn cost_vs_downtime(report: &ReportData, format: Format) -> Result<Vec<u8>, ChartError> {
    for a in &report.architectures {
        if !(a.cost_per_year.is_finite() && a.cost_per_year >= 0.0 && a.downtime_min_per_year >= 0.0) {
            return Err(ChartError::Invalid(format!(
                "`{}`: a cost or a downtime is not a number >= 0",
                a.name
            )));
        }
    }
    let archs = &report.architectures[..report.architectures.len().min(super::MAX_ARCHITECTURES)];
    if !archs.iter().any(|a| a.cost_per_year > 0.0) {
        return Err(ChartError::NoData("no design drawn has a cost".into()));
    }
    render(&Cost { report, archs }, format)
}

struct Cost<'a> {
    report: &'a ReportData,
    archs: &'a [ArchitectureData],
}

impl Cost<'_> {
    fn legend(&self) -> Vec<Entry> {
        let mut entries = Vec::new();
        for (met, label) in [
            (Some(true), "availability objective met"),
            (Some(false), "availability objective missed"),
            (None, "no availability objective"),
        ] {
            if let Some(a) = self.archs.iter().find(|a| a.objectives.availability.met == met) {
                let (shape, filled, color) = verdict_marker(a);
                entries.push((Key::Marker { shape, color, filled }, label.to_string()));
            }
        }
        entries
    }
}

/// The top of an axis showing values up to `max`: 15% of room above, at least 1.
fn axis_top(max: f64) -> f64 {
    if max > 0.0 { max * 1.15 } else { 1.0 }
}

impl Chart for Cost<'_> {
    fn size(&self) -> (u32, u32) {
        let note = if super::left_out_note(self.report.architectures.len()).is_some() { 20 } else { 0 };
        (960, 600 + note)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let s = Scale(scale);
        let lead = "Means per simulated year";
        let top = frame::comparing_titles(root, "Cost against downtime", lead, self.report, s)?;
        let entries = self.legend();
        let legend_h = frame::legend_height(root, &entries, s)?;
        let (w, h) = root.dim_in_pixel();
        frame::legend(root, &entries, h as i32 - legend_h, s)?;

        let x_max = axis_top(self.archs.iter().map(|a| a.downtime_min_per_year).fold(0.0, f64::max));
        let y_max = axis_top(self.archs.iter().map(|a| a.cost_per_year).fold(0.0, f64::max));
        let tick_style = s.text(14.0, &INK);
        let body = root.margin(top, legend_h, 0, 0);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(s.px(16.0))
            .margin_right(s.px(32.0))
            .margin_top(s.px(8.0))
            .y_label_area_size(s.px(96.0))
            .x_label_area_size(s.px(56.0))
            .build_cartesian_2d(0f64..x_max, 0f64..y_max)?;
        style::house_mesh(&mut chart.configure_mesh(), s)
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&|x| style::tick_label(*x, x_max))
            .y_label_formatter(&|y| style::tick_label(*y, y_max))
            .x_desc("Mean downtime per year [min]")
            .y_desc("Mean cost per year [scenario's currency]")
            .label_style(tick_style.clone())
            .draw()?;

        let label_style = s.text(14.0, &INK);
        let right_edge = w as i32 - s.px(32.0);
        let mut placed: Vec<(i32, i32)> = Vec::new();
        for a in self.archs {
            let at = chart.backend_coord(&(a.downtime_min_per_year, a.cost_per_year));
            let (shape, filled, color) = verdict_marker(a);
            style::marker(root, shape, at, s.px(7.0), &color, filled, s)?;
            let label = format!("{} ({})", a.name, crate::report::format::amount(a.cost_per_year));
            let (lw, lh) = style::text_size(root, &label, &label_style)?;
            // Below any label already placed at nearly the same point.
            let mut y = at.1;
            while placed.iter().any(|&(px, py)| (px - at.0).abs() < s.px(40.0) && (py - y).abs() < lh) {
                y += lh + s.px(2.0);
            }
            placed.push((at.0, y));
            let (x, pos) = if at.0 + s.px(14.0) + lw <= right_edge {
                (at.0 + s.px(14.0), HPos::Left)
            } else {
                (at.0 - s.px(14.0), HPos::Right)
            };
            style::text(root, &label, (x, y), &label_style, pos, VPos::Center)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_chart_without_a_cost() {
        let data = super::super::input::tests::one_architecture();
        assert!(matches!(cost_vs_downtime(&data, Format::Svg), Err(ChartError::NoData(_))));
        let mut costly = data.clone();
        costly.architectures[0].cost_per_year = 1200.0;
        let svg = String::from_utf8(cost_vs_downtime(&costly, Format::Svg).unwrap()).unwrap();
        assert!(svg.contains("a (1,200.00)"), "the design is labelled with its cost");
        costly.architectures[0].cost_per_year = f64::NAN;
        assert!(matches!(cost_vs_downtime(&costly, Format::Svg), Err(ChartError::Invalid(_))));
    }
}
