//! POL023 `returning_needs_select_policy` (RLS-SEMANTICS 6.2, sql-createpolicy
//! "Policies Applied by Command Type", `[E5d]`): a client may INSERT (a
//! permissive INSERT policy applies) but no permissive SELECT policy does, so
//! `INSERT ... RETURNING` (PostgREST's `.insert().select()`) fails with 42501.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::{PolicyCommand, Privilege};

/// The check.
pub const CHECK: Check = Check {
    id: "POL023",
    name: "returning_needs_select_policy",
    level: Level::Info,
    summary: "client may insert but no SELECT policy admits the new row (RETURNING fails)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for role in cx.clients() {
            if !cx.access.on_table(role, t, Privilege::Insert)
                || cx
                    .effective(t, role, PolicyCommand::Insert)
                    .permissive
                    .is_empty()
            {
                continue;
            }
            if cx
                .effective(t, role, PolicyCommand::Select)
                .permissive
                .is_empty()
            {
                out.push(CHECK.finding(
                    CHECK.level,
                    &t.name,
                    Some(role),
                    format!("{role} may insert but no SELECT policy applies: INSERT ... RETURNING fails with 42501"),
                    Some("-- add a SELECT policy admitting the caller's own rows, or insert without RETURNING".to_string()),
                ));
            }
        }
    }
    out
}
