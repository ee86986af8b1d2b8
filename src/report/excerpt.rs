//! The lines of a file around a finding, cut to a readable width: what miette is
//! given instead of the whole file.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::spec::Sources;
use crate::spec::diagnostic::FileId;

/// Snippet lines are cut to this many characters around the error: miette cannot
/// render columns past 65,535 (it panics), and a 4 MB line is no use to read.
pub const SNIPPET_WIDTH: usize = 100;

/// The line of a finding and one line either side, each cut to [`SNIPPET_WIDTH`]
/// characters around the error's column, with the finding's span narrowed to its
/// first line, so that neither a long line nor a span over a whole table floods
/// the rendering. Line numbers and the header's column are those of the file.
pub struct Excerpt {
    name: String,
    /// The cut lines, joined by `\n`.
    text: String,
    /// 0-based line number of the first cut line in the file.
    first_line: usize,
    /// Where the finding is, in `text`.
    label: Range<usize>,
    /// 0-based character column of the error in the file's line.
    column: usize,
}

impl Excerpt {
    /// The excerpt of `file` around the byte range `span`.
    pub fn new(sources: &Sources, file: FileId, span: Range<usize>) -> Self {
        let source = sources.get(file);
        let text = source.text.as_str();
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_no = text[..line_start].matches('\n').count();
        let column = text[line_start..start].chars().count();
        let end = floor_char_boundary(text, span.end.clamp(start, line_end));
        let span_chars = text[start..end].chars().count().max(1);
        // The window of character columns shown on every line.
        let window_start = column.saturating_sub(SNIPPET_WIDTH / 2);

        let mut lines: Vec<&str> = Vec::new();
        let mut first_line = line_no;
        if line_start > 0 {
            let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            lines.push(&text[prev_start..line_start - 1]);
            first_line -= 1;
        }
        let current = lines.len();
        lines.push(&text[line_start..line_end]);
        if line_end < text.len() {
            let next_end = text[line_end + 1..]
                .find('\n')
                .map_or(text.len(), |i| line_end + 1 + i);
            lines.push(&text[line_end + 1..next_end]);
        }

        let mut out = String::new();
        let mut label = 0..0;
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let line = line.strip_suffix('\r').unwrap_or(line);
            let chars: Vec<usize> = line.char_indices().map(|(b, _)| b).collect();
            let byte = |c: usize| chars.get(c).copied().unwrap_or(line.len());
            let from = window_start.min(chars.len());
            let to = (window_start + SNIPPET_WIDTH).min(chars.len());
            if from > 0 {
                out.push('…');
            }
            let cut_start = out.len();
            out.push_str(&line[byte(from)..byte(to)]);
            if i == current {
                let label_start = cut_start + byte(column.min(to)) - byte(from);
                let label_end = cut_start + byte((column + span_chars).min(to)) - byte(from);
                label = label_start..label_end.max(label_start);
            }
            if to < chars.len() {
                out.push('…');
            }
        }
        Excerpt {
            name: source.path.to_string_lossy().into_owned(),
            text: out,
            first_line,
            label,
            column,
        }
    }

    /// Where the finding is, as a byte range of the excerpt (at least one byte).
    pub fn label(&self) -> (usize, usize) {
        (self.label.start, (self.label.end - self.label.start).max(1))
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // The header's column is the finding's, not the one in the cut line.
        let column = if span.offset() == self.label.start {
            self.column
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(text: &str, span: Range<usize>) -> Excerpt {
        let mut sources = Sources::default();
        let id = sources.add("f.toml".into(), text.to_string());
        Excerpt::new(&sources, id, span)
    }

    #[test]
    fn short_lines_are_shown_whole_with_one_line_of_context() {
        let e = excerpt("a = 1\nb = 2\nc = 3\nd = 4\n", 10..11);
        assert_eq!(e.text, "a = 1\nb = 2\nc = 3");
        assert_eq!(e.first_line, 0);
        assert_eq!(&e.text[e.label.clone()], "2");
    }

    #[test]
    fn long_lines_are_cut_around_the_error() {
        let line = format!("x = \"{}!{}\"", "a".repeat(100_000), "b".repeat(100_000));
        let at = line.find('!').unwrap();
        let e = excerpt(&line, at..at + 1);
        assert!(e.text.chars().count() <= SNIPPET_WIDTH + 2, "{}", e.text);
        assert_eq!(&e.text[e.label.clone()], "!");
        assert_eq!(e.column, at);
    }

    #[test]
    fn a_span_over_many_lines_is_narrowed_to_its_first() {
        let text = "[tables.t]\ncolumns.a = 1\ncolumns.b = 2\ncolumns.c = 3\n";
        let e = excerpt(text, 0..text.len());
        assert_eq!(&e.text[e.label.clone()], "[tables.t]");
    }
}
