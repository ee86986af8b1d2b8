//! The target database connection, with libpq's conventions: a URL or
//! `key=value` string, the `PG*` environment, `.pgpass`, and `sslmode`
//! (disable, allow, prefer, require, verify-ca, verify-full) with `sslrootcert`,
//! `sslcert`, `sslkey`. tokio-postgres parses the rest; this layer adds what it
//! lacks. Passwords never appear in anything this module displays.

pub mod notices;
mod params;
mod pgpass;
mod tls;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use tokio_postgres::config::{Config, Host};
use tokio_postgres::{CancelToken, Client};

pub use notices::Notices;
pub use params::SslMode;
pub use tls::Tls;

/// More connections to the same database, opened only when a command has
/// enough work to share out: the proof's tables (`prove::run_with`), the
/// audit's catalog queries (`audit::run_with`).
pub struct Connections<'c> {
    /// How many connections in all, the first one included.
    pub jobs: usize,
    /// Opens one more connection.
    #[allow(clippy::type_complexity)]
    pub open: Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<Client, String>> + 'c>> + 'c>,
}

/// Why a target could not be configured or reached.
#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    /// The connection string is malformed.
    #[error("invalid connection string: {0}")]
    Invalid(String),
    /// A certificate or key file could not be read or used.
    #[error("TLS setup: {0}")]
    Tls(String),
    /// The server could not be reached or refused the login.
    #[error("cannot connect to {target}: {message}")]
    Connect {
        /// The target, without password.
        target: String,
        /// What went wrong, with the causes.
        message: String,
    },
}

/// A database to connect to, resolved from flags, project settings and environment.
#[derive(Clone)]
pub struct Target {
    config: Config,
    ssl: params::SslSettings,
}

/// Where environment values come from (the process environment, or a map in tests).
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Target {
    /// The target for a command: `--database-url`, else the variable named by
    /// `[database] url_env`, else the libpq environment (`PGHOST`, `PGDATABASE`,
    /// ...). `None` when nothing is configured.
    pub fn resolve(
        url_flag: Option<&str>,
        url_env: Option<&str>,
    ) -> Result<Option<Target>, ConnError> {
        Self::resolve_with(url_flag, url_env, &process_env)
    }

    /// [`Target::resolve`] with an explicit environment.
    pub fn resolve_with(
        url_flag: Option<&str>,
        url_env: Option<&str>,
        env: Env,
    ) -> Result<Option<Target>, ConnError> {
        if let Some(url) = url_flag.filter(|u| !u.is_empty()) {
            return Self::from_url_with(url, env).map(Some);
        }
        if let Some(url) = url_env.and_then(env) {
            return Self::from_url_with(&url, env).map(Some);
        }
        let libpq = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER"];
        if libpq.iter().any(|v| env(v).is_some()) {
            return Self::from_url_with("", env).map(Some);
        }
        Ok(None)
    }

    /// A target from a connection string, completed from the process environment.
    pub fn from_url(url: &str) -> Result<Target, ConnError> {
        Self::from_url_with(url, &process_env)
    }

    /// [`Target::from_url`] with an explicit environment.
    pub fn from_url_with(url: &str, env: Env) -> Result<Target, ConnError> {
        let (rest, ssl) = params::split_ssl(url, env)?;
        let mut config: Config = rest
            .parse()
            .map_err(|e: tokio_postgres::Error| ConnError::Invalid(parse_failure(&e)))?;
        params::complete_from_env(&mut config, env);
        if config.get_password().is_none()
            && let Some(password) = pgpass::lookup(&config, env)
        {
            config.password(password);
        }
        config.ssl_mode(ssl.mode.tokio_mode());
        Ok(Target { config, ssl })
    }

    /// The tokio-postgres configuration (for code that connects by itself).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The effective sslmode.
    pub fn ssl_mode(&self) -> SslMode {
        self.ssl.mode
    }

    /// Connects, with TLS as the sslmode says; the connection runs on a spawned
    /// task. Also says what TLS was negotiated (see [`Tls::note`]).
    pub async fn connect(&self) -> Result<(Client, Tls), ConnError> {
        let (client, tls, _) = self.connect_with_notices().await?;
        Ok((client, tls))
    }

    /// [`Target::connect`], keeping the server's notices and warnings.
    pub async fn connect_with_notices(&self) -> Result<(Client, Tls, Notices), ConnError> {
        let failed = |e: tokio_postgres::Error| ConnError::Connect {
            target: self.to_string(),
            message: crate::error::error_chain(&e),
        };
        if self.ssl.mode == SslMode::Disable {
            let (client, connection) = self
                .config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(failed)?;
            return Ok((client, Tls::Off, notices::spawn(connection)));
        }
        let connector = tls::connector(&self.ssl)?;
        let (client, connection) = self
            .config
            .connect(connector.clone())
            .await
            .map_err(failed)?;
        let notices = notices::spawn(connection);
        let negotiated = Tls::negotiated(connector.established(), connector.verifies_chain);
        Ok((client, negotiated, notices))
    }

    /// Asks the server to cancel what the session of `token` is running, over a
    /// connection of its own with this target's TLS settings.
    pub async fn cancel(&self, token: &CancelToken) -> Result<(), ConnError> {
        let failed = |e: tokio_postgres::Error| ConnError::Connect {
            target: self.to_string(),
            message: crate::error::error_chain(&e),
        };
        if self.ssl.mode == SslMode::Disable {
            token.cancel_query(tokio_postgres::NoTls).await
        } else {
            token.cancel_query(tls::connector(&self.ssl)?).await
        }
        .map_err(failed)
    }
}

/// `user@host:port/dbname (sslmode=...)`: never the password.
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hosts: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .map(|h| match h {
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => PathBuf::from(path).display().to_string(),
            })
            .collect();
        let ports: Vec<String> = self.config.get_ports().iter().map(u16::to_string).collect();
        write!(
            f,
            "{}@{}:{}/{} (sslmode={})",
            self.config.get_user().unwrap_or("?"),
            hosts.join(","),
            if ports.is_empty() {
                "5432".to_string()
            } else {
                ports.join(",")
            },
            self.config
                .get_dbname()
                .or(self.config.get_user())
                .unwrap_or("?"),
            self.ssl.mode.as_str()
        )
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({self})")
    }
}

/// What was wrong with a connection string: tokio-postgres's own message is
/// "invalid connection string", which [`ConnError::Invalid`] already says.
fn parse_failure(e: &tokio_postgres::Error) -> String {
    std::error::Error::source(e).map_or_else(|| e.to_string(), crate::error::error_chain)
}
