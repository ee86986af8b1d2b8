//! `rlsctl plan` and `rlsctl apply`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};
use tokio_postgres::Client;

use super::decide;
use super::failure::{Failure, fail};
use super::interrupt;
use super::session::{self, block_on, desired_catalog, dev_server, target};
use super::validate::load_declaration;
use crate::cluster::{DevServer, ScratchDatabase};
use crate::conn::{self, Notices, Target};
use crate::desired;
use crate::plan::apply::{self, ApplyError};
use crate::plan::{self, Allowed, Plan};
use crate::report;
use crate::spec::Declaration;

/// Output of `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// Summary, hazards and SQL.
    Human,
    /// Changes and hazards as data.
    Json,
    /// Just the script.
    Sql,
}

/// Where and how to plan.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Target connection string (URL or key=value); default: `[database] url_env`,
    /// then the libpq environment (PGHOST, ...), else an empty ephemeral database.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Build new indexes on existing tables with CREATE INDEX CONCURRENTLY, after
    /// the transaction.
    #[arg(long)]
    pub concurrent_indexes: bool,
}

/// A connected target and what keeps an ephemeral one alive.
struct Connected {
    client: Client,
    /// The server's notices on `client`'s connection.
    notices: Notices,
    shown: String,
    /// The target, when it is not an ephemeral database (for a cancel request).
    target: Option<Target>,
    /// The ephemeral server holding an ephemeral target (reused for the dev database).
    dev: Option<DevServer>,
    _scratch: Option<ScratchDatabase>,
}

async fn connect(declaration: &Declaration, args: &TargetArgs) -> Result<Connected, Failure> {
    match target(args.database_url.as_deref(), declaration)? {
        Some(t) => {
            let (client, notices) = session::connect_with_notices(&t).await.map_err(fail)?;
            Ok(Connected {
                client,
                notices,
                shown: t.to_string(),
                target: Some(t),
                dev: None,
                _scratch: None,
            })
        }
        None => {
            eprintln!(
                "no target configured (--database-url, [database] url_env, PG* variables): using an empty ephemeral database"
            );
            let dev = dev_server(declaration)?;
            let scratch = dev.create_database("rlsctl_target").await.map_err(fail)?;
            let (client, connection) = scratch
                .config()
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(fail)?;
            let notices = conn::notices::spawn(connection);
            // The roles and dev setup the target would have; the cached desired
            // catalog skips the dev build that would otherwise make the roles.
            desired::prerequisites(&client, declaration)
                .await
                .map_err(fail)?;
            Ok(Connected {
                client,
                notices,
                shown: format!("ephemeral database {}", scratch.name()),
                target: None,
                dev: Some(dev),
                _scratch: Some(scratch),
            })
        }
    }
}

async fn make_plan(
    declaration: &Declaration,
    connected: &Connected,
    args: &TargetArgs,
) -> Result<Plan, Failure> {
    let desired = desired_catalog(declaration, connected.dev.as_ref()).await?;
    let (plan, _) = plan::prepare(
        declaration,
        &desired,
        &connected.client,
        args.concurrent_indexes,
    )
    .await
    .map_err(fail)?;
    Ok(plan)
}

/// `rlsctl plan`: exit 0 (no changes), 1 (error), 2 (changes, with --detailed-exitcode).
pub(super) fn plan(
    project: &Path,
    args: &TargetArgs,
    format: PlanFormat,
    detailed_exitcode: bool,
) -> Result<ExitCode, Failure> {
    let declaration = load_declaration(project)?;
    let (plan, shown) = block_on(async {
        let connected = connect(&declaration, args).await?;
        let mut plan = make_plan(&declaration, &connected, args).await?;
        // The bare script shows no hazard: nothing to decide.
        if format != PlanFormat::Sql {
            decide::rls_widenings(&declaration, &mut plan, connected.dev.as_ref()).await?;
        }
        Ok((plan, connected.shown))
    })?;
    match format {
        PlanFormat::Human => out!("{}", report::plan::human(&plan, &shown, super::color())),
        PlanFormat::Json => outln!("{}", report::plan::json(&plan, &shown)),
        PlanFormat::Sql => out!("{}", plan.to_sql()),
    }
    Ok(if detailed_exitcode && !plan.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Options of `apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Apply without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Allow changes that delete data (dropped tables and columns, narrowed types).
    #[arg(long)]
    pub allow_destructive: bool,
    /// Allow changes that may weaken row-level security or add privileges on tenant tables.
    #[arg(long)]
    pub allow_rls_weakening: bool,
    /// Seconds to wait for a table lock before giving up (the apply rolls back).
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    pub lock_timeout: u64,
}

/// `rlsctl apply`: plan under the advisory lock, confirm, apply in one transaction.
pub(super) fn apply(
    project: &Path,
    args: &TargetArgs,
    options: &ApplyArgs,
) -> Result<ExitCode, Failure> {
    let declaration = load_declaration(project)?;
    block_on(async {
        let connected = connect(&declaration, args).await?;
        apply::lock(&connected.client).await.map_err(fail)?;
        let outcome = apply_locked(&declaration, &connected, args, options).await;
        let _ = apply::unlock(&connected.client).await;
        outcome
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn apply_locked(
    declaration: &Declaration,
    connected: &Connected,
    args: &TargetArgs,
    options: &ApplyArgs,
) -> Result<(), Failure> {
    let mut plan = make_plan(declaration, connected, args).await?;
    decide::rls_widenings(declaration, &mut plan, connected.dev.as_ref()).await?;
    out!(
        "{}",
        report::plan::human(&plan, &connected.shown, super::color())
    );
    if plan.is_empty() {
        return Ok(());
    }
    let allowed = Allowed {
        destructive: options.allow_destructive,
        rls_weakening: options.allow_rls_weakening,
    };
    let blocking = plan.blocking(allowed);
    if !blocking.is_empty() {
        eprintln!(
            "\nrefusing to apply: {} hazard(s) need an explicit flag:",
            blocking.len()
        );
        for (change, hazard) in &blocking {
            eprintln!(
                "  {} {}: {}",
                change.object,
                hazard.label(),
                hazard.reason()
            );
        }
        if blocking
            .iter()
            .any(|(_, h)| matches!(h, crate::diff::Hazard::Refused(_)))
        {
            eprintln!(
                "a refused change cannot run as planned whatever the flags: change the declaration as its reason says"
            );
        }
        if blocking
            .iter()
            .any(|(_, h)| matches!(h, crate::diff::Hazard::HarmsUnmanaged(_)))
        {
            eprintln!(
                "no flag allows harming an object rlsctl does not manage: declare it, or change or drop it yourself first"
            );
        }
        if blocking
            .iter()
            .any(|(_, h)| matches!(h, crate::diff::Hazard::RlsWidened(w) if matches!(w.proof, crate::diff::Proof::Leaks { .. })))
        {
            eprintln!(
                "the isolation proof found a leak in the declared state (its witnesses are above): fix the policies, or pass --allow-rls-weakening after review"
            );
        }
        eprintln!(
            "pass --allow-destructive (data loss, broken dependents, lost behaviour) and/or --allow-rls-weakening (weaker RLS) after review; nothing was changed"
        );
        return Err(Failure::Shown(ExitCode::FAILURE));
    }
    if !options.yes && !confirmed().await? {
        eprintln!("apply cancelled; nothing was changed");
        return Err(Failure::Shown(ExitCode::FAILURE));
    }
    let apply_options = apply::Options {
        lock_timeout: Duration::from_secs(options.lock_timeout),
    };
    // From here an interruption cancels the running statement and waits for
    // the rollback, instead of dropping the connection under it.
    let shield = interrupt::Shield::new();
    let stop = apply::Interrupt::new(
        interrupt::requested(),
        session::cancel(connected.target.as_ref(), connected.client.cancel_token()),
    );
    let run = apply::run_until(
        &connected.client,
        &connected.notices,
        &plan,
        apply_options,
        stop,
    );
    match run.await {
        Ok(applied) => {
            interrupt::note_committed();
            eprint!("{}", report::plan::notices(&applied.notices));
        }
        Err(ApplyError::Interrupted) => return Err(Failure::Shown(interrupt::report())),
        Err(e @ ApplyError::InterruptedAfterCommit { .. }) => {
            interrupt::note_committed();
            eprintln!("error: {}", crate::error::error_chain(&e));
            return Err(Failure::Shown(interrupt::report()));
        }
        Err(e) => return Err(fail(e)),
    }
    drop(shield);
    let after = make_plan(declaration, connected, args).await?;
    if after.is_empty() {
        outln!(
            "Applied {} change(s). The target now matches the declaration.",
            plan.changes.len()
        );
        Ok(())
    } else {
        eprintln!(
            "applied, but {} change(s) remain (PostgreSQL normalised something differently); run `rlsctl plan` to see them",
            after.changes.len()
        );
        Err(Failure::Shown(ExitCode::FAILURE))
    }
}

async fn confirmed() -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(fail(
            "refusing to apply without confirmation: stdin is not a terminal; pass --yes",
        ));
    }
    out!("\nApply these changes? Only 'yes' is accepted: ");
    let _ = std::io::stdout().flush();
    // On a thread of its own: a read of the terminal is not interrupted by
    // Ctrl-C (the handler restarts it), and the runtime must stay free to see it.
    let line = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line)
    })
    .await
    .map_err(fail)?
    .map_err(fail)?;
    Ok(line.trim() == "yes")
}
