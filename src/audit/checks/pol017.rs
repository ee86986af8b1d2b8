//! POL017 `policy_for_bypass_role` (RLS-SEMANTICS 6.2, pgrls SEC023): `TO`
//! names a superuser or BYPASSRLS role, for which policies never apply.

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};
use crate::catalog::Grantee;

/// The check.
pub const CHECK: Check = Check {
    id: "POL017",
    name: "policy_for_bypass_role",
    level: Level::Info,
    summary: "policy TO a role that bypasses RLS (inert)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for p in cx.policies(t) {
            let inert: Vec<String> = p
                .policy
                .roles
                .iter()
                .filter_map(|g| match g {
                    Grantee::Role(r) if cx.access.bypasses_rls(r) => Some(r.clone()),
                    _ => None,
                })
                .collect();
            if !inert.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    format!(
                        "{} bypass RLS: the policy never applies to them",
                        inert.join(", ")
                    ),
                    None,
                ));
            }
        }
    }
    out
}
