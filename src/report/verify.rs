//! `rlsctl verify`: the summary table of its stages, JSON and JUnit.

use std::fmt::Write as _;

use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_BORDERS_ONLY};
use serde_json::{Value, json};

use crate::migrate::verify::{Status, VerifyReport};

/// The stages as a table, then the verdict in one line.
pub fn human(report: &VerifyReport) -> String {
    let mut table = Table::new();
    table
        .load_style(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100)
        .set_header(vec!["stage", "result", "figures", "seconds"]);
    for s in &report.stages {
        table.add_row(vec![
            s.name.to_string(),
            s.status.word().to_string(),
            s.figures.clone(),
            format!("{:.2}", s.seconds),
        ]);
    }
    if let Some(column) = table.column_mut(3) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    let mut out = format!("{table}\n");
    let total: f64 = report.stages.iter().map(|s| s.seconds).sum();
    if report.passed() {
        let _ = writeln!(out, "verify passed in {total:.1}s");
    } else {
        let failed: Vec<&str> = report.failed().map(|s| s.name).collect();
        let _ = writeln!(
            out,
            "verify FAILED ({}) in {total:.1}s",
            if failed.is_empty() {
                "no stage ran".to_string()
            } else {
                failed.join(", ")
            }
        );
    }
    out
}

/// The stages and the verdict as JSON, with `details` (drift changes, test and
/// audit summaries) beside them.
pub fn json(report: &VerifyReport, details: Value) -> String {
    let value = json!({
        "passed": report.passed(),
        "stages": report.stages,
        "details": details,
    });
    serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// JUnit XML: one test case per stage; a failed stage's `body` (the drift plan's
/// SQL, the test summary) goes into its failure element.
pub fn junit(report: &VerifyReport, body: &dyn Fn(&str) -> String) -> String {
    let failures = report.failed().count();
    let skipped = report
        .stages
        .iter()
        .filter(|s| s.status == Status::Skipped)
        .count();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rlsctl verify\">\n",
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"verify\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
        report.stages.len()
    );
    for s in &report.stages {
        let _ = write!(
            out,
            "    <testcase classname=\"verify\" name=\"{}\" time=\"{:.3}\"",
            xml(s.name),
            s.seconds
        );
        match s.status {
            Status::Passed => out.push_str("/>\n"),
            Status::Skipped => {
                let _ = writeln!(
                    out,
                    "><skipped message=\"{}\"/></testcase>",
                    xml(&s.figures)
                );
            }
            Status::Failed => {
                let _ = writeln!(
                    out,
                    "><failure message=\"{}\">{}</failure></testcase>",
                    xml(&s.figures),
                    xml(&body(s.name))
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
