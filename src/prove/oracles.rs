//! The oracle probes: unique keys that tell B's values exist, foreign keys that
//! link A's rows to B's hidden parents, and the referential actions that then
//! let B change A's rows.

use super::conflict::Collision;
use super::discover::TenantRelation;
use super::impersonate::Principal;
use super::matrix::Matrix;
use super::outcome::{Probe, Verdict};
use super::row_sql::key_filter;
use super::seed::{self, Row};
use crate::catalog::{ConstraintKind, ReferentialAction, Table};
use crate::sql::{QualifiedName, quote_ident, quote_literal};

impl Matrix<'_> {
    pub(super) async fn unique_oracle(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        table: &Table,
        copy: &Row,
        other: &Row,
    ) {
        for constraint in &table.constraints {
            if !matches!(
                constraint.kind,
                ConstraintKind::PrimaryKey | ConstraintKind::Unique
            ) || constraint.columns.contains(&relation.tenant_column)
            {
                continue;
            }
            let guessable = constraint.columns.iter().all(|c| {
                table.column(c).is_some_and(|c| {
                    c.identity.is_none() && !c.default.as_deref().unwrap_or("").contains("uuid")
                })
            });
            if !guessable {
                continue;
            }
            let mut probe_row = copy.clone();
            for c in &constraint.columns {
                if let Some(v) = other.get(c) {
                    probe_row.insert(c.clone(), v.clone());
                }
            }
            let sql = seed::insert_sql(&relation.name, &probe_row, "r", "");
            let attempt = self.attempt(principal, &sql, None).await;
            match attempt.result {
                Err(f) if f.code == "23505" => {
                    let detail = format!(
                        "inserting B's key of {} fails with 23505 while a fresh key succeeds: A learns the key exists",
                        constraint.name
                    );
                    let mut o = self.outcome(
                        relation,
                        principal,
                        Probe::UniqueOracle,
                        Verdict::SideChannel,
                        detail,
                    );
                    o.repro = Some(self.repro(principal, &sql, None));
                    o.fix = Some(format!(
                        "include {} in the unique key {}",
                        relation.tenant_column, constraint.name
                    ));
                    self.outcomes.push(o);
                }
                _ => self.push(
                    relation,
                    principal,
                    Probe::UniqueOracle,
                    Verdict::Pass,
                    format!("{} does not tell B's key exists", constraint.name),
                ),
            }
            // PostgreSQL refuses deferrable constraints as ON CONFLICT arbiters.
            if !constraint.deferrable {
                let key = Collision {
                    name: &constraint.name,
                    columns: &constraint.columns,
                    fresh: copy,
                    collide: &probe_row,
                };
                self.on_conflict(principal, relation, &key).await;
            }
        }
    }

    pub(super) async fn fk_link(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        table: &Table,
        copy: &Row,
    ) {
        for constraint in &table.constraints {
            let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                continue;
            };
            if constraint.columns.contains(&relation.tenant_column) {
                continue;
            }
            let Some(parent) = self
                .seeds
                .rows
                .get(&(fk.table.clone(), self.b.clone()))
                .cloned()
            else {
                continue;
            };
            let mut probe_row = copy.clone();
            let mut filter = Vec::new();
            for (c, r) in constraint.columns.iter().zip(&fk.columns) {
                let Some(v) = parent.get(r) else { continue };
                probe_row.insert(c.clone(), v.clone());
                filter.push(format!(
                    "r.{}::text = {}",
                    quote_ident(c),
                    quote_literal(&seed::text(v))
                ));
            }
            filter.push(format!(
                "r.{} = {}",
                quote_ident(&relation.tenant_column),
                quote_literal(&self.a)
            ));
            let sql = seed::insert_sql(&relation.name, &probe_row, "r", "");
            let truth = format!(
                "select to_jsonb(r)::text from {} r where {}",
                relation.name.sql(),
                filter.join(" and ")
            );
            let attempt = self.attempt_with_truth(principal, &sql, &truth, None).await;
            match (&attempt.result, &attempt.changed) {
                (Ok(_), Some(linked)) if !linked.is_empty() => {
                    let detail = format!(
                        "A's row now references B's hidden {} row through {} (23503 for a missing key: existence oracle)",
                        fk.table, constraint.name
                    );
                    let mut o = self.outcome(
                        relation,
                        principal,
                        Probe::ForeignKeyLink,
                        Verdict::Leak,
                        detail,
                    );
                    o.reached = linked.clone();
                    o.repro = Some(self.repro(principal, &sql, Some(&truth)));
                    o.fix = Some(format!(
                        "make {} a composite foreign key ({}, ...) referencing ({}, ...) of {}",
                        constraint.name, relation.tenant_column, relation.tenant_column, fk.table
                    ));
                    o.policies = self.policies(relation);
                    self.outcomes.push(o);
                    if matches!(
                        fk.on_delete,
                        ReferentialAction::Cascade
                            | ReferentialAction::SetNull
                            | ReferentialAction::SetDefault
                    ) {
                        self.cascade(principal, relation, &fk.table, &parent, &sql, &truth)
                            .await;
                    }
                }
                _ => self.push(
                    relation,
                    principal,
                    Probe::ForeignKeyLink,
                    Verdict::Pass,
                    format!("{} cannot reference B's row", constraint.name),
                ),
            }
        }
    }

    /// After A linked a row to B's parent (`link`), a user of B deletes that parent:
    /// a LEAK when A's row is deleted or changed by the referential action.
    pub(super) async fn cascade(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        parent_table: &QualifiedName,
        parent: &Row,
        link: &str,
        truth: &str,
    ) {
        let Some(parent_table_def) = self.catalog.table(parent_table) else {
            return;
        };
        let Some(key) = key_filter(parent_table_def, parent) else {
            return;
        };
        let sql = format!(
            "{link};\n-- now as a user of B, who sees only its own rows\n{}delete from {} where {key}",
            self.other.become_sql(),
            parent_table.sql()
        );
        let attempt = self.attempt_with_truth(principal, &sql, truth, None).await;
        match (&attempt.result, &attempt.changed) {
            (Ok(_), Some(left)) if left.is_empty() => {
                let detail = format!(
                    "B deleted its own {parent_table} row and the referential action removed or rewrote A's {} row, which B cannot see",
                    relation.name
                );
                let mut o =
                    self.outcome(relation, principal, Probe::Cascade, Verdict::Leak, detail);
                o.repro = Some(self.repro(principal, &sql, Some(truth)));
                o.fix = Some(format!(
                    "a composite foreign key including {} keeps A's rows from referencing B's",
                    relation.tenant_column
                ));
                o.policies = self.policies(relation);
                self.outcomes.push(o);
            }
            _ => self.push(
                relation,
                principal,
                Probe::Cascade,
                Verdict::Pass,
                "B's delete did not reach A's rows".into(),
            ),
        }
    }
}
