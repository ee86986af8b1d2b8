//! The next migration file, written from a plan: its changes and hazards as
//! comments, the transactional statements, and the CONCURRENTLY ones after the
//! no-transaction marker.

use std::fmt::Write as _;

use super::files::{MigrationFile, NO_TRANSACTION_MARKER};
use super::review::{REVIEWED_DESTRUCTIVE, REVIEWED_RLS_WEAKENING};
use crate::plan::{Allowed, Plan};

/// The version the next migration gets: one more than the highest.
pub fn next_version(files: &[MigrationFile]) -> i32 {
    files.iter().map(|f| f.version).max().unwrap_or(0) + 1
}

/// The text of migration `V{version}__{name}.sql` applying `plan`; `reviewed`
/// says which blocking hazards the user allowed, recorded as review lines.
pub fn render(plan: &Plan, version: i32, name: &str, reviewed: Allowed) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "-- V{version}__{name}: written by `rlsctl migrate new` from the declaration."
    );
    out.push_str("-- Applied by `rlsctl migrate up`, in one transaction with its history row");
    let outside = plan.statements.iter().any(|s| !s.transactional);
    if outside {
        let _ = write!(
            out,
            "; the statements after `{NO_TRANSACTION_MARKER}` run after the commit, one by one"
        );
    }
    out.push_str(".\n--\n-- changes:\n");
    for c in &plan.changes {
        let _ = write!(out, "--   {} {}", c.action.sign(), c.object);
        if let Some(detail) = &c.detail {
            let _ = write!(out, ": {detail}");
        }
        out.push('\n');
    }
    let hazards: Vec<_> = plan.hazards().collect();
    if hazards.is_empty() {
        out.push_str("-- hazards: none\n");
    } else {
        out.push_str(
            "-- hazards (reviewed: `migrate new` refuses the blocking ones without their flag):\n",
        );
        for (change, hazard) in hazards {
            let _ = writeln!(
                out,
                "--   {}: {}: {}",
                change.object,
                hazard.label(),
                one_line(hazard.reason())
            );
        }
    }
    // Which flag a hazard needs is `Plan::blocking`'s rule: a flag is needed when
    // withholding it alone blocks more than withholding neither.
    let blocked = |destructive, rls_weakening| {
        plan.blocking(Allowed {
            destructive,
            rls_weakening,
        })
        .len()
    };
    let unblocked = blocked(true, true);
    if reviewed.destructive && blocked(false, true) > unblocked {
        let _ = writeln!(out, "{REVIEWED_DESTRUCTIVE}");
    }
    if reviewed.rls_weakening && blocked(true, false) > unblocked {
        let _ = writeln!(out, "{REVIEWED_RLS_WEAKENING}");
    }
    out.push_str("\nSET LOCAL lock_timeout = '5s';\nSET LOCAL check_function_bodies = off;\n");
    let mut last_change = None;
    for s in plan.statements.iter().filter(|s| s.transactional) {
        if last_change != Some(s.change) {
            let c = &plan.changes[s.change];
            let _ = write!(out, "\n-- {} {}\n", c.action.sign(), c.object);
            last_change = Some(s.change);
        }
        if reviewed.destructive
            && let Some(rule) = lint_rule_of_drop(&s.sql)
        {
            // The migration lint refuses a drop unless a reasoned allow comment
            // sits directly above it; the flag is that review.
            let _ = writeln!(
                out,
                "-- rlsctl:allow {rule} reviewed: written by `migrate new --allow-destructive`"
            );
        }
        let _ = writeln!(out, "{};", s.sql);
    }
    if outside {
        let _ = write!(
            out,
            "\n{NO_TRANSACTION_MARKER}\n-- CREATE INDEX CONCURRENTLY cannot run in a transaction: these run after the commit.\n"
        );
        for s in plan.statements.iter().filter(|s| !s.transactional) {
            let _ = writeln!(out, "{};", s.sql);
        }
    }
    out
}

/// The migration lint's rule for a dropped column (MIG006) or table (MIG007).
fn lint_rule_of_drop(sql: &str) -> Option<&'static str> {
    if sql.starts_with("ALTER TABLE ") && sql.contains(" DROP COLUMN ") {
        Some("MIG006")
    } else if sql.starts_with("DROP TABLE ") {
        Some("MIG007")
    } else {
        None
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
