//! BYP003 `foreign_table_exposed` (RLS-SEMANTICS 6.4, `[E36]`, sp 0017): a
//! foreign table selectable by clients; RLS can't be enabled on it.

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP003",
    name: "foreign_table_exposed",
    level: Level::Warn,
    summary: "foreign table selectable by a client role (no RLS possible)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.facts
        .foreign_tables
        .iter()
        .filter(|(_, readers)| !readers.is_empty())
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
                    super::roles_sql(readers)
                )),
            )
        })
        .collect()
}
