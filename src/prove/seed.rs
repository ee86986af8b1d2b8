//! Seeding: valid rows for tenants A and B, written as the connecting role.
//! NOT NULL columns get values of their type, simple `IN (...)` CHECKs their
//! first value, foreign keys a parent of the same tenant (created first), and
//! identity, generated and defaulted columns are left to PostgreSQL. A
//! `sample = {...}` row from the table's TOML is the starting point when given.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;

use serde_json::{Map, Value};
use tokio_postgres::Client;

use super::session::{self, Failure};
use crate::catalog::{Catalog, ConstraintKind, Table};
use crate::sql::{QualifiedName, quote_ident, quote_literal};

/// A row as JSON (`to_jsonb(row)`).
pub type Row = Map<String, Value>;

/// Rows written for the proof and the SQL that wrote them.
#[derive(Debug, Default)]
pub struct Seeds {
    /// One row per (table, tenant value).
    pub rows: HashMap<(QualifiedName, String), Row>,
    /// Tables that could not be seeded, and why.
    pub problems: HashMap<QualifiedName, String>,
    /// Every seeding statement, for repro scripts.
    pub script: Vec<String>,
}

/// Writes rows; remembers the user ids, whose rows foreign keys prefer.
pub struct Seeder<'a> {
    client: &'a Client,
    catalog: &'a Catalog,
    tenant_columns: &'a HashMap<QualifiedName, String>,
    samples: &'a HashMap<QualifiedName, Row>,
    users: HashMap<String, String>,
    /// The seeding statements run so far.
    pub script: Vec<String>,
}

type Boxed<'b, T> = Pin<Box<dyn Future<Output = T> + 'b>>;

impl<'a> Seeder<'a> {
    /// A seeder over `catalog`; `users` maps tenant value → that tenant's user id.
    pub fn new(
        client: &'a Client,
        catalog: &'a Catalog,
        tenant_columns: &'a HashMap<QualifiedName, String>,
        samples: &'a HashMap<QualifiedName, Row>,
        users: HashMap<String, String>,
    ) -> Self {
        Seeder {
            client,
            catalog,
            tenant_columns,
            samples,
            users,
            script: Vec::new(),
        }
    }

    /// A row of `table` for `tenant`: an existing one, or a new one.
    pub async fn tenant_row(&mut self, table: &QualifiedName, tenant: &str) -> Result<Row, String> {
        let column = self.tenant_columns.get(table).cloned().unwrap_or_default();
        let mut fixed = Row::new();
        fixed.insert(column, Value::String(tenant.to_string()));
        self.ensure(table.clone(), fixed, Some(tenant.to_string()), 0, false)
            .await
    }

    /// A new row of `table` (never an existing one) with `fixed` values, for `tenant`.
    pub async fn new_row(
        &mut self,
        table: &QualifiedName,
        fixed: Row,
        tenant: &str,
    ) -> Result<Row, String> {
        self.ensure(table.clone(), fixed, Some(tenant.to_string()), 0, true)
            .await
    }

    /// A row of `table` that makes `user` a member of `tenant`: foreign keys point at
    /// the user's row or at a row tied to the tenant; other uuid columns get the
    /// user (user-like names) or the tenant. `None` when a parent cannot be found.
    pub async fn self_grant_row(&self, table: &Table, tenant: &str, user: &str) -> Option<Row> {
        let mut values = Row::new();
        for constraint in &table.constraints {
            let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                continue;
            };
            let mut by_user = Row::new();
            if fk.columns.len() == 1 {
                by_user.insert(fk.columns[0].clone(), Value::String(user.to_string()));
            }
            let parent = match self
                .lookup(&fk.table, &by_user)
                .await
                .filter(|_| !by_user.is_empty())
            {
                Some(p) => p,
                None => self.lookup_tied(&fk.table, tenant).await?,
            };
            for (c, r) in constraint.columns.iter().zip(&fk.columns) {
                values.insert(c.clone(), parent.get(r)?.clone());
            }
        }
        for column in &table.columns {
            if values.contains_key(&column.name)
                || column.identity.is_some()
                || column.generated.is_some()
            {
                continue;
            }
            if column.data_type == "uuid" && column.default.is_none() {
                let v = if is_user_column(&column.name, None) {
                    user
                } else {
                    tenant
                };
                values.insert(column.name.clone(), Value::String(v.to_string()));
            } else if column.not_null && column.default.is_none() {
                values.insert(
                    column.name.clone(),
                    self.generate(table, &column.name, &column.data_type)
                        .await?,
                );
            }
        }
        Some(values)
    }

    /// A row of `name` with some column equal to `tenant` (the tenant's own row).
    async fn lookup_tied(&self, name: &QualifiedName, tenant: &str) -> Option<Row> {
        let sql = format!(
            "savepoint look; select to_jsonb(r)::text from {} r where exists (select 1 from jsonb_each_text(to_jsonb(r)) e where e.value = {}) limit 1; release savepoint look",
            name.sql(),
            quote_literal(tenant)
        );
        match session::run_all(self.client, &sql).await {
            Ok(done) => parse_row(session::column(&done).first()).ok(),
            Err(_) => {
                let _ = session::run_all(
                    self.client,
                    "rollback to savepoint look; release savepoint look",
                )
                .await;
                None
            }
        }
    }

    /// Takes the statements written since the last call.
    pub fn take_script(&mut self) -> Vec<String> {
        std::mem::take(&mut self.script)
    }

    /// A fresh value for column `column` of `table` (for new unique keys).
    pub async fn fresh_value(&self, table: &Table, column: &str) -> Option<Value> {
        let col = table.column(column)?;
        self.generate(table, &col.name, &col.data_type).await
    }

    fn ensure(
        &mut self,
        name: QualifiedName,
        fixed: Row,
        tenant: Option<String>,
        depth: usize,
        fresh: bool,
    ) -> Boxed<'_, Result<Row, String>> {
        Box::pin(async move {
            if depth > 8 {
                return Err(format!("foreign keys from {name} nest too deep"));
            }
            if !fresh
                && (!fixed.is_empty() || self.catalog.table(&name).is_none())
                && let Some(row) = self.lookup(&name, &fixed).await
            {
                return Ok(row);
            }
            let Some(table) = self.catalog.table(&name) else {
                return Err(format!(
                    "{name} is outside the scanned schemas and has no row to reference"
                ));
            };
            let mut values = self.samples.get(&name).cloned().unwrap_or_default();
            for (k, v) in &fixed {
                values.insert(k.clone(), v.clone());
            }
            let tenant_column = self.tenant_columns.get(&name).cloned();
            if let (Some(col), Some(t)) = (&tenant_column, &tenant) {
                values
                    .entry(col.clone())
                    .or_insert_with(|| Value::String(t.clone()));
            }
            let user = tenant.as_ref().and_then(|t| self.users.get(t)).cloned();
            for constraint in &table.constraints {
                let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                    continue;
                };
                if fk.table == name {
                    continue;
                }
                let set: Vec<bool> = constraint
                    .columns
                    .iter()
                    .map(|c| values.contains_key(c))
                    .collect();
                let nullable = constraint
                    .columns
                    .iter()
                    .all(|c| table.column(c).is_some_and(|c| !c.not_null));
                let mut parent_fixed = Row::new();
                for (c, r) in constraint.columns.iter().zip(&fk.columns) {
                    if let Some(v) = values.get(c) {
                        parent_fixed.insert(r.clone(), v.clone());
                    }
                }
                if parent_fixed.is_empty()
                    && fk.columns.len() == 1
                    && let Some(u) = &user
                {
                    // Prefer the user's own row (`owner_id` → users): policies keyed on the
                    // user are then exercised by the copies the probes write.
                    let mut by_user = Row::new();
                    by_user.insert(fk.columns[0].clone(), Value::String(u.clone()));
                    if let Some(v) = self
                        .lookup(&fk.table, &by_user)
                        .await
                        .and_then(|row| row.get(&fk.columns[0]).cloned())
                    {
                        values.insert(constraint.columns[0].clone(), v);
                        continue;
                    }
                }
                if set.iter().all(|s| !s) && nullable {
                    continue;
                }
                let parent = self
                    .ensure(
                        fk.table.clone(),
                        parent_fixed,
                        tenant.clone(),
                        depth + 1,
                        false,
                    )
                    .await?;
                for (c, r) in constraint.columns.iter().zip(&fk.columns) {
                    if let Some(v) = parent.get(r) {
                        values.insert(c.clone(), v.clone());
                    }
                }
            }
            for column in &table.columns {
                if values.contains_key(&column.name)
                    || column.identity.is_some()
                    || column.generated.is_some()
                {
                    continue;
                }
                let is_fk = table.constraints.iter().any(|c| {
                    matches!(c.kind, ConstraintKind::ForeignKey(_))
                        && c.columns.contains(&column.name)
                });
                if !is_fk
                    && column.data_type == "uuid"
                    && is_user_column(&column.name, column.default.as_deref())
                    && let Some(u) = &user
                {
                    values.insert(column.name.clone(), Value::String(u.clone()));
                    continue;
                }
                // A domain may be NOT NULL where the column is not: fill those too.
                let needed = column.not_null || scalar(&column.data_type).is_none();
                if needed && column.default.is_none() {
                    match self.generate(table, &column.name, &column.data_type).await {
                        Some(v) => {
                            values.insert(column.name.clone(), v);
                        }
                        None => {
                            return Err(format!(
                                "no value for {name}.{} of type {}",
                                quote_ident(&column.name),
                                column.data_type
                            ));
                        }
                    }
                }
            }
            values.retain(|k, _| {
                table.column(k).is_some_and(|c| {
                    c.generated.is_none() && c.identity != Some(crate::catalog::Identity::Always)
                })
            });
            let sql = insert_sql(&name, &values, "r", "returning to_jsonb(r)::text");
            self.script
                .push(format!("{};", insert_sql(&name, &values, "r", "")));
            match session::run_all(
                self.client,
                &format!("savepoint seed; {sql}; release savepoint seed"),
            )
            .await
            {
                Ok(done) => parse_row(session::column(&done).first()),
                Err(Failure { code, message }) => {
                    self.script.pop();
                    let _ = session::run_all(
                        self.client,
                        "rollback to savepoint seed; release savepoint seed",
                    )
                    .await;
                    Err(format!("{message} (SQLSTATE {code})"))
                }
            }
        })
    }

    async fn lookup(&self, name: &QualifiedName, fixed: &Row) -> Option<Row> {
        let mut filter: Vec<String> = fixed
            .iter()
            .map(|(k, v)| {
                format!(
                    "(to_jsonb(r) ->> {}) = {}",
                    quote_literal(k),
                    quote_literal(&text(v))
                )
            })
            .collect();
        if filter.is_empty() {
            filter.push("true".into());
        }
        let sql = format!(
            "select to_jsonb(r)::text from {} r where {} limit 1",
            name.sql(),
            filter.join(" and ")
        );
        let done = session::run_all(
            self.client,
            &format!("savepoint look; {sql}; release savepoint look"),
        )
        .await;
        match done {
            Ok(done) => parse_row(session::column(&done).first()).ok(),
            Err(_) => {
                let _ = session::run_all(
                    self.client,
                    "rollback to savepoint look; release savepoint look",
                )
                .await;
                None
            }
        }
    }

    async fn generate(&self, table: &Table, column: &str, data_type: &str) -> Option<Value> {
        if let Some(v) = check_choice(table, column) {
            return Some(Value::String(v));
        }
        if let Some(v) = scalar(data_type) {
            return Some(v);
        }
        // An enum (its first label) or a domain (a value of its base type).
        let sql = format!(
            "savepoint gen; select (select e.enumlabel::text from pg_catalog.pg_enum e where e.enumtypid = t.oid \
             order by e.enumsortorder limit 1), pg_catalog.format_type(t.typbasetype, t.typtypmod) \
             from pg_catalog.pg_type t where t.oid = {}::regtype; release savepoint gen",
            quote_literal(data_type)
        );
        match session::run_all(self.client, &sql).await {
            Ok(done) => {
                let row = done.rows.first()?;
                if let Some(label) = row.get(0) {
                    return Some(Value::String(label.to_string()));
                }
                row.get(1).and_then(scalar)
            }
            Err(_) => {
                let _ = session::run_all(
                    self.client,
                    "rollback to savepoint gen; release savepoint gen",
                )
                .await;
                None
            }
        }
    }
}

/// A fresh value of a built-in type as `format_type` prints it, as JSON.
fn scalar(data_type: &str) -> Option<Value> {
    let id = uuid::Uuid::new_v4();
    let n = (id.as_u128() % 30_000) as u64 + 1;
    let hex = id.simple().to_string();
    let base = data_type.split('(').next().unwrap_or(data_type).trim();
    let limit = data_type.split('(').nth(1).and_then(|s| {
        s.trim_end_matches(')')
            .split(',')
            .next()?
            .trim()
            .parse::<usize>()
            .ok()
    });
    let value = match base {
        "uuid" => Value::String(id.to_string()),
        "text" | "citext" | "name" | "character varying" | "character" => match limit {
            Some(l) => Value::String(hex.chars().take(l).collect()),
            None => Value::String(format!("r{}@rlsctl.test", &hex[..10])),
        },
        "integer" | "bigint" | "smallint" | "real" | "double precision" => Value::from(n),
        // numeric(p, s): stay below 10^(p-s).
        "numeric" if limit.is_some() => Value::from(1 + n % 9),
        "numeric" => Value::from(n),
        "boolean" => Value::Bool(false),
        "date" => Value::String("2024-01-02".into()),
        "timestamp with time zone" | "timestamp without time zone" => {
            Value::String("2024-01-02T03:04:05+00:00".into())
        }
        "time without time zone" | "time with time zone" => Value::String("12:00:00".into()),
        "interval" => Value::String("1 day".into()),
        "json" | "jsonb" => Value::Object(Map::new()),
        "inet" | "cidr" => Value::String("10.0.0.1".into()),
        "bytea" => Value::String("\\x00".into()),
        _ if data_type.ends_with("[]") => Value::Array(Vec::new()),
        _ => return None,
    };
    Some(value)
}

/// Seeds every tenant table for each tenant; tables that fail are listed with the reason.
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
            match seeder.tenant_row(table, tenant).await {
                Ok(row) => {
                    seeds.rows.insert((table.clone(), tenant.clone()), row);
                }
                Err(why) => {
                    failed.insert(table.clone());
                    let advice = advice(&why);
                    seeds.problems.insert(
                        table.clone(),
                        format!("cannot seed {table}: {why}; {advice}"),
                    );
                }
            }
        }
    }
    seeds.script = std::mem::take(&mut seeder.script);
    seeds
}

/// What to do about a seeding failure. A refused privilege (SQLSTATE 42501, e.g.
/// `permission denied for schema app`) is the connecting role's, which no
/// sample row can fix; anything else is a row the generator could not invent.
fn advice(why: &str) -> &'static str {
    if why.contains("(SQLSTATE 42501)") {
        "the connecting role lacks a privilege (no sample helps): connect as the tables' owner or a superuser, or grant that role USAGE on the schema and INSERT on the table"
    } else {
        "add a valid row as `sample = { ... }` to the table's TOML"
    }
}

/// `insert into T as alias (cols) select cols from jsonb_populate_record(null::T, json) <tail>`.
pub fn insert_sql(name: &QualifiedName, values: &Row, alias: &str, tail: &str) -> String {
    let cols: Vec<String> = values.keys().map(|k| quote_ident(k)).collect();
    if cols.is_empty() {
        return format!(
            "insert into {} as {alias} default values {tail}",
            name.sql()
        );
    }
    let list = cols.join(", ");
    format!(
        "insert into {} as {alias} ({list}) select {list} from jsonb_populate_record(null::{}, {}::jsonb) {tail}",
        name.sql(),
        name.sql(),
        quote_literal(&Value::Object(values.clone()).to_string())
    )
    .trim_end()
    .to_string()
}

fn parse_row(text: Option<&String>) -> Result<Row, String> {
    match text.map(|t| serde_json::from_str::<Value>(t)) {
        Some(Ok(Value::Object(row))) => Ok(row),
        _ => Err("the insert returned no row".into()),
    }
}

/// Columns that name the acting user (`user_id`, `owner_id`, `default auth.uid()`).
pub fn is_user_column(name: &str, default: Option<&str>) -> bool {
    let d = default.unwrap_or("");
    d.contains("auth.uid()")
        || d.contains("current_user_id")
        || matches!(
            name,
            "user_id" | "owner_id" | "author_id" | "created_by" | "profile_id"
        )
}

/// The first value of a `col = ANY (ARRAY['a'::text, ...])` or `col = 'a'` CHECK on `column`.
fn check_choice(table: &Table, column: &str) -> Option<String> {
    table.constraints.iter().find_map(|c| {
        if c.kind != ConstraintKind::Check || c.columns != [column.to_string()] {
            return None;
        }
        let def = &c.definition;
        let at = def.find("= ANY (ARRAY[").or_else(|| def.find(" = '"))?;
        let rest = &def[at..];
        let start = rest.find('\'')? + 1;
        let end = rest[start..].find('\'')? + start;
        Some(rest[start..end].to_string())
    })
}

/// A JSON value as PostgreSQL's `->>` prints it.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Column lists of the unique indexes (primary key included) on plain columns.
pub fn unique_keys(table: &Table) -> Vec<Vec<String>> {
    table
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
        .filter_map(|i| {
            i.keys
                .iter()
                .map(|k| match &k.part {
                    crate::catalog::IndexPart::Column(c) => Some(c.clone()),
                    crate::catalog::IndexPart::Expression(_) => None,
                })
                .collect::<Option<Vec<String>>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_fit_their_type_modifiers() {
        assert_eq!(
            scalar("character(2)").and_then(|v| v.as_str().map(str::len)),
            Some(2)
        );
        assert_eq!(
            scalar("character varying(3)").and_then(|v| v.as_str().map(str::len)),
            Some(3)
        );
        assert!(
            scalar("numeric(5,2)")
                .and_then(|v| v.as_u64())
                .is_some_and(|n| n < 10)
        );
        assert!(
            scalar("text")
                .and_then(|v| v.as_str().map(|s| s.contains('@')))
                .unwrap_or(false)
        );
        assert_eq!(scalar("text[]"), Some(Value::Array(Vec::new())));
        assert_eq!(
            scalar("app.mood"),
            None,
            "enums and domains are asked of PostgreSQL"
        );
    }

    #[test]
    fn insert_sql_quotes_names_and_values() {
        let mut row = Row::new();
        row.insert("Name".into(), Value::String("o'brien".into()));
        let sql = insert_sql(&QualifiedName::new("app", "t"), &row, "r", "");
        assert_eq!(
            sql,
            r#"insert into app.t as r ("Name") select "Name" from jsonb_populate_record(null::app.t, '{"Name":"o''brien"}'::jsonb)"#
        );
    }

    #[test]
    fn user_columns_are_recognised_by_name_or_default() {
        assert!(is_user_column("owner_id", None));
        assert!(is_user_column("created", Some("auth.uid()")));
        assert!(!is_user_column("id", Some("gen_random_uuid()")));
    }
}
