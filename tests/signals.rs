//! SIGINT (as a terminal's Ctrl-C sends it: to the whole process group) and
//! SIGTERM at any moment of a run: one "interrupted" line, exit 130 or 143, no
//! other error, and no ephemeral cluster directory left behind.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const INTERRUPTED: &str = "interrupted: nothing was committed";

/// Where a cluster is when the signal comes.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// Just after rlsctl says it starts the ephemeral cluster: copying the
    /// template (or running initdb when it is not cached yet).
    StartingTheCluster,
    /// A while later: building the declaration, or running the command's work.
    After(Duration),
}

struct Interrupted {
    code: Option<i32>,
    stderr: String,
    /// Cluster directories left in the run's temp dir.
    left: Vec<String>,
}

fn interrupt(
    project: &Path,
    cache: &Path,
    args: &[&str],
    signal: Signal,
    at: Moment,
) -> Interrupted {
    // A temp dir of its own, so that leftovers are ours to see; the postgres
    // account must be able to enter it (rlsctl runs the server as postgres when root).
    let temp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
        .arg("-C")
        .arg(project)
        .args(args)
        .env("TMPDIR", temp.path())
        .env("RLSCTL_CACHE_DIR", cache)
        // The desired catalog is built every time, so the run lasts past the signal.
        .env("RLSCTL_NO_CACHE", "1")
        .env_remove("DATABASE_URL")
        .env_remove("PGHOST")
        .env_remove("PGDATABASE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // A process group of its own, as a shell's job is: the signal goes to the group.
        .process_group(0)
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            panic!("{args:?} ended before starting a cluster:\n{seen}");
        }
        seen.push_str(&line);
        if line.starts_with("starting an ephemeral PostgreSQL") {
            break;
        }
    }
    if let Moment::After(delay) = at {
        std::thread::sleep(delay);
    }
    let group = Pid::from_raw(-i32::try_from(child.id()).unwrap());
    let target = if signal == Signal::SIGINT {
        group
    } else {
        Pid::from_raw(i32::try_from(child.id()).unwrap())
    };
    kill(target, signal).unwrap();
    stderr.read_to_string(&mut seen).unwrap();
    let status = child.wait().unwrap();
    let left = std::fs::read_dir(temp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("rlsctl-pg-"))
        .collect();
    Interrupted {
        code: status.code(),
        stderr: seen,
        left,
    }
}

fn assert_interrupted(project: &Path, args: &[&str], signal: Signal, moments: &[Moment]) {
    // One cache for the cases: the first also interrupts initdb of the template.
    let cache = tempfile::tempdir().unwrap();
    let expected = if signal == Signal::SIGINT { 130 } else { 143 };
    for &at in moments {
        let run = interrupt(project, cache.path(), args, signal, at);
        let case = format!("{args:?} {signal} at {at:?}");
        assert_eq!(run.code, Some(expected), "{case}:\n{}", run.stderr);
        assert_eq!(
            run.stderr.matches(INTERRUPTED).count(),
            1,
            "{case}:\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("error:"), "{case}:\n{}", run.stderr);
        assert!(run.left.is_empty(), "{case}: left {:?}", run.left);
    }
}

const MOMENTS: &[Moment] = &[
    Moment::StartingTheCluster,
    Moment::StartingTheCluster,
    Moment::After(Duration::from_millis(200)),
    Moment::After(Duration::from_millis(500)),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn ctrl_c_during_plan_stops_cleanly_at_any_moment() {
    assert_interrupted(root(), &["plan"], Signal::SIGINT, MOMENTS);
}

#[test]
fn sigterm_during_plan_stops_cleanly_at_any_moment() {
    assert_interrupted(root(), &["plan"], Signal::SIGTERM, MOMENTS);
}

#[test]
fn ctrl_c_and_sigterm_during_test_stop_cleanly() {
    let project = root().join("examples/supabase");
    for signal in [Signal::SIGINT, Signal::SIGTERM] {
        assert_interrupted(
            &project,
            &["test"],
            signal,
            &[
                Moment::StartingTheCluster,
                Moment::After(Duration::from_millis(500)),
            ],
        );
    }
}
