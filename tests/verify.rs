//! `rlsctl verify`, the CI gate, against real PostgreSQL: it passes on the
//! bundled example and fails, in the stage that says why, on drift, on an
//! unreviewed hazard, on a leak, on a failed policy test and on an audit error;
//! with `--database-url` it checks the target's history and schema.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::TestDatabase;
use support::cli::app_user_role;

const TENANT_SCHEMA: &str = r#"
[schemas.app]
grants = { app_user = ["usage"] }

[functions."app.current_tenant_id"]
returns = "uuid"
language = "sql"
volatility = "stable"
body = "select nullif(current_setting('app.tenant_id', true), '')::uuid"

[tables.notes]
tenant = true
columns.id = { type = "uuid", primary_key = true, default = "gen_random_uuid()" }
columns.body = { type = "text" }
"#;

const GRANTS: &str = "grants = { app_user = [\"select\", \"insert\", \"update\", \"delete\"] }\n";

/// A tenant project whose dev databases go to the test server.
fn project(db: &TestDatabase, schema: &str, policies: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rlsctl.toml"),
        format!(
            r#"[project]
schemas = ["app"]
[database]
dev_url = "{}"
[roles]
app_user = {{}}
[tenancy]
column = "tenant_id"
type = "uuid"
current = "(select app.current_tenant_id())"
roles = ["app_user"]
[tenancy.impersonate]
role = "app_user"
settings = {{ "app.tenant_id" = "{{tenant}}" }}
"#,
            db.url()
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(dir.path().join("schema/app.toml"), schema).unwrap();
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    std::fs::write(dir.path().join("policies/app.toml"), policies).unwrap();
    dir
}

fn rlsctl(dir: &Path, args: &[&str]) -> Output {
    Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("RLSCTL_NO_CACHE", "1")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `verify --format json`: the exit code and the status of each stage.
fn verify_json(dir: &Path, extra: &[&str]) -> (Option<i32>, Value, String) {
    let mut args = vec!["verify", "--format", "json"];
    args.extend_from_slice(extra);
    let out = rlsctl(dir, &args);
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    (out.status.code(), json, text(&out))
}

fn stage<'a>(json: &'a Value, name: &str) -> &'a str {
    json["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no stage {name} in {json}"))["status"]
        .as_str()
        .unwrap()
}

async fn setup(schema: &str, policies: &str) -> (TestDatabase, tempfile::TempDir) {
    let db = support::database().await;
    app_user_role(&db).await;
    let dir = project(&db, schema, policies);
    let init = rlsctl(dir.path(), &["migrate", "new", "init"]);
    assert!(init.status.success(), "{}", text(&init));
    (db, dir)
}

#[tokio::test]
async fn verify_passes_on_the_bundled_example_with_every_output() {
    let db = support::database().await;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let junit = out_dir.path().join("verify.xml");
    let sarif = out_dir.path().join("verify.sarif");
    let url = db.url();
    let out = rlsctl(
        root,
        &[
            "verify",
            "--dev-url",
            &url,
            "--junit",
            junit.to_str().unwrap(),
            "--sarif",
            sarif.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    for name in ["validate", "replay", "hazards", "drift", "tests", "audit"] {
        assert!(shown.contains(name), "{shown}");
    }
    assert!(shown.contains("verify passed"), "{shown}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(xml.contains("name=\"drift\""), "{xml}");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[tokio::test]
async fn a_clean_project_passes_and_its_target_is_checked() {
    let (db, dir) = setup(&format!("{TENANT_SCHEMA}{GRANTS}"), "").await;
    let (code, json, shown) = verify_json(dir.path(), &[]);
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(json["passed"], true);
    // A target with the migrations applied: its history is a prefix, no drift.
    let url = db.url();
    let up = rlsctl(dir.path(), &["migrate", "up", "--database-url", &url]);
    assert!(up.status.success(), "{}", text(&up));
    let (code, json, shown) = verify_json(dir.path(), &["--database-url", &url]);
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(stage(&json, "target history"), "passed");
    assert_eq!(stage(&json, "target drift"), "passed");
    // Changed by hand: drift detected on the target.
    db.client()
        .batch_execute("alter table app.notes add column sneaky text")
        .await
        .unwrap();
    let (code, json, shown) = verify_json(dir.path(), &["--database-url", &url]);
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(stage(&json, "target drift"), "failed");
    assert_eq!(stage(&json, "drift"), "passed");
    // An applied migration edited: the history is no prefix.
    let file = dir.path().join("migrations/V1__init.sql");
    let edited = std::fs::read_to_string(&file).unwrap() + "\n-- edited\n";
    std::fs::write(&file, edited).unwrap();
    let (code, json, shown) = verify_json(dir.path(), &["--database-url", &url]);
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(stage(&json, "target history"), "failed");
}

#[tokio::test]
async fn verify_fails_on_drift_and_says_to_write_a_migration() {
    let (_db, dir) = setup(&format!("{TENANT_SCHEMA}{GRANTS}"), "").await;
    std::fs::write(
        dir.path().join("schema/app.toml"),
        format!("{TENANT_SCHEMA}columns.title = {{ type = \"text\", nullable = true }}\n{GRANTS}"),
    )
    .unwrap();
    let out = rlsctl(dir.path(), &["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("run `rlsctl migrate new NAME`"), "{shown}");
    assert!(shown.contains("app.notes.title"), "{shown}");
    let (_, json, _) = verify_json(dir.path(), &[]);
    assert_eq!(stage(&json, "drift"), "failed");
    assert_eq!(stage(&json, "tests"), "passed");
}

#[tokio::test]
async fn verify_fails_on_an_unreviewed_hazard_and_passes_its_reviewed_twin() {
    let (_db, dir) = setup(&format!("{TENANT_SCHEMA}{GRANTS}"), "").await;
    // The declaration loses `body`; a hand-written migration drops it.
    let without_body =
        format!("{TENANT_SCHEMA}{GRANTS}").replace("columns.body = { type = \"text\" }\n", "");
    std::fs::write(dir.path().join("schema/app.toml"), without_body).unwrap();
    let migration = dir.path().join("migrations/V2__drop_body.sql");
    std::fs::write(&migration, "alter table app.notes drop column body;\n").unwrap();
    let (code, json, shown) = verify_json(dir.path(), &[]);
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(stage(&json, "hazards"), "failed", "{shown}");
    assert_eq!(stage(&json, "drift"), "passed", "{shown}");
    assert!(shown.contains("data loss"), "{shown}");
    std::fs::write(
        &migration,
        "-- rlsctl:reviewed destructive\nalter table app.notes drop column body;\n",
    )
    .unwrap();
    let (code, json, shown) = verify_json(dir.path(), &[]);
    assert_eq!(stage(&json, "hazards"), "passed", "{shown}");
    assert_eq!(code, Some(0), "{shown}");
}

#[tokio::test]
async fn verify_fails_on_a_leak() {
    let leaky = "[[policy]]\ntable = \"notes\"\nname = \"everyone_reads\"\ncommand = \"select\"\nroles = [\"app_user\"]\nusing = \"true\"\n";
    let (_db, dir) = setup(&format!("{TENANT_SCHEMA}{GRANTS}"), leaky).await;
    let out = rlsctl(dir.path(), &["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("LEAK"), "{}", text(&out));
    let (_, json, shown) = verify_json(dir.path(), &[]);
    assert_eq!(stage(&json, "tests"), "failed", "{shown}");
    assert_eq!(stage(&json, "drift"), "passed", "{shown}");
}

#[tokio::test]
async fn verify_fails_on_a_failed_policy_test() {
    let test = r#"
[identities.alice]
role = "app_user"
settings = { "app.tenant_id" = "00000000-0000-0000-0000-00000000000a" }

[[test]]
name = "alice sees five notes"
as = "alice"
query = "select * from app.notes"
expect = { count = 5 }
"#;
    let (_db, dir) = setup(&format!("{TENANT_SCHEMA}{GRANTS}"), test).await;
    let (code, json, shown) = verify_json(dir.path(), &[]);
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(stage(&json, "tests"), "failed", "{shown}");
    assert_eq!(json["details"]["tests"]["tests_failed"], 1, "{shown}");
    // Its twin expecting what alice sees passes.
    std::fs::write(
        dir.path().join("policies/app.toml"),
        test.replace("count = 5", "count = 0").replace("five", "no"),
    )
    .unwrap();
    let (code, json, shown) = verify_json(dir.path(), &[]);
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(stage(&json, "tests"), "passed");
}

#[tokio::test]
async fn verify_fails_on_an_audit_error() {
    // TRIGGER on a tenant table lets the client role copy other tenants' rows
    // (PRV005): an audit error no probe sees.
    let schema = format!(
        "{TENANT_SCHEMA}grants = {{ app_user = [\"select\", \"insert\", \"update\", \"delete\", \"trigger\"] }}\n"
    );
    let (_db, dir) = setup(&schema, "").await;
    let (code, json, shown) = verify_json(dir.path(), &[]);
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(stage(&json, "audit"), "failed", "{shown}");
    assert_eq!(stage(&json, "tests"), "passed", "{shown}");
    let (code, json, shown) = verify_json(dir.path(), &["--fail-on", "never"]);
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(stage(&json, "audit"), "passed");
}

#[tokio::test]
async fn a_badly_named_migration_fails_the_replay() {
    let (_db, dir) = setup(&format!("{TENANT_SCHEMA}{GRANTS}"), "").await;
    std::fs::write(dir.path().join("migrations/V2__bad-name.sql"), "select 1;").unwrap();
    let (code, json, shown) = verify_json(dir.path(), &[]);
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(stage(&json, "replay"), "failed");
    assert_eq!(stage(&json, "drift"), "skipped");
    assert!(shown.contains("V2__bad-name.sql"), "{shown}");
}
