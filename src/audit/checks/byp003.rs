//! BYP003 `foreign_table_exposed` (RLS-SEMANTICS 6.4, `[E36]`, sp 0017): a
//! foreign table selectable by clients; RLS can't be enabled on it.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "BYP003",
    name: "foreign_table_exposed",
    level: Level::Warn,
    summary: "foreign table selectable by a client role (no RLS possible)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.catalog
        .foreign_tables
        .iter()
        .filter_map(|f| {
            let readers: Vec<String> = cx
                .clients()
                .iter()
                .filter(|r| {
                    cx.access.uses_schema(r, &f.name.schema)
                        && cx.access.holds(r, &f.acl, &f.owner, &[], Privilege::Select)
                })
                .cloned()
                .collect();
            (!readers.is_empty()).then_some((&f.name, readers))
        })
        .map(|(name, readers)| {
            CHECK.finding(
                CHECK.level,
                name,
                None,
                format!(
                    "{} can read it and RLS cannot be enabled on foreign tables",
                    readers.join(", ")
                ),
                Some(format!(
                    "REVOKE SELECT ON {name} FROM {};",
                    super::roles_sql(&readers)
                )),
            )
        })
        .collect()
}
