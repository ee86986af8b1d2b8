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

mod all;
mod caller;
mod candidates;
mod constraints;
mod row;
mod valid;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

pub use all::seed_all;
pub use caller::CallerWords;
use rand::RngExt;
pub use row::{context_sql, insert_sql, is_user_column, key_columns, text, unique_keys};
use row::{is_free_text, mutate, parse_row, scalar};
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
    /// The rows written here, by table: never the template of another tenant's row
    /// (B's copy of A's row would hold A's values, and nothing would tell them apart).
    written: HashMap<QualifiedName, Vec<Row>>,
    /// The words of the policies and function bodies the logic reads (`named_by_logic`).
    logic_words: Option<HashSet<String>>,
    /// Per table: the row it held before seeding (the template), read once.
    templates: HashMap<QualifiedName, Option<Row>>,
    /// Per table: the columns its policies compare with the caller, found once.
    caller_columns: HashMap<QualifiedName, Vec<String>>,
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
            written: HashMap::new(),
            logic_words: None,
            templates: HashMap::new(),
            caller_columns: HashMap::new(),
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
        self.draw(table, &col.name, &col.data_type, Draw::Fresh)
            .await
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
            if !fresh && !fixed.is_empty() {
                // A row written here already: no need to ask the database.
                let mine = self.written.get(&name).and_then(|rows| {
                    rows.iter().find(|row| {
                        fixed
                            .iter()
                            .all(|(k, v)| row.get(k).is_some_and(|w| text(w) == text(v)))
                    })
                });
                if let Some(row) = mine {
                    return Ok(row.clone());
                }
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
                None => (self.template(&name).await.unwrap_or_default(), false),
            };
            let keys = key_columns(table);
            let caller_columns = match self.caller_columns.get(&name) {
                Some(c) => c.clone(),
                None => {
                    let c = self.caller.compared_columns(table);
                    self.caller_columns.insert(name.clone(), c.clone());
                    c
                }
            };
            let keep_sample_keys = from_sample && self.used_samples.insert(name.clone());
            let mut regenerate: Vec<String> = Vec::new();
            let mut values = Row::new();
            let mut copied: Vec<(String, Value)> = Vec::new();
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
                let is_fk = table.constraints.iter().any(|c| {
                    matches!(c.kind, ConstraintKind::ForeignKey(_)) && c.columns.contains(k)
                });
                let asked = rules.get(k).is_some_and(|r| r.needs_asking());
                if !from_sample
                    && !is_fk
                    && !asked
                    && column.default.is_none()
                    && is_free_text(&column.data_type)
                    && !self.named_by_logic(k)
                    && let Value::String(old) = v
                {
                    // Copied data the schema's logic never reads (a title, a name):
                    // its shape kept, its letters and digits redrawn, so that tenant
                    // B's copy can be told from A's when a function returns it.
                    let mut new = mutate(v, &column.data_type);
                    if let Value::String(text) = &mut new
                        && text.len() < 8
                        && !column.data_type.contains('(')
                    {
                        // Too short to be told apart by the judge: lengthened.
                        text.push('-');
                        text.push_str(&uuid::Uuid::new_v4().simple().to_string()[..7]);
                    }
                    if new.as_str() != Some(old.as_str()) {
                        copied.push((k.clone(), v.clone()));
                    }
                    values.insert(k.clone(), new);
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
                    && constraint
                        .columns
                        .iter()
                        .any(|c| values.get(c).is_some_and(Value::is_null))
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
                    .ensure(
                        fk.table.clone(),
                        parent_fixed,
                        tenant.clone(),
                        depth + 1,
                        false,
                    )
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
            let with_context_first = tenant
                .as_ref()
                .is_some_and(|t| self.contexts.contains_key(t))
                && self
                    .caller
                    .triggers_read_context(table, &self.catalog.functions);
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
                            self.draw(table, &column.name, &column.data_type, draw)
                                .await
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
                        c.generated.is_none()
                            && c.identity != Some(crate::catalog::Identity::Always)
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
                        let written = parse_row(json.as_ref())?;
                        self.written
                            .entry(name.clone())
                            .or_default()
                            .push(written.clone());
                        return Ok(written);
                    }
                    Err(Failure { code, message }) => {
                        let _ = session::run_all(
                            self.client,
                            "rollback to savepoint seed; release savepoint seed",
                        )
                        .await;
                        last = format!("{message} (SQLSTATE {code})");
                        if !copied.is_empty() {
                            // The redrawn copies broke a rule we could not see (a trigger):
                            // copy them as they were.
                            for (k, v) in copied.drain(..) {
                                values.insert(k, v);
                            }
                            continue;
                        }
                        let redraw = matches!(
                            code.as_str(),
                            "23514" | "23505" | "23P01" | "22001" | "22003" | "22008"
                        );
                        if !redraw {
                            // A trigger may need the caller: try once as the tenant's user.
                            if with_context
                                || !tenant
                                    .as_ref()
                                    .is_some_and(|t| self.contexts.contains_key(t))
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
        // Plain built-in columns, no CHECK, no partition bound: nothing to ask.
        let plain = table.partition_of.is_none()
            && table.partition_key.is_none()
            && !table
                .constraints
                .iter()
                .any(|c| c.kind == ConstraintKind::Check)
            && table
                .columns
                .iter()
                .all(|c| !c.data_type.ends_with("[]") && scalar(&c.data_type).is_some());
        let rules = Rc::new(if plain {
            HashMap::new()
        } else {
            valid::table_rules(self.client, table).await
        });
        self.rules
            .borrow_mut()
            .insert(table.name.clone(), rules.clone());
        rules
    }

    /// Whether a policy or a function body names `column`.
    fn named_by_logic(&mut self, column: &str) -> bool {
        let words = self.logic_words.get_or_insert_with(|| {
            caller::words_in_logic(&self.catalog.tables, &self.catalog.functions)
        });
        words.contains(&column.to_ascii_lowercase())
    }

    /// A row `name` already held before seeding, to copy (read once per table:
    /// rows are only ever added while seeding).
    async fn template(&mut self, name: &QualifiedName) -> Option<Row> {
        if let Some(t) = self.templates.get(name) {
            return t.clone();
        }
        let t = self.read_template(name).await;
        self.templates.insert(name.clone(), t.clone());
        t
    }

    async fn read_template(&self, name: &QualifiedName) -> Option<Row> {
        let ours = self.written.get(name).map_or(&[][..], Vec::as_slice);
        let sql = format!(
            "select to_jsonb(r)::text from {} r limit {}",
            name.sql(),
            ours.len() + 1
        );
        let done = session::run_all(
            self.client,
            &format!("savepoint look; {sql}; release savepoint look"),
        )
        .await;
        match done {
            Ok(done) => session::column(&done)
                .iter()
                .filter_map(|json| parse_row(Some(json)).ok())
                .find(|row| !ours.contains(row)),
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
    async fn draw(
        &self,
        table: &Table,
        column: &str,
        data_type: &str,
        draw: Draw,
    ) -> Option<Value> {
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
            let at = if draw == Draw::Second {
                firsts.len() - 1
            } else {
                0
            };
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
