//! Shared support for integration tests: one PostgreSQL server per test
//! binary, one fresh database per test.
//!
//! ```ignore
//! mod support;
//!
//! #[tokio::test]
//! async fn owner_bypass_without_force_is_a_leak() {
//!     let db = support::database().await;
//!     db.client().batch_execute("CREATE TABLE t (id int)").await.unwrap();
//! }
//! ```
//!
//! The server is an ephemeral cluster, or the server `RLSCTL_TEST_DATABASE_URL`
//! points to (its URL names the database to administer from). Each test's
//! database is dropped when its [`TestDatabase`] goes out of scope, on success
//! or panic.
//!
//! Cleanup of the cluster: statics are never dropped, so an `atexit` hook
//! stops the server and removes its directory when the test binary exits. If
//! the binary is killed instead, the server dies with it (parent-death signal)
//! and the next cluster start anywhere removes the directory (its owner pid is
//! dead).
// Each test binary uses only some of these helpers.
#![allow(dead_code)]

pub mod cli;

use std::sync::{Mutex, OnceLock};

use rlsctl::cluster::DevServer;
use tokio_postgres::{Client, Config};

/// Environment variable pointing the tests at an existing server.
pub const TEST_DATABASE_URL_ENV: &str = "RLSCTL_TEST_DATABASE_URL";

/// The binary's server; `None` once the exit hook has stopped it.
static SERVER: OnceLock<Mutex<Option<DevServer>>> = OnceLock::new();

/// A database of its own for one test, dropped when this goes out of scope.
pub struct TestDatabase {
    // Field order matters: the client closes before the database is dropped.
    client: Client,
    /// The server's notices on `client`'s connection.
    notices: rlsctl::conn::Notices,
    scratch: rlsctl::cluster::ScratchDatabase,
}

impl TestDatabase {
    /// A connection opened when the database was created.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The notices and warnings the server sent on [`TestDatabase::client`]'s connection.
    pub fn notices(&self) -> &rlsctl::conn::Notices {
        &self.notices
    }

    /// Opens another connection (for tests that need several sessions).
    pub async fn connect(&self) -> Client {
        self.scratch
            .connect()
            .await
            .unwrap_or_else(|error| panic!("connect to test database: {error}"))
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        self.scratch.name()
    }

    /// Connection settings for this database (for code under test that connects itself).
    pub fn config(&self) -> Config {
        self.scratch.config()
    }

    /// A libpq URL for this database, for the binary's `--database-url` and `dev_url`
    /// (Unix socket or TCP, with the password if the server needs one; no TLS).
    pub fn url(&self) -> String {
        use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
        let config = self.config();
        let encode = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Unix(dir)) => dir.display().to_string(),
            Some(tokio_postgres::config::Host::Tcp(name)) => name.clone(),
            None => "localhost".to_string(),
        };
        let password = config
            .get_password()
            .map(|p| format!(":{}", encode(&String::from_utf8_lossy(p))))
            .unwrap_or_default();
        format!(
            "postgresql://{}{password}@/{}?host={}&port={}&sslmode=disable",
            encode(config.get_user().unwrap_or("postgres")),
            encode(self.name()),
            encode(&host),
            config.get_ports().first().copied().unwrap_or(5432)
        )
    }
}

/// Creates a fresh, empty database for the calling test.
pub async fn database() -> TestDatabase {
    let server = server();
    let scratch = server
        .create_database(&database_prefix())
        .await
        .unwrap_or_else(|error| panic!("create a test database on {server}: {error}"));
    let (client, connection) = scratch
        .config()
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|error| panic!("connect to test database: {error}"));
    let notices = rlsctl::conn::notices::spawn(connection);
    TestDatabase {
        client,
        notices,
        scratch,
    }
}

/// The binary's server, started by the first test that asks.
pub fn server() -> DevServer {
    let server = SERVER.get_or_init(|| {
        let server = match std::env::var(TEST_DATABASE_URL_ENV) {
            Ok(url) if !url.is_empty() => DevServer::from_url(&url),
            _ => DevServer::ephemeral(),
        }
        .unwrap_or_else(|error| panic!("test database server: {error}"));
        // SAFETY: registering a plain `extern "C" fn` has no preconditions.
        unsafe { nix::libc::atexit(stop_server_at_exit) };
        Mutex::new(Some(server))
    });
    server
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
        .expect("test database server used after exit")
}

extern "C" fn stop_server_at_exit() {
    // try_lock: never block process exit on a thread that still holds it.
    if let Some(Ok(mut server)) = SERVER.get().map(Mutex::try_lock) {
        drop(server.take());
    }
}

/// `t_<test name>`: libtest names each test's thread after the test, which
/// makes a leftover database on a shared server easy to trace.
fn database_prefix() -> String {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("test");
    let short = test.rsplit("::").next().unwrap_or(test);
    let mut prefix: String = format!("t_{short}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    prefix.truncate(40);
    prefix
}
