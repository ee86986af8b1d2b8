//! Indexes.

use serde::{Deserialize, Serialize};

use crate::catalog::QualifiedName;

/// An index on a table or materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// The index's name; it lives in its table's schema.
    pub name: String,
    /// Access method (`btree`, `gin`, ...).
    pub method: String,
    /// `UNIQUE`.
    pub unique: bool,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+): NULLs count as equal.
    #[serde(default)]
    pub nulls_not_distinct: bool,
    /// Backs the primary key.
    pub primary: bool,
    /// Key parts in order.
    pub keys: Vec<IndexKey>,
    /// `INCLUDE` columns in order.
    pub include: Vec<String>,
    /// The partial-index predicate (`WHERE ...`) as Postgres normalised it.
    pub predicate: Option<String>,
    /// The whole `CREATE INDEX` statement as `pg_get_indexdef` prints it.
    pub definition: String,
    /// The constraint this index implements (primary key, unique, exclusion).
    pub constraint: Option<String>,
    /// False when a `CREATE INDEX CONCURRENTLY` failed half-way (the index is unused).
    pub valid: bool,
    /// For an index of a partition, the partitioned table's index it is attached to.
    pub parent: Option<QualifiedName>,
    /// `COMMENT ON INDEX`.
    pub comment: Option<String>,
}

/// One key part of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    /// A column or an expression.
    pub part: IndexPart,
    /// `DESC`.
    pub descending: bool,
    /// `NULLS FIRST` (the default for `DESC`).
    pub nulls_first: bool,
    /// The operator class when it is not the type's default, as
    /// `schema.name` quoted by PostgreSQL (`pg_catalog.text_pattern_ops`).
    #[serde(default)]
    pub opclass: Option<String>,
    /// The collation when it differs from the column's (for an expression: when it
    /// is not the database default, also when it comes from a column the expression
    /// reads), quoted by PostgreSQL (`pg_catalog."C"`).
    #[serde(default)]
    pub collation: Option<String>,
}

/// What a key part indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexPart {
    /// A column, by its (unquoted) name.
    Column(String),
    /// An expression as `pg_get_indexdef(index, n, true)` prints it (`lower(email)`).
    Expression(String),
}
