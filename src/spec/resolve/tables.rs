//! `[tables.*]`: columns, keys, checks, foreign keys, indexes, tenancy and grants.

use toml::Spanned;

use super::context::{Context, check_identifier, deferral, explicit_or_generated, value_offset};
use super::names::generated_name;
use super::project::{EffectiveTenancy, TABLE_PRIVILEGES, column_reference, grants};
use crate::spec::declaration::{
    Check, Column, Deferral, ForeignKey, ISOLATION_POLICY, Index, IndexKey, IndexMethod, Key,
    Policy, RefAction, Table, Tenant,
};
use crate::spec::declaration::{Command, CrossTenantKey, PolicyMode};
use crate::spec::diagnostic::Diagnostic;
use crate::spec::diagnostic::FileId;
use crate::spec::load::Spec;
use crate::spec::model::{TableDecl, TenantDecl, Text};
use crate::sql::{QualifiedName, quote_ident};

/// A foreign key whose target is checked once every table is known.
struct PendingReference {
    /// The file holding `at`: the table's, or rlsctl.toml for `[tenancy] references`.
    file: FileId,
    at: Text,
    table: usize,
    foreign_key: usize,
}

/// Resolves every table of every schema file.
pub(super) fn resolve(
    cx: &mut Context,
    spec: &Spec,
    tenancy: Option<&EffectiveTenancy>,
) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    let mut pending: Vec<PendingReference> = Vec::new();
    let mut first_seen: Vec<(QualifiedName, FileId)> = Vec::new();
    // (relation, the table it belongs to): tables and indexes share a namespace.
    let mut relations: Vec<(QualifiedName, QualifiedName)> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (key, decl) in &schema_file.tables {
            let Some(name) = cx.qualify(*file, key, "table") else {
                continue;
            };
            if let Some((_, first)) = first_seen.iter().find(|(n, _)| n == &name) {
                let first = cx.sources.get(*first).path.display().to_string();
                cx.error_help(
                    *file,
                    key.span(),
                    format!("table {name} is declared twice (first in {first})"),
                    "each table is declared once; merge the two declarations",
                );
                continue;
            }
            check_identifier(cx, *file, key, &name.name);
            first_seen.push((name.clone(), *file));
            let index = tables.len();
            let (table, refs) = resolve_table(cx, *file, name, decl, tenancy);
            claim_relation_names(cx, *file, key, decl.get_ref(), &table, &mut relations);
            pending.extend(refs.into_iter().map(|(fk, at_file, at)| PendingReference {
                file: at_file,
                at,
                table: index,
                foreign_key: fk,
            }));
            tables.push(table);
        }
    }
    for p in &pending {
        check_reference(cx, &mut tables, p);
    }
    for p in &pending {
        let table = &tables[p.table];
        let fk = &table.foreign_keys[p.foreign_key];
        if let Some(target) = tables.iter().find(|t| t.name == fk.references)
            && let Some(key) = CrossTenantKey::of(table, fk, target)
        {
            cx.diagnostics
                .push(Diagnostic::warning(p.file, p.at.span(), key.problem()).with_help(key.fix()));
        }
    }
    tables
}

/// Reports an index or key name that another table of the schema already uses:
/// PostgreSQL keeps tables and indexes, including those behind primary keys and
/// unique constraints, in one namespace per schema.
fn claim_relation_names(
    cx: &mut Context,
    file: FileId,
    key: &Text,
    decl: &TableDecl,
    table: &Table,
    claimed: &mut Vec<(QualifiedName, QualifiedName)>,
) {
    let names = std::iter::once(&table.name.name)
        .chain(table.primary_key.iter().map(|k| &k.name))
        .chain(table.uniques.iter().map(|k| &k.name))
        .chain(table.indexes.iter().map(|i| &i.name));
    for name in names {
        let relation = QualifiedName::new(&table.name.schema, name);
        match claimed.iter().find(|(r, _)| r == &relation) {
            Some((_, owner)) if owner != &table.name => {
                let explicit = decl
                    .unique
                    .iter()
                    .filter_map(|u| u.get_ref().name.as_ref())
                    .chain(
                        decl.indexes
                            .iter()
                            .filter_map(|i| i.get_ref().name.as_ref()),
                    )
                    .find(|n| n.get_ref() == name);
                cx.error_help(
                    file,
                    explicit.unwrap_or(key).span(),
                    format!("name {name:?} is already used by table {owner}"),
                    "tables and indexes (also those behind primary keys and unique constraints) share one namespace per schema; rename one",
                );
            }
            Some(_) => {}
            None => claimed.push((relation, table.name.clone())),
        }
    }
}

fn resolve_table(
    cx: &mut Context,
    file: FileId,
    name: QualifiedName,
    decl: &Spanned<TableDecl>,
    tenancy: Option<&EffectiveTenancy>,
) -> (Table, Vec<(usize, FileId, Text)>) {
    let d = decl.get_ref();
    let mut table = Table {
        name,
        tenant: None,
        public_reason: None,
        columns: Vec::new(),
        primary_key: None,
        uniques: Vec::new(),
        checks: Vec::new(),
        foreign_keys: Vec::new(),
        indexes: Vec::new(),
        exclusions: Vec::new(),
        rls_enabled: false,
        rls_forced: false,
        policies: Vec::new(),
        grants: Vec::new(),
        column_grants: Vec::new(),
        comment: d.comment.as_ref().map(|c| c.get_ref().clone()),
        renamed_from: d.renamed_from.as_ref().map(|r| r.get_ref().clone()),
        origin: Some(cx.origin(file, decl.span())),
        sample: d
            .sample
            .as_ref()
            .and_then(|s| match serde_json::to_value(s.get_ref()) {
                Ok(serde_json::Value::Object(map)) => Some(map),
                _ => None,
            }),
        force_reason: None,
        replica_identity: None,
        partition_by: None,
        partitions: Vec::new(),
    };
    let mut refs: Vec<(usize, FileId, Text)> = Vec::new();
    let mut taken: Vec<String> = Vec::new();

    // Columns, and the constraints written on them.
    let mut column_pk: Vec<&Text> = Vec::new();
    for (col_name, col) in &d.columns {
        check_identifier(cx, file, col_name, col_name.get_ref());
        let c = col.get_ref();
        cx.sql_type(file, &c.ty);
        if let Some(def) = &c.default {
            cx.expression(file, def, "default");
        }
        if let Some(identity) = &c.identity {
            if !is_integer_type(c.ty.get_ref()) {
                cx.error_help(
                    file,
                    identity.span(),
                    format!(
                        "identity column {:?} has type {:?}",
                        col_name.get_ref(),
                        c.ty.get_ref()
                    ),
                    "identity columns must be smallint, integer or bigint",
                );
            }
            if c.default.is_some() {
                cx.error_help(
                    file,
                    identity.span(),
                    format!(
                        "column {:?} has both identity and a default",
                        col_name.get_ref()
                    ),
                    "remove one of them",
                );
            }
        }
        if let Some(generated) = &c.generated
            && (c.default.is_some() || c.identity.is_some() || is_serial_type(c.ty.get_ref()))
        {
            cx.error_help(
                file,
                generated.span(),
                format!(
                    "generated column {:?} also has a default, identity or serial type",
                    col_name.get_ref()
                ),
                "a generated column's value is its expression: remove the default or identity",
            );
        }
        if is_serial_type(c.ty.get_ref()) && c.default.is_some() {
            cx.error_help(
                file,
                c.ty.span(),
                format!(
                    "serial column {:?} also has a default",
                    col_name.get_ref()
                ),
                "serial means a default from its own sequence: remove the default, or use the integer type",
            );
        }
        if c.primary_key {
            column_pk.push(col_name);
        }
        if c.nullable && c.primary_key {
            cx.error_help(
                file,
                col.span(),
                format!(
                    "primary key column {:?} cannot be nullable",
                    col_name.get_ref()
                ),
                "remove nullable = true",
            );
        }
        table.columns.push(Column {
            name: col_name.get_ref().clone(),
            ty: c.ty.get_ref().clone(),
            not_null: !c.nullable || c.primary_key,
            default: c.default.as_ref().map(|v| v.get_ref().clone()),
            identity: c.identity.as_ref().map(|i| *i.get_ref()),
            generated: c.generated.as_ref().map(|v| v.get_ref().clone()),
            comment: c.comment.as_ref().map(|v| v.get_ref().clone()),
            renamed_from: c.renamed_from.as_ref().map(|v| v.get_ref().clone()),
            origin: Some(cx.value_origin(file, &c.ty)),
            default_origin: c.default.as_ref().map(|v| cx.value_origin(file, v)),
        });
    }
    if d.columns.is_empty() && d.tenant.is_none() {
        cx.error_help(
            file,
            decl.span(),
            format!("table {} has no columns", table.name),
            "declare columns, e.g. columns.id = { type = \"uuid\", primary_key = true }",
        );
    }

    let tenant_column = tenant(cx, file, decl, &mut table, tenancy);
    let columns: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();

    // Primary key.
    let table_pk = d.primary_key.as_ref();
    if column_pk.len() > 1 {
        cx.error_help(
            file,
            column_pk[1].span(),
            format!(
                "table {} has primary_key = true on several columns",
                table.name
            ),
            "declare a composite key on the table: primary_key = [\"a\", \"b\"]",
        );
    } else if let (Some(col), Some(pk)) = (column_pk.first(), table_pk) {
        cx.error_help(
            file,
            pk.span(),
            format!(
                "table {} declares a primary key twice (also on column {:?})",
                table.name,
                col.get_ref()
            ),
            "keep one of them",
        );
    }
    let pk_columns: Option<Vec<String>> = match (column_pk.first(), table_pk) {
        (Some(col), _) => Some(vec![col.get_ref().clone()]),
        (None, Some(pk)) => {
            let pk = &pk.get_ref().0;
            check_columns(cx, file, &columns, &pk.columns, "primary key");
            Some(pk.columns.iter().map(|c| c.get_ref().clone()).collect())
        }
        (None, None) => None,
    };
    if let Some(cols) = pk_columns {
        for c in table.columns.iter_mut().filter(|c| cols.contains(&c.name)) {
            c.not_null = true;
        }
        let declared = table_pk
            .filter(|_| column_pk.is_empty())
            .and_then(|pk| pk.get_ref().0.name.as_ref());
        let name = match declared {
            Some(name) => name.get_ref().clone(),
            None => generated_name(&table.name.name, &[], "pkey", &taken),
        };
        taken.push(name.clone());
        let pk_deferral = match table_pk {
            Some(pk) if column_pk.is_empty() => {
                let pk = &pk.get_ref().0;
                deferral(cx, file, pk.deferrable, pk.initially_deferred.as_ref())
            }
            _ => Deferral::default(),
        };
        table.primary_key = Some(Key {
            name,
            columns: cols,
            nulls_not_distinct: false,
            deferral: pk_deferral,
        });
    }

    // Unique constraints.
    for (col_name, col) in &d.columns {
        if col.get_ref().unique {
            let name = generated_name(&table.name.name, &[col_name.get_ref()], "key", &taken);
            taken.push(name.clone());
            table.uniques.push(Key {
                name,
                columns: vec![col_name.get_ref().clone()],
                nulls_not_distinct: false,
                deferral: Deferral::default(),
            });
        }
    }
    for u in &d.unique {
        let u = u.get_ref();
        check_columns(cx, file, &columns, &u.columns, "unique constraint");
        let cols: Vec<String> = u.columns.iter().map(|c| c.get_ref().clone()).collect();
        let name = explicit_or_generated(
            cx,
            file,
            u.name.as_ref(),
            &table.name.name,
            &cols,
            "key",
            &taken,
        );
        taken.push(name.clone());
        table.uniques.push(Key {
            name,
            columns: cols,
            nulls_not_distinct: u.nulls_not_distinct,
            deferral: deferral(cx, file, u.deferrable, u.initially_deferred.as_ref()),
        });
    }

    // Checks.
    for (col_name, col) in &d.columns {
        if let Some(expr) = &col.get_ref().check {
            check_expression_columns(cx, file, expr, &columns, "check");
            let name = generated_name(&table.name.name, &[col_name.get_ref()], "check", &taken);
            taken.push(name.clone());
            table.checks.push(Check {
                name,
                expr: expr.get_ref().clone(),
                origin: Some(cx.value_origin(file, expr)),
            });
        }
    }
    for c in &d.checks {
        let c = c.get_ref();
        check_expression_columns(cx, file, &c.expr, &columns, "check");
        let name = explicit_or_generated(
            cx,
            file,
            c.name.as_ref(),
            &table.name.name,
            &[],
            "check",
            &taken,
        );
        taken.push(name.clone());
        table.checks.push(Check {
            name,
            expr: c.expr.get_ref().clone(),
            origin: Some(cx.value_origin(file, &c.expr)),
        });
    }

    // Foreign keys: on columns, on the table, and the tenant column's.
    for (col_name, col) in &d.columns {
        let c = col.get_ref();
        let Some(reference) = &c.references else {
            for action in [&c.on_delete, &c.on_update].into_iter().flatten() {
                cx.error_help(
                    file,
                    action.span(),
                    format!(
                        "column {:?} has a referential action but no references",
                        col_name.get_ref()
                    ),
                    "add references = \"table.column\", or remove the action",
                );
            }
            continue;
        };
        let Some((target, target_column, at)) = column_reference(cx, file, reference) else {
            continue;
        };
        let name = generated_name(&table.name.name, &[col_name.get_ref()], "fkey", &taken);
        taken.push(name.clone());
        let origin = Some(cx.origin(file, at.span()));
        refs.push((table.foreign_keys.len(), file, at));
        table.foreign_keys.push(ForeignKey {
            origin,
            name,
            columns: vec![col_name.get_ref().clone()],
            references: target,
            ref_columns: vec![target_column],
            on_delete: c
                .on_delete
                .as_ref()
                .map_or(RefAction::NoAction, |a| *a.get_ref()),
            on_update: c
                .on_update
                .as_ref()
                .map_or(RefAction::NoAction, |a| *a.get_ref()),
            deferral: Deferral::default(),
        });
    }
    for fk in &d.foreign_keys {
        let f = fk.get_ref();
        check_columns(cx, file, &columns, &f.columns, "foreign key");
        if f.columns.is_empty() {
            cx.error(file, fk.span(), "foreign key without columns");
        }
        let Some(target) = super::references::referenced_table(cx, file, &f.references) else {
            continue;
        };
        let cols: Vec<String> = f.columns.iter().map(|c| c.get_ref().clone()).collect();
        let name = explicit_or_generated(
            cx,
            file,
            f.name.as_ref(),
            &table.name.name,
            &cols,
            "fkey",
            &taken,
        );
        taken.push(name.clone());
        refs.push((table.foreign_keys.len(), file, f.references.clone()));
        table.foreign_keys.push(ForeignKey {
            origin: Some(cx.origin(file, fk.span())),
            name,
            columns: cols,
            references: target,
            ref_columns: f.ref_columns.iter().map(|c| c.get_ref().clone()).collect(),
            on_delete: f
                .on_delete
                .as_ref()
                .map_or(RefAction::NoAction, |a| *a.get_ref()),
            on_update: f
                .on_update
                .as_ref()
                .map_or(RefAction::NoAction, |a| *a.get_ref()),
            deferral: deferral(cx, file, f.deferrable, f.initially_deferred.as_ref()),
        });
    }
    if let Some((column, reference, reference_file)) =
        tenant_column.and_then(|t| t.reference.map(|r| (t.column, r, t.reference_file)))
    {
        let already = table
            .foreign_keys
            .iter()
            .any(|fk| fk.columns == [column.clone()]);
        if !already && reference.0 != table.name {
            let name = generated_name(&table.name.name, &[&column], "fkey", &taken);
            taken.push(name.clone());
            refs.push((
                table.foreign_keys.len(),
                reference_file,
                reference.2.clone(),
            ));
            table.foreign_keys.push(ForeignKey {
                name,
                columns: vec![column.clone()],
                references: reference.0,
                ref_columns: vec![reference.1],
                on_delete: RefAction::NoAction,
                on_update: RefAction::NoAction,
                deferral: Deferral::default(),
                origin: Some(cx.origin(reference_file, reference.2.span())),
            });
        }
    }

    // Indexes.
    for ix in &d.indexes {
        let i = ix.get_ref();
        if i.columns.is_empty() {
            cx.error_help(
                file,
                ix.span(),
                "index without columns",
                "list key columns or expressions in columns = [...]",
            );
        }
        let mut keys = Vec::new();
        let mut key_options = Vec::new();
        for part in &i.columns {
            // A declared column is a key as it is, whatever its name looks like.
            let parsed = (!columns.contains(part.get_ref()))
                .then(|| crate::sql::parse::parse_index_element(part.get_ref()));
            let element = match parsed {
                None => None,
                Some(Ok(e)) => Some(e).filter(|e| !e.options.is_empty()),
                // Neither an index key nor an expression: the key's own error says more,
                // unless it falls on the `)` that closes the wrapping key list.
                Some(Err(e))
                    if crate::sql::parse::parse_expression(part.get_ref()).is_err()
                        && e.offset.is_some_and(|o| o < part.get_ref().len()) =>
                {
                    cx.syntax_error(file, part, "index key", e);
                    continue;
                }
                Some(Err(_)) => None,
            };
            if columns.contains(part.get_ref()) {
                keys.push(IndexKey::Column(part.get_ref().clone()));
                key_options.push(String::new());
            } else if let Some(element) = element {
                // A key with options: `created_at desc nulls last`.
                let key = match (&element.column, &element.expression) {
                    (Some(column), _) if columns.contains(column) => {
                        IndexKey::Column(column.clone())
                    }
                    (Some(column), _) => {
                        cx.error_help(
                            file,
                            part.span(),
                            format!(
                                "index key {column:?} is not a column of table {}",
                                table.name
                            ),
                            format!("columns are: {}", columns.join(", ")),
                        );
                        continue;
                    }
                    (None, Some(expression)) => {
                        let refs = crate::sql::parse::parse_expression(expression)
                            .map(|e| e.bare_column_refs())
                            .unwrap_or_default();
                        check_refs_exist(cx, file, part, &refs, &columns, "index key");
                        IndexKey::Expression(expression.clone())
                    }
                    (None, None) => continue,
                };
                keys.push(key);
                key_options.push(element.options);
            } else if let Some(expr) = cx.expression(file, part, "index key") {
                if expr.bare_column_refs().len() == 1 && parses_as_bare_name(part.get_ref()) {
                    cx.error_help(
                        file,
                        part.span(),
                        format!(
                            "index key {:?} is not a column of table {}",
                            part.get_ref(),
                            table.name
                        ),
                        format!("columns are: {}", columns.join(", ")),
                    );
                    continue;
                }
                check_refs_exist(
                    cx,
                    file,
                    part,
                    &expr.bare_column_refs(),
                    &columns,
                    "index key",
                );
                keys.push(IndexKey::Expression(part.get_ref().clone()));
                key_options.push(String::new());
            }
        }
        if i.nulls_not_distinct && !i.unique {
            cx.error_help(
                file,
                ix.span(),
                "nulls_not_distinct = true on an index that is not unique",
                "NULLS NOT DISTINCT only means something for unique = true",
            );
        }
        check_columns(cx, file, &columns, &i.include, "index include");
        if let Some(p) = &i.predicate
            && let Some(expr) = cx.expression(file, p, "index where")
        {
            check_refs_exist(
                cx,
                file,
                p,
                &expr.bare_column_refs(),
                &columns,
                "index where",
            );
        }
        let parts: Vec<&str> = keys
            .iter()
            .map(|k| match k {
                IndexKey::Column(c) => c.as_str(),
                IndexKey::Expression(_) => "expr",
            })
            .collect();
        let parts: Vec<String> = parts.into_iter().map(str::to_string).collect();
        let name = explicit_or_generated(
            cx,
            file,
            i.name.as_ref(),
            &table.name.name,
            &parts,
            "idx",
            &taken,
        );
        taken.push(name.clone());
        table.indexes.push(Index {
            name,
            unique: i.unique,
            method: i
                .method
                .as_ref()
                .map_or(IndexMethod::Btree, |m| *m.get_ref()),
            keys,
            key_options,
            nulls_not_distinct: i.nulls_not_distinct,
            include: i.include.iter().map(|c| c.get_ref().clone()).collect(),
            predicate: i.predicate.as_ref().map(|p| p.get_ref().clone()),
            origin: Some(cx.origin(file, ix.span())),
        });
    }
    if let Some(tenant) = &table.tenant
        && tenancy.is_none_or(|t| t.index)
        && !leads_with(&table, &tenant.column)
    {
        let name = generated_name(&table.name.name, &[&tenant.column], "idx", &taken);
        taken.push(name.clone());
        table.indexes.push(Index {
            name,
            unique: false,
            method: IndexMethod::Btree,
            keys: vec![IndexKey::Column(tenant.column.clone())],
            key_options: vec![String::new()],
            nulls_not_distinct: false,
            include: Vec::new(),
            predicate: None,
            origin: table.origin.clone(),
        });
    }

    table.exclusions =
        super::exclusions::resolve(cx, file, &table.name.name, &d.exclude, &columns, &mut taken);
    for c in &d.columns {
        if let Some(generated) = &c.1.get_ref().generated {
            check_expression_columns(cx, file, generated, &columns, "generated");
        }
    }
    table.grants = grants(cx, file, &d.grants, TABLE_PRIVILEGES);
    table.column_grants = super::privileges::column_grants(cx, file, d);
    if let Some(rls) = &d.rls {
        if table.tenant.is_some() && !*rls.get_ref() {
            cx.error_help(
                file,
                rls.span(),
                format!(
                    "tenant table {} cannot turn row-level security off",
                    table.name
                ),
                "tenant tables always have RLS enabled and forced; remove rls = false",
            );
        }
        if *rls.get_ref() {
            table.rls_enabled = true;
            table.rls_forced = true;
        }
    }
    super::table_options::resolve(cx, file, d, &mut table);
    (table, refs)
}

/// The tenant column of a table and what it references.
struct TenantColumn {
    column: String,
    reference: Option<(QualifiedName, String, Text)>,
    /// The file `reference` was written in: the table's or rlsctl.toml.
    reference_file: FileId,
}

fn tenant(
    cx: &mut Context,
    file: FileId,
    decl: &Spanned<TableDecl>,
    table: &mut Table,
    tenancy: Option<&EffectiveTenancy>,
) -> Option<TenantColumn> {
    let d = decl.get_ref();
    let public = d.public.as_ref();
    let tenant = d.tenant.as_ref();
    let scoped = match tenant.map(|t| t.get_ref()) {
        None | Some(TenantDecl::Flag(false)) => false,
        Some(_) => true,
    };
    if !scoped {
        match public {
            Some(reason) if !reason.get_ref().trim().is_empty() => {
                cx.placeholder_reason(
                    file,
                    reason,
                    &format!("the public reason of {}", table.name),
                );
                table.public_reason = Some(reason.get_ref().clone());
            }
            Some(reason) => cx.error_help(
                file,
                reason.span(),
                format!("table {} is public without a reason", table.name),
                "say why it is public: public = \"shared price list, no tenant data\"",
            ),
            None => cx.error_help(
                file,
                tenant.map_or(decl.span(), |t| t.span()),
                format!("table {} is neither tenant-scoped nor public", table.name),
                "add tenant = true, or opt out explicitly with public = \"reason\"",
            ),
        }
        return None;
    }
    let tenant = tenant?;
    if let Some(reason) = public {
        cx.error_help(
            file,
            reason.span(),
            format!("table {} is both tenant-scoped and public", table.name),
            "remove public = ..., or set tenant = false",
        );
    }
    let (column_override, ty_override, ref_override, predicate_override) = match tenant.get_ref() {
        TenantDecl::Column(c) => (
            Some(Spanned::new(tenant.span(), c.clone())),
            None,
            None,
            None,
        ),
        TenantDecl::Detailed(o) => (
            o.column.clone(),
            o.ty.clone(),
            o.references.clone(),
            o.predicate.clone(),
        ),
        TenantDecl::Flag(_) => (None, None, None, None),
    };
    if let Some(c) = &column_override {
        check_identifier(cx, file, c, c.get_ref());
    }
    let Some(column) = column_override
        .as_ref()
        .map(|c| c.get_ref().clone())
        .or_else(|| tenancy.map(|t| t.column.clone()))
    else {
        cx.error_help(
            file,
            tenant.span(),
            format!("tenant table {} has no tenant column", table.name),
            "add a [tenancy] section to rlsctl.toml (column = \"tenant_id\"), or write tenant = \"column_name\"",
        );
        return None;
    };
    if column.is_empty() {
        // Reported above, or by `project::tenancy` for `[tenancy] column`.
        return None;
    }

    // The column itself: declared, or generated from the tenancy type.
    match table.columns.iter().find(|c| c.name == column) {
        Some(declared) => {
            if !declared.not_null {
                let declaration = d
                    .columns
                    .iter()
                    .find(|(name, _)| name.get_ref() == &column)
                    .map_or(tenant.span(), |(_, c)| c.span());
                cx.error_help(
                    file,
                    declaration,
                    format!("tenant column {column:?} of table {} is nullable", table.name),
                    "rows with a NULL tenant belong to nobody and escape the isolation policy: remove nullable = true",
                );
            }
        }
        None => {
            let ty = ty_override
                .clone()
                .or_else(|| tenancy.and_then(|t| t.ty.clone()));
            let Some(ty) = ty else {
                cx.error_help(
                    file,
                    tenant.span(),
                    format!("tenant table {} has no column {column:?} and no tenant column type", table.name),
                    format!("declare columns.{column} = {{ type = \"uuid\" }}, or set type = \"uuid\" in [tenancy]"),
                );
                return None;
            };
            if ty_override.is_some() {
                cx.sql_type(file, &ty);
            }
            table.columns.insert(
                0,
                Column {
                    name: column.clone(),
                    ty: ty.get_ref().clone(),
                    not_null: true,
                    default: None,
                    identity: None,
                    generated: None,
                    comment: None,
                    renamed_from: None,
                    origin: Some(cx.origin(file, tenant.span())),
                    default_origin: None,
                },
            );
        }
    }

    let reference = match &ref_override {
        Some(r) if r.get_ref().is_empty() => None,
        Some(r) => column_reference(cx, file, r),
        None => tenancy.and_then(|t| t.references.clone()),
    };
    let reference_file = match (&ref_override, tenancy) {
        (None, Some(t)) => t.file,
        _ => file,
    };

    let predicate = predicate(
        cx,
        file,
        tenant,
        predicate_override.as_ref(),
        tenancy,
        &column,
        &table.name,
    )?;
    table.tenant = Some(Tenant {
        column: column.clone(),
        predicate: predicate.clone(),
    });
    table.rls_enabled = true;
    table.rls_forced = true;
    table.policies.push(Policy {
        name: ISOLATION_POLICY.to_string(),
        command: Command::All,
        mode: PolicyMode::Permissive,
        roles: tenancy.map(|t| t.roles.clone()).unwrap_or_default(),
        using: Some(predicate.clone()),
        check: Some(predicate),
        generated: true,
        origin: Some(cx.origin(file, tenant.span())),
        using_origin: None,
        check_origin: None,
    });
    Some(TenantColumn {
        column,
        reference,
        reference_file,
    })
}

pub(super) fn predicate(
    cx: &mut Context,
    file: FileId,
    tenant: &Spanned<TenantDecl>,
    own: Option<&Text>,
    tenancy: Option<&EffectiveTenancy>,
    column: &str,
    table: &QualifiedName,
) -> Option<String> {
    let (template, template_file) = match (own, tenancy.and_then(|t| t.predicate.as_ref())) {
        (Some(p), _) => (p.clone(), file),
        (None, Some(p)) => (p.clone(), tenancy.map_or(file, |t| t.file)),
        (None, None) => match tenancy.and_then(|t| t.current.as_ref()) {
            // An invalid `current` is reported at its token by `project::tenancy`.
            Some(current) if crate::sql::parse::parse_expression(current.get_ref()).is_err() => {
                return None;
            }
            Some(current) => (
                Spanned::new(
                    current.span(),
                    format!("{{column}} = {}", current.get_ref()),
                ),
                tenancy.map_or(file, |t| t.file),
            ),
            None => {
                cx.error_help(
                    file,
                    tenant.span(),
                    format!("tenant table {table} has no isolation predicate"),
                    "set current = \"(select app.current_tenant_id())\" or predicate = \"...\" in [tenancy]",
                );
                return None;
            }
        },
    };
    let current = tenancy
        .and_then(|t| t.current.as_ref())
        .map(|c| c.get_ref().clone());
    let text = &cx.sources.get(template_file).text;
    // Where a byte range of the template is in the file, for pointing at a
    // placeholder or at the token a syntax error names.
    let located = |from: usize, to: usize| {
        let start = value_offset(text, &template, from);
        start..value_offset(text, &template, to).max(start + 1)
    };
    let source = template.get_ref().as_str();
    let mut out = String::new();
    // (offset in `out`, offset in the template, whether copied literally): maps
    // a syntax error in the expansion back to what the user wrote.
    let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
    let mut pos = 0;
    while let Some(open) = source[pos..].find('{').map(|o| pos + o) {
        pieces.push((out.len(), pos, true));
        out.push_str(&source[pos..open]);
        let Some(close) = source[open..].find('}').map(|c| open + c) else {
            out.push_str(&source[open..]);
            pos = source.len();
            break;
        };
        pieces.push((out.len(), open, false));
        let at = located(open, close + 1);
        match &source[open + 1..close] {
            "column" => out.push_str(&quote_ident(column)),
            "table" => out.push_str(&table.sql()),
            "current" => match &current {
                Some(c) => out.push_str(c),
                None => {
                    cx.error_help(
                        template_file,
                        at,
                        "predicate uses {current} but [tenancy] has no current",
                        "set current = \"...\" in [tenancy]",
                    );
                    return None;
                }
            },
            other => {
                cx.error_help(
                    template_file,
                    at,
                    format!("unknown placeholder {{{other}}} in the tenant predicate"),
                    "placeholders are {column}, {table} and {current}",
                );
                return None;
            }
        }
        pos = close + 1;
    }
    pieces.push((out.len(), pos, true));
    out.push_str(&source[pos..]);
    if let Err(e) = crate::sql::parse::parse_expression(&out) {
        let at = match e.offset {
            Some(o) if o < out.len() => {
                let (out_start, template_start, literal) = pieces
                    .iter()
                    .rev()
                    .find(|p| p.0 <= o)
                    .copied()
                    .unwrap_or((0, 0, false));
                let from = if literal {
                    template_start + (o - out_start)
                } else {
                    template_start
                };
                located(from, from + 1)
            }
            Some(_) => located(source.len(), source.len()),
            None => template.span(),
        };
        cx.error_help(
            template_file,
            at,
            format!("invalid SQL in tenant predicate: {}", e.message),
            format!("tenant predicate must be valid PostgreSQL; with placeholders filled in it reads {out:?}"),
        );
        return None;
    }
    Some(out)
}

fn check_reference(cx: &mut Context, tables: &mut [Table], p: &PendingReference) {
    let fk = tables[p.table].foreign_keys[p.foreign_key].clone();
    if super::references::unowned(cx, &fk.references) {
        // Not declared: its columns are checked on the target at plan time.
        if fk.ref_columns.is_empty() {
            cx.error_help(
                p.file,
                p.at.span(),
                format!(
                    "foreign key {} references {}, outside the project's schemas, without naming its columns",
                    fk.name, fk.references
                ),
                "rlsctl does not know the primary key of a table it does not own: add ref_columns = [\"id\"]",
            );
        }
        return;
    }
    let Some(target) = tables.iter().find(|t| t.name == fk.references) else {
        cx.error_help(
            p.file,
            p.at.span(),
            format!(
                "foreign key {} references table {}, which is not declared",
                fk.name, fk.references
            ),
            "declare the table in schema/*.toml, or fix the name",
        );
        return;
    };
    let ref_columns = if fk.ref_columns.is_empty() {
        match &target.primary_key {
            Some(pk) => pk.columns.clone(),
            None => {
                cx.error_help(
                    p.file,
                    p.at.span(),
                    format!(
                        "foreign key {} references {}, which has no primary key",
                        fk.name, fk.references
                    ),
                    "name the referenced columns with ref_columns = [...]",
                );
                return;
            }
        }
    } else {
        fk.ref_columns.clone()
    };
    for c in &ref_columns {
        if !target.columns.iter().any(|tc| &tc.name == c) {
            cx.error_help(
                p.file,
                p.at.span(),
                format!(
                    "foreign key {} references column {c:?}, which table {} does not have",
                    fk.name, fk.references
                ),
                format!(
                    "columns of {} are: {}",
                    fk.references,
                    target
                        .columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return;
        }
    }
    if ref_columns.len() != fk.columns.len() {
        cx.error_help(
            p.file,
            p.at.span(),
            format!(
                "foreign key {} has {} columns but references {}",
                fk.name,
                fk.columns.len(),
                ref_columns.len()
            ),
            "list as many referenced columns as referencing ones",
        );
        return;
    }
    let keyed = target
        .primary_key
        .iter()
        .chain(target.uniques.iter())
        .any(|k| same_set(&k.columns, &ref_columns))
        || target.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.keys.iter().all(|k| matches!(k, IndexKey::Column(_)))
                && same_set(
                    &i.keys
                        .iter()
                        .filter_map(|k| match k {
                            IndexKey::Column(c) => Some(c.clone()),
                            IndexKey::Expression(_) => None,
                        })
                        .collect::<Vec<_>>(),
                    &ref_columns,
                )
        });
    if !keyed {
        cx.error_help(
            p.file,
            p.at.span(),
            format!(
                "foreign key {} references {}({}), which is not a primary key or unique",
                fk.name,
                fk.references,
                ref_columns.join(", ")
            ),
            "PostgreSQL requires a unique constraint on the referenced columns; add one",
        );
        return;
    }
    tables[p.table].foreign_keys[p.foreign_key].ref_columns = ref_columns;
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

fn leads_with(table: &Table, column: &str) -> bool {
    let first_is = |cols: &[String]| cols.first().is_some_and(|c| c == column);
    table
        .primary_key
        .as_ref()
        .is_some_and(|k| first_is(&k.columns))
        || table.uniques.iter().any(|k| first_is(&k.columns))
        || table.indexes.iter().any(|i| {
            i.predicate.is_none()
                && matches!(i.keys.first(), Some(IndexKey::Column(c)) if c == column)
        })
}

fn check_columns(cx: &mut Context, file: FileId, columns: &[String], listed: &[Text], what: &str) {
    for c in listed {
        if !columns.contains(c.get_ref()) {
            cx.error_help(
                file,
                c.span(),
                format!(
                    "{what} names column {:?}, which the table does not have",
                    c.get_ref()
                ),
                format!("columns are: {}", columns.join(", ")),
            );
        }
    }
}

fn check_expression_columns(
    cx: &mut Context,
    file: FileId,
    expr: &Text,
    columns: &[String],
    what: &str,
) {
    if let Some(parsed) = cx.expression(file, expr, what) {
        check_refs_exist(cx, file, expr, &parsed.bare_column_refs(), columns, what);
    }
}

fn check_refs_exist(
    cx: &mut Context,
    file: FileId,
    at: &Text,
    refs: &[String],
    columns: &[String],
    what: &str,
) {
    for r in refs {
        if !columns.contains(r) {
            cx.error_help(
                file,
                at.span(),
                format!("{what} refers to column {r:?}, which the table does not have"),
                format!("columns are: {}", columns.join(", ")),
            );
        }
    }
}

fn parses_as_bare_name(text: &str) -> bool {
    crate::sql::parse::parse_expression(text).is_ok_and(|e| {
        e.bare_column_refs().len() == 1 && {
            let name = &e.bare_column_refs()[0];
            e.is_column(name)
        }
    })
}

fn is_serial_type(ty: &str) -> bool {
    matches!(
        ty.trim().to_lowercase().as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
    )
}

fn is_integer_type(ty: &str) -> bool {
    matches!(
        ty.trim().to_lowercase().as_str(),
        "smallint" | "integer" | "int" | "bigint" | "int2" | "int4" | "int8"
    )
}
