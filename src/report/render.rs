//! The one shape of every output: a command's result implements [`Render`], which lists the
//! formats it has and turns the result into the bytes the command prints, as hyperfine's
//! exporters do (`fn serialize(&results) -> Result<Vec<u8>>`).
//!
//! Each command's `--format` is a clap enum of its own (so a format it has not is refused when
//! the arguments are parsed, with the list of those it has); it maps into [`Format`], and the
//! CLI's unit tests check that every value it accepts is one the result renders. A format
//! asked of a result without it is an [`Error::Unsupported`], never a silent fallback.

use super::check::Findings;
use super::compare::Comparisons;
use super::cutsets::CutSets;
use super::json::NonFinite;
use super::sweep::Sweeps;
use super::trace::Trace;
use crate::metrics::Report;

/// A way to print a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// Lines of text for a terminal or a log.
    Text,
    /// A document for design reviews.
    Markdown,
    /// One row per item, RFC 4180.
    Csv,
    /// The stable machine format.
    Json,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// Why a result could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A number is NaN or infinite (a bug, never printed as `null`).
    #[error(transparent)]
    NonFinite(#[from] NonFinite),
    /// The result has no such format.
    #[error("internal error: no {} output here (there is {})", .asked.name(), names(.formats))]
    Unsupported {
        /// The format asked for.
        asked: Format,
        /// Those the result has.
        formats: &'static [Format],
    },
}

fn names(formats: &[Format]) -> String {
    formats.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
}

/// A result a command prints.
pub trait Render {
    /// The formats it has; the first is the default.
    const FORMATS: &'static [Format];

    /// The text of `format`, or [`Error::Unsupported`] when it is not one of [`Self::FORMATS`].
    fn render(&self, format: Format) -> Result<Vec<u8>, Error>;

    /// The error for a format the result has not.
    fn unsupported(asked: Format) -> Error {
        Error::Unsupported { asked, formats: Self::FORMATS }
    }
}

impl Render for Report {
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json, Format::Csv, Format::Markdown];

    fn render(&self, format: Format) -> Result<Vec<u8>, Error> {
        let text = match format {
            Format::Table => super::table::render(self),
            Format::Json => super::json::render(self)?,
            Format::Csv => super::csv::render(self),
            Format::Markdown => super::markdown::render(self),
            Format::Text => return Err(Self::unsupported(format)),
        };
        Ok(text.into_bytes())
    }
}

impl Render for Comparisons {
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json, Format::Csv, Format::Markdown];

    fn render(&self, format: Format) -> Result<Vec<u8>, Error> {
        let text = match format {
            Format::Table => super::compare::table(self),
            Format::Json => super::compare::json(self)?,
            Format::Csv => super::compare::csv(self),
            Format::Markdown => super::compare::markdown(self),
            Format::Text => return Err(Self::unsupported(format)),
        };
        Ok(text.into_bytes())
    }
}

impl Render for Sweeps<'_> {
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json];

    fn render(&self, format: Format) -> Result<Vec<u8>, Error> {
        let text = match format {
            Format::Table => super::sweep::table(self),
            Format::Json => super::sweep::json(self)?,
            Format::Text | Format::Csv | Format::Markdown => return Err(Self::unsupported(format)),
        };
        Ok(text.into_bytes())
    }
}

impl Render for CutSets<'_> {
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json];

    fn render(&self, format: Format) -> Result<Vec<u8>, Error> {
        let text = match format {
            Format::Text => super::cutsets::text(self),
            Format::Json => super::cutsets::json(self),
            Format::Table | Format::Csv | Format::Markdown => return Err(Self::unsupported(format)),
        };
        Ok(text.into_bytes())
    }
}

impl Render for Trace<'_> {
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json];

    fn render(&self, format: Format) -> Result<Vec<u8>, Error> {
        let text = match format {
            Format::Text => super::trace::render_text(self),
            Format::Json => super::trace::render_json(self),
            Format::Table | Format::Csv | Format::Markdown => return Err(Self::unsupported(format)),
        };
        Ok(text.into_bytes())
    }
}

impl Render for Findings<'_> {
    const FORMATS: &'static [Format] = &[Format::Text];

    fn render(&self, format: Format) -> Result<Vec<u8>, Error> {
        match format {
            Format::Text => Ok(super::check::lines(self).into_bytes()),
            _ => Err(Self::unsupported(format)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Format; 5] = [Format::Table, Format::Text, Format::Markdown, Format::Csv, Format::Json];

    /// Every format of `FORMATS` renders; every other is refused as unsupported.
    fn honoured_or_refused<R: Render>(result: &R) {
        for format in ALL {
            match (R::FORMATS.contains(&format), result.render(format)) {
                (true, Ok(bytes)) => {
                    let text = String::from_utf8(bytes).expect("UTF-8");
                    assert!(text.ends_with('\n'), "{} ends its last line", format.name());
                }
                (false, Err(Error::Unsupported { asked, formats })) => {
                    assert_eq!((asked, formats), (format, R::FORMATS));
                }
                (listed, other) => panic!("{}: listed {listed}, rendered {other:?}", format.name()),
            }
        }
    }

    #[test]
    fn every_result_renders_the_formats_it_lists_and_refuses_the_others() {
        let report = crate::report::fixture::dr_report("");
        honoured_or_refused(&report);
        let cut_sets = [vec!["db".to_string()]];
        honoured_or_refused(&CutSets { architecture: "a", cut_sets: &cut_sets, order: 1 });
        let sweeps = Sweeps { scenario: "s", architectures: &[], duration_s: 3600.0, order: 1, top: 10 };
        honoured_or_refused(&sweeps);
        let downtime = [3.0, 1.0];
        let comparisons = Comparisons {
            header: report.header.clone(),
            metric: "downtime_min_per_year",
            baseline: "a".into(),
            comparisons: vec![crate::compare::compare("a", &downtime, &downtime)],
            recovery: vec![super::super::compare::Recovery::of(
                &report.architectures[0],
                &downtime,
                &downtime,
                0.0,
            )],
            rare: Vec::new(),
        };
        honoured_or_refused(&comparisons);
        let outcome =
            crate::check::Outcome { findings: vec![], unmatched: vec![], single_replication: false };
        honoured_or_refused(&Findings { origin: "f.ron", update: "u", outcome: &outcome, architectures: 1 });
        let system = crate::model::compile_str(&crate::report::fixture::dr().replace("OBJECTIVES", ""))
            .unwrap()
            .system;
        let params = crate::engine::RunParams::of(&system);
        let window = (crate::time::SimTime::ZERO, params.horizon);
        honoured_or_refused(&Trace::of(
            report.header.scenario.clone(),
            &system.architectures[0],
            params,
            0,
            window,
        ));
    }

    #[test]
    fn an_unsupported_format_says_which_there_are() {
        let cut_sets = CutSets { architecture: "a", cut_sets: &[], order: 1 };
        let e = cut_sets.render(Format::Csv).unwrap_err();
        assert_eq!(e.to_string(), "internal error: no csv output here (there is text, json)");
    }
}
