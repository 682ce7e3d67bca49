//! Values that remember where they were written.
//!
//! ron reports positions for the errors it finds itself, but serde's data model carries no
//! positions for values that parse fine and are wrong later (an unknown component name, a
//! cycle). [`Spanned<T>`] closes that gap: it deserializes the value as ron's borrowed
//! [`RawValue`], whose text is a slice of the source, so its byte offset is a pointer
//! difference; then it parses that slice as `T`.
//!
//! The pointer difference needs the source's start address, which serde gives no way to pass
//! down, so [`with_source`] installs it in a thread-local *parse context* for the duration of a
//! parse. The same context collects the *deferred* errors of values that fail to parse as `T`
//! (a number where a name belongs): they are recorded with their exact position and the value
//! takes its `Default`, so that parsing goes on and one run reports every such mistake. A
//! parse with deferred errors is rejected as a whole, so the placeholder never reaches the
//! compiler. Outside a context (a plain `ron::from_str`), spans are empty and errors are lost:
//! only [`super::parse_str`] should deserialize these types.

use std::cell::RefCell;

use ron::value::RawValue;
use serde::de::{Deserialize, DeserializeOwned, Deserializer};

use crate::diagnostic::{Diagnostic, Span};

use super::ron_error;

/// A value with the span of its text in the scenario file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spanned<T> {
    /// Where the value was written (comments and whitespace before it excluded).
    pub span: Span,
    /// The value.
    pub value: T,
}

impl<T> Spanned<T> {
    /// A value with an explicit span.
    pub fn new(span: Span, value: T) -> Spanned<T> {
        Spanned { span, value }
    }
}

impl Spanned<String> {
    /// The string, borrowed.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

struct ParseContext {
    base: usize,
    len: usize,
    deferred: Vec<Diagnostic>,
}

thread_local! {
    static CONTEXT: RefCell<Option<ParseContext>> = const { RefCell::new(None) };
}

/// Runs `parse` with `source` installed as the text that spans refer to; returns its result and
/// the deferred errors recorded meanwhile.
pub(crate) fn with_source<R>(source: &str, parse: impl FnOnce() -> R) -> (R, Vec<Diagnostic>) {
    let previous = CONTEXT.with(|c| {
        c.borrow_mut().replace(ParseContext {
            base: source.as_ptr() as usize,
            len: source.len(),
            deferred: Vec::new(),
        })
    });
    let result = parse();
    let context = CONTEXT.with(|c| std::mem::replace(&mut *c.borrow_mut(), previous));
    (result, context.map(|c| c.deferred).unwrap_or_default())
}

/// The byte offset of `slice` in the installed source, if it is a slice of it.
fn offset_of(slice: &str) -> Option<usize> {
    CONTEXT.with(|c| {
        let c = c.borrow();
        let c = c.as_ref()?;
        let at = (slice.as_ptr() as usize).checked_sub(c.base)?;
        (at + slice.len() <= c.len).then_some(at)
    })
}

fn defer(diagnostic: Diagnostic) {
    CONTEXT.with(|c| {
        if let Some(c) = c.borrow_mut().as_mut() {
            c.deferred.push(diagnostic);
        }
    });
}

/// The ron options every scenario text is read with: `IMPLICIT_SOME` (optional fields are
/// written bare).
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Skips whitespace and (nested) comments at the start of a raw value.
fn skip_trivia(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start();
        if let Some(rest) = trimmed.strip_prefix("//") {
            text = rest.find('\n').map_or("", |i| &rest[i..]);
        } else if trimmed.starts_with("/*") {
            let mut depth = 0usize;
            let mut i = 0;
            let bytes = trimmed.as_bytes();
            while i + 1 < bytes.len() {
                match &bytes[i..i + 2] {
                    b"/*" => (depth += 1, i += 2).1,
                    b"*/" => {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => i += 1,
                }
            }
            if depth > 0 {
                return ""; // unclosed: ron reports it; nothing of a value follows
            }
            text = &trimmed[i..];
        } else {
            return trimmed;
        }
    }
}

/// A raw value's text without leading trivia, and its span in the installed source.
pub(crate) struct RawText<'de> {
    pub text: &'de str,
    pub span: Span,
}

impl<'de> RawText<'de> {
    /// Reads the next value of `deserializer` as raw text.
    pub fn read<D: Deserializer<'de>>(deserializer: D) -> Result<RawText<'de>, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        let text = skip_trivia(raw.get_ron()).trim_end();
        let span = offset_of(text).map_or_else(Span::default, |at| Span::new(at, at + text.len()));
        Ok(RawText { text, span })
    }

    /// Parses the text as `T`; a failure is deferred with its absolute position.
    pub fn parse<T: DeserializeOwned>(&self) -> Option<T> {
        match ron_options().from_str::<T>(self.text) {
            Ok(value) => Some(value),
            Err(error) => {
                defer(ron_error::diagnostic_in(self.text, self.span.start, &error));
                None
            }
        }
    }
}

impl<'de, T: DeserializeOwned + Default> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawText::read(deserializer)?;
        let value = raw.parse::<T>().unwrap_or_default();
        Ok(Spanned { span: raw.span, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivia_is_skipped() {
        assert_eq!(skip_trivia("  /* a /* nested */ b */ // line\n  \"x\""), "\"x\"");
        assert_eq!(skip_trivia("// only a comment"), "");
        assert_eq!(skip_trivia("/* unclosed"), "");
    }

    #[test]
    fn spans_point_into_the_source() {
        #[derive(serde::Deserialize)]
        struct Probe {
            name: Spanned<String>,
            weight: Spanned<f64>,
        }
        let source = "(name: /* c */ \"abc\", weight: 2)";
        let (probe, deferred) = with_source(source, || ron_options().from_str::<Probe>(source));
        let probe = probe.unwrap();
        assert!(deferred.is_empty());
        assert_eq!(&source[probe.name.span.start..probe.name.span.end], "\"abc\"");
        assert_eq!(probe.name.value, "abc");
        assert_eq!(probe.weight.value, 2.0);
    }

    #[test]
    fn wrong_types_are_deferred_with_their_position() {
        #[derive(serde::Deserialize)]
        struct Probe {
            a: Spanned<String>,
            b: Spanned<String>,
        }
        let source = "(a: 42,\n b: true)";
        let (probe, deferred) = with_source(source, || ron_options().from_str::<Probe>(source));
        let probe = probe.unwrap();
        assert_eq!((probe.a.value.as_str(), probe.b.value.as_str()), ("", ""), "placeholders");
        assert_eq!(deferred.len(), 2);
        assert_eq!(deferred[0].span.unwrap().start, source.find("42").unwrap());
        assert_eq!(deferred[1].span.unwrap().start, source.find("true").unwrap());
    }
}
