//! MIG006: dropping a column of an existing table loses its data, and breaks
//! every running client that still reads it.

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::sql::quote_ident;
use pg_query::protobuf::AlterTableType;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG006",
    name: "drop-column",
    level: Level::Error,
    summary: "DROP COLUMN on an existing table",
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
        .filter(|(_, t)| *t == AlterTableType::AtDropColumn)
        .map(|(cmd, _)| {
            cx.hit(
                format!(
                    "DROP COLUMN {} of existing table {table} loses its data and breaks clients that still read it",
                    quote_ident(&cmd.name)
                ),
                "stop reading and writing the column in a release first; then drop it with `-- rlsctl:allow MIG006 <why it is safe>`",
            )
        })
        .collect()
}
