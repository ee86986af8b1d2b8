//! The typed difference between two catalogs: what must change in the current
//! database (the target) to make it the desired one (the declaration as built in
//! a dev database). Each change carries its SQL steps, each step the phase that
//! orders it, and the hazards a reviewer must see. Both inputs are read from
//! pg_catalog, so spelling differences PostgreSQL normalises never show.
//!
//! Only the schemas the project owns are compared; objects elsewhere are never
//! touched. Renames are not guessed: only declared ones (`renamed_from`).

mod columns;
mod constraints;
mod default_privileges;
mod dependencies;
mod direction;
mod enums;
mod extensions;
mod functions;
mod grants;
mod indexes;
mod partitions;
mod publications;
mod rename;
mod render;
mod replica_identity;
mod rls;
mod roles;
mod sequences;
mod tables;
mod triggers;
mod type_dependents;
mod types;
mod unmanaged;
mod views;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use direction::{Proof, Widening, Witness};
pub use unmanaged::{Unmanaged, unmanaged};

use crate::catalog::{Catalog, QualifiedName};
use crate::sql::quote_ident;

/// What happens to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Created.
    Create,
    /// Changed in place.
    Alter,
    /// Dropped.
    Drop,
    /// Renamed (declared with `renamed_from`).
    Rename,
}

impl Action {
    /// `+`, `~`, `-` or `>` for summaries.
    pub fn sign(self) -> char {
        match self {
            Action::Create => '+',
            Action::Alter => '~',
            Action::Drop => '-',
            Action::Rename => '>',
        }
    }
}

/// Why a change deserves a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "reason", rename_all = "snake_case")]
pub enum Hazard {
    /// Data is deleted (dropped table or column, narrowed type).
    DataLoss(String),
    /// The table is rewritten while locked.
    TableRewrite(String),
    /// A strong lock is held for a scan or build of the whole table.
    LongLock(String),
    /// Row-level security or privileges get weaker.
    RlsWeakened(String),
    /// The statement can fail on existing data.
    MayFail(String),
    /// A foreign key lets a row of one tenant reference a row of another
    /// (`spec::declaration::CrossTenantKey` decides which).
    CrossTenant(String),
    /// An object that exists on the target is dropped: what uses it (named from
    /// `pg_depend`, or callers the database cannot see) stops working.
    BreaksDependents(String),
    /// The plan cannot run as it is (it would fail on the server, e.g. a new
    /// enum value used in the same transaction); `apply` always refuses it.
    Refused(String),
    /// The change would break or silently drop an object rlsctl does not manage
    /// (an undeclared view, trigger, rule or function reading a dropped or
    /// retyped column or table): no flag allows it; `apply` refuses it at plan
    /// time rather than fail mid-apply (2BP01) or harm what is not declared.
    HarmsUnmanaged(String),
    /// The object keeps its data but stops doing something it did: an identity or
    /// a generated expression dropped, an exclusion constraint dropped, a
    /// constraint no longer deferrable or no longer treating NULLs as equal.
    BehaviourLost(String),
    /// RLS or privileges of a tenant relation may admit more rows in a way the
    /// diff cannot judge (a permissive policy added, an expression changed, a
    /// grant added): `cli` decides it with the isolation proof (`Widening::proof`).
    RlsWidened(Widening),
}

impl Hazard {
    /// The kind as a short label.
    pub fn label(&self) -> &'static str {
        match self {
            Hazard::DataLoss(_) => "data loss",
            Hazard::TableRewrite(_) => "table rewrite",
            Hazard::LongLock(_) => "long lock",
            Hazard::RlsWeakened(_) => "RLS weakened",
            Hazard::MayFail(_) => "may fail",
            Hazard::CrossTenant(_) => "cross-tenant key",
            Hazard::BreaksDependents(_) => "breaks dependents",
            Hazard::Refused(_) => "refused",
            Hazard::HarmsUnmanaged(_) => "harms unmanaged",
            Hazard::BehaviourLost(_) => "behaviour lost",
            Hazard::RlsWidened(w) => match w.proof {
                Proof::Needed { .. } => "RLS widened",
                Proof::Isolated => "access widened within the tenant: proven",
                Proof::Leaks { .. } => "RLS leak",
            },
        }
    }

    /// The reason.
    pub fn reason(&self) -> &str {
        match self {
            Hazard::DataLoss(r)
            | Hazard::TableRewrite(r)
            | Hazard::LongLock(r)
            | Hazard::RlsWeakened(r)
            | Hazard::MayFail(r)
            | Hazard::CrossTenant(r)
            | Hazard::BreaksDependents(r)
            | Hazard::Refused(r)
            | Hazard::HarmsUnmanaged(r)
            | Hazard::BehaviourLost(r) => r,
            Hazard::RlsWidened(w) => &w.reason,
        }
    }
}

/// When a step runs; steps run in phase order, then in the order they were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Roles (only with `manage_roles`).
    Roles,
    /// `CREATE SCHEMA`.
    Schemas,
    /// Extensions created, updated, moved (declared objects may use them).
    Extensions,
    /// Renames of tables and columns, before anything refers to the new names.
    Renames,
    /// Policies that must go before what they depend on changes.
    DropPolicies,
    /// Declared views dropped to be created again (dependents first), before
    /// the columns and tables they read change.
    DropViews,
    /// Foreign keys that go or change (before the keys they reference).
    DropForeignKeys,
    /// Other constraints and indexes that go or change.
    DropConstraints,
    /// Enums, domains and composite types created and altered (before the
    /// functions and tables that use them).
    Types,
    /// Functions created or replaced (policies and defaults may call them).
    Functions,
    /// Sequences created and their options altered (defaults of new columns use them).
    Sequences,
    /// New tables, without foreign keys.
    CreateTables,
    /// New and changed columns.
    Columns,
    /// Functions with SQL-standard bodies (`BEGIN ATOMIC`), which PostgreSQL
    /// parses at creation: after the tables and columns they read.
    StandardBodies,
    /// Sequences attached to their columns (`OWNED BY`), an identity that takes
    /// over a column continued from its old values, old serial sequences dropped.
    SequenceOwners,
    /// Primary keys, unique and check constraints.
    AddConstraints,
    /// Foreign keys (NOT VALID on existing tables).
    AddForeignKeys,
    /// `VALIDATE CONSTRAINT` of what was added NOT VALID.
    Validate,
    /// Indexes built in the transaction.
    Indexes,
    /// `REPLICA IDENTITY` (after the index it may name).
    ReplicaIdentity,
    /// Views created, replaced or altered, each after the views it reads, and
    /// materialized views with their indexes.
    CreateViews,
    /// ENABLE / FORCE row level security.
    Rls,
    /// Policies created and altered.
    Policies,
    /// Triggers and event triggers created, replaced, enabled or disabled (after
    /// the functions they execute and the columns they name).
    Triggers,
    /// Grants and revokes.
    Grants,
    /// Comments.
    Comments,
    /// Publications created and altered, over the tables they publish.
    Publications,
    /// Columns dropped.
    DropColumns,
    /// Tables dropped.
    DropTables,
    /// Functions dropped (after the policies that used them).
    DropFunctions,
    /// Types dropped (`drop = true`), after what used them.
    DropTypes,
    /// Row-level security relaxed (DISABLE / NO FORCE).
    RlsOff,
    /// `CREATE INDEX CONCURRENTLY`, after the transaction commits.
    Concurrently,
}

/// One SQL statement of a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// When it runs.
    pub phase: Phase,
    /// The statement, without the trailing semicolon.
    pub sql: String,
}

impl Step {
    /// Whether the step runs inside the apply transaction.
    pub fn transactional(&self) -> bool {
        self.phase != Phase::Concurrently
    }
}

/// A typed change to one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What happens.
    pub action: Action,
    /// The object, in words: `table app.projects`, `policy p on app.t`.
    pub object: String,
    /// What differs, for people: `type text → character varying(20)`.
    pub detail: Option<String>,
    /// Texts that changed (a policy's USING, a constraint's definition), whole, so
    /// that a reader sees a word diff rather than two long lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<TextChange>,
    /// What to watch out for.
    pub hazards: Vec<Hazard>,
    /// The statements.
    pub steps: Vec<Step>,
}

/// One text of an object before and after, as PostgreSQL printed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextChange {
    /// Which text: `using`, `with check`, `definition`.
    pub what: String,
    /// The target's text; None when it had none.
    pub before: Option<String>,
    /// The declared text; None when it goes.
    pub after: Option<String>,
}

impl Change {
    fn new(action: Action, object: impl Into<String>) -> Change {
        Change {
            action,
            object: object.into(),
            detail: None,
            texts: Vec::new(),
            hazards: Vec::new(),
            steps: Vec::new(),
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Change {
        self.detail = Some(detail.into());
        self
    }

    fn text(mut self, what: &str, before: Option<&str>, after: Option<&str>) -> Change {
        self.texts.push(TextChange {
            what: what.to_string(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        });
        self
    }

    fn hazard(mut self, hazard: Hazard) -> Change {
        self.hazards.push(hazard);
        self
    }

    fn step(mut self, phase: Phase, sql: impl Into<String>) -> Change {
        self.steps.push(Step {
            phase,
            sql: sql.into(),
        });
        self
    }
}

/// What the diff needs besides the two catalogs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Schemas the project owns; nothing else is compared.
    pub schemas: Vec<String>,
    /// Declared table renames: new name → old name.
    pub table_renames: BTreeMap<QualifiedName, String>,
    /// Declared column renames: (table, new column) → old column.
    pub column_renames: BTreeMap<(QualifiedName, String), String>,
    /// Tenant tables: a grant added to one weakens isolation.
    pub tenant_tables: BTreeSet<QualifiedName>,
    /// Cross-tenant foreign keys, by (table, constraint name), with the reason the
    /// hazard gives (from `Declaration::cross_tenant_keys`).
    pub cross_tenant_keys: BTreeMap<(QualifiedName, String), String>,
    /// Build indexes on existing tables with CREATE INDEX CONCURRENTLY.
    pub concurrent_indexes: bool,
    /// Roles the declaration names, with `manage_roles`: created when missing.
    pub managed_roles: Vec<crate::spec::declaration::Role>,
    /// Every role declared in `[roles]`: the project's own, whose privileges on a
    /// shared schema it manages (other grantees there belong to the platform).
    pub declared_roles: BTreeSet<String>,
    /// Owned schemas that declare default privileges: theirs are managed (the
    /// undeclared revoked); those of other schemas are listed as unmanaged.
    pub default_privilege_schemas: BTreeSet<String>,
    /// Declared extensions; only these are created or altered.
    pub extensions: Vec<crate::spec::declaration::Extension>,
    /// Names of the declared publications; no other publication is touched.
    pub publications: Vec<String>,
    /// BYPASSRLS each checked role must have (declared, or false for client roles).
    pub role_bypass: BTreeMap<String, bool>,
    /// Declared enum value renames: type → (old, new) values.
    pub enum_value_renames: BTreeMap<QualifiedName, Vec<(String, String)>>,
    /// Types declared `drop = true`: dropped when the target has them.
    pub dropped_types: BTreeSet<QualifiedName>,
}

/// The changes that turn `current` into `desired`, in a stable order.
pub fn diff(current: &Catalog, desired: &Catalog, options: &Options) -> Vec<Change> {
    let mut changes = Vec::new();
    roles(current, options, &mut changes);
    roles::diff(current, options, &mut changes);
    schemas(current, desired, options, &mut changes);
    extensions::diff(current, options, &mut changes);
    types::diff(current, desired, options, &mut changes);
    let recreated_functions = functions::diff(current, desired, options, &mut changes);
    tables::diff(
        current,
        desired,
        options,
        &recreated_functions,
        &mut changes,
    );
    sequences::diff(current, desired, options, &mut changes);
    default_privileges::diff(current, desired, options, &mut changes);
    partitions::diff(current, desired, options, &mut changes);
    publications::diff(current, desired, options, &mut changes);
    triggers::diff(current, desired, options, &mut changes);
    views::diff(current, desired, options, &mut changes);
    dependencies::refuse_harm_to_unmanaged(current, desired, options, &mut changes);
    changes
}

fn owned(name: &QualifiedName, options: &Options) -> bool {
    options.schemas.contains(&name.schema)
}

fn roles(current: &Catalog, options: &Options, changes: &mut Vec<Change>) {
    for role in &options.managed_roles {
        if current.role(&role.name).is_some() {
            continue;
        }
        let mut change = Change::new(Action::Create, format!("role {}", quote_ident(&role.name)))
            .step(
                Phase::Roles,
                format!(
                    "CREATE ROLE {} {} {}{}",
                    quote_ident(&role.name),
                    if role.login { "LOGIN" } else { "NOLOGIN" },
                    if role.inherit { "INHERIT" } else { "NOINHERIT" },
                    if role.bypass_rls == Some(true) {
                        " BYPASSRLS"
                    } else {
                        ""
                    }
                ),
            );
        for m in &role.member_of {
            change = change.step(
                Phase::Roles,
                format!("GRANT {} TO {}", quote_ident(m), quote_ident(&role.name)),
            );
        }
        changes.push(change);
    }
}

fn schemas(current: &Catalog, desired: &Catalog, options: &Options, changes: &mut Vec<Change>) {
    for schema in &desired.schemas {
        if !options.schemas.contains(&schema.name) {
            continue;
        }
        let name = quote_ident(&schema.name);
        match current.schema(&schema.name) {
            None => {
                let mut change = Change::new(Action::Create, format!("schema {name}"))
                    .step(Phase::Schemas, format!("CREATE SCHEMA {name}"));
                if let Some(c) = &schema.comment {
                    change = change.step(
                        Phase::Comments,
                        render::comment(&format!("SCHEMA {name}"), Some(c)),
                    );
                }
                for sql in grants::grant_all(
                    &format!("SCHEMA {name}"),
                    &grants::effective(&schema.acl, grants::Kind::Schema),
                ) {
                    change = change.step(Phase::Grants, sql);
                }
                changes.push(change);
            }
            Some(existing) => {
                if existing.comment != schema.comment {
                    changes.push(
                        Change::new(Action::Alter, format!("comment on schema {name}")).step(
                            Phase::Comments,
                            render::comment(&format!("SCHEMA {name}"), schema.comment.as_deref()),
                        ),
                    );
                }
                grants::diff_schema(
                    &name,
                    &existing.acl,
                    &schema.acl,
                    &options.declared_roles,
                    changes,
                );
            }
        }
    }
}
