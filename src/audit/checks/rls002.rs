//! RLS002 `policy_exists_rls_disabled` (RLS-SEMANTICS 6.1, L02, sp 0007,
//! rat L008): policies are defined but RLS is off, so none of them applies.

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "RLS002",
    name: "policy_exists_rls_disabled",
    level: Level::Error,
    summary: "policies defined on a table whose row-level security is disabled",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.catalog
        .tables
        .iter()
        .filter(|t| !t.rls_enabled && !t.policies.is_empty())
        .map(|t| {
            let names: Vec<String> = t.policies.iter().map(|p| p.name.clone()).collect();
            CHECK.finding(
                CHECK.level,
                &t.name,
                None,
                format!("policies {} are dead: RLS is disabled", names.join(", ")),
                Some(format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", t.name)),
            )
        })
        .collect()
}
