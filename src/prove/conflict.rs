//! The ON CONFLICT variants of the unique-key oracle (probe O1): the same
//! upsert with B's key and with a fresh key, compared by outcome, and for
//! `DO UPDATE` judged by ground truth on B's rows.

use super::discover::TenantRelation;
use super::impersonate::Principal;
use super::matrix::{Attempt, Matrix};
use super::outcome::{Probe, Verdict};
use super::seed::{self, Row};
use crate::sql::quote_ident;

/// A unique key of a tenant table that does not include the tenant column, and
/// the two rows to upsert: a fresh key (the own-insert control's row) and B's key.
pub(super) struct Collision<'k> {
    /// The constraint's name.
    pub(super) name: &'k str,
    /// Its columns.
    pub(super) columns: &'k [String],
    /// A's row with a fresh key.
    pub(super) fresh: &'k Row,
    /// A's row carrying B's key.
    pub(super) collide: &'k Row,
}

impl Matrix<'_> {
    /// `ON CONFLICT DO NOTHING` and `ON CONFLICT (key) DO UPDATE` with B's key
    /// against a fresh key.
    pub(super) async fn on_conflict(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        key: &Collision<'_>,
    ) {
        let nothing = "on conflict do nothing";
        self.conflict_probe(
            principal,
            relation,
            key,
            Probe::UniqueOracleOnConflictNothing,
            nothing,
        )
        .await;
        let Some(first) = key.columns.first() else {
            return;
        };
        // Setting a key column to its excluded value changes no value, yet writes
        // a new version of the conflicting row: ground truth shows it as written.
        let columns: Vec<String> = key.columns.iter().map(|c| quote_ident(c)).collect();
        let update = format!(
            "on conflict ({}) do update set {c} = excluded.{c}",
            columns.join(", "),
            c = quote_ident(first)
        );
        self.conflict_probe(
            principal,
            relation,
            key,
            Probe::UniqueOracleOnConflictUpdate,
            &update,
        )
        .await;
    }

    async fn conflict_probe(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        key: &Collision<'_>,
        probe: Probe,
        tail: &str,
    ) {
        let fresh_sql = seed::insert_sql(&relation.name, key.fresh, "r", tail);
        let collide_sql = seed::insert_sql(&relation.name, key.collide, "r", tail);
        let control = self.attempt(principal, &fresh_sql, Some(relation)).await;
        let attempt = self.attempt(principal, &collide_sql, Some(relation)).await;
        let reached = attempt.changed.clone().unwrap_or_default();
        if !reached.is_empty() {
            let detail = format!(
                "the upsert with B's key of {} updated B's row: ground truth shows {} row version(s) of another tenant written",
                key.name,
                reached.len()
            );
            self.leak(relation, principal, probe, detail, &collide_sql, reached);
            return;
        }
        let (seen, expected) = (signature(&attempt), signature(&control));
        let unread = |a: &Attempt| a.result.is_ok() && a.changed.is_none();
        if unread(&attempt) || unread(&control) {
            let detail = "ground truth could not be read after the upsert".to_string();
            self.push(relation, principal, probe, Verdict::Unreliable, detail);
        } else if control.result.is_err() {
            let detail = format!("the upsert with a fresh key fails too ({expected})");
            self.push(relation, principal, probe, Verdict::Unreliable, detail);
        } else if seen != expected {
            let detail = format!(
                "the upsert with B's key of {} gives {seen} while a fresh key gives {expected}: A learns the key exists",
                key.name
            );
            let sql = format!(
                "-- a fresh key: {expected}\n{fresh_sql};\n-- B's key: {seen}\n{collide_sql}"
            );
            let mut o = self.outcome(relation, principal, probe, Verdict::SideChannel, detail);
            o.repro = Some(self.repro(principal, &sql, None));
            o.fix = Some(format!(
                "include {} in the unique key {}",
                relation.tenant_column, key.name
            ));
            self.outcomes.push(o);
        } else {
            let detail = format!("{} answers B's key as it answers a fresh one", key.name);
            self.push(relation, principal, probe, Verdict::Pass, detail);
        }
    }
}

/// What the client sees of an upsert: its command tag or its error.
fn signature(attempt: &Attempt) -> String {
    match &attempt.result {
        Ok(done) => format!("INSERT 0 {}", done.count),
        Err(f) => format!("{} ({})", f.code, f.message),
    }
}
