//! PRV006 `references_granted` (RLS-SEMANTICS 6.3, L10/L30, ddl-rowsecurity): REFERENCES on
//! an RLS table granted to a client role. REFERENCES lets the role probe other tenants' keys with foreign keys (existence oracle).

use super::{Check, Context, list, roles_sql};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "PRV006",
    name: "references_granted",
    level: Level::Warn,
    summary: "REFERENCES on an RLS table granted to a client role",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.rls_tables()
        .filter_map(|t| {
            let clients = cx.clients_with(t, &[Privilege::References]);
            (!clients.is_empty()).then(|| {
                CHECK.finding(
                    CHECK.level,
                    &t.name,
                    None,
                    format!("{} hold REFERENCES: REFERENCES lets the role probe other tenants' keys with foreign keys (existence oracle)", list(&clients)),
                    Some(format!("REVOKE REFERENCES ON {} FROM {};", t.name, roles_sql(&clients))),
                )
            })
        })
        .collect()
}
