//! Turns ron's parse errors into diagnostics with absolute positions and hints.
//!
//! ron reports 1-based lines and character columns relative to the text it parsed. Scenario
//! values are sometimes parsed from a slice of the file (see [`super::spanned`]), so positions
//! are moved by the slice's offset here. The messages are ron's own, which already name the
//! expected alternatives; the hints add a did-you-mean or the usual fix.

use ron::error::{Error, SpannedError};

use crate::diagnostic::{Diagnostic, LineCol, SourceMap, Span, did_you_mean};

/// A diagnostic for `error`, which ron reported while parsing `text`, a slice that starts at
/// byte `base` of the file.
pub fn diagnostic_in(text: &str, base: usize, error: &SpannedError) -> Diagnostic {
    let map = SourceMap::new(text);
    let at = |p: &ron::error::Position| map.offset(LineCol { line: p.line, col: p.col });
    let mut start = at(&error.span.start);
    let end = at(&error.span.end);
    // ron's span for a wrongly typed value starts at the whitespace before it.
    while start < end && text[start..].starts_with(char::is_whitespace) {
        start += text[start..].chars().next().map_or(1, char::len_utf8);
    }
    let hint = hint(&error.code).or_else(|| fields_hint(&error.code, &text[..start]));
    Diagnostic::error(Span::new(base + start, base + end), message(&error.code)).with_hint_opt(hint)
}

/// For a form written without its fields (`passive: Warm`), the form with them, named by the
/// word before the error.
fn fields_hint(code: &Error, before: &str) -> Option<String> {
    if !matches!(code, Error::ExpectedStructLike) {
        return None;
    }
    let word: String = before.trim_end().chars().rev().take_while(|c| c.is_alphanumeric()).collect();
    let example = match word.chars().rev().collect::<String>().as_str() {
        "Warm" => "`Warm(factor: 0.5)`: the fraction of real time a passive member ages at",
        "Exp" => "`Exp(mean: \"2000h\")`",
        "Weibull" => "`Weibull(shape: 1.5, mean: \"2000h\")`",
        "LogNormal" => "`LogNormal(mean: \"4h\", sigma: 1.0)`",
        "Uniform" => "`Uniform(lo: \"1m\", hi: \"5m\")`",
        "HealthCheck" => "`HealthCheck(interval: \"30s\", threshold: 3)`",
        _ => return Some("this form takes its fields in parentheses: `Name(field: value, ..)`".to_string()),
    };
    Some(format!("write {example}"))
}

fn message(code: &Error) -> String {
    match code {
        Error::Eof => "unexpected end of file".to_string(),
        Error::ExpectedDifferentStructName { expected, found } => {
            format!("expected `{expected}(...)` here, found `{found}(...)`")
        }
        Error::Message(m) => m.clone(),
        other => {
            let text = other.to_string();
            // ron's messages are sentences; diagnostics are lower-case phrases.
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

fn hint(code: &Error) -> Option<String> {
    match code {
        Error::NoSuchEnumVariant { expected, found, .. }
        | Error::NoSuchStructField { expected, found, .. } => {
            did_you_mean(found, expected.iter().copied()).map(|s| format!("did you mean `{s}`?"))
        }
        Error::MissingStructField { field, .. } => Some(format!("add `{field}: ...`")),
        Error::DuplicateStructField { field, .. } => Some(format!("remove one of the `{field}` fields")),
        Error::ExpectedComma => Some("separate fields and list items with `,`".to_string()),
        Error::Eof | Error::ExpectedStructLikeEnd | Error::ExpectedArrayEnd | Error::ExpectedMapEnd => {
            Some("a closing `)`, `]` or `}` may be missing".to_string())
        }
        Error::ExpectedDifferentStructName { expected, .. } if expected.starts_with(char::is_uppercase) => {
            Some(format!("write `{expected}(...)` or leave the name out: `(...)`"))
        }
        Error::ExpectedDifferentStructName { .. } => {
            Some("a `)` may close the entry before this too early, or a field is out of place".to_string())
        }
        Error::ExpectedFloat => Some("write a number without quotes, e.g. `1.5` or `3`".to_string()),
        Error::ExpectedInteger => Some("write a whole number without quotes, e.g. `3`".to_string()),
        Error::IntegerOutOfBounds => {
            Some("the number must be a non-negative integer that fits in 64 bits".to_string())
        }
        Error::ExpectedIdentifier => Some(
            "a name such as `Exp`, `Repair`, `All`, `Any`, `AtLeast` or a kind is expected here".to_string(),
        ),
        Error::ExpectedString | Error::ExpectedStringEnd => {
            Some("names and durations are written in double quotes, e.g. \"4h\"".to_string())
        }
        Error::TrailingCharacters => Some("the file must hold exactly one `Scenario(...)`".to_string()),
        _ => None,
    }
}
