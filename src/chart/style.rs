//! Shared look: scale, fonts, colours, axes with exact ticks, markers, hatching, dashes, numbers.
//!
//! Everything here draws in pixels on a `Shift` area whose origin is the canvas origin (the
//! root area), so a chart can mix plotters' data coordinates (via `backend_coord`) with exact
//! pixel layout. Colours are chosen by lightness first: in greyscale the dark, middle and light
//! tones stay apart, and a second channel (marker, dash, hatch) tells them apart anyway.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartError;

/// Text and lines.
pub const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text.
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
/// Objectives (dashed).
pub const OBJECTIVE: RGBColor = RGBColor(0xb2, 0x18, 0x2b);
/// Dark blue (grey ~25%).
pub const DARK: RGBColor = RGBColor(0x1f, 0x3d, 0x7a);
/// Vermillion (grey ~45%).
pub const MID: RGBColor = RGBColor(0xd5, 0x5e, 0x00);
/// Sky blue (grey ~65%).
pub const LIGHT: RGBColor = RGBColor(0x56, 0xb4, 0xe9);
/// Pale orange (grey ~75%).
pub const PALE: RGBColor = RGBColor(0xf6, 0xc1, 0x73);
/// Neutral light grey (grey ~78%).
pub const NEUTRAL: RGBColor = RGBColor(0xbd, 0xbd, 0xbd);

/// Pixels per logical pixel, and the helpers that use it.
#[derive(Clone, Copy, Debug)]
pub struct Scale(pub f64);

impl Scale {
    /// A logical length in pixels.
    pub fn px(self, v: f64) -> i32 {
        libm::round(v * self.0) as i32
    }

    /// A logical length in pixels, unsigned.
    pub fn upx(self, v: f64) -> u32 {
        self.px(v).max(0) as u32
    }

    /// Text of `size` logical pixels.
    pub fn text(self, size: f64, color: &RGBColor) -> TextStyle<'static> {
        ("sans-serif", size * self.0).into_font().color(color)
    }

    /// A line of `width` logical pixels.
    pub fn line(self, color: &RGBColor, width: f64) -> ShapeStyle {
        color.stroke_width(self.upx(width).max(1))
    }
}

/// The house style of every chart's axes and grid: axis titles at 15 px, no light grid lines,
/// the bold ones in [`GRID`], axes in [`INK`], 5 px tick marks. Each chart adds its labels,
/// formatters and which grid lines it hides.
pub fn house_mesh<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    s: Scale,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType: std::fmt::Debug>,
    Y: Ranged<ValueType: std::fmt::Debug>,
    DB: DrawingBackend,
{
    mesh.axis_desc_style(s.text(15.0, &INK))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .axis_style(s.line(&INK, 1.0))
        .set_all_tick_mark_size(s.px(5.0))
}

/// A linear f64 axis whose ticks are exactly the given values (labelled by the chart's
/// formatter). plotters' `with_key_points` does the same but loses the f64 formatter.
#[derive(Clone, Debug)]
pub struct Ticked {
    /// Value at the start of the axis.
    pub lo: f64,
    /// Value at the end of the axis.
    pub hi: f64,
    /// Tick values.
    pub ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = (value - self.lo) / (self.hi - self.lo);
        limit.0 + libm::round(share * f64::from(limit.1 - limit.0)) as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// A point marker; shapes differ so series survive greyscale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Circle.
    Circle,
    /// Square.
    Square,
    /// Triangle, point up.
    Triangle,
    /// Diamond.
    Diamond,
}

/// Diagonal line patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hatch {
    /// `/` lines.
    Forward,
    /// `\` lines.
    Back,
    /// Both.
    Cross,
}

/// How an area is filled.
#[derive(Clone, Copy, Debug)]
pub struct Fill {
    /// Background colour.
    pub color: RGBColor,
    /// Lines over it (in [`INK`]).
    pub hatch: Option<Hatch>,
}

/// `text`'s width and height in pixels.
pub fn text_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
) -> Result<(i32, i32), ChartError> {
    let (w, h) = root.estimate_text_size(text, style)?;
    Ok((w as i32, h as i32))
}

/// Draws `text` anchored at `at` (pixels).
pub fn text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    style: &TextStyle<'_>,
    h: HPos,
    v: VPos,
) -> Result<(), ChartError> {
    root.draw(&Text::new(text.to_string(), at, style.pos(Pos::new(h, v))))?;
    Ok(())
}

/// Draws `text` vertically centred at `at` on a white box, so lines behind it do not cross
/// it; `h` is where `at` is horizontally: the text's left end or its centre.
pub fn boxed_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    label: &str,
    at: (i32, i32),
    style: &TextStyle<'_>,
    h: HPos,
    s: Scale,
) -> Result<(), ChartError> {
    let (w, ht) = text_size(root, label, style)?;
    let pad = s.px(3.0);
    let left = if matches!(h, HPos::Center) { at.0 - w / 2 } else { at.0 };
    root.draw(&Rectangle::new(
        [(left - pad, at.1 - ht / 2 - pad), (left + w + pad, at.1 + ht / 2 + pad)],
        WHITE.mix(0.85).filled(),
    ))?;
    text(root, label, (left, at.1), style, HPos::Left, VPos::Center)
}

/// Draws a marker of radius `r` pixels centred at `at`.
pub fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    shape: Marker,
    at: (i32, i32),
    r: i32,
    color: &RGBColor,
    filled: bool,
    s: Scale,
) -> Result<(), ChartError> {
    let style = if filled { color.filled() } else { s.line(color, 1.6) };
    let (x, y) = at;
    match shape {
        Marker::Circle => {
            root.draw(&Circle::new(at, r, style))?;
        }
        Marker::Square => {
            let r = r * 9 / 10;
            root.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], style))?;
        }
        Marker::Triangle => {
            let pts = vec![(x, y - r - r / 5), (x + r, y + r * 4 / 5), (x - r, y + r * 4 / 5)];
            polygon(root, pts, style)?;
        }
        Marker::Diamond => {
            let r = r * 6 / 5;
            polygon(root, vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)], style)?;
        }
    }
    if !filled {
        // An outline marker is hollow: white inside, so a line under it does not show through.
        let inner = (r - s.px(1.6)).max(1);
        if shape == Marker::Circle {
            root.draw(&Circle::new(at, inner, WHITE.filled()))?;
        }
    }
    Ok(())
}

fn polygon<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    mut pts: Vec<(i32, i32)>,
    style: ShapeStyle,
) -> Result<(), ChartError> {
    if style.filled {
        root.draw(&Polygon::new(pts, style))?;
    } else {
        pts.push(pts[0]);
        root.draw(&PathElement::new(pts, style))?;
    }
    Ok(())
}

/// Fills the pixel rectangle spanned by `a` and `b`, hatches it and outlines it.
pub fn fill_rect<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    a: (i32, i32),
    b: (i32, i32),
    fill: Fill,
    s: Scale,
) -> Result<(), ChartError> {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.color.filled()))?;
    if let Some(hatch) = fill.hatch {
        let gap = s.px(6.0).max(3);
        let style = s.line(&INK, 0.9);
        if matches!(hatch, Hatch::Forward | Hatch::Cross) {
            hatch_lines(root, (x0, y0, x1, y1), gap, false, style)?;
        }
        if matches!(hatch, Hatch::Back | Hatch::Cross) {
            hatch_lines(root, (x0, y0, x1, y1), gap, true, style)?;
        }
    }
    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], s.line(&INK, 0.8)))?;
    Ok(())
}

/// 45-degree lines clipped to the rectangle. Lines sit on a grid fixed to the canvas, so the
/// hatching of neighbouring boxes lines up.
fn hatch_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    gap: i32,
    back: bool,
    style: ShapeStyle,
) -> Result<(), ChartError> {
    // Forward: x + y = c ("/" on screen, y pointing down). Back: x - y = c.
    let (lo, hi) = if back { (x0 - y1, x1 - y0) } else { (x0 + y0, x1 + y1) };
    let mut c = lo.div_euclid(gap) * gap;
    while c <= hi {
        let (xa, xb) =
            if back { ((c + y0).max(x0), (c + y1).min(x1)) } else { ((c - y1).max(x0), (c - y0).min(x1)) };
        if xa < xb {
            let y = |x: i32| if back { x - c } else { c - x };
            root.draw(&PathElement::new(vec![(xa, y(xa)), (xb, y(xb))], style))?;
        }
        c += gap;
    }
    Ok(())
}

/// The dashes `[from, to)` of a dashed line over `[a, b]`, spaced so that the line starts and
/// ends with a whole dash.
fn dashes(a: i32, b: i32, s: Scale) -> Vec<(i32, i32)> {
    let (dash, gap) = (s.px(7.0).max(2), s.px(4.0).max(1));
    let len = b - a;
    if len <= dash {
        return vec![(a, b)];
    }
    let n = ((len + gap) / (dash + gap)).max(2);
    // n dashes, n - 1 gaps, stretched to fill the length exactly.
    let period = f64::from(len - dash) / f64::from(n - 1);
    (0..n).map(|k| a + libm::round(period * f64::from(k)) as i32).map(|x| (x, x + dash)).collect()
}

/// A dashed horizontal line from `x0` to `x1` at `y` (pixels).
pub fn dashed_hline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x0, x1): (i32, i32),
    y: i32,
    style: ShapeStyle,
    s: Scale,
) -> Result<(), ChartError> {
    for (a, b) in dashes(x0, x1, s) {
        root.draw(&PathElement::new(vec![(a, y), (b, y)], style))?;
    }
    Ok(())
}

/// A dashed vertical line from `y0` to `y1` at `x` (pixels).
pub fn dashed_vline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    (y0, y1): (i32, i32),
    style: ShapeStyle,
    s: Scale,
) -> Result<(), ChartError> {
    for (a, b) in dashes(y0, y1, s) {
        root.draw(&PathElement::new(vec![(x, a), (x, b)], style))?;
    }
    Ok(())
}

/// `label` cut with an ellipsis to at most `max` pixels wide.
pub fn fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    label: &str,
    style: &TextStyle<'_>,
    max: i32,
) -> Result<String, ChartError> {
    if text_size(root, label, style)?.0 <= max {
        return Ok(label.to_string());
    }
    let chars: Vec<char> = label.chars().collect();
    for keep in (1..chars.len()).rev() {
        let cut: String = chars[..keep].iter().collect::<String>() + "\u{2026}";
        if text_size(root, &cut, style)?.0 <= max {
            return Ok(cut);
        }
    }
    Ok("\u{2026}".to_string())
}

pub use crate::report::format::count;

/// A number with at most three decimals and no trailing zeros: `195`, `12.5`, `0.125`.
pub fn trim(v: f64) -> String {
    let text = format!("{v:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".into() } else { text.to_string() }
}

/// A value with three significant digits, no exponent: `0.0123`, `1.50`, `2,830`.
pub fn sig3(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v >= 999.5 {
        return count(libm::round(v) as u64);
    }
    let digits = libm::floor(libm::log10(v.abs())) as i32;
    let decimals = (2 - digits).max(0) as usize;
    format!("{v:.decimals$}")
}

/// An axis label with as many decimals as ticks on an axis to `x_max` need (about 8 ticks),
/// trailing zeros dropped: `0.0005`, `12.5`, `200`.
pub fn tick_label(v: f64, x_max: f64) -> String {
    let step = x_max / 8.0;
    let decimals = if step > 0.0 { (2 - libm::floor(libm::log10(step)) as i32).clamp(0, 12) } else { 0 };
    let text = format!("{v:.*}", decimals as usize);
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" { "0".into() } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_have_the_decimals_the_axis_needs() {
        assert_eq!(tick_label(5.0, 40.0), "5");
        assert_eq!(tick_label(12.5, 100.0), "12.5");
        assert_eq!(tick_label(0.0005, 0.004), "0.0005");
        assert_eq!(tick_label(0.001, 0.004), "0.001");
        assert_eq!(tick_label(0.0, 0.004), "0");
        assert_eq!(tick_label(2000.0, 8000.0), "2000");
    }

    #[test]
    fn numbers() {
        assert_eq!(count(15_809), "15,809");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(sig3(0.012_34), "0.0123");
        assert_eq!(sig3(1.5), "1.50");
        assert_eq!(sig3(45.14), "45.1");
        assert_eq!(sig3(2830.2), "2,830");
        assert_eq!(trim(195.0), "195");
        assert_eq!(trim(12.5), "12.5");
        assert_eq!(trim(0.125), "0.125");
        assert_eq!(trim(-0.0001), "0");
    }

    #[test]
    fn dashes_start_and_end_whole() {
        let d = dashes(10, 100, Scale(1.0));
        assert_eq!(d.first(), Some(&(10, 17)));
        assert_eq!(d.last(), Some(&(93, 100)));
        assert!(d.windows(2).all(|w| w[1].0 > w[0].1));
    }
}
