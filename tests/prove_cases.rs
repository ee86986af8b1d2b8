//! The isolation-proof corpus: `tests/cases/prove/<case>/` holds `schema.sql`
//! (run as the connecting superuser), `rlsctl.toml` (the tenancy and how to
//! impersonate) and `expected.toml`: every `[[finding]]` (verdict, relation,
//! probe, optional principal and detail substring; `*` matches any probe; a
//! PASS finding asserts a denial and what it shows) must be reported, and
//! every verdict other than PASS must be listed; `not_probed = [...]`, when
//! given, is exactly the functions left uncalled; `probed_as = [...]` names
//! principals that must have run. A case without findings is a
//! clean twin: every probe passes.

mod support;

use std::path::{Path, PathBuf};

use rlsctl::prove::{self, Outcome, Plan};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Expected {
    #[serde(default)]
    finding: Vec<Finding>,
    /// When given: exactly the client-callable functions not called.
    not_probed: Option<Vec<String>>,
    /// Principals that must have been probed (a clean twin's proof that they ran).
    #[serde(default)]
    probed_as: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Finding {
    verdict: String,
    relation: String,
    probe: String,
    principal: Option<String>,
    /// When given: a substring the outcome's detail must hold (a PASS that shows its error).
    detail: Option<String>,
}

impl Finding {
    fn matches(&self, o: &Outcome) -> bool {
        o.verdict.label() == self.verdict
            && o.relation == self.relation
            && (self.probe == "*" || o.probe.name() == self.probe)
            && self
                .principal
                .as_ref()
                .is_none_or(|p| o.principal.starts_with(p.as_str()))
            && self
                .detail
                .as_ref()
                .is_none_or(|d| o.detail.contains(d.as_str()))
    }
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/prove");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/cases/prove")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn plan(dir: &Path) -> Plan {
    let loaded = rlsctl::spec::load(dir).unwrap_or_else(|_| panic!("load {}", dir.display()));
    let validated = rlsctl::spec::validate(&loaded);
    let declaration = validated.declaration.unwrap_or_else(|| {
        panic!(
            "{}: invalid rlsctl.toml: {:?}",
            dir.display(),
            validated.diagnostics
        )
    });
    let mut plan = Plan::from_declaration(&declaration).expect("tenancy");
    plan.refresh_materialized_views = true;
    plan
}

async fn check(dir: &Path) -> Result<usize, String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let db = support::database().await;
    let schema = std::fs::read_to_string(dir.join("schema.sql")).expect("schema.sql");
    db.client()
        .batch_execute(&schema)
        .await
        .map_err(|e| format!("{name}: schema.sql: {e:?}"))?;
    let expected: Expected =
        toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).expect("expected.toml"))
            .map_err(|e| format!("{name}: expected.toml: {e}"))?;
    let report = prove::run(db.client(), &plan(dir), &|_, _| {})
        .await
        .map_err(|e| format!("{name}: {e}"))?;
    let mut problems = Vec::new();
    if report.scope.relations.is_empty() {
        problems.push("no tenant relation found".to_string());
    }
    for f in &expected.finding {
        if !report.outcomes.iter().any(|o| f.matches(o)) {
            let near: Vec<String> = report
                .outcomes
                .iter()
                .filter(|o| {
                    o.relation == f.relation && (f.probe == "*" || o.probe.name() == f.probe)
                })
                .filter(|o| {
                    f.principal
                        .as_ref()
                        .is_none_or(|p| o.principal.starts_with(p.as_str()))
                })
                .map(|o| format!("{} as {}: {}", o.verdict.label(), o.principal, o.detail))
                .collect();
            problems.push(format!(
                "missing {} {} {} {:?} {:?} (reported: {near:?})",
                f.verdict, f.relation, f.probe, f.principal, f.detail
            ));
        }
    }
    for o in &report.outcomes {
        if o.verdict != prove::Verdict::Pass && !expected.finding.iter().any(|f| f.matches(o)) {
            problems.push(format!(
                "unexpected {} {} as {}: {} ({})",
                o.verdict.label(),
                o.relation,
                o.principal,
                o.probe.name(),
                o.detail
            ));
        }
    }
    for p in &expected.probed_as {
        if !report
            .outcomes
            .iter()
            .any(|o| o.principal.starts_with(p.as_str()))
        {
            problems.push(format!("no probe ran as {p}"));
        }
    }
    if let Some(expected) = &expected.not_probed {
        let got: Vec<&str> = report
            .functions_not_probed
            .iter()
            .map(|n| n.relation.as_str())
            .collect();
        if got != *expected {
            problems.push(format!(
                "functions not probed: {got:?}, expected {expected:?} ({:?})",
                report.functions_not_probed
            ));
        }
    }
    for w in &report.warnings {
        if w.starts_with("cannot seed") {
            problems.push(format!("seeding: {w}"));
        }
    }
    if problems.is_empty() {
        Ok(report.outcomes.len())
    } else {
        Err(format!("{name}:\n  {}", problems.join("\n  ")))
    }
}

#[tokio::test]
async fn every_prove_case_reports_exactly_its_expected_verdicts() {
    let filter = std::env::var("PROVE_CASE").unwrap_or_default();
    let mut failures = Vec::new();
    let mut passed = 0;
    for dir in cases() {
        if !dir.to_string_lossy().contains(&filter) {
            continue;
        }
        match check(&dir).await {
            Ok(_) => passed += 1,
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) passed, {} failed:\n{}",
        passed,
        failures.len(),
        failures.join("\n")
    );
    assert!(passed > 0, "no case ran");
}
