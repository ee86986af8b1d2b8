//! The write probes: the own-tenant insert control, the foreign insert, updates,
//! moves, deletes and truncate, each judged by ground truth.

use serde_json::Value;

use super::discover::TenantRelation;
use super::impersonate::Principal;
use super::judge::{self, Statement};
use super::matrix::{Attempt, Matrix};
use super::outcome::{Probe, Verdict};
use super::seed::{self, Row};
use super::truth;
use crate::catalog::{ConstraintKind, Identity, Table};
use crate::sql::quote_ident;

impl Matrix<'_> {
    pub(super) async fn own_insert(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        copy: &Row,
    ) -> bool {
        let sql = seed::insert_sql(&relation.name, copy, "r", "");
        let attempt = self.attempt(principal, &sql, None).await;
        let (verdict, detail, ok) = match &attempt.result {
            Ok(_) => (
                Verdict::Pass,
                "inserting an own-tenant row works".to_string(),
                true,
            ),
            Err(f) if f.code == "42501" => (
                Verdict::DenyAll,
                format!(
                    "{} cannot insert a row of its own tenant although INSERT is granted: {}",
                    principal.name, f.message
                ),
                false,
            ),
            Err(f) if f.is_availability() => (
                Verdict::Error(f.code.clone()),
                format!("inserting a row of its own tenant fails: {}", f.message),
                false,
            ),
            Err(f) => (
                Verdict::Unreliable,
                format!(
                    "the own-tenant insert failed ({}: {}); give the table a `sample = {{...}}` row",
                    f.code, f.message
                ),
                false,
            ),
        };
        let mut o = self.outcome(relation, principal, Probe::OwnInsert, verdict, detail);
        if !ok {
            o.repro = Some(self.repro(principal, &sql, None));
            o.policies = self.policies(relation);
        }
        self.outcomes.push(o);
        ok
    }

    /// A copy of `row` for a new insert: identity/generated columns dropped, unique
    /// columns fresh (defaulted ones left to their default), tenant set to `tenant`;
    /// a unique key made only of foreign-key columns gets a new parent row.
    pub(super) async fn fresh_copy(
        &mut self,
        table: &Table,
        row: &Row,
        tenant_column: &str,
        tenant: &str,
    ) -> Row {
        let fks: Vec<(&Vec<String>, &crate::catalog::ForeignKey)> = table
            .constraints
            .iter()
            .filter_map(|c| match &c.kind {
                ConstraintKind::ForeignKey(fk) => Some((&c.columns, fk)),
                _ => None,
            })
            .collect();
        let fk_columns: Vec<&String> = fks.iter().flat_map(|(c, _)| c.iter()).collect();
        let keys = seed::unique_keys(table);
        let mut unique: Vec<&String> = keys.iter().flatten().collect();
        // Columns read by unique expression indexes (`lower(email)`) are keys too.
        let expression_keys = seed::key_columns(table);
        unique.extend(expression_keys.iter());
        let mut copy = Row::new();
        for column in &table.columns {
            if column.generated.is_some() || column.identity == Some(Identity::Always) {
                continue;
            }
            let Some(value) = row.get(&column.name) else {
                continue;
            };
            if column.name == tenant_column {
                copy.insert(column.name.clone(), Value::String(tenant.to_string()));
            } else if unique.contains(&&column.name) && !fk_columns.contains(&&column.name) {
                if column.default.is_some() || column.identity.is_some() {
                    continue;
                }
                let fresh = self.seeder.fresh_value(table, &column.name).await;
                copy.insert(column.name.clone(), fresh.unwrap_or_else(|| value.clone()));
            } else {
                copy.insert(column.name.clone(), value.clone());
            }
        }
        let same_tenant = row.get(tenant_column).map(seed::text).as_deref() == Some(tenant);
        for key in &keys {
            let stale = key.iter().all(|c| {
                (c == tenant_column && same_tenant)
                    || (fk_columns.contains(&c) && copy.get(c) == row.get(c))
            });
            if !stale {
                continue;
            }
            let Some((columns, fk)) = fks
                .iter()
                .find(|(cols, _)| cols.iter().any(|c| key.contains(c) && c != tenant_column))
            else {
                continue;
            };
            let mut fixed = Row::new();
            for (c, r) in columns.iter().zip(&fk.columns) {
                if c == tenant_column {
                    fixed.insert(r.clone(), Value::String(tenant.to_string()));
                }
            }
            if let Ok(parent) = self.seeder.new_row(&fk.table, fixed, tenant).await {
                for (c, r) in columns.iter().zip(&fk.columns) {
                    if let Some(v) = parent.get(r) {
                        copy.insert(c.clone(), v.clone());
                    }
                }
                self.script.extend(self.seeder.take_script());
                if let Some(rel) = self.relations.iter().find(|r| r.name == fk.table) {
                    let sql = truth::snapshot_sql(rel, &self.truth_tenants());
                    if let Ok(snap) = truth::snapshot(self.client, &sql).await {
                        self.before.insert(rel.name.clone(), snap);
                    }
                }
            }
        }
        copy
    }

    /// Unqualified UPDATE and DELETE through an updatable view, judged by the
    /// ground truth of the tenant tables it reads (a view without
    /// `security_invoker` writes them with its owner's rights).
    pub(super) async fn view_writes(
        &mut self,
        principal: &Principal,
        view: &TenantRelation,
        update: bool,
        delete: bool,
    ) {
        let Some(def) = self.catalog.view(&view.name) else {
            return;
        };
        let bases: Vec<TenantRelation> = self
            .relations
            .iter()
            .filter(|r| r.is_table() && def.depends_on.contains(&r.name))
            .cloned()
            .collect();
        let v = view.name.sql();
        for base in &bases {
            let c = quote_ident(&base.tenant_column);
            if update {
                let sql = format!("update {v} set {c} = {c}");
                self.write_probe_via(principal, view, base, Probe::UpdateAll, sql)
                    .await;
            }
            if delete {
                let sql = format!("delete from {v}");
                self.write_probe_via(principal, view, base, Probe::DeleteAll, sql)
                    .await;
            }
        }
    }

    /// A write probe reported on `shown`, judged by the ground truth of `truth`.
    pub(super) async fn write_probe_via(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        truth: &TenantRelation,
        probe: Probe,
        sql: String,
    ) {
        let attempt = self.attempt(principal, &sql, Some(truth)).await;
        self.judge_write(principal, relation, truth, probe, attempt);
    }

    /// The verdict of a write probe reported on `relation`, judged by the ground
    /// truth of `truth`.
    pub(super) fn judge_write(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        truth: &TenantRelation,
        probe: Probe,
        attempt: Attempt,
    ) {
        let sql = attempt.sql.clone();
        match (&attempt.result, &attempt.changed) {
            (Err(f), _) => {
                let (verdict, detail) = judge::refused(f, principal, Statement::Write);
                self.push(relation, principal, probe, verdict, detail);
                self.attach_error_evidence(relation, principal, &f.code, &sql);
            }
            (Ok(_), None) => {
                self.push(
                    relation,
                    principal,
                    probe,
                    Verdict::Unreliable,
                    "ground truth could not be read".into(),
                );
            }
            (Ok(done), Some(changed))
                if changed.is_empty()
                    && matches!(probe, Probe::UpdateAll | Probe::DeleteAll)
                    && done.count > self.own_rows(truth, principal) =>
            {
                // Rows of a tenant other than the two seeded ones (a real target's data).
                let detail = format!(
                    "{} row(s) affected, but {} can own only {}: it reached rows of other tenants",
                    done.count,
                    principal.name,
                    self.own_rows(truth, principal)
                );
                self.leak(relation, principal, probe, detail, &attempt.sql, Vec::new());
            }
            (Ok(done), Some(changed)) if changed.is_empty() => {
                let detail = format!("{} row(s) affected, none of another tenant", done.count);
                self.push(relation, principal, probe, Verdict::Pass, detail);
            }
            (Ok(done), Some(changed)) => {
                let detail = format!(
                    "{} row(s) affected; ground truth: {} row version(s) of another tenant written, moved in or removed",
                    done.count,
                    changed.len()
                );
                let changed = changed.clone();
                self.leak(relation, principal, probe, detail, &attempt.sql, changed);
            }
        }
    }

    /// How many rows of `relation` the principal's own tenant had before the probes.
    fn own_rows(&self, relation: &TenantRelation, principal: &Principal) -> u64 {
        let own = judge::own_values(principal);
        self.before.get(&relation.name).map_or(0, |s| {
            s.values().filter(|(t, _)| own.contains(t)).count() as u64
        })
    }
}
