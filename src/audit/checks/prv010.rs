//! PRV010 `policy_applies_via_membership` (RLS-SEMANTICS 6.3, `[E33]`, sp 0006
//! gap): a policy `TO R`, R not a client role, reaches a client role through
//! role membership (INHERIT).

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};
use crate::catalog::Grantee;

/// The check.
pub const CHECK: Check = Check {
    id: "PRV010",
    name: "policy_applies_via_membership",
    level: Level::Warn,
    summary: "policy for another role reaches a client role through membership",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t).iter().filter(|p| p.permissive()) {
            for g in &p.policy.roles {
                let Grantee::Role(target) = g else { continue };
                if cx.clients().contains(target) {
                    continue;
                }
                let via: Vec<String> = cx
                    .clients()
                    .iter()
                    .filter(|c| cx.access.privileges_of(c).contains(target))
                    .cloned()
                    .collect();
                if !via.is_empty() {
                    out.push(CHECK.finding(
                        CHECK.level,
                        &PolicyRef(t, &p.policy.name),
                        Some(target),
                        format!(
                            "TO {target}, and {} inherit {target}: the policy widens their access",
                            via.join(", ")
                        ),
                        Some(format!(
                            "-- REVOKE {} FROM the client roles, or grant the membership NOINHERIT",
                            crate::sql::quote_ident(target)
                        )),
                    ));
                }
            }
        }
    }
    out
}
