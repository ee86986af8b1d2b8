//! The declaration as written in TOML: one struct per table of the files, with the
//! source position of every value that an error may need to point at.
//!
//! Every struct denies unknown keys so that a typo is an error, not a silently
//! ignored setting.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

/// A string value with its byte range in the file it came from.
pub type Text = Spanned<String>;

/// `rlsctl.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// `[project]`.
    pub project: Spanned<ProjectSection>,
    /// `[database]`.
    #[serde(default)]
    pub database: DatabaseSection,
    /// `[roles]`: every role the project names, since roles are cluster-wide.
    #[serde(default)]
    pub roles: IndexMap<Text, Spanned<RoleDecl>>,
    /// `[tenancy]`.
    pub tenancy: Option<Spanned<TenancyDecl>>,
    /// `[audit]`: settings of `rlsctl audit`.
    pub audit: Option<AuditSection>,
    /// `[audit_log]`: the one audit trail log that tables with `audit = ...` write to.
    pub audit_log: Option<Spanned<AuditLogDecl>>,
    /// `[extensions]`: extensions the database must have, by name.
    #[serde(default)]
    pub extensions: IndexMap<Text, Spanned<ExtensionDecl>>,
    /// `[publications.<name>]`: logical replication publications (Supabase realtime).
    #[serde(default)]
    pub publications: IndexMap<Text, Spanned<PublicationDecl>>,
    /// `[samples."schema.table"]`: a valid row per table for the isolation proof's
    /// seeding, for tables the project does not declare (`test --database-url`).
    #[serde(default)]
    pub samples: IndexMap<Text, Spanned<toml::Table>>,
}

/// One entry of `[extensions]`: `pgcrypto = {}` or `{ schema = "extensions", version = "1.3" }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDecl {
    /// Schema for its objects (default: as PostgreSQL chooses, the extension's
    /// own or the first schema of the search path).
    pub schema: Option<Text>,
    /// Version (default: the extension's default version).
    pub version: Option<Text>,
}

/// `[publications.<name>]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationDecl {
    /// Tables published (`table` or `schema.table`); exclusive with `all_tables`.
    #[serde(default)]
    pub tables: Vec<Text>,
    /// `FOR ALL TABLES`.
    #[serde(default)]
    pub all_tables: Option<Spanned<bool>>,
    /// Operations published: `insert`, `update`, `delete`, `truncate` (default all four).
    pub publish: Option<Spanned<Vec<Text>>>,
}

/// `[audit]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSection {
    /// Roles end users act as; default: `[tenancy] roles`, else detected.
    pub client_roles: Option<Vec<String>>,
    /// Schemas to scan; default: detected (`[project] schemas` for the dev build).
    pub schemas: Option<Vec<String>>,
    /// Functions that read the session context (`app.current_tenant_id`).
    pub context_helpers: Option<Vec<String>>,
    /// Accepted findings: `{ key = "RLS001:app.t", reason = "..." }`.
    #[serde(default)]
    pub ignore: Vec<AuditIgnore>,
}

/// One accepted audit finding.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditIgnore {
    /// The finding's stable key.
    pub key: String,
    /// Why it is accepted.
    pub reason: String,
}

/// `[project]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSection {
    /// The project's name (informational).
    pub name: Option<Text>,
    /// Schemas rlsctl owns; everything else is left alone.
    pub schemas: Spanned<Vec<Text>>,
    /// Schema for unqualified names; default: the first of `schemas`.
    pub default_schema: Option<Text>,
    /// Whether rlsctl may create and alter roles on a target database.
    #[serde(default)]
    pub manage_roles: bool,
}

/// `[database]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSection {
    /// Name of the environment variable holding the target connection string.
    pub url_env: Option<Text>,
    /// A scratch server for normalisation; default: an ephemeral local cluster.
    pub dev_url: Option<Text>,
    /// SQL files (relative to the project) run in every dev database before the
    /// declaration: objects that exist on the target but that the project does not
    /// manage, such as Supabase's `auth` schema.
    #[serde(default)]
    pub dev_setup: Vec<Text>,
}

/// One entry of `[roles]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDecl {
    /// LOGIN (default false).
    #[serde(default)]
    pub login: bool,
    /// INHERIT (default true).
    pub inherit: Option<bool>,
    /// Roles this role is a member of (`GRANT other TO this`).
    #[serde(default)]
    pub member_of: Vec<Text>,
    /// BYPASSRLS (default false): a declared role that has it on the target and
    /// does not declare it is reported, never left silently.
    pub bypassrls: Option<bool>,
}

/// `[tenancy]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenancyDecl {
    /// Tenant column name (default `tenant_id`).
    pub column: Option<Text>,
    /// SQL type of the tenant column, used when a tenant table does not declare it.
    #[serde(rename = "type")]
    pub ty: Option<Text>,
    /// `table.column` that every tenant column references (optional).
    pub references: Option<Text>,
    /// SQL giving the caller's tenant.
    pub current: Option<Text>,
    /// Roles the generated isolation policies apply to.
    #[serde(default)]
    pub roles: Vec<Text>,
    /// The isolation predicate, with `{column}` for the quoted tenant column.
    pub predicate: Option<Text>,
    /// Whether an index on the tenant column is generated (default true).
    pub index: Option<bool>,
    /// How the tester becomes "a user of tenant T".
    pub impersonate: Option<Spanned<ImpersonateDecl>>,
}

/// `[tenancy.impersonate]` and the body of a named identity.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpersonateDecl {
    /// Role to `SET LOCAL ROLE` to.
    pub role: Option<Text>,
    /// Settings applied with `set_config(name, value, true)`.
    #[serde(default)]
    pub settings: IndexMap<Text, Text>,
    /// Claims serialised into `request.jwt.claims` (Supabase / PostgREST).
    pub jwt: Option<Spanned<toml::Table>>,
    /// SQL run as the owner first (e.g. a membership row).
    #[serde(default)]
    pub setup: Vec<Text>,
    /// Login role requests arrive as (PostgREST's `authenticator`), then `SET ROLE`.
    pub login: Option<Text>,
    /// Removed-member variants: SQL that removes the user of A from its tenant.
    #[serde(default)]
    pub removed: Vec<Text>,
}

/// `schema/*.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    /// `[schemas.<name>]`: grants and comments on schemas the project owns.
    #[serde(default)]
    pub schemas: IndexMap<Text, Spanned<SchemaDecl>>,
    /// `[tables.<name>]`.
    #[serde(default)]
    pub tables: IndexMap<Text, Spanned<TableDecl>>,
    /// `[functions."<schema.name>"]`, or `[functions."<schema.name>(<types>)"]`
    /// for one overload of several.
    #[serde(default)]
    pub functions: IndexMap<Text, Spanned<FunctionDecl>>,
    /// `[procedures."<schema.name>"]` (or with its argument types, as functions).
    #[serde(default)]
    pub procedures: IndexMap<Text, Spanned<ProcedureDecl>>,
    /// `[triggers."<schema.table.name>"]`: triggers on tables the file does not
    /// declare, such as `auth.users` (see `spec::triggers`).
    #[serde(default)]
    pub triggers: IndexMap<Text, Spanned<crate::spec::triggers::TriggerDecl>>,
    /// `[event_triggers.<name>]`: database-wide event triggers.
    #[serde(default)]
    pub event_triggers: IndexMap<Text, Spanned<crate::spec::triggers::EventTriggerDecl>>,
    /// `[types."<schema.name>"]`: enums, domains and composite types.
    #[serde(default)]
    pub types: IndexMap<Text, Spanned<TypeDecl>>,
    /// `[views."<schema.name>"]`.
    #[serde(default)]
    pub views: IndexMap<Text, Spanned<ViewDecl>>,
    /// `[materialized_views."<schema.name>"]`.
    #[serde(default)]
    pub materialized_views: IndexMap<Text, Spanned<MaterializedViewDecl>>,
    /// `[sequences."<schema.name>"]`: standalone sequences.
    #[serde(default)]
    pub sequences: IndexMap<Text, Spanned<SequenceDecl>>,
}

/// `[views."<schema.name>"]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewDecl {
    /// The query: one SELECT.
    pub query: Text,
    /// `security_invoker`: the query runs with the caller's rights and RLS (default false,
    /// as in PostgreSQL: the owner's).
    #[serde(default)]
    pub security_invoker: bool,
    /// `security_barrier`: the view's own conditions run before the caller's functions.
    #[serde(default)]
    pub security_barrier: bool,
    /// `WITH LOCAL | CASCADED CHECK OPTION`.
    pub check_option: Option<Spanned<CheckOption>>,
    /// `COMMENT ON VIEW`.
    pub comment: Option<Text>,
    /// Privileges per role.
    #[serde(default)]
    pub grants: Grants,
}

/// `[materialized_views."<schema.name>"]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterializedViewDecl {
    /// The query: one SELECT.
    pub query: Text,
    /// Indexes, as on tables.
    #[serde(default)]
    pub indexes: Vec<Spanned<IndexDecl>>,
    /// `WITH DATA` (default) or `WITH NO DATA`.
    pub with_data: Option<bool>,
    /// `COMMENT ON MATERIALIZED VIEW`.
    pub comment: Option<Text>,
    /// Privileges per role.
    #[serde(default)]
    pub grants: Grants,
}

/// A view's check option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckOption {
    /// `WITH LOCAL CHECK OPTION`.
    Local,
    /// `WITH CASCADED CHECK OPTION`.
    Cascaded,
}

/// `[sequences."<schema.name>"]`. Unset options take PostgreSQL's defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceDecl {
    /// `AS smallint | integer | bigint` (default bigint).
    #[serde(rename = "type")]
    pub ty: Option<Text>,
    /// `START WITH`.
    pub start: Option<Spanned<i64>>,
    /// `INCREMENT BY` (default 1).
    pub increment: Option<Spanned<i64>>,
    /// `MINVALUE`.
    pub min: Option<Spanned<i64>>,
    /// `MAXVALUE`.
    pub max: Option<Spanned<i64>>,
    /// `CYCLE`.
    #[serde(default)]
    pub cycle: bool,
    /// `CACHE` (default 1).
    pub cache: Option<Spanned<i64>>,
    /// `table.column` whose drop drops the sequence too (`OWNED BY`).
    pub owned_by: Option<Text>,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<Text>,
    /// Privileges per role (`usage`, `select`, `update`).
    #[serde(default)]
    pub grants: Grants,
}

/// `[schemas.<name>]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaDecl {
    /// `COMMENT ON SCHEMA`.
    pub comment: Option<Text>,
    /// Privileges per role, e.g. `{ app_user = ["usage"] }`.
    #[serde(default)]
    pub grants: Grants,
    /// `ALTER DEFAULT PRIVILEGES ... IN SCHEMA`: what objects created in the
    /// schema later are granted. Declared at all, the schema's default
    /// privileges are managed (undeclared ones revoked); absent, left alone.
    pub default_privileges: Option<Spanned<DefaultPrivilegesDecl>>,
}

/// `default_privileges = { for_role = "...", tables = { role = [...] }, ... }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultPrivilegesDecl {
    /// The role whose new objects get them (`FOR ROLE`); default: the role
    /// that applies the plan.
    pub for_role: Option<Text>,
    /// `ON TABLES` (also views, materialized views, foreign tables).
    #[serde(default)]
    pub tables: Grants,
    /// `ON SEQUENCES`.
    #[serde(default)]
    pub sequences: Grants,
    /// `ON FUNCTIONS` (functions and procedures).
    #[serde(default)]
    pub functions: Grants,
    /// `ON TYPES`.
    #[serde(default)]
    pub types: Grants,
}

/// Privileges per role name (`public` means PUBLIC).
pub type Grants = IndexMap<Text, Vec<Text>>;

/// `[tables.<name>]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDecl {
    /// `true`, a column name, or `{ column, type, references, predicate }`.
    pub tenant: Option<Spanned<TenantDecl>>,
    /// Why the table is not tenant-scoped; required when `tenant` is absent or false.
    pub public: Option<Text>,
    /// Columns in file order.
    #[serde(default)]
    pub columns: IndexMap<Text, Spanned<ColumnDecl>>,
    /// Composite primary key: `["a", "b"]`, or `{ columns = [...], deferrable = true }`.
    pub primary_key: Option<Spanned<PrimaryKeyShape>>,
    /// Unique constraints.
    #[serde(default)]
    pub unique: Vec<Spanned<UniqueDecl>>,
    /// Check constraints.
    #[serde(default)]
    pub checks: Vec<Spanned<CheckDecl>>,
    /// Multi-column foreign keys.
    #[serde(default)]
    pub foreign_keys: Vec<Spanned<ForeignKeyDecl>>,
    /// Indexes.
    #[serde(default)]
    pub indexes: Vec<Spanned<IndexDecl>>,
    /// Exclusion constraints.
    #[serde(default)]
    pub exclude: Vec<Spanned<ExcludeDecl>>,
    /// `COMMENT ON TABLE`.
    pub comment: Option<Text>,
    /// Privileges per role.
    #[serde(default)]
    pub grants: Grants,
    /// Row-level security on a public table (default: on when policies name it).
    pub rls: Option<Spanned<bool>>,
    /// A valid row for the isolation proof's seeding, when it cannot invent one.
    pub sample: Option<Spanned<toml::Table>>,
    /// The table's previous name, so that a rename is not a drop and add.
    pub renamed_from: Option<Text>,
    /// `force = false`: row-level security enabled but not forced (the owner
    /// bypasses the policies); needs `force_reason`.
    pub force: Option<Spanned<bool>>,
    /// Why the table's row-level security is not forced.
    pub force_reason: Option<Text>,
    /// `REPLICA IDENTITY`: `"default"`, `"full"`, `"nothing"` or `{ index = "name" }`.
    pub replica_identity: Option<Spanned<ReplicaIdentityDecl>>,
    /// `PARTITION BY`: `"range (created_at)"`, `"list (region)"`, `"hash (id)"`.
    pub partition_by: Option<Text>,
    /// Partitions by table name (same schema): the bound, `"for values ..."` or `"default"`.
    #[serde(default)]
    pub partitions: IndexMap<Text, Text>,
    /// `triggers.<name> = { ... }`: triggers on this table.
    #[serde(default)]
    pub triggers: IndexMap<Text, Spanned<crate::spec::triggers::TriggerDecl>>,
    /// `audit = true` or `audit = { columns = [...], exclude = [...] }`: changes
    /// are recorded in the `[audit_log]`.
    pub audit: Option<Spanned<AuditDecl>>,
}

/// `[audit_log]` in rlsctl.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditLogDecl {
    /// The log table: `name` or `schema.name`.
    pub table: Text,
    /// Its schema, when `table` is unqualified (default: the default schema).
    pub schema: Option<Text>,
    /// How long entries are kept, in words; part of the log's comment.
    pub retention: Option<Text>,
    /// Client roles that may read their tenant's entries (default: `[tenancy] roles`).
    pub readers: Option<Vec<Text>>,
    /// Who among them may read, as SQL (`(select app.current_member_role()) in ('owner', 'admin')`).
    pub readable_when: Option<Text>,
    /// SQL giving the acting user (default: the `{user}` setting or JWT claim of
    /// `[tenancy.impersonate]`); names must be schema-qualified.
    pub actor: Option<Text>,
}

/// The `audit` key of a table.
#[derive(Debug)]
pub enum AuditDecl {
    /// `audit = true` / `audit = false`.
    Flag(bool),
    /// `audit = { columns = [...], exclude = [...] }`.
    Columns(AuditColumnsDecl),
}

/// Which columns an audited table records.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditColumnsDecl {
    /// Only these columns (default: all).
    #[serde(default)]
    pub columns: Vec<Text>,
    /// Never these columns (secrets).
    #[serde(default)]
    pub exclude: Vec<Text>,
}

impl<'de> Deserialize<'de> for AuditDecl {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AuditDecl;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false, or { columns = [...], exclude = [...] }")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<AuditDecl, E> {
                Ok(AuditDecl::Flag(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<AuditDecl, A::Error> {
                AuditColumnsDecl::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(AuditDecl::Columns)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The `replica_identity` key of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplicaIdentityDecl {
    /// `"default"`, `"full"` or `"nothing"` (checked in validation).
    Keyword(String),
    /// `{ index = "name" }`: `USING INDEX`.
    Index(String),
}

impl<'de> Deserialize<'de> for ReplicaIdentityDecl {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct UsingIndex {
            index: String,
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ReplicaIdentityDecl;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("\"default\", \"full\", \"nothing\" or { index = \"name\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ReplicaIdentityDecl, E> {
                Ok(ReplicaIdentityDecl::Keyword(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ReplicaIdentityDecl, A::Error> {
                UsingIndex::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|u| ReplicaIdentityDecl::Index(u.index))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A table's primary key: its columns, and whether it is checked at commit.
/// Written `["a", "b"]` or `{ columns = ["a", "b"], deferrable = true }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrimaryKeyDecl {
    /// The constraint's name (default `<table>_pkey`).
    pub name: Option<Text>,
    /// Columns.
    pub columns: Vec<Text>,
    /// `DEFERRABLE`.
    #[serde(default)]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED` (needs `deferrable = true`).
    pub initially_deferred: Option<Spanned<bool>>,
}

/// The `primary_key` key of a table: a list or a table.
#[derive(Debug, Default)]
pub struct PrimaryKeyShape(pub PrimaryKeyDecl);

impl<'de> Deserialize<'de> for PrimaryKeyShape {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = PrimaryKeyShape;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of columns, or { columns = [...], deferrable = true }")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<PrimaryKeyShape, A::Error> {
                Vec::<Text>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(
                    |columns| {
                        PrimaryKeyShape(PrimaryKeyDecl {
                            columns,
                            ..PrimaryKeyDecl::default()
                        })
                    },
                )
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<PrimaryKeyShape, A::Error> {
                PrimaryKeyDecl::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(PrimaryKeyShape)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The `tenant` key of a table.
#[derive(Debug)]
pub enum TenantDecl {
    /// `tenant = true` / `tenant = false`.
    Flag(bool),
    /// `tenant = "workspace_id"`: the table's own tenant column.
    Column(String),
    /// `tenant = { column = ..., type = ..., references = ..., predicate = ... }`.
    Detailed(TenantOverride),
}

/// Per-table overrides of `[tenancy]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantOverride {
    /// Tenant column name.
    pub column: Option<Text>,
    /// Tenant column type.
    #[serde(rename = "type")]
    pub ty: Option<Text>,
    /// `table.column` the tenant column references; `""` for none.
    pub references: Option<Text>,
    /// The isolation predicate for this table.
    pub predicate: Option<Text>,
}

impl<'de> Deserialize<'de> for TenantDecl {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TenantDecl;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "true, false, a column name, or { column, type, references, predicate }",
                )
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<TenantDecl, E> {
                Ok(TenantDecl::Flag(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TenantDecl, E> {
                Ok(TenantDecl::Column(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<TenantDecl, A::Error> {
                TenantOverride::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(TenantDecl::Detailed)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One column.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDecl {
    /// SQL type.
    #[serde(rename = "type")]
    pub ty: Text,
    /// NULL allowed (default false: columns are NOT NULL unless said otherwise).
    #[serde(default)]
    pub nullable: bool,
    /// Default expression.
    pub default: Option<Text>,
    /// `GENERATED ALWAYS` / `BY DEFAULT AS IDENTITY`.
    pub identity: Option<Spanned<Identity>>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the column's value is computed.
    pub generated: Option<Text>,
    /// Single-column primary key.
    #[serde(default)]
    pub primary_key: bool,
    /// Single-column unique constraint.
    #[serde(default)]
    pub unique: bool,
    /// `table.column` (or `schema.table.column`) this column references.
    pub references: Option<Text>,
    /// Referential action on delete.
    pub on_delete: Option<Spanned<RefAction>>,
    /// Referential action on update.
    pub on_update: Option<Spanned<RefAction>>,
    /// Column check expression.
    pub check: Option<Text>,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<Text>,
    /// The column's previous name.
    pub renamed_from: Option<Text>,
    /// Column privileges per role (`GRANT SELECT (col)`): select, insert,
    /// update, references.
    #[serde(default)]
    pub grants: Grants,
}

/// Identity column kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`.
    #[serde(rename = "always")]
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    #[serde(rename = "by default")]
    ByDefault,
}

/// Referential action of a foreign key, spelled as in SQL (`"set null"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum RefAction {
    /// `NO ACTION` (the default).
    #[serde(rename = "no action", alias = "no_action")]
    NoAction,
    /// `RESTRICT`.
    #[serde(rename = "restrict")]
    Restrict,
    /// `CASCADE`.
    #[serde(rename = "cascade")]
    Cascade,
    /// `SET NULL`.
    #[serde(rename = "set null", alias = "set_null")]
    SetNull,
    /// `SET DEFAULT`.
    #[serde(rename = "set default", alias = "set_default")]
    SetDefault,
}

/// A unique constraint.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueDecl {
    /// Constraint name (default `<table>_<columns>_key`).
    pub name: Option<Text>,
    /// Columns.
    pub columns: Vec<Text>,
    /// `NULLS NOT DISTINCT`: NULLs count as equal, so one row may hold them.
    #[serde(default)]
    pub nulls_not_distinct: bool,
    /// `DEFERRABLE`.
    #[serde(default)]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED` (needs `deferrable = true`).
    pub initially_deferred: Option<Spanned<bool>>,
}

/// An exclusion constraint: no two rows whose elements all compare true with
/// their operators (`EXCLUDE USING gist (room WITH =, during WITH &&)`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludeDecl {
    /// Constraint name (default `<table>_<columns>_excl`).
    pub name: Option<Text>,
    /// Access method (default gist).
    pub using: Option<Spanned<IndexMethod>>,
    /// `{ key = "column or expression", with = "operator" }` in order.
    pub elements: Vec<Spanned<ExcludeElementDecl>>,
    /// Only rows matching this predicate are constrained.
    #[serde(rename = "where")]
    pub predicate: Option<Text>,
    /// `DEFERRABLE`.
    #[serde(default)]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED` (needs `deferrable = true`).
    pub initially_deferred: Option<Spanned<bool>>,
}

/// One element of an exclusion constraint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludeElementDecl {
    /// A column or an expression.
    pub key: Text,
    /// The operator rows are compared with (`=`, `&&`).
    pub with: Text,
}

/// A check constraint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckDecl {
    /// Constraint name.
    pub name: Option<Text>,
    /// Boolean expression.
    pub expr: Text,
}

/// A (possibly multi-column) foreign key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKeyDecl {
    /// Constraint name (default `<table>_<columns>_fkey`).
    pub name: Option<Text>,
    /// Referencing columns.
    pub columns: Vec<Text>,
    /// Referenced table (`table` or `schema.table`).
    pub references: Text,
    /// Referenced columns (default: the referenced table's primary key).
    #[serde(default)]
    pub ref_columns: Vec<Text>,
    /// Referential action on delete.
    pub on_delete: Option<Spanned<RefAction>>,
    /// Referential action on update.
    pub on_update: Option<Spanned<RefAction>>,
    /// `DEFERRABLE`.
    #[serde(default)]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED` (needs `deferrable = true`).
    pub initially_deferred: Option<Spanned<bool>>,
}

/// An index.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexDecl {
    /// Index name (default `<table>_<columns>_idx`).
    pub name: Option<Text>,
    /// Key parts: a column name, or any SQL expression (`lower(email)`), each
    /// optionally followed by `collate "C"`, an operator class, `asc | desc` and
    /// `nulls first | last`, as in SQL (`"created_at desc nulls last"`).
    pub columns: Vec<Text>,
    /// UNIQUE index.
    #[serde(default)]
    pub unique: bool,
    /// `NULLS NOT DISTINCT` (unique indexes).
    #[serde(default)]
    pub nulls_not_distinct: bool,
    /// Partial index predicate.
    #[serde(rename = "where")]
    pub predicate: Option<Text>,
    /// Access method (default btree).
    pub method: Option<Spanned<IndexMethod>>,
    /// Non-key columns (`INCLUDE`).
    #[serde(default)]
    pub include: Vec<Text>,
}

/// Index access methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndexMethod {
    /// B-tree.
    Btree,
    /// Hash.
    Hash,
    /// GIN.
    Gin,
    /// GiST.
    Gist,
    /// BRIN.
    Brin,
    /// SP-GiST.
    Spgist,
}

/// `[functions."<schema.name>"]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionDecl {
    /// Arguments in order.
    #[serde(default)]
    pub args: Vec<Spanned<ArgDecl>>,
    /// Return type (`uuid`, `setof uuid`, `trigger`, `table (...)`).
    pub returns: Text,
    /// `sql` or `plpgsql`.
    pub language: Spanned<Language>,
    /// Volatility (default volatile, as in PostgreSQL).
    pub volatility: Option<Spanned<Volatility>>,
    /// `invoker` (default) or `definer`.
    pub security: Option<Spanned<Security>>,
    /// STRICT.
    #[serde(default)]
    pub strict: bool,
    /// Function-level settings, e.g. `{ search_path = "" }`.
    #[serde(default)]
    pub set: IndexMap<Text, Text>,
    /// The body.
    pub body: Text,
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<Text>,
    /// Privileges per role (`execute`); `grants = {}` revokes PUBLIC's default
    /// EXECUTE and grants nothing (absent: PostgreSQL's default stands).
    pub grants: Option<Grants>,
    /// A SQL-standard body (`language = "sql"`): `body` holds the statements of
    /// `BEGIN ATOMIC ... END` (or `return <expr>`), which PostgreSQL parses at
    /// creation and tracks the dependencies of.
    #[serde(default)]
    pub atomic: bool,
}

/// `[procedures."<schema.name>"]`: like a function, without a result.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureDecl {
    /// Arguments in order.
    #[serde(default)]
    pub args: Vec<Spanned<ArgDecl>>,
    /// `sql` or `plpgsql`.
    pub language: Spanned<Language>,
    /// `invoker` (default) or `definer`.
    pub security: Option<Spanned<Security>>,
    /// Procedure-level settings, e.g. `{ search_path = "" }`.
    #[serde(default)]
    pub set: IndexMap<Text, Text>,
    /// The body.
    pub body: Text,
    /// A SQL-standard body (`BEGIN ATOMIC`), as for functions.
    #[serde(default)]
    pub atomic: bool,
    /// `COMMENT ON PROCEDURE`.
    pub comment: Option<Text>,
    /// Privileges per role (`execute`); `grants = {}` revokes PUBLIC's default
    /// EXECUTE and grants nothing (absent: PostgreSQL's default stands).
    pub grants: Option<Grants>,
}

/// One function argument.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgDecl {
    /// Argument name.
    pub name: Text,
    /// Argument type.
    #[serde(rename = "type")]
    pub ty: Text,
    /// Default expression.
    pub default: Option<Text>,
}

/// Function language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// SQL.
    Sql,
    /// PL/pgSQL.
    Plpgsql,
}

/// Function volatility.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Volatility {
    /// IMMUTABLE.
    Immutable,
    /// STABLE.
    Stable,
    /// VOLATILE.
    Volatile,
}

/// SECURITY INVOKER / DEFINER.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Runs with the caller's rights.
    Invoker,
    /// Runs with the owner's rights.
    Definer,
}

/// `policies/*.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// `[[policy]]`.
    #[serde(default)]
    pub policy: Vec<Spanned<PolicyDecl>>,
    /// `[identities.<name>]`.
    #[serde(default)]
    pub identities: IndexMap<Text, Spanned<ImpersonateDecl>>,
    /// `[[test]]`.
    #[serde(default)]
    pub test: Vec<Spanned<TestDecl>>,
}

/// `[[policy]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDecl {
    /// Table (`table` or `schema.table`).
    pub table: Text,
    /// Policy name.
    pub name: Text,
    /// Command (default all).
    pub command: Option<Spanned<Command>>,
    /// Roles (default PUBLIC).
    #[serde(default)]
    pub roles: Vec<Text>,
    /// Permissive (default) or restrictive.
    pub mode: Option<Spanned<PolicyMode>>,
    /// USING expression.
    pub using: Option<Text>,
    /// WITH CHECK expression.
    pub check: Option<Text>,
}

/// Policy command.
pub use crate::sql::PolicyCommand as Command;

/// Policy combination mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyMode {
    /// OR-ed with other permissive policies.
    Permissive,
    /// AND-ed with everything.
    Restrictive,
}

/// `[[test]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestDecl {
    /// What the test shows.
    pub name: Text,
    /// Identity to run the query as.
    #[serde(rename = "as")]
    pub identity: Text,
    /// SQL run as the owner first, in the same transaction.
    #[serde(default)]
    pub setup: Vec<Text>,
    /// The statement run as the identity.
    pub query: Text,
    /// What must happen.
    pub expect: Spanned<ExpectDecl>,
}

/// `expect = { ... }`: exactly one key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectDecl {
    /// Exact rows, as arrays of values.
    pub rows: Option<Spanned<Vec<toml::Value>>>,
    /// Number of rows returned.
    pub count: Option<Spanned<i64>>,
    /// Number of rows affected by a write.
    pub affected: Option<Spanned<i64>>,
    /// SQLSTATE the statement must fail with.
    pub error: Option<Text>,
}

/// `[types."<schema.name>"]`: exactly one of `enum`, `domain`, `composite`,
/// `drop = true`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDecl {
    /// `enum = ["a", "b"]`: an enum with these values in this order.
    #[serde(rename = "enum")]
    pub values: Option<Spanned<Vec<Text>>>,
    /// `renamed_values = { old = "new" }`: enum values renamed in place.
    #[serde(default)]
    pub renamed_values: IndexMap<Text, Text>,
    /// `domain = "text"`: a domain over this base type.
    pub domain: Option<Text>,
    /// A domain's check constraints (`value` is the checked value).
    #[serde(default)]
    pub checks: Vec<Spanned<CheckDecl>>,
    /// A domain's default expression.
    pub default: Option<Text>,
    /// A domain's `NOT NULL` (default false, as in PostgreSQL).
    #[serde(default)]
    pub not_null: bool,
    /// `composite = { street = "text", city = "text" }`: attributes in order.
    pub composite: Option<Spanned<IndexMap<Text, Text>>>,
    /// `COMMENT ON TYPE` / `COMMENT ON DOMAIN`.
    pub comment: Option<Text>,
    /// `drop = true`: the type must go (undeclared types are left alone).
    #[serde(default)]
    pub drop: bool,
}
