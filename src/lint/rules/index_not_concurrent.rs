//! MIG001: an index built on an existing table without CONCURRENTLY holds a
//! SHARE lock (every write waits) for the whole build; a UNIQUE or PRIMARY KEY
//! constraint added without `USING INDEX` (or an EXCLUDE constraint) builds its index
//! under ACCESS EXCLUSIVE.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ConstrType};

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG001",
    name: "index-not-concurrent",
    level: Level::Error,
    summary: "CREATE INDEX without CONCURRENTLY (or ADD UNIQUE / PRIMARY KEY without USING INDEX, ADD EXCLUDE) on an existing table",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    if let NodeEnum::IndexStmt(i) = cx.node() {
        let Some(rel) = &i.relation else {
            return vec![];
        };
        let table = cx.table(rel);
        if i.concurrent || !cx.existing(&table) {
            return vec![];
        }
        // PostgreSQL cannot build an index CONCURRENTLY on a partitioned table; ON
        // ONLY the parent builds nothing (an invalid index partitions attach to).
        let partitioned = cx.history.table(&table).is_some_and(|t| t.partitioned);
        if partitioned && !rel.inh {
            return vec![];
        }
        let fix = if partitioned {
            "partitioned table: CREATE INDEX ON ONLY the parent, CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX ... ATTACH PARTITION each"
        } else {
            "use CREATE INDEX CONCURRENTLY (rlsctl runs it outside the migration's transaction), or build the index in the migration that creates the table"
        };
        let index = if i.idxname.is_empty() {
            String::new()
        } else {
            format!(" {}", crate::sql::quote_ident(&i.idxname))
        };
        return vec![cx.hit(
            format!(
                "CREATE INDEX{index} on existing table {table} without CONCURRENTLY blocks every write to it while the index builds"
            ),
            fix,
        )];
    }
    let Some((table, cmds)) = alter_commands(cx) else {
        return vec![];
    };
    if !cx.existing(&table) {
        return vec![];
    }
    cmds.iter()
        .filter(|(_, t)| *t == AlterTableType::AtAddConstraint)
        .filter_map(|(cmd, _)| match cmd.def.as_ref()?.node.as_ref()? {
            NodeEnum::Constraint(k) if k.indexname.is_empty() => {
                let what = match ConstrType::try_from(k.contype).ok()? {
                    ConstrType::ConstrUnique => "UNIQUE",
                    ConstrType::ConstrPrimary => "PRIMARY KEY",
                    ConstrType::ConstrExclusion => "EXCLUDE",
                    _ => return None,
                };
                Some(cx.hit(
                    format!(
                        "ADD {what} on existing table {table} builds its index while holding ACCESS EXCLUSIVE: reads and writes wait"
                    ),
                    if what == "EXCLUDE" {
                        "an exclusion constraint cannot use an existing index: add it in the migration that creates the table, or allow it here for a small table".to_string()
                    } else {
                        format!(
                            "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... {what} USING INDEX"
                        )
                    },
                ))
            }
            _ => None,
        })
        .collect()
}
