//! Diagnostics: what is wrong with a scenario file, where, and how to fix it.
//!
//! Owns [`Span`] (byte offsets into one source text), [`Diagnostic`] and their rendering as
//! `file:line:col: error: message`, followed by the source line with a caret under the span
//! and a `hint:` line when one helps. Lines and columns are 1-based; columns count characters,
//! not bytes, as editors do. Rendering is pure (returns a `String`); only `cli` prints.

use std::fmt::Write as _;

/// A byte range `[start, end)` in one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end: end.max(start) }
    }
}

/// How bad a diagnostic is: errors make the exit code 2, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file is rejected.
    Error,
    /// The file is accepted, but probably not what the author meant.
    Warning,
}

/// One finding about a source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the source; `None` for findings about the file as a whole.
    pub span: Option<Span>,
    /// What is wrong, one line, no trailing period.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
    /// Related places, each printed as its own `file:line:col: note: ...` line.
    pub notes: Vec<(Span, String)>,
    /// A warning that holds for the file's horizon only (a command given another horizon
    /// checks again).
    pub about_horizon: bool,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span: Some(span),
            message: message.into(),
            hint: None,
            notes: Vec::new(),
            about_horizon: false,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            span: Some(span),
            message: message.into(),
            hint: None,
            notes: Vec::new(),
            about_horizon: false,
        }
    }

    /// Adds a hint (`hint: ...` under the message).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint if there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint;
        self
    }

    /// Adds a related place (`note:` line).
    pub fn with_note(mut self, span: Span, note: impl Into<String>) -> Diagnostic {
        self.notes.push((span, note.into()));
        self
    }

    /// Marks a warning that holds for the file's horizon only.
    pub fn about_horizon(mut self) -> Diagnostic {
        self.about_horizon = true;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A 1-based line and character column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// Converts byte offsets to lines and columns and back for one source text.
pub struct SourceMap<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceMap<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> SourceMap<'a> {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceMap { text, line_starts }
    }

    /// The line and column of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let col = self.text[self.line_starts[line]..offset].chars().count() + 1;
        LineCol { line: line + 1, col }
    }

    /// The byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset(&self, at: LineCol) -> usize {
        let Some(&start) = self.line_starts.get(at.line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .take_while(|&(_, c)| c != '\n')
            .map(|(i, _)| start + i)
            .chain(std::iter::once(self.line_end(start)))
            .nth(at.col.saturating_sub(1))
            .unwrap_or_else(|| self.line_end(start))
    }

    fn line_end(&self, start: usize) -> usize {
        self.text[start..].find('\n').map_or(self.text.len(), |i| start + i)
    }

    /// The text of 1-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.line_starts[line - 1];
        let end = self.line_end(start);
        self.text[start..end].trim_end_matches('\r')
    }
}

/// Renders diagnostics of one file, in the order given, as the CLI prints them.
///
/// ```text
/// scenarios/web.ron:14:51: error: unknown component `web-3`
///    |
/// 14 |                 (name: "web", kind: Group, needs: Any(["web-1", "web-3"])),
///    |                                                                  ^^^^^^^
///    = hint: did you mean `web-1`?
/// ```
pub fn render(origin: &str, source: &str, diagnostics: &[Diagnostic]) -> String {
    let map = SourceMap::new(source);
    let mut out = String::new();
    for d in diagnostics {
        render_one(&mut out, origin, &map, d);
    }
    out
}

fn render_one(out: &mut String, origin: &str, map: &SourceMap<'_>, d: &Diagnostic) {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let Some(span) = d.span else {
        let _ = writeln!(out, "{origin}: {level}: {}", d.message);
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
        return;
    };
    let at = map.line_col(span.start);
    let _ = writeln!(out, "{origin}:{}:{}: {level}: {}", at.line, at.col, d.message);
    let line_text = map.line_text(at.line);
    let gutter = at.line.to_string().len();
    let end = map.line_col(span.end);
    let width = if end.line == at.line {
        end.col.saturating_sub(at.col).max(1)
    } else {
        line_text.chars().count().saturating_sub(at.col - 1).max(1)
    };
    let pad: String =
        line_text.chars().take(at.col - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{} | {}", at.line, line_text);
    let _ = writeln!(out, "{:gutter$} | {pad}{}", "", "^".repeat(width));
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "{:gutter$} = hint: {hint}", "");
    }
    for (span, note) in &d.notes {
        let at = map.line_col(span.start);
        let _ = writeln!(out, "{origin}:{}:{}: note: {note}", at.line, at.col);
    }
}

/// Suggests the candidate closest to `wanted` by edit distance, if it is close enough to be a
/// plausible typo (at most a third of the longer name, and at least one edit allowed).
pub fn did_you_mean<'c>(wanted: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(wanted, c);
        let limit = (wanted.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance over characters (optimal string alignment: insertions, deletions,
/// substitutions and swaps of adjacent characters each cost 1), case-insensitive for ASCII.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let substitute = d[(i - 1) * width + j - 1] + usize::from(a[i - 1] != b[j - 1]);
                let mut best = substitute.min(d[(i - 1) * width + j] + 1).min(d[i * width + j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_round_trips() {
        let text = "ab\nçd€x\n\nlast";
        let map = SourceMap::new(text);
        assert_eq!(map.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(map.line_col(3), LineCol { line: 2, col: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(map.line_col(x), LineCol { line: 2, col: 4 });
        assert_eq!(map.offset(LineCol { line: 2, col: 4 }), x);
        assert_eq!(map.line_col(text.len()), LineCol { line: 4, col: 5 });
        assert_eq!(map.offset(LineCol { line: 3, col: 1 }), text.find("\n\n").unwrap() + 1);
        assert_eq!(map.offset(LineCol { line: 9, col: 1 }), text.len());
    }

    #[test]
    fn render_points_at_the_span() {
        let text = "(\n  name: \"web-3\",\n)";
        let start = text.find("\"web-3\"").unwrap();
        let d = Diagnostic::error(Span::new(start, start + 7), "unknown component `web-3`")
            .with_hint("did you mean `web-2`?");
        let out = render("f.ron", text, &[d]);
        assert_eq!(
            out,
            "f.ron:2:9: error: unknown component `web-3`\n  |\n2 |   name: \"web-3\",\n  |         ^^^^^^^\n  = hint: did you mean `web-2`?\n"
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("web-3", ["web-1", "db", "web-2"]), Some("web-1"));
        assert_eq!(did_you_mean("use1-az4", ["use1-az1", "use1"]), Some("use1-az1"));
        assert_eq!(did_you_mean("Weibul", ["Exp", "Weibull"]), Some("Weibull"));
        assert_eq!(did_you_mean("zzz", ["web-1", "db"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("wbe", "web"), 1, "a swap is one edit");
        assert_eq!(did_you_mean("wbe", ["web", "db"]), Some("web"));
    }
}
