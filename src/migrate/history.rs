//! The history table and what it says about the files: refinery's table
//! (`version`, `name`, `applied_on`, `checksum`), under rlsctl's own schema and
//! always schema-qualified (refinery pastes the name unquoted, and a migration may
//! change `search_path`).

use serde::Serialize;
use tokio_postgres::Client;

use super::files::MigrationFile;

/// The schema holding the history table.
pub const HISTORY_SCHEMA: &str = "rlsctl";

/// The history table, qualified (refinery pastes it into SQL as it is).
pub const HISTORY_TABLE: &str = "rlsctl.schema_history";

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Its version.
    pub version: i32,
    /// Its name.
    pub name: String,
    /// When (RFC 3339).
    pub applied_on: String,
    /// The checksum of the file as it was applied.
    pub checksum: u64,
}

/// Creates the history schema and table when missing (refinery's table shape).
pub async fn ensure(client: &Client) -> Result<(), tokio_postgres::Error> {
    client
        .batch_execute(
            "CREATE SCHEMA IF NOT EXISTS rlsctl;
             CREATE TABLE IF NOT EXISTS rlsctl.schema_history(
                 version int4 PRIMARY KEY,
                 name varchar(255),
                 applied_on varchar(255),
                 checksum varchar(255))",
        )
        .await
}

/// The rows of the history table in version order; none when it does not exist.
pub async fn read(client: &Client) -> Result<Vec<Applied>, tokio_postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('rlsctl.schema_history') IS NOT NULL",
            &[],
        )
        .await?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            "SELECT version, coalesce(name, ''), coalesce(applied_on, ''), coalesce(checksum, '')
             FROM rlsctl.schema_history ORDER BY version",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Applied {
            version: r.get(0),
            name: r.get(1),
            applied_on: r.get(2),
            // An unparsable checksum matches no file: the row shows as changed.
            checksum: r.get::<_, String>(3).parse().unwrap_or(0),
        })
        .collect())
}

/// What the history says of one migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Applied, and the file is unchanged since.
    Applied,
    /// Not applied yet; `migrate up` applies it.
    Pending,
    /// Applied, but the file has been edited since (or renamed).
    Changed,
    /// Applied, but the file is gone.
    Missing,
    /// Not applied, and older than the last applied migration: it would run out
    /// of order, so `migrate up` refuses it.
    OutOfOrder,
}

impl State {
    /// The word shown to people.
    pub fn word(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Changed => "changed",
            State::Missing => "missing",
            State::OutOfOrder => "out of order",
        }
    }

    /// Whether `migrate up` refuses to run while a migration is in this state.
    pub fn blocks(self) -> bool {
        matches!(self, State::Changed | State::Missing | State::OutOfOrder)
    }
}

/// One migration, from the files and the history together.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Its version.
    pub version: i32,
    /// Its name (the file's, else the history's).
    pub name: String,
    /// The file, when there is one.
    pub file: Option<String>,
    /// Its state.
    pub state: State,
    /// When it was applied.
    pub applied_on: Option<String>,
    /// What differs, for a changed one.
    pub detail: Option<String>,
}

/// The files against the history, in version order.
pub fn status(files: &[MigrationFile], applied: &[Applied]) -> Vec<Entry> {
    let last_applied = applied.iter().map(|a| a.version).max();
    let mut entries: Vec<Entry> = Vec::new();
    for f in files {
        let row = applied.iter().find(|a| a.version == f.version);
        let (state, detail) = match row {
            None if last_applied.is_some_and(|last| f.version < last) => (State::OutOfOrder, None),
            None => (State::Pending, None),
            Some(a) if a.name != f.name => (
                State::Changed,
                Some(format!(
                    "applied as V{}__{}, the file is now named {}",
                    a.version, a.name, f.name
                )),
            ),
            Some(a) if a.checksum != f.checksum => (
                State::Changed,
                Some("the file was edited after it was applied (checksum differs)".to_string()),
            ),
            Some(_) => (State::Applied, None),
        };
        entries.push(Entry {
            version: f.version,
            name: f.name.clone(),
            file: Some(f.path.display().to_string()),
            state,
            applied_on: row.map(|a| a.applied_on.clone()),
            detail,
        });
    }
    for a in applied {
        if !files.iter().any(|f| f.version == a.version) {
            entries.push(Entry {
                version: a.version,
                name: a.name.clone(),
                file: None,
                state: State::Missing,
                applied_on: Some(a.applied_on.clone()),
                detail: Some("applied, but no file has this version".to_string()),
            });
        }
    }
    entries.sort_by_key(|e| e.version);
    entries
}
