//! Principals a real deployment has besides the user of A: a removed member
//! and a member of two tenants. Each `removed` variant of the profile (A's
//! membership row deleted, or soft-deleted) runs as the owner in a savepoint;
//! then every probe runs again as A's former user with A's context, who owns
//! nothing of tenant A any more. The member of two tenants is the user of A
//! with the setup run once more for a third tenant C: B's rows stay foreign.

use super::impersonate::Principal;
use super::matrix::Matrix;
use super::session;
use super::truth;
use super::{ProveError, transaction};

impl Matrix<'_> {
    /// Runs every probe of every relation as the user of A made a member of a
    /// third tenant `c` too (the setup run again for `c`, in a savepoint).
    pub async fn member_of_two(
        &mut self,
        user: &Principal,
        setup: &[String],
        c: &str,
    ) -> Result<Vec<String>, ProveError> {
        let mut warnings = Vec::new();
        if setup.is_empty() {
            return Ok(warnings);
        }
        let fill = |s: &String| {
            s.replace("{tenant}", c)
                .replace("{user}", user.user.as_deref().unwrap_or_default())
        };
        let sql: Vec<String> = setup.iter().map(fill).collect();
        let script = sql
            .iter()
            .map(|s| format!("{s};"))
            .collect::<Vec<_>>()
            .join("\n");
        let ran = session::run(self.client, &format!("savepoint second; {script}")).await;
        if ran.is_err() {
            let _ = session::run(
                self.client,
                "rollback to savepoint second; release savepoint second",
            )
            .await;
        }
        transaction::ensure_open(self.client, "the impersonation setup for a second tenant")
            .await?;
        if let Err(f) = ran {
            warnings.push(format!(
                "the impersonation setup for a second tenant of the user of A failed ({}: {}): the member of two tenants was not probed",
                f.code, f.message
            ));
            return Ok(warnings);
        }
        let mut member = user.clone();
        member.name = "member of A and C".into();
        member.also = vec![c.to_string()];
        self.script
            .push(format!("-- the user of A joins a second tenant\n{script}"));
        // C's rows are read as ground truth too, so that they count as its own.
        self.personal.push(c.to_string());
        let saved = self.snapshot_again().await;
        let relations = self.relations;
        for relation in relations {
            self.probe_all(&member, relation).await;
        }
        self.before = saved;
        self.personal.pop();
        self.script.pop();
        let _ = session::run(
            self.client,
            "rollback to savepoint second; release savepoint second",
        )
        .await;
        Ok(warnings)
    }

    /// Runs every probe of every relation as the removed member, once per variant.
    pub async fn removed_member(
        &mut self,
        user: &Principal,
        variants: &[String],
    ) -> Result<Vec<String>, ProveError> {
        let mut warnings = Vec::new();
        let relations = self.relations;
        for (i, variant) in variants.iter().enumerate() {
            let mut removed = user.clone();
            removed.name = format!("removed member of A ({})", i + 1);
            // Its tenant is no longer its own: A's rows count as another tenant's.
            removed.tenant = None;
            let sql = format!("savepoint removed; {variant}");
            let ran = session::run(self.client, &sql).await;
            if ran.is_err() {
                let _ = session::run(
                    self.client,
                    "rollback to savepoint removed; release savepoint removed",
                )
                .await;
            }
            transaction::ensure_open(self.client, "a [tenancy.impersonate] removed variant")
                .await?;
            if let Err(f) = ran {
                warnings.push(format!(
                    "the removed-member variant {} failed ({}: {}): its probes did not run",
                    i + 1,
                    f.code,
                    f.message
                ));
                continue;
            }
            self.script
                .push(format!("-- removed member, variant {}\n{variant};", i + 1));
            let saved = self.snapshot_again().await;
            for relation in relations {
                self.probe_all(&removed, relation).await;
            }
            self.before = saved;
            self.script.pop();
            let _ = session::run(
                self.client,
                "rollback to savepoint removed; release savepoint removed",
            )
            .await;
        }
        Ok(warnings)
    }

    /// Ground truth read again after SQL that changed the tenants' rows; returns the old one.
    async fn snapshot_again(
        &mut self,
    ) -> std::collections::HashMap<crate::sql::QualifiedName, truth::Snapshot> {
        let saved = self.before.clone();
        let tenants = self.truth_tenants();
        for r in self.relations.iter().filter(|r| r.is_table()) {
            if let Ok(s) = truth::snapshot(self.client, &truth::snapshot_sql(r, &tenants)).await {
                self.before.insert(r.name.clone(), s);
            }
        }
        saved
    }
}
