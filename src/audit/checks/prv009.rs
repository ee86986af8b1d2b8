//! PRV009 `sequence_readable` (RLS-SEMANTICS 6.3, L27, `[E21]`): SELECT on the
//! sequence behind a column of an RLS table: `last_value` counts every tenant's inserts.

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "PRV009",
    name: "sequence_readable",
    level: Level::Info,
    summary: "client can read the sequence of an RLS table (global counts)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &cx.catalog.sequences {
        let Some(owner) = &s.owned_by else { continue };
        if !cx
            .catalog
            .table(&owner.table)
            .is_some_and(|t| t.rls_enabled)
        {
            continue;
        }
        let readers: Vec<String> = cx
            .clients()
            .iter()
            .filter(|r| {
                cx.access.uses_schema(r, &s.name.schema)
                    && cx.access.holds(r, &s.acl, &s.owner, &[], Privilege::Select)
            })
            .cloned()
            .collect();
        if !readers.is_empty() {
            out.push(CHECK.finding(
                CHECK.level,
                &s.name,
                None,
                format!(
                    "{} can read last_value of the sequence of {}.{}: the all-tenant insert count",
                    list(&readers),
                    owner.table,
                    owner.column
                ),
                Some(format!(
                    "REVOKE SELECT ON SEQUENCE {} FROM {}; -- USAGE suffices for nextval",
                    s.name,
                    super::roles_sql(&readers)
                )),
            ));
        }
    }
    out
}
