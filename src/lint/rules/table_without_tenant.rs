//! MIG015: a new table without the tenant column (the declaration's for the
//! table, else `[tenancy] column`, else `tenant_id`) cannot be isolated by
//! tenant. Not a finding for a table declared public, or one whose columns come
//! from elsewhere (`PARTITION OF`, `INHERITS`, `LIKE`, `OF type`). Without a
//! declaration nothing can say a table is public, so it is only a warning.

use pg_query::NodeEnum;

use super::{Rule, again};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::lint::scope::Declared;
use crate::sql::quote_ident;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG015",
    name: "table-without-tenant-column",
    level: Level::Error,
    summary: "a new table without the tenant column, unless declared public (a warning without a declaration)",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let NodeEnum::CreateStmt(c) = cx.node() else {
        return vec![];
    };
    let Some(rel) = &c.relation else {
        return vec![];
    };
    let inherited = c.partbound.is_some()
        || !c.inh_relations.is_empty()
        || c.of_typename.is_some()
        || c.table_elts
            .iter()
            .any(|e| matches!(e.node, Some(NodeEnum::TableLikeClause(_))));
    if rel.relpersistence == "t" || inherited {
        return vec![];
    }
    let table = cx.table(rel);
    if again(cx, &table) {
        return vec![];
    }
    let column = match cx.scope.declared(&table) {
        Declared::Public => return vec![],
        Declared::Tenant(column) => column,
        Declared::Unknown => cx.scope.tenant_column(),
    };
    let has = c
        .table_elts
        .iter()
        .any(|e| matches!(&e.node, Some(NodeEnum::ColumnDef(d)) if d.colname == column));
    if has {
        return vec![];
    }
    let mut hit = cx.hit(
        format!(
            "new table {table} has no tenant column {}: its rows cannot be isolated by tenant",
            quote_ident(column)
        ),
        format!(
            "add the column `{} ... not null references` the tenants table, or declare the table public (`tenant = false`, `public = \"<reason>\"`)",
            quote_ident(column)
        ),
    );
    if !cx.scope.has_declaration() {
        hit.level = Some(Level::Warning);
    }
    vec![hit]
}
