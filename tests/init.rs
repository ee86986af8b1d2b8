//! `rlsctl init`: both shapes, as written, validate, pass `rlsctl test` on a
//! fresh database, apply to an empty one and converge, and audit without a
//! warning; a directory that holds anything is refused without `--force`, naming
//! what it holds.

mod support;

use std::path::Path;

use assert_cmd::Command;

fn rlsctl(project: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("rlsctl")
        .unwrap()
        .arg("-C")
        .arg(project)
        .args(args)
        .env_remove("DATABASE_URL")
        .write_stdin("")
        .output()
        .unwrap()
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `init` into a new directory, then `validate` and `test` (an ephemeral database).
fn scaffold_validates_and_tests(flags: &[&str], expected_files: &[&str]) {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("acme");
    let mut args = vec!["init"];
    args.extend_from_slice(flags);
    let out = rlsctl(&dir, &args);
    assert_eq!(out.status.code(), Some(0), "init: {}", text(&out));
    for file in expected_files {
        assert!(dir.join(file).is_file(), "{file} written");
    }
    assert!(dir.join("migrations").is_dir());
    let settings = std::fs::read_to_string(dir.join("rlsctl.toml")).unwrap();
    assert!(settings.contains("name = \"acme\""), "{settings}");

    let out = rlsctl(&dir, &["validate"]);
    assert_eq!(out.status.code(), Some(0), "validate: {}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ok: "), "{stdout}");
    assert!(!stdout.contains("warning"), "no warning: {stdout}");

    let out = rlsctl(&dir, &["test"]);
    assert_eq!(out.status.code(), Some(0), "test: {}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("passed"), "{stdout}");
    assert!(stdout.contains("user of A"), "the proof ran: {stdout}");
}

#[test]
fn the_plain_scaffold_validates_and_passes_its_tests_and_the_proof() {
    scaffold_validates_and_tests(
        &[],
        &[
            "rlsctl.toml",
            "schema/app.toml",
            "policies/app.toml",
            "migrations/README.md",
            ".gitignore",
        ],
    );
}

#[test]
fn the_supabase_scaffold_validates_and_passes_its_tests_and_the_proof() {
    scaffold_validates_and_tests(
        &["--supabase"],
        &[
            "rlsctl.toml",
            "schema/public.toml",
            "schema/private.toml",
            "policies/public.toml",
            "supabase/roles.sql",
            "supabase/auth.sql",
            "migrations/README.md",
        ],
    );
}

#[test]
fn the_dir_argument_scaffolds_there() {
    let parent = tempfile::tempdir().unwrap();
    let out = rlsctl(parent.path(), &["init", "sub/project"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(parent.path().join("sub/project/rlsctl.toml").is_file());
    assert!(!parent.path().join("rlsctl.toml").exists());
}

#[test]
fn an_existing_project_is_refused_without_force_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rlsctl.toml"),
        "[project]\nschemas = [\"mine\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a-notes.txt"), "keep").unwrap();
    let out = rlsctl(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("it holds rlsctl.toml"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rlsctl.toml")).unwrap(),
        "[project]\nschemas = [\"mine\"]\n"
    );
    assert!(!dir.path().join("schema").exists(), "nothing written");

    let out = rlsctl(dir.path(), &["init", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let settings = std::fs::read_to_string(dir.path().join("rlsctl.toml")).unwrap();
    assert!(settings.contains("schemas = [\"app\"]"), "{settings}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a-notes.txt")).unwrap(),
        "keep",
        "--force leaves other files alone"
    );
}

#[test]
fn any_other_file_is_named_in_the_refusal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), "mine").unwrap();
    let out = rlsctl(dir.path(), &["init", "--supabase"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("it holds notes.md"), "{stderr}");
    assert!(!dir.path().join("rlsctl.toml").exists());
}

/// `init`, then `apply --yes` to an empty database holding what the shape
/// expects of its target, `plan` (nothing left) and `audit` (no warning or error).
async fn scaffold_applies_converges_and_audits(flags: &[&str], before: &[&str]) {
    let db = support::database().await;
    support::cli::app_user_role(&db).await;
    for file in before {
        let sql =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        db.client().batch_execute(&sql).await.unwrap();
    }
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("p");
    let mut args = vec!["init"];
    args.extend_from_slice(flags);
    assert_eq!(rlsctl(&dir, &args).status.code(), Some(0));
    let url = db.url();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        rlsctl(&dir, &all)
    };
    let out = run(&["apply", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "apply: {}", text(&out));
    let out = run(&["plan", "--detailed-exitcode"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "plan after apply: {}",
        text(&out)
    );
    let out = run(&["audit", "--fail-on", "warn"]);
    assert_eq!(out.status.code(), Some(0), "audit: {}", text(&out));
}

#[tokio::test]
async fn the_plain_scaffold_applies_converges_and_audits_clean() {
    scaffold_applies_converges_and_audits(&[], &[]).await;
}

#[tokio::test]
async fn the_supabase_scaffold_applies_converges_and_audits_clean() {
    scaffold_applies_converges_and_audits(
        &["--supabase"],
        &[
            "examples/supabase/supabase/roles.sql",
            "examples/supabase/supabase/auth.sql",
            "examples/supabase/supabase/storage.sql",
        ],
    )
    .await;
}
