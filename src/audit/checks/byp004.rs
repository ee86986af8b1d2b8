//! BYP004 `secdef_function_client_executable` (RLS-SEMANTICS 6.4, L14, `[E12]`,
//! sp 0028/0029, pgrls SEC014): a SECURITY DEFINER function a client can
//! execute (PUBLIC may EXECUTE by default). ERROR when its owner bypasses RLS
//! and its body names an RLS table without reading the caller's context
//! (`[E12]`'s `all_secrets()`); a body that scopes by `auth.uid()`,
//! `current_setting` or a context helper (the Supabase "private helper"
//! pattern) stays WARN: opaque to static analysis, to be probed by `rlsctl test`.

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::{FunctionBody, Privilege};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP004",
    name: "secdef_function_client_executable",
    level: Level::Warn,
    summary: "SECURITY DEFINER function executable by a client role",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in cx.catalog.functions.iter().filter(|f| f.security_definer) {
        let callers: Vec<String> = cx
            .clients()
            .iter()
            .filter(|r| {
                cx.access.uses_schema(r, &f.name.schema)
                    && cx.access.holds(
                        r,
                        &f.acl,
                        &f.owner,
                        &[Privilege::Execute],
                        Privilege::Execute,
                    )
            })
            .cloned()
            .collect();
        if callers.is_empty() {
            continue;
        }
        let body = match &f.body {
            FunctionBody::Source(s) | FunctionBody::SqlStandard(s) => s.to_lowercase(),
        };
        let bypassed: Vec<String> = cx
            .rls_tables()
            .filter(|t| {
                body.contains(&t.name.name.to_lowercase())
                    && cx.access.reads_without_rls(&f.owner, t)
            })
            .map(|t| t.name.to_string())
            .collect();
        let scoped = ["auth.uid()", "auth.jwt()", "current_setting("]
            .iter()
            .map(|s| s.to_string())
            .chain(cx.helpers.iter().map(|h| h.to_lowercase()))
            .any(|marker| body.contains(&marker));
        let (level, extra) = match (bypassed.is_empty(), scoped) {
            (true, _) => (Level::Warn, String::new()),
            (false, true) => (
                Level::Warn,
                format!(
                    "; it reads {} bypassing RLS but scopes by the caller's context (verify with rlsctl test)",
                    bypassed.join(", ")
                ),
            ),
            (false, false) => (
                Level::Error,
                format!(
                    "; its owner {} bypasses RLS on {} which it reads, whatever the caller",
                    f.owner,
                    bypassed.join(", ")
                ),
            ),
        };
        let signature = format!("{}({})", f.name, f.identity_arguments);
        out.push(CHECK.finding(
            level,
            &signature,
            None,
            format!("runs as {} and {} may call it{extra}", f.owner, list(&callers)),
            Some(format!("REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC, {}; -- or make it SECURITY INVOKER", super::roles_sql(&callers))),
        ));
    }
    out
}
