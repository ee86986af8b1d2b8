//! Shared state of one resolution run: the diagnostics so far and the helpers that
//! turn a TOML value into checked SQL.

use std::ops::Range;

use toml::Spanned;

use super::names::{MAX_IDENTIFIER_BYTES, generated_name};
use crate::spec::declaration::Origin;
use crate::spec::diagnostic::{Diagnostic, FileId, Sources};
use crate::spec::model::Text;
use crate::sql::QualifiedName;
use crate::sql::parse::{self, Expression, SyntaxError};

/// What every resolution step needs.
pub(super) struct Context<'a> {
    pub sources: &'a Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub schemas: Vec<String>,
    pub default_schema: String,
    pub roles: Vec<String>,
}

impl Context<'_> {
    pub fn error(&mut self, file: FileId, span: Range<usize>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(file, span, message));
    }

    pub fn error_help(
        &mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::error(file, span, message).with_help(help));
    }

    /// Warns about a reason that is still the placeholder `rlsctl pull` wrote
    /// (`"TODO: ..."`), so that a person sees it before trusting the file.
    pub fn placeholder_reason(&mut self, file: FileId, reason: &Spanned<String>, what: &str) {
        if reason.get_ref().trim_start().starts_with("TODO") {
            self.diagnostics.push(
                Diagnostic::warning(
                    file,
                    reason.span(),
                    format!("{what} is still a TODO placeholder"),
                )
                .with_help("replace it with the real reason (rlsctl pull writes these for a person to fill in)"),
            );
        }
    }

    /// Where a byte range of a file starts, for messages about the built object.
    pub fn origin(&self, file: FileId, span: Range<usize>) -> Origin {
        let (line, column) = self.sources.line_col(file, span.start);
        Origin {
            file: self
                .sources
                .get(file)
                .path
                .to_string_lossy()
                .replace('\\', "/"),
            line,
            column,
            exact: false,
        }
    }

    /// Where a string value's content starts; exact (offsets into the value are
    /// columns) when the string has no escapes and sits on one line.
    pub fn value_origin(&self, file: FileId, text: &Spanned<String>) -> Origin {
        let start = value_offset(&self.sources.get(file).text, text, 0);
        let exact = start != text.span().start && !text.get_ref().contains('\n');
        Origin {
            exact,
            ..self.origin(file, start..start)
        }
    }

    /// Resolves `name` or `schema.name` against the owned schemas.
    pub fn qualify(
        &mut self,
        file: FileId,
        text: &Spanned<String>,
        what: &str,
    ) -> Option<QualifiedName> {
        let raw = text.get_ref();
        let parts: Vec<&str> = raw.split('.').collect();
        let name = match parts.as_slice() {
            [name] if !name.is_empty() => QualifiedName::new(&self.default_schema, *name),
            [schema, name] if !schema.is_empty() && !name.is_empty() => {
                QualifiedName::new(*schema, *name)
            }
            _ => {
                self.error_help(
                    file,
                    text.span(),
                    format!("invalid {what} name {raw:?}"),
                    format!("write the {what} as `name` or `schema.name`"),
                );
                return None;
            }
        };
        if !self.schemas.contains(&name.schema) {
            self.error_help(
                file,
                text.span(),
                format!(
                    "{what} {raw:?} is in schema {:?}, which the project does not own",
                    name.schema
                ),
                format!(
                    "add {:?} to [project] schemas in rlsctl.toml, or use one of {:?}",
                    name.schema, self.schemas
                ),
            );
            return None;
        }
        Some(name)
    }

    /// Checks that a role is declared in `[roles]` (or is PUBLIC).
    pub fn check_role(&mut self, file: FileId, role: &Spanned<String>) {
        let name = role.get_ref();
        if name == "public" || self.roles.iter().any(|r| r == name) {
            return;
        }
        self.error_help(
            file,
            role.span(),
            format!("role {name:?} is not declared"),
            format!("roles are cluster-wide: declare it in rlsctl.toml as `[roles] {name} = {{}}`"),
        );
    }

    /// Parses an SQL expression held in a TOML string; on a syntax error, points at
    /// the offending token inside the string.
    pub fn expression(
        &mut self,
        file: FileId,
        text: &Spanned<String>,
        what: &str,
    ) -> Option<Expression> {
        match parse::parse_expression(text.get_ref()) {
            Ok(e) => Some(e),
            Err(e) => {
                self.syntax_error(file, text, what, e);
                None
            }
        }
    }

    /// Parses an SQL type held in a TOML string.
    pub fn sql_type(&mut self, file: FileId, text: &Spanned<String>) -> bool {
        match parse::parse_type(text.get_ref()) {
            Ok(()) => true,
            Err(e) => {
                self.syntax_error(file, text, "type", e);
                false
            }
        }
    }

    /// Parses SQL statements held in a TOML string.
    pub fn statements(&mut self, file: FileId, text: &Spanned<String>, what: &str) -> bool {
        match parse::parse_statements(text.get_ref()) {
            Ok(_) => true,
            Err(e) => {
                self.syntax_error(file, text, what, e);
                false
            }
        }
    }

    pub fn syntax_error(
        &mut self,
        file: FileId,
        text: &Spanned<String>,
        what: &str,
        e: SyntaxError,
    ) {
        let span = match e.offset {
            // The value ends too early: the whole value is what is incomplete.
            Some(_) if e.at_end => text.span(),
            Some(offset) => {
                let at = value_offset(&self.sources.get(file).text, text, offset);
                at..at + 1
            }
            None => text.span(),
        };
        let help = if e.at_end {
            format!(
                "{what} must be valid PostgreSQL; it ends before it is complete (after {:?}): a parenthesis, quote or clause is not closed",
                crate::spec::diagnostic::elide_start(text.get_ref().trim_end(), 40)
            )
        } else {
            format!(
                "{what} must be valid PostgreSQL; the text was {:?}",
                crate::spec::diagnostic::elide(text.get_ref(), 120)
            )
        };
        self.error_help(
            file,
            span,
            format!("invalid SQL in {what}: {}", e.message),
            help,
        );
    }
}

/// Maps a byte offset inside a string value to a byte offset in the file. Exact for
/// strings without escapes; otherwise the start of the value.
pub(super) fn value_offset(file_text: &str, value: &Spanned<String>, offset: usize) -> usize {
    let span = value.span();
    let Some(raw) = file_text.get(span.clone()) else {
        return span.start;
    };
    let mut start = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        1
    } else {
        return span.start;
    };
    if start == 3 {
        if raw[start..].starts_with("\r\n") {
            start += 2;
        } else if raw[start..].starts_with('\n') {
            start += 1;
        }
    }
    let inner = &raw[start..];
    if inner.starts_with(value.get_ref().as_str()) {
        span.start + start + offset.min(value.get_ref().len())
    } else {
        span.start
    }
}

/// An identifier must be non-empty and fit PostgreSQL's 63 bytes (longer ones
/// are truncated silently).
pub(super) fn check_identifier(cx: &mut Context, file: FileId, at: &Text, name: &str) {
    if name.is_empty() {
        cx.error(file, at.span(), "name is empty");
    } else if name.len() > MAX_IDENTIFIER_BYTES {
        cx.error_help(
            file,
            at.span(),
            format!("name {name:?} is longer than 63 bytes"),
            "PostgreSQL would truncate it silently; shorten it",
        );
    }
}

/// `deferrable` and `initially_deferred` of a constraint; initially deferred
/// without deferrable is an error (PostgreSQL rejects it too).
pub(super) fn deferral(
    cx: &mut Context,
    file: FileId,
    deferrable: bool,
    initially_deferred: Option<&Spanned<bool>>,
) -> crate::spec::declaration::Deferral {
    let initially = initially_deferred.is_some_and(|d| *d.get_ref());
    if let Some(at) = initially_deferred.filter(|d| *d.get_ref() && !deferrable) {
        cx.error_help(
            file,
            at.span(),
            "initially_deferred = true on a constraint that is not deferrable",
            "add deferrable = true, or remove initially_deferred",
        );
    }
    crate::spec::declaration::Deferral {
        deferrable,
        initially_deferred: initially && deferrable,
    }
}

/// A constraint's or index's name: the declared one (checked, and unique in its
/// table), or PostgreSQL's generated `table_parts_suffix`.
pub(super) fn explicit_or_generated(
    cx: &mut Context,
    file: FileId,
    explicit: Option<&Text>,
    table: &str,
    parts: &[String],
    suffix: &str,
    taken: &[String],
) -> String {
    match explicit {
        Some(name) => {
            check_identifier(cx, file, name, name.get_ref());
            if taken.contains(name.get_ref()) {
                cx.error_help(
                    file,
                    name.span(),
                    format!("name {:?} is used twice in table {table}", name.get_ref()),
                    "give each constraint and index its own name",
                );
            }
            name.get_ref().clone()
        }
        None => {
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            generated_name(table, &parts, suffix, taken)
        }
    }
}
