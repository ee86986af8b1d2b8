//! The binary against a test database, as the plan/apply tests run it.

use std::path::Path;

use assert_cmd::Command;

use super::TestDatabase;

/// A project in a temp dir owning schema `app`, with role `app_user` and `schema`
/// as `schema/app.toml`; its dev databases go to the test server (no extra cluster).
pub fn project(db: &TestDatabase, schema: &str) -> tempfile::TempDir {
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

/// `rlsctl -C project ARGS --database-url <db>` with an empty stdin.
pub fn rlsctl(project: &Path, db: &TestDatabase, args: &[&str]) -> assert_cmd::assert::Assert {
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

/// The projects' role, created under rlsctl's own lock (roles are cluster-wide
/// and the dev databases of parallel tests create them too).
pub async fn app_user_role(db: &TestDatabase) {
    db.client()
        .batch_execute("BEGIN; SELECT pg_advisory_xact_lock(hashtext('rlsctl.roles')); do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$; COMMIT;")
        .await
        .unwrap();
}

/// Whether `sql` returns a row.
pub async fn exists(db: &TestDatabase, sql: &str) -> bool {
    db.client()
        .query_one(&format!("select exists ({sql})"), &[])
        .await
        .unwrap()
        .get(0)
}
