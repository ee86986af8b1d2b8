//! Views and materialized views.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ColumnGrant, Index, Trigger};
use crate::catalog::{Acl, QualifiedName};

/// A view (relkind `v`) or materialized view (relkind `m`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// Schema and name.
    pub name: QualifiedName,
    /// View or materialized view.
    pub kind: ViewKind,
    /// Owning role; a view without `security_invoker` reads its tables as this role.
    pub owner: String,
    /// The query as `pg_get_viewdef(oid, true)` prints it.
    pub definition: String,
    /// `WITH (...)` options as written (`security_invoker=on`, `check_option=local`), sorted.
    pub options: Vec<String>,
    /// `security_invoker` is set (PostgreSQL 15+): the query runs with the
    /// caller's rights and RLS; else with the owner's. Parsed by Postgres.
    pub security_invoker: bool,
    /// `security_barrier` is set: the view's own conditions run before
    /// functions the caller supplies. Parsed by Postgres.
    pub security_barrier: bool,
    /// The view's columns in order, with their types (`format_type`): CREATE OR
    /// REPLACE VIEW may only append to them.
    #[serde(default)]
    pub columns: Vec<ViewColumn>,
    /// Relations the query reads (tables, views, sequences, ... in any schema), sorted.
    pub depends_on: Vec<QualifiedName>,
    /// Functions the query calls, outside `pg_catalog`, sorted.
    pub calls: Vec<RoutineRef>,
    /// For a materialized view, whether it holds data (false after `WITH NO DATA`).
    pub populated: bool,
    /// Indexes (materialized views only), by name.
    pub indexes: Vec<Index>,
    /// `INSTEAD OF` and statement triggers (views only), by name.
    pub triggers: Vec<Trigger>,
    /// Privileges.
    pub acl: Acl,
    /// Column-level privileges, by column then grant.
    pub column_grants: Vec<ColumnGrant>,
    /// `COMMENT ON VIEW`.
    pub comment: Option<String>,
}

/// A column of a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewColumn {
    /// Its name.
    pub name: String,
    /// Its type as `format_type` prints it.
    pub data_type: String,
}

/// Which kind of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewKind {
    /// `CREATE VIEW`.
    View,
    /// `CREATE MATERIALIZED VIEW`.
    MaterializedView,
}

/// A reference to one function among its overloads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoutineRef {
    /// Schema and name.
    pub name: QualifiedName,
    /// The argument types as `pg_get_function_identity_arguments` prints them.
    pub identity_arguments: String,
}

impl fmt::Display for RoutineRef {
    /// Writes the function as SQL names it among overloads: `app.f(uuid, integer)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.identity_arguments)
    }
}
