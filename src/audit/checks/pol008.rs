//! POL008 `current_setting_without_missing_ok` (RLS-SEMANTICS 6.2, `[E20]`,
//! pgrls SEC019): one-argument `current_setting()` raises when never set.

use super::{Check, Context};
use crate::audit::expr::Expr;
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL008",
    name: "current_setting_without_missing_ok",
    level: Level::Info,
    summary: "one-argument current_setting() raises when the setting was never set",
    run,
};

fn one_arg(e: &Expr) -> bool {
    matches!(e, Expr::Call(name, args) if name.last().is_some_and(|n| n == "current_setting") && args.len() == 1)
}

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.policies_where(
        &CHECK,
        |e| e.any(&one_arg),
        "current_setting(name) raises `unrecognized configuration parameter` in sessions that never set it",
        "-- use current_setting(name, true) with nullif(..., '')",
    )
}
