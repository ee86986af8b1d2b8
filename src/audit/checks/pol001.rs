//! POL001 `using_always_true` (RLS-SEMANTICS 6.2, sp 0024, pgrls SEC008/SEC011,
//! rat L001/L007): a permissive policy for a client role whose USING folds to
//! true (`true`, `1 = 1`, `x OR true`). WARN for SELECT, ERROR for writes.

use super::{Check, Context, PolicyRef, list};
use crate::audit::eval::always_true;
use crate::audit::{Finding, Level};
use crate::catalog::PolicyCommand;

/// The check.
pub const CHECK: Check = Check {
    id: "POL001",
    name: "using_always_true",
    level: Level::Error,
    summary: "permissive policy whose USING is always true",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t).iter().filter(|p| p.permissive()) {
            let Some(using) = &p.using else { continue };
            let clients = cx.clients_of(p);
            if clients.is_empty() || !always_true(using) {
                continue;
            }
            let level = if p.policy.command == PolicyCommand::Select {
                Level::Warn
            } else {
                Level::Error
            };
            out.push(CHECK.finding(
                level,
                &PolicyRef(t, &p.policy.name),
                None,
                format!(
                    "USING ({}) admits every row to {} for {}",
                    p.policy.using.as_deref().unwrap_or(""),
                    list(&clients),
                    p.policy.command.keyword()
                ),
                Some(format!("-- scope the policy to the caller's rows, e.g. ALTER POLICY {} ON {} USING (tenant_id = <context>);", crate::sql::quote_ident(&p.policy.name), t.name)),
            ));
        }
    }
    out
}
