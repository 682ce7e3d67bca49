//! Timeline of one replication: a Gantt chart of the service's incidents (top row) and of the
//! component outages and standby phases behind them, over the trace's window.
//!
//! Given a [`Focus`] (the incident chosen by [`crate::report::focus`]), the title says which
//! replication and the subtitle lines which incident (when it began, how long it lasted, its
//! cause, what ended it) and why it was chosen, and two dashed lines mark its start and end across
//! every row. Intervals are rebuilt from the whole event list ([`crate::report::spans`]). A bar that
//! began before the window or ends after it is cut at the edge and says, inside the cut end,
//! when it began (`since 100d 00:00:00`) or ends (`until ...`), where the text fits. Rows are
//! the service, then every component with an interval in the window, in declaration order, at
//! most [`MAX_ROWS`] of them (the incident's cause always among them, a subtitle line counting
//! the others), so that an outage of a zone of 100,000 instances still draws a bounded canvas. A
//! bar narrower than 2 logical pixels is drawn 2 pixels wide, so short outages stay visible on
//! long windows. Kinds differ in fill lightness, hatching and bar height (standby phases are
//! thin bars). Incidents are labelled with their duration where the label fits without
//! touching the next incident.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{self, Entry, Key};
use super::style::{self, DARK, Fill, Hatch, INK, LIGHT, MID, MUTED, NEUTRAL, PALE, Scale, Ticked};
use super::{Chart, ChartError, Format, render};
use crate::report::duration_s;
use crate::report::focus::{Focus, clock};
use crate::report::spans::{self, Kind, Row, Span};
use crate::report::trace::Trace;
use crate::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND};

/// The timeline of `trace`'s replication over `trace.window`; `focus`, when given, is the
/// incident it was drawn for (of the same replication).
pub fn timeline(trace: &Trace<'_>, focus: Option<&Focus>, format: Format) -> Result<Vec<u8>, ChartError> {
    let (from, to) = (trace.window.0.0, trace.window.1.0.min(trace.horizon.0));
    if from >= to {
        return Err(ChartError::NoData("the time window is empty".into()));
    }
    let n = trace.arch.components.len();
    let mut spans: Vec<Span> = spans::rebuild(trace.arch, &trace.events, trace.horizon.0)
        .into_iter()
        .filter(|s| s.from < to && s.to > from)
        .collect();
    // Full-height bars first, thin ones over them; then by start, for a stable drawing order.
    spans.sort_by_key(|s| (look(s.kind).1 < 0.5, s.from, s.to));
    let service = trace.arch.service.index();
    let mut in_view = vec![false; n];
    for span in &spans {
        if let Row::Component(c) = span.row {
            in_view[c] = true;
        }
    }
    let with_spans: Vec<usize> = (0..n).filter(|&c| in_view[c]).collect();
    let shown = shown_rows(&with_spans, focus.map(|f| f.incident.cause.component.index()));
    spans.retain(|s| match s.row {
        Row::Service => true,
        Row::Component(c) => shown.binary_search(&c).is_ok(),
    });
    let hidden = with_spans.len() - shown.len();
    let rows = std::iter::once(Row::Service).chain(shown.into_iter().map(Row::Component)).collect();
    render(&Timeline { trace, focus, window: (from, to), spans, rows, service, hidden }, format)
}

/// Component rows drawn at most, below the service's.
pub const MAX_ROWS: usize = 40;

/// The components drawn, ascending: the first [`MAX_ROWS`] of `with_spans` (ascending), the
/// last of them giving way to `cause` when it has spans and would be left out.
fn shown_rows(with_spans: &[usize], cause: Option<usize>) -> Vec<usize> {
    let mut shown: Vec<usize> = with_spans.iter().copied().take(MAX_ROWS).collect();
    if let Some(c) = cause
        && shown.len() < with_spans.len()
        && with_spans.binary_search(&c).is_ok()
        && shown.binary_search(&c).is_err()
    {
        shown.pop();
        shown.push(c);
    }
    shown
}

/// Kinds in legend order: fill, bar height (share of a row) and legend text.
const KINDS: [(Kind, Fill, f64, &str); 10] = [
    (Kind::Incident, Fill { color: RGBColor(0x8b, 0x1a, 0x1a), hatch: None }, 0.7, "service incident"),
    (Kind::Failure, Fill { color: LIGHT, hatch: None }, 0.7, "random failure"),
    (Kind::StartFailure, Fill { color: LIGHT, hatch: Some(Hatch::Back) }, 0.7, "failed start"),
    (Kind::Injected, Fill { color: PALE, hatch: Some(Hatch::Forward) }, 0.7, "injection"),
    (Kind::Maintenance, Fill { color: NEUTRAL, hatch: Some(Hatch::Back) }, 0.7, "maintenance window"),
    (Kind::BatteryEmpty, Fill { color: NEUTRAL, hatch: Some(Hatch::Cross) }, 0.7, "battery empty"),
    (Kind::DataLost, Fill { color: MID, hatch: None }, 0.7, "dataset without a primary"),
    (Kind::Detecting, Fill { color: NEUTRAL, hatch: None }, 0.3, "standby: detecting"),
    (Kind::Switching, Fill { color: DARK, hatch: None }, 0.3, "standby: switching"),
    (Kind::NoHealthy, Fill { color: MID, hatch: Some(Hatch::Cross) }, 0.7, "standby: no healthy member"),
];

fn look(kind: Kind) -> (Fill, f64, &'static str) {
    let k = KINDS.iter().find(|k| k.0 == kind).expect("every kind has a look");
    (k.1, k.2, k.3)
}

struct Timeline<'a> {
    trace: &'a Trace<'a>,
    focus: Option<&'a Focus>,
    window: (u64, u64),
    /// Intervals that overlap the window, uncut.
    spans: Vec<Span>,
    rows: Vec<Row>,
    service: usize,
    /// Components with an interval in the window left out past [`MAX_ROWS`].
    hidden: usize,
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

    /// The subtitle lines: the incident shown (with a focus), then the run and the window.
    fn subtitles(&self) -> Vec<String> {
        let t = self.trace;
        let (a, b) = self.window;
        let incidents: Vec<&Span> = self.spans.iter().filter(|s| s.kind == Kind::Incident).collect();
        let down: u64 = incidents.iter().map(|s| s.to.min(b) - s.from.max(a)).sum();
        let context = format!(
            "Seed {}, {} to {}; {} incident{} in view, {} down; {}",
            t.seed,
            clock(a),
            clock(b),
            incidents.len(),
            if incidents.len() == 1 { "" } else { "s" },
            if down == 0 { "never".to_string() } else { duration_s(down as f64 / 1000.0) },
            t.scenario.name
        );
        let mut lines = Vec::new();
        if let Some(f) = self.focus {
            let when = f.when();
            let mut first = when.chars();
            let when: String =
                first.next().map(|c| c.to_uppercase().chain(first).collect()).unwrap_or_default();
            lines.push(format!("{when}, cause {}, {}", f.cause(t.arch), f.ended()));
            lines.push(f.reason_text().trim_end_matches('.').to_string());
        }
        lines.push(context);
        if self.hidden > 0 {
            lines.push(format!(
                "{} more component{} with outages in view not drawn (the first {MAX_ROWS} in file order, the cause among them)",
                self.hidden,
                if self.hidden == 1 { "" } else { "s" }
            ));
        }
        lines
    }
}

impl Chart for Timeline<'_> {
    fn size(&self) -> (u32, u32) {
        let extra = if self.focus.is_some() { 40 } else { 0 } + if self.hidden > 0 { 20 } else { 0 };
        (1000, 250 + extra + 34 * self.rows.len() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let s = Scale(scale);
        let t = self.trace;
        let title = format!("Timeline: {}, replication {}", t.arch.name, t.replication);
        let subtitles = self.subtitles();
        let lines: Vec<&str> = subtitles.iter().map(String::as_str).collect();
        let top = frame::titles(root, &title, &lines, s)?;
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
        let (from, to) = self.window;
        let ticks = time_ticks(from, to);
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
                Ticked { lo: x(from), hi: x(to), ticks: ticks.iter().map(|t| t.0).collect() },
                Ticked { lo: 0.0, hi: n as f64, ticks: centres.clone() },
            )?;
        let name_of = |y: &f64| {
            let k = centres.iter().position(|c| (c - y).abs() < 1e-9);
            k.map(|k| names[k].clone()).unwrap_or_default()
        };
        style::house_mesh(&mut chart.configure_mesh(), s)
            .disable_y_mesh()
            .y_label_formatter(&name_of)
            .x_label_formatter(&|v| ticks.iter().find(|t| t.0 == *v).map(|t| t.1.clone()).unwrap_or_default())
            .x_desc("Time since the start of the replication [days, hh:mm]")
            .label_style(label_style.clone())
            .draw()?;

        for k in 1..n {
            let a = chart.backend_coord(&(x(from), k as f64));
            let b = chart.backend_coord(&(x(to), k as f64));
            root.draw(&PathElement::new(vec![a, b], s.line(&style::GRID, 1.0)))?;
        }
        let centre_of = |row: Row| centres[self.rows.iter().position(|&r| r == row).expect("row exists")];
        let min_w = s.px(2.0);
        let mut incident_boxes = Vec::new();
        let mut cut = Vec::new();
        for span in &self.spans {
            let (fill, height, _) = look(span.kind);
            let c = centre_of(span.row);
            let a = chart.backend_coord(&(x(span.from.max(from)), c + height / 2.0));
            let b = chart.backend_coord(&(x(span.to.min(to)), c - height / 2.0));
            let b = (b.0.max(a.0 + min_w), b.1);
            style::fill_rect(root, a, b, fill, s)?;
            if span.kind == Kind::Incident {
                incident_boxes.push((a.0, b.0, (a.1 + b.1) / 2, span.to - span.from));
            }
            if height >= 0.5 && (span.from < from || span.to > to) {
                cut.push((span, a, b));
            }
        }
        self.label_incidents(root, &incident_boxes, chart.backend_coord(&(x(to), 0.0)).0, s)?;
        for (span, a, b) in cut {
            self.label_cut(root, span, a, b, s)?;
        }
        if let Some(f) = self.focus {
            let (y0, y1) =
                (chart.backend_coord(&(x(from), n as f64)).1, chart.backend_coord(&(x(from), 0.0)).1);
            let line = s.line(&look(Kind::Incident).0.color, 1.0);
            for edge in [f.incident.start.0, f.incident.end.0] {
                if edge > from && edge < to {
                    style::dashed_vline(root, chart.backend_coord(&(x(edge), 0.0)).0, (y0, y1), line, s)?;
                }
            }
        }
        if self.spans.is_empty() {
            let at = chart.backend_coord(&((x(from) + x(to)) / 2.0, n as f64 / 2.0));
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

    /// Writes, inside a bar cut at an edge of the window, when it began (`since ...`) at its
    /// left end and when it ends (`until ...`) at its right end, each where it fits.
    fn label_cut<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        span: &Span,
        a: (i32, i32),
        b: (i32, i32),
        s: Scale,
    ) -> Result<(), ChartError> {
        let (from, to) = self.window;
        let style = s.text(12.0, &INK);
        let pad = s.px(8.0);
        let y = (a.1 + b.1) / 2;
        let since = (span.from < from).then(|| format!("since {}", clock(span.from)));
        let until = (span.to > to).then(|| {
            if span.to >= self.trace.horizon.0 {
                "until the horizon".to_string()
            } else {
                format!("until {}", clock(span.to))
            }
        });
        let width = |t: &Option<String>| -> Result<i32, ChartError> {
            Ok(match t {
                Some(t) => style::text_size(root, t, &style)?.0 + 2 * pad,
                None => 0,
            })
        };
        let (ws, wu) = (width(&since)?, width(&until)?);
        // Both where both fit; else the start alone, else the end alone.
        let room = b.0 - a.0;
        let (since, until) = if ws + wu <= room {
            (since, until)
        } else if since.is_some() && ws <= room {
            (since, None)
        } else {
            (None, until.filter(|_| wu <= room))
        };
        if let Some(t) = since {
            style::boxed_text(root, &t, (a.0 + pad, y), &style, HPos::Left, s)?;
        }
        if let Some(t) = until {
            style::boxed_text(root, &t, (b.0 - wu + pad, y), &style, HPos::Left, s)?;
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
