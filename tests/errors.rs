//! Every command prints a failure once, with its whole chain of causes down to the
//! server's own words: a login denied `pg_policy` is told "permission denied for
//! table pg_policy", not only "reading the catalog failed".

mod support;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

fn rlsctl(project: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("rlsctl")
        .expect("binary")
        .arg("-C")
        .arg(project)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("runs")
}

/// A login role of its own (roles are cluster-wide, tests run in parallel), denied
/// `pg_catalog.pg_policy` in the test database; dropped at the end.
struct DeniedLogin {
    role: String,
    url: String,
}

async fn denied_login(db: &support::TestDatabase) -> DeniedLogin {
    let role = format!("denied_{}", &db.name()[db.name().len() - 8..]);
    db.client()
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN; \
             REVOKE SELECT ON pg_catalog.pg_policy FROM PUBLIC; \
             CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO {role};"
        ))
        .await
        .expect("set up the denied login");
    let url = db.url();
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (_user, rest) = rest.split_once('@').expect("a user");
    DeniedLogin {
        url: format!("{scheme}://{role}@{rest}"),
        role,
    }
}

async fn drop_login(db: &support::TestDatabase, login: &DeniedLogin) {
    db.client()
        .batch_execute(&format!(
            "REVOKE ALL ON SCHEMA app FROM {0}; DROP ROLE {0};",
            login.role
        ))
        .await
        .expect("drop the denied login");
}

fn error_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(str::to_string)
        .collect()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("rlsctl.toml"),
        "[project]\nschemas = [\"app\"]\n",
    )
    .expect("write rlsctl.toml");
    std::fs::create_dir(dir.path().join("schema")).expect("mkdir");
    std::fs::write(
        dir.path().join("schema/app.toml"),
        "[tables.things]\npublic = \"a test table\"\ncolumns.id = { type = \"int\", primary_key = true }\n",
    )
    .expect("write schema");
    dir
}

#[tokio::test]
async fn audit_and_plan_print_the_servers_permission_error_once() {
    let db = support::database().await;
    let login = denied_login(&db).await;
    let empty = tempfile::tempdir().expect("tempdir");

    let audit = rlsctl(
        empty.path(),
        &[
            "audit",
            "--database-url",
            &login.url,
            "--client-role",
            &login.role,
            "--schema",
            "app",
        ],
    );
    let lines = error_lines(&audit);
    assert_eq!(audit.status.code(), Some(2), "{lines:?}");
    assert_eq!(lines.len(), 1, "one error line: {lines:?}");
    assert!(
        lines[0].starts_with("error: the audit could not run: ")
            && lines[0].contains("permission denied for table pg_policy"),
        "{lines:?}"
    );

    let project = project();
    let plan = rlsctl(project.path(), &["plan", "--database-url", &login.url]);
    let lines = error_lines(&plan);
    assert_eq!(plan.status.code(), Some(1), "{lines:?}");
    assert_eq!(lines.len(), 1, "one error line: {lines:?}");
    assert!(
        lines[0].contains("permission denied for table pg_policy"),
        "{lines:?}"
    );
    drop_login(&db, &login).await;
}

#[test]
fn an_unreachable_target_names_the_refused_connection() {
    let project = project();
    let out = rlsctl(
        project.path(),
        &[
            "plan",
            "--database-url",
            "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2&sslmode=disable",
        ],
    );
    let lines = error_lines(&out);
    assert_eq!(out.status.code(), Some(1), "{lines:?}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("refused"), "{lines:?}");
}
