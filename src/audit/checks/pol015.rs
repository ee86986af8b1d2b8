//! POL015 `self_referential_policy` (RLS-SEMANTICS 6.2, L33, `[E37]`, rat L006):
//! a policy that sub-selects its own table raises `42P17 infinite recursion`.

use super::{Check, Context, PolicyRef};
use crate::audit::expr::{names_table, relations};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL015",
    name: "self_referential_policy",
    level: Level::Warn,
    summary: "policy sub-selects its own table (infinite recursion, 42P17)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t) {
            let selfref = [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .flat_map(|e| e.sub_selects())
                .any(|tree| relations(tree).iter().any(|r| names_table(r, &t.name)));
            if selfref {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    format!("sub-selects {} itself: every query on it fails with 42P17 infinite recursion", t.name),
                    Some("-- move the lookup into a SECURITY DEFINER function owned by a role that bypasses RLS, with a pinned search_path".to_string()),
                ));
            }
        }
    }
    out
}
