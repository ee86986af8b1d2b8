//! The plan-time proof: the one decision `plan`, `apply` and `migrate new` take
//! on the `RlsWidened` hazards of a plan. The diff marks what may let more rows
//! through the RLS of a tenant relation and cannot tell which way it goes; here
//! the isolation proof runs on a dev database holding the declaration,
//! restricted to those relations, and decides each: proven isolated (access
//! widened within the tenant only: not blocking), a leak (blocking, with its
//! witnesses), or still unproven (blocking, with the reason).
//! `--allow-rls-weakening` still overrides the last two (`Plan::blocking`).

use std::collections::BTreeSet;

use tokio_postgres::Client;

use super::failure::{Failure, fail};
use super::session::dev_server;
use crate::cluster::DevServer;
use crate::desired;
use crate::diff::{Hazard, Proof, Widening, Witness};
use crate::plan::Plan;
use crate::prove::{self, Report, Verdict};
use crate::spec::Declaration;
use crate::sql::QualifiedName;

/// Decides every unproven `RlsWidened` hazard of `plan` with the isolation proof,
/// run on a fresh database of `dev` (or of a dev server started for it) that
/// holds the declaration. Does nothing when no hazard needs a proof. A proof that
/// cannot run leaves the hazards unproven, saying why.
pub(crate) async fn rls_widenings(
    declaration: &Declaration,
    plan: &mut Plan,
    dev: Option<&DevServer>,
) -> Result<(), Failure> {
    let relations: BTreeSet<QualifiedName> = unproven(plan).map(|w| w.relation.clone()).collect();
    if relations.is_empty() {
        return Ok(());
    }
    let mut proof = match prove::Plan::from_declaration(declaration) {
        Ok(p) => p,
        Err(e) => {
            settle(plan, |_| Proof::Needed {
                why: Some(e.to_string()),
            });
            return Ok(());
        }
    };
    // Only the automatic proof, of the relations that change: the hand-written
    // tests are `rlsctl test`'s.
    proof.tests.clear();
    proof.only = Some(relations.clone());
    proof.refresh_materialized_views = true;
    eprintln!(
        "proving the isolation of {} relation(s) whose RLS, policies or grants widen ...",
        relations.len()
    );
    let started;
    let server = match dev {
        Some(server) => server,
        None => {
            started = dev_server(declaration)?;
            &started
        }
    };
    let database = server.create_database("rlsctl_proof").await.map_err(fail)?;
    let outcome = async {
        let client: Client = database.connect().await.map_err(fail)?;
        desired::build(&client, declaration).await.map_err(fail)?;
        Ok::<_, Failure>(prove::run(&client, &proof, &|_, _| {}).await)
    }
    .await;
    let _ = database.drop().await;
    match outcome? {
        Ok(report) => settle(plan, |w| decision(&report, &w.relation)),
        Err(e) => settle(plan, |_| Proof::Needed {
            why: Some(format!(
                "the isolation proof failed: {}",
                crate::error::error_chain(&e)
            )),
        }),
    }
    Ok(())
}

fn unproven(plan: &Plan) -> impl Iterator<Item = &Widening> {
    plan.hazards().filter_map(|(_, h)| match h {
        Hazard::RlsWidened(w) if matches!(w.proof, Proof::Needed { .. }) => Some(w),
        _ => None,
    })
}

/// Sets the proof of every unproven widening to `decide`'s.
fn settle(plan: &mut Plan, decide: impl Fn(&Widening) -> Proof) {
    for change in &mut plan.changes {
        for hazard in &mut change.hazards {
            if let Hazard::RlsWidened(w) = hazard
                && matches!(w.proof, Proof::Needed { .. })
            {
                w.proof = decide(w);
            }
        }
    }
}

/// The proof's decision on `relation`: a LEAK anywhere refuses it; isolated
/// when its probes ran and passed (a SIDE-CHANNEL does not fail `rlsctl test`
/// by default either); else unproven, saying why.
fn decision(report: &Report, relation: &QualifiedName) -> Proof {
    // Outcomes name `kind name` (`table app.docs`, `materialized view app.v`).
    let suffix = format!(" {relation}");
    let outcomes: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| o.relation.ends_with(&suffix))
        .collect();
    let witnesses: Vec<Witness> = outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::Leak)
        .map(|o| Witness {
            probe: o.probe.name().to_string(),
            principal: o.principal.clone(),
            detail: o.detail.clone(),
            repro: o.repro.as_ref().map(|r| r.script()),
            policies: o.policies.clone(),
        })
        .collect();
    if !witnesses.is_empty() {
        return Proof::Leaks { witnesses };
    }
    if outcomes.is_empty() {
        let why = report
            .not_probed
            .iter()
            .find(|n| n.relation.ends_with(&suffix))
            .map(|n| n.reason.clone())
            .or_else(|| report.warnings.first().cloned())
            .unwrap_or_else(|| format!("{relation} is not a tenant relation the proof found"));
        return Proof::Needed {
            why: Some(format!("no probe ran on {relation}: {why}")),
        };
    }
    // Isolation proven only when the own-tenant controls passed: DENY-ALL,
    // ERROR and UNRELIABLE prove it vacuously or not at all (as in `rlsctl test`).
    let unproven: Vec<String> = outcomes
        .iter()
        .filter(|o| {
            matches!(
                o.verdict,
                Verdict::DenyAll | Verdict::Error(_) | Verdict::Unreliable
            )
        })
        .map(|o| {
            format!(
                "{} {} as {}: {}",
                o.verdict.label(),
                o.probe.name(),
                o.principal,
                o.detail
            )
        })
        .collect();
    if let Some(first) = unproven.first() {
        return Proof::Needed {
            why: Some(format!(
                "{} probe(s) of {relation} proved nothing (run `rlsctl test` to see them), first: {first}",
                unproven.len()
            )),
        };
    }
    Proof::Isolated
}
