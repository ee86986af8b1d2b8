//! `rlsctl migrate new`, `migrate up` and `migrate status`: versioned migrations
//! in `migrations/`, written from the declaration and applied with history.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use tokio_postgres::Client;

use super::Format;
use super::failure::{Failure, fail};
use super::interrupt;
use super::session::{self, block_on, desired_catalog, dev_server};
use super::validate::load_declaration;
use crate::catalog::{self, Catalog};
use crate::cluster::{DevServer, ScratchDatabase};
use crate::desired;
use crate::diff::Hazard;
use crate::migrate::{self, MigrationFile, UpOptions, UpReport};
use crate::plan::{self, Allowed, Plan};
use crate::report;
use crate::spec::Declaration;

/// The directory of a project's migrations.
pub(super) const MIGRATIONS_DIR: &str = "migrations";

/// `rlsctl migrate ...`.
#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Replay migrations/ in a fresh dev database, diff it against the declaration
    /// and write the difference as the next migrations/V{n}__NAME.sql.
    New(NewArgs),
    /// Apply the pending migrations to the target, each in its own transaction
    /// with its history row, under an advisory lock.
    Up(UpArgs),
    /// List the migrations: applied, pending, changed since applied, missing.
    Status(StatusArgs),
}

/// Options of `migrate new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The migration's name: letters, digits and underscores (V{n}__NAME.sql).
    pub name: String,
    /// Allow changes that delete data, break dependents or lose behaviour.
    #[arg(long)]
    pub allow_destructive: bool,
    /// Allow changes that may weaken row-level security.
    #[arg(long)]
    pub allow_rls_weakening: bool,
    /// Build new indexes on existing tables with CREATE INDEX CONCURRENTLY,
    /// after the migration's transaction.
    #[arg(long)]
    pub concurrent_indexes: bool,
}

/// Options of `migrate up`.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// Target connection string; default: `[database] url_env`, then PG* variables.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Apply only the migrations up to this version.
    #[arg(long, value_name = "VERSION")]
    pub target: Option<i32>,
    /// Apply all pending migrations in one transaction: all or nothing.
    #[arg(long)]
    pub single_transaction: bool,
    /// Show what would be applied; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Options of `migrate status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Target connection string; default: `[database] url_env`, then PG* variables.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Runs a `migrate` subcommand.
pub(super) fn migrate(project: &Path, command: &MigrateCommand) -> Result<ExitCode, Failure> {
    match command {
        MigrateCommand::New(args) => new(project, args),
        MigrateCommand::Up(args) => up(project, args),
        MigrateCommand::Status(args) => status(project, args),
    }
}

/// The project's migration files, checked.
pub(super) fn files(project: &Path) -> Result<Vec<MigrationFile>, Failure> {
    migrate::files::list(&project.join(MIGRATIONS_DIR)).map_err(fail)
}

/// A scratch database on `server` with the declaration's prerequisites (roles,
/// dev setup) and every migration of `files` applied, as on a fresh target.
pub(super) async fn replay(
    server: &DevServer,
    declaration: &Declaration,
    files: &[MigrationFile],
) -> Result<(ScratchDatabase, Client, UpReport), Failure> {
    let (database, client, report, _) = replay_steps(server, declaration, files, None).await?;
    Ok((database, client, report))
}

/// [`replay`], one migration at a time when `inspect` names the schemas to read
/// after each: then the catalogs before the first migration and after each.
pub(super) async fn replay_steps(
    server: &DevServer,
    declaration: &Declaration,
    files: &[MigrationFile],
    inspect: Option<&[String]>,
) -> Result<(ScratchDatabase, Client, UpReport, Vec<Catalog>), Failure> {
    let database = server
        .create_database("rlsctl_replay")
        .await
        .map_err(fail)?;
    let replayed = async {
        let mut client = database.connect().await.map_err(fail)?;
        desired::prerequisites(&client, declaration)
            .await
            .map_err(fail)?;
        let replaying = |e| fail(e).within("replaying migrations/", 1);
        let Some(schemas) = inspect else {
            let report = migrate::up(&mut client, files, UpOptions::default(), &|_| {})
                .await
                .map_err(replaying)?;
            return Ok::<_, Failure>((client, report, Vec::new()));
        };
        let mut steps = vec![catalog::inspect(&client, schemas).await.map_err(fail)?];
        let mut report = UpReport::default();
        for f in files {
            let options = UpOptions {
                target: Some(f.version),
                ..UpOptions::default()
            };
            let step = migrate::up(&mut client, files, options, &|_| {})
                .await
                .map_err(replaying)?;
            report.applied.extend(step.applied);
            report.outside += step.outside;
            steps.push(catalog::inspect(&client, schemas).await.map_err(fail)?);
        }
        Ok((client, report, steps))
    }
    .await;
    match replayed {
        Ok((client, report, steps)) => Ok((database, client, report, steps)),
        Err(e) => {
            let _ = database.drop().await;
            Err(e)
        }
    }
}

/// The plan from the replayed database to the declaration.
pub(super) async fn drift(
    declaration: &Declaration,
    server: &DevServer,
    replayed: &Client,
    concurrent_indexes: bool,
) -> Result<Plan, Failure> {
    let desired = desired_catalog(declaration, Some(server)).await?;
    let (plan, _) = plan::prepare(declaration, &desired, replayed, concurrent_indexes)
        .await
        .map_err(fail)?;
    Ok(plan)
}

fn new(project: &Path, args: &NewArgs) -> Result<ExitCode, Failure> {
    migrate::files::check_name(&args.name).map_err(|reason| {
        fail(format!(
            "migration name {:?}: {reason} (it becomes migrations/V{{n}}__{}.sql)",
            args.name, args.name
        ))
    })?;
    let declaration = load_declaration(project)?;
    let files = files(project)?;
    let version = migrate::write::next_version(&files);
    let path = project
        .join(MIGRATIONS_DIR)
        .join(format!("V{version}__{}.sql", args.name));
    let allowed = Allowed {
        destructive: args.allow_destructive,
        rls_weakening: args.allow_rls_weakening,
    };
    block_on(async {
        let server = dev_server(&declaration)?;
        let (database, client, replayed) = replay(&server, &declaration, &files).await?;
        let outcome = async {
            eprintln!(
                "replayed {} migration(s) in a fresh dev database",
                replayed.applied.len()
            );
            let plan = drift(&declaration, &server, &client, args.concurrent_indexes).await?;
            if plan.is_empty() {
                outln!(
                    "no changes: migrations/ already builds the declaration; nothing was written"
                );
                return Ok(());
            }
            // The plan-time proof of RLS widenings (issue 11 item 4) decides them
            // here, before `Plan::blocking`, with the call `plan` and `apply` make.
            let blocking = plan.blocking(allowed);
            if !blocking.is_empty() {
                out!("{}", report::plan::human(&plan, "the replayed migrations", super::color()));
                refuse(&blocking);
                return Err(Failure::Shown(ExitCode::FAILURE));
            }
            let text = migrate::write::render(&plan, version, &args.name, allowed);
            write_new(&path, &text)?;
            outln!(
                "wrote {} ({} change(s), {} statement(s), {} hazard(s))",
                path.display(),
                plan.changes.len(),
                plan.statements.len(),
                plan.hazards().count()
            );
            // The new file must close the drift: replay it and plan again.
            let file = migrate::files::file(version, args.name.clone(), path.clone(), text)
                .map_err(fail)?;
            let mut client = client;
            let mut all = files.clone();
            all.push(file);
            migrate::up(&mut client, &all, UpOptions::default(), &|_| {})
                .await
                .map_err(|e| fail(e).within("the written migration does not replay", 1))?;
            let after = drift(&declaration, &server, &client, args.concurrent_indexes).await?;
            if !after.is_empty() {
                eprintln!(
                    "warning: after {} the replayed database still differs from the declaration in {} change(s) (PostgreSQL normalised something differently); run `rlsctl verify` to see them",
                    path.display(),
                    after.changes.len()
                );
                return Err(Failure::Shown(ExitCode::FAILURE));
            }
            Ok(())
        }
        .await;
        let _ = database.drop().await;
        outcome
    })?;
    Ok(ExitCode::SUCCESS)
}

fn write_new(path: &PathBuf, text: &str) -> Result<(), Failure> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| fail(format!("cannot create {}: {e}", path.display())))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))
}

/// Says which hazards need which flag (the decision is `Plan::blocking`'s).
fn refuse(blocking: &[(&crate::diff::Change, &Hazard)]) {
    eprintln!(
        "\nrefusing to write the migration: {} hazard(s) need an explicit flag:",
        blocking.len()
    );
    for (change, hazard) in blocking {
        eprintln!(
            "  {} {}: {}",
            change.object,
            hazard.label(),
            hazard.reason()
        );
    }
    if blocking
        .iter()
        .any(|(_, h)| matches!(h, Hazard::Refused(_) | Hazard::HarmsUnmanaged(_)))
    {
        eprintln!(
            "a refused change, or one harming an object rlsctl does not manage, is refused whatever the flags: change the declaration as its reason says"
        );
    }
    eprintln!(
        "pass --allow-destructive (data loss, broken dependents, lost behaviour) and/or --allow-rls-weakening (weaker RLS) after review; nothing was written"
    );
}

async fn target_client(
    declaration: &Declaration,
    url: Option<&str>,
) -> Result<(Client, String), Failure> {
    let Some(target) = session::target(url, declaration)? else {
        return Err(fail(
            "no target database: pass --database-url, or set [database] url_env or the PG* variables",
        ));
    };
    let client = session::connect(&target).await.map_err(fail)?;
    Ok((client, target.to_string()))
}

fn up(project: &Path, args: &UpArgs) -> Result<ExitCode, Failure> {
    let declaration = load_declaration(project)?;
    let files = files(project)?;
    let options = UpOptions {
        target: args.target,
        single_transaction: args.single_transaction,
        dry_run: args.dry_run,
    };
    let (report, shown) = block_on(async {
        let (mut client, shown) = target_client(&declaration, args.database_url.as_deref()).await?;
        let committed = |_: &str| interrupt::note_committed();
        let report = migrate::up(&mut client, &files, options, &committed)
            .await
            .map_err(fail)?;
        Ok((report, shown))
    })?;
    out!("{}", report::migrate::up(&report, &shown, args.dry_run));
    Ok(ExitCode::SUCCESS)
}

fn status(project: &Path, args: &StatusArgs) -> Result<ExitCode, Failure> {
    let declaration = load_declaration(project)?;
    let files = files(project)?;
    let (entries, shown) = block_on(async {
        let (client, shown) = target_client(&declaration, args.database_url.as_deref()).await?;
        let applied = migrate::history::read(&client).await.map_err(fail)?;
        Ok((migrate::history::status(&files, &applied), shown))
    })?;
    match args.format {
        Format::Human => out!("{}", report::migrate::status(&entries, &shown)),
        Format::Json => outln!("{}", report::migrate::status_json(&entries, &shown)),
    }
    Ok(if entries.iter().any(|e| e.state.blocks()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
