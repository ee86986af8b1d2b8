//! MIG004: `SET NOT NULL` (or `ADD CONSTRAINT ... NOT NULL`) on an existing
//! table scans the whole table under ACCESS EXCLUSIVE, unless a validated
//! `CHECK (col IS NOT NULL)` already proves it (PostgreSQL 12+ then skips the scan).

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ConstrType};

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::lint::names;
use crate::sql::quote_ident;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG004",
    name: "set-not-null",
    level: Level::Error,
    summary: "SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL)",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let Some((table, cmds)) = alter_commands(cx) else {
        return vec![];
    };
    if !cx.existing(&table) {
        return vec![];
    }
    let mut columns = Vec::new();
    for (cmd, kind) in &cmds {
        match kind {
            AlterTableType::AtSetNotNull => columns.push(cmd.name.clone()),
            AlterTableType::AtAddConstraint => {
                if let Some(NodeEnum::Constraint(k)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                    && k.contype == ConstrType::ConstrNotnull as i32
                    && !k.skip_validation
                {
                    columns.extend(names::strings(&k.keys));
                }
            }
            _ => {}
        }
    }
    columns
        .into_iter()
        .filter(|c| !cx.history.proves_not_null(&table, c))
        .map(|c| {
            cx.hit(
                format!(
                    "SET NOT NULL on column {} of existing table {table} scans the whole table while holding ACCESS EXCLUSIVE",
                    quote_ident(&c)
                ),
                format!(
                    "first ADD CONSTRAINT ... CHECK ({} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT (in an earlier statement or migration), then SET NOT NULL",
                    quote_ident(&c)
                ),
            )
        })
        .collect()
}
