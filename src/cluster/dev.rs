//! Where scratch databases come from: an ephemeral cluster or an existing server.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::config::Host;
use tokio_postgres::{Client, Config, NoTls};

use super::{Cluster, ClusterError};
use crate::sql::quote_ident;

/// Longest prefix that leaves room for `_` and the unique suffix in PostgreSQL's 63-byte names.
pub(crate) const MAX_PREFIX_LEN: usize = 40;
/// Hex digits of randomness in a scratch database name.
const SUFFIX_LEN: usize = 16;
/// How long dropping a scratch database from `Drop` may block.
const DROP_TIMEOUT: Duration = Duration::from_secs(15);

/// A server that hands out scratch databases; clones share it.
#[derive(Debug, Clone)]
pub struct DevServer {
    source: Arc<Source>,
}

#[derive(Debug)]
enum Source {
    Ephemeral(Cluster),
    /// Connection settings for the database to administer the server from.
    Existing(Config),
}

impl DevServer {
    /// Starts an ephemeral cluster that lives as long as the server and its databases.
    pub fn ephemeral() -> Result<Self, ClusterError> {
        Cluster::start().map(Self::from)
    }

    /// An existing server, given by a URL or key=value string naming a database to work from.
    pub fn from_url(url: &str) -> Result<Self, ClusterError> {
        let config = Config::from_str(url).map_err(|error| ClusterError::InvalidUrl { error })?;
        Ok(Self {
            source: Arc::new(Source::Existing(config)),
        })
    }

    /// Creates an empty database named `<prefix>_<random>` from `template0`.
    pub async fn create_database(&self, prefix: &str) -> Result<ScratchDatabase, ClusterError> {
        if prefix.is_empty() || prefix.len() > MAX_PREFIX_LEN {
            return Err(ClusterError::InvalidPrefix(prefix.to_string()));
        }
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{prefix}_{}", &suffix[..SUFFIX_LEN]);
        let client = connect(&self.admin_config()).await?;
        let sql = format!("CREATE DATABASE {} TEMPLATE template0", quote_ident(&name));
        client
            .batch_execute(&sql)
            .await
            .map_err(|error| ClusterError::Database {
                action: format!("create database {name}"),
                error,
            })?;
        Ok(ScratchDatabase {
            name,
            server: self.clone(),
            dropped: false,
        })
    }

    fn admin_config(&self) -> Config {
        match &*self.source {
            Source::Ephemeral(cluster) => cluster.config("postgres"),
            Source::Existing(config) => config.clone(),
        }
    }
}

impl From<Cluster> for DevServer {
    fn from(cluster: Cluster) -> Self {
        Self {
            source: Arc::new(Source::Ephemeral(cluster)),
        }
    }
}

/// Says which server this is, never with its password.
impl fmt::Display for DevServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.source {
            Source::Ephemeral(cluster) => write!(
                f,
                "ephemeral PostgreSQL {} cluster in {}",
                cluster.major_version(),
                cluster.dir().display()
            ),
            Source::Existing(config) => f.write_str(&describe(config)),
        }
    }
}

/// A database created for one job; dropped with `drop().await`, or failing that when it goes out of scope.
#[derive(Debug)]
pub struct ScratchDatabase {
    name: String,
    /// Keeps an ephemeral cluster alive while its databases are.
    server: DevServer,
    dropped: bool,
}

impl ScratchDatabase {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Connection settings for this database.
    pub fn config(&self) -> Config {
        let mut config = self.server.admin_config();
        config.dbname(&self.name);
        config
    }

    /// Opens a new connection to this database.
    pub async fn connect(&self) -> Result<Client, ClusterError> {
        connect(&self.config()).await
    }

    /// Drops the database, closing any connections to it.
    pub async fn drop(mut self) -> Result<(), ClusterError> {
        drop_database(&self.server.admin_config(), &self.name).await?;
        self.dropped = true;
        Ok(())
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Drop cannot await, and it may run inside a runtime (where another
        // runtime cannot block), so the DROP gets a thread and runtime of its own.
        let config = self.server.admin_config();
        let name = std::mem::take(&mut self.name);
        let outcome = std::thread::spawn(move || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime.block_on(async {
                match tokio::time::timeout(DROP_TIMEOUT, drop_database(&config, &name)).await {
                    Ok(result) => result.map_err(|error| error.to_string()),
                    Err(_) => Err(format!("dropping database {name} timed out")),
                }
            })
        })
        .join();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!("could not drop a scratch database: {error}"),
            Err(_) => tracing::warn!("could not drop a scratch database: its thread panicked"),
        }
    }
}

/// Connects with `config`, running the connection on a spawned tokio task.
pub(crate) async fn connect(config: &Config) -> Result<Client, ClusterError> {
    let (client, connection) =
        config
            .connect(NoTls)
            .await
            .map_err(|error| ClusterError::Connect {
                server: describe(config),
                error,
            })?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "database connection ended with an error");
        }
    });
    Ok(client)
}

async fn drop_database(admin: &Config, name: &str) -> Result<(), ClusterError> {
    let client = connect(admin).await?;
    let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(name));
    client
        .batch_execute(&sql)
        .await
        .map_err(|error| ClusterError::Database {
            action: format!("drop database {name}"),
            error,
        })
}

/// `user@host:port/dbname`, leaving out the password.
fn describe(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    let mut text = String::new();
    if let Some(user) = config.get_user() {
        text.push_str(user);
        text.push('@');
    }
    text.push_str(&hosts.join(","));
    if !ports.is_empty() {
        text.push(':');
        text.push_str(&ports.join(","));
    }
    if let Some(dbname) = config.get_dbname() {
        text.push('/');
        text.push_str(dbname);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_described_without_its_password() {
        let server = DevServer::from_url("postgres://app:s3cret@db.example:6432/main").unwrap();
        assert_eq!(server.to_string(), "app@db.example:6432/main");
        assert!(!format!("{server:?}").contains("s3cret"));
    }
}
