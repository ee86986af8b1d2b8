//! The audit's precision on realistic schemas written for it:
//! `tests/cases/audit_precision/<schema>/{schema.sql, expected.toml}`. Each schema
//! runs after its shape's prelude (`plain.sql`, `supabase.sql` beside them);
//! `expected.toml` lists every error and warn finding that must appear (its true
//! holes), and any other error or warn finding fails the test: a false alarm is
//! a bug. INFO findings are not judged.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rlsctl::audit::{self, AuditConfig, Level};
use serde::Deserialize;

/// `expected.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// `plain` (client role app_user, schema app) or `supabase` (detected).
    shape: String,
    /// What the schema is (one line).
    about: String,
    /// `[tenancy] column`.
    tenant_column: Option<String>,
    /// Scanned schemas (default: app for plain, detected for supabase).
    schemas: Option<Vec<String>>,
    /// Every error/warn finding that must appear.
    #[serde(default)]
    finding: Vec<ExpectedFinding>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFinding {
    key: String,
    level: Level,
    /// Why it is a true hole.
    why: String,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/audit_precision")
}

#[tokio::test]
async fn every_error_and_warn_finding_is_true_and_every_hole_is_found() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("tests/cases/audit_precision")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12, "the corpus holds {} schemas", dirs.len());
    let mut failures = Vec::new();
    let (mut holes, mut found) = (0, 0);
    for dir in &dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let expected: Expected = toml::from_str(
            &std::fs::read_to_string(dir.join("expected.toml")).expect("expected.toml"),
        )
        .unwrap_or_else(|e| panic!("{name}/expected.toml: {e}"));
        assert!(!expected.about.is_empty());
        let prelude = std::fs::read_to_string(root().join(format!("{}.sql", expected.shape)))
            .unwrap_or_else(|e| panic!("{name}: shape {}: {e}", expected.shape));
        let schema = std::fs::read_to_string(dir.join("schema.sql")).expect("schema.sql");
        let db = support::database().await;
        db.client()
            .batch_execute(&format!("{prelude}\n{schema}\nRESET ROLE;"))
            .await
            .unwrap_or_else(|e| panic!("{name}: schema failed: {e:?}"));
        let plain = expected.shape == "plain";
        let config = AuditConfig {
            client_roles: if plain {
                vec!["app_user".to_string()]
            } else {
                Vec::new()
            },
            schemas: expected.schemas.clone().unwrap_or_else(|| {
                if plain {
                    vec!["app".to_string()]
                } else {
                    Vec::new()
                }
            }),
            tenant_column: expected.tenant_column.clone(),
            ..AuditConfig::default()
        };
        let report = audit::run(db.client(), &config)
            .await
            .unwrap_or_else(|e| panic!("{name}: audit failed: {e}"));
        let reported: BTreeMap<&str, &audit::Finding> = report
            .findings
            .iter()
            .filter(|f| f.level.at_least(Level::Warn))
            .map(|f| (f.key.as_str(), f))
            .collect();
        for e in &expected.finding {
            assert!(!e.why.is_empty(), "{name}: {} has no why", e.key);
            holes += 1;
            match reported.get(e.key.as_str()) {
                Some(f) if f.level == e.level => found += 1,
                Some(f) => failures.push(format!(
                    "{name}: {} is {:?}, expected {:?}: {}",
                    e.key, f.level, e.level, f.reason
                )),
                None => failures.push(format!("{name}: missed {} ({})", e.key, e.why)),
            }
        }
        for (key, f) in &reported {
            if !expected.finding.iter().any(|e| e.key == *key) {
                failures.push(format!(
                    "{name}: false alarm {key} [{:?}, reach {}]: {}",
                    f.level,
                    f.reach.as_str(),
                    f.reason
                ));
            }
        }
    }
    println!(
        "precision corpus: {} schemas, {found} of {holes} true holes found",
        dirs.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures over {} schemas:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}
