//! POL020 `constant_false_policy` (RLS-SEMANTICS 6.2, pgrls SEC010):
//! `USING/WITH CHECK (false)`: deny through a policy instead of REVOKE.

use super::{Check, Context, PolicyRef};
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
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for p in cx.policies(t) {
            if [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .any(always_false)
            {
                out.push(
                    CHECK.finding(
                        CHECK.level,
                        &PolicyRef(t, &p.policy.name),
                        None,
                        "an always-false expression: the privilege it denies is still granted"
                            .to_string(),
                        Some("-- REVOKE the privilege instead, and drop the policy".to_string()),
                    ),
                );
            }
        }
    }
    out
}
