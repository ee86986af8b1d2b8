//! POL004 `or_combined_write_checks` (RLS-SEMANTICS 6.2, `[E7d]`, rlsautotest
//! "cross-policy WITH CHECK leak"): two or more permissive INSERT or UPDATE
//! policies for one role with different checks: the checks are OR-ed, so a row
//! targetable through one policy can be written with any value another allows.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::{PolicyCommand, Privilege};

/// The check.
pub const CHECK: Check = Check {
    id: "POL004",
    name: "or_combined_write_checks",
    level: Level::Warn,
    summary: "several permissive write policies with different checks (OR-ed)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for role in cx.clients() {
            for (command, privilege) in [
                (PolicyCommand::Insert, Privilege::Insert),
                (PolicyCommand::Update, Privilege::Update),
            ] {
                if !cx.access.on_table(role, t, privilege) {
                    continue;
                }
                let set = cx.effective(t, role, command);
                let mut checks: Vec<String> = set
                    .permissive
                    .iter()
                    .filter_map(|p| {
                        p.policy.with_check.clone().or_else(|| {
                            (command == PolicyCommand::Update)
                                .then(|| p.policy.using.clone())
                                .flatten()
                        })
                    })
                    .collect();
                checks.sort();
                checks.dedup();
                if checks.len() > 1 {
                    out.push(CHECK.finding(
                        CHECK.level,
                        &t.name,
                        Some(&format!("{role}:{}", privilege.as_sql())),
                        format!("{} checks of {} are OR-ed for {role}: a new row passes if any one admits it", privilege.as_sql(), cx.render_command(t, role, command)),
                        Some("-- merge them into one policy whose check holds the tenant predicate".to_string()),
                    ));
                }
            }
        }
    }
    out
}
