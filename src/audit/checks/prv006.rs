//! PRV006 `references_granted` (RLS-SEMANTICS 6.3, L10/L30, ddl-rowsecurity): REFERENCES on
//! an RLS table granted to a client role. REFERENCES lets the role probe other tenants' keys with foreign keys (existence oracle).
//! Using it takes a table of one's own (temporary tables may reference only
//! temporary ones): without CREATE on any schema or the database, reach `none`.

use super::{Check, Context, list, roles_sql};
use crate::audit::{Finding, Level, Reach};
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
                let creators: Vec<&String> = clients
                    .iter()
                    .filter(|c| cx.facts.creators.contains(c))
                    .collect();
                let finding = CHECK.finding(
                    CHECK.level,
                    &t.name,
                    None,
                    format!(
                        "{} hold REFERENCES: REFERENCES lets the role probe other tenants' keys with foreign keys (existence oracle){}",
                        list(&clients),
                        if creators.is_empty() {
                            "; none of them may CREATE a table anywhere, which using it takes"
                        } else {
                            ""
                        }
                    ),
                    Some(format!("REVOKE REFERENCES ON {} FROM {};", t.name, roles_sql(&clients))),
                );
                if creators.is_empty() {
                    finding.with_reach(Reach::None)
                } else {
                    finding
                }
            })
        })
        .collect()
}
