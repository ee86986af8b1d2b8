//! Table-driven diff cases: `tests/cases/diff/<case>/` holds `before.sql` (run on
//! the target first), a project (rlsctl.toml, schema/, policies/) and
//! `expected.txt`: one line per change (`+ table app.t`, `~ column ...`), each
//! followed by its hazards (`  ! data loss`; a drop that breaks dependents with its
//! reason: `  ! breaks dependents: ... used by trigger t on table app.t`), then one
//! line per object left unmanaged (`? view app.v`). For every case: the plan matches,
//! apply succeeds, and the next plan is empty (convergence). An `expected.txt` of
//! `error: text` says that plan must refuse the target with a message holding `text`.
//!
//! An empty file `allow_destructive` in a case says its plan needs
//! `--allow-destructive`: the runner then checks that `apply` would refuse the plan
//! without the flag and accept it with it (`Plan::blocking`). Without the marker
//! nothing is checked about blocking hazards. A case with a `refused` file instead
//! must hold a hazard that `apply` refuses whatever the flags (`Hazard::Refused`,
//! `Hazard::HarmsUnmanaged`, shown with its reason: `  ! refused: ...`), and is not
//! applied.
//!
//! A widening of a tenant table's RLS or grants shows as `  ! RLS widened`: the
//! diff's classification before the plan-time proof, which `tests/plan_proof.rs`
//! runs through the CLI.
//!
//! An optional `after.sql` then runs on the target and must succeed: what the
//! applied schema must still do (an insert that takes the next identity value
//! without colliding).

mod support;

use std::path::{Path, PathBuf};

use rlsctl::plan::{self, apply};
use rlsctl::{ddl, desired, spec};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/diff");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    // DIFF_CASE=substring runs only the matching cases (while working on one).
    if let Ok(only) = std::env::var("DIFF_CASE") {
        dirs.retain(|d| {
            d.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(&only))
        });
    }
    dirs
}

fn summary(plan: &plan::Plan) -> String {
    let mut out = String::new();
    for c in &plan.changes {
        out.push_str(&format!("{} {}\n", c.action.sign(), c.object));
        for h in &c.hazards {
            match h {
                rlsctl::diff::Hazard::BreaksDependents(reason)
                | rlsctl::diff::Hazard::Refused(reason)
                | rlsctl::diff::Hazard::HarmsUnmanaged(reason) => {
                    out.push_str(&format!("  ! {}: {reason}\n", h.label()))
                }
                _ => out.push_str(&format!("  ! {}\n", h.label())),
            }
        }
    }
    for u in &plan.unmanaged {
        out.push_str(&format!("? {} {}\n", u.kind, u.name));
    }
    out
}

async fn run_case(dir: &Path) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let loaded = spec::load(dir).map_err(|f| format!("{name}: load: {:?}", f.diagnostics))?;
    let declaration = spec::validate(&loaded)
        .declaration
        .ok_or_else(|| format!("{name}: declaration does not validate"))?;
    let concurrent = dir.join("concurrent").exists();
    let db = support::database().await;
    let client = db.client();
    client
        .batch_execute(&format!(
            "BEGIN; {} COMMIT;",
            ddl::roles_script(&declaration)
        ))
        .await
        .map_err(|e| format!("{name}: roles: {e}"))?;
    if let Ok(before) = std::fs::read_to_string(dir.join("before.sql")) {
        client
            .batch_execute(&before)
            .await
            .map_err(|e| format!("{name}: before.sql: {e}"))?;
    }
    let server = support::server();
    let wanted = desired::catalog(&server, &declaration)
        .await
        .map_err(|e| format!("{name}: desired: {e}"))?;
    let expected = std::fs::read_to_string(dir.join("expected.txt"))
        .map_err(|e| format!("{name}: expected.txt: {e}"))?;
    // `error: text`: plan must refuse, saying `text`.
    if let Some(wanted_error) = expected.trim_end().strip_prefix("error: ") {
        return match plan::prepare(&declaration, &wanted, client, concurrent).await {
            Err(e) if e.to_string().contains(wanted_error) => Ok(()),
            Err(e) => Err(format!(
                "{name}: plan failed with {e:?}, not with {wanted_error:?}"
            )),
            Ok((plan, _)) => Err(format!("{name}: plan did not fail:\n{}", summary(&plan))),
        };
    }
    let (plan, _) = plan::prepare(&declaration, &wanted, client, concurrent)
        .await
        .map_err(|e| format!("{name}: plan: {e}"))?;
    let got = summary(&plan);
    if got.trim_end() != expected.trim_end() {
        let details: Vec<String> = plan
            .changes
            .iter()
            .filter_map(|c| c.detail.clone())
            .collect();
        return Err(format!(
            "{name}: plan differs\n--- expected\n{expected}\n--- got\n{got}--- details\n{details:?}\n--- sql\n{}",
            plan.to_sql()
        ));
    }
    if dir.join("allow_destructive").exists() {
        let refused = plan.blocking(plan::Allowed::default());
        let still = plan.blocking(plan::Allowed {
            destructive: true,
            rls_weakening: false,
        });
        if refused.is_empty() || !still.is_empty() {
            return Err(format!(
                "{name}: marked allow_destructive, but without the flag {} hazard(s) block the plan and with it {} still do",
                refused.len(),
                still.len()
            ));
        }
    }
    if dir.join("refused").exists() {
        // A case whose plan cannot run: apply refuses it whatever the flags.
        let every_flag = plan::Allowed {
            destructive: true,
            rls_weakening: true,
        };
        if plan.blocking(every_flag).is_empty() {
            return Err(format!("{name}: expected a refused plan"));
        }
        return Ok(());
    }
    apply::run(client, db.notices(), &plan, apply::Options::default())
        .await
        .map_err(|e| format!("{name}: apply: {e}\n{}", plan.to_sql()))?;
    let (again, _) = plan::prepare(&declaration, &wanted, client, concurrent)
        .await
        .map_err(|e| format!("{name}: second plan: {e}"))?;
    if !again.is_empty() {
        let details: Vec<String> = again
            .changes
            .iter()
            .filter_map(|c| c.detail.clone())
            .collect();
        return Err(format!(
            "{name}: not converged; after apply the plan still has:\n{}details: {details:?}\n{}",
            summary(&again),
            again.to_sql()
        ));
    }
    if let Ok(after) = std::fs::read_to_string(dir.join("after.sql")) {
        client
            .batch_execute(&after)
            .await
            .map_err(|e| format!("{name}: after.sql: {}", rlsctl::error::error_chain(&e)))?;
    }
    Ok(())
}

/// How many cases run at once.
const CONCURRENT_CASES: usize = 4;

#[tokio::test]
async fn every_diff_case_plans_as_expected_applies_and_converges() {
    let cases = cases();
    let minimum = if std::env::var("DIFF_CASE").is_ok() {
        1
    } else {
        60
    };
    assert!(
        cases.len() >= minimum,
        "the diff corpus is missing cases: {} found",
        cases.len()
    );
    // Cases run a few at a time: each has its own database, and most of a case
    // is waiting on PostgreSQL. The result keeps the corpus order.
    let mut failures = Vec::new();
    for chunk in cases.chunks(CONCURRENT_CASES) {
        let mut running = tokio::task::JoinSet::new();
        for (i, dir) in chunk.iter().cloned().enumerate() {
            running.spawn(async move { (i, run_case(&dir).await) });
        }
        let mut results = running.join_all().await;
        results.sort_by_key(|(i, _)| *i);
        failures.extend(results.into_iter().filter_map(|(_, r)| r.err()));
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_case_has_an_expected_plan() {
    for dir in cases() {
        assert!(
            dir.join("expected.txt").is_file(),
            "{} has no expected.txt",
            dir.display()
        );
        assert!(
            dir.join("rlsctl.toml").is_file(),
            "{} has no rlsctl.toml",
            dir.display()
        );
    }
}
