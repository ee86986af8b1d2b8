//! PRV005 `trigger_granted` (RLS-SEMANTICS 6.3, L10/L30, ddl-rowsecurity): TRIGGER on
//! an RLS table granted to a client role. TRIGGER lets the role attach a trigger that copies other tenants' new rows.

use super::{Check, Context, list, roles_sql};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "PRV005",
    name: "trigger_granted",
    level: Level::Error,
    summary: "TRIGGER on an RLS table granted to a client role",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.rls_tables()
        .filter_map(|t| {
            let clients = cx.clients_with(t, &[Privilege::Trigger]);
            (!clients.is_empty()).then(|| {
                CHECK.finding(
                    CHECK.level,
                    &t.name,
                    None,
                    format!("{} hold TRIGGER: TRIGGER lets the role attach a trigger that copies other tenants' new rows", list(&clients)),
                    Some(format!("REVOKE TRIGGER ON {} FROM {};", t.name, roles_sql(&clients))),
                )
            })
        })
        .collect()
}
