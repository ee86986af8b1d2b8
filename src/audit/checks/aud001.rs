//! AUD001 `audit_log_readable_across_tenants` (issue 15; RLS-SEMANTICS 6.2 and
//! 6.3): a client role reads an audit log (see `trail`) without RLS, or through
//! a SELECT policy set that does not constrain the log's tenant key. An audit
//! log names who did what to which row: read across tenants it leaks every
//! tenant's activity, and often old and new values.

use super::trail::audit_logs;
use super::{Check, Context, list};
use crate::audit::eval::always_true;
use crate::audit::policies::ParsedPolicy;
use crate::audit::{Finding, Level};
use crate::catalog::{PolicyCommand, Privilege, Table};

/// The check.
pub const CHECK: Check = Check {
    id: "AUD001",
    name: "audit_log_readable_across_tenants",
    level: Level::Error,
    summary: "audit log readable by clients across tenants",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for log in audit_logs(cx) {
        let t = log.table;
        let readers: Vec<String> = cx
            .clients_with(t, &[Privilege::Select])
            .into_iter()
            .filter(|r| !cx.access.bypasses_rls(r))
            .collect();
        if readers.is_empty() {
            continue;
        }
        if !t.rls_enabled {
            out.push(CHECK.finding(
                CHECK.level,
                &t.name,
                None,
                format!(
                    "audit log without row level security: {} read every tenant's entries",
                    list(&readers)
                ),
                Some(format!(
                    "ALTER TABLE {} ENABLE ROW LEVEL SECURITY; -- then a SELECT policy on its tenant column",
                    t.name
                )),
            ));
            continue;
        }
        let Some(key) = tenant_key(cx, t) else {
            out.push(CHECK.finding(
                CHECK.level,
                &t.name,
                None,
                format!(
                    "audit log without a tenant column its policies compare: {} read entries of every tenant the policies admit",
                    list(&readers)
                ),
                Some(format!(
                    "-- give {} a tenant column, filled by the trigger, and a SELECT policy comparing it with the caller's tenant",
                    t.name
                )),
            ));
            continue;
        };
        for role in &readers {
            let set = cx.effective(t, role, PolicyCommand::Select);
            if set.permissive.is_empty() {
                continue;
            }
            let constrains = |p: &&ParsedPolicy<'_>| {
                p.using
                    .as_ref()
                    .is_some_and(|e| !always_true(e) && e.columns().contains(&key))
            };
            if set.restrictive.iter().any(constrains) || set.permissive.iter().all(constrains) {
                continue;
            }
            let open: Vec<String> = set
                .permissive
                .iter()
                .filter(|p| !constrains(p))
                .map(|p| p.policy.name.clone())
                .collect();
            out.push(CHECK.finding(
                CHECK.level,
                &t.name,
                Some(role),
                format!(
                    "{role} reads the audit log through {} ({}), which does not constrain {key}: every tenant's entries are readable",
                    list(&open),
                    cx.effective(t, role, PolicyCommand::Select).render()
                ),
                Some(format!(
                    "-- make the SELECT policies on {} compare {key} with the caller's tenant",
                    t.name
                )),
            ));
        }
    }
    out
}

/// The log's tenant key: configured or inferred from its policies, else the
/// column the other RLS tables are keyed by, when the log has it.
fn tenant_key(cx: &Context<'_>, log: &Table) -> Option<String> {
    if let Some(key) = cx.tenant_key(log) {
        return Some(key);
    }
    cx.rls_tables()
        .filter(|t| t.name != log.name)
        .filter_map(|t| cx.tenant_key(t))
        .find(|k| log.column(k).is_some())
}
