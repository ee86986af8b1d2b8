//! Applying a plan: one transaction under a session advisory lock with
//! `lock_timeout`, so that a failure, an interruption or a second concurrent
//! apply leaves the database exactly as it was; CONCURRENTLY steps after commit.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use super::notices::{self, ServerNotice};
use super::{Plan, Statement};
use crate::conn::Notices;

/// Advisory lock key shared by every rlsctl apply on a database ("rlsctl" in ASCII).
const LOCK_KEY: i64 = 0x726c_7363_746c;

/// How to apply.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Give up on a lock after this long rather than queue behind traffic.
    pub lock_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(5),
        }
    }
}

/// Why an apply stopped.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Another apply holds the lock; nothing was changed.
    #[error(
        "another rlsctl apply is running on this database (advisory lock {LOCK_KEY} is held); nothing was changed"
    )]
    Busy,
    /// A statement failed; the transaction was rolled back.
    #[error(
        "the apply failed and was rolled back; the database is unchanged.\n  statement: {statement}\n  error: {message}{}",
        .cause.as_ref().map(|c| format!("\n  cause: {c}")).unwrap_or_default()
    )]
    RolledBack {
        /// The statement that failed.
        statement: String,
        /// PostgreSQL's message.
        message: String,
        /// Why, when rlsctl can tell (the connected role does not own the object).
        cause: Option<String>,
    },
    /// A statement succeeded but changed nothing (the server only warned); the
    /// transaction was rolled back.
    #[error(
        "the apply was rolled back; the database is unchanged: a statement had no effect.\n  statement: {statement}\n  server: {severity}: {message} (SQLSTATE {code}){}",
        .cause.as_ref().map(|c| format!("\n  cause: {c}")).unwrap_or_default()
    )]
    NoEffect {
        /// The statement.
        statement: String,
        /// The warning's severity.
        severity: String,
        /// The warning.
        message: String,
        /// Its SQLSTATE.
        code: String,
        /// Why, when rlsctl can tell (the connected role does not own the object).
        cause: Option<String>,
    },
    /// A CONCURRENTLY step failed after the transaction committed.
    #[error(
        "the schema changes were committed, but `{statement}` failed: {message}; drop the INVALID index it left and run apply again"
    )]
    Concurrently {
        /// The statement that failed.
        statement: String,
        /// PostgreSQL's message.
        message: String,
    },
    /// Interrupted before COMMIT: the running statement was cancelled and the
    /// transaction rolled back.
    #[error("the apply was interrupted and rolled back; the database is unchanged")]
    Interrupted,
    /// Interrupted after COMMIT, during a CONCURRENTLY step, which was cancelled.
    #[error(
        "the apply was interrupted after the schema changes were committed: `{statement}` was cancelled; drop the INVALID index it may have left and run apply again"
    )]
    InterruptedAfterCommit {
        /// The statement that was cancelled.
        statement: String,
    },
    /// The connection failed.
    #[error("database connection: {0}")]
    Connection(#[from] tokio_postgres::Error),
}

/// A future that may be awaited from the apply.
pub type Pending<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// How an apply is stopped from outside (Ctrl-C): when to stop, and how to make
/// the server stop the statement it is running.
pub struct Interrupt<'a> {
    /// Resolves when the apply should stop.
    pub requested: Pending<'a>,
    /// Sends the server a cancel request for the apply's session (a connection
    /// of its own, with the target's TLS).
    pub cancel: Pending<'a>,
    fired: bool,
}

impl<'a> Interrupt<'a> {
    /// An interrupt that stops when `requested` resolves, by awaiting `cancel`.
    pub fn new(
        requested: impl Future<Output = ()> + Send + 'a,
        cancel: impl Future<Output = ()> + Send + 'a,
    ) -> Self {
        Interrupt {
            requested: Box::pin(requested),
            cancel: Box::pin(cancel),
            fired: false,
        }
    }

    /// One that never comes.
    pub fn never() -> Interrupt<'static> {
        Interrupt::new(std::future::pending(), std::future::ready(()))
    }

    /// Whether it has come (without waiting).
    async fn has_come(&mut self) -> bool {
        if !self.fired {
            tokio::select! {
                biased;
                () = &mut self.requested => self.fired = true,
                () = std::future::ready(()) => {}
            }
        }
        self.fired
    }
}

/// How one statement ended.
enum Outcome {
    Done(Result<(), tokio_postgres::Error>),
    /// It was cancelled on request (or had finished when the cancel came); the
    /// server has answered either way.
    Interrupted,
}

/// Runs `sql`; when the interrupt comes first, asks the server to cancel it and
/// waits for its answer, so that nothing runs on after rlsctl stops.
async fn execute(client: &Client, sql: &str, interrupt: &mut Interrupt<'_>) -> Outcome {
    if interrupt.has_come().await {
        return Outcome::Interrupted;
    }
    let statement = client.batch_execute(sql);
    tokio::pin!(statement);
    tokio::select! {
        biased;
        result = &mut statement => Outcome::Done(result),
        () = &mut interrupt.requested => {
            interrupt.fired = true;
            (&mut interrupt.cancel).await;
            let _ = statement.await;
            Outcome::Interrupted
        }
    }
}

/// Takes the advisory lock, or fails with [`ApplyError::Busy`]. Held until
/// [`unlock`] or the session ends.
pub async fn lock(client: &Client) -> Result<(), ApplyError> {
    let row = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
        .await?;
    if row.get::<_, bool>(0) {
        Ok(())
    } else {
        Err(ApplyError::Busy)
    }
}

/// Releases the advisory lock.
pub async fn unlock(client: &Client) -> Result<(), ApplyError> {
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await?;
    Ok(())
}

/// What an apply that succeeded leaves to report.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Notices and warnings the server sent, in order, each with its statement.
    pub notices: Vec<ServerNotice>,
}

/// Runs the plan on `client`, whose connection's notices are `notices`. The
/// caller holds the lock (see [`lock`]). A statement the server says had no
/// effect rolls the transaction back ([`ApplyError::NoEffect`]).
pub async fn run(
    client: &Client,
    notices: &Notices,
    plan: &Plan,
    options: Options,
) -> Result<Applied, ApplyError> {
    run_until(client, notices, plan, options, Interrupt::never()).await
}

/// Checks, every this often, that the client of a running statement is still
/// there, so that the statement of a killed rlsctl stops within that time.
const CLIENT_CHECK_INTERVAL: &str = "1s";

/// [`run`], stopping when `interrupt` comes: the running statement is cancelled
/// on the server and the transaction rolled back before this returns.
pub async fn run_until(
    client: &Client,
    notices: &Notices,
    plan: &Plan,
    options: Options,
    mut interrupt: Interrupt<'_>,
) -> Result<Applied, ApplyError> {
    check_client_connection(client).await;
    let (inside, outside): (Vec<&Statement>, Vec<&Statement>) =
        plan.statements.iter().partition(|s| s.transactional);
    // What the server said before (while planning) is not the apply's.
    notices.take();
    let mut applied = Applied::default();
    if !inside.is_empty() {
        client.batch_execute("BEGIN").await?;
        let settings = format!(
            "SET LOCAL lock_timeout = '{}ms'; SET LOCAL check_function_bodies = off",
            options.lock_timeout.as_millis()
        );
        if let Err(e) = client.batch_execute(&settings).await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(e.into());
        }
        for s in inside {
            tracing::debug!(statement = %s.sql, "applying");
            match execute(client, &s.sql, &mut interrupt).await {
                Outcome::Done(Ok(())) => {}
                Outcome::Done(Err(e)) => {
                    let _ = client.batch_execute("ROLLBACK").await;
                    // Read after the rollback: the failed transaction can run nothing.
                    let cause = match e.code() {
                        Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                            notices::ownership_cause(client, &s.sql).await
                        }
                        _ => None,
                    };
                    return Err(ApplyError::RolledBack {
                        statement: s.sql.clone(),
                        message: message(&e),
                        cause,
                    });
                }
                Outcome::Interrupted => {
                    client.batch_execute("ROLLBACK").await?;
                    return Err(ApplyError::Interrupted);
                }
            }
            let said = heard(notices, &s.sql, &mut applied);
            if let Some(warning) = said.into_iter().find(ServerNotice::no_effect) {
                let cause = notices::ownership_cause(client, &s.sql).await;
                let _ = client.batch_execute("ROLLBACK").await;
                return Err(ApplyError::NoEffect {
                    statement: warning.statement,
                    severity: warning.severity,
                    message: warning.message,
                    code: warning.code,
                    cause,
                });
            }
        }
        // COMMIT is not interrupted: it is quick, and stopping it would leave
        // the user unsure whether it happened.
        client.batch_execute("COMMIT").await?;
    }
    for s in outside {
        tracing::debug!(statement = %s.sql, "applying after commit");
        match execute(client, &s.sql, &mut interrupt).await {
            Outcome::Done(Ok(())) => {
                heard(notices, &s.sql, &mut applied);
            }
            Outcome::Done(Err(e)) => {
                return Err(ApplyError::Concurrently {
                    statement: s.sql.clone(),
                    message: message(&e),
                });
            }
            Outcome::Interrupted => {
                return Err(ApplyError::InterruptedAfterCommit {
                    statement: s.sql.clone(),
                });
            }
        }
    }
    Ok(applied)
}

/// The notices `statement` caused, also kept in `applied`.
fn heard(notices: &Notices, statement: &str, applied: &mut Applied) -> Vec<ServerNotice> {
    let said: Vec<ServerNotice> = notices
        .take()
        .iter()
        .map(|n| ServerNotice::new(statement, n))
        .collect();
    applied.notices.extend(said.iter().cloned());
    said
}

/// Sets `client_connection_check_interval` (PostgreSQL 14+) on the session, so
/// that the server stops the apply's statement soon after rlsctl dies, instead
/// of running it to the end (holding its locks) before noticing. Best effort:
/// older servers and platforms without the check keep their default.
async fn check_client_connection(client: &Client) {
    let sql = format!(
        "SELECT set_config('client_connection_check_interval', '{CLIENT_CHECK_INTERVAL}', false) \
         WHERE current_setting('server_version_num')::int >= 140000"
    );
    if let Err(error) = client.batch_execute(&sql).await {
        tracing::debug!(%error, "client_connection_check_interval not set");
    }
}

fn message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}
