//! POL002 `with_check_always_true` (RLS-SEMANTICS 6.2, L07/L08, `[E5d]`,
//! `[E7b]`, sp 0024 without its INSERT-null false positive): a permissive
//! INSERT/UPDATE/ALL policy whose explicit WITH CHECK folds to true: clients
//! insert rows for other tenants or move rows to them.

use super::{Check, Context, PolicyRef, list};
use crate::audit::eval::always_true;
use crate::audit::{Finding, Level};
use crate::catalog::PolicyCommand;

/// The check.
pub const CHECK: Check = Check {
    id: "POL002",
    name: "with_check_always_true",
    level: Level::Error,
    summary: "permissive write policy whose WITH CHECK is always true",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t).iter().filter(|p| p.permissive()) {
            if !matches!(
                p.policy.command,
                PolicyCommand::Insert | PolicyCommand::Update | PolicyCommand::All
            ) {
                continue;
            }
            let Some(check) = &p.with_check else { continue };
            let clients = cx.clients_of(p);
            if clients.is_empty() || !always_true(check) {
                continue;
            }
            out.push(CHECK.finding(
                CHECK.level,
                &PolicyRef(t, &p.policy.name),
                None,
                format!(
                    "WITH CHECK ({}) lets {} write rows with any tenant (INSERT without RETURNING, or an unqualified UPDATE, crosses tenants)",
                    p.policy.with_check.as_deref().unwrap_or(""),
                    list(&clients)
                ),
                Some(format!("-- ALTER POLICY {} ON {} WITH CHECK (<the same tenant predicate as USING>);", crate::sql::quote_ident(&p.policy.name), t.name)),
            ));
        }
    }
    out
}
