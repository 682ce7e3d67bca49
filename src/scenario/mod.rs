//! The scenario file as written: serde schema, source spans, parse diagnostics.
//!
//! Owns the first stage of the pipeline: text in, [`Scenario`] out, with no semantics beyond
//! what the grammar fixes. Names, durations and numbers the compiler must check keep their
//! [`Spanned`] position, so that `model` can report semantic errors at the offending text.
//! [`parse_str`] is the tested core; [`load`] only reads the file.

mod dist_expr;
mod ron_error;
mod schema;
mod spanned;
mod target_expr;

pub use dist_expr::{DistExpr, DistForm, DistSpec};
pub use schema::*;
pub use spanned::{Spanned, ron_options};
pub use target_expr::{TargetExpr, TargetForm, TargetSpec};

use crate::diagnostic::Diagnostic;

/// Parses a scenario text. On failure, returns every diagnostic found: a syntax or schema error
/// stops ron, so there is one of those at most, plus every deferred value error (see
/// [`spanned`]).
pub fn parse_str(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let (parsed, mut deferred) = spanned::with_source(text, || ron_options().from_str::<Scenario>(text));
    match parsed {
        Ok(scenario) if deferred.is_empty() => Ok(scenario),
        Ok(_) => Err(deferred),
        Err(error) => {
            deferred.push(ron_error::diagnostic_in(text, 0, &error));
            deferred.sort_by_key(|d| d.span.map(|s| s.start));
            Err(deferred)
        }
    }
}

/// The most bytes an input file (a scenario, a result) may hold: 64 MiB. A scenario of
/// 100,000 components takes about 7 MB; anything past the limit is the wrong file, or one that
/// never ends (`/dev/zero`, a pipe left open), which would otherwise be read until memory runs
/// out.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads the bytes of `path`, at most [`MAX_FILE_BYTES`]: a longer file is an error of kind
/// `FileTooLarge`, found after reading one byte past the limit, however long the file is.
pub fn read_capped(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("larger than {} MiB, the most an input file may hold", MAX_FILE_BYTES >> 20),
        ));
    }
    Ok(bytes)
}

/// Reads a scenario file as UTF-8 text (at most [`MAX_FILE_BYTES`]).
pub fn load(path: &std::path::Path) -> std::io::Result<String> {
    String::from_utf8(read_capped(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
}
