//! Charts: report data in, SVG or PNG bytes out (plotters, embedded font).
//!
//! Owns every picture faultline draws, one file per chart:
//! - [`availability`]: availability per architecture, mean with its 95% CI whisker and the
//!   objective, on an axis spaced by nines and labelled in percent;
//! - [`rto`]: the empirical CDF of incident durations (realised RTO) per architecture on a log
//!   time axis, with the RTO objective;
//! - [`rpo`]: the empirical CDF of the data lost per data-loss event (realised RPO) per
//!   architecture with datasets on a log time axis, unrecoverable events keeping a curve below
//!   100%, with the RPO objective; no chart without a data-loss event;
//! - [`cost`]: each design's cost per year against its downtime per year, labelled (only when
//!   a design has a cost);
//! - [`problems`]: downtime per year by problem (root cause), the top N as horizontal bars, in
//!   a unit shared by every architecture of the report;
//! - [`timeline`]: one incident as a Gantt chart of the service's incidents and the component
//!   outages and standby phases around it, from the trace of its replication that
//!   [`crate::report::focus`] made (the incident, and the window that shows what led to it and
//!   what ended it).
//!
//! [`names`] gives each design's charts a file name of their own.
//!
//! Every renderer is `&data -> Result<Vec<u8>, ChartError>`; only `cli` writes the bytes. The
//! data is the report's ([`ReportData`], from a [`crate::metrics::Report`] or its JSON, whose
//! histograms give the RTO and RPO curves) or a traced replication: nothing here simulates.
//! Decisions:
//! - **No system libraries.** plotters runs without its `ttf` feature; text is laid out with
//!   `ab_glyph` and DejaVu Sans, embedded from `src/chart/fonts/` (licence beside it) and
//!   registered once for `"sans-serif"`. SVG text names `font-family="sans-serif"`: the viewer
//!   supplies the font, so an SVG is small and its layout was measured with DejaVu Sans.
//! - **Sizes.** Every chart has a logical size; SVG is drawn at 1x, PNG at 2x (ab_glyph rounds
//!   glyph advances to whole pixels, which looks uneven at small sizes).
//! - **Determinism.** No timestamp, path or host reaches a chart; the layout uses arithmetic and
//!   `libm` only, so the same input gives the same bytes.
//! - **Greyscale.** Series differ in lightness and in a second channel: marker shape, dash
//!   pattern, hatching or bar height. Legends are drawn in their own strip below the plot, so
//!   they never cover data.
//! - **Bounded canvases.** A chart that compares architectures (availability, RTO, RPO) draws
//!   the first [`MAX_ARCHITECTURES`] in file order, and a line under its title counts the
//!   others (the report and `result.json` have every one); a timeline draws at most
//!   [`timeline::MAX_ROWS`] component rows. A file of 1,000 designs would otherwise make an
//!   availability PNG 380,480 pixels wide.

pub mod availability;
mod cdf;
pub mod cost;
mod frame;
mod input;
pub mod names;
pub mod problems;
pub mod rpo;
pub mod rto;
mod style;
pub mod timeline;

pub use availability::availability;
pub use cost::cost_vs_downtime;
pub use input::{
    ArchitectureData, AvailabilityData, ObjectiveData, ObjectivesData, ProblemData, ReportData, ScenarioName,
    UnrecoverableData,
};
pub use problems::downtime_by_problem;
pub use rpo::rpo_cdf;
pub use rto::rto_cdf;
pub use timeline::timeline;

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

/// DejaVu Sans 2.37 (Bitstream Vera licence, see `fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

/// Architectures a chart comparing them draws at most (the first ones, in the order given).
pub const MAX_ARCHITECTURES: usize = 12;

/// The line under a comparing chart's title when `total` architectures are more than it draws.
fn left_out_note(total: usize) -> Option<String> {
    (total > MAX_ARCHITECTURES).then(|| {
        format!(
            "The first {MAX_ARCHITECTURES} of {} architectures, in file order; the report has every one",
            style::count(total as u64)
        )
    })
}

/// Output format of a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// SVG text (UTF-8 bytes), drawn at the logical size.
    Svg,
    /// PNG image, drawn at twice the logical size.
    Png,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }

    /// Pixels per logical pixel.
    fn scale(self) -> f64 {
        match self {
            Format::Svg => 1.0,
            Format::Png => 2.0,
        }
    }
}

/// Why a chart could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The input has nothing to draw (no architecture, no series).
    #[error("nothing to chart: {0}")]
    NoData(String),
    /// A number in the input is out of its range (an availability outside [0, 1]).
    #[error("invalid chart input: {0}")]
    Invalid(String),
    /// The architecture asked for is not in the report.
    #[error("no architecture named `{0}` in the report")]
    UnknownArchitecture(String),
    /// The report JSON could not be read.
    #[error("cannot read the report JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// plotters failed (a bug: the backends draw into memory).
    #[error("internal error: drawing failed: {0}")]
    Draw(String),
    /// The PNG encoder failed (a bug: it writes into memory).
    #[error("internal error: PNG encoding failed: {0}")]
    Png(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(e.to_string())
    }
}

/// Registers the embedded font for `"sans-serif"`, once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid font (checked by the tests), so this cannot fail.
        let _ = register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
}

/// A chart that can be drawn on any plotters backend.
trait Chart {
    /// Width and height in logical pixels.
    fn size(&self) -> (u32, u32);

    /// Draws on `root`, the whole canvas, at `scale` pixels per logical pixel.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static;
}

/// Draws `chart` in `format`.
fn render<C: Chart>(chart: &C, format: Format) -> Result<Vec<u8>, ChartError> {
    register_fonts();
    let scale = format.scale();
    let (w, h) = chart.size();
    let (w, h) = ((w as f64 * scale) as u32, (h as f64 * scale) as u32);
    match format {
        Format::Svg => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, (w, h)).into_drawing_area();
                root.fill(&WHITE)?;
                chart.draw(&root, scale)?;
                root.present()?;
            }
            Ok(text.into_bytes())
        }
        Format::Png => {
            let mut rgb = vec![0u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
                root.fill(&WHITE)?;
                chart.draw(&root, scale)?;
                root.present()?;
            }
            encode_png(&rgb, w, h)
        }
    }
}

/// An RGB buffer as PNG bytes (no time or text chunks).
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(rgb, w, h, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Png(e.to_string()))?;
    Ok(out)
}
