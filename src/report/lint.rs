//! Renders a migration lint report: one line per finding (`file:line:col: level
//! RULE name: message`) with its fix, the silenced findings with their reasons,
//! and a summary line; or JSON; or SARIF.

use anstyle::{AnsiColor, Style};
use serde_json::{Value, json};

use crate::lint::{Level, LintFinding, LintReport, RULES};

/// The version of the JSON shape below; bumped when a key changes meaning.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// The report for people.
pub fn human(report: &LintReport, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    };
    let level = |l: Level| {
        let c = match l {
            Level::Error => AnsiColor::Red,
            Level::Warning => AnsiColor::Yellow,
        };
        paint(Style::new().fg_color(Some(c.into())).bold(), l.word())
    };
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}: {} {} {}: {}\n  fix: {}\n",
            f.place(),
            level(f.level),
            f.rule,
            f.name,
            f.message,
            f.fix
        ));
    }
    if !report.allowed.is_empty() {
        out.push_str(&format!("allowed ({}):\n", report.allowed.len()));
        for a in &report.allowed {
            out.push_str(&format!(
                "  {}: {} {} allowed on line {}: {}\n",
                a.finding.place(),
                a.finding.rule,
                a.finding.name,
                a.comment_line,
                a.reason
            ));
        }
    }
    let (errors, warnings) = (report.count(Level::Error), report.count(Level::Warning));
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let summary = format!(
        "lint: {}, {}, {}, {} allowed",
        plural(report.files.len(), "file"),
        plural(errors, "error"),
        plural(warnings, "warning"),
        report.allowed.len()
    );
    let style = if report.failed() {
        Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
    } else {
        Style::new().fg_color(Some(AnsiColor::Green.into()))
    };
    out.push_str(&paint(style, &summary));
    out.push('\n');
    out
}

/// The report for programs: `findings` and `allowed` in file, line, column order.
pub fn json(report: &LintReport) -> Value {
    json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "files": report.files,
        "summary": {
            "errors": report.count(Level::Error),
            "warnings": report.count(Level::Warning),
            "allowed": report.allowed.len(),
            "failed": report.failed(),
        },
        "findings": report.findings,
        "allowed": report.allowed,
    })
}

/// The report as SARIF 2.1.0, for code-scanning UIs: each finding a result at its
/// file, line and column, with its rule; silenced findings are results with a
/// suppression that carries the allow comment's reason.
pub fn sarif(report: &LintReport) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "defaultConfiguration": { "level": r.level.word() },
            })
        })
        .collect();
    let result = |f: &LintFinding| {
        json!({
            "ruleId": f.rule,
            "ruleIndex": RULES.iter().position(|r| r.id == f.rule),
            "level": f.level.word(),
            "message": { "text": format!("{}\nfix: {}", f.message, f.fix) },
            "locations": [{ "physicalLocation": {
                "artifactLocation": { "uri": f.file.display().to_string() },
                "region": { "startLine": f.line, "startColumn": f.col },
            }}],
        })
    };
    let mut results: Vec<Value> = report.findings.iter().map(result).collect();
    results.extend(report.allowed.iter().map(|a| {
        let mut r = result(&a.finding);
        r["suppressions"] = json!([{ "kind": "inSource", "justification": a.reason }]);
        r
    }));
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "rlsctl",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
