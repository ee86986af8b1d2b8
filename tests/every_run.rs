//! The README's commands work on every run, with a cold or warm desired-catalog
//! cache: each command twice in a row with one cache directory, on the embedded
//! ephemeral database (no target configured), for both bundled projects.

use std::path::Path;
use std::process::{Command, Output};

/// Every variable that would give the commands a target: none must be set.
const TARGET_VARIABLES: &[&str] = &[
    "DATABASE_URL",
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGSERVICE",
];

fn rlsctl(project: &Path, cache: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("rlsctl"));
    command
        .arg("-C")
        .arg(project)
        .args(args)
        // `desired::Cache::user()` keeps its catalogs under RLSCTL_CACHE_DIR.
        .env("RLSCTL_CACHE_DIR", cache)
        .env_remove("RLSCTL_NO_CACHE")
        .stdin(std::process::Stdio::null());
    for variable in TARGET_VARIABLES {
        command.env_remove(variable);
    }
    command.output().unwrap()
}

fn assert_every_command_runs_twice(project: &Path) {
    let cache = tempfile::tempdir().unwrap();
    let commands: &[&[&str]] = &[
        &["validate"],
        &["render"],
        &["inspect"],
        &["plan"],
        &["apply", "--yes"],
        &["test"],
        &["audit"],
        &["verify"],
    ];
    for run in ["cold", "warm"] {
        for args in commands {
            let output = rlsctl(project, cache.path(), args);
            assert!(
                output.status.success(),
                "{} {} ({run} cache) exited {:?}:\n{}{}",
                project.display(),
                args.join(" "),
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    let cached = std::fs::read_dir(cache.path().join("desired"))
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert!(cached > 0, "the desired catalog was never cached");
}

#[test]
fn every_command_runs_twice_on_the_root_project() {
    assert_every_command_runs_twice(Path::new(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn every_command_runs_twice_on_the_supabase_example() {
    assert_every_command_runs_twice(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/supabase"),
    );
}

/// `inspect` fills the cache without touching a target; the `plan` after it is
/// the first that finds the desired catalog cached, which used to leave the
/// ephemeral target without the declared roles.
#[test]
fn plan_after_inspect_finds_the_roles_on_the_ephemeral_target() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/supabase");
    let cache = tempfile::tempdir().unwrap();
    assert!(
        rlsctl(&project, cache.path(), &["inspect"])
            .status
            .success()
    );
    let plan = rlsctl(&project, cache.path(), &["plan"]);
    let stderr = String::from_utf8_lossy(&plan.stderr);
    assert!(plan.status.success(), "{stderr}");
    assert!(!stderr.contains("do not exist"), "{stderr}");
}
