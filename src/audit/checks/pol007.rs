//! POL007 `context_cast_unsafe_on_empty` (RLS-SEMANTICS 6.2, L22, `[E20b]`,
//! `[E20d]`): `current_setting(x, true)` cast to a non-text type without
//! `nullif(..., '')`: on a pooled connection it returns `''` after any earlier
//! `SET LOCAL`, and the cast raises.

use super::{Check, Context, PolicyRef};
use crate::audit::expr::Expr;
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL007",
    name: "context_cast_unsafe_on_empty",
    level: Level::Warn,
    summary: "current_setting(..., true) cast to a non-text type without nullif(..., '')",
    run,
};

const TEXT: &[&str] = &["text", "varchar", "bpchar", "name"];

/// Whether `e` is a cast of a missing-ok `current_setting` to a non-text type.
fn unsafe_cast(e: &Expr) -> bool {
    let Expr::Cast(inner, ty) = e else {
        return false;
    };
    if TEXT.contains(&ty.as_str()) {
        return false;
    }
    let mut inner = inner.as_ref();
    while let Expr::Cast(i, t) = inner {
        if !TEXT.contains(&t.as_str()) {
            return false;
        }
        inner = i;
    }
    matches!(inner, Expr::Call(name, args)
        if name.last().is_some_and(|n| n == "current_setting") && args.len() == 2)
}

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for p in cx.policies(t) {
            let hit = [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .any(|e| e.any(&unsafe_cast));
            if hit {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    "casts current_setting(..., true) without nullif(..., ''): errors on a pooled connection once any earlier transaction set the setting".to_string(),
                    Some("-- write nullif(current_setting('app.tenant_id', true), '')::uuid".to_string()),
                ));
            }
        }
    }
    out
}
