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

/// The worker pool of `--threads` (none: one per core); `None` once the failure is reported.
pub fn pool(threads: Option<usize>) -> Option<rayon::ThreadPool> {
    match crate::runner::thread_pool(threads.unwrap_or(0)) {
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
    let text = match std::fs::read(path) {
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
