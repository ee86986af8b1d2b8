//! Applying a plan: one transaction under a session advisory lock with
//! `lock_timeout`, so that a failure, an interruption or a second concurrent
//! apply leaves the database exactly as it was; CONCURRENTLY steps after commit.

use std::time::Duration;

use tokio_postgres::Client;

use super::{Plan, Statement};

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
        "the apply failed and was rolled back; the database is unchanged.\n  statement: {statement}\n  error: {message}"
    )]
    RolledBack {
        /// The statement that failed.
        statement: String,
        /// PostgreSQL's message.
        message: String,
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
    /// The connection failed.
    #[error("database connection: {0}")]
    Connection(#[from] tokio_postgres::Error),
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

/// Runs the plan. The caller holds the lock (see [`lock`]).
pub async fn run(client: &Client, plan: &Plan, options: Options) -> Result<(), ApplyError> {
    let (inside, outside): (Vec<&Statement>, Vec<&Statement>) =
        plan.statements.iter().partition(|s| s.transactional);
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
            if let Err(e) = client.batch_execute(&s.sql).await {
                let _ = client.batch_execute("ROLLBACK").await;
                return Err(ApplyError::RolledBack {
                    statement: s.sql.clone(),
                    message: message(&e),
                });
            }
        }
        client.batch_execute("COMMIT").await?;
    }
    for s in outside {
        if let Err(e) = client.batch_execute(&s.sql).await {
            return Err(ApplyError::Concurrently {
                statement: s.sql.clone(),
                message: message(&e),
            });
        }
    }
    Ok(())
}

fn message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}
