//! PRF004 `policy_without_to_role` (RLS-SEMANTICS 6.6, Supabase guide "Specify
//! roles"): a restrictive policy `TO PUBLIC` is evaluated for every role,
//! including roles it was not meant for. (Permissive ones are POL016, WARN.)

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};
use crate::catalog::Grantee;

/// The check.
pub const CHECK: Check = Check {
    id: "PRF004",
    name: "policy_without_to_role",
    level: Level::Info,
    summary: "restrictive policy TO PUBLIC (evaluated for every role)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t).iter().filter(|p| !p.permissive()) {
            if p.policy.roles.contains(&Grantee::Public) {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    "TO PUBLIC: evaluated for every role's queries".to_string(),
                    Some(format!(
                        "ALTER POLICY {} ON {} TO <the roles it is for>;",
                        crate::sql::quote_ident(&p.policy.name),
                        t.name
                    )),
                ));
            }
        }
    }
    out
}
