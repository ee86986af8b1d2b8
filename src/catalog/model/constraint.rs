//! Table constraints (other than NOT NULL, which is a column property).

use serde::{Deserialize, Serialize};

use crate::catalog::QualifiedName;

/// A constraint on a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    /// The constraint's name (unique within its table).
    pub name: String,
    /// What it enforces; foreign keys carry their target here.
    pub kind: ConstraintKind,
    /// The constrained columns in key order (`conkey`); expression elements of
    /// exclusion constraints are not listed.
    pub columns: Vec<String>,
    /// The whole constraint as `pg_get_constraintdef` prints it.
    pub definition: String,
    /// False after `NOT VALID` until `VALIDATE CONSTRAINT`.
    pub validated: bool,
    /// `DEFERRABLE`.
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    pub initially_deferred: bool,
    /// Inherited from a parent table (partitions inherit their parent's constraints).
    pub inherited: bool,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

/// The kind of a constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `UNIQUE`.
    Unique,
    /// `CHECK`.
    Check,
    /// `FOREIGN KEY ... REFERENCES`.
    ForeignKey(ForeignKey),
    /// `EXCLUDE`.
    Exclusion,
}

/// The referencing side of a foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// The referenced table.
    pub table: QualifiedName,
    /// The referenced columns, paired with the constraint's columns.
    pub columns: Vec<String>,
    /// `ON DELETE`.
    pub on_delete: ReferentialAction,
    /// `ON UPDATE`.
    pub on_update: ReferentialAction,
    /// `MATCH SIMPLE | FULL | PARTIAL`.
    pub match_type: MatchType,
}

/// What a foreign key does when the referenced row goes or changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    /// `NO ACTION` (the default): fail at the end of the statement.
    NoAction,
    /// `RESTRICT`: fail immediately.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

/// How a multi-column foreign key treats NULLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    /// `MATCH SIMPLE` (the default).
    Simple,
    /// `MATCH FULL`.
    Full,
    /// `MATCH PARTIAL`.
    Partial,
}
