//! The read-only snapshot every catalog query runs in.

use tokio_postgres::{Client, SimpleQueryMessage};

use crate::catalog::CatalogError;

/// The oldest server whose catalog the queries read (`pg_trigger.tgparentid` is 13+).
const MIN_SERVER_VERSION_NUM: i32 = 130_000;

/// Opens the snapshot. Returns the server's `server_version_num`.
///
/// Refuses a client already inside a transaction: our `BEGIN` would only warn
/// there, and our `COMMIT` would commit the caller's work, which `test` and
/// `prove` must never do. In an idle session the check's own implicit
/// transaction starts with the statement, so the two timestamps are equal;
/// inside an explicit transaction they differ (the transaction started earlier).
///
/// The settings fix how Postgres prints what we read: with only `pg_catalog`
/// on the search path, every other name comes out schema-qualified, and
/// constants in defaults and expressions print the same on every server
/// whatever its configuration (dates, intervals, floats, bytea, strings).
pub(super) async fn begin(client: &Client) -> Result<i32, CatalogError> {
    let messages = client
        .simple_query(
            "SELECT current_setting('server_version_num'), \
                    statement_timestamp() = transaction_timestamp()",
        )
        .await
        .map_err(|source| CatalogError::Query {
            query: "session",
            source,
        })?;
    let (version, idle) = messages
        .iter()
        .find_map(|message| match message {
            SimpleQueryMessage::Row(row) => Some((row.get(0), row.get(1))),
            _ => None,
        })
        .unwrap_or((None, None));
    let version_num =
        version
            .and_then(|v| v.parse::<i32>().ok())
            .ok_or_else(|| CatalogError::Unrecognised {
                query: "session",
                what: "server_version_num",
                value: version.unwrap_or_default().to_owned(),
            })?;
    if version_num < MIN_SERVER_VERSION_NUM {
        return Err(CatalogError::UnsupportedServer { version_num });
    }
    if idle != Some("t") {
        return Err(CatalogError::InTransaction);
    }
    client
        .batch_execute(&format!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n{SETTINGS}"
        ))
        .await
        .map_err(|source| CatalogError::Query {
            query: "begin",
            source,
        })?;
    Ok(version_num)
}

/// How the snapshot's sessions print what they read (see [`begin`]).
const SETTINGS: &str = "SET LOCAL search_path = pg_catalog;
             SET LOCAL quote_all_identifiers = off;
             SET LOCAL standard_conforming_strings = on;
             SET LOCAL DateStyle = 'ISO, MDY';
             SET LOCAL IntervalStyle = postgres;
             SET LOCAL TimeZone = 'UTC';
             SET LOCAL extra_float_digits = 1;
             SET LOCAL bytea_output = hex;
             SET LOCAL lc_monetary = 'C';";

/// Whether a helper connection reads in the snapshot (see [`share`]).
pub(super) enum Sharing {
    /// The helper's transaction is in the client's snapshot.
    Shared,
    /// The helper could not import it: it is idle again, the client reads alone.
    NotShared,
    /// The client could not export its snapshot, which ended its transaction:
    /// it must begin again.
    ClientAborted,
}

/// Opens, on `helper`, a transaction in `client`'s snapshot (opened by
/// [`begin`]), with the same settings.
pub(super) async fn share(client: &Client, helper: &Client) -> Sharing {
    let Ok(row) = client.query_one("SELECT pg_export_snapshot()", &[]).await else {
        return Sharing::ClientAborted;
    };
    let Ok(snapshot) = row.try_get::<_, String>(0) else {
        return Sharing::NotShared;
    };
    // The snapshot identifier is the server's own (`00000003-0000001B-1`):
    // quoted as a literal all the same.
    let sql = format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\nSET TRANSACTION SNAPSHOT {};\n{SETTINGS}",
        crate::sql::quote_literal(&snapshot)
    );
    if helper.batch_execute(&sql).await.is_ok() {
        return Sharing::Shared;
    }
    rollback(helper).await;
    Sharing::NotShared
}

/// Ends the snapshot after every query succeeded.
pub(super) async fn commit(client: &Client) -> Result<(), CatalogError> {
    client
        .batch_execute("COMMIT")
        .await
        .map_err(|source| CatalogError::Query {
            query: "commit",
            source,
        })
}

/// Ends the snapshot after a failure, so that the connection is usable again.
///
/// A failure here is not reported: the caller gets the error that aborted the
/// reading, which says more, and a broken connection shows on its next use.
pub(super) async fn rollback(client: &Client) {
    let _ = client.batch_execute("ROLLBACK").await;
}
