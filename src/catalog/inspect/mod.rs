//! Reading a [`Catalog`] from a live database.
//!
//! One query per kind of object, each for every object of the inspected
//! schemas at once, never one per table: inspection stays a constant number of
//! round trips however many tables there are. The rows are assembled into the
//! model in Rust.

mod assemble;
mod constraints;
mod database;
mod dependencies;
mod functions;
mod grants;
mod indexes;
mod policies;
mod publications;
mod query;
mod roles;
mod schemas;
mod sequences;
mod session;
mod tables;
mod triggers;
mod types;
mod views;

use tokio_postgres::Client;

use crate::catalog::{Catalog, CatalogError};
use query::{Failures, Reader};

/// Reads the catalog of `schemas` (and the cluster's roles) in one read-only snapshot.
///
/// The client must be idle (not inside a transaction): inspection runs its own
/// `REPEATABLE READ READ ONLY` transaction, so that every query sees the same
/// state, and commits it. Schemas that do not exist are skipped.
pub async fn inspect(client: &Client, schemas: &[String]) -> Result<Catalog, CatalogError> {
    inspect_on(client, None, schemas).await
}

/// [`inspect`], the queries shared out between `client` and `helper` (another
/// idle connection to the same database), which reads in `client`'s snapshot
/// (`pg_export_snapshot`, as `pg_dump --jobs`): the same catalog, the server's
/// work on two cores. When the helper cannot take the snapshot (a server that
/// does not export them, a helper in a transaction), `client` reads alone.
pub async fn inspect_on(
    client: &Client,
    helper: Option<&Client>,
    schemas: &[String],
) -> Result<Catalog, CatalogError> {
    let mut server_version_num = session::begin(client).await?;
    let helper = match helper {
        None => None,
        Some(helper) => match session::share(client, helper).await {
            session::Sharing::Shared => Some(helper),
            session::Sharing::NotShared => None,
            session::Sharing::ClientAborted => {
                session::rollback(client).await;
                server_version_num = session::begin(client).await?;
                None
            }
        },
    };
    let readers = [
        Reader::new(client, schemas),
        Reader::new(helper.unwrap_or(client), schemas),
    ];
    let result = read(readers, server_version_num).await;
    if let Some(helper) = helper {
        session::rollback(helper).await;
    }
    match result {
        Ok(catalog) => {
            session::commit(client).await?;
            Ok(catalog)
        }
        Err(error) => {
            session::rollback(client).await;
            Err(error)
        }
    }
}

async fn read(readers: [Reader<'_>; 2], server_version_num: i32) -> Result<Catalog, CatalogError> {
    // Polled together, the queries are pipelined on each connection: a distant
    // server costs a few round trips, not a few per query. With two readers
    // (two connections, or the same one twice) the costly queries are shared
    // out by their measured server time at 1,000 tables (benches/audit):
    // indexes, constraints, columns, sequences on the first; dependencies,
    // policies, grants, functions and the views' reads on the second.
    let [a, b] = readers;
    let results = tokio::join!(
        schemas::schemas(a),
        tables::tables(a),
        tables::columns(a),
        constraints::constraints(a),
        indexes::indexes(a, server_version_num),
        policies::policies(b),
        triggers::triggers(b),
        views::views(b),
        views::dependencies(b),
        sequences::sequences(a),
        functions::functions(b, server_version_num),
        roles::roles(a),
        roles::memberships(a, server_version_num),
        roles::extensions(a),
        grants::grants(b),
        database::database(a),
        database::role_settings(a),
        database::default_privileges(b),
        database::foreign_tables(b),
        database::rules(b),
        types::types(b),
        publications::publications(a),
        dependencies::dependencies(b),
    );
    let mut failures = Failures::default();
    let parts = assemble::Parts {
        server_version_num,
        schemas: failures.take(results.0),
        tables: failures.take(results.1),
        columns: failures.take(results.2),
        constraints: failures.take(results.3),
        indexes: failures.take(results.4),
        policies: failures.take(results.5),
        triggers: failures.take(results.6),
        views: failures.take(results.7),
        dependencies: failures.take(results.8),
        sequences: failures.take(results.9),
        functions: failures.take(results.10),
        roles: failures.take(results.11),
        memberships: failures.take(results.12),
        extensions: failures.take(results.13),
        grants: failures.take(results.14),
        database: failures.take(results.15),
        role_settings: failures.take(results.16),
        default_privileges: failures.take(results.17),
        foreign_tables: failures.take(results.18),
        rules: failures.take(results.19),
        types: failures.take(results.20),
        publications: failures.take(results.21),
        relation_dependencies: failures.take(results.22),
    };
    failures.check()?;
    assemble::catalog(parts)
}
