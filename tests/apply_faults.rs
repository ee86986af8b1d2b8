//! Apply under faults: a statement failing late, the process killed mid-way, two
//! applies at once. The database ends unchanged or fully changed, never half.

mod support;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use rlsctl::catalog::{self, Catalog};
use rlsctl::plan::{self, apply};
use rlsctl::spec::Declaration;
use rlsctl::{desired, spec};
use support::cli::project;

fn declaration(dir: &Path) -> Declaration {
    let loaded = spec::load(dir).unwrap_or_else(|f| panic!("load: {:?}", f.diagnostics));
    spec::validate(&loaded)
        .declaration
        .expect("the project validates")
}

/// The declared roles (cluster-wide, created under rlsctl's own lock, as the
/// dev database does), then the target's starting state.
async fn setup(db: &support::TestDatabase, declaration: &Declaration, sql: &str) {
    let roles = rlsctl::ddl::roles_script(declaration);
    db.client()
        .batch_execute(&format!("BEGIN; {roles} COMMIT; {sql}"))
        .await
        .unwrap();
}

async fn snapshot(db: &support::TestDatabase) -> Catalog {
    catalog::inspect(db.client(), &["app".to_string()])
        .await
        .unwrap()
}

/// Asserts two catalogs are identical, down to their serialized bytes, but for
/// the cluster-wide roles, which tests running beside this one create at any moment.
fn assert_identical(before: &Catalog, after: &Catalog) {
    let (mut before, mut after) = (before.clone(), after.clone());
    before.roles.clear();
    after.roles.clear();
    let (a, b) = (
        serde_json::to_string_pretty(&before).unwrap(),
        serde_json::to_string_pretty(&after).unwrap(),
    );
    pretty_assertions::assert_eq!(a, b, "the catalog changed");
    assert_eq!(before, after);
}

const WIDE: &str = r#"
[tables.notes]
public = "test"
rls = true
columns.id = { type = "bigint", primary_key = true }
columns.n = { type = "integer" }
columns.added = { type = "text", default = "'x'" }
checks = [{ name = "n_positive", expr = "n > 0" }]
indexes = [{ columns = ["n"] }]
grants = { app_user = ["select"] }
[tables.fresh]
public = "test"
columns.id = { type = "integer", primary_key = true }
"#;

#[tokio::test]
async fn a_late_failing_validate_rolls_back_every_earlier_statement() {
    let db = support::database().await;
    let dir = project(&db, WIDE);
    let declaration = declaration(dir.path());
    setup(&db, &declaration, "create schema app; create table app.notes (id int primary key, n int not null); insert into app.notes values (1, -1);").await;
    let wanted = desired::catalog(&support::server(), &declaration)
        .await
        .unwrap();
    let (plan, before) = plan::prepare(&declaration, &wanted, db.client(), false)
        .await
        .unwrap();
    // The failing step must come after others that succeed, or the test proves nothing.
    let validate = plan
        .statements
        .iter()
        .position(|s| s.sql.contains("VALIDATE CONSTRAINT n_positive"))
        .unwrap();
    assert!(
        validate >= 4,
        "VALIDATE is not late in the plan:\n{}",
        plan.to_sql()
    );
    let error = apply::run(db.client(), db.notices(), &plan, apply::Options::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, apply::ApplyError::RolledBack { statement, .. } if statement.contains("VALIDATE")),
        "{error}"
    );
    assert_identical(&before, &snapshot(&db).await);
}

#[tokio::test]
async fn a_set_not_null_on_nulls_rolls_back_every_earlier_statement() {
    let db = support::database().await;
    let dir = project(&db, WIDE);
    let declaration = declaration(dir.path());
    setup(&db, &declaration, "create schema app; create table app.notes (id int primary key, n int); insert into app.notes values (1, null);").await;
    let wanted = desired::catalog(&support::server(), &declaration)
        .await
        .unwrap();
    let (plan, before) = plan::prepare(&declaration, &wanted, db.client(), false)
        .await
        .unwrap();
    assert!(
        plan.statements
            .iter()
            .position(|s| s.sql.contains("SET NOT NULL"))
            .unwrap()
            >= 2,
        "{}",
        plan.to_sql()
    );
    let error = apply::run(db.client(), db.notices(), &plan, apply::Options::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, apply::ApplyError::RolledBack { statement, .. } if statement.contains("SET NOT NULL")),
        "{error}"
    );
    assert_identical(&before, &snapshot(&db).await);
}

#[tokio::test]
async fn a_second_apply_is_busy_while_the_lock_is_held() {
    let db = support::database().await;
    let (first, second) = (db.connect().await, db.connect().await);
    apply::lock(&first).await.unwrap();
    assert!(matches!(
        apply::lock(&second).await,
        Err(apply::ApplyError::Busy)
    ));
    apply::unlock(&first).await.unwrap();
    apply::lock(&second)
        .await
        .expect("the lock is free once released");
}

const BIG: &str = r#"
[tables.big]
public = "test"
columns.id = { type = "integer", primary_key = true }
columns.n = { type = "bigint" }
columns.label = { type = "text" }
indexes = [{ columns = ["n"] }, { columns = ["label"] }]
[tables.fresh]
public = "test"
columns.id = { type = "integer", primary_key = true }
"#;

const BIG_BEFORE: &str = "create schema app;
    create table app.big (id int primary key, n int not null, label text not null);
    insert into app.big select g, g, md5(g::text) from generate_series(1, 1500000) g;
    create index big_n_idx on app.big (n); create index big_label_idx on app.big (label);";

fn spawn_apply(dir: &Path, db: &support::TestDatabase) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
        .arg("-C")
        .arg(dir)
        .args([
            "apply",
            "--yes",
            "--lock-timeout",
            "60",
            "--database-url",
            &db.url(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A process group of its own, as a shell's job: Ctrl-C goes to the group.
        .process_group(0)
        .spawn()
        .unwrap()
}

async fn wait_until(db: &support::TestDatabase, sql: &str, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        let yes: bool = db
            .client()
            .query_one(&format!("select exists ({sql})"), &[])
            .await
            .unwrap()
            .get(0);
        if yes {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn a_killed_apply_leaves_the_database_unchanged_or_fully_changed() {
    let db = support::database().await;
    let dir = project(&db, BIG);
    let declaration = declaration(dir.path());
    setup(&db, &declaration, BIG_BEFORE).await;
    let wanted = desired::catalog(&support::server(), &declaration)
        .await
        .unwrap();
    let before = snapshot(&db).await;
    let mut child = spawn_apply(dir.path(), &db);
    let caught = wait_until(&db, &rewriting(&db), Duration::from_secs(60)).await;
    kill(Pid::from_raw(child.id() as i32), Signal::SIGKILL).unwrap();
    let status = child.wait().unwrap();
    assert!(
        caught,
        "the apply never reached the slow step (exit {status:?})"
    );
    // client_connection_check_interval: the server notices the dead client
    // within a second and stops the statement, rather than when it ends.
    assert!(
        wait_until(&db, &statement_gone(&db), STOPS_WITHIN).await,
        "the killed apply's statement still runs after {STOPS_WITHIN:?}"
    );
    let after = snapshot(&db).await;
    let (next, _) = plan::prepare(&declaration, &wanted, db.client(), false)
        .await
        .unwrap();
    assert!(
        after == before || next.is_empty(),
        "half applied: the catalog changed but the plan still has {} change(s)",
        next.changes.len()
    );
    assert_identical(&before, &after); // killed mid-transaction: nothing was committed
    // The session's advisory lock died with it: the next apply may run.
    apply::lock(db.client())
        .await
        .expect("the killed apply's lock was released");
}

/// How soon the server must stop an abandoned apply's statement.
const STOPS_WITHIN: Duration = Duration::from_secs(3);

fn rewriting(db: &support::TestDatabase) -> String {
    format!(
        "select from pg_stat_activity where datname = '{}' and state = 'active' and query like 'ALTER TABLE app.big ALTER COLUMN n TYPE%'",
        db.name()
    )
}

fn statement_gone(db: &support::TestDatabase) -> String {
    format!(
        "select where not exists (select from pg_stat_activity where datname = '{}' and query like 'ALTER TABLE app.big%')",
        db.name()
    )
}

/// Ctrl-C (SIGINT to the process group) or SIGTERM while the slow statement
/// runs: rlsctl cancels it on the server and waits for the rollback, so when it
/// exits nothing runs on, the advisory lock is free and the catalog unchanged.
#[tokio::test]
async fn an_interrupted_apply_cancels_its_statement_and_frees_the_lock() {
    for signal in [Signal::SIGINT, Signal::SIGTERM] {
        let db = support::database().await;
        let dir = project(&db, BIG);
        let declaration = declaration(dir.path());
        setup(&db, &declaration, BIG_BEFORE).await;
        let before = snapshot(&db).await;
        let child = spawn_apply(dir.path(), &db);
        let caught = wait_until(&db, &rewriting(&db), Duration::from_secs(60)).await;
        let pid = i32::try_from(child.id()).unwrap();
        let to = if signal == Signal::SIGINT { -pid } else { pid };
        kill(Pid::from_raw(to), signal).unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(caught, "the apply never reached the slow step: {stderr}");
        let expected = if signal == Signal::SIGINT { 130 } else { 143 };
        assert_eq!(output.status.code(), Some(expected), "{signal}: {stderr}");
        assert_eq!(
            stderr.matches("interrupted: nothing was committed").count(),
            1,
            "{signal}: {stderr}"
        );
        assert!(!stderr.contains("error:"), "{signal}: {stderr}");
        assert!(
            wait_until(&db, &statement_gone(&db), Duration::from_secs(2)).await,
            "{signal}: the statement still runs after rlsctl exited"
        );
        assert_identical(&before, &snapshot(&db).await);
        let next = db.connect().await;
        apply::lock(&next)
            .await
            .unwrap_or_else(|e| panic!("{signal}: a second apply would be {e}"));
    }
}

#[tokio::test]
async fn two_concurrent_applies_change_the_database_once() {
    let db = support::database().await;
    let dir = project(&db, WIDE);
    let declaration = declaration(dir.path());
    setup(&db, &declaration, "").await;
    let wanted = desired::catalog(&support::server(), &declaration)
        .await
        .unwrap();
    let (a, b) = (spawn_apply(dir.path(), &db), spawn_apply(dir.path(), &db));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let outcomes = [&a, &b].map(|o| {
        let t = text(o);
        if t.contains("Applied") {
            "applied"
        } else if t.contains("another rlsctl apply is running") || t.contains("No changes") {
            "stood aside"
        } else {
            panic!("unexpected outcome:\n{t}")
        }
    });
    assert_eq!(
        outcomes.iter().filter(|o| **o == "applied").count(),
        1,
        "{outcomes:?}\n{}\n{}",
        text(&a),
        text(&b)
    );
    let (next, _) = plan::prepare(&declaration, &wanted, db.client(), false)
        .await
        .unwrap();
    assert!(next.is_empty(), "not converged after two applies");
}

/// The repository's own project and the Supabase example, applied to an empty
/// database (with the Supabase stand-in schema the target would have): the
/// plan applies in one go and the next plan is empty.
#[tokio::test]
async fn the_bundled_projects_apply_to_an_empty_database_and_converge() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for project in [root.to_path_buf(), root.join("examples/supabase")] {
        let db = support::database().await;
        let declaration = declaration(&project);
        let platform: String = declaration
            .dev_setup
            .iter()
            .map(|(_, sql)| sql.as_str())
            .collect::<Vec<_>>()
            .join(";\n");
        setup(&db, &declaration, &platform).await;
        let wanted = desired::catalog(&support::server(), &declaration)
            .await
            .unwrap();
        let (plan, _) = plan::prepare(&declaration, &wanted, db.client(), false)
            .await
            .unwrap();
        assert!(
            plan.changes.len() > 10,
            "{}: suspiciously small plan",
            project.display()
        );
        apply::run(db.client(), db.notices(), &plan, apply::Options::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", project.display(), plan.to_sql()));
        let (next, _) = plan::prepare(&declaration, &wanted, db.client(), false)
            .await
            .unwrap();
        let left: Vec<String> = next
            .changes
            .iter()
            .map(|c| format!("{} {} {:?}", c.action.sign(), c.object, c.detail))
            .collect();
        assert!(
            left.is_empty(),
            "{}: not converged:\n{}",
            project.display(),
            left.join("\n")
        );
    }
}
