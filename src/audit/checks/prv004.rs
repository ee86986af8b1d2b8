//! PRV004 `truncate_granted` (RLS-SEMANTICS 6.3, L10/L30, ddl-rowsecurity): TRUNCATE on
//! an RLS table granted to a client role. TRUNCATE is not subject to RLS: the role can empty every tenant's rows.

use super::{Check, Context, list, roles_sql};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "PRV004",
    name: "truncate_granted",
    level: Level::Warn,
    summary: "TRUNCATE on an RLS table granted to a client role",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.rls_tables()
        .filter_map(|t| {
            let clients = cx.clients_with(t, &[Privilege::Truncate]);
            (!clients.is_empty()).then(|| {
                CHECK.finding(
                    CHECK.level,
                    &t.name,
                    None,
                    format!("{} hold TRUNCATE: TRUNCATE is not subject to RLS: the role can empty every tenant's rows", list(&clients)),
                    Some(format!("REVOKE TRUNCATE ON {} FROM {};", t.name, roles_sql(&clients))),
                )
            })
        })
        .collect()
}
