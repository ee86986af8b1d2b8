//! Rewrite rules other than views' `_RETURN`, and foreign tables.

use serde::{Deserialize, Serialize};

use crate::catalog::{Acl, QualifiedName};

/// A rewrite rule on a relation (`pg_rewrite`), other than a view's `_RETURN`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The relation it is on.
    pub relation: QualifiedName,
    /// The rule's name.
    pub name: String,
    /// The event that fires it.
    pub event: RuleEvent,
    /// `DO INSTEAD` (else `DO ALSO`).
    pub instead: bool,
    /// `CREATE RULE ...` as `pg_get_ruledef` prints it.
    pub definition: String,
}

/// What fires a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleEvent {
    /// `ON SELECT`.
    Select,
    /// `ON INSERT`.
    Insert,
    /// `ON UPDATE`.
    Update,
    /// `ON DELETE`.
    Delete,
}

/// A foreign table (relkind `f`): row-level security cannot be enabled on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignTable {
    /// Schema and name.
    pub name: QualifiedName,
    /// Owning role.
    pub owner: String,
    /// The foreign server.
    pub server: String,
    /// Privileges.
    pub acl: Acl,
}
