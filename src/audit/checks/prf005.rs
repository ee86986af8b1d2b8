//! PRF005 `multiple_permissive_policies` (RLS-SEMANTICS 6.6, sp 0006 with
//! membership, `[E-SB]` t4): more than one permissive policy in an effective
//! (role, command) set: each runs for every row, and their OR may be wider than meant.

use super::{COMMANDS, Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "PRF005",
    name: "multiple_permissive_policies",
    level: Level::Info,
    summary: "several permissive policies apply to one (role, command)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for role in cx.clients() {
            let sets: Vec<String> = COMMANDS
                .iter()
                .filter(|(_, p)| cx.access.on_table(role, t, *p))
                .filter_map(|(c, p)| {
                    let set = cx.effective(t, role, *c);
                    (set.permissive.len() > 1)
                        .then(|| format!("{}: {}", p.as_sql(), cx.render_command(t, role, *c)))
                })
                .collect();
            if !sets.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &t.name,
                    Some(role),
                    format!(
                        "several permissive policies OR-ed for {role}: {}",
                        sets.join("; ")
                    ),
                    Some("-- merge them into one policy per (role, command)".to_string()),
                ));
            }
        }
    }
    out
}
