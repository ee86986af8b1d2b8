//! POL021 `duplicate_policy` (RLS-SEMANTICS 6.2, pgrls HYG003): two policies
//! of a table identical in command, roles, mode and expressions.

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL021",
    name: "duplicate_policy",
    level: Level::Info,
    summary: "two identical policies on one table",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for (i, a) in t.policies.iter().enumerate() {
            if let Some(b) = t.policies[..i].iter().find(|b| {
                (b.command, b.mode, &b.roles, &b.using, &b.with_check)
                    == (a.command, a.mode, &a.roles, &a.using, &a.with_check)
            }) {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &a.name),
                    None,
                    format!("identical to policy {}", b.name),
                    Some(format!(
                        "DROP POLICY {} ON {};",
                        crate::sql::quote_ident(&a.name),
                        t.name
                    )),
                ));
            }
        }
    }
    out
}
