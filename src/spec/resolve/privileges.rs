//! Column privileges (`columns.x.grants`) and a schema's default privileges
//! (`[schemas.s] default_privileges`).

use super::context::Context;
use super::project::{FUNCTION_PRIVILEGES, TABLE_PRIVILEGES, grants};
use crate::spec::declaration::{DefaultPrivileges, Grant, Schema};
use crate::spec::diagnostic::FileId;
use crate::spec::load::Spec;
use crate::spec::model::{DefaultPrivilegesDecl, TableDecl};

/// Privileges that may be granted on a column.
const COLUMN_PRIVILEGES: &[&str] = &["select", "insert", "update", "references", "all"];
/// Privileges that may be granted on a sequence.
const SEQUENCE_PRIVILEGES: &[&str] = &["usage", "select", "update", "all"];
/// Privileges that may be granted on a type.
const TYPE_PRIVILEGES: &[&str] = &["usage", "all"];

/// The column grants of a table, in column order.
pub(super) fn column_grants(cx: &mut Context, file: FileId, d: &TableDecl) -> Vec<(String, Grant)> {
    let mut out = Vec::new();
    for (name, column) in &d.columns {
        for g in grants(cx, file, &column.get_ref().grants, COLUMN_PRIVILEGES) {
            out.push((name.get_ref().clone(), g));
        }
    }
    out
}

/// Sets each declared schema's default privileges (`[schemas.s]
/// default_privileges`); `project` has reported schemas declared twice or not owned.
pub(super) fn default_privileges(cx: &mut Context, spec: &Spec, schemas: &mut [Schema]) {
    for (file, schema_file) in &spec.schema_files {
        for (name, decl) in &schema_file.schemas {
            let Some(d) = &decl.get_ref().default_privileges else {
                continue;
            };
            if let Some(schema) = schemas.iter_mut().find(|s| &s.name == name.get_ref())
                && schema.default_privileges.is_none()
            {
                schema.default_privileges = Some(resolve(cx, *file, d.get_ref()));
            }
        }
    }
}

/// A schema's declared default privileges, each grantee and `for_role` checked.
fn resolve(cx: &mut Context, file: FileId, d: &DefaultPrivilegesDecl) -> DefaultPrivileges {
    if let Some(role) = &d.for_role {
        if role.get_ref() == "public" {
            cx.error_help(
                file,
                role.span(),
                "default privileges cannot be for PUBLIC",
                "for_role names the role whose new objects get them; leave it out for the role that applies the plan",
            );
        } else {
            cx.check_role(file, role);
        }
    }
    let mut out = DefaultPrivileges {
        for_role: d.for_role.as_ref().map(|r| r.get_ref().clone()),
        grants: Vec::new(),
    };
    let kinds = [
        ("TABLES", &d.tables, TABLE_PRIVILEGES),
        ("SEQUENCES", &d.sequences, SEQUENCE_PRIVILEGES),
        ("FUNCTIONS", &d.functions, FUNCTION_PRIVILEGES),
        ("TYPES", &d.types, TYPE_PRIVILEGES),
    ];
    for (kind, declared, allowed) in kinds {
        for g in grants(cx, file, declared, allowed) {
            out.grants.push((kind, g));
        }
    }
    out
}
