//! What can go wrong while reading the catalog.

/// An error reading the catalog; each says which query it came from.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A catalog query failed (connection lost, permission, concurrent DDL, ...).
    #[error("reading the catalog failed in query `{query}`")]
    Query {
        /// The query's name (`tables`, `policies`, ...).
        query: &'static str,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// A value did not have the type the query promises.
    #[error("catalog query `{query}` returned an unreadable `{column}`")]
    Decode {
        /// The query's name.
        query: &'static str,
        /// The result column.
        column: String,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// A catalog code this version of rlsctl does not know (a newer server?).
    #[error("catalog query `{query}` returned {what} `{value}`, which rlsctl does not know")]
    Unrecognised {
        /// The query's name.
        query: &'static str,
        /// What the value is (`relkind`, `privilege`, ...).
        what: &'static str,
        /// The value.
        value: String,
    },
    /// A row that belongs to an object no other query returned.
    #[error(
        "catalog query `{query}` returned a row for {object}, which the other queries did not see"
    )]
    Inconsistent {
        /// The query's name.
        query: &'static str,
        /// The object the row belongs to.
        object: String,
    },
    /// The server is older than the oldest version whose catalog we read.
    #[error(
        "PostgreSQL with server_version_num {version_num} is not supported: rlsctl reads PostgreSQL 13 or later"
    )]
    UnsupportedServer {
        /// The server's `server_version_num`.
        version_num: i32,
    },
    /// The client is inside a transaction; inspecting would commit it.
    #[error(
        "the connection is already inside a transaction: catalog inspection runs its own \
         read-only transaction and would end the caller's; inspect on a connection that is idle"
    )]
    InTransaction,
}
