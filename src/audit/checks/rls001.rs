//! RLS001 `rls_disabled_on_client_relation` (RLS-SEMANTICS 6.1, L01, sp 0013,
//! pgrls SEC001): an ordinary table without RLS that a client role can read or
//! write, on the table or any column. Partitions and children are RLS006,
//! partitioned parents RLS007.

use super::{Check, Context, list, roles_sql};
use crate::audit::{Finding, Level};
use crate::catalog::{Privilege, TableKind};

/// The check.
pub const CHECK: Check = Check {
    id: "RLS001",
    name: "rls_disabled_on_client_relation",
    level: Level::Error,
    summary: "table without row-level security readable or writable by a client role",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.catalog
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Ordinary && !t.rls_enabled)
        .filter(|t| t.partition_of.is_none() && t.inherits.is_empty())
        .filter_map(|t| {
            let clients = cx.row_clients(t);
            let writers = cx.clients_with(t, &[Privilege::Insert, Privilege::Update, Privilege::Delete]);
            let shared = writers.is_empty() && cx.tenant_column().is_some_and(|c| t.column(c).is_none());
            let declared = cx
                .config
                .public_tables
                .iter()
                .find(|(name, _)| name == &t.name)
                .map(|(_, reason)| reason);
            let (level, why) = if let (true, Some(reason)) = (shared, declared) {
                (Level::Info, format!("RLS is disabled and {} may read every row; the declaration says it is public: {reason}", list(&clients)))
            } else if shared {
                (Level::Warn, format!("RLS is disabled and {} may read every row; it has no tenant column, so confirm it holds no tenant data", list(&clients)))
            } else {
                (Level::Error, format!("RLS is disabled and client roles {} have row privileges: every row is theirs", list(&clients)))
            };
            // Policies that read it as a client role break if that role loses
            // SELECT or, under RLS, has no SELECT policy on it.
            let readers = cx.policy_readers(t);
            let fix = if readers.roles.is_empty() {
                format!(
                    "ALTER TABLE {} ENABLE ROW LEVEL SECURITY; -- then add policies, or REVOKE ALL ON {} FROM {}",
                    t.name,
                    t.name,
                    roles_sql(&clients)
                )
            } else {
                format!(
                    "-- ALTER TABLE {} ENABLE ROW LEVEL SECURITY only together with CREATE POLICY ... FOR SELECT TO {} \
                     USING (<the rows they need>): {}; never REVOKE their SELECT",
                    t.name,
                    roles_sql(&readers.roles),
                    readers.note("read").trim_start_matches("; ")
                )
            };
            (!clients.is_empty()).then(|| {
                CHECK.finding(level, &t.name, None, format!("{why}{}", readers.note("read")), Some(fix))
            })
        })
        .collect()
}
