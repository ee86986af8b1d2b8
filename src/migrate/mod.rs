//! Versioned migrations: the `migrations/` files (`files`), the history table
//! and what it says of them (`history`), applying the pending ones (`up`), and
//! writing the next one from a plan (`write`). refinery keeps the history and
//! checksums; rlsctl checks file names itself (refinery skips a bad one
//! silently), takes the advisory lock, and runs the steps marked
//! `-- rlsctl:no-transaction` outside the migration's transaction.

pub mod files;
pub mod history;
pub mod review;
pub mod up;
pub mod verify;
pub mod write;

pub use files::{FilesError, MigrationFile, NO_TRANSACTION_MARKER};
pub use history::{Entry, State};
pub use up::{UpOptions, UpReport, up};

use std::fmt::Write as _;

/// Why migrations could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The files could not be read.
    #[error(transparent)]
    Files(#[from] FilesError),
    /// Another `migrate up` or `apply` holds the lock.
    #[error(
        "another rlsctl migrate up or apply is running on this database (it holds rlsctl's advisory lock); nothing was applied. Run it again when that one is done"
    )]
    Busy,
    /// Taking the lock failed.
    #[error("taking the advisory lock")]
    Lock(#[source] crate::plan::apply::ApplyError),
    /// The history and the files disagree; nothing was applied.
    #[error("{}", mismatch(.0))]
    HistoryMismatch(Vec<Entry>),
    /// `--target` is below what is applied.
    #[error(
        "--target {target} is below the last applied version {applied}; migrations only go forward (write a new migration that undoes what you need undone)"
    )]
    TargetBelowApplied {
        /// The target asked for.
        target: i32,
        /// The last applied version.
        applied: i32,
    },
    /// A migration failed and was rolled back.
    #[error(
        "{migration} failed and was rolled back: the history and the schema are as they were before it{}",
        if .applied.is_empty() { String::new() } else { format!(" (applied before it in this run: {})", .applied.join(", ")) }
    )]
    Failed {
        /// The migration.
        migration: String,
        /// The migrations this run applied before it.
        applied: Vec<String>,
        /// refinery's or the server's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A marked step failed after its migration committed.
    #[error(
        "{migration} was applied and recorded, but its step outside the transaction failed: `{statement}`. Drop the INVALID index it may have left (\\d in psql shows it) and run the statement yourself"
    )]
    OutsideFailed {
        /// The migration.
        migration: String,
        /// The statement.
        statement: String,
        /// The server's error.
        source: tokio_postgres::Error,
    },
    /// The database connection failed.
    #[error("database connection")]
    Connection(#[from] tokio_postgres::Error),
}

fn mismatch(entries: &[Entry]) -> String {
    let mut out = String::from(
        "the migration history of the database does not match migrations/; nothing was applied:",
    );
    for e in entries {
        let _ = write!(out, "\n  V{}__{}: {}", e.version, e.name, e.state.word());
        if let Some(detail) = &e.detail {
            let _ = write!(out, " ({detail})");
        }
        if e.state == State::OutOfOrder {
            out.push_str(" (older than the last applied migration: renumber it after it)");
        }
    }
    out.push_str(
        "\nan applied migration is never edited or removed: restore it (git checkout) and put the change in a new migration (`rlsctl migrate new NAME`)",
    );
    out
}
