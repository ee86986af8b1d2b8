//! POL006 `fail_open_without_context` (RLS-SEMANTICS 6.2, L21, `[E20c]`,
//! `[E28]`, pgrls SEC004/SEC038): the expression is true for rows when the
//! session context is NULL or `''` (`ctx IS NULL OR ...`, `coalesce(ctx, col)`),
//! decided by partial evaluation of the syntax tree. Where the missing context
//! flows into a function whose behaviour on NULL or `''` is not modelled, the
//! finding is INFO "cannot tell" (probe it), never a silent "safe".

use super::{Check, Context, PolicyRef};
use crate::audit::eval::{self, Openness, openness};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL006",
    name: "fail_open_without_context",
    level: Level::Error,
    summary: "policy admits rows when the session context is missing or empty",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t).iter().filter(|p| p.permissive()) {
            if cx.clients_of(p).is_empty() {
                continue;
            }
            let exprs = [
                ("USING", &p.using, &p.policy.using),
                ("WITH CHECK", &p.with_check, &p.policy.with_check),
            ];
            for (clause, parsed, text) in exprs {
                let Some(parsed) = parsed else { continue };
                let context = match openness(parsed, &cx.helpers) {
                    Openness::Open(c) => c,
                    Openness::Closed => continue,
                    Openness::Unknown(function) => {
                        out.push(CHECK.finding(
                            Level::Info,
                            &PolicyRef(t, &p.policy.name),
                            Some(clause),
                            format!(
                                "cannot tell whether {clause} ({}) admits rows without a context: the missing context reaches {function}(), whose value on NULL or '' is not modelled",
                                text.as_deref().unwrap_or("")
                            ),
                            Some("-- probe it: rlsctl test runs the no-context and empty-context principals".to_string()),
                        ));
                        continue;
                    }
                };
                let when = match context {
                    eval::Context::Empty => {
                        "the context is '' (a pooled connection after any earlier SET LOCAL)"
                    }
                    _ => "no context is set (anonymous callers, unset settings)",
                };
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    Some(clause),
                    format!("{clause} ({}) is true for rows when {when}", text.as_deref().unwrap_or("")),
                    Some("-- compare the column with the context only (no `IS NULL OR`, no coalesce to the column); a missing context must match nothing".to_string()),
                ));
            }
        }
    }
    out
}
