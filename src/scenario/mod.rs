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

/// Reads a scenario file as UTF-8 text.
pub fn load(path: &std::path::Path) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}
