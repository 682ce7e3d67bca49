//! Writing to stdout and stderr, and reading scenario files with diagnostics.

use std::io::{self, Write};
use std::path::Path;

use crate::diagnostic;
use crate::model::{self, Compiled};

/// Writes `bytes` to stdout. A closed pipe is not an error: the reader has what it wanted.
pub fn stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Prints `text` on stdout and returns the exit code: 0, or 2 (reported) if it cannot be
/// written.
pub fn print(text: &str) -> u8 {
    match stdout(text.as_bytes()) {
        Ok(()) => super::EXIT_OK,
        Err(e) => {
            stderr(&format!("error: cannot write to stdout: {e}\n"));
            super::EXIT_BAD_INPUT
        }
    }
}

/// Worker threads per core at most. Each worker keeps its own simulators (buffers the size of
/// the architecture), so a `--threads 1000` on a large model would take gigabytes for no
/// speed: the work is CPU-bound and results are identical for any thread count.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The worker pool of `--threads` (none: one per core), capped at [`MAX_THREADS_PER_CORE`]
/// per core with a note on stderr; `None` once the failure is reported.
pub fn pool(threads: Option<usize>) -> Option<rayon::ThreadPool> {
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
    match crate::runner::thread_pool(threads) {
        Ok(pool) => Some(pool),
        Err(e) => {
            stderr(&format!("error: cannot start worker threads: {e}\n"));
            None
        }
    }
}

/// Writes `text` to stderr, ignoring errors (there is nowhere left to report them).
pub fn stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// A scenario file read and compiled; diagnostics (warnings included) already printed.
pub fn compile_file(path: &Path) -> Option<Compiled> {
    compile_file_with(path, true)
}

/// As [`compile_file`]; with `horizon_warnings` false, the warnings that hold for the file's
/// horizon only are not printed (the caller checks again against a `--horizon`).
pub fn compile_file_with(path: &Path, horizon_warnings: bool) -> Option<Compiled> {
    let origin = path.display().to_string();
    let text = match crate::scenario::read_capped(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                stderr(&format!(
                    "{origin}: error: not UTF-8 text (invalid byte at offset {})\n  = hint: save the scenario as UTF-8\n",
                    e.utf8_error().valid_up_to()
                ));
                return None;
            }
        },
        Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
            stderr(&format!(
                "{origin}: error: cannot read the file: {e}\n  = hint: a scenario is RON text (100,000 components take about 7 MB); check the path\n"
            ));
            return None;
        }
        Err(e) => {
            stderr(&format!("{origin}: error: cannot read the file: {e}\n"));
            return None;
        }
    };
    // A byte-order mark (some Windows editors write one) is not part of the scenario.
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    match model::compile_str(&text) {
        Ok(compiled) => {
            let shown: Vec<diagnostic::Diagnostic> =
                compiled.warnings.iter().filter(|d| horizon_warnings || !d.about_horizon).cloned().collect();
            stderr(&diagnostic::render(&origin, &text, &shown));
            Some(compiled)
        }
        Err(diagnostics) => {
            stderr(&diagnostic::render(&origin, &text, &diagnostics));
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            stderr(&format!("{origin}: {errors} error{}\n", if errors == 1 { "" } else { "s" }));
            None
        }
    }
}
