//! RLS006 `child_relation_exposed` (RLS-SEMANTICS 6.1, L13, `[E11]`, `[E11b]`):
//! a partition or inheritance child that clients can query directly while RLS
//! is off on it, or its policies differ from its parent's (a child's own
//! policies replace the parent's when it is named).

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::{Policy, Table};

/// The check.
pub const CHECK: Check = Check {
    id: "RLS006",
    name: "child_relation_exposed",
    level: Level::Error,
    summary: "partition or child table reachable directly with weaker row-level security than its parent",
    run,
};

fn shape(p: &Policy) -> String {
    format!(
        "{:?}{:?}{:?}{:?}{:?}",
        p.command, p.mode, p.roles, p.using, p.with_check
    )
}

fn policy_shapes(t: &Table) -> Vec<String> {
    let mut v: Vec<String> = t.policies.iter().map(shape).collect();
    v.sort();
    v
}

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        let parents: Vec<_> = t
            .partition_of
            .iter()
            .map(|p| &p.parent)
            .chain(&t.inherits)
            .collect();
        for parent in parents.iter().filter_map(|p| cx.catalog.table(p)) {
            let clients = cx.row_clients(t);
            if clients.is_empty() {
                continue;
            }
            let reason = if !t.rls_enabled {
                format!(
                    "RLS is off on this child of {}; {} query it directly and see every row",
                    parent.name,
                    list(&clients)
                )
            } else if parent.rls_enabled && policy_shapes(t) != policy_shapes(parent) {
                format!(
                    "its policies differ from its parent {}'s, and {} can name it directly (the parent's policies are ignored then)",
                    parent.name,
                    list(&clients)
                )
            } else {
                continue;
            };
            out.push(CHECK.finding(
                CHECK.level,
                &t.name,
                None,
                reason,
                Some(format!(
                    "REVOKE ALL ON {} FROM {}; -- reach rows through {} only (or ENABLE RLS with the parent's policies)",
                    t.name,
                    super::roles_sql(&clients),
                    parent.name
                )),
            ));
        }
    }
    out
}
