//! `rlsctl plan` and `rlsctl apply` as a user runs them: the binary against a real
//! test database, exit codes, output formats, the hazard flags and confirmation.

mod support;

use std::path::Path;

use assert_cmd::Command;

/// A project in a temp dir; its dev databases go to the test server (no extra cluster).
fn project(db: &support::TestDatabase, schema: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rlsctl.toml"),
        format!(
            "[project]\nschemas = [\"app\"]\n[database]\ndev_url = \"{}\"\n[roles]\napp_user = {{}}\n",
            db.url()
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(dir.path().join("schema/app.toml"), schema).unwrap();
    dir
}

fn rlsctl(project: &Path, db: &support::TestDatabase, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("rlsctl")
        .unwrap()
        .arg("-C")
        .arg(project)
        .args(args)
        .arg("--database-url")
        .arg(db.url())
        .write_stdin("")
        .assert()
}

const NOTES: &str = r#"
[tables.notes]
public = "test"
columns.id = { type = "bigint", primary_key = true }
columns.body = { type = "text" }
"#;

/// The project's roles, created under rlsctl's own lock (roles are cluster-wide
/// and the dev databases of parallel tests create them too).
async fn roles(db: &support::TestDatabase) {
    db.client()
        .batch_execute("BEGIN; SELECT pg_advisory_xact_lock(hashtext('rlsctl.roles')); do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$; COMMIT;")
        .await
        .unwrap();
}

async fn exists(db: &support::TestDatabase, sql: &str) -> bool {
    db.client()
        .query_one(&format!("select exists ({sql})"), &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn detailed_exitcode_is_2_with_changes_and_0_after_apply() {
    let db = support::database().await;
    roles(&db).await;
    let dir = project(&db, NOTES);
    rlsctl(dir.path(), &db, &["plan", "--detailed-exitcode"]).code(2);
    let applied = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(0);
    let out = String::from_utf8_lossy(&applied.get_output().stdout).to_string();
    assert!(
        out.contains("The target now matches the declaration"),
        "{out}"
    );
    assert!(
        exists(
            &db,
            "select from pg_tables where schemaname = 'app' and tablename = 'notes'"
        )
        .await
    );
    let again = rlsctl(dir.path(), &db, &["plan", "--detailed-exitcode"]).code(0);
    let out = String::from_utf8_lossy(&again.get_output().stdout).to_string();
    assert!(out.contains("No changes"), "{out}");
}

#[tokio::test]
async fn plan_json_and_sql_formats_describe_the_same_changes() {
    let db = support::database().await;
    roles(&db).await;
    let dir = project(&db, NOTES);
    let json = rlsctl(dir.path(), &db, &["plan", "--format", "json"]).code(0);
    let value: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(value["changes"], 2, "{value:#}");
    let objects: Vec<&str> = value["plan"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["object"].as_str().unwrap())
        .collect();
    assert_eq!(objects, ["schema app", "table app.notes"]);
    assert!(
        value["sql"]
            .as_str()
            .unwrap()
            .contains("CREATE TABLE app.notes")
    );
    let sql = rlsctl(dir.path(), &db, &["plan", "--format", "sql"]).code(0);
    let sql = String::from_utf8_lossy(&sql.get_output().stdout).to_string();
    assert!(sql.starts_with("BEGIN;\n"), "{sql}");
    assert!(
        sql.contains("CREATE SCHEMA app;\n") && sql.contains("CREATE TABLE app.notes"),
        "{sql}"
    );
    assert!(sql.trim_end().ends_with("COMMIT;"), "{sql}");
    // Planning changed nothing.
    assert!(!exists(&db, "select from pg_namespace where nspname = 'app'").await);
}

#[tokio::test]
async fn apply_refuses_data_loss_without_allow_destructive_and_changes_nothing() {
    let db = support::database().await;
    roles(&db).await;
    db.client()
        .batch_execute("create schema app; create table app.notes (id bigint primary key, body text not null, legacy text); insert into app.notes values (1, 'a', 'keep')")
        .await
        .unwrap();
    let dir = project(&db, NOTES);
    let refused = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        err.contains("refusing to apply") && err.contains("data loss"),
        "{err}"
    );
    let column = "select from information_schema.columns where table_schema = 'app' and table_name = 'notes' and column_name = 'legacy'";
    assert!(exists(&db, column).await, "the column was dropped anyway");
    rlsctl(dir.path(), &db, &["apply", "--yes", "--allow-destructive"]).code(0);
    assert!(!exists(&db, column).await);
}

#[tokio::test]
async fn apply_refuses_rls_weakening_without_allow_rls_weakening_and_changes_nothing() {
    let db = support::database().await;
    roles(&db).await;
    db.client()
        .batch_execute(
            "create schema app; create table app.notes (id bigint primary key, body text not null);
             alter table app.notes enable row level security;",
        )
        .await
        .unwrap();
    let dir = project(&db, NOTES);
    let refused = rlsctl(dir.path(), &db, &["apply", "--yes", "--allow-destructive"]).code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(err.contains("RLS weakened"), "{err}");
    let enabled = "select from pg_class where oid = 'app.notes'::regclass and relrowsecurity";
    assert!(exists(&db, enabled).await, "RLS was disabled anyway");
    rlsctl(
        dir.path(),
        &db,
        &["apply", "--yes", "--allow-rls-weakening"],
    )
    .code(0);
    assert!(!exists(&db, enabled).await);
}

#[tokio::test]
async fn apply_without_yes_on_a_non_terminal_refuses() {
    let db = support::database().await;
    roles(&db).await;
    let dir = project(&db, NOTES);
    let refused = rlsctl(dir.path(), &db, &["apply"]).code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        err.contains("not a terminal") && err.contains("--yes"),
        "{err}"
    );
    assert!(!exists(&db, "select from pg_namespace where nspname = 'app'").await);
}

#[tokio::test]
async fn apply_while_another_apply_holds_the_lock_fails_and_changes_nothing() {
    let db = support::database().await;
    roles(&db).await;
    let dir = project(&db, NOTES);
    let holder = db.connect().await;
    rlsctl::plan::apply::lock(&holder).await.unwrap();
    let busy = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    let err = String::from_utf8_lossy(&busy.get_output().stderr).to_string();
    assert!(err.contains("another rlsctl apply is running"), "{err}");
    assert!(!exists(&db, "select from pg_namespace where nspname = 'app'").await);
    rlsctl::plan::apply::unlock(&holder).await.unwrap();
    rlsctl(dir.path(), &db, &["apply", "--yes"]).code(0);
}
