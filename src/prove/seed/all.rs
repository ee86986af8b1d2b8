//! Seeding every tenant table: a row per tenant, then the variants, and the
//! advice when a table cannot be seeded.

use std::collections::HashSet;

use serde_json::Value;

use super::{Row, Seeder, Seeds};
use crate::sql::QualifiedName;

/// Seeds every tenant table for each tenant; tables that fail are listed with
/// the reason and what to add where. Then, best effort, a variant of each row
/// with its nullable columns filled, and a shared row where the tenant column
/// allows NULL.
pub async fn seed_all(
    seeder: &mut Seeder<'_>,
    tables: &[QualifiedName],
    tenants: &[String],
) -> Seeds {
    let mut seeds = Seeds::default();
    let mut failed: HashSet<QualifiedName> = HashSet::new();
    for table in tables {
        for tenant in tenants {
            if failed.contains(table) {
                continue;
            }
            seeder.failed_at = None;
            match seeder.tenant_row(table, tenant).await {
                Ok(row) => {
                    seeds.rows.insert((table.clone(), tenant.clone()), row);
                }
                Err(why) => {
                    failed.insert(table.clone());
                    let at = seeder.failed_at.take().unwrap_or_else(|| table.clone());
                    let advice = seeder.advice(&why, &at);
                    seeds.problems.insert(
                        table.clone(),
                        format!("cannot seed {table}: {why}; {advice}"),
                    );
                }
            }
        }
    }
    for table in tables.iter().filter(|t| !failed.contains(*t)) {
        let column = seeder
            .tenant_columns
            .get(table)
            .cloned()
            .unwrap_or_default();
        // A variant differs only where a nullable column is left empty.
        let fillable = seeder.catalog.table(table).is_some_and(|t| {
            t.columns.iter().any(|c| {
                !c.not_null
                    && c.default.is_none()
                    && c.identity.is_none()
                    && c.generated.is_none()
                    && c.name != column
            })
        });
        for tenant in tenants.iter().filter(|_| fillable) {
            let column = column.clone();
            let mut fixed = Row::new();
            fixed.insert(column, Value::String(tenant.clone()));
            if let Ok(row) = seeder
                .ensure_with(table.clone(), fixed, Some(tenant.clone()), 0, true, true)
                .await
            {
                seeds
                    .variants
                    .push((table.clone(), Some(tenant.clone()), row));
            }
        }
        let shared = seeder.catalog.table(table).is_some_and(|t| {
            seeder
                .tenant_columns
                .get(table)
                .and_then(|c| t.column(c))
                .is_some_and(|c| !c.not_null)
        });
        if shared
            && let Ok(row) = seeder
                .ensure_with(table.clone(), Row::new(), None, 0, true, false)
                .await
        {
            seeds.variants.push((table.clone(), None, row));
        }
    }
    seeds.script = std::mem::take(&mut seeder.script);
    seeds
}

impl Seeder<'_> {
    /// What to do about a seeding failure at table `at`. A refused privilege
    /// (SQLSTATE 42501, e.g. `permission denied for schema app`) is the
    /// connecting role's, which no sample row can fix; anything else is a row
    /// that could not be made: a sample in the table's TOML when the project
    /// declares it, else in rlsctl.toml.
    fn advice(&self, why: &str, at: &QualifiedName) -> String {
        if why.contains("(SQLSTATE 42501)") {
            "the connecting role lacks a privilege (no sample helps): connect as the tables' owner or a superuser, or grant that role USAGE on the schema and INSERT on the table".into()
        } else if self.declared.contains(at) {
            format!(
                "add a valid row of {at} as `sample = {{ column = value, ... }}` to its table's TOML"
            )
        } else {
            format!(
                "add a valid row of {at} to rlsctl.toml as `[samples.\"{}.{}\"]` with `column = value` lines",
                at.schema, at.name
            )
        }
    }
}
