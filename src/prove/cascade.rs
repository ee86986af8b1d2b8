//! Cascades through global tables: a tenant table's foreign key into a table
//! without the tenant column (a global `users`) with `ON DELETE CASCADE`, `SET
//! NULL` or `SET DEFAULT`. The user of A deletes the global row that B's row
//! points at; ground truth shows whether B's row went or changed.

use super::discover::TenantRelation;
use super::impersonate::Principal;
use super::matrix::Matrix;
use super::outcome::{Probe, Verdict};
use super::seed;
use crate::catalog::{ConstraintKind, ReferentialAction};
use crate::sql::{quote_ident, quote_literal};

impl Matrix<'_> {
    /// Every global-parent cascade of every seeded tenant table, as `user`.
    pub async fn global_cascades(&mut self, user: &Principal) {
        let tenant_tables: Vec<_> = self.relations.iter().map(|r| r.name.clone()).collect();
        let relations: Vec<TenantRelation> = self
            .relations
            .iter()
            .filter(|r| r.is_table())
            .cloned()
            .collect();
        for relation in &relations {
            let Some(table) = &relation.table else {
                continue;
            };
            let Some(row) = self
                .seeds
                .rows
                .get(&(relation.name.clone(), self.b.clone()))
                .cloned()
            else {
                continue;
            };
            for constraint in &table.constraints {
                let ConstraintKind::ForeignKey(fk) = &constraint.kind else {
                    continue;
                };
                let acts = matches!(
                    fk.on_delete,
                    ReferentialAction::Cascade
                        | ReferentialAction::SetNull
                        | ReferentialAction::SetDefault
                );
                if !acts || tenant_tables.contains(&fk.table) {
                    continue;
                }
                let filter: Option<Vec<String>> = constraint
                    .columns
                    .iter()
                    .zip(&fk.columns)
                    .map(|(c, r)| {
                        row.get(c).filter(|v| !v.is_null()).map(|v| {
                            format!("{} = {}", quote_ident(r), quote_literal(&seed::text(v)))
                        })
                    })
                    .collect();
                let Some(filter) = filter else { continue };
                let sql = format!(
                    "delete from {} where {}",
                    fk.table.sql(),
                    filter.join(" and ")
                );
                let attempt = self.attempt(user, &sql, Some(relation)).await;
                let (verdict, detail, changed) = match (&attempt.result, &attempt.changed) {
                    (Err(f), _) => (
                        Verdict::Pass,
                        format!(
                            "A cannot delete the global {} row B's row points at: {} ({})",
                            fk.table, f.message, f.code
                        ),
                        Vec::new(),
                    ),
                    (Ok(_), None) => (
                        Verdict::Unreliable,
                        "ground truth could not be read".to_string(),
                        Vec::new(),
                    ),
                    (Ok(done), Some(changed)) if changed.is_empty() => (
                        Verdict::Pass,
                        format!(
                            "A's delete of the global {} row ({} row(s)) left B's rows unchanged",
                            fk.table, done.count
                        ),
                        Vec::new(),
                    ),
                    (Ok(_), Some(changed)) => (
                        Verdict::Leak,
                        format!(
                            "A deleted the global {} row that B's {} row points at; {} through {} changed {} row version(s) of B",
                            fk.table,
                            relation.name,
                            action(fk.on_delete),
                            constraint.name,
                            changed.len()
                        ),
                        changed.clone(),
                    ),
                };
                let mut o = self.outcome(relation, user, Probe::GlobalCascade, verdict, detail);
                if o.verdict == Verdict::Leak {
                    o.repro = Some(self.repro(user, &sql, None));
                    o.reached = changed;
                    o.fix = Some(format!(
                        "let clients delete only their own {} rows (a policy or no DELETE grant), or make {} ON DELETE RESTRICT",
                        fk.table, constraint.name
                    ));
                    o.policies = self.policies(relation);
                }
                self.outcomes.push(o);
            }
        }
    }
}

fn action(a: ReferentialAction) -> &'static str {
    match a {
        ReferentialAction::Cascade => "ON DELETE CASCADE",
        ReferentialAction::SetNull => "ON DELETE SET NULL",
        ReferentialAction::SetDefault => "ON DELETE SET DEFAULT",
        _ => "the referential action",
    }
}
