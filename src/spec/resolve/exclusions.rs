//! `exclude = [...]` of a table: exclusion constraints, their elements
//! (a column or an expression, and an operator) and predicate.

use toml::Spanned;

use super::context::{Context, deferral, explicit_or_generated};
use crate::spec::declaration::{Exclusion, IndexKey, IndexMethod};
use crate::spec::diagnostic::FileId;
use crate::spec::model::{ExcludeDecl, Text};

/// Characters PostgreSQL operators are made of.
const OPERATOR_CHARS: &str = "+-*/<>=~!@#%^&|`?";

/// The table's exclusion constraints; their names are added to `taken`.
pub(super) fn resolve(
    cx: &mut Context,
    file: FileId,
    table: &str,
    decls: &[Spanned<ExcludeDecl>],
    columns: &[String],
    taken: &mut Vec<String>,
) -> Vec<Exclusion> {
    let mut out = Vec::new();
    for decl in decls {
        let d = decl.get_ref();
        if d.elements.is_empty() {
            cx.error_help(
                file,
                decl.span(),
                "exclusion constraint without elements",
                "list elements = [{ key = \"column\", with = \"&&\" }, ...]",
            );
        }
        let mut elements = Vec::new();
        for element in &d.elements {
            let e = element.get_ref();
            let key = if columns.contains(e.key.get_ref()) {
                Some(IndexKey::Column(e.key.get_ref().clone()))
            } else if let Some(parsed) = cx.expression(file, &e.key, "exclusion key") {
                let refs = parsed.bare_column_refs();
                if refs.len() == 1 && parsed.is_column(&refs[0]) {
                    unknown_column(cx, file, &e.key, columns);
                    None
                } else {
                    for r in refs.iter().filter(|r| !columns.contains(r)) {
                        unknown_column(cx, file, &Spanned::new(e.key.span(), r.clone()), columns);
                    }
                    Some(IndexKey::Expression(e.key.get_ref().clone()))
                }
            } else {
                None
            };
            let op = e.with.get_ref().trim();
            if op.is_empty() || !op.chars().all(|c| OPERATOR_CHARS.contains(c)) {
                cx.error_help(
                    file,
                    e.with.span(),
                    format!("{op:?} is not an operator"),
                    "with = names the operator rows are compared with, e.g. \"=\" or \"&&\"",
                );
                continue;
            }
            if let Some(key) = key {
                elements.push((key, op.to_string()));
            }
        }
        if let Some(p) = &d.predicate
            && let Some(parsed) = cx.expression(file, p, "exclusion where")
        {
            for r in parsed
                .bare_column_refs()
                .iter()
                .filter(|r| !columns.contains(r))
            {
                unknown_column(cx, file, &Spanned::new(p.span(), r.clone()), columns);
            }
        }
        let parts: Vec<String> = elements
            .iter()
            .map(|(k, _)| match k {
                IndexKey::Column(c) => c.clone(),
                IndexKey::Expression(_) => "expr".to_string(),
            })
            .collect();
        let name = explicit_or_generated(cx, file, d.name.as_ref(), table, &parts, "excl", taken);
        taken.push(name.clone());
        out.push(Exclusion {
            name,
            method: d.using.as_ref().map_or(IndexMethod::Gist, |m| *m.get_ref()),
            elements,
            predicate: d.predicate.as_ref().map(|p| p.get_ref().clone()),
            deferral: deferral(cx, file, d.deferrable, d.initially_deferred.as_ref()),
            origin: Some(cx.origin(file, decl.span())),
        });
    }
    out
}

fn unknown_column(cx: &mut Context, file: FileId, at: &Text, columns: &[String]) {
    cx.error_help(
        file,
        at.span(),
        format!(
            "exclusion constraint refers to column {:?}, which the table does not have",
            at.get_ref()
        ),
        format!("columns are: {}", columns.join(", ")),
    );
}
