//! Validation findings: human (with the source snippet) and JSON.

use std::fmt;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    NamedSource,
};
use serde::Serialize;

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

/// Findings for a terminal: each with its file:line:col, the snippet and what to do,
/// then a one-line count.
pub fn human(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in diagnostics {
        let finding = Finding::new(d, sources);
        let source = d.location.as_ref().map(|loc| {
            let file = sources.get(loc.file);
            NamedSource::new(file.path.to_string_lossy(), file.text.clone())
        });
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
    source: Option<NamedSource<String>>,
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
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let loc = self.diagnostic.location.as_ref()?;
        let len = loc.span.end.saturating_sub(loc.span.start).max(1);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".to_string()),
            loc.span.start,
            len,
        ))))
    }
}
