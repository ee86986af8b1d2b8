//! Ground truth: the rows of the tenants under test, read as the connecting
//! role after `RESET ROLE` in the same transaction, keyed by physical row
//! version (`tableoid`, `ctid`) so that an update, move or delete shows even
//! when the probe statement reported nothing.

use std::collections::HashMap;

use tokio_postgres::Client;

use super::discover::TenantRelation;
use super::session::{self, Failure};
use crate::sql::{quote_ident, quote_literal};

/// Row version → (tenant value, row as JSON text).
pub type Snapshot = HashMap<String, (String, String)>;

/// The query that reads the rows of `tenants` and the shared rows (tenant NULL) in `relation`.
pub fn snapshot_sql(relation: &TenantRelation, tenants: &[String]) -> String {
    let values: Vec<String> = tenants.iter().map(|t| quote_literal(t)).collect();
    format!(
        "select r.tableoid::text || ':' || r.ctid::text, coalesce(r.{col}::text, ''), to_jsonb(r)::text from {rel} r where r.{col}::text in ({values}) or r.{col} is null",
        col = quote_ident(&relation.tenant_column),
        rel = relation.name.sql(),
        values = values.join(", ")
    )
}

/// Reads a snapshot with `sql` (from [`snapshot_sql`]).
pub async fn snapshot(client: &Client, sql: &str) -> Result<Snapshot, Failure> {
    let done = session::run(client, sql).await?;
    Ok(snapshot_rows(&done))
}

/// The snapshot in the rows of a [`snapshot_sql`] query.
pub fn snapshot_rows(done: &session::Done) -> Snapshot {
    done.rows
        .iter()
        .filter_map(|r| {
            Some((
                r.get(0)?.to_string(),
                (r.get(1)?.to_string(), r.get(2)?.to_string()),
            ))
        })
        .collect()
}

/// Rows of the `foreign` tenants, and shared rows (tenant NULL, read as `''`),
/// that were written, moved in, or removed between `before` and `after` (as
/// JSON text, the newer version when there is one).
pub fn changed(before: &Snapshot, after: &Snapshot, foreign: &[String]) -> Vec<String> {
    let is_foreign = |t: &String| t.is_empty() || foreign.contains(t);
    let mut rows: Vec<String> = after
        .iter()
        .filter(|(k, (t, _))| is_foreign(t) && !before.contains_key(*k))
        .map(|(_, (_, json))| json.clone())
        .collect();
    rows.extend(
        before
            .iter()
            .filter(|(k, (t, _))| is_foreign(t) && !after.contains_key(*k))
            .map(|(_, (_, json))| format!("(gone) {json}")),
    );
    rows.sort();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(rows: &[(&str, &str, &str)]) -> Snapshot {
        rows.iter()
            .map(|(k, t, j)| (k.to_string(), (t.to_string(), j.to_string())))
            .collect()
    }

    #[test]
    fn shared_rows_written_or_removed_are_changed() {
        let before = snap(&[("1:(0,1)", "", "{\"s\":1}"), ("1:(0,2)", "a", "{\"a\":1}")]);
        let after = snap(&[("1:(0,3)", "", "{\"s\":2}"), ("1:(0,4)", "a", "{\"a\":2}")]);
        let foreign = vec!["b".to_string()];
        assert_eq!(
            changed(&before, &after, &foreign),
            vec!["(gone) {\"s\":1}".to_string(), "{\"s\":2}".to_string()]
        );
    }

    #[test]
    fn own_rows_changed_are_not_foreign() {
        let before = snap(&[("1:(0,2)", "a", "{\"a\":1}")]);
        let after = snap(&[("1:(0,4)", "a", "{\"a\":2}")]);
        assert!(changed(&before, &after, &["b".to_string()]).is_empty());
    }

    #[test]
    fn snapshot_reads_shared_rows() {
        let relation = TenantRelation {
            name: crate::sql::QualifiedName::new("app", "Doc"),
            kind: crate::prove::discover::RelationKind::Table,
            tenant_column: "Org".into(),
            table: None,
        };
        let sql = snapshot_sql(&relation, &["a".into(), "b'".into()]);
        assert!(sql.contains("coalesce(r.\"Org\"::text, '')"), "{sql}");
        assert!(
            sql.ends_with(
                "from app.\"Doc\" r where r.\"Org\"::text in ('a', 'b''') or r.\"Org\" is null"
            ),
            "{sql}"
        );
    }
}
