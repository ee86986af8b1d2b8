//! Principals a real deployment has besides the user of A: a removed member.
//! Each `removed` variant of the profile (A's membership row deleted, or
//! soft-deleted) runs as the owner in a savepoint; then every probe runs again
//! as A's former user with A's context, who owns nothing of tenant A any more.

use super::impersonate::Principal;
use super::matrix::Matrix;
use super::session;
use super::truth;
use super::{ProveError, transaction};

impl Matrix<'_> {
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
                let _ = session::run(self.client, "rollback to savepoint removed; release savepoint removed").await;
            }
            transaction::ensure_open(self.client, "a [tenancy.impersonate] removed variant").await?;
            if let Err(f) = ran {
                warnings.push(format!(
                    "the removed-member variant {} failed ({}: {}): its probes did not run",
                    i + 1,
                    f.code,
                    f.message
                ));
                continue;
            }
            self.script.push(format!("-- removed member, variant {}\n{variant};", i + 1));
            let saved = self.before.clone();
            let tenants = self.truth_tenants();
            for r in relations.iter().filter(|r| r.is_table()) {
                if let Ok(s) = truth::snapshot(self.client, &truth::snapshot_sql(r, &tenants)).await {
                    self.before.insert(r.name.clone(), s);
                }
            }
            for relation in relations {
                self.probe_all(&removed, relation).await;
            }
            self.before = saved;
            self.script.pop();
            let _ = session::run(self.client, "rollback to savepoint removed; release savepoint removed").await;
        }
        Ok(warnings)
    }
}
