//! MIG008: a FOREIGN KEY or CHECK added to an existing table without NOT VALID
//! is checked against every row while the table is locked (ACCESS EXCLUSIVE for
//! a CHECK; SHARE ROW EXCLUSIVE on both tables for a foreign key). Adding it NOT
//! VALID and then `VALIDATE CONSTRAINT` checks the rows under a lock that lets
//! reads and writes go on.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ConstrType};

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::sql::quote_ident;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG008",
    name: "constraint-without-not-valid",
    level: Level::Error,
    summary: "ADD FOREIGN KEY / CHECK without NOT VALID on an existing table",
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
        .filter(|(_, t)| *t == AlterTableType::AtAddConstraint)
        .filter_map(|(cmd, _)| match cmd.def.as_ref()?.node.as_ref()? {
            NodeEnum::Constraint(k) if !k.skip_validation => {
                let what = match ConstrType::try_from(k.contype).ok()? {
                    ConstrType::ConstrForeign => "FOREIGN KEY",
                    ConstrType::ConstrCheck => "CHECK",
                    _ => return None,
                };
                let name = if k.conname.is_empty() {
                    String::new()
                } else {
                    format!(" {}", quote_ident(&k.conname))
                };
                Some(cx.hit(
                    format!(
                        "{what}{name} added to existing table {table} without NOT VALID checks every row while the table is locked"
                    ),
                    "add it NOT VALID, then VALIDATE CONSTRAINT in a later statement (it checks the rows without blocking reads and writes)",
                ))
            }
            _ => None,
        })
        .collect()
}
