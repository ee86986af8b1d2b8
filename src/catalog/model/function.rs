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
    /// What uses it in this database (`pg_depend`), sorted: dropping it breaks them.
    #[serde(default)]
    pub dependents: Vec<Dependent>,
}

/// An object that depends on a function (`pg_depend`, normal or automatic).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Dependent {
    /// What kind of object it is.
    pub kind: DependentKind,
    /// The object as PostgreSQL describes it (`pg_describe_object`):
    /// `trigger t on table app.t`, `view app.v`.
    pub description: String,
}

/// The kinds of objects that can depend on a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependentKind {
    /// A trigger executing it.
    Trigger,
    /// An event trigger executing it.
    EventTrigger,
    /// A policy calling it.
    Policy,
    /// A column default calling it.
    ColumnDefault,
    /// A check constraint calling it.
    Constraint,
    /// An index on an expression calling it.
    Index,
    /// A view or materialized view calling it.
    View,
    /// A function whose SQL-standard body calls it (or, for a type, whose
    /// arguments or result have it).
    Function,
    /// A column of that type (of a table, view or composite type).
    Column,
    /// Anything else (a cast, an operator, an aggregate, ...).
    Other,
}

impl DependentKind {
    /// Whether the declaration can express objects of this kind, so that the
    /// diff drops or recreates them itself; the others are left alone. (Triggers
    /// the diff leaves alone, on views and tables of other schemas, are found
    /// by `diff` itself.)
    pub fn declarable(self) -> bool {
        matches!(
            self,
            DependentKind::Trigger
                | DependentKind::Policy
                | DependentKind::ColumnDefault
                | DependentKind::Constraint
                | DependentKind::Index
                | DependentKind::Function
        )
    }
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
