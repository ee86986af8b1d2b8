//! AUD003 `audit_trigger_search_path_unpinned` (issue 15; RLS-SEMANTICS 6.4,
//! sql-createfunction "Writing SECURITY DEFINER Functions Safely"): a SECURITY
//! DEFINER trigger function that writes an audit log (see `trail`) without a
//! pinned `search_path`, or with `pg_temp` not last. The caller's search path
//! then resolves the names it uses: a temporary table or function of the
//! caller's shadows the log or a helper, and entries go astray or are forged
//! with the definer's rights. BYP005 warns on every such function; on the
//! audit trail it is an error.

use super::trail::audit_logs;
use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "AUD003",
    name: "audit_trigger_search_path_unpinned",
    level: Level::Error,
    summary: "SECURITY DEFINER audit trigger function without a safe pinned search_path",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for log in audit_logs(cx) {
        for f in log.writers.iter().filter(|f| f.security_definer) {
            let problem = match f.pinned_search_path() {
                None => "no pinned search_path".to_string(),
                Some(path) => {
                    let parts: Vec<&str> = path
                        .split(',')
                        .map(|p| p.trim().trim_matches('"'))
                        .collect();
                    match parts.iter().position(|p| *p == "pg_temp") {
                        Some(i) if i + 1 != parts.len() => {
                            format!("search_path={path} puts pg_temp before other schemas")
                        }
                        _ => continue,
                    }
                }
            };
            let signature = format!("{}({})", f.name, f.identity_arguments);
            if seen.contains(&signature) {
                continue;
            }
            seen.push(signature.clone());
            out.push(CHECK.finding(
                CHECK.level,
                &signature,
                None,
                format!(
                    "writes the audit log {} as its owner {} with {problem}: a caller's own objects can shadow the names it uses",
                    log.table.name, f.owner
                ),
                Some(format!(
                    "ALTER FUNCTION {signature} SET search_path = ''; -- and qualify every name in its body"
                )),
            ));
        }
    }
    out
}
