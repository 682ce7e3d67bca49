//! The one error path of the commands: every command returns `Result<ExitCode, Error>`.
//!
//! `Ok` is 0 (done) or 1 (`check`: an objective missed or a regression); every `Err` is bad
//! input or I/O, exit 2, and carries the whole text to print on stderr. Only
//! [`super::main`] prints an error and chooses its exit code, except in the commands that go
//! on after a file fails (`check`, `validate`): they print each file's error through
//! [`print`] as soon as it is found, so that stderr reads in file order, and end with
//! [`Error::Reported`].
//! Warnings, notes and progress are not errors: they are printed where they are found.

use std::path::Path;
use std::process::ExitCode;

/// Why a command stopped with exit 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The text to print on stderr, whole: one or more lines, each ending with a newline
    /// (`FILE: error: what\n  = hint: how\n`, or a scenario's diagnostics).
    Message(String),
    /// Each failed file's error is printed already (by [`print`]); the command ends with 2.
    Reported,
}

impl Error {
    /// An error whose text is `text`, with a newline added when it lacks one.
    pub fn new(text: impl Into<String>) -> Error {
        let mut text = text.into();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Error::Message(text)
    }

    /// `ORIGIN: error: MESSAGE` (the message may go on with `\n  = hint: ...` lines).
    pub fn at(origin: &Path, message: impl std::fmt::Display) -> Error {
        Error::new(format!("{}: error: {message}", origin.display()))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Message(text) => f.write_str(text.trim_end()),
            Error::Reported => f.write_str("errors reported above"),
        }
    }
}

impl std::error::Error for Error {}

/// Exit code 1: `check` found a gated design that missed an objective or regressed.
pub fn failed_check() -> ExitCode {
    ExitCode::from(super::EXIT_FAILED_CHECK)
}

/// Prints `error` on stderr (nothing for [`Error::Reported`]: printed already).
pub fn print(error: &Error) {
    if let Error::Message(text) = error {
        super::output::stderr(text);
    }
}
