//! The probe matrix for one relation and one principal. Each probe runs in a
//! savepoint: become the principal, run the statement, `RESET ROLE`, read
//! ground truth, roll back to the savepoint.

use std::collections::HashMap;

use serde_json::Value;
use tokio_postgres::Client;

use super::discover::{RelationKind, TenantRelation};
use super::impersonate::{self, Principal};
use super::judge::{self, Statement};
use super::outcome::{Outcome, Probe, Verdict};
use super::row_sql::{constant_set, key_filter};
use super::seed::{self, Seeder, Seeds};
use super::session::{self, Done, Failure};
use super::truth::{self, Snapshot};
use crate::catalog::Catalog;
use crate::sql::{QualifiedName, quote_ident, quote_literal};

/// Table privileges of the principals' roles: (relation, role) → granted keywords.
pub struct Privileges(HashMap<(QualifiedName, String), Vec<String>>);

impl Privileges {
    /// Reads SELECT/INSERT/UPDATE/DELETE/TRUNCATE (EXECUTE for functions) for every role.
    pub async fn read(
        client: &Client,
        relations: &[TenantRelation],
        roles: &[String],
        user_role: &str,
    ) -> Result<Privileges, tokio_postgres::Error> {
        let mut all: Vec<String> = roles.to_vec();
        if !all.iter().any(|r| r == user_role) {
            all.push(user_role.to_string());
        }
        let mut map: HashMap<(QualifiedName, String), Vec<String>> = HashMap::new();
        let (functions, tables): (Vec<&TenantRelation>, Vec<&TenantRelation>) = relations
            .iter()
            .partition(|r| r.kind == RelationKind::Function);
        let table_names: Vec<String> = tables.iter().map(|r| r.name.sql()).collect();
        let function_names: Vec<String> = functions
            .iter()
            .map(|r| format!("{}()", r.name.sql()))
            .collect();
        for role in &all {
            for r in relations {
                map.insert((r.name.clone(), role.clone()), Vec::new());
            }
            // One query per role: the index of each relation and what it grants.
            let rows = client
                .query(
                    "select t.i::int, p from unnest($2::text[]) with ordinality t(name, i), \
                       unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) p \
                     where has_table_privilege($1, t.name, p) \
                     union all \
                     select -f.i::int, 'EXECUTE' from unnest($3::text[]) with ordinality f(name, i) \
                     where has_function_privilege($1, f.name, 'EXECUTE')",
                    &[role, &table_names, &function_names],
                )
                .await;
            for row in rows.unwrap_or_default() {
                let (i, privilege): (i32, String) = (row.get(0), row.get(1));
                let relation = if i > 0 {
                    tables.get(i as usize - 1)
                } else {
                    functions.get((-i) as usize - 1)
                };
                if let Some(r) = relation {
                    map.entry((r.name.clone(), role.clone()))
                        .or_default()
                        .push(privilege);
                }
            }
        }
        Ok(Privileges(map))
    }

    pub(super) fn has(&self, relation: &QualifiedName, role: &str, privilege: &str) -> bool {
        self.0
            .get(&(relation.clone(), role.to_string()))
            .is_some_and(|p| p.iter().any(|g| g == privilege))
    }

    pub(super) fn any(&self, relation: &QualifiedName, role: &str) -> bool {
        self.0
            .get(&(relation.clone(), role.to_string()))
            .is_some_and(|p| !p.is_empty())
    }
}

/// What one probe did.
pub(super) struct Attempt {
    /// The probe statement's own result (never the verdict by itself).
    pub(super) result: Result<Done, Failure>,
    /// Foreign rows the ground truth shows written, moved in or removed; `None` when unread.
    pub(super) changed: Option<Vec<String>>,
    /// The statement, for the repro script.
    pub(super) sql: String,
}

/// State shared by every probe of one proof.
pub struct Matrix<'a> {
    /// The connection.
    pub client: &'a Client,
    /// The inspected catalog.
    pub catalog: &'a Catalog,
    /// Seeded rows.
    pub seeds: &'a Seeds,
    /// For fresh key values.
    pub seeder: Seeder<'a>,
    /// Setup and seeding SQL, the head of every repro script.
    pub script: Vec<String>,
    /// Tenant A (the principal's) and B (the other).
    pub a: String,
    /// Tenant B.
    pub b: String,
    /// A user of B, for the cascade probe.
    pub other: &'a Principal,
    /// Ground truth before any probe, per table.
    pub before: HashMap<QualifiedName, Snapshot>,
    /// Privileges per relation and role.
    pub privileges: Privileges,
    /// Every tenant relation.
    pub relations: &'a [TenantRelation],
    /// Verdicts so far.
    pub outcomes: Vec<Outcome>,
    /// The users' personal accounts (tenant values equal to a user's id), A's first.
    pub personal: Vec<String>,
    /// Lookups built once, on first use.
    pub lookups: Lookups,
}

/// What the function probes look up again and again, built once.
#[derive(Default)]
pub struct Lookups {
    /// Each relation's index in `Matrix::relations`.
    pub(super) relation_at: std::cell::OnceCell<HashMap<QualifiedName, usize>>,
    /// The tenant columns' names.
    pub(super) tenant_columns: std::cell::OnceCell<std::collections::BTreeSet<String>>,
    /// Values B's seeded rows hold and A's do not.
    pub(super) only_b: std::cell::OnceCell<std::collections::BTreeSet<String>>,
}

/// A write probe of the matrix, run by [`Matrix::flush`].
struct Queued {
    probe: Probe,
    sql: String,
}

impl Queued {
    fn new(probe: Probe, sql: String) -> Self {
        Queued { probe, sql }
    }
}

impl Matrix<'_> {
    /// Runs every probe that applies to `relation` as `principal`.
    pub async fn probe_all(&mut self, principal: &Principal, relation: &TenantRelation) {
        let role = principal.role.clone().unwrap_or_default();
        if !self.privileges.any(&relation.name, &role) {
            return;
        }
        let synthetic = principal.tenant.is_none();
        let granted: Vec<&str> = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"]
            .into_iter()
            .filter(|p| self.privileges.has(&relation.name, &role, p))
            .collect();
        let can = |p: &str| granted.contains(&p);
        // Write probes waiting to be run together (`flush`).
        let mut queue: Vec<Queued> = Vec::new();
        if relation.kind == RelationKind::Function || can("SELECT") {
            self.read(principal, relation).await;
        }
        if relation.kind == RelationKind::View && principal.tenant.is_some() {
            self.view_writes(principal, relation, can("UPDATE"), can("DELETE"))
                .await;
        }
        let Some(table) = &relation.table else { return };
        let (own, other) = (
            self.seeds
                .rows
                .get(&(relation.name.clone(), self.a.clone()))
                .cloned(),
            self.seeds
                .rows
                .get(&(relation.name.clone(), self.b.clone()))
                .cloned(),
        );
        let (Some(own), Some(other)) = (own, other) else {
            if can("INSERT") || can("UPDATE") || can("DELETE") {
                let why = self
                    .seeds
                    .problems
                    .get(&relation.name)
                    .cloned()
                    .unwrap_or_else(|| "no seed rows".into());
                self.push(
                    relation,
                    principal,
                    Probe::ForeignInsert,
                    Verdict::Unreliable,
                    why,
                );
            }
            return;
        };
        let col = relation.tenant_column.clone();
        let foreign_tenant = if synthetic {
            self.a.clone()
        } else {
            self.b.clone()
        };
        if can("INSERT") {
            let copy = self.fresh_copy(table, &own, &col, &foreign_tenant).await;
            queue.push(Queued::new(
                Probe::ForeignInsert,
                seed::insert_sql(&relation.name, &copy, "r", ""),
            ));
            queue.push(Queued::new(
                Probe::ForeignInsertReturning,
                seed::insert_sql(&relation.name, &copy, "r", "returning *"),
            ));
        }
        if synthetic {
            self.flush(principal, relation, &mut queue).await;
            return;
        }
        let t = relation.name.sql();
        let c = quote_ident(&col);
        let mut own_insert_ok = false;
        // The own-tenant insert decides the probes after it: the queue runs first.
        self.flush(principal, relation, &mut queue).await;
        if can("INSERT") {
            let copy = self.fresh_copy(table, &own, &col, &self.a.clone()).await;
            own_insert_ok = self.own_insert(principal, relation, &copy).await;
            if own_insert_ok {
                self.unique_oracle(principal, relation, table, &copy, &other)
                    .await;
                self.fk_link(principal, relation, table, &copy).await;
            }
        }
        let _ = own_insert_ok;
        if can("UPDATE") {
            // A constant SET: `SET c = c` reads c, which applies the SELECT policies too.
            let set = constant_set(table, &own, &col);
            match key_filter(table, &other) {
                Some(k) => queue.push(Queued::new(
                    Probe::UpdateTargeted,
                    format!("update {t} set {set} where {k}"),
                )),
                None => self.push(
                    relation,
                    principal,
                    Probe::UpdateTargeted,
                    Verdict::Unreliable,
                    "no column values to target B's row".into(),
                ),
            }
            queue.push(Queued::new(
                Probe::UpdateAll,
                format!("update {t} set {set}"),
            ));
            let b = quote_literal(&self.b);
            if let Some(k) = key_filter(table, &own) {
                queue.push(Queued::new(
                    Probe::MoveRow,
                    format!("update {t} set {c} = {b} where {k}"),
                ));
            }
            queue.push(Queued::new(
                Probe::MoveAll,
                format!("update {t} set {c} = {b}"),
            ));
        }
        if can("DELETE") {
            if let Some(k) = key_filter(table, &other) {
                queue.push(Queued::new(
                    Probe::DeleteTargeted,
                    format!("delete from {t} where {k}"),
                ));
            }
            queue.push(Queued::new(Probe::DeleteAll, format!("delete from {t}")));
        }
        if can("TRUNCATE") {
            queue.push(Queued::new(Probe::Truncate, format!("truncate {t}")));
        }
        self.flush(principal, relation, &mut queue).await;
    }

    /// Runs and judges the queued write probes of `relation` as `principal`, in order.
    async fn flush(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        queue: &mut Vec<Queued>,
    ) {
        let queued = std::mem::take(queue);
        if queued.is_empty() {
            return;
        }
        let attempts = self.attempt_group(principal, relation, &queued).await;
        for (q, attempt) in queued.iter().zip(attempts) {
            self.judge_write(principal, relation, relation, q.probe, attempt);
        }
    }

    /// Runs `queued` pipelined, inside one savepoint: each probe is one batch that
    /// first rolls back to it (undoing the previous probe's writes, role, settings
    /// and error), becomes the principal, runs the probe, resets and reads ground
    /// truth; the batches are all sent before the first reply is read, so the
    /// server never waits for the client between probes.
    async fn attempt_group(
        &self,
        principal: &Principal,
        relation: &TenantRelation,
        queued: &[Queued],
    ) -> Vec<Attempt> {
        let client = self.client;
        let failed = |f: &Failure| -> Vec<Attempt> {
            queued
                .iter()
                .map(|q| Attempt {
                    result: Err(f.clone()),
                    changed: None,
                    sql: q.sql.clone(),
                })
                .collect()
        };
        if let Err(f) = session::run(client, "savepoint probes").await {
            return failed(&f);
        }
        let become_sql = principal.become_sql();
        let truth_sql = truth::snapshot_sql(relation, &self.truth_tenants());
        let batches: Vec<String> = queued
            .iter()
            .map(|q| {
                format!(
                    "rollback to savepoint probes; {become_sql}{};\nselect {PROBE_DONE};\n{}{truth_sql}",
                    q.sql,
                    impersonate::RESET,
                )
            })
            .collect();
        let replies =
            futures_util::future::join_all(batches.iter().map(|b| session::run_batch(client, b)))
                .await;
        if let Err(f) = session::run(
            client,
            "rollback to savepoint probes; release savepoint probes",
        )
        .await
        {
            return failed(&f);
        }
        queued
            .iter()
            .zip(replies)
            .map(|(q, (mut statements, error))| {
                let marker = statements
                    .iter()
                    .position(|d| d.rows.len() == 1 && d.rows[0].get(0) == Some(PROBE_DONE_TEXT));
                let (result, after) = match (marker, error) {
                    (Some(m), None) => {
                        let truth = statements.pop().map(|d| truth::snapshot_rows(&d));
                        (Ok(statements.swap_remove(m - 1)), truth)
                    }
                    (Some(m), Some(_)) => (Ok(statements.swap_remove(m - 1)), None),
                    (None, Some(f)) => (Err(f), None),
                    (None, None) => (Err(no_marker()), None),
                };
                Attempt {
                    result,
                    changed: after.map(|after| self.changed(principal, relation, &after)),
                    sql: q.sql.clone(),
                }
            })
            .collect()
    }

    /// Rows of tenants other than the principal's that ground truth `after`
    /// shows written, moved in or removed in `relation` since the seeding.
    fn changed(
        &self,
        principal: &Principal,
        relation: &TenantRelation,
        after: &Snapshot,
    ) -> Vec<String> {
        let own = judge::own_values(principal);
        let foreign: Vec<String> = self
            .truth_tenants()
            .into_iter()
            .filter(|t| !own.contains(t))
            .collect();
        let empty = Snapshot::new();
        let before = self.before.get(&relation.name).unwrap_or(&empty);
        truth::changed(before, after, &foreign)
    }

    pub(super) async fn read(&mut self, principal: &Principal, relation: &TenantRelation) {
        let col = quote_literal(&relation.tenant_column);
        // The principal's own rows: its tenant's and its personal account's.
        let own_values: Vec<String> = judge::own_values(principal)
            .iter()
            .map(|t| quote_literal(t))
            .collect();
        let own = if own_values.is_empty() {
            "false".to_string()
        } else {
            format!("(to_jsonb(r) ->> {col}) in ({})", own_values.join(", "))
        };
        // Rows of another tenant, and rows without the column at all (a view or
        // function that drops it: unattributable). Rows whose tenant is NULL are
        // shared rows, not another tenant's.
        let foreign = if own_values.is_empty() {
            format!("not (to_jsonb(r) ? {col}) or (to_jsonb(r) ->> {col}) is not null")
        } else {
            format!(
                "not (to_jsonb(r) ? {col}) or (to_jsonb(r) ->> {col}) not in ({})",
                own_values.join(", ")
            )
        };
        let from = relation.from_clause();
        let sql = format!(
            "select 'own', count(*)::text from (select 1 from {from} r where {own} limit 1) s \
             union all (select 'foreign', to_jsonb(r)::text from {from} r where {foreign} limit 5)"
        );
        let attempt = self.attempt(principal, &sql, None).await;
        match attempt.result {
            Err(f) => {
                let (verdict, detail) = judge::refused(&f, principal, Statement::Read);
                let detail = format!("select {detail}");
                self.push(relation, principal, Probe::Read, verdict, detail);
                self.attach_error_evidence(relation, principal, &f.code, &sql);
            }
            Ok(done) => {
                let mut own_seen = false;
                let mut reached = Vec::new();
                for row in &done.rows {
                    match (row.get(0), row.get(1)) {
                        (Some("own"), Some(n)) => own_seen = n != "0",
                        (Some("foreign"), Some(json)) => reached.push(json.to_string()),
                        _ => {}
                    }
                }
                let unattributable = reached.iter().any(|j| {
                    serde_json::from_str::<Value>(j)
                        .ok()
                        .and_then(|v| v.get(&relation.tenant_column).cloned())
                        .is_none()
                });
                if !reached.is_empty() && unattributable {
                    let detail = format!(
                        "its rows have no {} column, so they cannot be attributed to a tenant",
                        relation.tenant_column
                    );
                    self.push(
                        relation,
                        principal,
                        Probe::Read,
                        Verdict::Unreliable,
                        detail,
                    );
                } else if !reached.is_empty() {
                    let detail = format!(
                        "{} saw {} row(s) of another tenant",
                        principal.name,
                        reached.len()
                    );
                    self.leak(relation, principal, Probe::Read, detail, &sql, reached);
                } else if principal.tenant.is_some()
                    && relation.is_table()
                    && !own_seen
                    && self.seeded(relation)
                {
                    let detail = format!(
                        "{} cannot read its own rows: isolation holds only because nothing is readable",
                        principal.name
                    );
                    let mut o =
                        self.outcome(relation, principal, Probe::Read, Verdict::DenyAll, detail);
                    o.repro = Some(self.repro(principal, &sql, None));
                    o.policies = self.policies(relation);
                    self.outcomes.push(o);
                } else {
                    self.push(
                        relation,
                        principal,
                        Probe::Read,
                        Verdict::Pass,
                        "no row of another tenant visible".into(),
                    );
                }
            }
        }
    }

    /// The tenant values ground truth reads: A, B and the users' personal accounts.
    pub(super) fn truth_tenants(&self) -> Vec<String> {
        let mut tenants = vec![self.a.clone(), self.b.clone()];
        tenants.extend(self.personal.iter().cloned());
        tenants
    }

    pub(super) fn seeded(&self, relation: &TenantRelation) -> bool {
        self.seeds
            .rows
            .contains_key(&(relation.name.clone(), self.a.clone()))
    }

    /// Become `principal`, run `sql`, reset, read ground truth for `relation`, roll back.
    pub(super) async fn attempt(
        &self,
        principal: &Principal,
        sql: &str,
        relation: Option<&TenantRelation>,
    ) -> Attempt {
        let truth_sql = relation.map(|r| truth::snapshot_sql(r, &self.truth_tenants()));
        let mut attempt = self.attempt_raw(principal, sql, truth_sql.as_deref()).await;
        if let (Some(r), Some(Ok(after))) = (relation, attempt.1.take()) {
            attempt.0.changed = Some(self.changed(principal, r, &after));
        }
        attempt.0
    }

    /// Like [`Self::attempt`], ground truth being the rows `truth` returns.
    pub(super) async fn attempt_with_truth(
        &self,
        principal: &Principal,
        sql: &str,
        truth: &str,
        _r: Option<&TenantRelation>,
    ) -> Attempt {
        let (mut attempt, after) = self.attempt_raw(principal, sql, Some(truth)).await;
        if let Some(Ok(after)) = after {
            attempt.changed = Some(after.into_values().map(|(_, json)| json).collect());
        }
        attempt
    }

    pub(super) async fn attempt_raw(
        &self,
        principal: &Principal,
        sql: &str,
        truth: Option<&str>,
    ) -> (Attempt, Option<Result<Snapshot, Failure>>) {
        let client = self.client;
        // One round trip: become the principal, run the probe, mark it done,
        // reset, read ground truth, roll back. The marker tells whether an error
        // came from the probe or from ground truth.
        let truth_sql = truth.map_or(String::new(), |t| {
            format!("select {PROBE_DONE};\n{}{t};\n", impersonate::RESET)
        });
        let batch = format!(
            "savepoint probe; {}{sql};\n{truth_sql}rollback to savepoint probe; release savepoint probe",
            principal.become_sql()
        );
        let (statements, error) = session::run_batch(client, &batch).await;
        if error.is_some() {
            let _ = session::run(
                client,
                "rollback to savepoint probe; release savepoint probe",
            )
            .await;
        }
        let marker = statements
            .iter()
            .position(|d| d.rows.len() == 1 && d.rows[0].get(0) == Some(PROBE_DONE_TEXT));
        let mut statements = statements;
        let (result, after) = match (truth, marker, error) {
            // No ground truth asked: the probe is the statement before the rollback.
            (None, _, None) => {
                let n = statements.len();
                (
                    Ok(statements.swap_remove(n.saturating_sub(3).min(n - 1))),
                    None,
                )
            }
            (None, _, Some(f)) | (Some(_), None, Some(f)) => (Err(f), None),
            (Some(t), Some(m), None) => {
                let n = statements.len();
                let truth_done = statements.swap_remove(n - 3);
                let probe = statements.swap_remove(m - 1);
                (Ok(probe), Some(Ok(truth_snapshot(t, &truth_done))))
            }
            (Some(_), Some(m), Some(f)) => (Ok(statements.swap_remove(m - 1)), Some(Err(f))),
            (Some(_), None, None) => (Err(no_marker()), None),
        };
        (
            Attempt {
                result,
                changed: None,
                sql: sql.to_string(),
            },
            after,
        )
    }
}

/// Whether `text` names `table` as a whole word.
pub(super) fn mentions(text: &str, table: &str) -> bool {
    text.match_indices(table).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + table.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// A probe batch whose marker never came back.
fn no_marker() -> Failure {
    Failure {
        code: "XX000".into(),
        message: "the probe batch returned no marker".into(),
    }
}

/// The marker statement between a probe and its ground truth, and the text it returns.
const PROBE_DONE: &str = "'rlsctl:probe-done'";
const PROBE_DONE_TEXT: &str = "rlsctl:probe-done";

/// Ground truth from the rows of the truth statement: a snapshot when `sql` is a
/// [`truth::snapshot_sql`] query, else the first column of each row.
fn truth_snapshot(sql: &str, done: &Done) -> Snapshot {
    if sql.starts_with("select r.tableoid") {
        return truth::snapshot_rows(done);
    }
    session::column(done)
        .into_iter()
        .enumerate()
        .map(|(i, j)| (i.to_string(), (String::new(), j)))
        .collect()
}
