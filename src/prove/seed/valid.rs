//! What PostgreSQL accepts for each column of a table: the conjuncts of its
//! CHECKs, of its columns' domains and of its partition bound (for a
//! partitioned table, the bound of one of its leaves), and the candidates that
//! pass all of them, judged by PostgreSQL in one query per column.

use std::collections::HashMap;

use tokio_postgres::Client;

use super::candidates::{ColumnType, candidates};
use super::constraints::{Conjunct, conjuncts};
use crate::catalog::{ConstraintKind, Table};
use crate::prove::session;
use crate::sql::{quote_ident, quote_literal};

/// What rules one column.
#[derive(Debug, Clone, Default)]
pub struct ColumnRules {
    /// Its type (a domain's base type).
    pub ty: ColumnType,
    /// Single-column conjuncts of its checks, domain and partition bound.
    pub conjuncts: Vec<Conjunct>,
    /// Whether its type is a domain.
    pub domain: bool,
    /// Whether the partition bound reads it: it must be set even when it has a default.
    pub partition_key: bool,
}

impl ColumnRules {
    /// Whether PostgreSQL must pick its value (a plain built-in type with no
    /// rule takes a value of its type without asking).
    pub fn needs_asking(&self) -> bool {
        !self.conjuncts.is_empty()
            || self.domain
            || !self.ty.labels.is_empty()
            || self.ty.element.is_some()
    }
}

/// Reads the rules of every column of `table` (two queries).
pub async fn table_rules(client: &Client, table: &Table) -> HashMap<String, ColumnRules> {
    let rel = quote_literal(&table.name.sql());
    let sql = format!(
        "savepoint rules; \
         select a.attname::text, \
           pg_catalog.format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), \
             case when t.typbasetype <> 0 then t.typtypmod else a.atttypmod end), \
           (select string_agg(pg_catalog.pg_get_constraintdef(c.oid), E'\\x1f') from pg_catalog.pg_constraint c \
             where c.contypid = t.oid and c.contype = 'c'), \
           (select string_agg(e.enumlabel::text, E'\\x1f' order by e.enumsortorder) from pg_catalog.pg_enum e \
             where e.enumtypid = coalesce(nullif(t.typbasetype, 0), a.atttypid)), \
           (select pg_catalog.format_type(b.typelem, null) from pg_catalog.pg_type b \
             where b.oid = coalesce(nullif(t.typbasetype, 0), a.atttypid) and b.typcategory = 'A' and b.typelem <> 0), \
           (t.typbasetype <> 0)::text \
         from pg_catalog.pg_attribute a join pg_catalog.pg_type t on t.oid = a.atttypid \
         where a.attrelid = {rel}::regclass and a.attnum > 0 and not a.attisdropped; \
         select pg_catalog.pg_get_partition_constraintdef(coalesce((select p.relid from pg_catalog.pg_partition_tree({rel}::regclass) p \
             join pg_catalog.pg_class c on c.oid = p.relid \
             where p.isleaf and p.relid <> {rel}::regclass \
             order by pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', p.level limit 1), {rel}::regclass)); \
         release savepoint rules"
    );
    let mut rules: HashMap<String, ColumnRules> = HashMap::new();
    let done = match session::run_all(client, &sql).await {
        Ok(done) => done,
        Err(_) => {
            let _ = session::run_all(
                client,
                "rollback to savepoint rules; release savepoint rules",
            )
            .await;
            return rules;
        }
    };
    let split = |s: Option<&str>| -> Vec<String> {
        s.map(|s| s.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default()
    };
    let mut partition: Option<String> = None;
    for row in &done.rows {
        if row.len() == 1 {
            partition = row.get(0).map(str::to_string);
            continue;
        }
        let Some(name) = row.get(0) else { continue };
        let mut column = ColumnRules {
            ty: ColumnType {
                base: row.get(1).unwrap_or("text").to_string(),
                labels: split(row.get(3)),
                element: row.get(4).map(str::to_string),
            },
            domain: row.get(5) == Some("true"),
            ..ColumnRules::default()
        };
        for check in split(row.get(2)) {
            column.conjuncts.extend(conjuncts(&check));
        }
        rules.insert(name.to_string(), column);
    }
    for constraint in &table.constraints {
        if constraint.kind == ConstraintKind::Check {
            for c in conjuncts(&constraint.definition) {
                if let Some(column) = rules.get_mut(&c.column) {
                    column.conjuncts.push(c);
                }
            }
        }
    }
    if let Some(bound) = partition {
        for c in conjuncts(&bound) {
            if let Some(column) = rules.get_mut(&c.column) {
                column.partition_key = true;
                column.conjuncts.push(c);
            }
        }
    }
    rules
}

/// Values (as text) of `column` that pass every conjunct of `rules`, in candidate order.
pub async fn valid_values(client: &Client, column: &str, rules: &ColumnRules) -> Vec<String> {
    let all = candidates(&rules.ty, &rules.conjuncts);
    if all.is_empty() {
        return Vec::new();
    }
    let c = quote_ident(column);
    let value_alias = if column == "value" {
        String::new()
    } else {
        ", c.v as value".to_string()
    };
    let filter: Vec<String> = rules
        .conjuncts
        .iter()
        .map(|k| format!("({}) is not false", k.sql))
        .collect();
    let filter = if filter.is_empty() {
        "true".to_string()
    } else {
        filter.join(" and ")
    };
    let query = |list: &[String]| {
        let rows: Vec<String> = list
            .iter()
            .enumerate()
            .map(|(i, e)| format!("({e}, {i})"))
            .collect();
        format!(
            "savepoint pick; select s.{c}::text from (select c.v as {c}{value_alias}, c.i from (values {}) c(v, i)) s \
             where {filter} order by s.i; release savepoint pick",
            rows.join(", ")
        )
    };
    match session::run_all(client, &query(&all)).await {
        Ok(done) => session::column(&done),
        Err(_) => {
            let _ = session::run_all(client, "rollback to savepoint pick; release savepoint pick")
                .await;
            // One bad candidate (a cast that fails) spoils the batch: judge them one by one.
            let mut ok = Vec::new();
            for one in all.iter().take(32) {
                match session::run_all(client, &query(std::slice::from_ref(one))).await {
                    Ok(done) => ok.extend(session::column(&done)),
                    Err(_) => {
                        let _ = session::run_all(
                            client,
                            "rollback to savepoint pick; release savepoint pick",
                        )
                        .await;
                    }
                }
            }
            ok
        }
    }
}
