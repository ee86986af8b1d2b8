//! Statements that end, split or escape the caller's transaction: transaction
//! control (`BEGIN`, `COMMIT`, `SAVEPOINT`, ...) and the statements PostgreSQL
//! refuses inside a transaction block (`VACUUM`, `CREATE INDEX CONCURRENTLY`,
//! ...). `rlsctl test` runs user SQL inside one transaction it rolls back, so
//! it refuses these before running anything.

use pg_query::NodeEnum;
use pg_query::protobuf::{DiscardMode, ReindexObjectType, TransactionStmtKind};

use super::parse::{SyntaxError, statement_trees};

/// One statement that would end or escape the enclosing transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionControl {
    /// Byte offset of the statement in the text.
    pub offset: usize,
    /// What it is, in SQL words (`COMMIT`, `VACUUM`).
    pub statement: &'static str,
}

/// Every statement of `text` that controls or cannot run inside a transaction.
pub fn transaction_control(text: &str) -> Result<Vec<TransactionControl>, SyntaxError> {
    let tree = statement_trees(text)?;
    let mut found = Vec::new();
    for raw in &tree.stmts {
        let Some(node) = raw.stmt.as_ref().and_then(|s| s.node.as_ref()) else {
            continue;
        };
        if let Some(statement) = classify(node) {
            // The location is where the statement starts, after leading whitespace.
            let start = usize::try_from(raw.stmt_location).unwrap_or(0);
            let skipped = text
                .get(start..)
                .map_or(0, |rest| rest.len() - rest.trim_start().len());
            found.push(TransactionControl {
                offset: start + skipped,
                statement,
            });
        }
    }
    Ok(found)
}

/// What a statement is, in SQL words, when it controls or cannot run inside a
/// transaction (`COMMIT`, `VACUUM`); `None` for every other statement.
pub fn escapes_transaction(node: &NodeEnum) -> Option<&'static str> {
    classify(node)
}

fn classify(node: &NodeEnum) -> Option<&'static str> {
    Some(match node {
        NodeEnum::TransactionStmt(t) => match TransactionStmtKind::try_from(t.kind).ok()? {
            TransactionStmtKind::TransStmtBegin => "BEGIN",
            TransactionStmtKind::TransStmtStart => "START TRANSACTION",
            TransactionStmtKind::TransStmtCommit => "COMMIT",
            TransactionStmtKind::TransStmtRollback => "ROLLBACK",
            TransactionStmtKind::TransStmtSavepoint => "SAVEPOINT",
            TransactionStmtKind::TransStmtRelease => "RELEASE SAVEPOINT",
            TransactionStmtKind::TransStmtRollbackTo => "ROLLBACK TO SAVEPOINT",
            TransactionStmtKind::TransStmtPrepare => "PREPARE TRANSACTION",
            TransactionStmtKind::TransStmtCommitPrepared => "COMMIT PREPARED",
            TransactionStmtKind::TransStmtRollbackPrepared => "ROLLBACK PREPARED",
            TransactionStmtKind::Undefined => return None,
        },
        NodeEnum::VariableSetStmt(v) if v.name == "TRANSACTION" => "SET TRANSACTION",
        NodeEnum::VariableSetStmt(v) if v.name == "SESSION CHARACTERISTICS" => {
            "SET SESSION CHARACTERISTICS"
        }
        NodeEnum::VacuumStmt(v) if v.is_vacuumcmd => "VACUUM",
        NodeEnum::IndexStmt(i) if i.concurrent => "CREATE INDEX CONCURRENTLY",
        NodeEnum::DropStmt(d) if d.concurrent => "DROP INDEX CONCURRENTLY",
        NodeEnum::ReindexStmt(r) => {
            let concurrently = r.params.iter().any(
                |p| matches!(&p.node, Some(NodeEnum::DefElem(d)) if d.defname == "concurrently"),
            );
            match ReindexObjectType::try_from(r.kind).ok()? {
                _ if concurrently => "REINDEX CONCURRENTLY",
                ReindexObjectType::ReindexObjectSchema => "REINDEX SCHEMA",
                ReindexObjectType::ReindexObjectSystem => "REINDEX SYSTEM",
                ReindexObjectType::ReindexObjectDatabase => "REINDEX DATABASE",
                _ => return None,
            }
        }
        NodeEnum::ClusterStmt(c) if c.relation.is_none() => "CLUSTER",
        NodeEnum::CreatedbStmt(_) => "CREATE DATABASE",
        NodeEnum::DropdbStmt(_) => "DROP DATABASE",
        NodeEnum::AlterSystemStmt(_) => "ALTER SYSTEM",
        NodeEnum::CreateTableSpaceStmt(_) => "CREATE TABLESPACE",
        NodeEnum::DropTableSpaceStmt(_) => "DROP TABLESPACE",
        NodeEnum::CreateSubscriptionStmt(_) => "CREATE SUBSCRIPTION",
        NodeEnum::AlterSubscriptionStmt(_) => "ALTER SUBSCRIPTION",
        NodeEnum::DropSubscriptionStmt(_) => "DROP SUBSCRIPTION",
        NodeEnum::DiscardStmt(d) if d.target == DiscardMode::DiscardAll as i32 => "DISCARD ALL",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        transaction_control(text)
            .unwrap()
            .into_iter()
            .map(|c| c.statement)
            .collect()
    }

    #[test]
    fn transaction_control_is_found_with_its_offset() {
        let found = transaction_control("create table t (x int);  commit").unwrap();
        assert_eq!(
            found,
            vec![TransactionControl {
                offset: 25,
                statement: "COMMIT"
            }]
        );
        for (sql, want) in [
            ("begin", "BEGIN"),
            ("start transaction", "START TRANSACTION"),
            ("end", "COMMIT"),
            ("abort", "ROLLBACK"),
            ("savepoint s", "SAVEPOINT"),
            ("release s", "RELEASE SAVEPOINT"),
            ("rollback to s", "ROLLBACK TO SAVEPOINT"),
            (
                "set transaction isolation level serializable",
                "SET TRANSACTION",
            ),
            ("prepare transaction 'x'", "PREPARE TRANSACTION"),
            ("commit prepared 'x'", "COMMIT PREPARED"),
            ("vacuum t", "VACUUM"),
            (
                "create index concurrently on t (x)",
                "CREATE INDEX CONCURRENTLY",
            ),
            ("drop index concurrently i", "DROP INDEX CONCURRENTLY"),
            ("reindex table concurrently t", "REINDEX CONCURRENTLY"),
            ("create database d", "CREATE DATABASE"),
            ("alter system set work_mem = '1MB'", "ALTER SYSTEM"),
            ("discard all", "DISCARD ALL"),
        ] {
            assert_eq!(names(sql), vec![want], "{sql}");
        }
    }

    #[test]
    fn statements_that_stay_inside_the_transaction_are_not_flagged() {
        for sql in [
            "insert into t values (1)",
            "analyze t",
            "create index on t (x)",
            "drop index i",
            "reindex table t",
            "set local role app_user",
            "set app.tenant_id = 'x'",
            "select set_config('app.x', 'y', true)",
            "discard temp",
            "cluster t using i",
            "select 'commit'",
        ] {
            assert_eq!(names(sql), Vec::<&str>::new(), "{sql}");
        }
    }
}
