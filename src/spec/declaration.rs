//! The declaration after validation: every name qualified, every reference
//! resolved, every implied object (tenant column, its foreign key and index,
//! the isolation policy, constraint names) made explicit. This is what `ddl`
//! renders; it holds no TOML positions.

use serde::Serialize;

use crate::sql::QualifiedName;

pub use super::model::{
    CheckOption, Command, IndexMethod, Language, PolicyMode, RefAction, Security, Volatility,
};
pub use super::triggers::{EventTriggerEvent, TriggerEvent, TriggerTiming};

/// Where something was written in the project's files, as `file:line:col`, so
/// that a statement PostgreSQL rejects can point back at it. (The declaration
/// holds no TOML spans; this is the resolved position, for messages only.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path relative to the project root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// True when `column` is the first character of a string's content and the
    /// string has no escapes, so that an offset into the value is a column offset.
    pub exact: bool,
}

impl Origin {
    /// The position `chars` characters into the value, where that is exact.
    pub fn at(&self, chars: usize) -> Origin {
        if self.exact {
            Origin {
                column: self.column + chars,
                ..self.clone()
            }
        } else {
            self.clone()
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The whole declared database.
#[derive(Debug, Clone, Serialize)]
pub struct Declaration {
    /// Schemas the project owns, in `[project] schemas` order.
    pub schemas: Vec<Schema>,
    /// Roles the project names.
    pub roles: Vec<Role>,
    /// Enums, domains and composite types in declaration order.
    pub types: Vec<UserType>,
    /// Functions in declaration order.
    pub functions: Vec<Function>,
    /// Tables in declaration order.
    pub tables: Vec<Table>,
    /// Triggers, on declared tables and on tables of other schemas, in declaration order.
    pub triggers: Vec<Trigger>,
    /// Event triggers, in declaration order.
    pub event_triggers: Vec<EventTrigger>,
    /// Views and materialized views, each after the declared views its query reads.
    pub views: Vec<View>,
    /// Standalone sequences in declaration order.
    pub sequences: Vec<Sequence>,
    /// SQL run in a dev database before the declaration (file path, text).
    pub dev_setup: Vec<(String, String)>,
    /// A server for dev databases instead of an ephemeral cluster.
    pub dev_url: Option<String>,
    /// Environment variable naming the target database URL (`[database] url_env`).
    pub url_env: Option<String>,
    /// Whether rlsctl may create and alter roles on a target.
    pub manage_roles: bool,
    /// `[tenancy]`, when the project declares one.
    pub tenancy: Option<Tenancy>,
    /// Named identities for hand-written tests, in declaration order.
    pub identities: Vec<Identity>,
    /// Hand-written policy tests, in declaration order.
    pub tests: Vec<PolicyTest>,
    /// Extensions (`[extensions]`), in declaration order; created before anything else.
    pub extensions: Vec<Extension>,
    /// Publications (`[publications.*]`), in declaration order.
    pub publications: Vec<Publication>,
    /// `[samples."schema.table"]` rows of rlsctl.toml, as JSON.
    pub samples: Vec<(QualifiedName, serde_json::Map<String, serde_json::Value>)>,
    /// The declared audit trail (`[audit_log]`); its log table, function and
    /// triggers are also in `tables`, `functions` and `triggers`.
    pub audit_trail: Option<AuditTrail>,
}

/// The audit trail: one tenant-scoped, append-only log written by one trigger
/// function, which every audited table's trigger calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditTrail {
    /// The log table (also one of `Declaration::tables`).
    pub log: QualifiedName,
    /// The SECURITY DEFINER trigger function that writes it.
    pub function: QualifiedName,
    /// The audited tables with the columns each records, in declaration order.
    pub audited: Vec<(QualifiedName, Vec<String>)>,
    /// The log's tenant column.
    pub tenant_column: String,
    /// Roles that may read their tenant's entries.
    pub readers: Vec<String>,
    /// The SQL recorded as the actor.
    pub actor: String,
}

/// The name of the trigger that records an audited table's changes.
pub const AUDIT_TRIGGER: &str = "audit_trail";

/// A declared extension: only what is declared is compared with the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extension {
    /// Its name (`pgcrypto`).
    pub name: String,
    /// Schema for its objects, when declared.
    pub schema: Option<String>,
    /// Version, when declared.
    pub version: Option<String>,
    /// Where it is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// A declared publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    /// Its name (`supabase_realtime`).
    pub name: String,
    /// `FOR ALL TABLES`.
    pub all_tables: bool,
    /// Published tables (empty with `all_tables`).
    pub tables: Vec<QualifiedName>,
    /// Published operations, lower case, in `insert, update, delete, truncate` order.
    pub publish: Vec<String>,
    /// Where it is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// `REPLICA IDENTITY` of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ReplicaIdentity {
    /// The primary key (PostgreSQL's default).
    Default,
    /// Every column.
    Full,
    /// None: UPDATE and DELETE cannot be published.
    Nothing,
    /// `USING INDEX name`.
    Index(String),
}

/// A declared partition of a partitioned table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partition {
    /// The partition (a table in the parent's schema).
    pub name: QualifiedName,
    /// The bound as written: `for values from (...) to (...)`, `for values in (...)`,
    /// `for values with (modulus 4, remainder 0)` or `default`.
    pub bound: String,
    /// Where the bound is written.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// `[tenancy]` with defaults applied.
#[derive(Debug, Clone, Serialize)]
pub struct Tenancy {
    /// Default tenant column.
    pub column: String,
    /// Default tenant column type.
    pub ty: Option<String>,
    /// Roles the generated isolation policy applies to (the client roles).
    pub roles: Vec<String>,
    /// How to become "a user of tenant {tenant}"; `{tenant}` and `{user}` are
    /// placeholders in settings, claims and setup.
    pub impersonate: Option<Impersonation>,
}

/// How to act as a user: role, settings, JWT claims, owner-run setup.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Impersonation {
    /// Role for `SET LOCAL ROLE`.
    pub role: Option<String>,
    /// Settings for `set_config(name, value, true)`, in order.
    pub settings: Vec<(String, String)>,
    /// Claims for `request.jwt.claims` (Supabase / PostgREST), as JSON.
    pub jwt: Option<serde_json::Value>,
    /// SQL run as the owner first.
    pub setup: Vec<String>,
    /// The login role requests arrive as (PostgREST's `authenticator`): the
    /// session user, from which `role` is set.
    pub login: Option<String>,
    /// Removed-member variants: SQL (run as the owner) that removes the user of
    /// A from its tenant (membership row deleted, soft-deleted); every probe
    /// then runs again as that user.
    pub removed: Vec<String>,
}

/// A named identity (`[identities.NAME]`).
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    /// Its name.
    pub name: String,
    /// How to become it.
    pub impersonation: Impersonation,
}

/// A hand-written policy test (`[[test]]`).
#[derive(Debug, Clone, Serialize)]
pub struct PolicyTest {
    /// What it shows.
    pub name: String,
    /// Identity it runs as.
    pub identity: String,
    /// SQL run as the owner first.
    pub setup: Vec<String>,
    /// The statement run as the identity.
    pub query: String,
    /// What must happen.
    pub expect: Expectation,
    /// `file:line` of the test, for reports.
    pub location: String,
}

/// The expected outcome of a policy test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Expectation {
    /// Exactly these rows (values as JSON).
    Rows(Vec<Vec<serde_json::Value>>),
    /// This many rows returned.
    Count(i64),
    /// This many rows affected.
    Affected(i64),
    /// Failure with this SQLSTATE.
    Error(String),
}

/// A trigger (`CREATE TRIGGER`).
#[derive(Debug, Clone, Serialize)]
pub struct Trigger {
    /// The table it is on.
    pub table: QualifiedName,
    /// Its name, unique within the table.
    pub name: String,
    /// BEFORE, AFTER or INSTEAD OF.
    pub timing: TriggerTiming,
    /// The events that fire it, in declaration order.
    pub events: Vec<TriggerEvent>,
    /// FOR EACH ROW (else FOR EACH STATEMENT).
    pub for_each_row: bool,
    /// `UPDATE OF` columns.
    pub columns: Vec<String>,
    /// `REFERENCING NEW TABLE AS`.
    pub new_table: Option<String>,
    /// `REFERENCING OLD TABLE AS`.
    pub old_table: Option<String>,
    /// The WHEN condition.
    pub when: Option<String>,
    /// Where the WHEN condition is written.
    #[serde(skip)]
    pub when_origin: Option<Origin>,
    /// The function it executes.
    pub function: QualifiedName,
    /// Arguments to the function.
    pub args: Vec<String>,
    /// False: created disabled (`ALTER TABLE ... DISABLE TRIGGER`).
    pub enabled: bool,
    /// Where it is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// An event trigger (`CREATE EVENT TRIGGER`), database-wide.
#[derive(Debug, Clone, Serialize)]
pub struct EventTrigger {
    /// Its name, unique in the database.
    pub name: String,
    /// The event.
    pub event: EventTriggerEvent,
    /// Command tags it is limited to; empty for all.
    pub tags: Vec<String>,
    /// The function it executes.
    pub function: QualifiedName,
    /// False: created disabled.
    pub enabled: bool,
    /// Where it is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

impl Declaration {
    /// The table with this name.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name)
    }

    /// Every foreign key that links rows of different tenants (see
    /// [`CrossTenantKey::of`]), in declaration order.
    pub fn cross_tenant_keys(&self) -> Vec<CrossTenantKey> {
        self.tables
            .iter()
            .flat_map(|t| {
                t.foreign_keys
                    .iter()
                    .filter_map(move |fk| CrossTenantKey::of(t, fk, self.table(&fk.references)?))
            })
            .collect()
    }
}

/// A foreign key between two tenant tables that leaves out the referencing table's
/// tenant column: a row may then point at a row of another tenant (and an insert's
/// FK check reveals that the row exists). `validate` warns about it and `plan`
/// marks the change that adds it, both from this one decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossTenantKey {
    /// The referencing table.
    pub table: QualifiedName,
    /// The foreign key's name.
    pub name: String,
    /// Its columns.
    pub columns: Vec<String>,
    /// The referenced table.
    pub references: QualifiedName,
    /// The referenced columns.
    pub ref_columns: Vec<String>,
    /// The referencing table's tenant column.
    pub tenant_column: String,
    /// The referenced table's tenant column.
    pub ref_tenant_column: String,
}

impl CrossTenantKey {
    /// The decision: `fk` of `table` onto `target` is cross-tenant when both tables
    /// are tenant-scoped and the key does not include `table`'s tenant column. A key
    /// that includes it (`(tenant_id, task_id)` onto `(tenant_id, id)`, or the
    /// tenant column onto the tenant's own row) stays within one tenant; a key onto
    /// a public table links to shared rows.
    pub fn of(table: &Table, fk: &ForeignKey, target: &Table) -> Option<CrossTenantKey> {
        let (own, theirs) = (table.tenant.as_ref()?, target.tenant.as_ref()?);
        if fk.columns.contains(&own.column) {
            return None;
        }
        Some(CrossTenantKey {
            table: table.name.clone(),
            name: fk.name.clone(),
            columns: fk.columns.clone(),
            references: target.name.clone(),
            ref_columns: fk.ref_columns.clone(),
            tenant_column: own.column.clone(),
            ref_tenant_column: theirs.column.clone(),
        })
    }

    /// What is wrong, in words.
    pub fn problem(&self) -> String {
        format!(
            "foreign key {} from tenant table {} to tenant table {} leaves out the tenant column {:?}: a row can reference a row of another tenant",
            self.name, self.table, self.references, self.tenant_column
        )
    }

    /// How to make the key tenant-safe.
    pub fn fix(&self) -> String {
        let list = |first: &str, rest: &[String]| {
            std::iter::once(first)
                .chain(rest.iter().map(String::as_str))
                .map(|c| format!("{c:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let ref_key = list(&self.ref_tenant_column, &self.ref_columns);
        format!(
            "reference the tenant too: a composite key ({}) onto UNIQUE ({}) of {}, i.e. foreign_keys = [{{ columns = [{}], references = \"{}\", ref_columns = [{ref_key}] }}] and, on {}, unique = [{{ columns = [{ref_key}] }}]",
            list(&self.tenant_column, &self.columns).replace('"', ""),
            ref_key.replace('"', ""),
            self.references,
            list(&self.tenant_column, &self.columns),
            format_args!("{}.{}", self.references.schema, self.references.name),
            self.references.name,
        )
    }
}

/// A schema the project owns.
#[derive(Debug, Clone, Serialize)]
pub struct Schema {
    /// Schema name.
    pub name: String,
    /// `COMMENT ON SCHEMA`.
    pub comment: Option<String>,
    /// Privileges granted on the schema.
    pub grants: Vec<Grant>,
    /// Default privileges in the schema; `None` when not declared (the
    /// target's are then left alone).
    pub default_privileges: Option<DefaultPrivileges>,
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE r] IN SCHEMA s GRANT ...`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DefaultPrivileges {
    /// `FOR ROLE`; `None` for the role that applies.
    pub for_role: Option<String>,
    /// Grants per object kind: `TABLES`, `SEQUENCES`, `FUNCTIONS`, `TYPES`.
    pub grants: Vec<(&'static str, Grant)>,
}

/// A cluster-wide role.
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    /// Role name.
    pub name: String,
    /// LOGIN.
    pub login: bool,
    /// INHERIT.
    pub inherit: bool,
    /// Roles it is a member of.
    pub member_of: Vec<String>,
    /// BYPASSRLS as declared (`bypassrls = true / false`); client roles
    /// (`[tenancy] roles`) are expected without it when it is not declared.
    pub bypass_rls: Option<bool>,
}

/// Privileges of one grantee on one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// Role name, or `public` for PUBLIC.
    pub grantee: String,
    /// Upper-case privilege keywords (`SELECT`, `USAGE`, `EXECUTE`, `ALL`).
    pub privileges: Vec<String>,
}

/// An enum, domain or composite type (`[types."schema.name"]`).
#[derive(Debug, Clone, Serialize)]
pub struct UserType {
    /// Qualified name.
    pub name: QualifiedName,
    /// What it is.
    pub definition: TypeDefinition,
    /// `COMMENT ON TYPE` / `DOMAIN`.
    pub comment: Option<String>,
    /// Where the type is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// The definition of a declared type.
#[derive(Debug, Clone, Serialize)]
pub enum TypeDefinition {
    /// An enum.
    Enum {
        /// Values in order.
        values: Vec<String>,
        /// Values renamed in place: (old, new).
        renamed: Vec<(String, String)>,
    },
    /// A domain.
    Domain {
        /// Base type as written.
        base: String,
        /// Default expression.
        default: Option<String>,
        /// NOT NULL.
        not_null: bool,
        /// Check constraints (named; `value` is the checked value).
        checks: Vec<Check>,
    },
    /// A composite type: (attribute, type as written) in order.
    Composite(Vec<(String, String)>),
    /// `drop = true`: not built; dropped from the target when it is there.
    Dropped,
}

/// A function.
#[derive(Debug, Clone, Serialize)]
pub struct Function {
    /// Qualified name.
    pub name: QualifiedName,
    /// Arguments.
    pub args: Vec<Argument>,
    /// Return type as written.
    pub returns: String,
    /// Language.
    pub language: Language,
    /// Volatility.
    pub volatility: Volatility,
    /// Invoker or definer.
    pub security: Security,
    /// STRICT.
    pub strict: bool,
    /// `SET name = value` clauses.
    pub settings: Vec<(String, String)>,
    /// Body.
    pub body: String,
    /// Comment.
    pub comment: Option<String>,
    /// Grants (`EXECUTE`).
    pub grants: Vec<Grant>,
    /// `grants` was declared (maybe `{}`): PUBLIC's default EXECUTE is revoked,
    /// so that only the listed roles may call it.
    pub grants_declared: bool,
    /// Where the function is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
    /// Function or procedure (a procedure's `returns` is empty).
    pub kind: RoutineKind,
    /// A SQL-standard body: `body` is the statements of `BEGIN ATOMIC ... END`.
    pub atomic: bool,
}

/// `CREATE FUNCTION` or `CREATE PROCEDURE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RoutineKind {
    /// A function.
    Function,
    /// A procedure.
    Procedure,
}

/// A function argument.
#[derive(Debug, Clone, Serialize)]
pub struct Argument {
    /// Name; empty for an unnamed argument (declared by the key's signature).
    pub name: String,
    /// Type as written.
    pub ty: String,
    /// Default expression.
    pub default: Option<String>,
}

/// A table.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// Qualified name.
    pub name: QualifiedName,
    /// Tenant scoping, or `None` for a table declared public.
    pub tenant: Option<Tenant>,
    /// Why the table is public (for public tables).
    pub public_reason: Option<String>,
    /// Columns in order (the generated tenant column first when not declared).
    pub columns: Vec<Column>,
    /// Primary key.
    pub primary_key: Option<Key>,
    /// Unique constraints.
    pub uniques: Vec<Key>,
    /// Check constraints.
    pub checks: Vec<Check>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Indexes (not those behind primary key and unique constraints).
    pub indexes: Vec<Index>,
    /// Exclusion constraints.
    pub exclusions: Vec<Exclusion>,
    /// ROW LEVEL SECURITY enabled.
    pub rls_enabled: bool,
    /// ROW LEVEL SECURITY forced (applies to the owner too).
    pub rls_forced: bool,
    /// Policies: the generated isolation policy first, then declared ones.
    pub policies: Vec<Policy>,
    /// Table privileges.
    pub grants: Vec<Grant>,
    /// Column privileges: (column, grant), in column order.
    pub column_grants: Vec<(String, Grant)>,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
    /// Previous name, for a declared rename.
    pub renamed_from: Option<String>,
    /// A valid row for the isolation proof's seeding (`sample = {...}`), as JSON.
    pub sample: Option<serde_json::Map<String, serde_json::Value>>,
    /// Why RLS is enabled without FORCE (`force = false`); None when forced or off.
    pub force_reason: Option<String>,
    /// `REPLICA IDENTITY`, when declared.
    pub replica_identity: Option<ReplicaIdentity>,
    /// `PARTITION BY` as written (`range (created_at)`), for a partitioned table.
    pub partition_by: Option<String>,
    /// Its declared partitions, in declaration order; each gets the parent's
    /// row-level security (a partition queried directly applies only its own).
    pub partitions: Vec<Partition>,
    /// Where the table is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// How a table is tenant-scoped.
#[derive(Debug, Clone, Serialize)]
pub struct Tenant {
    /// The tenant column.
    pub column: String,
    /// The isolation predicate with placeholders filled in.
    pub predicate: String,
}

/// A column.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Name.
    pub name: String,
    /// Type as written.
    pub ty: String,
    /// NOT NULL.
    pub not_null: bool,
    /// Default expression.
    pub default: Option<String>,
    /// Identity kind.
    pub identity: Option<super::model::Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<String>,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
    /// Previous name, for a declared rename.
    pub renamed_from: Option<String>,
    /// Where the column's type is written.
    #[serde(skip)]
    pub origin: Option<Origin>,
    /// Where its default is written.
    #[serde(skip)]
    pub default_origin: Option<Origin>,
}

/// A primary key or unique constraint.
#[derive(Debug, Clone, Serialize)]
pub struct Key {
    /// Constraint name.
    pub name: String,
    /// Columns.
    pub columns: Vec<String>,
    /// `NULLS NOT DISTINCT` (unique constraints).
    pub nulls_not_distinct: bool,
    /// When it is checked.
    pub deferral: Deferral,
}

/// When a constraint is checked: `DEFERRABLE`, `INITIALLY DEFERRED`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Deferral {
    /// `DEFERRABLE`.
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    pub initially_deferred: bool,
}

impl Deferral {
    /// The clause after a constraint (empty for the default, `NOT DEFERRABLE`).
    pub fn sql(self) -> &'static str {
        match (self.deferrable, self.initially_deferred) {
            (false, _) => "",
            (true, false) => " DEFERRABLE",
            (true, true) => " DEFERRABLE INITIALLY DEFERRED",
        }
    }
}

/// An exclusion constraint.
#[derive(Debug, Clone, Serialize)]
pub struct Exclusion {
    /// Constraint name.
    pub name: String,
    /// Access method.
    pub method: IndexMethod,
    /// (key, operator) pairs.
    pub elements: Vec<(IndexKey, String)>,
    /// Partial predicate.
    pub predicate: Option<String>,
    /// When it is checked.
    pub deferral: Deferral,
    /// Where it is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// A standalone sequence (`[sequences."schema.name"]`).
#[derive(Debug, Clone, Serialize)]
pub struct Sequence {
    /// Qualified name.
    pub name: QualifiedName,
    /// `AS` type, as written (None: bigint).
    pub ty: Option<String>,
    /// `START WITH`.
    pub start: Option<i64>,
    /// `INCREMENT BY`.
    pub increment: Option<i64>,
    /// `MINVALUE`.
    pub min: Option<i64>,
    /// `MAXVALUE`.
    pub max: Option<i64>,
    /// `CACHE`.
    pub cache: Option<i64>,
    /// `CYCLE`.
    pub cycle: bool,
    /// `OWNED BY` (table, column).
    pub owned_by: Option<(QualifiedName, String)>,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
    /// Privileges.
    pub grants: Vec<Grant>,
    /// Where it is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// A check constraint.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Constraint name.
    pub name: String,
    /// Boolean expression.
    pub expr: String,
    /// Where the expression is written.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// A foreign key.
#[derive(Debug, Clone, Serialize)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: String,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub references: QualifiedName,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// ON DELETE.
    pub on_delete: RefAction,
    /// ON UPDATE.
    pub on_update: RefAction,
    /// When it is checked.
    pub deferral: Deferral,
    /// Where the reference is written.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// An index.
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// UNIQUE.
    pub unique: bool,
    /// Access method.
    pub method: IndexMethod,
    /// Key parts.
    pub keys: Vec<IndexKey>,
    /// Per key part, its options as SQL (`COLLATE "C" DESC NULLS LAST`; empty: none).
    pub key_options: Vec<String>,
    /// `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
    /// INCLUDE columns.
    pub include: Vec<String>,
    /// Partial index predicate.
    pub predicate: Option<String>,
    /// Where the index is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// One key part of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum IndexKey {
    /// A column.
    Column(String),
    /// An expression.
    Expression(String),
}

/// A row-level security policy.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// Name.
    pub name: String,
    /// Command.
    pub command: Command,
    /// Permissive or restrictive.
    pub mode: PolicyMode,
    /// Roles; empty means PUBLIC.
    pub roles: Vec<String>,
    /// USING.
    pub using: Option<String>,
    /// WITH CHECK.
    pub check: Option<String>,
    /// True for the isolation policy rlsctl generates for tenant tables.
    pub generated: bool,
    /// Where the policy is declared (the tenant predicate, for the generated one).
    #[serde(skip)]
    pub origin: Option<Origin>,
    /// Where USING is written.
    #[serde(skip)]
    pub using_origin: Option<Origin>,
    /// Where WITH CHECK is written.
    #[serde(skip)]
    pub check_origin: Option<Origin>,
}

/// The name of the isolation policy generated on every tenant table.
pub const ISOLATION_POLICY: &str = "tenant_isolation";

/// A view or materialized view.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Qualified name.
    pub name: QualifiedName,
    /// A materialized view.
    pub materialized: bool,
    /// The query as written.
    pub query: String,
    /// `security_invoker` (views only).
    pub security_invoker: bool,
    /// `security_barrier` (views only).
    pub security_barrier: bool,
    /// `WITH ... CHECK OPTION` (views only).
    pub check_option: Option<CheckOption>,
    /// `WITH DATA` (materialized views only).
    pub with_data: bool,
    /// Indexes (materialized views only).
    pub indexes: Vec<Index>,
    /// Comment.
    pub comment: Option<String>,
    /// Privileges.
    pub grants: Vec<Grant>,
    /// The relations the query names, qualified with the default schema when
    /// written bare (for ordering views after the views they read).
    pub reads: Vec<QualifiedName>,
    /// Where the view is declared.
    #[serde(skip)]
    pub origin: Option<Origin>,
    /// Where its query is written.
    #[serde(skip)]
    pub query_origin: Option<Origin>,
}
