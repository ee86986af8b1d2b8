//! POL024 `opaque_policy_helper` (RLS-SEMANTICS 6.2, rat L005): a policy calls
//! a user function (not a configured context helper): static analysis stops
//! there; `rlsctl test` must probe it. SECURITY DEFINER helpers are named so.

use super::{Check, Context, PolicyRef};
use crate::audit::expr::all_calls;
use crate::audit::{Finding, Level};
use crate::catalog::QualifiedName;

/// The check.
pub const CHECK: Check = Check {
    id: "POL024",
    name: "opaque_policy_helper",
    level: Level::Info,
    summary: "policy calls a user function: opaque to static analysis",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t) {
            let mut helpers: Vec<String> = Vec::new();
            for name in [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .flat_map(all_calls)
            {
                let [schema, function] = name.as_slice() else {
                    continue;
                };
                let qualified = format!("{schema}.{function}");
                if cx.helpers.contains(&qualified)
                    || helpers.iter().any(|h| h.starts_with(&qualified))
                {
                    continue;
                }
                let found: Vec<_> = cx
                    .catalog
                    .functions_named(&QualifiedName::new(schema.clone(), function.clone()))
                    .collect();
                if found.is_empty() {
                    continue;
                }
                let definer = if found.iter().any(|f| f.security_definer) {
                    " (SECURITY DEFINER)"
                } else {
                    ""
                };
                helpers.push(format!("{qualified}{definer}"));
            }
            if !helpers.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    format!(
                        "calls {}: what it admits is decided inside the function",
                        helpers.join(", ")
                    ),
                    Some("-- cover the policy with rlsctl test (impersonated probes)".to_string()),
                ));
            }
        }
    }
    out
}
