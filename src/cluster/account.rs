//! The OS account that initdb and postgres run as.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use nix::unistd::{Gid, Uid, User};

use super::ClusterError;

/// Our own account, or `postgres` when we are root: PostgreSQL refuses to run as root.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServerAccount {
    /// Set only when the server must run as another account than ours.
    other: Option<(Uid, Gid)>,
}

impl ServerAccount {
    /// The account for this process: `postgres` when root, ourselves otherwise.
    pub(crate) fn for_this_process() -> Result<Self, ClusterError> {
        if !Uid::effective().is_root() {
            return Ok(Self { other: None });
        }
        match User::from_name("postgres") {
            Ok(Some(user)) => Ok(Self {
                other: Some((user.uid, user.gid)),
            }),
            _ => Err(ClusterError::NoServerUser),
        }
    }

    /// Whether the server runs as an account other than ours.
    pub(crate) fn is_other(&self) -> bool {
        self.other.is_some()
    }

    /// Makes `command` run as this account (std switches ids and drops
    /// supplementary groups in the child, before `pre_exec` hooks run).
    pub(crate) fn run_as(&self, command: &mut Command) {
        if let Some((uid, gid)) = self.other {
            command.uid(uid.as_raw()).gid(gid.as_raw());
        }
    }

    /// Makes `dir` private to this account (mode 0700, as PostgreSQL demands of its data directory).
    pub(crate) fn own_private_dir(&self, dir: &Path) -> Result<(), ClusterError> {
        if let Some((uid, gid)) = self.other {
            std::os::unix::fs::chown(dir, Some(uid.as_raw()), Some(gid.as_raw()))
                .map_err(|error| ClusterError::io("change the owner of", dir, error))?;
        }
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|error| ClusterError::io("set the permissions of", dir, error))
    }
}
