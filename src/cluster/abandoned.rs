//! Directories left behind by processes that died without cleaning up.
//!
//! Every directory rlsctl creates for a cluster (or a template being built)
//! records the pid of the process that owns it. A later start removes those
//! whose owner is gone, so a SIGKILLed run does not leak disk for ever.
//! Limitation: a pid is only meaningful in its own pid namespace, so two
//! containers sharing one temp directory could remove each other's clusters.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;

use super::ClusterError;

/// The file in an owned directory that holds the owner's pid.
const OWNER_FILE: &str = "rlsctl-owner.pid";

/// A directory without a readable owner may be one being created right now;
/// past this age it is one whose creator died before writing its pid.
const UNCLAIMED_GRACE: Duration = Duration::from_secs(60 * 60);

/// Records that this process owns `dir`.
pub(crate) fn claim(dir: &Path) -> Result<(), ClusterError> {
    let file = dir.join(OWNER_FILE);
    fs::write(&file, std::process::id().to_string())
        .map_err(|error| ClusterError::io("write", file, error))
}

/// Removes the directories in `parent` whose names start with `prefix` and whose owner is gone.
pub(crate) fn remove_abandoned(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let is_ours = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(prefix));
        let path = entry.path();
        if !is_ours || !entry.file_type().is_ok_and(|t| t.is_dir()) || !is_abandoned(&path) {
            continue;
        }
        // Best effort: another process may be removing it too, or it may
        // belong to another user; either way it is not ours to fail on.
        match fs::remove_dir_all(&path) {
            Ok(()) => tracing::debug!(dir = %path.display(), "removed abandoned directory"),
            Err(error) => {
                tracing::debug!(dir = %path.display(), %error, "could not remove abandoned directory");
            }
        }
    }
}

fn is_abandoned(dir: &Path) -> bool {
    let owner = fs::read_to_string(dir.join(OWNER_FILE))
        .ok()
        .and_then(|text| text.trim().parse::<i32>().ok());
    match owner {
        Some(pid) => !process_is_running(pid),
        None => fs::metadata(dir)
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok())
            .is_some_and(|age| age > UNCLAIMED_GRACE),
    }
}

/// Whether `pid` names a live process; a zombie (dead, not yet reaped) is not live.
pub(crate) fn process_is_running(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    if cfg!(target_os = "linux") && Path::new("/proc/self/stat").exists() {
        // The state letter follows the command name, which is in parentheses
        // and may itself contain spaces or parentheses.
        return fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit_once(')')
                .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X']))
        });
    }
    // EPERM: it exists, it is just not ours to signal.
    !matches!(kill(Pid::from_raw(pid), None), Err(Errno::ESRCH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reaped_child_is_not_running_and_we_are() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        child.wait().unwrap();
        assert!(!process_is_running(child.id() as i32));
        assert!(process_is_running(std::process::id() as i32));
    }

    #[test]
    fn only_directories_of_dead_owners_are_removed() {
        let parent = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        child.wait().unwrap();
        let dead = parent.path().join("x-dead");
        let live = parent.path().join("x-live");
        let fresh_unclaimed = parent.path().join("x-new");
        let other = parent.path().join("y-dead");
        for dir in [&dead, &live, &fresh_unclaimed, &other] {
            fs::create_dir(dir).unwrap();
        }
        for dir in [&dead, &other] {
            fs::write(dir.join(OWNER_FILE), child.id().to_string()).unwrap();
        }
        claim(&live).unwrap();

        remove_abandoned(parent.path(), "x-");

        assert!(!dead.exists());
        assert!(live.exists());
        assert!(fresh_unclaimed.exists());
        assert!(other.exists(), "another prefix is not ours to touch");
    }
}
