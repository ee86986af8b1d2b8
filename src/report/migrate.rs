//! `migrate up` and `migrate status` for people and programs.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets::UTF8_BORDERS_ONLY};
use serde_json::json;

use crate::migrate::{Entry, State, UpReport};

/// What `migrate up` did (or, dry, would do).
pub fn up(report: &UpReport, target: &str, dry_run: bool) -> String {
    let mut out = String::new();
    if report.applied.is_empty() {
        let applied = report
            .before
            .iter()
            .filter(|e| e.state == State::Applied)
            .count();
        let _ = writeln!(
            out,
            "{target}: up to date ({applied} migration(s) applied, none pending)"
        );
        return out;
    }
    let verb = if dry_run { "would apply" } else { "applied" };
    let _ = writeln!(
        out,
        "{target}: {verb} {} migration(s):",
        report.applied.len()
    );
    for name in &report.applied {
        let _ = writeln!(out, "  {name}");
    }
    if report.outside > 0 {
        let _ = writeln!(
            out,
            "{} statement(s) marked no-transaction {} after their migration's commit",
            report.outside,
            if dry_run { "would run" } else { "ran" }
        );
    }
    if dry_run {
        out.push_str("dry run: nothing was changed\n");
    }
    out
}

/// The migrations with their state, as a table and a count per state.
pub fn status(entries: &[Entry], target: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "migrations of {target}:");
    if entries.is_empty() {
        out.push_str("  none (no files in migrations/, no history)\n");
        return out;
    }
    let mut table = Table::new();
    table
        .load_style(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100)
        .set_header(vec!["version", "name", "state", "applied on"]);
    for e in entries {
        let state = match &e.detail {
            Some(detail) => format!("{}: {detail}", e.state.word()),
            None => e.state.word().to_string(),
        };
        table.add_row(vec![
            e.version.to_string(),
            e.name.clone(),
            state,
            e.applied_on.clone().unwrap_or_default(),
        ]);
    }
    let _ = writeln!(out, "{table}");
    let _ = writeln!(out, "{}", counts(entries));
    if entries.iter().any(|e| e.state.blocks()) {
        out.push_str(
            "the history does not match migrations/: `migrate up` refuses to run until the files are restored\n",
        );
    }
    out
}

fn counts(entries: &[Entry]) -> String {
    [
        State::Applied,
        State::Pending,
        State::Changed,
        State::Missing,
        State::OutOfOrder,
    ]
    .iter()
    .map(|s| {
        format!(
            "{} {}",
            entries.iter().filter(|e| e.state == *s).count(),
            s.word()
        )
    })
    .collect::<Vec<_>>()
    .join(", ")
}

/// The migrations with their state as JSON.
pub fn status_json(entries: &[Entry], target: &str) -> String {
    let count = |s: State| entries.iter().filter(|e| e.state == s).count();
    let value = json!({
        "target": target,
        "migrations": entries,
        "summary": {
            "applied": count(State::Applied),
            "pending": count(State::Pending),
            "changed": count(State::Changed),
            "missing": count(State::Missing),
            "out_of_order": count(State::OutOfOrder),
        },
    });
    serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
