//! The typed model of a database's catalog.
//!
//! Every list is sorted (columns by position), and nothing holds an OID or
//! other per-database value, so that two databases built from the same DDL
//! give equal catalogs.

mod constraint;
mod database;
mod dependency;
mod function;
mod index;
mod policy;
mod privilege;
mod role;
mod rule;
mod sequence;
mod table;
mod trigger;
mod user_type;
mod view;

use serde::{Deserialize, Serialize};

pub use constraint::{Constraint, ConstraintKind, ForeignKey, MatchType, ReferentialAction};
pub use database::{Database, DefaultObjectType, DefaultPrivilege, RoleSetting};
pub use dependency::{Dependency, DependentObject};
pub use function::{
    Dependent, DependentKind, Function, FunctionBody, FunctionKind, Parallel, Volatility,
};
pub use index::{Index, IndexKey, IndexPart};
pub use policy::{Policy, PolicyCommand, PolicyMode};
pub use privilege::{Acl, ColumnGrant, Grant, Grantee, Privilege};
pub use role::{Membership, Role};
pub use rule::{ForeignTable, Rule, RuleEvent};
pub use sequence::{Sequence, SequenceOwner};
pub use table::{Column, Generated, Identity, PartitionOf, ReplicaIdentity, Table, TableKind};
pub use trigger::{
    EventTrigger, ExternalTrigger, Trigger, TriggerEnabled, TriggerEvent, TriggerTiming,
};
pub use user_type::{Attribute, Domain, DomainCheck, TypeKind, UserType};
pub use view::{RoutineRef, View, ViewColumn, ViewKind};

use crate::catalog::QualifiedName;

/// What pg_catalog says about the inspected schemas (and the cluster's roles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// `server_version_num` of the server read (e.g. 150018).
    pub server_version_num: i32,
    /// The inspected schemas that exist, by name.
    pub schemas: Vec<Schema>,
    /// Tables and partitioned tables, by name.
    pub tables: Vec<Table>,
    /// Views and materialized views, by name.
    pub views: Vec<View>,
    /// Sequences, by name.
    pub sequences: Vec<Sequence>,
    /// Functions and procedures, by name then identity arguments.
    pub functions: Vec<Function>,
    /// Every role of the cluster except the predefined `pg_*` ones, by name.
    pub roles: Vec<Role>,
    /// Installed extensions (in any schema), by name.
    pub extensions: Vec<Extension>,
    /// The database itself: owner and ACL.
    #[serde(default)]
    pub database: Database,
    /// Login settings of custom parameters (`ALTER ROLE/DATABASE ... SET app.x`)
    /// that apply in this database, sorted. Built-in ones (search_path, ...) are left out.
    #[serde(default)]
    pub role_settings: Vec<RoleSetting>,
    /// Default privileges (`ALTER DEFAULT PRIVILEGES`) of this database, sorted.
    #[serde(default)]
    pub default_privileges: Vec<DefaultPrivilege>,
    /// Foreign tables of the inspected schemas, by name.
    #[serde(default)]
    pub foreign_tables: Vec<ForeignTable>,
    /// Rewrite rules (other than views' `_RETURN`) on relations of the
    /// inspected schemas, by relation then name.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Enums, domains, composite and range types of the inspected schemas, by name.
    #[serde(default)]
    pub types: Vec<UserType>,
    /// Publications of the database (logical replication), by name.
    #[serde(default)]
    pub publications: Vec<Publication>,
    /// Triggers on tables of other schemas that execute a function of the
    /// inspected ones, by table then name.
    #[serde(default)]
    pub external_triggers: Vec<ExternalTrigger>,
    /// Every event trigger of the database, by name.
    #[serde(default)]
    pub event_triggers: Vec<EventTrigger>,
    /// What uses each relation and column of the inspected schemas (`pg_depend`),
    /// sorted: the graph drops and rebuilds follow.
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
}

/// A publication (`pg_publication`, its tables from `pg_publication_rel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// Its name.
    pub name: String,
    /// `FOR ALL TABLES`.
    pub all_tables: bool,
    /// Tables added to it (any schema), sorted; empty with `all_tables`.
    pub tables: Vec<QualifiedName>,
    /// Operations published, lower case, in `insert, update, delete, truncate` order.
    pub publish: Vec<String>,
}

/// A schema (`pg_namespace`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The schema's name.
    pub name: String,
    /// Owning role.
    pub owner: String,
    /// `COMMENT ON SCHEMA`.
    pub comment: Option<String>,
    /// Privileges (USAGE, CREATE).
    pub acl: Acl,
}

/// An installed extension (`pg_extension`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The extension's name.
    pub name: String,
    /// The schema holding its objects.
    pub schema: String,
    /// Installed version.
    pub version: String,
}

/// How many objects of each kind a catalog holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Schemas.
    pub schemas: usize,
    /// Tables (partitions included).
    pub tables: usize,
    /// Columns of tables.
    pub columns: usize,
    /// Table constraints (NOT NULL excluded).
    pub constraints: usize,
    /// Indexes of tables and materialized views.
    pub indexes: usize,
    /// Policies.
    pub policies: usize,
    /// Explicit grants on every object, column grants included.
    pub grants: usize,
    /// Functions and procedures.
    pub functions: usize,
    /// Views and materialized views.
    pub views: usize,
    /// Sequences.
    pub sequences: usize,
}

impl Catalog {
    /// The table with this name.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        find(&self.tables, name, |t| &t.name)
    }

    /// The view or materialized view with this name.
    pub fn view(&self, name: &QualifiedName) -> Option<&View> {
        find(&self.views, name, |v| &v.name)
    }

    /// The sequence with this name.
    pub fn sequence(&self, name: &QualifiedName) -> Option<&Sequence> {
        find(&self.sequences, name, |s| &s.name)
    }

    /// The schema with this name.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|s| s.name == name)
    }

    /// The role with this name.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// Every overload of the function or procedure with this name.
    pub fn functions_named(&self, name: &QualifiedName) -> std::slice::Iter<'_, Function> {
        // Sorted by name then arguments, so the overloads are adjacent.
        let start = self.functions.partition_point(|f| &f.name < name);
        let len = self.functions[start..].partition_point(|f| &f.name == name);
        self.functions[start..start + len].iter()
    }

    /// The function or procedure with this name and identity arguments (`uuid, integer`).
    pub fn function(&self, name: &QualifiedName, identity_arguments: &str) -> Option<&Function> {
        self.functions_named(name)
            .find(|f| f.identity_arguments == identity_arguments)
    }

    /// What uses `relation`: with a column, the objects that read that column;
    /// without, everything that uses the relation at all.
    pub fn dependents_of<'a>(
        &'a self,
        relation: &'a QualifiedName,
        column: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Dependency> {
        self.dependencies.iter().filter(move |d| {
            &d.relation == relation
                && match column {
                    Some(wanted) => d.column.as_deref() == Some(wanted),
                    None => true,
                }
        })
    }

    /// How many objects of each kind the catalog holds.
    pub fn summary(&self) -> Summary {
        let table_grants: usize = self
            .tables
            .iter()
            .map(|t| t.acl.grants().len() + t.column_grants.len())
            .sum();
        let other_grants: usize = self
            .schemas
            .iter()
            .map(|s| s.acl.grants().len())
            .sum::<usize>()
            + self
                .views
                .iter()
                .map(|v| v.acl.grants().len())
                .sum::<usize>()
            + self
                .sequences
                .iter()
                .map(|s| s.acl.grants().len())
                .sum::<usize>()
            + self
                .functions
                .iter()
                .map(|f| f.acl.grants().len())
                .sum::<usize>();
        Summary {
            schemas: self.schemas.len(),
            tables: self.tables.len(),
            columns: self.tables.iter().map(|t| t.columns.len()).sum(),
            constraints: self.tables.iter().map(|t| t.constraints.len()).sum(),
            indexes: self.tables.iter().map(|t| t.indexes.len()).sum::<usize>()
                + self.views.iter().map(|v| v.indexes.len()).sum::<usize>(),
            policies: self.tables.iter().map(|t| t.policies.len()).sum(),
            grants: table_grants + other_grants,
            functions: self.functions.len(),
            views: self.views.len(),
            sequences: self.sequences.len(),
        }
    }
}

/// Binary search in a list sorted by name (the catalog's invariant).
fn find<'a, T>(
    items: &'a [T],
    name: &QualifiedName,
    key: impl Fn(&T) -> &QualifiedName,
) -> Option<&'a T> {
    items
        .binary_search_by(|item| key(item).cmp(name))
        .ok()
        .map(|i| &items[i])
}
