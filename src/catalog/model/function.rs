//! Functions and procedures.

use serde::{Deserialize, Serialize};

use crate::catalog::{Acl, QualifiedName};

/// A function or procedure (`pg_proc`), not belonging to an extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Schema and name; overloads share it.
    pub name: QualifiedName,
    /// Function or procedure.
    pub kind: FunctionKind,
    /// Argument types identifying this overload (`pg_get_function_identity_arguments`).
    pub identity_arguments: String,
    /// Arguments with names, modes and defaults (`pg_get_function_arguments`).
    pub arguments: String,
    /// `RETURNS ...` as `pg_get_function_result` prints it; None for procedures.
    pub result: Option<String>,
    /// `RETURNS SETOF` or `RETURNS TABLE`.
    pub returns_set: bool,
    /// Language (`sql`, `plpgsql`, ...).
    pub language: String,
    /// `IMMUTABLE`, `STABLE` or `VOLATILE`.
    pub volatility: Volatility,
    /// `SECURITY DEFINER`: runs with its owner's rights.
    pub security_definer: bool,
    /// `STRICT` (`RETURNS NULL ON NULL INPUT`).
    pub strict: bool,
    /// `LEAKPROOF`: the planner may push it below security barriers.
    pub leakproof: bool,
    /// `PARALLEL SAFE | RESTRICTED | UNSAFE`.
    pub parallel: Parallel,
    /// `SET` clauses (`search_path=pg_catalog, pg_temp`), sorted.
    pub config: Vec<String>,
    /// The body.
    pub body: FunctionBody,
    /// Owning role; a security definer runs as it.
    pub owner: String,
    /// Privileges; `Acl::Default` means PUBLIC may EXECUTE.
    pub acl: Acl,
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<String>,
}

impl Function {
    /// The `search_path` the function pins with `SET search_path = ...`, if any.
    pub fn pinned_search_path(&self) -> Option<&str> {
        self.config
            .iter()
            .find_map(|setting| setting.strip_prefix("search_path="))
    }
}

/// A function body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionBody {
    /// Source text (`AS $$ ... $$`, `prosrc`); for C functions the link symbol.
    Source(String),
    /// A parsed SQL-standard body (`BEGIN ATOMIC ... END`, `RETURN ...`) as
    /// `pg_get_function_sqlbody` prints it.
    SqlStandard(String),
}

/// Function or procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    /// `CREATE FUNCTION`.
    Function,
    /// `CREATE PROCEDURE`.
    Procedure,
}

/// What a function may do to the database (`provolatile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Volatility {
    /// `IMMUTABLE`.
    Immutable,
    /// `STABLE`.
    Stable,
    /// `VOLATILE`.
    Volatile,
}

/// Whether a function may run in parallel workers (`proparallel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parallel {
    /// `PARALLEL SAFE`.
    Safe,
    /// `PARALLEL RESTRICTED`.
    Restricted,
    /// `PARALLEL UNSAFE`.
    Unsafe,
}
