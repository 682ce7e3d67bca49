//! Downtime by problem: one architecture's root causes as horizontal bars, largest on top.
//!
//! A bar is the problem's downtime per simulated year (its `downtime_h` over the replications
//! it came from divided by those replications x horizon in years: a design's own with a
//! precision, the crude run's beside a rare-event estimate), so it adds up to the report's
//! downtime per year (the crude run's, for a rare-event estimate) and does not grow with the
//! replication count. Every problems chart of one report uses one
//! unit, so designs compare side by side: h/yr, or min/yr when no bar of any architecture
//! (with the same top N) reaches an hour a year, or s/yr when none reaches a minute. The x
//! axis is each chart's own. Problems past the top N are summed into one "other" bar. The fill
//! tells the failure mode (solid for random failures, hatched for injections and the rest), and
//! each bar is labelled with its value, its share of the downtime and its incidents per year.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{self, Entry, Key};
use super::input::{ArchitectureData, ProblemData, ReportData};
use super::style::{self, DARK, Fill, Hatch, INK, LIGHT, MID, MUTED, NEUTRAL, PALE, Scale, Ticked};
use super::{Chart, ChartError, Format, render};

/// The downtime-by-problem chart of `architecture` in `report`, with at most `top` bars for
/// single problems (at least 1) and one more for the rest.
pub fn downtime_by_problem(
    report: &ReportData,
    architecture: &str,
    top: usize,
    format: Format,
) -> Result<Vec<u8>, ChartError> {
    let arch = report.architecture(architecture)?;
    let years = report.simulated_years(arch);
    if years <= 0.0 {
        return Err(ChartError::NoData("the report simulated no time".into()));
    }
    let top = top.max(1);
    let (bars, singles, count) = bars(arch, top);
    let total_h = arch.problems.iter().map(|p| p.downtime_h).sum();
    // The largest bar of the whole report chooses the unit.
    let largest = report
        .architectures
        .iter()
        .flat_map(|a| {
            let years = report.simulated_years(a);
            bars_of(a, top).into_iter().map(move |h| h / years)
        })
        .fold(0.0, f64::max);
    let unit = Unit::for_largest(largest);
    let chart = Problems { report, arch, count, singles, bars, years, total_h, unit };
    render(&chart, format)
}

/// The bars of `arch`: its `top` largest problems and one for the rest; with how many single
/// problems are shown and how many there are.
fn bars(arch: &ArchitectureData, top: usize) -> (Vec<Bar>, usize, usize) {
    let mut problems: Vec<&ProblemData> = arch.problems.iter().collect();
    problems.sort_by(|a, b| b.downtime_h.total_cmp(&a.downtime_h).then_with(|| a.cause.cmp(&b.cause)));
    let mut bars: Vec<Bar> = problems
        .iter()
        .take(top)
        .map(|p| Bar {
            label: p.cause.clone(),
            fill: fill_of(&p.cause),
            hours: p.downtime_h,
            incidents: p.incidents,
        })
        .collect();
    let singles = bars.len();
    let rest = &problems[singles..];
    if !rest.is_empty() {
        bars.push(Bar {
            label: format!("other ({} problem{})", rest.len(), if rest.len() == 1 { "" } else { "s" }),
            fill: OTHER,
            hours: rest.iter().map(|p| p.downtime_h).sum(),
            incidents: rest.iter().map(|p| p.incidents).sum(),
        });
    }
    (bars, singles, problems.len())
}

/// The downtime `[h]` of each bar of `arch`.
fn bars_of(arch: &ArchitectureData, top: usize) -> Vec<f64> {
    bars(arch, top).0.iter().map(|b| b.hours).collect()
}

/// The unit of the bars, per simulated year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Hours,
    Minutes,
    Seconds,
}

impl Unit {
    /// The unit for a largest bar of `hours_per_year`.
    fn for_largest(hours_per_year: f64) -> Unit {
        if hours_per_year >= 1.0 {
            Unit::Hours
        } else if hours_per_year >= 1.0 / 60.0 {
            Unit::Minutes
        } else {
            Unit::Seconds
        }
    }

    /// Units per hour, and the unit's name.
    fn per_hour(self) -> (f64, &'static str) {
        match self {
            Unit::Hours => (1.0, "h/yr"),
            Unit::Minutes => (60.0, "min/yr"),
            Unit::Seconds => (3600.0, "s/yr"),
        }
    }
}

struct Bar {
    label: String,
    fill: Fill,
    /// Over all replications `[h]`.
    hours: f64,
    incidents: u64,
}

struct Problems<'a> {
    report: &'a ReportData,
    arch: &'a ArchitectureData,
    /// Problems in the report.
    count: usize,
    /// Bars of one problem each (the rest are summed in one more bar).
    singles: usize,
    bars: Vec<Bar>,
    years: f64,
    total_h: f64,
    unit: Unit,
}

/// Fills by failure mode (the part of the cause after the last `/`; a component's named modes
/// count as random failures, `injected-<mode>` as injections), with their legend text.
const MODES: [(&str, Fill, &str); 6] = [
    ("failure", Fill { color: DARK, hatch: None }, "random failure"),
    ("injected", Fill { color: PALE, hatch: Some(Hatch::Forward) }, "injection"),
    ("start-failure", Fill { color: LIGHT, hatch: Some(Hatch::Back) }, "failed start"),
    ("battery-empty", Fill { color: NEUTRAL, hatch: Some(Hatch::Cross) }, "battery empty"),
    ("failback", Fill { color: MID, hatch: None }, "failback"),
    // An outage a window caused that a failure joined (a planned one is no problem).
    ("maintenance", Fill { color: NEUTRAL, hatch: Some(Hatch::Back) }, "maintenance window"),
];
const OTHER: Fill = Fill { color: RGBColor(0xee, 0xee, 0xee), hatch: None };

fn fill_of(cause: &str) -> Fill {
    let mode = cause.rsplit('/').next().unwrap_or("");
    // A named failure mode is a random failure; `injected-<mode>` an injection.
    let key = if mode.starts_with("injected") {
        "injected"
    } else if MODES.iter().any(|m| m.0 == mode) {
        mode
    } else {
        "failure"
    };
    MODES.iter().find(|m| m.0 == key).map_or(OTHER, |m| m.1)
}

impl Problems<'_> {
    /// (factor from hours over the run to the unit, the unit's name).
    fn unit(&self) -> (f64, &'static str) {
        let (per_hour, name) = self.unit.per_hour();
        (per_hour / self.years, name)
    }

    fn value_label(&self, b: &Bar) -> String {
        let (factor, unit) = self.unit();
        let share = if self.total_h > 0.0 { b.hours / self.total_h * 100.0 } else { 0.0 };
        let share = if share > 0.0 && share < 0.5 { "<1%".to_string() } else { format!("{share:.0}%") };
        let per_year = b.incidents as f64 / self.years;
        format!(
            "{} {unit} \u{b7} {share} \u{b7} {} incidents/yr",
            style::sig3(b.hours * factor),
            style::sig3(per_year)
        )
    }

    fn legend(&self) -> Vec<Entry> {
        // A fill is in the legend iff some bar is drawn with it.
        let same = |a: Fill, b: Fill| a.color == b.color && a.hatch == b.hatch;
        let mut entries: Vec<Entry> = MODES
            .iter()
            .filter(|m| self.bars.iter().any(|b| same(b.fill, m.1)))
            .map(|m| (Key::Swatch { fill: m.1, height: 1.0 }, m.2.to_string()))
            .collect();
        if self.bars.iter().any(|b| same(b.fill, OTHER)) {
            entries.push((Key::Swatch { fill: OTHER, height: 1.0 }, "others, summed".into()));
        }
        entries
    }
}

impl Chart for Problems<'_> {
    fn size(&self) -> (u32, u32) {
        (960, 230 + 40 * self.bars.len().max(2) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let s = Scale(scale);
        let r = self.report;
        let shown = if self.singles < self.count {
            format!("top {} of {} problems, the rest summed", self.singles, self.count)
        } else {
            format!("{} problem{}", self.count, if self.count == 1 { "" } else { "s" })
        };
        let subtitle = format!(
            "Mean per simulated year over {} replications; {shown}; {}",
            style::count(r.crude_replications(self.arch)),
            r.scenario.name
        );
        let top = frame::title(root, &format!("Downtime by problem: {}", self.arch.name), &subtitle, s)?;
        let entries = self.legend();
        let legend_h = frame::legend_height(root, &entries, s)?;
        let (w, h) = root.dim_in_pixel();
        frame::legend(root, &entries, h as i32 - legend_h, s)?;

        let label_style = s.text(14.0, &INK);
        let max_name = w as i32 * 2 / 5;
        let mut names = Vec::new();
        for b in &self.bars {
            names.push(style::fit(root, &b.label, &label_style, max_name)?);
        }
        let mut name_w = 0;
        for n in &names {
            name_w = name_w.max(style::text_size(root, n, &label_style)?.0);
        }
        let (factor, unit) = self.unit();
        // Room for the value labels: the longest label must fit right of its bar.
        let (margin_l, margin_r) = (s.px(16.0), s.px(24.0));
        let plot_w = w as i32 - margin_l - margin_r - name_w - s.px(20.0);
        let gap = s.px(8.0);
        let mut x_max: f64 = 0.0;
        for b in &self.bars {
            let lw = style::text_size(root, &self.value_label(b), &label_style)?.0;
            let room = (plot_w - gap - lw).max(plot_w / 4) as f64;
            x_max = x_max.max(b.hours * factor * plot_w as f64 / room);
        }
        if x_max <= 0.0 || !x_max.is_finite() {
            x_max = 1.0;
        }
        let x_max = x_max;
        let n = self.bars.len().max(1);
        let centres: Vec<f64> = (0..self.bars.len()).map(|k| n as f64 - k as f64 - 0.5).collect();
        let body = root.margin(top, legend_h, 0, 0);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(margin_l)
            .margin_right(margin_r)
            .margin_top(s.px(4.0))
            .y_label_area_size(name_w + s.px(20.0))
            .x_label_area_size(s.px(56.0))
            .build_cartesian_2d(0f64..x_max, Ticked { lo: 0.0, hi: n as f64, ticks: centres.clone() })?;
        let name_of = |y: &f64| {
            centres
                .iter()
                .position(|c| (c - y).abs() < 1e-9)
                .and_then(|k| names.get(k).cloned())
                .unwrap_or_default()
        };
        style::house_mesh(&mut chart.configure_mesh(), s)
            .disable_y_mesh()
            .y_label_formatter(&name_of)
            .x_label_formatter(&|x| style::tick_label(*x, x_max))
            .x_labels(8)
            .x_desc(format!("Mean downtime per year [{unit}]"))
            .label_style(label_style.clone())
            .draw()?;

        for (b, c) in self.bars.iter().zip(&centres) {
            let v = b.hours * factor;
            let a = chart.backend_coord(&(0.0, c + 0.32));
            let e = chart.backend_coord(&(v, c - 0.32));
            let e = (e.0.max(a.0 + s.px(1.0)), e.1);
            style::fill_rect(root, a, e, b.fill, s)?;
            let at = (e.0 + gap, chart.backend_coord(&(v, *c)).1);
            style::text(root, &self.value_label(b), at, &label_style, HPos::Left, VPos::Center)?;
        }
        if self.bars.is_empty() {
            let at = chart.backend_coord(&(x_max / 2.0, n as f64 / 2.0));
            style::text(root, "no incidents", at, &s.text(18.0, &MUTED), HPos::Center, VPos::Center)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_follows_the_largest_bar() {
        assert_eq!(Unit::for_largest(1.0), Unit::Hours);
        assert_eq!(Unit::for_largest(0.99), Unit::Minutes);
        assert_eq!(Unit::for_largest(1.0 / 60.0), Unit::Minutes);
        assert_eq!(Unit::for_largest(0.9 / 60.0), Unit::Seconds);
        assert_eq!(Unit::for_largest(0.0), Unit::Seconds);
    }
}
