//! `rlsctl pull`: the declaration of an existing database, written from its
//! [`Catalog`] so that `plan` against the same database is then empty.
//!
//! [`pull`] turns a catalog into TOML documents (`toml_edit`, laid out as a
//! person writes them) and a report of what the declaration cannot say; `merge`
//! updates existing files in place, keeping their comments. Pure: the CLI
//! connects, inspects and writes.

mod layout;
mod merge;
mod objects;
mod policies;
mod project;
mod schemas;
mod tables;
mod tenancy;
mod text;

use std::collections::BTreeSet;
use std::path::PathBuf;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use crate::catalog::Catalog;
use crate::sql::QualifiedName;
use layout::{PulledGrants, implicit, local};

pub use merge::{merge, unified_diff};
pub use project::{SUPABASE_SCHEMAS, SUPABASE_STAND_IN};
pub use tables::{FORCE_TODO, PUBLIC_TODO};

/// What to pull.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The owned schemas (already chosen: `--schema`, or detected).
    pub schemas: Vec<String>,
    /// `--tenant-column`: the column tenant tables are isolated by.
    pub tenant_column: Option<String>,
    /// Write the Supabase stand-in, roles and JWT impersonation.
    pub supabase: bool,
    /// One file per table instead of one per schema.
    pub split_tables: bool,
}

/// Something of the database the declaration cannot say, so `pull` did not
/// write it (or wrote it as close as the declaration allows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unexpressed {
    /// The kind of object (`function`, `grant`, ...).
    pub kind: String,
    /// The object.
    pub name: String,
    /// Why.
    pub why: String,
}

/// A file of the pulled project.
#[derive(Debug, Clone)]
pub struct PulledFile {
    /// Its path relative to the project.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// The pulled project.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// Every file, `rlsctl.toml` first.
    pub files: Vec<PulledFile>,
    /// What the declaration cannot say, in catalog order.
    pub report: Vec<Unexpressed>,
    /// Tables declared tenant-scoped, and others.
    pub tenant_tables: usize,
    /// Tables written `public = "TODO ..."`.
    pub public_tables: usize,
}

/// What the writers share: the catalog, the default schema and what they found.
pub struct Context<'a> {
    catalog: &'a Catalog,
    default_schema: String,
    owned: Vec<String>,
    report: Vec<Unexpressed>,
    roles: BTreeSet<String>,
    /// Sequences written as `serial` columns, not declared themselves.
    serial_sequences: Vec<QualifiedName>,
    /// Dev databases get Supabase's stand-in (`auth`, `storage`).
    supabase: bool,
}

impl Context<'_> {
    fn unexpressed(&mut self, kind: &str, name: String, why: impl Into<String>) {
        self.report.push(Unexpressed {
            kind: kind.to_string(),
            name,
            why: why.into(),
        });
    }

    /// Records the roles a grant names, and what of it cannot be said.
    fn note_grants(&mut self, grants: &PulledGrants, on: &str) {
        for (role, _) in &grants.by_role {
            if role != "public" {
                self.roles.insert(role.clone());
            }
        }
        for why in &grants.unexpressible {
            self.unexpressed("grant", on.to_string(), why.clone());
        }
    }
}

/// The declaration of `catalog` (inspected with `options.schemas`).
pub fn pull(catalog: &Catalog, options: &Options) -> Pulled {
    let mut cx = Context {
        catalog,
        default_schema: options.schemas.first().cloned().unwrap_or_default(),
        owned: options.schemas.clone(),
        report: Vec::new(),
        roles: BTreeSet::new(),
        serial_sequences: Vec::new(),
        supabase: options.supabase,
    };
    let tables: Vec<_> = catalog
        .tables
        .iter()
        .filter(|t| t.partition_of.is_none())
        .collect();
    let inference = tenancy::infer(&tables, options.tenant_column.as_deref());
    if let Some(t) = &inference.tenancy {
        cx.roles.extend(t.roles.iter().cloned());
    }
    for (table, why) in &inference.not_collapsed {
        cx.unexpressed(
            "tenancy",
            table.to_string(),
            format!("declared with its policies as they are, not tenant = ...: {why}"),
        );
    }
    let mut files: Vec<(PathBuf, DocumentMut)> = Vec::new();
    let mut policy_files: Vec<(PathBuf, DocumentMut)> = Vec::new();
    let mut tenant_tables = 0;
    let mut public_tables = 0;
    for schema in &options.schemas {
        let mut doc = DocumentMut::new();
        if let Some(s) = catalog.schema(schema) {
            let section = schemas::section(&mut cx, s);
            if !section.is_empty() {
                let mut schemas = implicit();
                schemas.insert(schema, Item::Table(section));
                doc.insert("schemas", Item::Table(schemas));
            }
        }
        let mut policies = DocumentMut::new();
        for t in tables.iter().filter(|t| &t.name.schema == schema) {
            if !layout::expressible(&t.name.name) {
                cx.unexpressed("table", t.name.to_string(), "a name holding a dot");
                continue;
            }
            let form = inference.of(&t.name);
            match form {
                tenancy::TableTenancy::Tenant(_) => tenant_tables += 1,
                tenancy::TableTenancy::Public => public_tables += 1,
            }
            let section = tables::table(&mut cx, t, &form);
            let key = local(&t.name, &cx.default_schema);
            let table_policies = policies::entries(&mut cx, t, &inference);
            if options.split_tables {
                let mut own = DocumentMut::new();
                insert_keyed(&mut own, "tables", &key, section);
                files.push((file_name("schema", &[schema, &t.name.name]), own));
                if !table_policies.is_empty() {
                    let mut own = DocumentMut::new();
                    own.insert("policy", Item::ArrayOfTables(table_policies));
                    policy_files.push((file_name("policies", &[schema, &t.name.name]), own));
                }
            } else {
                insert_keyed(&mut doc, "tables", &key, section);
                append_policies(&mut policies, table_policies);
            }
        }
        schema_objects(&mut cx, schema, &mut doc);
        if schema == &cx.default_schema {
            database_objects(&mut cx, &mut doc);
        }
        if !doc.is_empty() {
            files.push((file_name("schema", &[schema]), doc));
        }
        if !policies.is_empty() {
            policy_files.push((file_name("policies", &[schema]), policies));
        }
    }
    unmanaged(&mut cx);
    let stand_in = project::stand_in(&cx, options.supabase);
    let roles = cx.roles.clone();
    let project = project::document(
        &mut cx,
        inference.tenancy.as_ref(),
        &roles,
        options.supabase,
    );
    let mut out = vec![PulledFile {
        path: PathBuf::from("rlsctl.toml"),
        text: project.to_string(),
    }];
    files.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, doc) in files.into_iter().chain(policy_files) {
        out.push(PulledFile {
            path,
            text: doc.to_string(),
        });
    }
    for (path, text) in stand_in {
        out.push(PulledFile {
            path: PathBuf::from(path),
            text: text.to_string(),
        });
    }
    Pulled {
        files: out,
        report: cx.report,
        tenant_tables,
        public_tables,
    }
}

/// `dir/a.b.toml`, with characters a file name should not hold replaced.
fn file_name(dir: &str, parts: &[&str]) -> PathBuf {
    let clean: Vec<String> = parts
        .iter()
        .map(|p| {
            p.chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '_' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        })
        .collect();
    PathBuf::from(dir).join(format!("{}.toml", clean.join(".")))
}

/// `[group."key"]` in `doc`.
fn insert_keyed(doc: &mut DocumentMut, group: &str, key: &str, table: Table) {
    let entry = doc.entry(group).or_insert_with(|| Item::Table(implicit()));
    if let Some(t) = entry.as_table_mut() {
        t.insert(key, Item::Table(table));
    }
}

fn append_policies(doc: &mut DocumentMut, policies: ArrayOfTables) {
    if policies.is_empty() {
        return;
    }
    let entry = doc
        .entry("policy")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    if let Some(list) = entry.as_array_of_tables_mut() {
        for p in policies {
            list.push(p);
        }
    }
}

fn schema_objects(cx: &mut Context, schema: &str, doc: &mut DocumentMut) {
    let catalog = cx.catalog;
    for t in catalog.types.iter().filter(|t| t.name.schema == schema) {
        if let Some(section) = objects::user_type(cx, t) {
            insert_keyed(
                doc,
                "types",
                &format!("{}.{}", t.name.schema, t.name.name),
                section,
            );
        }
    }
    for s in catalog.sequences.iter().filter(|s| s.name.schema == schema) {
        if s.owned_by.as_ref().is_some_and(|o| o.identity) {
            identity_sequence(cx, s);
            continue;
        }
        if cx.serial_sequences.contains(&s.name) {
            continue;
        }
        let section = objects::sequence(cx, s);
        insert_keyed(
            doc,
            "sequences",
            &format!("{}.{}", s.name.schema, s.name.name),
            section,
        );
    }
    for f in catalog.functions.iter().filter(|f| f.name.schema == schema) {
        let key = objects::function_key(cx, f);
        if let Some(section) = objects::function(cx, f) {
            let group = match f.kind {
                crate::catalog::FunctionKind::Function => "functions",
                crate::catalog::FunctionKind::Procedure => "procedures",
            };
            insert_keyed(doc, group, &key, section);
        }
    }
    for v in catalog.views.iter().filter(|v| v.name.schema == schema) {
        let section = objects::view(cx, v);
        let group = match v.kind {
            crate::catalog::ViewKind::View => "views",
            crate::catalog::ViewKind::MaterializedView => "materialized_views",
        };
        insert_keyed(
            doc,
            group,
            &format!("{}.{}", v.name.schema, v.name.name),
            section,
        );
    }
}

/// An identity column's sequence is not declared: what it has besides
/// PostgreSQL's defaults is reported.
fn identity_sequence(cx: &mut Context, s: &crate::catalog::Sequence) {
    let type_max = match s.data_type.as_str() {
        "smallint" => i64::from(i16::MAX),
        "integer" => i64::from(i32::MAX),
        _ => i64::MAX,
    };
    let mut own = Vec::new();
    if s.start != 1 || s.increment != 1 || s.min_value != 1 || s.max_value != type_max {
        own.push("START/INCREMENT/MINVALUE/MAXVALUE");
    }
    if s.cache != 1 || s.cycle {
        own.push("CACHE/CYCLE");
    }
    if !s.acl.grants().is_empty() {
        own.push("grants");
    }
    if s.comment.is_some() {
        own.push("a comment");
    }
    if !own.is_empty() {
        cx.unexpressed(
            "sequence",
            s.name.to_string(),
            format!(
                "an identity column's sequence with options of its own ({}): the declaration's identity columns have PostgreSQL's defaults",
                own.join(", ")
            ),
        );
    }
}

fn database_objects(cx: &mut Context, doc: &mut DocumentMut) {
    let catalog = cx.catalog;
    for e in &catalog.external_triggers {
        if let Some(v) = tables::trigger(cx, &e.table, &e.trigger) {
            let key = format!("{}.{}.{}", e.table.schema, e.table.name, e.trigger.name);
            insert_keyed(doc, "triggers", &key, v.into_table());
        }
    }
    for e in &catalog.event_triggers {
        if !cx.owned.contains(&e.function.schema) {
            continue;
        }
        if let Some(section) = objects::event_trigger(cx, e) {
            insert_keyed(doc, "event_triggers", &e.name, section);
        }
    }
}

/// What the catalog holds that no kind of the declaration expresses.
fn unmanaged(cx: &mut Context) {
    let catalog = cx.catalog;
    for f in &catalog.foreign_tables {
        cx.unexpressed(
            "foreign table",
            f.name.to_string(),
            "foreign tables are not declared",
        );
    }
    for r in &catalog.rules {
        cx.unexpressed(
            "rule",
            format!("{} on {}", r.name, r.relation),
            "rewrite rules are not declared",
        );
    }
    for t in &catalog.tables {
        if !t.inherits.is_empty() {
            cx.unexpressed(
                "table",
                t.name.to_string(),
                "plain inheritance (INHERITS) is not declared",
            );
        }
    }
    for d in &catalog.default_privileges {
        if d.schema.is_none() {
            cx.unexpressed(
                "default privileges",
                format!("of {} in every schema", d.owner),
                "the declaration's default privileges are per schema",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::layout::strings;
    use super::*;
    use toml_edit::Value;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            file_name("schema", &["app", "Weird Name/x"]),
            PathBuf::from("schema/app.Weird_Name_x.toml")
        );
    }

    #[test]
    fn strings_are_written_as_toml() {
        let v: Value = strings(["a"]);
        assert_eq!(v.to_string(), "[\"a\"]");
    }
}
