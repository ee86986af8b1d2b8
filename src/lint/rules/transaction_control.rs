//! MIG016: transaction control inside a migration (`BEGIN`, `COMMIT`,
//! `SAVEPOINT`, ...) or a statement PostgreSQL refuses inside a transaction
//! block (`VACUUM`, `CREATE DATABASE`, ...): rlsctl runs each migration in a
//! transaction of its own, so these end it half-way or fail. The CONCURRENTLY
//! forms are not findings: they are what MIG001 asks for, and rlsctl runs them
//! outside the migration's transaction.

use super::Rule;
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::sql::transaction::escapes_transaction;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG016",
    name: "transaction-control",
    level: Level::Error,
    summary: "transaction control (BEGIN, COMMIT, SAVEPOINT, VACUUM, ...) inside a migration file",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    match escapes_transaction(cx.node()) {
        Some(statement) if !statement.ends_with("CONCURRENTLY") => vec![cx.hit(
            format!(
                "{statement} inside a migration: rlsctl runs each migration in a transaction of its own, which this ends or cannot run in"
            ),
            "remove it: rlsctl commits each migration (or all of them with --single-transaction) itself",
        )],
        _ => vec![],
    }
}
