//! Types a schema defines: enums, domains, composite and range types.

use serde::{Deserialize, Serialize};

use crate::catalog::{Dependent, QualifiedName};

/// A type of an inspected schema (`pg_type`), not belonging to an extension,
/// a table or a range's multirange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserType {
    /// Schema and name.
    pub name: QualifiedName,
    /// What kind of type.
    pub kind: TypeKind,
    /// An enum's labels in their sort order (`pg_enum.enumsortorder`).
    #[serde(default)]
    pub values: Vec<String>,
    /// A domain's base type, default, NOT NULL and checks.
    #[serde(default)]
    pub domain: Option<Domain>,
    /// A composite type's attributes in order.
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    /// `COMMENT ON TYPE` / `COMMENT ON DOMAIN`.
    #[serde(default)]
    pub comment: Option<String>,
    /// What uses the type or its array type in this database (`pg_depend`,
    /// normal dependencies), sorted: dropping or rebuilding it breaks them.
    #[serde(default)]
    pub dependents: Vec<Dependent>,
}

/// A domain's definition (`CREATE DOMAIN`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// The base type as `format_type` prints it.
    pub base: String,
    /// `NOT NULL`.
    pub not_null: bool,
    /// The default as `pg_get_expr` prints it.
    pub default: Option<String>,
    /// Check constraints, by name.
    pub checks: Vec<DomainCheck>,
}

/// A check constraint of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainCheck {
    /// Constraint name.
    pub name: String,
    /// `CHECK (...)` as `pg_get_constraintdef` prints it (without `NOT VALID`).
    pub definition: String,
    /// False while added `NOT VALID` and not validated.
    pub validated: bool,
}

/// One attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// Attribute name.
    pub name: String,
    /// Its type as `format_type` prints it.
    pub data_type: String,
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
