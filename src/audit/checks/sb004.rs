//! SB004 `fkey_to_auth_unique` (RLS-SEMANTICS 6.7 Supabase pack, splinter
//! 0021): a foreign key onto a unique constraint of the `auth` schema other
//! than `auth.users(id)`: Supabase may change those constraints, breaking it.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::ConstraintKind;

/// The check.
pub const CHECK: Check = Check {
    id: "SB004",
    name: "fkey_to_auth_unique",
    level: Level::Warn,
    summary: "foreign key onto a unique constraint in the auth schema (Supabase)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    if !cx.scope.supabase {
        return Vec::new();
    }
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for c in t.constraints.iter().filter(|c| !c.inherited) {
            let ConstraintKind::ForeignKey(fk) = &c.kind else {
                continue;
            };
            let users_id = fk.table.name == "users" && fk.columns == ["id"];
            if fk.table.schema == "auth" && !users_id {
                out.push(CHECK.finding(
                    CHECK.level,
                    &t.name,
                    Some(&c.name),
                    format!(
                        "{} references {}({}), a key Supabase manages and may change",
                        c.name,
                        fk.table,
                        fk.columns.join(", ")
                    ),
                    Some("-- reference auth.users (id) instead".to_string()),
                ));
            }
        }
    }
    out
}
