//! POL016 `permissive_to_public` (RLS-SEMANTICS 6.2, pgrls SEC003): a
//! permissive policy `TO PUBLIC` applies to every current and future role.

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};
use crate::catalog::Grantee;

/// The check.
pub const CHECK: Check = Check {
    id: "POL016",
    name: "permissive_to_public",
    level: Level::Warn,
    summary: "permissive policy TO PUBLIC (every current and future role)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t).iter().filter(|p| p.permissive()) {
            if p.policy.roles.contains(&Grantee::Public) {
                out.push(
                    CHECK.finding(
                        CHECK.level,
                        &PolicyRef(t, &p.policy.name),
                        None,
                        "TO PUBLIC: widens access for every role, including roles created later"
                            .to_string(),
                        Some(format!(
                            "ALTER POLICY {} ON {} TO <client roles>;",
                            crate::sql::quote_ident(&p.policy.name),
                            t.name
                        )),
                    ),
                );
            }
        }
    }
    out
}
