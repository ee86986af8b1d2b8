//! Finding the PostgreSQL server binaries installed on this machine.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::ClusterError;

/// Environment variable naming the directory that holds `initdb` and `postgres`.
pub const BINDIR_ENV: &str = "RLSCTL_PG_BINDIR";

/// Install layouts whose directories name the version: `<root>/<prefix><version>/bin`
/// (Debian and Ubuntu, Homebrew on Apple silicon and on Intel, the PGDG RPMs).
const VERSIONED_INSTALLS: &[(&str, &str)] = &[
    ("/usr/lib/postgresql", ""),
    ("/opt/homebrew/opt", "postgresql@"),
    ("/usr/local/opt", "postgresql@"),
    ("/usr", "pgsql-"),
];

/// A directory holding `initdb` and `postgres`, and the major version they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerBinaries {
    bindir: PathBuf,
    major_version: u32,
}

impl ServerBinaries {
    /// Finds the binaries: `RLSCTL_PG_BINDIR`, `pg_config --bindir`, versioned install directories, `PATH`.
    pub fn find() -> Result<Self, ClusterError> {
        let setting = env::var_os(BINDIR_ENV).map(PathBuf::from);
        Self::find_with(setting.as_deref())
    }

    /// Like [`ServerBinaries::find`], with the value of `RLSCTL_PG_BINDIR` given instead of read.
    pub fn find_with(bindir_setting: Option<&Path>) -> Result<Self, ClusterError> {
        if let Some(dir) = bindir_setting.filter(|dir| !dir.as_os_str().is_empty()) {
            // A setting that points nowhere useful is a mistake to report, not a
            // reason to pick some other installation behind the user's back.
            if holds_server(dir) {
                return Self::in_dir(dir);
            }
            return Err(ClusterError::BinariesNotFound {
                tried: vec![format!(
                    "{BINDIR_ENV}={} (no initdb and postgres there)",
                    dir.display()
                )],
            });
        }
        let found = pg_config_bindir()
            .filter(|dir| holds_server(dir))
            .or_else(newest_versioned_install)
            .or_else(path_bindir);
        match found {
            Some(dir) => Self::in_dir(&dir),
            None => {
                let mut tried = vec!["pg_config --bindir".to_string()];
                tried.extend(
                    VERSIONED_INSTALLS
                        .iter()
                        .map(|(root, prefix)| format!("{root}/{prefix}*/bin")),
                );
                tried.push("PATH".to_string());
                Err(ClusterError::BinariesNotFound { tried })
            }
        }
    }

    /// The binaries in `dir`, which must hold `initdb` and `postgres`.
    fn in_dir(dir: &Path) -> Result<Self, ClusterError> {
        let postgres = dir.join("postgres");
        let output = Command::new(&postgres)
            .arg("--version")
            .output()
            .map_err(|error| ClusterError::UnknownVersion {
                postgres: postgres.clone(),
                output: error.to_string(),
            })?;
        let text = String::from_utf8_lossy(&output.stdout);
        let major_version = major_version(&text).ok_or_else(|| ClusterError::UnknownVersion {
            postgres,
            output: text.trim().to_string(),
        })?;
        Ok(Self {
            bindir: dir.to_path_buf(),
            major_version,
        })
    }

    /// The directory holding the binaries.
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// The server's major version, e.g. 15.
    pub fn major_version(&self) -> u32 {
        self.major_version
    }

    pub(crate) fn initdb(&self) -> PathBuf {
        self.bindir.join("initdb")
    }

    pub(crate) fn postgres(&self) -> PathBuf {
        self.bindir.join("postgres")
    }
}

fn holds_server(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("postgres").is_file()
}

/// `pg_config --bindir`; on a machine with only the client packages it names
/// a directory without the server, which the caller checks.
fn pg_config_bindir() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = String::from_utf8(output.stdout).ok()?;
    Some(PathBuf::from(dir.trim()))
}

/// The highest-versioned `bin` directory among [`VERSIONED_INSTALLS`] that holds a server.
fn newest_versioned_install() -> Option<PathBuf> {
    let mut installs: Vec<(Vec<u32>, PathBuf)> = Vec::new();
    for (root, prefix) in VERSIONED_INSTALLS {
        let Ok(entries) = std::fs::read_dir(root) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(version) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
                continue;
            };
            let Some(version) = dotted_version(version) else {
                continue;
            };
            let bindir = entry.path().join("bin");
            if holds_server(&bindir) {
                installs.push((version, bindir));
            }
        }
    }
    installs.into_iter().max().map(|(_, bindir)| bindir)
}

fn path_bindir() -> Option<PathBuf> {
    let postgres = which::which("postgres").ok()?;
    let dir = postgres.parent()?.to_path_buf();
    holds_server(&dir).then_some(dir)
}

/// "15" → [15], "9.6" → [9, 6]; anything else is not a version directory.
fn dotted_version(text: &str) -> Option<Vec<u32>> {
    text.split('.').map(|part| part.parse().ok()).collect()
}

/// The major version from `postgres --version`: "postgres (PostgreSQL) 15.18 (Debian ...)" → 15.
fn major_version(version_output: &str) -> Option<u32> {
    let rest = version_output.split_once("(PostgreSQL) ")?.1;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_version_is_read_from_release_beta_and_old_style_output() {
        assert_eq!(
            major_version("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"),
            Some(15)
        );
        assert_eq!(major_version("postgres (PostgreSQL) 17beta2"), Some(17));
        assert_eq!(major_version("postgres (PostgreSQL) 9.6.24"), Some(9));
        assert_eq!(major_version("something else 15.1"), None);
    }

    #[test]
    fn version_directories_sort_numerically_not_as_text() {
        assert!(dotted_version("10") > dotted_version("9.6"));
        assert_eq!(dotted_version("main"), None);
    }
}
