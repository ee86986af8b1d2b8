//! AUD002 `audit_log_client_writable` (issue 15; RLS-SEMANTICS 6.3, L10): a
//! client role can write an audit log (see `trail`) itself: INSERT forges
//! entries (even a tenant-checked policy lets it forge its own tenant's),
//! UPDATE and DELETE alter or erase them, TRUNCATE (not subject to RLS) erases
//! every tenant's. Entries must be written only by the trigger.

use super::trail::audit_logs;
use super::{Check, Context, list, roles_sql};
use crate::audit::{Finding, Level};
use crate::catalog::{PolicyCommand, Privilege};

/// The check.
pub const CHECK: Check = Check {
    id: "AUD002",
    name: "audit_log_client_writable",
    level: Level::Error,
    summary: "clients can insert, alter or erase audit log entries",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for log in audit_logs(cx) {
        let t = log.table;
        let mut writers: Vec<String> = Vec::new();
        let mut verbs: Vec<&str> = Vec::new();
        for (command, privilege, verb) in [
            (
                Some(PolicyCommand::Insert),
                Privilege::Insert,
                "INSERT (forge)",
            ),
            (
                Some(PolicyCommand::Update),
                Privilege::Update,
                "UPDATE (alter)",
            ),
            (
                Some(PolicyCommand::Delete),
                Privilege::Delete,
                "DELETE (erase)",
            ),
            (None, Privilege::Truncate, "TRUNCATE (erase all)"),
        ] {
            let roles: Vec<String> = cx
                .clients_with(t, &[privilege])
                .into_iter()
                .filter(|r| match command {
                    // Under RLS a command no permissive policy admits is denied;
                    // TRUNCATE ignores RLS.
                    Some(c) if t.rls_enabled && !cx.access.bypasses_rls(r) => {
                        !cx.effective(t, r, c).permissive.is_empty()
                    }
                    _ => true,
                })
                .collect();
            if !roles.is_empty() {
                verbs.push(verb);
                for r in roles {
                    if !writers.contains(&r) {
                        writers.push(r);
                    }
                }
            }
        }
        if writers.is_empty() {
            continue;
        }
        let how = if log.writers.is_empty() {
            String::new()
        } else {
            format!(
                " (its trigger function {} writes it as its definer)",
                log.writers
                    .iter()
                    .map(|f| f.name.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push(CHECK.finding(
            CHECK.level,
            &t.name,
            None,
            format!(
                "{} can {} on the audit log: entries can be forged or erased{how}",
                list(&writers),
                verbs.join(", ")
            ),
            Some(format!(
                "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {}; -- write it from a SECURITY DEFINER trigger function only",
                t.name,
                roles_sql(&writers)
            )),
        ));
    }
    out
}
