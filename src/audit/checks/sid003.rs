//! SID003 `planner_counters_visible` (RLS-SEMANTICS 6.5, L29, `[E23]`,
//! `[E27]`, planner-stats-security): clients with direct SQL read
//! `pg_class.reltuples`, `pg_stat_*_tables` counters and EXPLAIN estimates over
//! every tenant's rows. Reported once, when clients can read an RLS table.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "SID003",
    name: "planner_counters_visible",
    level: Level::Info,
    summary: "row counts and planner estimates cover every tenant (direct SQL)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let exposed = cx
        .rls_tables()
        .any(|t| !cx.clients_with(t, &[Privilege::Select]).is_empty());
    if !exposed {
        return Vec::new();
    }
    vec![CHECK.finding(
        CHECK.level,
        &"database",
        None,
        "clients that run SQL directly can read reltuples, pg_stat_user_tables counters and EXPLAIN row estimates, which count every tenant's rows".to_string(),
        Some("-- expose the database only through an API (PostgREST without plan output), or accept the volume side channel".to_string()),
    )]
}
