//! Row-level security policies.

use serde::{Deserialize, Serialize};

use crate::catalog::Grantee;

/// A row-level security policy (`pg_policy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The policy's name (unique within its table).
    pub name: String,
    /// The command it applies to.
    pub command: PolicyCommand,
    /// Permissive (OR-ed) or restrictive (AND-ed).
    pub mode: PolicyMode,
    /// The roles it applies to, sorted; `[Public]` for `TO PUBLIC`.
    pub roles: Vec<Grantee>,
    /// `USING` as Postgres normalised it (`pg_get_expr(polqual)`).
    pub using: Option<String>,
    /// `WITH CHECK` as Postgres normalised it (`pg_get_expr(polwithcheck)`).
    pub with_check: Option<String>,
    /// `COMMENT ON POLICY`.
    pub comment: Option<String>,
}

pub use crate::sql::PolicyCommand;

/// How a policy combines with the others of its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyMode {
    /// `AS PERMISSIVE` (the default): any one permissive policy admits a row.
    Permissive,
    /// `AS RESTRICTIVE`: every restrictive policy must admit the row too.
    Restrictive,
}
