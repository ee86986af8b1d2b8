//! Findings about the declaration, each pointing at a file, line and column.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Index of a loaded file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// One file of the project, as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the project root, as shown to users.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// All files of a project, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile { path, text });
        FileId(self.files.len() - 1)
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = &self.get(id).text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The declaration cannot be used.
    Error,
    /// Legal but probably not what was meant.
    Warning,
}

/// A place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// Byte range of the offending text.
    pub span: Range<usize>,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where; `None` for project-wide problems (e.g. a missing file).
    pub location: Option<Location>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at a place.
    pub fn error(file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: Some(Location { file, span }),
            help: None,
        }
    }

    /// A warning at a place.
    pub fn warning(file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    /// An error about the project as a whole.
    pub fn project(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    /// Adds what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A diagnostic resolved to file, line and column: the form in JSON output and tests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the project root.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// The offending text.
    pub snippet: Option<String>,
    /// What to do.
    pub help: Option<String>,
}

impl Finding {
    /// Resolves a diagnostic against the files it points into.
    pub fn new(diagnostic: &Diagnostic, sources: &Sources) -> Self {
        let (file, line, column, snippet) = match &diagnostic.location {
            Some(loc) => {
                let source = sources.get(loc.file);
                let (line, column) = sources.line_col(loc.file, loc.span.start);
                let snippet = source
                    .text
                    .get(loc.span.clone())
                    .map(|s| elide(s.lines().next().unwrap_or_default(), MAX_SNIPPET_CHARS));
                (
                    Some(display_path(&source.path)),
                    Some(line),
                    Some(column),
                    snippet,
                )
            }
            None => (None, None, None, None),
        };
        Finding {
            severity: diagnostic.severity,
            file,
            line,
            column,
            message: elide(&diagnostic.message, MAX_MESSAGE_CHARS),
            snippet,
            help: diagnostic
                .help
                .as_deref()
                .map(|h| elide(h, MAX_MESSAGE_CHARS)),
        }
    }

    /// `file:line:col: message`, the one-line form.
    pub fn one_line(&self) -> String {
        match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// The longest message or help a finding shows: a message quoting a 4 MB value
/// must not echo it.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// The longest snippet a finding shows.
pub const MAX_SNIPPET_CHARS: usize = 120;

/// `text` cut to at most `max` characters, with `…` where it was cut.
pub fn elide(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The last `max` characters of `text`, with `…` where it was cut.
pub fn elide_start(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let cut = text.char_indices().nth(count - max).map_or(0, |(i, _)| i);
    format!("…{}", &text[cut..])
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let mut sources = Sources::default();
        let id = sources.add("a.toml".into(), "ab\nçd = 1\n".into());
        assert_eq!(sources.line_col(id, 0), (1, 1));
        assert_eq!(sources.line_col(id, 3), (2, 1));
        assert_eq!(sources.line_col(id, 5), (2, 2)); // after the two-byte ç
    }
}
