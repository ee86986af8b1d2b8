//! `rlsctl plan` and `rlsctl apply` as a user runs them: the binary against a real
//! test database, exit codes, output formats, the hazard flags and confirmation.

mod support;

use support::cli::{app_user_role as roles, exists, project, rlsctl};

use assert_cmd::Command;

const NOTES: &str = r#"
[tables.notes]
public = "test"
columns.id = { type = "bigint", primary_key = true }
columns.body = { type = "text" }
"#;

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
async fn apply_refuses_losing_an_identity_without_allow_destructive_and_changes_nothing() {
    let db = support::database().await;
    roles(&db).await;
    db.client()
        .batch_execute("create schema app; create table app.notes (id bigint generated always as identity primary key, body text not null); insert into app.notes (body) values ('a')")
        .await
        .unwrap();
    let dir = project(&db, NOTES);
    let refused = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        err.contains("refusing to apply") && err.contains("behaviour lost"),
        "{err}"
    );
    let identity = "select from information_schema.columns where table_schema = 'app' and table_name = 'notes' and column_name = 'id' and is_identity = 'YES'";
    assert!(
        exists(&db, identity).await,
        "the identity was dropped anyway"
    );
    rlsctl(dir.path(), &db, &["apply", "--yes", "--allow-destructive"]).code(0);
    assert!(!exists(&db, identity).await);
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

/// A project with `[tenancy]` and extra files (`policies/access.toml`, ...).
fn tenant_project(
    db: &support::TestDatabase,
    schema: &str,
    files: &[(&str, &str)],
) -> tempfile::TempDir {
    let dir = project(db, schema);
    let settings = std::fs::read_to_string(dir.path().join("rlsctl.toml")).unwrap();
    std::fs::write(
        dir.path().join("rlsctl.toml"),
        format!(
            "{settings}[tenancy]\ncolumn = \"tenant_id\"\ntype = \"uuid\"\ncurrent = \"(select nullif(current_setting('app.tenant_id', true), '')::uuid)\"\nroles = [\"app_user\"]\n"
        ),
    )
    .unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).to_string()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).to_string()
}

const DOCS: &str = r#"
[tables.docs]
tenant = true
columns.id = { type = "uuid", primary_key = true, default = "gen_random_uuid()" }
columns.title = { type = "text" }
grants = { app_user = ["select"] }
"#;

#[tokio::test]
async fn enabling_rls_on_a_table_being_created_is_part_of_its_creation_not_a_change() {
    let db = support::database().await;
    roles(&db).await;
    let dir = tenant_project(&db, DOCS, &[]);
    let plan = rlsctl(dir.path(), &db, &["plan"]).code(0);
    let out = stdout(&plan);
    assert!(
        out.contains("Plan: 4 to create, 0 to change, 0 to drop"),
        "{out}"
    );
    assert!(
        out.contains("+ table app.docs  (row-level security enabled and forced)"),
        "{out}"
    );
    assert!(!out.contains("~ row-level security"), "{out}");
    rlsctl(dir.path(), &db, &["apply", "--yes"]).code(0);
    assert!(
        exists(
            &db,
            "select from pg_class where oid = 'app.docs'::regclass and relrowsecurity and relforcerowsecurity"
        )
        .await,
        "the create did not enable and force RLS"
    );
}

#[tokio::test]
async fn a_changed_policy_expression_is_shown_as_a_wrapped_word_diff() {
    let db = support::database().await;
    roles(&db).await;
    let clauses = |last: &str| {
        let mut c: Vec<String> = (0..6)
            .map(|i| format!("(title <> 'reserved word number {i} that nobody may use')"))
            .collect();
        c.push(last.to_string());
        c.join(" and ")
    };
    let policy = |using: &str| {
        format!(
            "[[policy]]\ntable = \"docs\"\nname = \"visible\"\ncommand = \"select\"\nroles = [\"app_user\"]\nusing = \"{using}\"\n"
        )
    };
    let old = clauses("(title <> 'draft')");
    let new = clauses("(title <> 'secret')");
    let before = tenant_project(&db, DOCS, &[("policies/access.toml", &policy(&old))]);
    rlsctl(before.path(), &db, &["apply", "--yes"]).code(0);
    let after = tenant_project(&db, DOCS, &[("policies/access.toml", &policy(&new))]);
    let plan = rlsctl(after.path(), &db, &["plan"]).code(0);
    let out = stdout(&plan);
    assert!(
        out.contains("~ policy visible on app.docs  (using changed)"),
        "{out}"
    );
    assert!(out.contains("[-'draft'::text))-]"), "{out}");
    assert!(out.contains("{+'secret'::text))+}"), "{out}");
    assert!(!out.contains("[-(title"), "unchanged words marked:\n{out}");
    let diff: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.contains("~ policy visible"))
        .take_while(|l| !l.trim_start().starts_with("! "))
        .collect();
    assert!(diff.len() > 2, "the expression is not wrapped:\n{out}");
    for line in diff {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
}

#[tokio::test]
async fn an_invalid_index_is_named_invalid_and_rebuilt() {
    let db = support::database().await;
    roles(&db).await;
    db.client()
        .batch_execute(
            "create schema app; create table app.notes (id bigint primary key, body text not null);
             insert into app.notes values (1, 'same'), (2, 'same');",
        )
        .await
        .unwrap();
    // CONCURRENTLY over duplicates fails and leaves the index behind, INVALID.
    let failed = db
        .client()
        .batch_execute("create unique index concurrently notes_body_key on app.notes (body)")
        .await;
    assert!(failed.is_err(), "the duplicate rows did not fail the build");
    db.client()
        .batch_execute("delete from app.notes where id = 2")
        .await
        .unwrap();
    let invalid =
        "select from pg_index where indexrelid = 'app.notes_body_key'::regclass and not indisvalid";
    assert!(exists(&db, invalid).await, "the index was not left INVALID");
    let schema = format!(
        "{NOTES}indexes = [{{ name = \"notes_body_key\", columns = [\"body\"], unique = true }}]\n"
    );
    let dir = project(&db, &schema);
    let out = stdout(&rlsctl(dir.path(), &db, &["plan"]).code(0));
    assert!(
        out.contains(
            "~ index app.notes_body_key  (INVALID (left by a failed CREATE INDEX CONCURRENTLY): dropped and rebuilt)"
        ),
        "{out}"
    );
    assert!(!out.contains("→"), "before and after shown as text:\n{out}");
    rlsctl(dir.path(), &db, &["apply", "--yes"]).code(0);
    assert!(!exists(&db, invalid).await, "the index is still INVALID");
    let again = stdout(&rlsctl(dir.path(), &db, &["plan"]).code(0));
    assert!(again.contains("No changes"), "{again}");
}

/// A libpq URL for `db` as login `role` (password `pw`, ignored by trust auth).
fn login_url(db: &support::TestDatabase, role: &str) -> String {
    let url = db.url();
    let rest = url
        .split_once('@')
        .map(|(_, rest)| rest)
        .expect("test URL has a user part");
    format!("postgresql://{role}:pw@{rest}")
}

#[tokio::test]
async fn apply_as_a_login_that_does_not_own_the_tables_rolls_back_and_names_the_owner() {
    let db = support::database().await;
    roles(&db).await;
    let suffix = db.name().rsplit('_').next().unwrap().to_string();
    let login = format!("nonowner_{suffix}");
    let owner = db.config().get_user().unwrap().to_string();
    db.client()
        .batch_execute(&format!(
            "create role {login} login password 'pw';
             create schema app; grant usage, create on schema app to {login};
             create table app.notes (id bigint primary key, body text not null);"
        ))
        .await
        .unwrap();
    // The login can create the new table, but not grant on the owner's one.
    let schema = format!(
        "{NOTES}grants = {{ app_user = [\"select\"] }}\n[tables.extra]\npublic = \"test\"\ncolumns.id = {{ type = \"bigint\", primary_key = true }}\n"
    );
    let dir = project(&db, &schema);
    let apply_as_login = || {
        Command::cargo_bin("rlsctl")
            .unwrap()
            .arg("-C")
            .arg(dir.path())
            .args(["apply", "--yes", "--database-url"])
            .arg(login_url(&db, &login))
            .write_stdin("")
            .assert()
            .code(1)
    };
    let extra = "select from pg_tables where schemaname = 'app' and tablename = 'extra'";
    let cause =
        format!("connected as {login}, which does not own table app.notes (owned by {owner})");
    // Without any privilege on the table, the GRANT is an error.
    let err = stderr(&apply_as_login());
    assert!(
        err.contains("rolled back") && err.contains("SQLSTATE 42501"),
        "{err}"
    );
    assert!(err.contains(&cause), "the cause is not named: {err}");
    assert!(!exists(&db, extra).await, "the apply committed");
    // With a privilege but no grant option, the GRANT only warns: still a failure.
    db.client()
        .batch_execute(&format!("grant select on app.notes to {login}"))
        .await
        .unwrap();
    let err = stderr(&apply_as_login());
    assert!(
        err.contains("rolled back") && err.contains("no effect"),
        "{err}"
    );
    assert!(err.contains("GRANT SELECT ON TABLE app.notes"), "{err}");
    assert!(err.contains("SQLSTATE 01007"), "{err}");
    assert!(err.contains(&cause), "the cause is not named: {err}");
    assert!(!err.contains("change(s) remain"), "{err}");
    assert!(!exists(&db, extra).await, "the apply committed");
    db.client()
        .batch_execute(&format!("drop owned by {login}; drop role {login}"))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_servers_notices_during_apply_are_returned_with_their_statement() {
    use rlsctl::diff::{Action, Change, Phase, Step};
    use rlsctl::plan::{Plan, apply};
    let db = support::database().await;
    let change = |sql: &str| Change {
        action: Action::Create,
        object: "test".to_string(),
        detail: None,
        texts: Vec::new(),
        hazards: Vec::new(),
        steps: vec![Step {
            phase: Phase::CreateTables,
            sql: sql.to_string(),
        }],
    };
    let said = "DO $$ BEGIN RAISE NOTICE 'hello from the server'; END $$";
    let plan = Plan::new(vec![change("CREATE TABLE kept (id int)"), change(said)]);
    let applied = apply::run(db.client(), db.notices(), &plan, apply::Options::default())
        .await
        .unwrap();
    assert_eq!(applied.notices.len(), 1, "{:?}", applied.notices);
    assert_eq!(applied.notices[0].message, "hello from the server");
    assert_eq!(applied.notices[0].statement, said);
    assert_eq!(applied.notices[0].severity, "NOTICE");

    // A statement the server says had no effect rolls the whole transaction back.
    let warned =
        "DO $$ BEGIN RAISE WARNING 'no privileges were granted' USING ERRCODE = '01007'; END $$";
    let plan = Plan::new(vec![change("CREATE TABLE gone (id int)"), change(warned)]);
    let error = apply::run(db.client(), db.notices(), &plan, apply::Options::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, apply::ApplyError::NoEffect { code, .. } if code == "01007"),
        "{error}"
    );
    assert!(!exists(&db, "select from pg_tables where tablename = 'gone'").await);
    assert!(exists(&db, "select from pg_tables where tablename = 'kept'").await);
}

#[tokio::test]
async fn rlsctl_log_debug_shows_debug_events_and_the_default_does_not() {
    let db = support::database().await;
    roles(&db).await;
    let dir = project(&db, NOTES);
    let quiet = rlsctl(dir.path(), &db, &["plan"]).code(0);
    assert!(!stderr(&quiet).contains("DEBUG"), "{}", stderr(&quiet));
    let debug = Command::cargo_bin("rlsctl")
        .unwrap()
        .env("RLSCTL_LOG", "rlsctl=debug")
        .arg("-C")
        .arg(dir.path())
        .args(["apply", "--yes", "--database-url"])
        .arg(db.url())
        .write_stdin("")
        .assert()
        .code(0);
    let err = stderr(&debug);
    assert!(
        err.contains("DEBUG") && err.contains("applying") && err.contains("CREATE TABLE app.notes"),
        "{err}"
    );
}
