//! MIG005: `ALTER COLUMN ... TYPE` on an existing table takes ACCESS EXCLUSIVE
//! and, for most type changes, rewrites the table and its indexes.

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::sql::quote_ident;
use pg_query::protobuf::AlterTableType;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG005",
    name: "alter-column-type",
    level: Level::Error,
    summary: "ALTER COLUMN ... TYPE on an existing table",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let Some((table, cmds)) = alter_commands(cx) else {
        return vec![];
    };
    if !cx.existing(&table) {
        return vec![];
    }
    cmds.iter()
        .filter(|(_, t)| *t == AlterTableType::AtAlterColumnType)
        .map(|(cmd, _)| {
            cx.hit(
                format!(
                    "ALTER COLUMN {} TYPE on existing table {table} holds ACCESS EXCLUSIVE and usually rewrites the table and its indexes",
                    quote_ident(&cmd.name)
                ),
                "add a column of the new type, backfill it in batches, switch readers and writers, then drop the old column; or allow it here when the change is binary-compatible (varchar(n) to text)",
            )
        })
        .collect()
}
