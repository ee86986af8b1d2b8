//! BYP007 `leakproof_user_function` (RLS-SEMANTICS 6.4, L15, `[E13]`, pgrls
//! SEC017): a LEAKPROOF function outside `pg_catalog` may run before policy
//! quals and see other tenants' rows.

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP007",
    name: "leakproof_user_function",
    level: Level::Warn,
    summary: "user function marked LEAKPROOF (runs before RLS quals)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.catalog
        .functions
        .iter()
        .filter(|f| f.leakproof)
        .map(|f| {
            let signature = format!("{}({})", f.name, f.identity_arguments);
            CHECK.finding(
                CHECK.level,
                &signature,
                None,
                "LEAKPROOF: the planner may evaluate it on rows before the policies filter them"
                    .to_string(),
                Some(format!("ALTER FUNCTION {signature} NOT LEAKPROOF;")),
            )
        })
        .collect()
}
