//! POL020 `constant_false_policy` (RLS-SEMANTICS 6.2, pgrls SEC010):
//! `USING/WITH CHECK (false)`: deny through a policy instead of REVOKE.

use super::{Check, Context};
use crate::audit::eval::always_false;
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL020",
    name: "constant_false_policy",
    level: Level::Info,
    summary: "policy expression is always false (deny with REVOKE instead)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.policies_where(
        &CHECK,
        always_false,
        "an always-false expression: the privilege it denies is still granted",
        "-- REVOKE the privilege instead, and drop the policy",
    )
}
