//! Sequences.

use serde::{Deserialize, Serialize};

use crate::catalog::{Acl, QualifiedName};

/// A sequence, including those behind serial and identity columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    /// Schema and name.
    pub name: QualifiedName,
    /// Owning role.
    pub owner: String,
    /// The value type (`bigint`, `integer`, `smallint`).
    pub data_type: String,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min_value: i64,
    /// `MAXVALUE`.
    pub max_value: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    pub cycle: bool,
    /// The column that owns it (`OWNED BY`, serial or identity), if any.
    pub owned_by: Option<SequenceOwner>,
    /// Privileges.
    pub acl: Acl,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
}

/// The column a sequence belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOwner {
    /// The table.
    pub table: QualifiedName,
    /// The column.
    pub column: String,
    /// The sequence is the column's identity sequence (else `OWNED BY`, as for serial).
    pub identity: bool,
}
