//! `migrate up`: applies the pending migrations under the session advisory lock
//! that `apply` takes too. refinery runs each migration with its history row in
//! one transaction; a migration with no-transaction steps (and a
//! `--single-transaction` run holding one) is run by rlsctl the same way, writing
//! refinery's history row itself, and its marked steps run after the commit.

use refinery::{Migration, Runner, Target};
use tokio_postgres::Client;

use super::MigrateError;
use super::files::MigrationFile;
use super::history::{self, Entry, HISTORY_TABLE, State};
use crate::plan::apply;

/// How to migrate.
#[derive(Debug, Clone, Copy, Default)]
pub struct UpOptions {
    /// Apply only up to this version (inclusive).
    pub target: Option<i32>,
    /// All pending migrations in one transaction (all or nothing).
    pub single_transaction: bool,
    /// Say what would be applied; change nothing.
    pub dry_run: bool,
}

/// What a run did (or, dry, would do).
#[derive(Debug, Clone, Default)]
pub struct UpReport {
    /// The migrations applied (or, dry, to apply), as `V3__name`.
    pub applied: Vec<String>,
    /// The statements run outside a transaction.
    pub outside: usize,
    /// The history before the run, with the files.
    pub before: Vec<Entry>,
}

/// Applies the pending migrations of `files` to `client`'s database. Refuses,
/// before running anything, when an applied migration's file was edited or is
/// gone, or a pending one is older than the last applied. `committed` is called
/// after each migration commits.
pub async fn up(
    client: &mut Client,
    files: &[MigrationFile],
    options: UpOptions,
    committed: &(dyn Fn(&str) + Sync),
) -> Result<UpReport, MigrateError> {
    if options.dry_run {
        let applied = history::read(client).await?;
        return plan(files, &applied, options);
    }
    apply::lock(client).await.map_err(|e| match e {
        apply::ApplyError::Busy => MigrateError::Busy,
        other => MigrateError::Lock(other),
    })?;
    let outcome = locked(client, files, options, committed).await;
    let _ = apply::unlock(client).await;
    outcome
}

/// The pending migrations, or the refusal.
fn plan(
    files: &[MigrationFile],
    applied: &[history::Applied],
    options: UpOptions,
) -> Result<UpReport, MigrateError> {
    let before = history::status(files, applied);
    let blocking: Vec<Entry> = before
        .iter()
        .filter(|e| e.state.blocks())
        .cloned()
        .collect();
    if !blocking.is_empty() {
        return Err(MigrateError::HistoryMismatch(blocking));
    }
    if let (Some(target), Some(last)) = (options.target, applied.last())
        && target < last.version
    {
        return Err(MigrateError::TargetBelowApplied {
            target,
            applied: last.version,
        });
    }
    let applied_names = before
        .iter()
        .filter(|e| e.state == State::Pending)
        .filter(|e| options.target.is_none_or(|t| e.version <= t))
        .map(|e| format!("V{}__{}", e.version, e.name))
        .collect();
    let outside = pending(files, &before, options)
        .iter()
        .map(|f| f.outside.len())
        .sum();
    Ok(UpReport {
        applied: applied_names,
        outside,
        before,
    })
}

fn pending<'a>(
    files: &'a [MigrationFile],
    before: &[Entry],
    options: UpOptions,
) -> Vec<&'a MigrationFile> {
    files
        .iter()
        .filter(|f| {
            before
                .iter()
                .any(|e| e.version == f.version && e.state == State::Pending)
        })
        .filter(|f| options.target.is_none_or(|t| f.version <= t))
        .collect()
}

async fn locked(
    client: &mut Client,
    files: &[MigrationFile],
    options: UpOptions,
    committed: &(dyn Fn(&str) + Sync),
) -> Result<UpReport, MigrateError> {
    // A killed rlsctl's statement stops within a second (PostgreSQL 14+), so the
    // migration it was running rolls back promptly.
    client
        .batch_execute(
            "SELECT set_config('client_connection_check_interval', '1s', false)
             WHERE current_setting('server_version_num')::int >= 140000",
        )
        .await?;
    history::ensure(client).await?;
    let applied = history::read(client).await?;
    let report = plan(files, &applied, options)?;
    let pending = pending(files, &report.before, options);
    let refinery: Vec<Migration> = files
        .iter()
        .map(MigrationFile::refinery)
        .collect::<Result<_, _>>()?;
    let mut done: Vec<String> = Vec::new();
    if options.single_transaction {
        if pending.iter().all(|f| f.outside.is_empty()) {
            if let Some(last) = pending.last() {
                let mut runner = Runner::new(&refinery)
                    .set_grouped(true)
                    .set_target(Target::Version(last.version));
                runner.set_migration_table_name(HISTORY_TABLE);
                runner
                    .run_async(client)
                    .await
                    .map_err(|source| MigrateError::Failed {
                        migration: "the --single-transaction run".to_string(),
                        applied: Vec::new(),
                        source: Box::new(source),
                    })?;
                for f in &pending {
                    committed(&f.stem());
                }
            }
        } else {
            own_transaction(client, &pending, &done).await?;
            for f in &pending {
                committed(&f.stem());
            }
            outside_steps(client, &pending).await?;
        }
        return Ok(UpReport {
            applied: pending.iter().map(|f| f.stem()).collect(),
            ..report
        });
    }
    for f in &pending {
        if f.outside.is_empty() {
            let mut runner = Runner::new(&refinery).set_target(Target::Version(f.version));
            runner.set_migration_table_name(HISTORY_TABLE);
            runner
                .run_async(client)
                .await
                .map_err(|source| MigrateError::Failed {
                    migration: f.stem(),
                    applied: done.clone(),
                    source: Box::new(source),
                })?;
            committed(&f.stem());
        } else {
            own_transaction(client, std::slice::from_ref(f), &done).await?;
            committed(&f.stem());
            outside_steps(client, std::slice::from_ref(f)).await?;
        }
        done.push(f.stem());
    }
    Ok(UpReport {
        applied: done,
        ..report
    })
}

/// Runs the transactional parts of `files` and their history rows in one
/// transaction, as refinery would.
async fn own_transaction(
    client: &mut Client,
    files: &[&MigrationFile],
    done: &[String],
) -> Result<(), MigrateError> {
    let transaction = client.transaction().await?;
    for f in files {
        let failed = |source: tokio_postgres::Error| MigrateError::Failed {
            migration: f.stem(),
            applied: done.to_vec(),
            source: Box::new(source),
        };
        transaction
            .batch_execute(&f.transactional)
            .await
            .map_err(failed)?;
        transaction
            .execute(
                "INSERT INTO rlsctl.schema_history (version, name, applied_on, checksum)
                 VALUES ($1, $2, to_char(clock_timestamp() AT TIME ZONE 'UTC',
                         'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), $3)",
                &[&f.version, &f.name, &f.checksum.to_string()],
            )
            .await
            .map_err(failed)?;
    }
    transaction.commit().await?;
    Ok(())
}

/// Runs the marked steps of `files`, each on its own, after their commit.
async fn outside_steps(client: &Client, files: &[&MigrationFile]) -> Result<(), MigrateError> {
    for f in files {
        for statement in &f.outside {
            if let Err(source) = client.batch_execute(statement).await {
                return Err(MigrateError::OutsideFailed {
                    migration: f.stem(),
                    statement: statement.clone(),
                    source,
                });
            }
        }
    }
    Ok(())
}
