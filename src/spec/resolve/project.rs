//! `rlsctl.toml`: schemas, roles, dev setup files and `[tenancy]`.

use toml::Spanned;

use super::context::Context;
use crate::spec::declaration::{Grant, Role, Schema};
use crate::spec::diagnostic::FileId;
use crate::spec::load::Spec;
use crate::spec::model::{Grants, Text};
use crate::sql::QualifiedName;

/// Owned schemas and the default schema for unqualified names.
pub(super) fn schemas(spec: &Spec) -> (Vec<String>, String) {
    let project = spec.project.1.project.get_ref();
    let schemas: Vec<String> = project
        .schemas
        .get_ref()
        .iter()
        .map(|s| s.get_ref().clone())
        .collect();
    // A default_schema the project does not own is reported once by `resolve`;
    // falling back keeps every unqualified name from repeating that error.
    let default = project
        .default_schema
        .as_ref()
        .map(|s| s.get_ref().clone())
        .filter(|s| schemas.contains(s))
        .or_else(|| schemas.first().cloned())
        .unwrap_or_else(|| "public".to_string());
    (schemas, default)
}

/// Checks `[project]`, `[roles]`, `[database] dev_setup` and `[schemas.*]`.
pub(super) fn resolve(
    cx: &mut Context,
    spec: &Spec,
) -> (Vec<Schema>, Vec<Role>, Vec<(String, String)>) {
    let (file, project_file) = (&spec.project.0, &spec.project.1);
    let file = *file;
    let project = project_file.project.get_ref();

    if project.schemas.get_ref().is_empty() {
        cx.error_help(
            file,
            project.schemas.span(),
            "[project] schemas is empty",
            "list the schemas rlsctl owns, e.g. schemas = [\"public\"]",
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for s in project.schemas.get_ref() {
        if s.get_ref().is_empty() {
            cx.error(file, s.span(), "schema name is empty");
        } else if seen.contains(&s.get_ref().as_str()) {
            cx.error(
                file,
                s.span(),
                format!("schema {:?} is listed twice", s.get_ref()),
            );
        }
        seen.push(s.get_ref());
    }
    if let Some(d) = &project.default_schema
        && !cx.schemas.contains(d.get_ref())
    {
        cx.error_help(
            file,
            d.span(),
            format!(
                "default_schema {:?} is not one of the project's schemas",
                d.get_ref()
            ),
            "add it to [project] schemas",
        );
    }

    let mut roles = Vec::new();
    for (name, decl) in &project_file.roles {
        if name.get_ref() == "public" || name.get_ref().starts_with("pg_") {
            cx.error_help(
                file,
                name.span(),
                format!("{:?} is a reserved role name", name.get_ref()),
                "PUBLIC and pg_* roles are built in; do not declare them",
            );
        }
        for m in &decl.get_ref().member_of {
            cx.check_role(file, m);
        }
        roles.push(Role {
            name: name.get_ref().clone(),
            login: decl.get_ref().login,
            inherit: decl.get_ref().inherit.unwrap_or(true),
            member_of: decl
                .get_ref()
                .member_of
                .iter()
                .map(|m| m.get_ref().clone())
                .collect(),
            bypass_rls: decl.get_ref().bypassrls,
        });
    }

    let mut dev_setup = Vec::new();
    for path in &project_file.database.dev_setup {
        let full = spec.root.join(path.get_ref());
        match std::fs::read_to_string(&full) {
            Ok(text) => {
                if let Err(e) = crate::sql::parse::parse_statements(&text) {
                    cx.error_help(
                        file,
                        path.span(),
                        format!(
                            "invalid SQL in dev setup file {:?}: {}",
                            path.get_ref(),
                            e.message
                        ),
                        "dev_setup files must be valid PostgreSQL",
                    );
                }
                dev_setup.push((path.get_ref().clone(), text));
            }
            Err(e) => cx.error_help(
                file,
                path.span(),
                if e.kind() == std::io::ErrorKind::NotFound {
                    format!("dev setup file {:?} does not exist", path.get_ref())
                } else {
                    format!("cannot read dev setup file {:?}: {e}", path.get_ref())
                },
                "paths in [database] dev_setup are relative to the project directory",
            ),
        }
    }

    let mut schemas: Vec<Schema> = cx
        .schemas
        .iter()
        .map(|name| Schema {
            name: name.clone(),
            comment: None,
            grants: Vec::new(),
            default_privileges: None,
        })
        .collect();
    let mut declared_in: Vec<(String, FileId)> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (name, decl) in &schema_file.schemas {
            let Some(schema) = schemas.iter_mut().find(|s| &s.name == name.get_ref()) else {
                cx.error_help(
                    *file,
                    name.span(),
                    format!(
                        "schema {:?} is not one of the project's schemas",
                        name.get_ref()
                    ),
                    "add it to [project] schemas in rlsctl.toml",
                );
                continue;
            };
            if declared_in.iter().any(|(n, _)| n == name.get_ref()) {
                cx.error(
                    *file,
                    name.span(),
                    format!("schema {:?} is declared twice", name.get_ref()),
                );
                continue;
            }
            declared_in.push((name.get_ref().clone(), *file));
            schema.comment = decl.get_ref().comment.as_ref().map(|c| c.get_ref().clone());
            schema.grants = grants(cx, *file, &decl.get_ref().grants, SCHEMA_PRIVILEGES);
        }
    }
    (schemas, roles, dev_setup)
}

/// Privileges that may be granted on a table.
pub(super) const TABLE_PRIVILEGES: &[&str] = &[
    "select",
    "insert",
    "update",
    "delete",
    "truncate",
    "references",
    "trigger",
    "all",
];
/// Privileges that may be granted on a schema.
pub(super) const SCHEMA_PRIVILEGES: &[&str] = &["usage", "create", "all"];
/// Privileges that may be granted on a function.
pub(super) const FUNCTION_PRIVILEGES: &[&str] = &["execute", "all"];

/// Checks a `grants = { role = [privileges] }` table.
pub(super) fn grants(
    cx: &mut Context,
    file: FileId,
    grants: &Grants,
    allowed: &[&str],
) -> Vec<Grant> {
    let mut out = Vec::new();
    for (role, privileges) in grants {
        cx.check_role(file, role);
        let mut list: Vec<String> = Vec::new();
        for p in privileges {
            let lower = p.get_ref().to_lowercase();
            if !allowed.contains(&lower.as_str()) {
                cx.error_help(
                    file,
                    p.span(),
                    format!("unknown privilege {:?}", p.get_ref()),
                    format!("use one of {}", allowed.join(", ")),
                );
                continue;
            }
            let upper = lower.to_uppercase();
            if !list.contains(&upper) {
                list.push(upper);
            }
        }
        if privileges.is_empty() {
            cx.error_help(
                file,
                role.span(),
                format!("no privileges listed for {:?}", role.get_ref()),
                "list at least one privilege, or remove the entry",
            );
        }
        out.push(Grant {
            grantee: role.get_ref().clone(),
            privileges: list,
        });
    }
    out
}

/// `[tenancy]` with defaults applied; per-table overrides are merged in `tables`.
#[derive(Debug)]
pub(super) struct EffectiveTenancy {
    /// The file holding `[tenancy]`.
    pub file: FileId,
    /// Default tenant column.
    pub column: String,
    /// Default tenant column type.
    pub ty: Option<Text>,
    /// Table and column every tenant column references.
    pub references: Option<(QualifiedName, String, Text)>,
    /// SQL for the caller's tenant.
    pub current: Option<Text>,
    /// Roles of the isolation policy.
    pub roles: Vec<String>,
    /// Predicate template.
    pub predicate: Option<Text>,
    /// Generate an index on the tenant column.
    pub index: bool,
}

/// Resolves `[tenancy]`.
pub(super) fn tenancy(cx: &mut Context, spec: &Spec) -> Option<EffectiveTenancy> {
    let file = spec.project.0;
    let decl = spec.project.1.tenancy.as_ref()?;
    let decl = decl.get_ref();
    if let Some(column) = &decl.column {
        super::context::check_identifier(cx, file, column, column.get_ref());
    }
    if let Some(ty) = &decl.ty {
        cx.sql_type(file, ty);
    }
    for role in &decl.roles {
        cx.check_role(file, role);
    }
    if let Some(current) = &decl.current {
        cx.expression(file, current, "[tenancy] current");
    }
    if let Some(imp) = &decl.impersonate {
        super::policies::check_impersonation(cx, file, imp.get_ref(), &["tenant", "user"]);
    }
    let references = decl
        .references
        .as_ref()
        .and_then(|r| column_reference(cx, file, r));
    Some(EffectiveTenancy {
        file,
        column: decl
            .column
            .as_ref()
            .map(|c| c.get_ref().clone())
            .unwrap_or_else(|| "tenant_id".to_string()),
        ty: decl.ty.clone(),
        references,
        current: decl.current.clone(),
        roles: decl.roles.iter().map(|r| r.get_ref().clone()).collect(),
        predicate: decl.predicate.clone(),
        index: decl.index.unwrap_or(true),
    })
}

/// Splits `table.column` / `schema.table.column`.
pub(super) fn column_reference(
    cx: &mut Context,
    file: FileId,
    text: &Spanned<String>,
) -> Option<(QualifiedName, String, Text)> {
    let raw = text.get_ref();
    let Some((table, column)) = raw.rsplit_once('.') else {
        cx.error_help(
            file,
            text.span(),
            format!("invalid reference {raw:?}"),
            "write references as \"table.column\" or \"schema.table.column\"",
        );
        return None;
    };
    if column.is_empty() {
        cx.error_help(
            file,
            text.span(),
            format!("invalid reference {raw:?}"),
            "write references as \"table.column\" or \"schema.table.column\"",
        );
        return None;
    }
    let table_text = Spanned::new(text.span(), table.to_string());
    let name = super::references::referenced_table(cx, file, &table_text)?;
    Some((name, column.to_string(), text.clone()))
}
