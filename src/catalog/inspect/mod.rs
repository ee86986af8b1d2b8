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
    let server_version_num = session::begin(client).await?;
    match read(Reader::new(client, schemas), server_version_num).await {
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

async fn read(reader: Reader<'_>, server_version_num: i32) -> Result<Catalog, CatalogError> {
    // Polled together, the queries are pipelined on the connection: a distant
    // server costs a few round trips, not a few per query.
    let results = tokio::join!(
        schemas::schemas(reader),
        tables::tables(reader),
        tables::columns(reader),
        constraints::constraints(reader),
        indexes::indexes(reader, server_version_num),
        policies::policies(reader),
        triggers::triggers(reader),
        views::views(reader),
        views::dependencies(reader),
        sequences::sequences(reader),
        functions::functions(reader, server_version_num),
        roles::roles(reader),
        roles::memberships(reader, server_version_num),
        roles::extensions(reader),
        grants::grants(reader),
        database::database(reader),
        database::role_settings(reader),
        database::default_privileges(reader),
        database::foreign_tables(reader),
        database::rules(reader),
        types::types(reader),
        publications::publications(reader),
        dependencies::dependencies(reader),
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
