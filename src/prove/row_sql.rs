//! SQL fragments built from a seeded row: the filter that targets it by key and
//! the constant `SET` that rewrites it. Pure functions over the catalog's table.

use super::seed::{self, Row};
use crate::catalog::{ConstraintKind, Table};
use crate::sql::{quote_ident, quote_literal};

/// `pk1 = v1 and ...` for the row's primary key (or first unique key).
pub(super) fn key_filter(table: &Table, row: &Row) -> Option<String> {
    let key = table
        .constraints
        .iter()
        .find(|c| c.kind == ConstraintKind::PrimaryKey)
        .or_else(|| {
            table
                .constraints
                .iter()
                .find(|c| c.kind == ConstraintKind::Unique)
        });
    let columns: Vec<String> = match key {
        Some(k) => k.columns.clone(),
        // No key: every scalar column of the row.
        None => table
            .columns
            .iter()
            .filter(|c| {
                row.get(&c.name)
                    .is_some_and(|v| !(v.is_null() || v.is_object() || v.is_array()))
            })
            .map(|c| c.name.clone())
            .collect(),
    };
    if columns.is_empty() {
        return None;
    }
    let parts: Option<Vec<String>> = columns
        .iter()
        .map(|c| {
            row.get(c)
                .map(|v| format!("{} = {}", quote_ident(c), quote_literal(&seed::text(v))))
        })
        .collect();
    parts.map(|p| p.join(" and "))
}

/// `c = <A's value>` for a plain column (not key, not foreign key, not generated), else the tenant column.
pub(super) fn constant_set(table: &Table, own: &Row, tenant_column: &str) -> String {
    let keyed: Vec<String> = seed::unique_keys(table).into_iter().flatten().collect();
    let fk = |name: &str| {
        table.constraints.iter().any(|c| {
            matches!(c.kind, ConstraintKind::ForeignKey(_)) && c.columns.iter().any(|x| x == name)
        })
    };
    let column = table
        .columns
        .iter()
        .find(|c| {
            c.name != tenant_column
                && c.generated.is_none()
                && c.identity.is_none()
                && !keyed.contains(&c.name)
                && !fk(&c.name)
                && own.get(&c.name).is_some_and(|v| !v.is_null())
        })
        .map_or(tenant_column, |c| c.name.as_str());
    // The value typed as the column's own type (an array stays an array, a
    // domain is checked): read back through the row type, never as text.
    let mut value = serde_json::Map::new();
    value.insert(
        column.to_string(),
        own.get(column).cloned().unwrap_or(serde_json::Value::Null),
    );
    format!(
        "{c} = (jsonb_populate_record(null::{t}, {v}::jsonb)).{c}",
        c = quote_ident(column),
        t = table.name.sql(),
        v = quote_literal(&serde_json::Value::Object(value).to_string())
    )
}
