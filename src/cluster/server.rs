//! A private PostgreSQL cluster: a copy of the template, one server, a Unix socket.

use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use tempfile::TempDir;

use super::abandoned;
use super::account::ServerAccount;
use super::supervisor::Supervisor;
use super::template::{self, CLUSTER_DIR_PREFIX};
use super::{ClusterError, ServerBinaries};

/// The socket lives in a directory of its own, so the standard port never collides.
const PORT: u16 = 5432;
const SUPERUSER: &str = "postgres";

/// Settings for a throw-away server: durability off, room for schemas of
/// thousands of tables loaded in one transaction, no TCP.
const SERVER_SETTINGS: &[&str] = &[
    "listen_addresses=",
    "fsync=off",
    "full_page_writes=off",
    "synchronous_commit=off",
    "max_locks_per_transaction=1024",
    "max_connections=200",
    // The proof's probes are refused by design, thousands of times a run: the
    // errors are logged, their statements (each a whole probe batch) are not.
    "log_min_error_statement=panic",
];

/// A running private PostgreSQL server; dropping it stops the server and removes its files.
#[derive(Debug)]
pub struct Cluster {
    // Field order matters: the server stops before its directory is removed.
    supervisor: Supervisor,
    dir: TempDir,
    major_version: u32,
}

impl Cluster {
    /// Starts a cluster with the binaries [`ServerBinaries::find`] finds.
    pub fn start() -> Result<Self, ClusterError> {
        Self::start_with(&ServerBinaries::find()?)
    }

    /// Starts a cluster with the given binaries.
    pub fn start_with(binaries: &ServerBinaries) -> Result<Self, ClusterError> {
        Self::start_with_settings(binaries, &[])
    }

    /// Starts a cluster with the given binaries and extra server settings
    /// (`name=value`, after and over the defaults: e.g. TCP and TLS for a test).
    pub fn start_with_settings(
        binaries: &ServerBinaries,
        settings: &[&str],
    ) -> Result<Self, ClusterError> {
        let account = ServerAccount::for_this_process()?;
        let temp = std::env::temp_dir();
        abandoned::remove_abandoned(&temp, CLUSTER_DIR_PREFIX);
        let template = template::template_data_dir(binaries, &account)?;

        // In the system temp dir: root's home is closed to the postgres account.
        let dir = tempfile::Builder::new()
            .prefix(CLUSTER_DIR_PREFIX)
            .tempdir()
            .map_err(|error| ClusterError::io("create a directory in", &temp, error))?;
        abandoned::claim(dir.path())?;
        let data = dir.path().join("data");
        template::copy_data_dir(&template, &data)?;
        fs::set_permissions(&data, fs::Permissions::from_mode(0o700))
            .map_err(|error| ClusterError::io("set the permissions of", &data, error))?;
        account.own_private_dir(dir.path())?;

        let log = dir.path().join("server.log");
        let command = server_command(binaries, &account, dir.path(), &log, settings)?;
        let supervisor = Supervisor::start(command, data, log)?;
        Ok(Self {
            supervisor,
            dir,
            major_version: binaries.major_version(),
        })
    }

    /// Stops the server and removes its directory, reporting a failure to remove it.
    pub fn stop(self) -> Result<(), ClusterError> {
        let Self {
            supervisor, dir, ..
        } = self;
        drop(supervisor);
        let path = dir.path().to_path_buf();
        dir.close()
            .map_err(|error| ClusterError::io("remove", path, error))
    }

    /// Connection settings for database `dbname` on this cluster (superuser, Unix socket).
    pub fn config(&self, dbname: &str) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(self.dir.path())
            .port(PORT)
            .user(SUPERUSER)
            .dbname(dbname);
        config
    }

    /// Connects to database `dbname`; the connection runs on a spawned tokio task.
    pub async fn connect(&self, dbname: &str) -> Result<tokio_postgres::Client, ClusterError> {
        super::dev::connect(&self.config(dbname)).await
    }

    /// The cluster's directory: socket, log, and the data directory `data/`.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The pid of the server process.
    pub fn server_pid(&self) -> u32 {
        self.supervisor.server_pid()
    }

    /// The server's major version, e.g. 15.
    pub fn major_version(&self) -> u32 {
        self.major_version
    }
}

fn server_command(
    binaries: &ServerBinaries,
    account: &ServerAccount,
    dir: &Path,
    log: &Path,
    extra_settings: &[&str],
) -> Result<Command, ClusterError> {
    let log_file = File::create(log).map_err(|error| ClusterError::io("create", log, error))?;
    let log_for_stdout = log_file
        .try_clone()
        .map_err(|error| ClusterError::io("open", log, error))?;
    let mut command = Command::new(binaries.postgres());
    command
        .arg("-D")
        .arg(dir.join("data"))
        .arg("-k")
        .arg(dir)
        .arg("-p")
        .arg(PORT.to_string());
    for setting in SERVER_SETTINGS.iter().chain(extra_settings) {
        command.arg("-c").arg(setting);
    }
    command
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log_for_stdout)
        .stderr(log_file)
        // Its own process group: Ctrl-C in a terminal reaches rlsctl only,
        // which then stops the server in order and removes its files.
        .process_group(0);
    account.run_as(&mut command);
    die_with_parent(&mut command);
    Ok(command)
}

/// Makes the server quit when the thread that spawned it ends, so that a
/// killed rlsctl leaves no server behind (the directory is swept later).
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    // SAFETY: the hook only makes one async-signal-safe system call (prctl),
    // as required between fork and exec. std runs it after switching uid,
    // which would otherwise reset the setting.
    unsafe {
        command.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGQUIT)
                .map_err(std::io::Error::from)
        });
    }
}

/// Elsewhere there is no parent-death signal; `Drop` and the sweep of abandoned directories remain.
#[cfg(not(target_os = "linux"))]
fn die_with_parent(_command: &mut Command) {}
