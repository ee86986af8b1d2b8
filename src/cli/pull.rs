//! `rlsctl pull`: write the declaration of an existing database.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use tokio_postgres::Client;

use super::failure::{Failure, fail};
use super::session::{self, block_on};
use crate::catalog;
use crate::conn::Target;
use crate::pull::{self, Options, Pulled, SUPABASE_SCHEMAS};
use crate::report;

/// How the pulled files are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Split {
    /// One file per table (`schema/<schema>.<table>.toml`).
    Tables,
}

/// Arguments of `pull`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// The database to read (URL or key=value); default: `DATABASE_URL`, then
    /// the libpq environment (PGHOST, ...).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// A schema the project owns (repeatable); default: every schema that is
    /// not PostgreSQL's or Supabase's own.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// The column tenant tables are isolated by (default: the column their
    /// `tenant_isolation` policies compare).
    #[arg(long, value_name = "COLUMN")]
    pub tenant_column: Option<String>,
    /// Write Supabase's roles, JWT impersonation and a dev stand-in for its
    /// schemas (default: when the database has `auth` and the anon and
    /// authenticated roles).
    #[arg(long)]
    pub supabase: bool,
    /// Update existing files (in place: their comments are kept).
    #[arg(long)]
    pub force: bool,
    /// Show what a pull would change in the files; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// One file per table.
    #[arg(long, value_enum, value_name = "HOW")]
    pub split: Option<Split>,
}

/// Runs `pull`.
pub(super) fn pull(project: &Path, args: &PullArgs) -> Result<ExitCode, Failure> {
    let Some(target) =
        Target::resolve(args.database_url.as_deref(), Some("DATABASE_URL")).map_err(fail)?
    else {
        return Err(fail(
            "no database to pull from: give --database-url, set DATABASE_URL or the PG* variables",
        ));
    };
    let pulled = block_on(async {
        let client = session::connect(&target).await.map_err(fail)?;
        read(&client, args).await
    })?;
    write(project, &pulled, args)
}

async fn read(client: &Client, args: &PullArgs) -> Result<Pulled, Failure> {
    let (schemas, supabase_detected) = schemas(client).await?;
    let explicit = !args.schemas.is_empty();
    let mut owned: Vec<String> = if explicit {
        args.schemas.clone()
    } else {
        schemas
            .iter()
            .filter(|s| !SUPABASE_SCHEMAS.contains(&s.as_str()))
            .cloned()
            .collect()
    };
    for s in &owned {
        if !schemas.contains(s) {
            return Err(fail(format!(
                "schema {s:?} does not exist in the database (it has {})",
                schemas.join(", ")
            )));
        }
    }
    if !explicit {
        // `public` first: it is the default schema of names written bare.
        owned.sort_by_key(|s| (s != "public", s.clone()));
    }
    let mut catalog = catalog::inspect(client, &owned)
        .await
        .map_err(|e| fail(e).within("cannot read the database's catalog", 1))?;
    if !explicit && owned.len() > 1 && schema_is_empty(&catalog, "public") {
        owned.retain(|s| s != "public");
        catalog.schemas.retain(|s| s.name != "public");
    }
    if owned.is_empty() {
        return Err(fail(
            "the database has no schema to pull: name one with --schema",
        ));
    }
    let options = Options {
        schemas: owned,
        tenant_column: args.tenant_column.clone(),
        supabase: args.supabase || supabase_detected,
        split_tables: args.split == Some(Split::Tables),
    };
    Ok(pull::pull(&catalog, &options))
}

/// The database's schemas that are not PostgreSQL's or an extension's, and
/// whether it looks like a Supabase database.
async fn schemas(client: &Client) -> Result<(Vec<String>, bool), Failure> {
    let rows = client
        .query(
            "select n.nspname::text from pg_catalog.pg_namespace n
              where n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
                and not exists (select 1 from pg_catalog.pg_depend d
                                 where d.classid = 'pg_catalog.pg_namespace'::regclass
                                   and d.objid = n.oid and d.deptype = 'e')
              order by 1",
            &[],
        )
        .await
        .map_err(|e| fail(e).within("cannot list the database's schemas", 1))?;
    let schemas: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    let roles: i64 = client
        .query_one(
            "select count(*) from pg_catalog.pg_roles where rolname in ('anon', 'authenticated')",
            &[],
        )
        .await
        .map_err(|e| fail(e).within("cannot list the database's roles", 1))?
        .get(0);
    let supabase = schemas.iter().any(|s| s == "auth") && roles == 2;
    Ok((schemas, supabase))
}

fn schema_is_empty(catalog: &catalog::Catalog, schema: &str) -> bool {
    !catalog.tables.iter().any(|t| t.name.schema == schema)
        && !catalog.views.iter().any(|v| v.name.schema == schema)
        && !catalog.functions.iter().any(|f| f.name.schema == schema)
        && !catalog.sequences.iter().any(|s| s.name.schema == schema)
        && !catalog.types.iter().any(|t| t.name.schema == schema)
}

fn write(project: &Path, pulled: &Pulled, args: &PullArgs) -> Result<ExitCode, Failure> {
    // Every file's new text first, so that a refusal writes nothing.
    let mut planned = Vec::new();
    let mut existing = Vec::new();
    for file in &pulled.files {
        let path = project.join(&file.path);
        let shown = file.path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(old) => {
                existing.push(shown.clone());
                let merged = if shown.ends_with(".toml") {
                    pull::merge(&old, &file.text).map_err(|e| {
                        fail(format!(
                            "{}: not TOML, so it cannot be updated in place: {e}",
                            path.display()
                        ))
                    })?
                } else {
                    // The stand-in scripts are the project's once written: a
                    // re-pull leaves a changed one alone.
                    old.clone()
                };
                Some((old, merged))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(fail(format!("cannot read {}: {e}", path.display()))),
        };
        planned.push((path, shown, text, file.text.clone()));
    }
    if args.diff {
        let mut changed = 0;
        for (_, shown, text, new) in &planned {
            let (old, new) = match text {
                Some((old, merged)) => (old.as_str(), merged.as_str()),
                None => ("", new.as_str()),
            };
            let diff = pull::unified_diff(shown, old, new);
            if !diff.is_empty() {
                changed += 1;
                outln!("{diff}");
            }
        }
        outln!("{changed} file(s) would change");
        print_report(pulled);
        return Ok(ExitCode::SUCCESS);
    }
    if !existing.is_empty() && !args.force {
        return Err(fail(format!(
            "{} already exist(s) in {}: pull --diff shows what would change, --force updates them in place (comments are kept)",
            existing.join(", "),
            project.display()
        )));
    }
    for (path, shown, text, new) in &planned {
        let content = text
            .as_ref()
            .map_or(new.as_str(), |(_, merged)| merged.as_str());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        }
        std::fs::write(path, content)
            .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
        outln!("wrote {shown}");
    }
    print_report(pulled);
    Ok(ExitCode::SUCCESS)
}

fn print_report(pulled: &Pulled) {
    out!("{}", report::pull::human(pulled));
}
