//! POL009 `unqualified_custom_setting` (RLS-SEMANTICS 6.2, pgrls SEC024):
//! `current_setting('tenant_id')`: a name without a dot can't be a custom setting.

use super::{Check, Context};
use crate::audit::expr::{Const, Expr};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL009",
    name: "unqualified_custom_setting",
    level: Level::Info,
    summary: "current_setting() of a name without a dot (not a custom setting)",
    run,
};

fn undotted(e: &Expr) -> bool {
    let Expr::Call(name, args) = e else {
        return false;
    };
    if name.last().is_none_or(|n| n != "current_setting") {
        return false;
    }
    let mut first = args.first();
    while let Some(Expr::Cast(inner, _)) = first {
        first = Some(inner);
    }
    matches!(first, Some(Expr::Const(Const::Text(s))) if !s.contains('.'))
}

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.policies_where(
        &CHECK,
        |e| e.any(&undotted),
        "reads a setting without a dot: custom settings are `prefix.name` (app.tenant_id)",
        "-- name the setting app.<name>",
    )
}
