//! `[sequences.*]`: standalone sequences, their options, owner column and grants.

use super::context::{Context, check_identifier};
use super::project::{column_reference, grants};
use crate::spec::declaration::{Sequence, Table};
use crate::spec::load::Spec;

/// Privileges that may be granted on a sequence.
const SEQUENCE_PRIVILEGES: &[&str] = &["usage", "select", "update", "all"];

/// Resolves every sequence of every schema file; `tables` are the resolved tables
/// (an `owned_by` column must be one of theirs).
pub(super) fn resolve(cx: &mut Context, spec: &Spec, tables: &[Table]) -> Vec<Sequence> {
    let mut out: Vec<Sequence> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (key, decl) in &schema_file.sequences {
            let Some(name) = cx.qualify(*file, key, "sequence") else {
                continue;
            };
            check_identifier(cx, *file, key, &name.name);
            if out.iter().any(|s| s.name == name) || tables.iter().any(|t| t.name == name) {
                cx.error_help(
                    *file,
                    key.span(),
                    format!("sequence {name} is declared twice, or as a table too"),
                    "sequences and tables share one namespace per schema; rename one",
                );
                continue;
            }
            let d = decl.get_ref();
            if let Some(ty) = &d.ty
                && !matches!(
                    ty.get_ref().trim().to_lowercase().as_str(),
                    "smallint" | "integer" | "int" | "bigint" | "int2" | "int4" | "int8"
                )
            {
                cx.error_help(
                    *file,
                    ty.span(),
                    format!("sequence {name} has type {:?}", ty.get_ref()),
                    "a sequence's type is smallint, integer or bigint",
                );
            }
            if let Some(increment) = &d.increment
                && *increment.get_ref() == 0
            {
                cx.error_help(
                    *file,
                    increment.span(),
                    format!("sequence {name} has increment 0"),
                    "the increment is a positive or negative number",
                );
            }
            if let (Some(min), Some(max)) = (&d.min, &d.max)
                && min.get_ref() >= max.get_ref()
            {
                cx.error_help(
                    *file,
                    min.span(),
                    format!(
                        "sequence {name} has min {} not below max {}",
                        min.get_ref(),
                        max.get_ref()
                    ),
                    "min must be less than max",
                );
            }
            if let Some(start) = &d.start {
                let below = d
                    .min
                    .as_ref()
                    .is_some_and(|m| start.get_ref() < m.get_ref());
                let above = d
                    .max
                    .as_ref()
                    .is_some_and(|m| start.get_ref() > m.get_ref());
                if below || above {
                    cx.error_help(
                        *file,
                        start.span(),
                        format!("sequence {name} starts outside its min and max"),
                        "start within min..max",
                    );
                }
            }
            if let Some(cache) = &d.cache
                && *cache.get_ref() < 1
            {
                cx.error_help(
                    *file,
                    cache.span(),
                    format!("sequence {name} has cache {}", cache.get_ref()),
                    "cache is at least 1",
                );
            }
            let owned_by = d.owned_by.as_ref().and_then(|text| {
                let (table, column, at) = column_reference(cx, *file, text)?;
                let Some(t) = tables.iter().find(|t| t.name == table) else {
                    cx.error_help(
                        *file,
                        at.span(),
                        format!("sequence {name} is owned by table {table}, which is not declared"),
                        "owned_by names a declared table's column: \"table.column\"",
                    );
                    return None;
                };
                if !t.columns.iter().any(|c| c.name == column) {
                    cx.error_help(
                        *file,
                        at.span(),
                        format!("sequence {name} is owned by column {column:?}, which table {table} does not have"),
                        format!(
                            "columns are: {}",
                            t.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    );
                    return None;
                }
                if table.schema != name.schema {
                    cx.error_help(
                        *file,
                        at.span(),
                        format!("sequence {name} is owned by a table of another schema"),
                        "PostgreSQL requires a sequence and its owning table in one schema",
                    );
                    return None;
                }
                Some((table, column))
            });
            out.push(Sequence {
                origin: Some(cx.origin(*file, key.span())),
                name,
                ty: d.ty.as_ref().map(|t| t.get_ref().clone()),
                start: d.start.as_ref().map(|v| *v.get_ref()),
                increment: d.increment.as_ref().map(|v| *v.get_ref()),
                min: d.min.as_ref().map(|v| *v.get_ref()),
                max: d.max.as_ref().map(|v| *v.get_ref()),
                cache: d.cache.as_ref().map(|v| *v.get_ref()),
                cycle: d.cycle,
                owned_by,
                comment: d.comment.as_ref().map(|c| c.get_ref().clone()),
                grants: grants(cx, *file, &d.grants, SEQUENCE_PRIVILEGES),
            });
        }
    }
    out
}
