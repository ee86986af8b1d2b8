//! What can go wrong while finding, starting or using a server.

use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

/// Everything that can go wrong in the `cluster` module.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// No directory holding both `initdb` and `postgres` was found.
    #[error(
        "PostgreSQL server binaries (initdb and postgres) not found; looked at: {}.\n\
         Install them:\n  \
           Debian/Ubuntu: apt-get install postgresql\n  \
           macOS:         brew install postgresql@15\n\
         or set RLSCTL_PG_BINDIR to the directory that holds initdb and postgres,\n\
         or use an existing server instead: set `dev_url` in rlsctl.toml \
         (tests: RLSCTL_TEST_DATABASE_URL).",
        tried.join(", ")
    )]
    BinariesNotFound {
        /// The places looked at, in order.
        tried: Vec<String>,
    },

    /// `postgres --version` did not say which version it is.
    #[error("could not tell the version of {}: {output}", postgres.display())]
    UnknownVersion {
        /// The `postgres` binary asked.
        postgres: PathBuf,
        /// What it printed, or why it could not run.
        output: String,
    },

    /// Running as root, where PostgreSQL needs an ordinary account to run as.
    #[error(
        "running as root, and PostgreSQL refuses to run as root, but there is no `postgres` \
         OS user to run it as; install the postgresql package (it creates that user) or run \
         rlsctl as an ordinary user"
    )]
    NoServerUser,

    /// Neither RLSCTL_CACHE_DIR nor a user cache directory is available for the template.
    #[error("no cache directory for the template data directory: set RLSCTL_CACHE_DIR")]
    NoCacheDir,

    /// A file system operation failed.
    #[error("could not {action} {}: {error}", path.display())]
    Io {
        /// What was being done, as a verb phrase.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The underlying error.
        error: io::Error,
    },

    /// A helper program (initdb, cp) failed.
    #[error("{program} failed ({status}): {stderr}")]
    CommandFailed {
        /// The program's name.
        program: String,
        /// How it exited.
        status: ExitStatus,
        /// What it printed on stderr.
        stderr: String,
    },

    /// The server exited before it accepted connections.
    #[error("PostgreSQL exited during startup ({status}); end of its log:\n{log_tail}")]
    ServerExited {
        /// How it exited.
        status: ExitStatus,
        /// The last lines of the server log.
        log_tail: String,
    },

    /// The server did not accept connections in time.
    #[error(
        "PostgreSQL did not accept connections within {} s; end of its log:\n{log_tail}",
        waited.as_secs()
    )]
    StartTimeout {
        /// How long we waited.
        waited: Duration,
        /// The last lines of the server log.
        log_tail: String,
    },

    /// A database URL or connection string did not parse.
    #[error("invalid database URL: {}", crate::error::error_chain(error))]
    InvalidUrl {
        /// The parser's error (it never contains the password).
        error: tokio_postgres::Error,
    },

    /// Connecting to a server failed.
    #[error("could not connect to {server}: {}", crate::error::error_chain(error))]
    Connect {
        /// The server, with any password left out.
        server: String,
        /// The client's error.
        error: tokio_postgres::Error,
    },

    /// A statement on the server failed.
    #[error("could not {action}: {}", crate::error::error_chain(error))]
    Database {
        /// What was being done, as a verb phrase.
        action: String,
        /// The client's error.
        error: tokio_postgres::Error,
    },

    /// A scratch database name prefix that would not leave room for the unique suffix.
    #[error("database name prefix {0:?} must be 1 to {max} bytes", max = super::dev::MAX_PREFIX_LEN)]
    InvalidPrefix(String),
}

impl ClusterError {
    /// Shorthand for [`ClusterError::Io`].
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, error: io::Error) -> Self {
        Self::Io {
            action,
            path: path.into(),
            error,
        }
    }
}
