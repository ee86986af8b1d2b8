//! RLS004 `no_applicable_policy` (RLS-SEMANTICS 6.1, sp 0008, pgrls
//! SEC009/SEC022): RLS on and a client holds the privilege for a command, but
//! no policy applies to it: a silent deny (INSERT errors, UPDATE/DELETE hit 0 rows).

use super::{COMMANDS, Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "RLS004",
    name: "no_applicable_policy",
    level: Level::Info,
    summary: "client role privileged for a command that no policy covers (silent deny)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for role in cx.clients() {
            let empty: Vec<&str> = COMMANDS
                .iter()
                .filter(|(c, p)| {
                    cx.access.on_table(role, t, *p) && cx.effective(t, role, *c).is_empty()
                })
                .map(|(_, p)| p.as_sql())
                .collect();
            if !empty.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &t.name,
                    Some(role),
                    format!(
                        "{role} may {} but no policy applies: default deny",
                        empty.join(", ")
                    ),
                    Some(format!(
                        "-- add policies for {role}, or REVOKE {} ON {} FROM {}",
                        empty.join(", "),
                        t.name,
                        crate::sql::quote_ident(role)
                    )),
                ));
            }
        }
    }
    out
}
