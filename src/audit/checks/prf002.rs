//! PRF002 `policy_column_unindexed` (RLS-SEMANTICS 6.6, pgrls PERF003,
//! Supabase guide "Add indexes"): the tenant key compared with the context has
//! no index leading with it: every query scans the table.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::IndexPart;

/// The check.
pub const CHECK: Check = Check {
    id: "PRF002",
    name: "policy_column_unindexed",
    level: Level::Warn,
    summary: "policy's tenant column has no index leading with it",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables().filter(|t| !t.policies.is_empty()) {
        let Some(key) = cx.tenant_key(t) else {
            continue;
        };
        let indexed = t.indexes.iter().any(|i| {
            i.predicate.is_none() && matches!(i.keys.first().map(|k| &k.part), Some(IndexPart::Column(c)) if *c == key)
        });
        if !indexed {
            out.push(CHECK.finding(
                CHECK.level,
                &t.name,
                Some(&key),
                format!("policies filter on {key} but no index leads with it"),
                Some(format!(
                    "CREATE INDEX ON {} ({});",
                    t.name,
                    crate::sql::quote_ident(&key)
                )),
            ));
        }
    }
    out
}
