//! Timeline of one replication: a Gantt chart of the service's incidents (top row) and of the
//! component outages and standby phases behind them, over the trace's window.
//!
//! Intervals are rebuilt from the whole event list (an outage that began before the window is
//! shown from the window's start), and anything still open at the end of the trace runs to the
//! horizon. Rows are the service, then every component with an interval in the window, in
//! declaration order. A bar narrower than 2 logical pixels is drawn 2 pixels wide, so short
//! outages stay visible on long windows. Kinds differ in fill lightness, hatching and bar
//! height (standby phases are thin bars). Incidents are labelled with their duration where the
//! label fits without touching the next incident.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{self, Entry, Key};
use super::style::{self, DARK, Fill, Hatch, INK, LIGHT, MID, MUTED, NEUTRAL, PALE, Scale, Ticked};
use super::{Chart, ChartError, Format, render};
use crate::engine::{Label, Mode, TraceKind};
use crate::report::duration_s;
use crate::report::trace::Trace;
use crate::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND};

/// The timeline of `trace`'s replication over `trace.window`.
pub fn timeline(trace: &Trace<'_>, format: Format) -> Result<Vec<u8>, ChartError> {
    let (from, to) = (trace.window.0.0, trace.window.1.0.min(trace.horizon.0));
    if from >= to {
        return Err(ChartError::NoData("the time window is empty".into()));
    }
    let spans = spans(trace, (from, to));
    let service = trace.arch.service.index();
    let mut rows = vec![Row::Service];
    let n = trace.arch.components.len();
    rows.extend((0..n).filter(|&c| spans.iter().any(|s| s.row == Row::Component(c))).map(Row::Component));
    render(&Timeline { trace, window: (from, to), spans, rows, service }, format)
}

/// What a bar shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Incident,
    Failure,
    StartFailure,
    Injected,
    BatteryEmpty,
    Detecting,
    Switching,
    NoHealthy,
}

/// Kinds in legend order: fill, bar height (share of a row) and legend text.
const KINDS: [(Kind, Fill, f64, &str); 8] = [
    (Kind::Incident, Fill { color: RGBColor(0x8b, 0x1a, 0x1a), hatch: None }, 0.7, "service incident"),
    (Kind::Failure, Fill { color: LIGHT, hatch: None }, 0.7, "random failure"),
    (Kind::StartFailure, Fill { color: LIGHT, hatch: Some(Hatch::Back) }, 0.7, "failed start"),
    (Kind::Injected, Fill { color: PALE, hatch: Some(Hatch::Forward) }, 0.7, "injection"),
    (Kind::BatteryEmpty, Fill { color: NEUTRAL, hatch: Some(Hatch::Cross) }, 0.7, "battery empty"),
    (Kind::Detecting, Fill { color: NEUTRAL, hatch: None }, 0.3, "standby: detecting"),
    (Kind::Switching, Fill { color: DARK, hatch: None }, 0.3, "standby: switching"),
    (Kind::NoHealthy, Fill { color: MID, hatch: Some(Hatch::Cross) }, 0.7, "standby: no healthy member"),
];

fn look(kind: Kind) -> (Fill, f64, &'static str) {
    let k = KINDS.iter().find(|k| k.0 == kind).expect("every kind has a look");
    (k.1, k.2, k.3)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    Service,
    Component(usize),
}

/// One bar `[ms]`, clipped to the window.
#[derive(Clone, Copy, Debug)]
struct Span {
    row: Row,
    kind: Kind,
    from: u64,
    to: u64,
}

/// Rebuilds the intervals of `trace` and clips them to `window`.
fn spans(trace: &Trace<'_>, (from, to): (u64, u64)) -> Vec<Span> {
    let n = trace.arch.components.len();
    let mut own: Vec<Option<(u64, Kind)>> = vec![None; n];
    let mut injected: Vec<(u32, u64)> = vec![(0, 0); n];
    let mut battery: Vec<Option<u64>> = vec![None; n];
    let mut group: Vec<Option<(u64, Kind)>> = vec![None; n];
    let mut incident: Option<u64> = None;
    let mut out = Vec::new();
    let mut push = |row, kind, a: u64, b: u64| {
        if a < to && b > from && b > a {
            out.push(Span { row, kind, from: a.max(from), to: b.min(to) });
        }
    };
    for e in &trace.events {
        let (t, c) = (e.at.0, e.component.index());
        let row = Row::Component(c);
        match &e.kind {
            TraceKind::Failed(Mode::Injected | Mode::InjectedNamed(_)) => {
                if injected[c].0 == 0 {
                    injected[c].1 = t;
                }
                injected[c].0 += 1;
            }
            TraceKind::Recovered(Label::InjectionEnd) => {
                injected[c].0 = injected[c].0.saturating_sub(1);
                if injected[c].0 == 0 {
                    push(row, Kind::Injected, injected[c].1, t);
                }
            }
            TraceKind::Failed(Mode::BatteryEmpty) => battery[c] = Some(t),
            TraceKind::Recharged => {
                if let Some(a) = battery[c].take() {
                    push(row, Kind::BatteryEmpty, a, t);
                }
            }
            TraceKind::Failed(mode) => {
                let kind = if *mode == Mode::StartFailure { Kind::StartFailure } else { Kind::Failure };
                own[c] = Some((t, kind));
            }
            // A dataset without a primary is out like a failed component until recovered.
            TraceKind::DataLost { .. } => {
                if own[c].is_none() {
                    own[c] = Some((t, Kind::Failure));
                }
            }
            TraceKind::Recovered(_) => {
                if let Some((a, kind)) = own[c].take() {
                    push(row, kind, a, t);
                }
            }
            TraceKind::DetectionStarted | TraceKind::SwitchStarted { .. } | TraceKind::NoHealthyMember => {
                if let Some((a, kind)) = group[c].take() {
                    push(row, kind, a, t);
                }
                let kind = match e.kind {
                    TraceKind::DetectionStarted => Kind::Detecting,
                    TraceKind::NoHealthyMember => Kind::NoHealthy,
                    _ => Kind::Switching,
                };
                group[c] = Some((t, kind));
            }
            TraceKind::DetectionCancelled | TraceKind::SwitchEnded | TraceKind::SwitchAbandoned => {
                if let Some((a, kind)) = group[c].take() {
                    push(row, kind, a, t);
                }
            }
            TraceKind::ServiceDown { .. } => incident = Some(t),
            TraceKind::ServiceUp { .. } => {
                if let Some(a) = incident.take() {
                    push(Row::Service, Kind::Incident, a, t);
                }
            }
            TraceKind::Detected
            | TraceKind::RepairStarted
            | TraceKind::WaitingForCrew
            | TraceKind::DataRecoveryStarted(_)
            | TraceKind::Resynced { .. } => {}
        }
    }
    let end = trace.horizon.0;
    for c in 0..n {
        let row = Row::Component(c);
        if let Some((a, kind)) = own[c] {
            push(row, kind, a, end);
        }
        if injected[c].0 > 0 {
            push(row, Kind::Injected, injected[c].1, end);
        }
        if let Some(a) = battery[c] {
            push(row, Kind::BatteryEmpty, a, end);
        }
        if let Some((a, kind)) = group[c] {
            push(row, kind, a, end);
        }
    }
    if let Some(a) = incident {
        push(Row::Service, Kind::Incident, a, end);
    }
    // Full-height bars first, thin ones over them; then by start, for a stable drawing order.
    out.sort_by_key(|s| (look(s.kind).1 < 0.5, s.from, s.to));
    out
}

struct Timeline<'a> {
    trace: &'a Trace<'a>,
    window: (u64, u64),
    spans: Vec<Span>,
    rows: Vec<Row>,
    service: usize,
}

/// Tick steps `[ms]`: the smallest that gives at most 8 ticks is used.
const STEPS: [u64; 23] = [
    MS_PER_SECOND,
    5 * MS_PER_SECOND,
    15 * MS_PER_SECOND,
    MS_PER_MINUTE,
    5 * MS_PER_MINUTE,
    15 * MS_PER_MINUTE,
    30 * MS_PER_MINUTE,
    MS_PER_HOUR,
    2 * MS_PER_HOUR,
    3 * MS_PER_HOUR,
    6 * MS_PER_HOUR,
    12 * MS_PER_HOUR,
    MS_PER_DAY,
    2 * MS_PER_DAY,
    5 * MS_PER_DAY,
    10 * MS_PER_DAY,
    20 * MS_PER_DAY,
    50 * MS_PER_DAY,
    100 * MS_PER_DAY,
    200 * MS_PER_DAY,
    500 * MS_PER_DAY,
    1000 * MS_PER_DAY,
    2000 * MS_PER_DAY,
];

/// Ticks `[ms]` on round times in `[from, to]`, labelled like `trace`'s clock: `103d`,
/// `103d 18:00`, `0d 00:00:15`.
fn time_ticks(from: u64, to: u64) -> Vec<(f64, String)> {
    let step = STEPS.iter().copied().find(|&s| (to - from) / s <= 8).unwrap_or(STEPS[STEPS.len() - 1]);
    let label = |t: u64| {
        let (d, h, m, sec) = (
            t / MS_PER_DAY,
            t % MS_PER_DAY / MS_PER_HOUR,
            t % MS_PER_HOUR / MS_PER_MINUTE,
            t % MS_PER_MINUTE / 1000,
        );
        if step % MS_PER_DAY == 0 {
            format!("{d}d")
        } else if step % MS_PER_MINUTE == 0 {
            format!("{d}d {h:02}:{m:02}")
        } else {
            format!("{d}d {h:02}:{m:02}:{sec:02}")
        }
    };
    let first = from.div_ceil(step) * step;
    (first..=to).step_by(step as usize).map(|t| (t as f64, label(t))).collect()
}

/// A time for people, `0` at the start.
fn at(ms: u64) -> String {
    if ms == 0 { "0".into() } else { duration_s(ms as f64 / 1000.0) }
}

impl Timeline<'_> {
    fn name(&self, row: Row) -> String {
        match row {
            Row::Service => format!("service ({})", self.trace.arch.components[self.service].name),
            Row::Component(c) => self.trace.arch.components[c].name.clone(),
        }
    }

    fn legend(&self) -> Vec<Entry> {
        KINDS
            .iter()
            .filter(|k| k.0 == Kind::Incident || self.spans.iter().any(|s| s.kind == k.0))
            .map(|k| (Key::Swatch { fill: k.1, height: k.2 / 0.7 }, k.3.to_string()))
            .collect()
    }

    fn subtitle(&self) -> String {
        let t = self.trace;
        let incidents: Vec<&Span> = self.spans.iter().filter(|s| s.kind == Kind::Incident).collect();
        let down: u64 = incidents.iter().map(|s| s.to - s.from).sum();
        let (a, b) = self.window;
        format!(
            "Seed {}, {} to {}; {} incident{} in view, {} down; {}",
            t.seed,
            at(a),
            at(b),
            incidents.len(),
            if incidents.len() == 1 { "" } else { "s" },
            if down == 0 { "never".to_string() } else { duration_s(down as f64 / 1000.0) },
            t.scenario.name
        )
    }
}

impl Chart for Timeline<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 250 + 34 * self.rows.len() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let s = Scale(scale);
        let t = self.trace;
        let title = format!("Timeline: {}, replication {}", t.arch.name, t.replication);
        let top = frame::title(root, &title, &self.subtitle(), s)?;
        let entries = self.legend();
        let legend_h = frame::legend_height(root, &entries, s)?;
        let (w, h) = root.dim_in_pixel();
        frame::legend(root, &entries, h as i32 - legend_h, s)?;

        let label_style = s.text(14.0, &INK);
        let names: Vec<String> = self.rows.iter().map(|&r| self.name(r)).collect();
        let mut name_w = 0;
        for n in &names {
            name_w = name_w.max(style::text_size(root, n, &label_style)?.0);
        }
        let name_w = name_w.min(w as i32 / 3);
        let ticks = time_ticks(self.window.0, self.window.1);
        let x = |t: u64| t as f64;
        let n = self.rows.len();
        let centres: Vec<f64> = (0..n).map(|k| n as f64 - k as f64 - 0.5).collect();
        let body = root.margin(top, legend_h, 0, 0);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(s.px(16.0))
            .margin_right(s.px(48.0))
            .margin_top(s.px(4.0))
            .y_label_area_size(name_w + s.px(20.0))
            .x_label_area_size(s.px(56.0))
            .build_cartesian_2d(
                Ticked {
                    lo: x(self.window.0),
                    hi: x(self.window.1),
                    ticks: ticks.iter().map(|t| t.0).collect(),
                },
                Ticked { lo: 0.0, hi: n as f64, ticks: centres.clone() },
            )?;
        let name_of = |y: &f64| {
            let k = centres.iter().position(|c| (c - y).abs() < 1e-9);
            k.map(|k| names[k].clone()).unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_label_formatter(&name_of)
            .x_label_formatter(&|v| ticks.iter().find(|t| t.0 == *v).map(|t| t.1.clone()).unwrap_or_default())
            .x_desc("Time since the start of the replication [days, hh:mm]")
            .label_style(label_style.clone())
            .axis_desc_style(s.text(15.0, &INK))
            .light_line_style(WHITE)
            .bold_line_style(style::GRID)
            .axis_style(s.line(&INK, 1.0))
            .set_all_tick_mark_size(s.px(5.0))
            .draw()?;

        let x0 = x(self.window.0);
        for k in 1..n {
            let a = chart.backend_coord(&(x0, k as f64));
            let b = chart.backend_coord(&(x(self.window.1), k as f64));
            root.draw(&PathElement::new(vec![a, b], s.line(&style::GRID, 1.0)))?;
        }
        let centre_of = |row: Row| centres[self.rows.iter().position(|&r| r == row).expect("row exists")];
        let min_w = s.px(2.0);
        let mut incident_boxes = Vec::new();
        for span in &self.spans {
            let (fill, height, _) = look(span.kind);
            let c = centre_of(span.row);
            let a = chart.backend_coord(&(x(span.from), c + height / 2.0));
            let b = chart.backend_coord(&(x(span.to), c - height / 2.0));
            let b = (b.0.max(a.0 + min_w), b.1);
            style::fill_rect(root, a, b, fill, s)?;
            if span.kind == Kind::Incident {
                incident_boxes.push((a.0, b.0, (a.1 + b.1) / 2, span.to - span.from));
            }
        }
        self.label_incidents(root, &incident_boxes, chart.backend_coord(&(x(self.window.1), 0.0)).0, s)?;
        if self.spans.is_empty() {
            let at = chart.backend_coord(&((x0 + x(self.window.1)) / 2.0, n as f64 / 2.0));
            let note = "nothing failed in this window";
            style::boxed_text(root, note, at, &s.text(16.0, &MUTED), HPos::Center, s)?;
        }
        Ok(())
    }
}

impl Timeline<'_> {
    /// Writes each incident's duration right of its bar where it fits before the next one.
    fn label_incidents<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        boxes: &[(i32, i32, i32, u64)],
        right: i32,
        s: Scale,
    ) -> Result<(), ChartError> {
        let style = s.text(13.0, &INK);
        let gap = s.px(4.0);
        for (k, &(_, x1, y, ms)) in boxes.iter().enumerate() {
            let label = duration_s(ms as f64 / 1000.0);
            let lw = style::text_size(root, &label, &style)?.0;
            let next = boxes.get(k + 1).map_or(right, |b| b.0);
            let x = x1 + gap;
            if x + lw + gap <= next.min(right) {
                style::text(root, &label, (x, y), &style, HPos::Left, VPos::Center)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_times() {
        let labels = |a, b| time_ticks(a, b).into_iter().map(|t| t.1).collect::<Vec<_>>();
        let h = MS_PER_HOUR;
        assert_eq!(
            labels(103 * 24 * h + 12 * h, 104 * 24 * h + 12 * h),
            [
                "103d 12:00",
                "103d 15:00",
                "103d 18:00",
                "103d 21:00",
                "104d 00:00",
                "104d 03:00",
                "104d 06:00",
                "104d 09:00",
                "104d 12:00"
            ]
        );
        assert_eq!(
            labels(0, 3650 * MS_PER_DAY),
            ["0d", "500d", "1000d", "1500d", "2000d", "2500d", "3000d", "3500d"]
        );
        assert_eq!(
            labels(0, 20 * MS_PER_SECOND),
            ["0d 00:00:00", "0d 00:00:05", "0d 00:00:10", "0d 00:00:15", "0d 00:00:20"]
        );
    }
}
