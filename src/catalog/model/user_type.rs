//! Types a schema defines: enums, domains, composite and range types.

use serde::{Deserialize, Serialize};

use crate::catalog::QualifiedName;

/// A type of an inspected schema (`pg_type`), not belonging to an extension,
/// a table or a range's multirange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserType {
    /// Schema and name.
    pub name: QualifiedName,
    /// What kind of type.
    pub kind: TypeKind,
}

/// The kinds of user types (`typtype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    /// `CREATE TYPE ... AS ENUM`.
    Enum,
    /// `CREATE DOMAIN`.
    Domain,
    /// `CREATE TYPE ... AS (...)`.
    Composite,
    /// `CREATE TYPE ... AS RANGE`.
    Range,
}
