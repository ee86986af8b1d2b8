//! POL013 `hardcoded_identity_literal` (RLS-SEMANTICS 6.2, pgrls SEC021): the
//! tenant key compared with a literal (`tenant_id = 1`) in a policy.

use super::{Check, Context, PolicyRef};
use crate::audit::expr::Expr;
use crate::audit::policies::strip_casts;
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL013",
    name: "hardcoded_identity_literal",
    level: Level::Info,
    summary: "tenant column compared with a literal in a policy",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        let Some(key) = cx.tenant_key(t) else {
            continue;
        };
        for p in cx.policies(t) {
            let literal = |e: &Expr| {
                let Expr::Op(op, args) = e else { return false };
                op == "=" && args.len() == 2 && {
                    let (a, b) = (strip_casts(&args[0]), strip_casts(&args[1]));
                    let is_key =
                        |x: &Expr| matches!(x, Expr::Column(parts) if parts.last() == Some(&key));
                    (is_key(a) && matches!(b, Expr::Const(_)))
                        || (is_key(b) && matches!(a, Expr::Const(_)))
                }
            };
            if [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .any(|e| e.any(&literal))
            {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    format!("compares {key} with a literal: one tenant hard-coded into the policy"),
                    Some(format!(
                        "-- compare {key} with the caller's context instead"
                    )),
                ));
            }
        }
    }
    out
}
