//! The desired catalog: the declaration's DDL run in a scratch dev database, and
//! read back with `catalog::inspect`, so that PostgreSQL itself normalises every
//! type, default and policy expression of the declared side.

mod cache;

use std::fmt;

use tokio_postgres::Client;

use crate::catalog::{self, Catalog, CatalogError};
use crate::cluster::{ClusterError, DevServer};
use crate::ddl;
use crate::spec::Declaration;

pub use cache::{Cache, NO_CACHE_ENV};

/// Why the declaration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// No dev server could be had or used.
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// PostgreSQL rejected a statement of the rendered DDL.
    #[error("{0}")]
    Rejected(Rejection),
    /// The dev database could not be read back.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Talking to the dev database failed.
    #[error("dev database: {0}")]
    Connection(#[source] tokio_postgres::Error),
}

/// A statement PostgreSQL refused, with the object it belongs to.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// What the statement builds (`policy p on app.t`, `dev setup file x.sql`).
    pub object: String,
    /// The statement.
    pub statement: String,
    /// PostgreSQL's message.
    pub message: String,
    /// SQLSTATE.
    pub code: String,
    /// PostgreSQL's detail and hint, if any.
    pub detail: Option<String>,
    /// 1-based character position of the error in the statement, if given.
    pub position: Option<usize>,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PostgreSQL rejected {}: {} (SQLSTATE {})",
            self.object, self.message, self.code
        )?;
        writeln!(f, "  {}", self.statement.replace('\n', "\n  "))?;
        if let Some(p) = self.position
            && !self.statement.contains('\n')
        {
            writeln!(f, "  {}^", " ".repeat(p.saturating_sub(1)))?;
        }
        if let Some(d) = &self.detail {
            writeln!(f, "  {d}")?;
        }
        write!(
            f,
            "fix the declaration of {} (rlsctl validate checks syntax only; this needs a database)",
            self.object
        )
    }
}

/// Builds the declaration in a fresh database on `server`, reads the schemas it
/// owns back, and drops the database.
pub async fn catalog(server: &DevServer, declaration: &Declaration) -> Result<Catalog, BuildError> {
    let database = server.create_database("rlsctl_dev").await?;
    let result = async {
        let client = database.connect().await?;
        build(&client, declaration).await?;
        let schemas: Vec<String> = declaration.schemas.iter().map(|s| s.name.clone()).collect();
        Ok::<_, BuildError>(catalog::inspect(&client, &schemas).await?)
    }
    .await;
    let dropped = database.drop().await;
    let catalog = result?;
    dropped?;
    Ok(catalog)
}

/// Runs the declaration in an empty database over `client`: its [`prerequisites`],
/// then the DDL in one transaction.
pub async fn build(client: &Client, declaration: &Declaration) -> Result<(), BuildError> {
    prerequisites(client, declaration).await?;
    let script = ddl::render(declaration);
    client
        .batch_execute("BEGIN")
        .await
        .map_err(BuildError::Connection)?;
    for statement in script.statements() {
        if let Err(e) = client.batch_execute(&statement.sql).await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(rejection(&statement.object, &statement.sql, e));
        }
    }
    client
        .batch_execute("COMMIT")
        .await
        .map_err(BuildError::Connection)?;
    Ok(())
}

/// Runs what the DDL assumes already exists, as it would on a real target: the
/// declared roles (cluster-wide, idempotent) and the dev setup files (a platform's
/// schemas, such as Supabase's `auth`). Also prepares an ephemeral stand-in target.
pub async fn prerequisites(client: &Client, declaration: &Declaration) -> Result<(), BuildError> {
    run_transaction(
        client,
        "the declared roles",
        &[ddl::roles_script(declaration)],
    )
    .await?;
    for (path, sql) in &declaration.dev_setup {
        run_transaction(
            client,
            &format!("dev setup file {path}"),
            std::slice::from_ref(sql),
        )
        .await?;
    }
    Ok(())
}

async fn run_transaction(
    client: &Client,
    object: &str,
    scripts: &[String],
) -> Result<(), BuildError> {
    client
        .batch_execute("BEGIN")
        .await
        .map_err(BuildError::Connection)?;
    for sql in scripts {
        if let Err(e) = client.batch_execute(sql).await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(rejection(object, sql, e));
        }
    }
    client
        .batch_execute("COMMIT")
        .await
        .map_err(BuildError::Connection)
}

fn rejection(object: &str, statement: &str, e: tokio_postgres::Error) -> BuildError {
    let Some(db) = e.as_db_error() else {
        return BuildError::Connection(e);
    };
    let detail = [db.detail(), db.hint()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ");
    BuildError::Rejected(Rejection {
        object: object.to_string(),
        statement: statement.to_string(),
        message: db.message().to_string(),
        code: db.code().code().to_string(),
        detail: (!detail.is_empty()).then_some(detail),
        position: match db.position() {
            Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
            _ => None,
        },
    })
}
