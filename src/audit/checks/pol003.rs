//! POL003 `write_check_lacks_tenant_predicate` (RLS-SEMANTICS 6.2, L07/L08):
//! the effective write check (WITH CHECK, or USING reused for UPDATE/ALL) of a
//! permissive INSERT/UPDATE/ALL policy does not constrain the table's tenant
//! key: clients can write rows stamped with another tenant. Constant-true
//! checks are POL001/POL002's; missing ones are dead (POL018); a check that is
//! constant false (`WITH CHECK (false)`) admits no row at all.

use super::{Check, Context, PolicyRef, list};
use crate::audit::eval::{always_false, always_true};
use crate::audit::{Finding, Level};
use crate::catalog::PolicyCommand;

/// The check.
pub const CHECK: Check = Check {
    id: "POL003",
    name: "write_check_lacks_tenant_predicate",
    level: Level::Warn,
    summary: "write policy's check does not constrain the tenant column",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        let Some(key) = cx.tenant_key(t) else {
            continue;
        };
        for p in cx.policies(t).iter().filter(|p| p.permissive()) {
            if !matches!(
                p.policy.command,
                PolicyCommand::Insert | PolicyCommand::Update | PolicyCommand::All
            ) {
                continue;
            }
            let Some(check) = p.write_check() else {
                continue;
            };
            let clients = cx.clients_of(p);
            if clients.is_empty()
                || always_true(check)
                || always_false(check)
                || check.columns().contains(&key)
            {
                continue;
            }
            out.push(CHECK.finding(
                CHECK.level,
                &PolicyRef(t, &p.policy.name),
                None,
                format!("its write check does not constrain {key}: {} can write rows for any tenant the check admits", list(&clients)),
                Some(format!("-- add `{key} = <context>` to the policy's WITH CHECK")),
            ));
        }
    }
    out
}
