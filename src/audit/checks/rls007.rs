//! RLS007 `partitioned_parent_without_rls` (RLS-SEMANTICS 6.1, splinter gap
//! `[E-SB]` t3): a partitioned table without RLS that clients can access: its
//! path returns every partition's rows, whatever the partitions' own policies.

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::TableKind;

/// The check.
pub const CHECK: Check = Check {
    id: "RLS007",
    name: "partitioned_parent_without_rls",
    level: Level::Error,
    summary: "partitioned table without row-level security accessible to a client role",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.catalog
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Partitioned && !t.rls_enabled && t.partition_of.is_none())
        .filter_map(|t| {
            let clients = cx.row_clients(t);
            (!clients.is_empty()).then(|| {
                CHECK.finding(
                    CHECK.level,
                    &t.name,
                    None,
                    format!(
                        "partitioned table without RLS; {} reach every partition's rows through it \
                         (partition policies do not apply to the parent's path)",
                        list(&clients)
                    ),
                    Some(format!(
                        "ALTER TABLE {} ENABLE ROW LEVEL SECURITY; -- and add its policies",
                        t.name
                    )),
                )
            })
        })
        .collect()
}
