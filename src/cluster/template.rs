//! The template data directory: initdb runs once per server binaries, and
//! every cluster starts from a copy of its result.
//!
//! initdb takes most of a second; copying its result takes a fraction of it.
//! Several processes (parallel test binaries) may build the same template at
//! once: each builds in a private staging directory beside it and renames the
//! result into place, which is atomic; a loser of the race uses the winner's.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};
use tempfile::TempDir;

use super::abandoned;
use super::account::ServerAccount;
use super::{ClusterError, ServerBinaries};

/// Environment variable naming the directory for cached template data directories.
pub const CACHE_DIR_ENV: &str = "RLSCTL_CACHE_DIR";

/// Prefix of every cluster directory in the system temp dir (the template's
/// staging copies are cluster directories too).
pub(crate) const CLUSTER_DIR_PREFIX: &str = "rlsctl-pg-";

/// Prefix of the staging directories beside the templates.
const STAGING_PREFIX: &str = ".staging-";

/// The template data directory for `binaries`, built on first use.
pub(crate) fn template_data_dir(
    binaries: &ServerBinaries,
    account: &ServerAccount,
) -> Result<PathBuf, ClusterError> {
    let templates = cache_dir()?.join("templates");
    let template = templates.join(template_name(binaries));
    // Only complete templates are ever renamed into place.
    if template.is_dir() {
        return Ok(template);
    }
    fs::create_dir_all(&templates)
        .map_err(|error| ClusterError::io("create", &templates, error))?;
    abandoned::remove_abandoned(&templates, STAGING_PREFIX);
    let staging = owned_temp_dir(tempfile::Builder::new().prefix(STAGING_PREFIX), &templates)?;
    let built = staging.path().join("data");

    if account.is_other() {
        // The postgres account cannot reach a cache under root's home (mode
        // 0700), so initdb runs in the system temp dir and the result is moved
        // (copied when the temp dir is another file system, e.g. a tmpfs).
        let outside = owned_temp_dir(
            tempfile::Builder::new().prefix(CLUSTER_DIR_PREFIX),
            &std::env::temp_dir(),
        )?;
        account.own_private_dir(outside.path())?;
        let data = outside.path().join("data");
        run_initdb(binaries, account, &data, outside.path())?;
        if fs::rename(&data, &built).is_err() {
            copy_data_dir(&data, &built)?;
        }
    } else {
        run_initdb(binaries, account, &built, staging.path())?;
    }

    match fs::rename(&built, &template) {
        Ok(()) => Ok(template),
        Err(_) if template.is_dir() => Ok(template),
        Err(error) => Err(ClusterError::io("move a template into", template, error)),
    }
}

/// Copies a data directory, keeping owners (when root) and modes.
pub(crate) fn copy_data_dir(from: &Path, to: &Path) -> Result<(), ClusterError> {
    let mut cp = Command::new("cp");
    cp.arg("-a").arg(from).arg(to);
    run(cp, "cp")
}

/// `$RLSCTL_CACHE_DIR`, else the user's cache directory + `rlsctl`.
pub fn cache_dir() -> Result<PathBuf, ClusterError> {
    if let Some(dir) = std::env::var_os(CACHE_DIR_ENV).filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    // No fallback to a shared temp dir: another user could plant a template there.
    dirs::cache_dir()
        .map(|dir| dir.join("rlsctl"))
        .ok_or(ClusterError::NoCacheDir)
}

/// `pg<major>-<hash of the bindir>`: a template per installation, since two
/// installations of one major version may differ in build options.
fn template_name(binaries: &ServerBinaries) -> String {
    let digest = Sha256::digest(binaries.bindir().as_os_str().as_encoded_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("pg{}-{hash}", binaries.major_version())
}

fn owned_temp_dir(builder: &mut tempfile::Builder, parent: &Path) -> Result<TempDir, ClusterError> {
    let dir = builder
        .tempdir_in(parent)
        .map_err(|error| ClusterError::io("create a directory in", parent, error))?;
    abandoned::claim(dir.path())?;
    Ok(dir)
}

fn run_initdb(
    binaries: &ServerBinaries,
    account: &ServerAccount,
    data: &Path,
    work_dir: &Path,
) -> Result<(), ClusterError> {
    let mut initdb = Command::new(binaries.initdb());
    initdb
        .arg("-D")
        .arg(data)
        .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"])
        // Durability is pointless for a directory that is only ever copied.
        .arg("--no-sync")
        // initdb resolves its own path from the working directory, which must
        // be one the server account can enter.
        .current_dir(work_dir);
    account.run_as(&mut initdb);
    run(initdb, "initdb")
}

fn run(mut command: Command, program: &str) -> Result<(), ClusterError> {
    let output = command
        .stdin(Stdio::null())
        // Its own process group: Ctrl-C in a terminal reaches rlsctl only, which
        // lets the helper finish and then cleans up in order.
        .process_group(0)
        .output()
        .map_err(|error| ClusterError::io("run", program, error))?;
    if output.status.success() {
        return Ok(());
    }
    Err(ClusterError::CommandFailed {
        program: program.to_string(),
        status: output.status,
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    })
}
