//! Diagnostics: what is wrong with a scenario file, where, and how to fix it.
//!
//! Owns [`Span`] (byte offsets into one source text), [`Diagnostic`] and their rendering as
//! `file:line:col: error: message`, followed by the source line with a caret under the span
//! and a `hint:` line when one helps. Lines and columns are 1-based; columns count characters,
//! not bytes, as editors do. Rendering is pure (returns a `String`); only `cli` prints.
//!
//! Decisions where the contract is silent, so that output stays small and linear in the
//! input whatever the file:
//! - At most [`MAX_SHOWN`] diagnostics are printed per file, in the order given; one closing
//!   line counts the rest (`and 15900 more errors not shown`).
//! - A source line longer than [`MAX_LINE_COLUMNS`] characters is clipped to a window of that
//!   width around the caret, `…` marking each cut, so a 133 KB line of names is not reprinted
//!   under each of its errors (most lines written by hand are shorter and print whole).
//! - Control characters (an escape sequence in a comment, a name written with `\u{1b}`) never
//!   reach the terminal: in a message, hint or note each is written as RON writes it in a
//!   string (`\u{1b}`), and in the source line as `�`, one column, so the caret stays
//!   aligned (a tab is kept there, as editors show it).

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

/// Diagnostics printed per file; the others are counted in one closing line.
pub const MAX_SHOWN: usize = 100;

/// Characters of a source line shown under a diagnostic; a longer line is clipped around the
/// caret.
pub const MAX_LINE_COLUMNS: usize = 160;

/// Characters shown before the caret's start in a clipped line, so that it reads in context.
const CONTEXT_BEFORE: usize = 60;

/// Renders diagnostics of one file, in the order given, as the CLI prints them: the first
/// [`MAX_SHOWN`], then a line counting the others.
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
    for d in diagnostics.iter().take(MAX_SHOWN) {
        render_one(&mut out, origin, &map, d);
    }
    let rest = diagnostics.get(MAX_SHOWN..).unwrap_or_default();
    if !rest.is_empty() {
        let errors = rest.iter().filter(|d| d.is_error()).count();
        let counted = |n: usize, what: &str| format!("{n} more {what}{}", if n == 1 { "" } else { "s" });
        let what = match (errors, rest.len() - errors) {
            (e, 0) => counted(e, "error"),
            (0, w) => counted(w, "warning"),
            (e, w) => format!("{} and {}", counted(e, "error"), counted(w, "warning")),
        };
        let _ = writeln!(out, "{origin}: and {what} not shown (the first {MAX_SHOWN} are)");
    }
    out
}

fn render_one(out: &mut String, origin: &str, map: &SourceMap<'_>, d: &Diagnostic) {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let Some(span) = d.span else {
        let _ = writeln!(out, "{origin}: {level}: {}", escape_controls(&d.message));
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = hint: {}", escape_controls(hint));
        }
        return;
    };
    let at = map.line_col(span.start);
    let _ = writeln!(out, "{origin}:{}:{}: {level}: {}", at.line, at.col, escape_controls(&d.message));
    let line_text = map.line_text(at.line);
    let gutter = at.line.to_string().len();
    let end = map.line_col(span.end);
    let width = if end.line == at.line {
        end.col.saturating_sub(at.col).max(1)
    } else {
        line_text.chars().count().saturating_sub(at.col - 1).max(1)
    };
    let excerpt = Excerpt::new(line_text, at.col - 1, width);
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{} | {}", at.line, excerpt.text);
    let _ = writeln!(out, "{:gutter$} | {}{}", "", excerpt.pad, "^".repeat(excerpt.carets));
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "{:gutter$} = hint: {}", "", escape_controls(hint));
    }
    for (span, note) in &d.notes {
        let at = map.line_col(span.start);
        let _ = writeln!(out, "{origin}:{}:{}: note: {}", at.line, at.col, escape_controls(note));
    }
}

/// The part of a source line printed under a diagnostic, and the caret line's padding.
#[derive(Debug, PartialEq)]
struct Excerpt {
    /// The line, or a window of it with `…` at each cut; control characters as `�`.
    text: String,
    /// What goes before the carets: a space per character before the span (tabs kept).
    pad: String,
    /// How many carets.
    carets: usize,
}

impl Excerpt {
    /// The excerpt of `line` for a span starting at character `start`, `width` characters
    /// wide: the whole line up to [`MAX_LINE_COLUMNS`] characters, else a window of that many
    /// columns (the `…` included) from [`CONTEXT_BEFORE`] characters before the span. Takes
    /// time linear in the part of the line up to the window's end.
    fn new(line: &str, start: usize, width: usize) -> Excerpt {
        let long = line.chars().nth(MAX_LINE_COLUMNS).is_some();
        let (from, shown) = if long {
            // Room for a `…` at each end.
            let shown = MAX_LINE_COLUMNS - 2;
            let len = line.chars().count();
            (start.saturating_sub(CONTEXT_BEFORE).min(len.saturating_sub(shown)), shown)
        } else {
            (0, MAX_LINE_COLUMNS)
        };
        let window: Vec<char> = line.chars().skip(from).take(shown).collect();
        let cut_after = line.chars().nth(from + window.len()).is_some();
        let mut text = String::new();
        let mut pad = String::new();
        if from > 0 {
            text.push('…');
            pad.push(' ');
        }
        text.extend(window.iter().map(|&c| if c != '\t' && c.is_control() { '\u{fffd}' } else { c }));
        if cut_after {
            text.push('…');
        }
        let before = start.saturating_sub(from).min(window.len());
        pad.extend(window[..before].iter().map(|&c| if c == '\t' { '\t' } else { ' ' }));
        // Carets up to the window's end (one past it for a span at the end of the line).
        let room = (window.len() - before).max(1);
        Excerpt { text, pad, carets: width.min(room).max(1) }
    }
}

/// `text` with each control character written as RON writes it in a string (`\u{1b}`).
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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
    fn a_long_line_is_clipped_around_the_caret() {
        // 300 characters: `x` at 200..205 is the span.
        let line: String = (0..300).map(|i| if (200..205).contains(&i) { 'x' } else { '.' }).collect();
        let e = Excerpt::new(&line, 200, 5);
        // From 60 before the span, 158 characters, a `…` at each cut: 160 columns.
        assert_eq!(e.text.chars().count(), MAX_LINE_COLUMNS);
        assert_eq!(e.text, format!("…{}xxxxx{}…", ".".repeat(60), ".".repeat(93)));
        assert_eq!((e.pad, e.carets), (" ".repeat(61), 5), "the carets sit under the span");
        // Near the start: nothing cut before; near the end: the last 158 characters.
        let e = Excerpt::new(&line, 10, 1);
        assert_eq!(
            (e.text.chars().count(), e.text.starts_with('.'), e.text.ends_with('…')),
            (159, true, true)
        );
        assert_eq!(e.pad.len(), 10);
        let e = Excerpt::new(&line, 299, 1);
        assert_eq!(e.text, format!("…{}xxxxx{}", ".".repeat(58), ".".repeat(95)), "the last 158");
        assert_eq!((e.pad.len(), e.carets), (158, 1));
        // A span wider than the window gets carets to the window's end.
        let e = Excerpt::new(&line, 100, 1000);
        assert_eq!(e.pad.len() + e.carets, 159);
    }

    #[test]
    fn a_line_of_160_characters_is_whole() {
        let line = "a".repeat(MAX_LINE_COLUMNS);
        let e = Excerpt::new(&line, 159, 1);
        assert_eq!((e.text, e.pad.len(), e.carets), (line.clone(), 159, 1));
        assert!(Excerpt::new(&format!("{line}b"), 0, 1).text.ends_with('…'), "161 characters are cut");
    }

    #[test]
    fn control_characters_never_reach_the_output() {
        let text = "( // \u{1b}]0;owned\u{7}\n  name: \"a\u{1b}[2J\", \tx: 1)";
        let start = text.find("\"a").unwrap();
        let d = Diagnostic::error(Span::new(start, start + 8), "unknown component `a\u{1b}[2J`")
            .with_hint("did you mean `a\u{9b}1m`?")
            .with_note(Span::new(0, 1), "see \u{7}");
        let out = render("f.ron", text, &[d]);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{out:?}");
        assert!(out.contains("unknown component `a\\u{1b}[2J`"), "{out}");
        assert!(out.contains("did you mean `a\\u{9b}1m`?"), "{out}");
        assert!(out.contains("note: see \\u{7}"), "{out}");
        assert!(out.contains("2 |   name: \"a\u{fffd}[2J\""), "{out}");
        // The comment's escape sequence is on line 1: not shown, and nothing else leaks.
        let comment = Diagnostic::error(Span::new(0, 1), "x");
        let out = render("f.ron", text, &[comment]);
        assert!(out.contains("1 | ( // \u{fffd}]0;owned\u{fffd}\n"), "{out}");
    }

    #[test]
    fn at_most_100_diagnostics_are_shown_and_the_rest_counted() {
        let text = "x ".repeat(150);
        let mut ds: Vec<Diagnostic> =
            (0..130).map(|i| Diagnostic::error(Span::new(2 * i, 2 * i + 1), format!("e{i}"))).collect();
        ds.extend((130..150).map(|i| Diagnostic::warning(Span::new(2 * i, 2 * i + 1), format!("w{i}"))));
        let out = render("f.ron", &text, &ds);
        assert!(out.contains(": error: e99\n") && !out.contains(": error: e100\n"), "{out}");
        assert!(
            out.ends_with("f.ron: and 30 more errors and 20 more warnings not shown (the first 100 are)\n")
        );
        let out = render("f.ron", &text, &ds[..101]);
        assert!(out.ends_with("f.ron: and 1 more error not shown (the first 100 are)\n"), "{out}");
        assert!(!render("f.ron", &text, &ds[..100]).contains("not shown"));
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
