//! Writing to stdout and stderr, and reading scenario files with diagnostics.

use std::io::{self, Write};
use std::path::Path;

use super::Error;
use crate::diagnostic;
use crate::model::{self, Compiled};
use crate::report::render::{Format, Render};

/// Writes `bytes` to stdout. A closed pipe is not an error: the reader has what it wanted.
pub fn stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Prints `text` on stdout: exit 0, or the error when it cannot be written.
pub fn print(text: &str) -> Result<std::process::ExitCode, Error> {
    print_bytes(text.as_bytes())
}

fn print_bytes(bytes: &[u8]) -> Result<std::process::ExitCode, Error> {
    stdout(bytes)
        .map(|()| std::process::ExitCode::SUCCESS)
        .map_err(|e| Error::new(format!("error: cannot write to stdout: {e}")))
}

/// Prints `result` in `format` on stdout: exit 0, or why it could not be rendered or written.
pub fn render<R: Render>(result: &R, format: impl Into<Format>) -> Result<std::process::ExitCode, Error> {
    let bytes = result.render(format.into()).map_err(|e| Error::new(format!("error: {e}")))?;
    print_bytes(&bytes)
}

/// `impl From<$flag> for report::render::Format` for a command's `--format` enum, whose
/// variants are named as `Format`'s.
macro_rules! format_flag {
    ($flag:ident { $($variant:ident),+ $(,)? }) => {
        impl From<$flag> for $crate::report::render::Format {
            fn from(flag: $flag) -> Self {
                match flag {
                    $($flag::$variant => $crate::report::render::Format::$variant,)+
                }
            }
        }
    };
}
pub(crate) use format_flag;

/// Worker threads per core at most. Each worker keeps its own simulators (buffers the size of
/// the architecture), so a `--threads 1000` on a large model would take gigabytes for no
/// speed: the work is CPU-bound and results are identical for any thread count.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The worker pool of `--threads` (none: one per core), capped at [`MAX_THREADS_PER_CORE`]
/// per core with a note on stderr.
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = cores.saturating_mul(MAX_THREADS_PER_CORE);
    let threads = match threads {
        Some(asked) if asked > most => {
            stderr(&format!(
                "note: --threads {asked} capped at {most} ({MAX_THREADS_PER_CORE} per core, {cores} core{}); results are identical for any thread count\n",
                if cores == 1 { "" } else { "s" }
            ));
            most
        }
        other => other.unwrap_or(0),
    };
    crate::runner::thread_pool(threads)
        .map_err(|e| Error::new(format!("error: cannot start worker threads: {e}")))
}

/// Writes `text` to stderr, ignoring errors (there is nowhere left to report them).
pub fn stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// A scenario file read and compiled, its warnings printed; or its diagnostics (warnings
/// included) as the error.
pub fn compile_file(path: &Path) -> Result<Compiled, Error> {
    compile_file_with(path, true)
}

/// As [`compile_file`]; with `horizon_warnings` false, the warnings that hold for the file's
/// horizon only are not printed (the caller checks again against a `--horizon`).
pub fn compile_file_with(path: &Path, horizon_warnings: bool) -> Result<Compiled, Error> {
    let origin = path.display().to_string();
    let text = match crate::scenario::read_capped(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return Err(Error::new(format!(
                    "{origin}: error: not UTF-8 text (invalid byte at offset {})\n  = hint: save the scenario as UTF-8\n",
                    e.utf8_error().valid_up_to()
                )));
            }
        },
        Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
            return Err(Error::new(format!(
                "{origin}: error: cannot read the file: {e}\n  = hint: a scenario is RON text (100,000 components take about 7 MB); check the path\n"
            )));
        }
        Err(e) => return Err(Error::new(format!("{origin}: error: cannot read the file: {e}\n"))),
    };
    // A byte-order mark (some Windows editors write one) is not part of the scenario.
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    match model::compile_str(&text) {
        Ok(compiled) => {
            let shown: Vec<diagnostic::Diagnostic> =
                compiled.warnings.iter().filter(|d| horizon_warnings || !d.about_horizon).cloned().collect();
            stderr(&diagnostic::render(&origin, &text, &shown));
            Ok(compiled)
        }
        Err(diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            Err(Error::Message(format!(
                "{}{origin}: {errors} error{}\n",
                diagnostic::render(&origin, &text, &diagnostics),
                if errors == 1 { "" } else { "s" }
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;
    use crate::metrics::Report;
    use crate::report::{
        check::Findings, compare::Comparisons, cutsets::CutSets, sweep::Sweeps, trace::Trace,
    };

    /// Every value a command's `--format` accepts is one its result renders.
    fn accepted_are_rendered<F: ValueEnum + Copy + Into<Format>, R: Render>() {
        for flag in F::value_variants() {
            let format: Format = (*flag).into();
            assert!(R::FORMATS.contains(&format), "{} is accepted but not rendered", format.name());
        }
    }

    #[test]
    fn every_format_a_command_accepts_is_honoured() {
        accepted_are_rendered::<super::super::run::Format, Report>();
        accepted_are_rendered::<super::super::run::Format, Comparisons>();
        accepted_are_rendered::<super::super::sweep::Format, Sweeps<'_>>();
        accepted_are_rendered::<super::super::cutsets::Format, CutSets<'_>>();
        accepted_are_rendered::<super::super::trace::Format, Trace<'_>>();
        assert_eq!(<Findings<'_> as Render>::FORMATS, [Format::Text], "check has no --format");
    }
}
