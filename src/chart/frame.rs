//! The strips around a plot: the title and subtitle on top, the legend at the bottom.
//!
//! The legend is laid out in centred rows that wrap at the canvas width, in its own strip, so
//! it never covers data; a chart asks for its height first and gives the plot the rest.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ChartError;
use super::style::{Fill, INK, MUTED, Marker, Scale, fill_rect, fit, marker, text, text_size};

/// What a legend entry shows before its text.
#[derive(Clone, Copy, Debug)]
pub enum Key {
    /// A point marker.
    Marker { shape: Marker, color: RGBColor, filled: bool },
    /// A line, dashed or not, with an optional marker in its middle.
    Line { color: RGBColor, dashed: bool, marker: Option<Marker> },
    /// A vertical whisker with caps.
    Whisker(RGBColor),
    /// A filled box; `height` is the share of a full box (thin bars).
    Swatch { fill: Fill, height: f64 },
}

/// Draws a title and a subtitle at the top of `root`, each cut to the width; returns the
/// height used.
pub fn title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    s: Scale,
) -> Result<i32, ChartError> {
    titles(root, title, &[subtitle], s)
}

/// The title of a chart comparing `report`'s architectures: `title`, then `lead` over the run
/// (`Mean and 95% CI over 1,000 replications of 10 y; <scenario>`), then the note on the
/// architectures left out, if any. Returns the height used, as [`titles`].
pub fn comparing_titles<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    lead: &str,
    report: &super::input::ReportData,
    s: Scale,
) -> Result<i32, ChartError> {
    let replications = match report.precision {
        None => super::style::count(report.replications),
        Some(p) => format!(
            "{} to {}",
            super::style::count(report.replications),
            super::style::count(p.max_replications)
        ),
    };
    let until = report
        .precision
        .map_or_else(String::new, |p| format!(" (until ±{}%)", super::style::trim(p.relative * 100.0)));
    let subtitle = format!(
        "{lead} over {replications} replications of {} y{until}; {}",
        super::style::trim(report.horizon_h / 8760.0),
        report.scenario.name
    );
    let rare: Vec<&str> = report
        .architectures
        .iter()
        .filter(|a| a.estimator.as_ref().is_some_and(|e| e.method == "rare"))
        .map(|a| a.name.as_str())
        .collect();
    let rare_note = (!rare.is_empty())
        .then(|| format!("{}: long-run values by rare-event importance sampling", rare.join(", ")));
    let note = super::left_out_note(report.architectures.len());
    let lines: Vec<&str> =
        std::iter::once(subtitle.as_str()).chain(rare_note.as_deref()).chain(note.as_deref()).collect();
    titles(root, title, &lines, s)
}

/// Draws a title and subtitle lines at the top of `root`, each cut to the width; returns the
/// height used (that of [`title`] plus 20 logical pixels a line past the first).
pub fn titles<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitles: &[&str],
    s: Scale,
) -> Result<i32, ChartError> {
    let (w, _) = root.dim_in_pixel();
    let (x, max) = (w as i32 / 2, w as i32 - s.px(24.0));
    let lines = std::iter::once((title, 12.0, s.text(22.0, &INK))).chain(
        subtitles.iter().enumerate().map(|(k, line)| (*line, 42.0 + 20.0 * k as f64, s.text(14.0, &MUTED))),
    );
    for (line, y, style) in lines {
        let line = fit(root, line, &style, max)?;
        text(root, &line, (x, s.px(y)), &style, HPos::Center, VPos::Top)?;
    }
    Ok(s.px(68.0 + 20.0 * subtitles.len().saturating_sub(1) as f64))
}

/// One legend entry: its key and its text.
pub type Entry = (Key, String);

const KEY_W: f64 = 30.0;
const ROW_H: f64 = 24.0;

/// Lays `entries` out in centred rows no wider than `width` pixels; returns each row's entries
/// with their widths.
fn legend_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    width: i32,
    s: Scale,
) -> Result<Vec<Vec<(usize, i32)>>, ChartError> {
    let style = s.text(14.0, &INK);
    let mut rows: Vec<Vec<(usize, i32)>> = vec![Vec::new()];
    let mut used = 0;
    for (i, (_, label)) in entries.iter().enumerate() {
        let w = s.px(KEY_W + 6.0) + text_size(root, label, &style)?.0 + s.px(24.0);
        if used + w > width && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            used = 0;
        }
        rows.last_mut().expect("one row at least").push((i, w));
        used += w;
    }
    Ok(rows)
}

/// The height the legend of `entries` needs, in pixels.
pub fn legend_height<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    s: Scale,
) -> Result<i32, ChartError> {
    if entries.is_empty() {
        return Ok(0);
    }
    let width = root.dim_in_pixel().0 as i32 - s.px(40.0);
    Ok(legend_rows(root, entries, width, s)?.len() as i32 * s.px(ROW_H) + s.px(14.0))
}

/// Draws the legend in rows, centred, with its top at `top` pixels.
pub fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    top: i32,
    s: Scale,
) -> Result<(), ChartError> {
    let full = root.dim_in_pixel().0 as i32;
    let style = s.text(14.0, &INK);
    for (r, row) in legend_rows(root, entries, full - s.px(40.0), s)?.iter().enumerate() {
        let total: i32 = row.iter().map(|(_, w)| w).sum::<i32>() - s.px(24.0);
        let mut x = (full - total) / 2;
        let y = top + s.px(6.0) + r as i32 * s.px(ROW_H) + s.px(ROW_H / 2.0);
        for &(i, w) in row {
            let (key, label) = &entries[i];
            draw_key(root, key, (x, y), s)?;
            text(root, label, (x + s.px(KEY_W + 6.0), y), &style, HPos::Left, VPos::Center)?;
            x += w;
        }
    }
    Ok(())
}

/// Draws a legend key whose left edge is at `at.0`, centred vertically on `at.1`.
fn draw_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    key: &Key,
    (x, y): (i32, i32),
    s: Scale,
) -> Result<(), ChartError> {
    let w = s.px(KEY_W);
    let mid = (x + w / 2, y);
    match *key {
        Key::Marker { shape, color, filled } => marker(root, shape, mid, s.px(5.5), &color, filled, s),
        Key::Line { color, dashed, marker: m } => {
            let style = s.line(&color, 2.2);
            if dashed {
                let dash = w / 5;
                for k in [0, 2, 4] {
                    root.draw(&PathElement::new(vec![(x + k * dash, y), (x + k * dash + dash, y)], style))?;
                }
            } else {
                root.draw(&PathElement::new(vec![(x, y), (x + w, y)], style))?;
            }
            match m {
                Some(shape) => marker(root, shape, mid, s.px(5.0), &color, true, s),
                None => Ok(()),
            }
        }
        Key::Whisker(color) => {
            let style = s.line(&color, 1.6);
            let (h, cap) = (s.px(9.0), s.px(6.0));
            root.draw(&PathElement::new(vec![(mid.0, y - h), (mid.0, y + h)], style))?;
            for yy in [y - h, y + h] {
                root.draw(&PathElement::new(vec![(mid.0 - cap, yy), (mid.0 + cap, yy)], style))?;
            }
            Ok(())
        }
        Key::Swatch { fill, height } => {
            let h = ((s.px(16.0) as f64 * height) as i32).max(s.px(3.0));
            fill_rect(root, (x + s.px(2.0), y - h / 2), (x + w - s.px(2.0), y + h - h / 2), fill, s)
        }
    }
}
