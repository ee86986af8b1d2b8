//! PRF001 `per_row_context_call` (RLS-SEMANTICS 6.6, `[E31]`, sp 0003, pgrls
//! PERF001, Supabase guide): a context call (`current_setting`, `auth.*()`,
//! configured helpers) in USING/WITH CHECK that is not under a sub-select, so
//! it runs per row instead of once as an InitPlan.

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "PRF001",
    name: "per_row_context_call",
    level: Level::Warn,
    summary: "context call evaluated per row (wrap it: (select auth.uid()))",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t) {
            let mut calls = Vec::new();
            for e in [&p.using, &p.with_check].into_iter().flatten() {
                e.walk(&mut |x| {
                    if x.is_context_call(&cx.helpers)
                        && let crate::audit::expr::Expr::Call(name, _) = x
                    {
                        let shown = format!("{}()", name.join("."));
                        if !calls.contains(&shown) {
                            calls.push(shown);
                        }
                    }
                });
            }
            if !calls.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    format!("{} not under a sub-select: evaluated for every row", calls.join(", ")),
                    Some("-- wrap each call in a sub-select: (select auth.uid()), (select current_setting('app.tenant_id', true))".to_string()),
                ));
            }
        }
    }
    out
}
