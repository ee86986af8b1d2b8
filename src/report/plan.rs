//! Plans for people (summary, hazards, SQL; coloured on a terminal) and for
//! programs (JSON).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use similar::{Algorithm, ChangeTag};

use crate::diff::{Action, Hazard, Proof, TextChange, Unmanaged, Widening};
use crate::plan::Plan;
use crate::plan::notices::ServerNotice;

/// Width the word diffs of changed texts are wrapped to.
const WIDTH: usize = 100;
/// Indentation of a change's texts and hazards.
const INDENT: &str = "      ";

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
        unmanaged(&mut out, plan, &paint(bold, "Unmanaged"));
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
        for text in &change.texts {
            for line in word_diff(text, color) {
                let _ = writeln!(out, "{INDENT}{line}");
            }
        }
        for h in &change.hazards {
            let style = match h {
                Hazard::DataLoss(_)
                | Hazard::BreaksDependents(_)
                | Hazard::BehaviourLost(_)
                | Hazard::RlsWeakened(_)
                | Hazard::HarmsUnmanaged(_) => red,
                Hazard::RlsWidened(w) => match w.proof {
                    Proof::Isolated => green,
                    _ => red,
                },
                _ => yellow,
            };
            let _ = writeln!(
                out,
                "{INDENT}{} {}",
                paint(style, &format!("! {}:", h.label())),
                h.reason()
            );
            if let Hazard::RlsWidened(w) = h {
                proof(&mut out, w);
            }
        }
    }
    let hazards = plan.hazards().count();
    if hazards > 0 {
        let _ = writeln!(out, "\n{hazards} hazard(s).");
    }
    unmanaged(&mut out, plan, &paint(bold, "Unmanaged"));
    let _ = write!(out, "\n{}\n{}", paint(bold, "SQL:"), plan.to_sql());
    out
}

/// What the isolation proof decided about a widening: why it could not, or the
/// witnesses of a leak (each LEAK, its repro script and the policies).
fn proof(out: &mut String, widening: &Widening) {
    match &widening.proof {
        Proof::Needed { why: Some(why) } => {
            let _ = writeln!(out, "{INDENT}  not proven: {why}");
        }
        Proof::Needed { why: None } | Proof::Isolated => {}
        Proof::Leaks { witnesses } => {
            for w in witnesses {
                let _ = writeln!(
                    out,
                    "{INDENT}  LEAK {} on {} as {}: {}",
                    w.probe, widening.relation, w.principal, w.detail
                );
            }
            // The policies are the relation's, the same for every witness; one
            // repro is enough to see it (JSON has them all), a user's first.
            let shown = witnesses
                .iter()
                .find(|w| w.principal.starts_with("user of"))
                .or(witnesses.first());
            if let Some(w) = shown {
                let _ = writeln!(out, "{INDENT}  policies:");
                for p in &w.policies {
                    let _ = writeln!(out, "{INDENT}    {p}");
                }
                if let Some(repro) = &w.repro {
                    let _ = writeln!(
                        out,
                        "{INDENT}  repro of {} as {} (psql; rolls back):",
                        w.probe, w.principal
                    );
                    for line in repro.lines() {
                        let _ = writeln!(out, "{INDENT}    {line}");
                    }
                }
            }
        }
    }
}

/// The section listing what the plan leaves alone; nothing when there is none.
fn unmanaged(out: &mut String, plan: &Plan, title: &str) {
    if plan.unmanaged.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{title} ({}): in owned schemas, not declared, never altered or dropped:",
        plan.unmanaged.len()
    );
    for u in &plan.unmanaged {
        let _ = writeln!(out, "  {} {}: {}", u.kind, u.name, u.why);
    }
}

/// A changed text as a word diff, wrapped to [`WIDTH`]: `what: kept [-old-]{+new+}`,
/// or removed words in red and added ones in green on a terminal.
fn word_diff(text: &TextChange, color: bool) -> Vec<String> {
    let before = text.before.as_deref().unwrap_or("");
    let after = text.after.as_deref().unwrap_or("");
    let mut words: Vec<(ChangeTag, &str)> = Vec::new();
    for (tag, segment) in similar::utils::diff_words(Algorithm::Patience, before, after) {
        words.extend(segment.split_whitespace().map(|w| (tag, w)));
    }
    // Within a changed stretch, all removed words, then all added ones: one
    // `[-old-] {+new+}` pair reads better than alternating single words.
    for stretch in words.chunk_by_mut(|a, b| (a.0 == ChangeTag::Equal) == (b.0 == ChangeTag::Equal))
    {
        stretch.sort_by_key(|(tag, _)| *tag != ChangeTag::Delete);
    }
    let label = format!("{}:", text.what);
    let continuation = " ".repeat(label.len());
    let room = WIDTH.saturating_sub(INDENT.len() + label.len());
    // Greedy fill; a run of removed or added words costs its two markers.
    let mut lines: Vec<Vec<(ChangeTag, &str)>> = vec![Vec::new()];
    let mut used = 0;
    for (tag, word) in words {
        let previous = lines.last().and_then(|l| l.last()).map(|(t, _)| *t);
        let markers = |continues: bool| {
            if tag == ChangeTag::Equal || continues {
                0
            } else {
                4
            }
        };
        let cost = 1 + word.chars().count() + markers(previous == Some(tag));
        if used > 0 && used + cost > room {
            lines.push(Vec::new());
            used = 1 + word.chars().count() + markers(false);
        } else {
            used += cost;
        }
        if let Some(line) = lines.last_mut() {
            line.push((tag, word));
        }
    }
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mut out = if i == 0 {
                label.clone()
            } else {
                continuation.clone()
            };
            for run in line.chunk_by(|a, b| a.0 == b.0) {
                let words = run.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
                out.push(' ');
                match (run[0].0, color) {
                    (ChangeTag::Equal, _) => out.push_str(&words),
                    (ChangeTag::Delete, false) => {
                        let _ = write!(out, "[-{words}-]");
                    }
                    (ChangeTag::Insert, false) => {
                        let _ = write!(out, "{{+{words}+}}");
                    }
                    (ChangeTag::Delete, true) => {
                        let _ = write!(out, "{red}{words}{red:#}");
                    }
                    (ChangeTag::Insert, true) => {
                        let _ = write!(out, "{green}{words}{green:#}");
                    }
                }
            }
            if line.is_empty() {
                out.push_str(" (none)");
            }
            out
        })
        .collect()
}

/// What the server said while applying: each notice with its statement; empty
/// when it said nothing.
pub fn notices(notices: &[ServerNotice]) -> String {
    let mut out = String::new();
    if notices.is_empty() {
        return out;
    }
    let _ = writeln!(out, "The server said while applying:");
    for n in notices {
        let _ = writeln!(out, "  {}: {} (SQLSTATE {})", n.severity, n.message, n.code);
        if let Some(d) = &n.detail {
            let _ = writeln!(out, "    detail: {d}");
        }
        if let Some(h) = &n.hint {
            let _ = writeln!(out, "    hint: {h}");
        }
        let _ = writeln!(out, "    statement: {}", n.statement);
    }
    out
}

/// The plan as JSON: target, counts, changes (with hazards and their statements),
/// the unmanaged objects and the ordered script.
pub fn json(plan: &Plan, target: &str) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        target: &'a str,
        changes: usize,
        hazards: usize,
        plan: &'a Plan,
        unmanaged: &'a [Unmanaged],
        sql: String,
    }
    serde_json::to_string_pretty(&Report {
        target,
        changes: plan.changes.len(),
        hazards: plan.hazards().count(),
        plan,
        unmanaged: &plan.unmanaged,
        sql: plan.to_sql(),
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{TextChange, WIDTH, word_diff};

    fn text(before: Option<&str>, after: Option<&str>) -> TextChange {
        TextChange {
            what: "using".to_string(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn a_changed_expression_shows_only_the_changed_words_marked() {
        let lines = word_diff(
            &text(
                Some("(tenant_id = app.current_tenant_id()) AND (owner = CURRENT_USER)"),
                Some("(tenant_id = app.current_tenant_id()) AND (owner = SESSION_USER)"),
            ),
            false,
        );
        assert_eq!(
            lines,
            [
                "using: (tenant_id = app.current_tenant_id()) AND (owner = [-CURRENT_USER)-] {+SESSION_USER)+}"
            ]
        );
    }

    #[test]
    fn a_long_expression_is_wrapped_and_every_line_fits() {
        let clause = |i: usize| {
            format!("(col_{i} = ( SELECT app.current_tenant_id() AS current_tenant_id))")
        };
        let before: Vec<String> = (0..8).map(clause).collect();
        let mut after = before.clone();
        after[5] = "(col_5 IS NOT NULL)".to_string();
        let lines = word_diff(
            &text(Some(&before.join(" AND ")), Some(&after.join(" AND "))),
            false,
        );
        assert!(lines.len() > 3, "{lines:#?}");
        for line in &lines {
            assert!(line.chars().count() + 6 <= WIDTH, "too wide: {line}");
        }
        let joined = lines.join("\n");
        assert!(
            joined.contains("(col_5 [-= ( SELECT") && joined.contains("{+IS NOT NULL)+}"),
            "{joined}"
        );
        assert!(joined.starts_with("using: (col_0 ="), "{joined}");
        assert!(lines[1].starts_with("       "), "{joined}");
    }

    #[test]
    fn an_added_or_removed_expression_is_all_inserted_or_deleted() {
        assert_eq!(
            word_diff(&text(None, Some("a = b")), false),
            ["using: {+a = b+}"]
        );
        assert_eq!(
            word_diff(&text(Some("a = b"), None), false),
            ["using: [-a = b-]"]
        );
    }

    #[test]
    fn on_a_terminal_the_words_are_coloured_without_markers() {
        let lines = word_diff(&text(Some("a = b"), Some("a = c")), true);
        assert_eq!(lines.len(), 1);
        assert!(
            !lines[0].contains("[-") && !lines[0].contains("{+"),
            "{lines:?}"
        );
        assert!(lines[0].contains("\u{1b}[31mb\u{1b}[0m"), "{lines:?}");
        assert!(lines[0].contains("\u{1b}[32mc\u{1b}[0m"), "{lines:?}");
    }
}
