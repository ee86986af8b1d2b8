//! SB007 `anonymous_sign_in_not_checked` (RLS-SEMANTICS 6.7 Supabase pack,
//! splinter 0012): users of anonymous sign-ins, when enabled, also act as
//! `authenticated`; a permissive policy `TO authenticated` on a client table
//! whose expressions never test `is_anonymous` admits them like real users.

use super::{Check, Context, PolicyRef};
use crate::audit::expr::{Expr, all_calls, all_strings, column_refs};
use crate::audit::policies::ParsedPolicy;
use crate::audit::{Finding, Level};
use crate::catalog::Grantee;

/// The check.
pub const CHECK: Check = Check {
    id: "SB007",
    name: "anonymous_sign_in_not_checked",
    level: Level::Info,
    summary: "policy TO authenticated never tests is_anonymous (anonymous sign-ins) (Supabase)",
    run,
};

const CLAIM: &str = "is_anonymous";

fn run(cx: &Context<'_>) -> Vec<Finding> {
    if !cx.scope.supabase {
        return Vec::new();
    }
    let authenticated = Grantee::Role("authenticated".to_string());
    let mut out = Vec::new();
    for t in cx.rls_tables().filter(|t| !cx.row_clients(t).is_empty()) {
        let policies = cx.policies(t);
        for p in policies
            .iter()
            .filter(|p| p.permissive() && p.policy.roles.contains(&authenticated))
        {
            if !judgeable(p) || tests_claim(p) {
                continue;
            }
            // A restrictive policy testing the claim for this command covers it.
            let covered = policies.iter().any(|r| {
                !r.permissive()
                    && r.covers(p.policy.command)
                    && r.applies_to("authenticated", &cx.access)
                    && tests_claim(r)
            });
            if covered {
                continue;
            }
            out.push(CHECK.finding(
                CHECK.level,
                &PolicyRef(t, &p.policy.name),
                None,
                "TO authenticated, never tests is_anonymous: if anonymous sign-ins are enabled, \
                 anonymous users pass it like signed-up users"
                    .to_string(),
                Some(format!(
                    "CREATE POLICY no_anonymous ON {} AS RESTRICTIVE TO authenticated USING \
                     (NOT coalesce(((select auth.jwt()) ->> 'is_anonymous')::boolean, false)); \
                     -- if anonymous users must not pass {}",
                    t.name,
                    crate::sql::quote_ident(&p.policy.name)
                )),
            ));
        }
    }
    out
}

/// Whether every expression the policy has was parsed.
fn judgeable(p: &ParsedPolicy<'_>) -> bool {
    (p.policy.using.is_none() || p.using.is_some())
        && (p.policy.with_check.is_none() || p.with_check.is_some())
}

/// Whether USING or WITH CHECK references `is_anonymous` (a claim key, a column
/// or a function of that name), sub-selects included.
fn tests_claim(p: &ParsedPolicy<'_>) -> bool {
    [p.using.as_ref(), p.with_check.as_ref()]
        .into_iter()
        .flatten()
        .any(references_claim)
}

fn references_claim(e: &Expr) -> bool {
    let last_is = |parts: &[String]| parts.last().is_some_and(|n| n == CLAIM);
    all_strings(e).iter().any(|s| s == CLAIM)
        || all_calls(e).iter().any(|n| last_is(n))
        || e.any(&|x| matches!(x, Expr::Column(parts) if last_is(parts)))
        || e.sub_selects()
            .iter()
            .any(|tree| column_refs(tree).iter().any(|c| last_is(c)))
}
