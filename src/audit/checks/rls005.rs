//! RLS005 `restrictive_only` (RLS-SEMANTICS 6.1, `[E4]`, pgrls SEC012): the
//! effective set of a (role, command) holds restrictive policies only, which
//! admits no row at all.

use super::{COMMANDS, Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "RLS005",
    name: "restrictive_only",
    level: Level::Warn,
    summary: "only restrictive policies apply to a client command: deny-all",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for role in cx.clients() {
            let mut sets = Vec::new();
            for (c, p) in COMMANDS {
                let set = cx.effective(t, role, c);
                if cx.access.on_table(role, t, p)
                    && set.permissive.is_empty()
                    && !set.restrictive.is_empty()
                {
                    sets.push(format!("{}: {}", p.as_sql(), cx.render_command(t, role, c)));
                }
            }
            if !sets.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &t.name,
                    Some(role),
                    format!("restrictive policies only, so no row passes: {}", sets.join("; ")),
                    Some("-- add a permissive policy for the role (restrictive policies only narrow permissive ones)".to_string()),
                ));
            }
        }
    }
    out
}
