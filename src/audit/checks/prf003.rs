//! PRF003 `correlated_policy_subquery` (RLS-SEMANTICS 6.6, Supabase guide
//! "Minimize joins"): a policy sub-select that refers to the outer row (runs
//! once per row) instead of a set the row is tested against.

use super::{Check, Context, PolicyRef};
use crate::audit::expr::{column_refs, names_table, relations};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "PRF003",
    name: "correlated_policy_subquery",
    level: Level::Info,
    summary: "policy sub-select correlated with the outer row",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t) {
            let correlated = [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .flat_map(|e| e.sub_selects())
                .any(|tree| {
                    let inner: Vec<_> = relations(tree)
                        .iter()
                        .filter_map(|r| cx.catalog.tables.iter().find(|x| names_table(r, &x.name)))
                        .collect();
                    column_refs(tree)
                        .iter()
                        .any(|parts| match parts.as_slice() {
                            [qualifier, column] => {
                                *qualifier == t.name.name
                                    && t.column(column).is_some()
                                    && !inner.iter().any(|i| i.name == t.name)
                            }
                            [column] => {
                                t.column(column).is_some()
                                    && !inner.iter().any(|i| i.column(column).is_some())
                                    && !inner.is_empty()
                            }
                            _ => false,
                        })
                });
            if correlated {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    "a sub-select refers to the outer row, so it runs for every row".to_string(),
                    Some("-- test the row against an uncorrelated set: col IN (SELECT ... WHERE user_id = (SELECT auth.uid()))".to_string()),
                ));
            }
        }
    }
    out
}
