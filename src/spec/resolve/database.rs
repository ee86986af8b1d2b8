//! Database-level declarations of rlsctl.toml: `[extensions]` and `[publications.*]`.

use super::context::{Context, check_identifier};
use crate::spec::declaration::{Extension, Publication, Table};
use crate::spec::load::Spec;

/// The operations a publication may publish, in PostgreSQL's order.
pub(super) const PUBLISH: [&str; 4] = ["insert", "update", "delete", "truncate"];

/// Checks `[extensions]`. Whether the server has them is only known when the
/// desired database is built (validation is offline).
pub(super) fn extensions(cx: &mut Context, spec: &Spec) -> Vec<Extension> {
    let (file, project) = (spec.project.0, &spec.project.1);
    let mut out = Vec::new();
    for (name, decl) in &project.extensions {
        check_identifier(cx, file, name, name.get_ref());
        let d = decl.get_ref();
        if let Some(schema) = &d.schema {
            check_identifier(cx, file, schema, schema.get_ref());
        }
        if let Some(version) = &d.version
            && version.get_ref().trim().is_empty()
        {
            cx.error_help(
                file,
                version.span(),
                format!("extension {:?} has an empty version", name.get_ref()),
                "write the version as pg_available_extension_versions lists it (\"1.3\"), or leave version out",
            );
        }
        out.push(Extension {
            name: name.get_ref().clone(),
            schema: d.schema.as_ref().map(|s| s.get_ref().clone()),
            version: d.version.as_ref().map(|v| v.get_ref().clone()),
            origin: Some(cx.origin(file, name.span())),
        });
    }
    out
}

/// Checks `[publications.*]` against the declared tables.
pub(super) fn publications(cx: &mut Context, spec: &Spec, tables: &[Table]) -> Vec<Publication> {
    let (file, project) = (spec.project.0, &spec.project.1);
    let mut out = Vec::new();
    for (name, decl) in &project.publications {
        check_identifier(cx, file, name, name.get_ref());
        let d = decl.get_ref();
        let all_tables = d.all_tables.as_ref().is_some_and(|a| *a.get_ref());
        if all_tables && !d.tables.is_empty() {
            cx.error_help(
                file,
                decl.span(),
                format!(
                    "publication {:?} has both all_tables = true and tables",
                    name.get_ref()
                ),
                "keep one: all_tables = true publishes every table of the database",
            );
        }
        let mut published = Vec::new();
        for t in &d.tables {
            let Some(table) = cx.qualify(file, t, "table") else {
                continue;
            };
            if !tables.iter().any(|d| d.name == table) {
                cx.error_help(
                    file,
                    t.span(),
                    format!(
                        "publication {:?} names table {table}, which is not declared",
                        name.get_ref()
                    ),
                    "declare the table in schema/*.toml, or fix the name",
                );
                continue;
            }
            if published.contains(&table) {
                cx.error(file, t.span(), format!("table {table} is listed twice"));
                continue;
            }
            published.push(table);
        }
        let publish = match &d.publish {
            None => PUBLISH.iter().map(|p| p.to_string()).collect(),
            Some(list) => {
                for op in list.get_ref() {
                    if !PUBLISH.contains(&op.get_ref().as_str()) {
                        cx.error_help(
                            file,
                            op.span(),
                            format!("unknown publish operation {:?}", op.get_ref()),
                            "publish lists some of \"insert\", \"update\", \"delete\", \"truncate\"",
                        );
                    }
                }
                PUBLISH
                    .iter()
                    .filter(|p| list.get_ref().iter().any(|o| o.get_ref() == *p))
                    .map(|p| p.to_string())
                    .collect()
            }
        };
        out.push(Publication {
            name: name.get_ref().clone(),
            all_tables,
            tables: published,
            publish,
            origin: Some(cx.origin(file, name.span())),
        });
    }
    out
}
