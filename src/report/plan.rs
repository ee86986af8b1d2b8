//! Plans for people (summary, hazards, SQL; coloured on a terminal) and for
//! programs (JSON).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::diff::{Action, Hazard};
use crate::plan::Plan;

/// The plan for a terminal: counts, one line per change with its hazards, the SQL.
pub fn human(plan: &Plan, target: &str, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    };
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into()));
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let bold = Style::new().bold();

    let mut out = String::new();
    let _ = writeln!(out, "Target: {target}");
    if plan.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint(green, "No changes: the target matches the declaration.")
        );
        return out;
    }
    let count = |a: Action| plan.changes.iter().filter(|c| c.action == a).count();
    let _ = writeln!(
        out,
        "{} {} to create, {} to change, {} to drop, {} to rename",
        paint(bold, "Plan:"),
        count(Action::Create),
        count(Action::Alter),
        count(Action::Drop),
        count(Action::Rename)
    );
    out.push('\n');
    for change in &plan.changes {
        let style = match change.action {
            Action::Create => green,
            Action::Alter | Action::Rename => yellow,
            Action::Drop => red,
        };
        let line = format!("{} {}", change.action.sign(), change.object);
        let _ = write!(out, "  {}", paint(style, &line));
        if let Some(d) = &change.detail {
            let _ = write!(out, "  ({d})");
        }
        out.push('\n');
        for h in &change.hazards {
            let style = match h {
                Hazard::DataLoss(_) | Hazard::RlsWeakened(_) => red,
                _ => yellow,
            };
            let _ = writeln!(
                out,
                "      {} {}",
                paint(style, &format!("! {}:", h.label())),
                h.reason()
            );
        }
    }
    let hazards = plan.hazards().count();
    if hazards > 0 {
        let _ = writeln!(out, "\n{hazards} hazard(s).");
    }
    let _ = write!(out, "\n{}\n{}", paint(bold, "SQL:"), plan.to_sql());
    out
}

/// The plan as JSON: target, counts, changes (with hazards and their statements)
/// and the ordered script.
pub fn json(plan: &Plan, target: &str) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        target: &'a str,
        changes: usize,
        hazards: usize,
        plan: &'a Plan,
        sql: String,
    }
    serde_json::to_string_pretty(&Report {
        target,
        changes: plan.changes.len(),
        hazards: plan.hazards().count(),
        plan,
        sql: plan.to_sql(),
    })
    .unwrap_or_default()
}
