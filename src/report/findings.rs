//! Validation findings: human (with the source snippet) and JSON.

use std::fmt;

use miette::{Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use serde::Serialize;

use super::excerpt::Excerpt;
use crate::spec::diagnostic::FileId;
use crate::spec::{Diagnostic, Finding, Severity, Sources};

/// Findings as a JSON document: `{ "ok": bool, "errors": n, "warnings": n, "findings": [...] }`.
pub fn json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    #[derive(Serialize)]
    struct Report {
        ok: bool,
        errors: usize,
        warnings: usize,
        findings: Vec<Finding>,
    }
    let findings: Vec<Finding> = diagnostics
        .iter()
        .map(|d| Finding::new(d, sources))
        .collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = Report {
        ok: errors == 0,
        errors,
        warnings: diagnostics.len() - errors,
        findings,
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// At most this many findings are shown per file; the rest are counted, so that a
/// file with thousands of errors does not flood the terminal.
pub const MAX_SHOWN_PER_FILE: usize = 25;

/// Findings for a terminal: each with its file:line:col, the snippet and what to do,
/// at most [`MAX_SHOWN_PER_FILE`] per file (then how many more), then a one-line count.
pub fn human(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    // Per file, in order of first appearance: (file, shown, hidden errors, hidden warnings).
    let mut counts: Vec<(Option<FileId>, usize, usize, usize)> = Vec::new();
    for d in diagnostics {
        let file = d.location.as_ref().map(|l| l.file);
        let i = match counts.iter().position(|c| c.0 == file) {
            Some(i) => i,
            None => {
                counts.push((file, 0, 0, 0));
                counts.len() - 1
            }
        };
        let count = &mut counts[i];
        if count.1 >= MAX_SHOWN_PER_FILE {
            if d.is_error() {
                count.2 += 1;
            } else {
                count.3 += 1;
            }
            continue;
        }
        count.1 += 1;
        let finding = Finding::new(d, sources);
        let source = d
            .location
            .as_ref()
            .map(|loc| Excerpt::new(sources, loc.file, loc.span.clone()));
        let shown = Shown {
            diagnostic: d,
            finding: &finding,
            source,
        };
        if handler.render_report(&mut out, &shown).is_err() {
            out.push_str(&finding.one_line());
            out.push('\n');
        }
    }
    for (file, _, errors, warnings) in counts {
        let name = match file {
            Some(id) => sources.get(id).path.display().to_string(),
            None => "the project".to_string(),
        };
        match (errors, warnings) {
            (0, 0) => {}
            (e, 0) => out.push_str(&format!("{e} more errors in {name}\n")),
            (0, w) => out.push_str(&format!("{w} more warnings in {name}\n")),
            (e, w) => out.push_str(&format!(
                "{e} more errors and {w} more warnings in {name}\n"
            )),
        }
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    }
    out
}

/// A finding in the shape miette renders.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    finding: &'a Finding,
    source: Option<Excerpt>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.one_line())
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.one_line())
    }
}

impl std::error::Error for Shown<'_> {}

impl MietteDiagnostic for Shown<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // The finding's help is cut to a readable length; the diagnostic's may quote
        // a whole value.
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (offset, len) = self.source.as_ref()?.label();
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".to_string()),
            offset,
            len,
        ))))
    }
}
