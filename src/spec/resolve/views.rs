//! `[views.*]` and `[materialized_views.*]`: the query (one SELECT, parsed),
//! options, indexes and grants; ordered so that a view comes after the declared
//! views its query reads.

use super::context::{Context, check_identifier};
use super::names::generated_name;
use super::project::{TABLE_PRIVILEGES, grants};
use crate::spec::declaration::{Index, IndexKey, IndexMethod, Table, View};
use crate::spec::diagnostic::FileId;
use crate::spec::load::Spec;
use crate::spec::model::{IndexDecl, Text};
use crate::sql::QualifiedName;
use crate::sql::parse;
use toml::Spanned;

/// Resolves every view and materialized view of every schema file, in an order
/// that creates each after the declared views it reads.
pub(super) fn resolve(cx: &mut Context, spec: &Spec, tables: &[Table]) -> Vec<View> {
    let mut out: Vec<View> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (key, decl) in &schema_file.views {
            let d = decl.get_ref();
            let Some(mut view) = common(cx, *file, key, &d.query, tables, &out) else {
                continue;
            };
            view.security_invoker = d.security_invoker;
            view.security_barrier = d.security_barrier;
            view.check_option = d.check_option.as_ref().map(|c| *c.get_ref());
            view.comment = d.comment.as_ref().map(|c| c.get_ref().clone());
            view.grants = grants(cx, *file, &d.grants, TABLE_PRIVILEGES);
            out.push(view);
        }
        for (key, decl) in &schema_file.materialized_views {
            let d = decl.get_ref();
            let Some(mut view) = common(cx, *file, key, &d.query, tables, &out) else {
                continue;
            };
            view.materialized = true;
            view.with_data = d.with_data.unwrap_or(true);
            view.comment = d.comment.as_ref().map(|c| c.get_ref().clone());
            view.grants = grants(cx, *file, &d.grants, TABLE_PRIVILEGES);
            let mut taken: Vec<String> = Vec::new();
            for ix in &d.indexes {
                if let Some(index) = index(cx, *file, &view.name, ix, &taken) {
                    taken.push(index.name.clone());
                    view.indexes.push(index);
                }
            }
            out.push(view);
        }
    }
    in_dependency_order(out)
}

/// The name, the query and where they are written; None (with a diagnostic) when
/// the name is invalid or taken.
fn common(
    cx: &mut Context,
    file: FileId,
    key: &Text,
    query: &Text,
    tables: &[Table],
    views: &[View],
) -> Option<View> {
    let name = cx.qualify(file, key, "view")?;
    check_identifier(cx, file, key, &name.name);
    if tables.iter().any(|t| t.name == name) || views.iter().any(|v| v.name == name) {
        cx.error_help(
            file,
            key.span(),
            format!("relation {name} is declared twice"),
            "tables, views and materialized views share one namespace per schema; rename one",
        );
        return None;
    }
    let reads = match parse::parse_query(query.get_ref()) {
        Ok(names) => names
            .iter()
            .map(|n| match n.split_once('.') {
                Some((schema, name)) => QualifiedName::new(schema, name),
                None => QualifiedName::new(&cx.default_schema, n),
            })
            .collect(),
        Err(e) => {
            cx.syntax_error(file, query, "view query", e);
            Vec::new()
        }
    };
    Some(View {
        name,
        materialized: false,
        query: query.get_ref().clone(),
        security_invoker: false,
        security_barrier: false,
        check_option: None,
        with_data: true,
        indexes: Vec::new(),
        comment: None,
        grants: Vec::new(),
        reads,
        origin: Some(cx.origin(file, key.span())),
        query_origin: Some(cx.value_origin(file, query)),
    })
}

/// A materialized view's index. Its columns cannot be checked offline (the
/// query decides them): a bare name is a column, anything else an expression.
fn index(
    cx: &mut Context,
    file: FileId,
    view: &QualifiedName,
    ix: &Spanned<IndexDecl>,
    taken: &[String],
) -> Option<Index> {
    let i = ix.get_ref();
    if i.columns.is_empty() {
        cx.error_help(
            file,
            ix.span(),
            "index without columns",
            "list key columns or expressions in columns = [...]",
        );
        return None;
    }
    let mut keys = Vec::new();
    for part in &i.columns {
        let expr = cx.expression(file, part, "index key")?;
        if expr.is_column(part.get_ref()) {
            keys.push(IndexKey::Column(part.get_ref().clone()));
        } else {
            keys.push(IndexKey::Expression(part.get_ref().clone()));
        }
    }
    if let Some(p) = &i.predicate {
        cx.expression(file, p, "index where")?;
    }
    let parts: Vec<&str> = keys
        .iter()
        .map(|k| match k {
            IndexKey::Column(c) => c.as_str(),
            IndexKey::Expression(_) => "expr",
        })
        .collect();
    let name = match &i.name {
        Some(name) => {
            check_identifier(cx, file, name, name.get_ref());
            name.get_ref().clone()
        }
        None => generated_name(&view.name, &parts, "idx", taken),
    };
    Some(Index {
        name,
        unique: i.unique,
        method: i
            .method
            .as_ref()
            .map_or(IndexMethod::Btree, |m| *m.get_ref()),
        keys,
        key_options: vec![String::new(); i.columns.len()],
        nulls_not_distinct: i.nulls_not_distinct,
        include: i.include.iter().map(|c| c.get_ref().clone()).collect(),
        predicate: i.predicate.as_ref().map(|p| p.get_ref().clone()),
        origin: Some(cx.origin(file, ix.span())),
    })
}

/// Declaration order, except that a view comes after every declared view it
/// reads (PostgreSQL needs the referenced view first). A cycle cannot build in
/// PostgreSQL either; its views keep their order and the dev build says why.
fn in_dependency_order(views: Vec<View>) -> Vec<View> {
    let mut pending = views;
    let mut out: Vec<View> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending.iter().position(|v| {
            v.reads
                .iter()
                .all(|r| r == &v.name || !pending.iter().any(|p| &p.name == r))
        });
        out.push(pending.remove(ready.unwrap_or(0)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str, reads: &[&str]) -> View {
        View {
            name: QualifiedName::new("app", name),
            materialized: false,
            query: String::new(),
            security_invoker: false,
            security_barrier: false,
            check_option: None,
            with_data: true,
            indexes: Vec::new(),
            comment: None,
            grants: Vec::new(),
            reads: reads
                .iter()
                .map(|r| QualifiedName::new("app", *r))
                .collect(),
            origin: None,
            query_origin: None,
        }
    }

    #[test]
    fn a_view_comes_after_the_views_it_reads() {
        let ordered = in_dependency_order(vec![
            view("top", &["middle", "t"]),
            view("middle", &["bottom"]),
            view("bottom", &["t"]),
            view("other", &[]),
        ]);
        let names: Vec<&str> = ordered.iter().map(|v| v.name.name.as_str()).collect();
        assert_eq!(names, ["bottom", "middle", "top", "other"]);
    }
}
