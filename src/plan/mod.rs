//! The plan: changes ordered into one script. Steps run in `Phase` order (what
//! must go before its dependencies change first, then creations, then dropped
//! columns, tables and functions, then RLS relaxed), keeping the diff's order
//! within a phase; CONCURRENTLY steps run after the transaction.

pub mod apply;
pub mod notices;
mod prepare;
mod target_checks;

pub use prepare::{PrepareError, options, prepare};

use serde::Serialize;

use crate::diff::{Change, Hazard, Phase, Unmanaged};

/// An ordered script with the changes it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The typed changes, in diff order.
    pub changes: Vec<Change>,
    /// Every statement in execution order.
    pub statements: Vec<Statement>,
    /// Objects of the owned schemas the plan leaves alone (`diff::unmanaged`);
    /// JSON shows them beside the plan.
    #[serde(skip)]
    pub unmanaged: Vec<Unmanaged>,
}

/// One statement of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// Its phase.
    pub phase: Phase,
    /// The SQL, without the trailing semicolon.
    pub sql: String,
    /// Index of the change it belongs to.
    pub change: usize,
    /// Whether it runs inside the apply transaction.
    pub transactional: bool,
}

/// Which hazards the user accepted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allowed {
    /// `--allow-destructive`: data loss, drops that break what uses the object, and
    /// behaviour lost (an identity, a generated expression, an exclusion constraint).
    pub destructive: bool,
    /// `--allow-rls-weakening`: weaker row-level security or privileges.
    pub rls_weakening: bool,
}

impl Plan {
    /// Orders the steps of `changes`.
    pub fn new(changes: Vec<Change>) -> Plan {
        let mut statements: Vec<Statement> = changes
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                c.steps.iter().map(move |s| Statement {
                    phase: s.phase,
                    sql: s.sql.clone(),
                    change: i,
                    transactional: s.transactional(),
                })
            })
            .collect();
        // Stable: the diff's order is kept within a phase, except that views
        // (listed in creation order, each after the views it reads) are dropped
        // in the reverse order, dependents first.
        statements.sort_by_key(|s| {
            let reversed = if s.phase == Phase::DropViews {
                usize::MAX - s.change
            } else {
                0
            };
            (s.phase, reversed)
        });
        Plan {
            changes,
            statements,
            unmanaged: Vec::new(),
        }
    }

    /// The plan, listing `unmanaged` as what it leaves alone.
    pub fn with_unmanaged(mut self, unmanaged: Vec<Unmanaged>) -> Plan {
        self.unmanaged = unmanaged;
        self
    }

    /// True when the target already matches.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Every hazard with the object it belongs to.
    pub fn hazards(&self) -> impl Iterator<Item = (&Change, &Hazard)> {
        self.changes
            .iter()
            .flat_map(|c| c.hazards.iter().map(move |h| (c, h)))
    }

    /// Hazards that `apply` refuses without the matching flag.
    pub fn blocking(&self, allowed: Allowed) -> Vec<(&Change, &Hazard)> {
        self.hazards()
            .filter(|(_, h)| match h {
                Hazard::DataLoss(_) | Hazard::BreaksDependents(_) | Hazard::BehaviourLost(_) => {
                    !allowed.destructive
                }
                Hazard::RlsWeakened(_) => !allowed.rls_weakening,
                // Unproven or leaking widenings are weakenings; proven isolated, not.
                Hazard::RlsWidened(w) => {
                    !matches!(w.proof, crate::diff::Proof::Isolated) && !allowed.rls_weakening
                }
                Hazard::Refused(_) => true,
                Hazard::HarmsUnmanaged(_) => true,
                _ => false,
            })
            .collect()
    }

    /// The script: one transaction, then the CONCURRENTLY steps.
    pub fn to_sql(&self) -> String {
        let mut out = String::new();
        if self.statements.is_empty() {
            return "-- no changes\n".to_string();
        }
        let (inside, outside): (Vec<&Statement>, Vec<&Statement>) =
            self.statements.iter().partition(|s| s.transactional);
        if !inside.is_empty() {
            out.push_str(
                "BEGIN;\nSET LOCAL lock_timeout = '5s';\nSET LOCAL check_function_bodies = off;\n",
            );
            for s in inside {
                out.push_str(&s.sql);
                out.push_str(";\n");
            }
            out.push_str("COMMIT;\n");
        }
        if !outside.is_empty() {
            out.push_str(
                "-- outside the transaction (CREATE INDEX CONCURRENTLY cannot run in one):\n",
            );
            for s in outside {
                out.push_str(&s.sql);
                out.push_str(";\n");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{Allowed, Plan};
    use crate::diff::{Action, Change, Hazard};

    fn plan(hazard: Hazard) -> Plan {
        Plan::new(vec![Change {
            action: Action::Alter,
            object: "column app.t.id".into(),
            detail: None,
            texts: Vec::new(),
            hazards: vec![hazard],
            steps: Vec::new(),
        }])
    }

    #[test]
    fn lost_behaviour_needs_allow_destructive() {
        let lost = plan(Hazard::BehaviourLost("identity dropped".into()));
        assert_eq!(lost.blocking(Allowed::default()).len(), 1);
        let allowed = Allowed {
            destructive: true,
            ..Allowed::default()
        };
        assert!(lost.blocking(allowed).is_empty());
        let lock = plan(Hazard::LongLock("index build".into()));
        assert!(lock.blocking(Allowed::default()).is_empty());
    }

    #[test]
    fn a_widening_blocks_unless_proven_isolated_or_allowed() {
        use crate::diff::{Proof, Widening};
        let widened = |proof: Proof| {
            let mut w = Widening::unproven(&crate::sql::QualifiedName::new("app", "t"), "a grant");
            w.proof = proof;
            plan(Hazard::RlsWidened(w))
        };
        let allowed = Allowed {
            rls_weakening: true,
            ..Allowed::default()
        };
        for proof in [
            Proof::Needed { why: None },
            Proof::Leaks {
                witnesses: Vec::new(),
            },
        ] {
            let p = widened(proof);
            assert_eq!(p.blocking(Allowed::default()).len(), 1);
            assert!(p.blocking(allowed).is_empty());
        }
        assert!(
            widened(Proof::Isolated)
                .blocking(Allowed::default())
                .is_empty()
        );
    }
}
