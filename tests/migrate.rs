//! `migrate new`, `migrate up` and `migrate status` against real PostgreSQL: the
//! history and checksums, refusals (an edited or missing applied file, a bad file
//! name), atomicity (a failing migration, SIGKILL), the advisory lock, the
//! no-transaction steps, `--target`, `--dry-run`, `--single-transaction`.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::TestDatabase;
use support::cli::{app_user_role, exists, project};

const TABLE: &str = r#"
[tables.notes]
public = "test"
columns.id = { type = "bigint", primary_key = true }
columns.body = { type = "text" }
"#;

fn write(dir: &Path, name: &str, sql: &str) {
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(dir.join("migrations").join(name), sql).unwrap();
}

fn rlsctl(dir: &Path, args: &[&str]) -> Output {
    Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("RLSCTL_NO_CACHE", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn up(dir: &Path, db: &TestDatabase, extra: &[&str]) -> Output {
    let url = db.url();
    let mut args = vec!["migrate", "up", "--database-url", &url];
    args.extend_from_slice(extra);
    rlsctl(dir, &args)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn history(db: &TestDatabase) -> Vec<(i32, String)> {
    if !exists(
        db,
        "select from pg_class where oid = to_regclass('rlsctl.schema_history')",
    )
    .await
    {
        return Vec::new();
    }
    db.client()
        .query(
            "select version, name from rlsctl.schema_history order by version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

async fn table_exists(db: &TestDatabase, name: &str) -> bool {
    exists(
        db,
        &format!("select from pg_class where oid = to_regclass('{name}')"),
    )
    .await
}

async fn setup() -> (TestDatabase, tempfile::TempDir) {
    let db = support::database().await;
    app_user_role(&db).await;
    let dir = project(&db, TABLE);
    (db, dir)
}

#[tokio::test]
async fn up_applies_pending_migrations_once_with_history() {
    let (db, dir) = setup().await;
    write(
        dir.path(),
        "V1__a.sql",
        "create schema app; create table app.a(id int);",
    );
    write(dir.path(), "V2__b.sql", "create table app.b(id int);");
    let out = up(dir.path(), &db, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("applied 2 migration(s)"),
        "{}",
        text(&out)
    );
    assert_eq!(history(&db).await, vec![(1, "a".into()), (2, "b".into())]);
    let again = up(dir.path(), &db, &[]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("up to date"), "{}", text(&again));
    let url = db.url();
    let status = rlsctl(
        dir.path(),
        &[
            "migrate",
            "status",
            "--database-url",
            &url,
            "--format",
            "json",
        ],
    );
    assert!(status.status.success(), "{}", text(&status));
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(json["summary"]["applied"], 2);
    assert_eq!(json["summary"]["pending"], 0);
}

#[tokio::test]
async fn an_edited_applied_migration_is_refused() {
    let (db, dir) = setup().await;
    write(
        dir.path(),
        "V1__a.sql",
        "create schema app; create table app.a(id int);",
    );
    assert!(up(dir.path(), &db, &[]).status.success());
    // One trailing space changes the checksum.
    write(
        dir.path(),
        "V1__a.sql",
        "create schema app; create table app.a(id int); ",
    );
    write(dir.path(), "V2__b.sql", "create table app.b(id int);");
    let out = up(dir.path(), &db, &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("V1__a: changed"), "{}", text(&out));
    assert!(text(&out).contains("checksum"), "{}", text(&out));
    assert!(!table_exists(&db, "app.b").await, "nothing may be applied");
    let url = db.url();
    let status = rlsctl(
        dir.path(),
        &[
            "migrate",
            "status",
            "--database-url",
            &url,
            "--format",
            "json",
        ],
    );
    assert_eq!(status.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(json["summary"]["changed"], 1);
    assert_eq!(json["migrations"][1]["state"], "pending");
}

#[tokio::test]
async fn a_missing_applied_migration_is_refused() {
    let (db, dir) = setup().await;
    write(dir.path(), "V1__a.sql", "create schema app;");
    write(dir.path(), "V2__b.sql", "create table app.b(id int);");
    assert!(up(dir.path(), &db, &[]).status.success());
    std::fs::remove_file(dir.path().join("migrations/V2__b.sql")).unwrap();
    write(dir.path(), "V3__c.sql", "create table app.c(id int);");
    let out = up(dir.path(), &db, &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("V2__b: missing"), "{}", text(&out));
    assert!(!table_exists(&db, "app.c").await);
    let url = db.url();
    let status = rlsctl(dir.path(), &["migrate", "status", "--database-url", &url]);
    assert_eq!(status.status.code(), Some(1));
    assert!(text(&status).contains("missing"), "{}", text(&status));
}

#[tokio::test]
async fn a_badly_named_file_is_an_error_not_skipped() {
    let (db, dir) = setup().await;
    write(dir.path(), "V1__a.sql", "create schema app;");
    write(
        dir.path(),
        "V2__bad-name.sql",
        "create table app.b(id int);",
    );
    // Not .sql: left alone.
    write(dir.path(), "README.md", "notes");
    let out = up(dir.path(), &db, &[]);
    assert_eq!(out.status.code(), Some(1));
    let message = text(&out);
    assert!(message.contains("V2__bad-name.sql"), "{message}");
    assert!(message.contains("V{n}__{name}.sql"), "{message}");
    assert!(history(&db).await.is_empty(), "nothing may be applied");
}

#[tokio::test]
async fn a_failing_migration_leaves_history_and_schema_unchanged() {
    let (db, dir) = setup().await;
    write(
        dir.path(),
        "V1__a.sql",
        "create schema app; create table app.a(id int);",
    );
    write(
        dir.path(),
        "V2__b.sql",
        "create table app.b(id int);\nselect 1/0;",
    );
    let out = up(dir.path(), &db, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("V2__b failed and was rolled back"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("division by zero"), "{}", text(&out));
    assert_eq!(history(&db).await, vec![(1, "a".into())]);
    assert!(table_exists(&db, "app.a").await);
    assert!(!table_exists(&db, "app.b").await);
}

#[tokio::test]
async fn single_transaction_is_all_or_nothing() {
    let (db, dir) = setup().await;
    write(
        dir.path(),
        "V1__a.sql",
        "create schema app; create table app.a(id int);",
    );
    write(
        dir.path(),
        "V2__b.sql",
        "create table app.b(id int);\nselect 1/0;",
    );
    let out = up(dir.path(), &db, &["--single-transaction"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(history(&db).await.is_empty());
    assert!(!table_exists(&db, "app.a").await);
}

#[tokio::test]
async fn target_and_dry_run() {
    let (db, dir) = setup().await;
    write(dir.path(), "V1__a.sql", "create schema app;");
    write(dir.path(), "V2__b.sql", "create table app.b(id int);");
    write(dir.path(), "V3__c.sql", "create table app.c(id int);");
    let dry = up(dir.path(), &db, &["--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(
        text(&dry).contains("would apply 3 migration(s)"),
        "{}",
        text(&dry)
    );
    assert!(
        !exists(
            &db,
            "select from pg_namespace where nspname in ('app', 'rlsctl')"
        )
        .await
    );
    let out = up(dir.path(), &db, &["--target", "2"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(history(&db).await.len(), 2);
    assert!(!table_exists(&db, "app.c").await);
    let below = up(dir.path(), &db, &["--target", "1"]);
    assert_eq!(below.status.code(), Some(1));
    assert!(
        text(&below).contains("below the last applied version 2"),
        "{}",
        text(&below)
    );
}

#[tokio::test]
async fn marked_steps_run_outside_the_transaction() {
    let (db, dir) = setup().await;
    write(
        dir.path(),
        "V1__a.sql",
        "create schema app; create table app.a(id int);",
    );
    write(
        dir.path(),
        "V2__idx.sql",
        "alter table app.a add column n int;\n-- rlsctl:no-transaction\ncreate index concurrently a_n_idx on app.a (n);\n",
    );
    write(dir.path(), "V3__c.sql", "create table app.c(id int);");
    let out = up(dir.path(), &db, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        exists(
            &db,
            "select from pg_index where indexrelid = 'app.a_n_idx'::regclass and indisvalid"
        )
        .await
    );
    assert_eq!(history(&db).await.len(), 3);
    // Without the marker refinery's transaction refuses CONCURRENTLY, and says why.
    write(
        dir.path(),
        "V4__bad.sql",
        "create index concurrently c_idx on app.c (id);",
    );
    let bad = up(dir.path(), &db, &[]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad).contains("cannot run inside a transaction block"),
        "{}",
        text(&bad)
    );
    assert_eq!(history(&db).await.len(), 3);
}

#[tokio::test]
async fn concurrent_runs_never_both_apply() {
    let (db, dir) = setup().await;
    write(
        dir.path(),
        "V1__slow.sql",
        "create schema app; select pg_sleep(2); create table app.a(id int);",
    );
    let url = db.url();
    let spawn = || {
        Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
            .arg("-C")
            .arg(dir.path())
            .args(["migrate", "up", "--database-url", &url])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn();
    std::thread::sleep(Duration::from_millis(700));
    let second = spawn();
    let outputs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let applied = outputs
        .iter()
        .filter(|o| text(o).contains("applied 1 migration(s)"))
        .count();
    assert_eq!(
        applied,
        1,
        "{}\n---\n{}",
        text(&outputs[0]),
        text(&outputs[1])
    );
    let other = outputs
        .iter()
        .find(|o| !text(o).contains("applied 1 migration(s)"))
        .unwrap();
    assert!(
        text(other).contains("another rlsctl migrate up or apply is running")
            || text(other).contains("up to date"),
        "{}",
        text(other)
    );
    assert_eq!(history(&db).await, vec![(1, "slow".into())]);
}

#[tokio::test]
async fn sigkill_leaves_the_database_at_a_migration_boundary() {
    let (db, dir) = setup().await;
    write(
        dir.path(),
        "V1__a.sql",
        "create schema app; create table app.a(id int);",
    );
    write(
        dir.path(),
        "V2__slow.sql",
        "create table app.b(id int);\nselect pg_sleep(30);\ncreate table app.c(id int);",
    );
    let url = db.url();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
        .arg("-C")
        .arg(dir.path())
        .args(["migrate", "up", "--database-url", &url])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let sleeping = format!(
        "select from pg_stat_activity where datname = '{}' and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()",
        db.name()
    );
    let started = Instant::now();
    while !exists(&db, &sleeping).await {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "V2 never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The server notices the closed connection (client_connection_check_interval) and rolls back.
    let started = Instant::now();
    while exists(&db, &sleeping).await {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the killed run's statement kept running"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(history(&db).await, vec![(1, "a".into())]);
    assert!(table_exists(&db, "app.a").await);
    assert!(
        !table_exists(&db, "app.b").await,
        "V2 must not be half applied"
    );
    assert!(!exists(&db, "select from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())").await, "the lock is free");
    // V2 is not applied, so it may still be edited; the next run applies it whole.
    write(
        dir.path(),
        "V2__slow.sql",
        "create table app.b(id int);\ncreate table app.c(id int);",
    );
    let out = up(dir.path(), &db, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(table_exists(&db, "app.c").await);
}

fn new(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["migrate", "new"];
    all.extend_from_slice(args);
    rlsctl(dir, &all)
}

#[tokio::test]
async fn migrate_new_writes_the_drift_and_nothing_when_there_is_none() {
    let (db, dir) = setup().await;
    let first = new(dir.path(), &["init"]);
    assert!(first.status.success(), "{}", text(&first));
    let file = std::fs::read_to_string(dir.path().join("migrations/V1__init.sql")).unwrap();
    assert!(file.contains("CREATE TABLE app.notes"), "{file}");
    assert!(file.contains("-- hazards: none"), "{file}");
    let second = new(dir.path(), &["again"]);
    assert!(second.status.success(), "{}", text(&second));
    assert!(
        text(&second).contains("nothing was written"),
        "{}",
        text(&second)
    );
    assert!(!dir.path().join("migrations/V2__again.sql").exists());
    // The written file applies to a real target, which then has no drift.
    assert!(up(dir.path(), &db, &[]).status.success());
    let url = db.url();
    let plan = rlsctl(
        dir.path(),
        &["plan", "--database-url", &url, "--detailed-exitcode"],
    );
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    let bad = new(dir.path(), &["bad-name"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad).contains("only letters, digits and underscores"),
        "{}",
        text(&bad)
    );
}

#[tokio::test]
async fn migrate_new_refuses_data_loss_without_the_flag() {
    let (_db, dir) = setup().await;
    assert!(new(dir.path(), &["init"]).status.success());
    std::fs::write(
        dir.path().join("schema/app.toml"),
        "[tables.notes]\npublic = \"test\"\ncolumns.id = { type = \"bigint\", primary_key = true }\n",
    )
    .unwrap();
    let refused = new(dir.path(), &["drop_body"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("--allow-destructive"),
        "{}",
        text(&refused)
    );
    assert!(!dir.path().join("migrations/V2__drop_body.sql").exists());
    let allowed = new(dir.path(), &["drop_body", "--allow-destructive"]);
    assert!(allowed.status.success(), "{}", text(&allowed));
    let file = std::fs::read_to_string(dir.path().join("migrations/V2__drop_body.sql")).unwrap();
    assert!(file.contains("data loss"), "{file}");
    assert!(file.contains("DROP COLUMN"), "{file}");
    assert!(file.contains("-- rlsctl:reviewed destructive"), "{file}");
    let allow = file
        .find("-- rlsctl:allow MIG006")
        .expect("the lint's allow comment");
    assert!(
        file[allow..]
            .lines()
            .nth(1)
            .unwrap()
            .contains("DROP COLUMN"),
        "{file}"
    );
}

#[tokio::test]
async fn migrate_new_marks_concurrent_index_builds() {
    let (db, dir) = setup().await;
    assert!(new(dir.path(), &["init"]).status.success());
    std::fs::write(
        dir.path().join("schema/app.toml"),
        format!("{TABLE}indexes = [{{ columns = [\"body\"] }}]\n"),
    )
    .unwrap();
    let out = new(dir.path(), &["body_idx", "--concurrent-indexes"]);
    assert!(out.status.success(), "{}", text(&out));
    let file = std::fs::read_to_string(dir.path().join("migrations/V2__body_idx.sql")).unwrap();
    let marker = file.find("-- rlsctl:no-transaction").expect("the marker");
    assert!(
        file[marker..].contains("CREATE INDEX CONCURRENTLY"),
        "{file}"
    );
    assert!(!file[..marker].contains("CONCURRENTLY"), "{file}");
    let applied = up(dir.path(), &db, &[]);
    assert!(applied.status.success(), "{}", text(&applied));
    assert!(
        exists(
            &db,
            "select from pg_indexes where schemaname = 'app' and indexname = 'notes_body_idx'"
        )
        .await
    );
}
