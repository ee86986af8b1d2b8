//! `[types.*]`: enums, domains and composite types.

use super::context::{Context, check_identifier};
use super::names::MAX_IDENTIFIER_BYTES;
use crate::spec::declaration::{Check, TypeDefinition, UserType};
use crate::spec::diagnostic::FileId;
use crate::spec::load::Spec;
use crate::spec::model::{Text, TypeDecl};
use crate::sql::QualifiedName;

/// Resolves every type of every schema file.
pub(super) fn resolve(cx: &mut Context, spec: &Spec) -> Vec<UserType> {
    let mut out: Vec<UserType> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (key, decl) in &schema_file.types {
            let Some(name) = cx.qualify(*file, key, "type") else {
                continue;
            };
            if out.iter().any(|t| t.name == name) {
                cx.error(*file, key.span(), format!("type {name} is declared twice"));
                continue;
            }
            check_identifier(cx, *file, key, &name.name);
            let Some(definition) = definition(cx, *file, key, &name, decl.get_ref()) else {
                continue;
            };
            out.push(UserType {
                name,
                definition,
                comment: decl.get_ref().comment.as_ref().map(|c| c.get_ref().clone()),
                origin: Some(cx.origin(*file, key.span())),
            });
        }
    }
    out
}

fn definition(
    cx: &mut Context,
    file: FileId,
    key: &Text,
    name: &QualifiedName,
    d: &TypeDecl,
) -> Option<TypeDefinition> {
    let kinds = [
        d.values.is_some(),
        d.domain.is_some(),
        d.composite.is_some(),
        d.drop,
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        cx.error_help(
            file,
            key.span(),
            format!("type {name} must be exactly one of an enum, a domain or a composite type, or drop = true"),
            "write one of enum = [\"a\", \"b\"], domain = \"text\", composite = { field = \"text\" } or drop = true",
        );
        return None;
    }
    if d.domain.is_none() {
        let stray = d
            .checks
            .first()
            .map(|c| ("checks", c.span()))
            .or(d.default.as_ref().map(|t| ("default", t.span())));
        if let Some((what, span)) = stray {
            cx.error_help(
                file,
                span,
                format!("{what} is only for domains, and type {name} is not one"),
                "declare a domain (domain = \"text\") or remove it",
            );
        }
        if d.not_null {
            cx.error_help(
                file,
                key.span(),
                format!("not_null is only for domains, and type {name} is not one"),
                "declare a domain (domain = \"text\") or remove it",
            );
        }
    }
    if d.values.is_none()
        && let Some((old, _)) = d.renamed_values.first()
    {
        cx.error_help(
            file,
            old.span(),
            format!("renamed_values is only for enums, and type {name} is not one"),
            "remove it",
        );
    }
    if d.drop {
        return Some(TypeDefinition::Dropped);
    }
    if let Some(values) = &d.values {
        return Some(enum_definition(cx, file, name, values.get_ref(), d));
    }
    if let Some(base) = &d.domain {
        cx.sql_type(file, base);
        if let Some(default) = &d.default {
            cx.expression(file, default, "domain default");
        }
        let mut checks: Vec<Check> = Vec::new();
        for check in &d.checks {
            let c = check.get_ref();
            cx.expression(file, &c.expr, "domain check");
            let check_name = match &c.name {
                Some(n) => {
                    check_identifier(cx, file, n, n.get_ref());
                    n.get_ref().clone()
                }
                None => generated_check_name(&name.name, &checks),
            };
            if checks.iter().any(|c| c.name == check_name) {
                cx.error_help(
                    file,
                    check.span(),
                    format!("check {check_name:?} of domain {name} is declared twice"),
                    "give each check its own name",
                );
                continue;
            }
            checks.push(Check {
                name: check_name,
                expr: c.expr.get_ref().clone(),
                origin: Some(cx.value_origin(file, &c.expr)),
            });
        }
        return Some(TypeDefinition::Domain {
            base: base.get_ref().clone(),
            default: d.default.as_ref().map(|t| t.get_ref().clone()),
            not_null: d.not_null,
            checks,
        });
    }
    let composite = d.composite.as_ref()?;
    let mut attributes = Vec::new();
    for (attribute, ty) in composite.get_ref() {
        check_identifier(cx, file, attribute, attribute.get_ref());
        cx.sql_type(file, ty);
        attributes.push((attribute.get_ref().clone(), ty.get_ref().clone()));
    }
    Some(TypeDefinition::Composite(attributes))
}

fn enum_definition(
    cx: &mut Context,
    file: FileId,
    name: &QualifiedName,
    values: &[Text],
    d: &TypeDecl,
) -> TypeDefinition {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        let v = value.get_ref();
        if v.is_empty() {
            cx.error(
                file,
                value.span(),
                format!("enum {name} has an empty value"),
            );
        } else if v.len() > MAX_IDENTIFIER_BYTES {
            cx.error_help(
                file,
                value.span(),
                format!("enum value {v:?} is longer than 63 bytes"),
                "PostgreSQL refuses enum labels longer than 63 bytes; shorten it",
            );
        } else if seen.contains(&v.as_str()) {
            cx.error_help(
                file,
                value.span(),
                format!("enum {name} lists the value {v:?} twice"),
                "list each value once",
            );
        }
        seen.push(v);
    }
    let mut renamed = Vec::new();
    for (old, new) in &d.renamed_values {
        if !seen.contains(&new.get_ref().as_str()) {
            cx.error_help(
                file,
                new.span(),
                format!(
                    "renamed value {:?} of enum {name} is not one of its values",
                    new.get_ref()
                ),
                "renamed_values = { old = \"new\" } renames old to new, and new must be listed in enum = [...]",
            );
        } else if seen.contains(&old.get_ref().as_str()) {
            cx.error_help(
                file,
                old.span(),
                format!(
                    "value {:?} of enum {name} is renamed but still listed",
                    old.get_ref()
                ),
                "list only the new name in enum = [...]",
            );
        } else {
            renamed.push((old.get_ref().clone(), new.get_ref().clone()));
        }
    }
    TypeDefinition::Enum {
        values: values.iter().map(|v| v.get_ref().clone()).collect(),
        renamed,
    }
}

/// PostgreSQL's name for an unnamed domain check: `<domain>_check`, then
/// `<domain>_check1`, ... (so that the declared name is the one it gives).
fn generated_check_name(domain: &str, taken: &[Check]) -> String {
    let base = format!("{domain}_check");
    (0..)
        .map(|i| {
            if i == 0 {
                base.clone()
            } else {
                format!("{base}{i}")
            }
        })
        .find(|n| !taken.iter().any(|c| &c.name == n))
        .unwrap_or(base)
}
