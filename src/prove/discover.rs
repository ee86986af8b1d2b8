//! Which relations hold tenant rows: tables with a tenant column, their
//! partitions, and the views, materialized views and zero-argument
//! set-returning functions that reach them.

use std::collections::HashSet;

use serde::Serialize;
use tokio_postgres::Client;

use super::Plan;
use crate::catalog::{Catalog, FunctionKind, Table, ViewKind};
use crate::sql::QualifiedName;

/// The kind of a tenant relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    /// A table (or partitioned table).
    Table,
    /// A partition or inheritance child, queried directly.
    Partition,
    /// A view.
    View,
    /// A materialized view.
    MaterializedView,
    /// A zero-argument set-returning function.
    Function,
}

impl RelationKind {
    /// The word used in reports.
    pub fn word(self) -> &'static str {
        match self {
            RelationKind::Table => "table",
            RelationKind::Partition => "partition",
            RelationKind::View => "view",
            RelationKind::MaterializedView => "materialized view",
            RelationKind::Function => "function",
        }
    }
}

/// A relation whose rows belong to tenants.
#[derive(Debug, Clone)]
pub struct TenantRelation {
    /// Its name.
    pub name: QualifiedName,
    /// What it is.
    pub kind: RelationKind,
    /// The column that holds the tenant.
    pub tenant_column: String,
    /// For tables and partitions: the catalog's description.
    pub table: Option<Table>,
}

impl TenantRelation {
    /// `kind name (column)`, for the scope line.
    pub fn describe(&self) -> String {
        format!(
            "{} {} ({})",
            self.kind.word(),
            self.name,
            self.tenant_column
        )
    }

    /// What the probe selects from: the name, or a call for a function.
    pub fn from_clause(&self) -> String {
        match self.kind {
            RelationKind::Function => format!("{}()", self.name.sql()),
            _ => self.name.sql(),
        }
    }

    /// Whether rows can be written and ground truth read by ctid.
    pub fn is_table(&self) -> bool {
        self.table.is_some()
    }
}

/// The tenant relations of `catalog` under `plan`, tables first.
pub async fn tenant_relations(
    client: &Client,
    catalog: &Catalog,
    plan: &Plan,
) -> Result<Vec<TenantRelation>, tokio_postgres::Error> {
    let mut relations = Vec::new();
    let mut tenant_tables: HashSet<QualifiedName> = HashSet::new();
    for table in &catalog.tables {
        let column = match plan.tenant_columns.get(&table.name) {
            Some(c) => c.clone(),
            None if table.column(&plan.tenant_column).is_some() => plan.tenant_column.clone(),
            None => continue,
        };
        if table.column(&column).is_none() {
            continue;
        }
        let kind = if table.partition_of.is_some() || !table.inherits.is_empty() {
            RelationKind::Partition
        } else {
            RelationKind::Table
        };
        tenant_tables.insert(table.name.clone());
        relations.push(TenantRelation {
            name: table.name.clone(),
            kind,
            tenant_column: column,
            table: Some(table.clone()),
        });
    }
    // Views over views: iterate until no new view reaches a tenant relation.
    let mut reaching: HashSet<QualifiedName> = tenant_tables.clone();
    let mut changed = true;
    while changed {
        changed = false;
        for view in &catalog.views {
            if reaching.contains(&view.name) {
                continue;
            }
            if view.depends_on.iter().any(|d| reaching.contains(d)) {
                reaching.insert(view.name.clone());
                changed = true;
                relations.push(TenantRelation {
                    name: view.name.clone(),
                    kind: match view.kind {
                        ViewKind::View => RelationKind::View,
                        ViewKind::MaterializedView => RelationKind::MaterializedView,
                    },
                    tenant_column: plan.tenant_column.clone(),
                    table: None,
                });
            }
        }
    }
    for function in &catalog.functions {
        if function.kind != FunctionKind::Function
            || !function.returns_set
            || !function.identity_arguments.is_empty()
        {
            continue;
        }
        let result = function.result.clone().unwrap_or_default();
        let mentions_tenant = result.contains(&plan.tenant_column)
            || tenant_tables
                .iter()
                .any(|t| result.contains(&t.name) || result.contains(&t.to_string()));
        if mentions_tenant || result_has_column(client, &function.name, &plan.tenant_column).await {
            relations.push(TenantRelation {
                name: function.name.clone(),
                kind: RelationKind::Function,
                tenant_column: plan.tenant_column.clone(),
                table: None,
            });
        }
    }
    Ok(relations)
}

/// Whether the function's result rows have the column (asks the planner, runs nothing).
async fn result_has_column(client: &Client, function: &QualifiedName, column: &str) -> bool {
    let sql = format!(
        "select count(*) from pg_catalog.pg_proc p, pg_catalog.unnest(p.proargnames, p.proargmodes) a(n, m) \
         where p.oid = {}::regprocedure and a.m in ('o', 't') and a.n = {}",
        crate::sql::quote_literal(&format!("{}()", function.sql())),
        crate::sql::quote_literal(column)
    );
    match client.query_one(&sql, &[]).await {
        Ok(row) => row.get::<_, i64>(0) > 0,
        Err(_) => false,
    }
}
