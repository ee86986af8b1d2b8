//! MIG003: a NOT NULL (or PRIMARY KEY) column added to an existing table
//! without a default fails on the first row the table holds: it works on the
//! empty dev database and breaks in production.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ConstrType};

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::sql::quote_ident;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG003",
    name: "not-null-without-default",
    level: Level::Error,
    summary: "ADD COLUMN ... NOT NULL without a default on an existing table",
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
        .filter(|(_, t)| *t == AlterTableType::AtAddColumn)
        .filter_map(|(cmd, _)| match cmd.def.as_ref()?.node.as_ref()? {
            NodeEnum::ColumnDef(d) => {
                let kinds: Vec<ConstrType> = d
                    .constraints
                    .iter()
                    .filter_map(|k| match &k.node {
                        Some(NodeEnum::Constraint(k)) => ConstrType::try_from(k.contype).ok(),
                        _ => None,
                    })
                    .collect();
                let not_null = d.is_not_null
                    || kinds
                        .iter()
                        .any(|k| matches!(k, ConstrType::ConstrNotnull | ConstrType::ConstrPrimary));
                let filled = kinds.iter().any(|k| {
                    matches!(
                        k,
                        ConstrType::ConstrDefault | ConstrType::ConstrIdentity | ConstrType::ConstrGenerated
                    )
                });
                (not_null && !filled).then(|| {
                    cx.hit(
                        format!(
                            "NOT NULL column {} added to existing table {table} without a default: fails as soon as the table has a row",
                            quote_ident(&d.colname)
                        ),
                        "give the column a constant default, or add it nullable, fill it, and then SET NOT NULL behind a validated CHECK (col IS NOT NULL)",
                    )
                })
            }
            _ => None,
        })
        .collect()
}
