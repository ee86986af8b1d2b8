//! Seeding: valid rows for tenants A and B, written as the connecting role.
//! A row starts from a `sample` (the table's TOML or `[samples."s.t"]`), else
//! from a row the table already holds, of which only the keys change (so its
//! CHECKs, triggers and domains are met by construction); else it is made up.
//! Values that must be invented are drawn from what PostgreSQL accepts for
//! the column (`valid`: CHECK regexes, IN lists and ranges, domains, enums,
//! arrays, partition bounds). Foreign keys get a parent of the same tenant
//! (created first), columns the policies compare with the caller get the
//! tenant's user, and a table whose triggers read the request context is
//! written with the user's context set. Identity, generated and defaulted
//! columns are left to PostgreSQL. A failed insert that a new draw can fix (a
//! check, unique or partition violation) is tried again with new values.

mod candidates;
mod caller;
mod constraints;
mod valid;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

pub use caller::CallerWords;
use rand::RngExt;
use valid::ColumnRules;

use serde_json::{Map, Value};
use tokio_postgres::Client;

use super::impersonate::Principal;
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
    /// Extra rows: per table, a variant of each tenant's row with its nullable
    /// columns filled, and a shared row (tenant column NULL) where allowed.
    pub variants: Vec<(QualifiedName, Option<String>, Row)>,
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
    caller: CallerWords,
    /// Per tenant: SQL that sets its user's context, and SQL that empties it again.
    contexts: HashMap<String, (String, String)>,
    /// Tables written with a user's context set (their triggers read the caller).
    pub as_user: Vec<QualifiedName>,
    declared: HashSet<QualifiedName>,
    rules: RefCell<HashMap<QualifiedName, Rc<HashMap<String, ColumnRules>>>>,
    pools: RefCell<HashMap<(QualifiedName, String), Vec<String>>>,
    first: RefCell<HashMap<(QualifiedName, String), Vec<String>>>,
    /// Samples already written once: their key values are drawn afresh after.
    used_samples: HashSet<QualifiedName>,
    /// The table whose row could not be written, for the advice.
    failed_at: Option<QualifiedName>,
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
            caller: CallerWords::default(),
            contexts: HashMap::new(),
            as_user: Vec::new(),
            declared: HashSet::new(),
            rules: RefCell::new(HashMap::new()),
            pools: RefCell::new(HashMap::new()),
            first: RefCell::new(HashMap::new()),
            used_samples: HashSet::new(),
            failed_at: None,
        }
    }

    /// Who the caller is in policies and triggers, and how to become each tenant's
    /// user (`users`: the principals of the proof, by tenant).
    pub fn with_caller(mut self, caller: CallerWords, users: &[&Principal]) -> Self {
        self.caller = caller;
        for p in users {
            if let Some(t) = &p.tenant {
                self.contexts.insert(t.clone(), context_sql(p));
            }
        }
        self
    }

    /// The tables the project declares (a "cannot seed" says where to add a sample).
    pub fn with_declared(mut self, tables: impl IntoIterator<Item = QualifiedName>) -> Self {
        self.declared.extend(tables);
        self
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
        self.draw(table, &col.name, &col.data_type, Draw::Fresh).await
    }

    fn ensure(
        &mut self,
        name: QualifiedName,
        fixed: Row,
        tenant: Option<String>,
        depth: usize,
        fresh: bool,
    ) -> Boxed<'_, Result<Row, String>> {
        self.ensure_with(name, fixed, tenant, depth, fresh, false)
    }

    fn ensure_with(
        &mut self,
        name: QualifiedName,
        fixed: Row,
        tenant: Option<String>,
        depth: usize,
        fresh: bool,
        fill_nullable: bool,
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
            let rules = self.rules_of(table).await;
            let tenant_column = self.tenant_columns.get(&name).cloned();
            // The starting row: a sample, else a row the table already holds.
            let (template, from_sample) = match self.samples.get(&name) {
                Some(sample) => (sample.clone(), true),
                None => (self.lookup(&name, &Row::new()).await.unwrap_or_default(), false),
            };
            let keys = key_columns(table);
            let caller_columns = self.caller.compared_columns(table);
            let keep_sample_keys = from_sample && self.used_samples.insert(name.clone());
            let mut regenerate: Vec<String> = Vec::new();
            let mut values = Row::new();
            for (k, v) in &template {
                let Some(column) = table.column(k) else {
                    continue;
                };
                if v.is_null() && !from_sample {
                    continue;
                }
                if column.generated.is_some() || column.identity.is_some() {
                    continue;
                }
                if keys.contains(k) && !keep_sample_keys {
                    if column.default.is_none() {
                        regenerate.push(k.clone());
                    }
                    continue;
                }
                // Who the row belongs to is the new tenant's: its parents and its user.
                if !from_sample
                    && (self.refers_to_tenant_rows(table, k, tenant_column.as_deref())
                        || is_user_column(k, column.default.as_deref())
                        || caller_columns.contains(k))
                {
                    continue;
                }
                values.insert(k.clone(), v.clone());
            }
            for (k, v) in &fixed {
                values.insert(k.clone(), v.clone());
            }
            if let Some(col) = &tenant_column {
                match &tenant {
                    Some(t) => {
                        values.insert(col.clone(), Value::String(t.clone()));
                    }
                    None => {
                        values.insert(col.clone(), Value::Null);
                    }
                }
            }
            let user = tenant.as_ref().and_then(|t| self.users.get(t)).cloned();
            // Columns a policy compares with the caller point at the tenant's user.
            if let Some(u) = &user {
                // A key equal to the user is the user's own row (the setup's, or a parent
                // found by the foreign keys): never made here.
                for column in caller_columns.iter().cloned() {
                    if !fixed.contains_key(&column)
                        && Some(&column) != tenant_column.as_ref()
                        && !keys.contains(&column)
                    {
                        values.insert(column, Value::String(u.clone()));
                    }
                }
            }
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
                    .map(|c| values.get(c).is_some_and(|v| !v.is_null()))
                    .collect();
                let nullable = constraint
                    .columns
                    .iter()
                    .all(|c| table.column(c).is_some_and(|c| !c.not_null));
                let mut parent_fixed = Row::new();
                for (c, r) in constraint.columns.iter().zip(&fk.columns) {
                    if let Some(v) = values.get(c).filter(|v| !v.is_null()) {
                        parent_fixed.insert(r.clone(), v.clone());
                    }
                }
                if set.iter().any(|s| !s)
                    && constraint.columns.iter().any(|c| values.get(c).is_some_and(Value::is_null))
                {
                    // A shared row: its tenant foreign key stays NULL.
                    continue;
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
                if set.iter().all(|s| !s) && nullable && !fill_nullable {
                    continue;
                }
                let parent = match self
                    .ensure(fk.table.clone(), parent_fixed, tenant.clone(), depth + 1, false)
                    .await
                {
                    Ok(parent) => parent,
                    Err(why) if nullable && set.iter().all(|s| !s) => {
                        let _ = why;
                        continue;
                    }
                    Err(why) => return Err(why),
                };
                for (c, r) in constraint.columns.iter().zip(&fk.columns) {
                    if let Some(v) = parent.get(r) {
                        values.insert(c.clone(), v.clone());
                    }
                }
            }
            let with_context_first = tenant.as_ref().is_some_and(|t| self.contexts.contains_key(t))
                && self.caller.triggers_read_context(table, &self.catalog.functions);
            let mut with_context = with_context_first;
            let mut last = String::new();
            for attempt in 0..5 {
                let mut row = values.clone();
                for column in &table.columns {
                    if row.contains_key(&column.name)
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
                        row.insert(column.name.clone(), Value::String(u.clone()));
                        continue;
                    }
                    let ruled = rules.get(&column.name);
                    let partition_key = ruled.is_some_and(|r| r.partition_key);
                    // A domain may be NOT NULL where the column is not: fill those too.
                    let needed = (column.not_null || scalar(&column.data_type).is_none())
                        && column.default.is_none();
                    let wanted = regenerate.contains(&column.name)
                        || partition_key
                        || (fill_nullable && !is_fk && column.default.is_none());
                    if !(needed || wanted) {
                        continue;
                    }
                    let previous = template.get(&column.name).filter(|_| attempt == 0);
                    let value = match (ruled.filter(|r| r.needs_asking()), previous) {
                        (None, Some(old)) if regenerate.contains(&column.name) => {
                            Some(mutate(old, &column.data_type))
                        }
                        _ => {
                            let draw = if keys.contains(&column.name) || attempt > 0 {
                                Draw::Fresh
                            } else if fill_nullable {
                                Draw::Second
                            } else {
                                Draw::First
                            };
                            self.draw(table, &column.name, &column.data_type, draw).await
                        }
                    };
                    match value {
                        Some(v) => {
                            row.insert(column.name.clone(), v);
                        }
                        None if needed => {
                            self.failed_at.get_or_insert(name.clone());
                            return Err(format!(
                                "no value for {name}.{} of type {}",
                                quote_ident(&column.name),
                                column.data_type
                            ));
                        }
                        None => {}
                    }
                }
                row.retain(|k, _| {
                    table.column(k).is_some_and(|c| {
                        c.generated.is_none() && c.identity != Some(crate::catalog::Identity::Always)
                    })
                });
                let (set, reset) = match (&tenant, with_context) {
                    (Some(t), true) => self.contexts.get(t).cloned().unwrap_or_default(),
                    _ => (String::new(), String::new()),
                };
                let sql = insert_sql(&name, &row, "r", "returning to_jsonb(r)::text");
                let written = format!("{set}{};{reset}", insert_sql(&name, &row, "r", ""));
                match session::run_all(
                    self.client,
                    &format!("savepoint seed; {set}{sql}; {reset}release savepoint seed"),
                )
                .await
                {
                    Ok(done) => {
                        self.script.push(written);
                        if with_context && !self.as_user.contains(&name) {
                            self.as_user.push(name.clone());
                        }
                        // The RETURNING row: after the settings' row, before the reset's.
                        let json = done
                            .rows
                            .iter()
                            .filter_map(|r| r.get(0))
                            .rfind(|t| t.starts_with('{'))
                            .map(str::to_string);
                        return parse_row(json.as_ref());
                    }
                    Err(Failure { code, message }) => {
                        let _ = session::run_all(
                            self.client,
                            "rollback to savepoint seed; release savepoint seed",
                        )
                        .await;
                        last = format!("{message} (SQLSTATE {code})");
                        let redraw = matches!(
                            code.as_str(),
                            "23514" | "23505" | "23P01" | "22001" | "22003" | "22008"
                        );
                        if !redraw {
                            // A trigger may need the caller: try once as the tenant's user.
                            if with_context
                                || !tenant.as_ref().is_some_and(|t| self.contexts.contains_key(t))
                            {
                                self.failed_at.get_or_insert(name.clone());
                                return Err(last);
                            }
                            with_context = true;
                        }
                    }
                }
            }
            self.failed_at.get_or_insert(name.clone());
            Err(last)
        })
    }

    /// Whether column `k` of `table` points at rows that belong to a tenant
    /// (a foreign key into a tenant table, or one that includes the tenant
    /// column): a copied row must point at its own tenant's parent instead.
    fn refers_to_tenant_rows(&self, table: &Table, k: &str, tenant_column: Option<&str>) -> bool {
        table.constraints.iter().any(|c| match &c.kind {
            ConstraintKind::ForeignKey(fk) => {
                c.columns.iter().any(|x| x == k)
                    && (self.tenant_columns.contains_key(&fk.table)
                        || tenant_column.is_some_and(|t| c.columns.iter().any(|x| x == t)))
            }
            _ => false,
        })
    }

    /// The column rules of `table`, read once.
    async fn rules_of(&self, table: &Table) -> Rc<HashMap<String, ColumnRules>> {
        if let Some(r) = self.rules.borrow().get(&table.name) {
            return r.clone();
        }
        let rules = Rc::new(valid::table_rules(self.client, table).await);
        self.rules
            .borrow_mut()
            .insert(table.name.clone(), rules.clone());
        rules
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
        self.draw(table, column, data_type, Draw::First).await
    }

    /// A value of `column` that PostgreSQL accepts: the first accepted (rows
    /// stay alike from run to run, and a constant's branch of an OR is taken),
    /// the second (variant rows), or a fresh random one (keys).
    async fn draw(&self, table: &Table, column: &str, data_type: &str, draw: Draw) -> Option<Value> {
        let rules = self.rules_of(table).await;
        let Some(ruled) = rules.get(column).filter(|r| r.needs_asking()) else {
            return scalar(data_type);
        };
        let key = (table.name.clone(), column.to_string());
        let empty = self.pools.borrow().get(&key).is_none_or(Vec::is_empty);
        if empty {
            let values = valid::valid_values(self.client, column, ruled).await;
            if values.is_empty() {
                // Nothing drawn passes: the insert then names the constraint.
                return scalar(data_type);
            }
            self.first
                .borrow_mut()
                .entry(key.clone())
                .or_insert_with(|| values.iter().take(2).cloned().collect());
            self.pools.borrow_mut().insert(key.clone(), values);
        }
        if draw != Draw::Fresh {
            let first = self.first.borrow();
            let firsts = first.get(&key)?;
            let at = if draw == Draw::Second { firsts.len() - 1 } else { 0 };
            return firsts.get(at).cloned().map(Value::String);
        }
        let mut pools = self.pools.borrow_mut();
        let pool = pools.get_mut(&key)?;
        // A random one of the accepted values, used once: fresh keys stay fresh.
        let at = rand::rng().random_range(0..pool.len());
        Some(Value::String(pool.swap_remove(at)))
    }
}

/// Which accepted value to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Draw {
    First,
    Second,
    Fresh,
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
        let column = seeder.tenant_columns.get(table).cloned().unwrap_or_default();
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
                seeds.variants.push((table.clone(), Some(tenant.clone()), row));
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
            format!("add a valid row of {at} as `sample = {{ column = value, ... }}` to its table's TOML")
        } else {
            format!(
                "add a valid row of {at} to rlsctl.toml as `[samples.\"{}.{}\"]` with `column = value` lines",
                at.schema, at.name
            )
        }
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

/// Columns whose values must differ between two rows: primary key, unique and
/// exclusion constraints, and unique indexes (also the columns their
/// expressions read: `lower(email)`).
pub fn key_columns(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &table.constraints {
        if matches!(
            c.kind,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
        ) {
            out.extend(c.columns.iter().cloned());
        }
    }
    for index in table.indexes.iter().filter(|i| i.unique) {
        for key in &index.keys {
            match &key.part {
                crate::catalog::IndexPart::Column(c) => out.push(c.clone()),
                crate::catalog::IndexPart::Expression(e) => {
                    if let Ok(parsed) = crate::sql::parse::parse_expression(e) {
                        out.extend(parsed.bare_column_refs());
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A new value shaped like `old`: each letter and digit replaced by another
/// of its kind, so that formats (an e-mail, a code) survive; a uuid anew.
fn mutate(old: &Value, data_type: &str) -> Value {
    let mut rng = rand::rng();
    match old {
        Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => {
            Value::String(uuid::Uuid::new_v4().to_string())
        }
        Value::String(s) => Value::String(
            s.chars()
                .map(|c| {
                    if c.is_ascii_lowercase() {
                        (b'a' + rng.random_range(0..26u8)) as char
                    } else if c.is_ascii_uppercase() {
                        (b'A' + rng.random_range(0..26u8)) as char
                    } else if c.is_ascii_digit() {
                        (b'0' + rng.random_range(0..10u8)) as char
                    } else {
                        c
                    }
                })
                .collect(),
        ),
        Value::Number(_) => scalar(data_type).unwrap_or_else(|| old.clone()),
        other => other.clone(),
    }
}

/// SQL that sets `user`'s request context (settings and claims, not the role),
/// and SQL that sets every one of those settings to `''` again.
pub fn context_sql(user: &Principal) -> (String, String) {
    let mut settings = Principal {
        role: None,
        ..user.clone()
    };
    let set = settings.become_sql();
    let mut names: Vec<String> = settings.settings.iter().map(|(k, _)| k.clone()).collect();
    if let Some(jwt) = &settings.jwt {
        names.push("request.jwt.claims".into());
        if let Ok(Value::Object(claims)) = serde_json::from_str::<Value>(jwt) {
            names.extend(claims.keys().map(|k| format!("request.jwt.claim.{k}")));
        }
    }
    settings.settings = names.into_iter().map(|n| (n, String::new())).collect();
    settings.jwt = None;
    (set, settings.become_sql())
}
