//! Running a named catalog query and reading its rows.

use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, ToSql};
use tokio_postgres::{Client, Row};

use crate::catalog::{CatalogError, QualifiedName};

/// Runs catalog queries restricted to the inspected schemas.
#[derive(Clone, Copy)]
pub(super) struct Reader<'a> {
    client: &'a Client,
    schemas: &'a [String],
}

impl<'a> Reader<'a> {
    pub(super) fn new(client: &'a Client, schemas: &'a [String]) -> Self {
        Self { client, schemas }
    }

    /// Rows of `sql`, whose `$1` is the list of inspected schemas (`text[]`).
    pub(super) async fn rows(
        self,
        query: &'static str,
        sql: &str,
    ) -> Result<Vec<Record>, CatalogError> {
        self.run(query, sql, &[&self.schemas]).await
    }

    /// Rows of `sql`, which reads cluster-wide objects and takes no parameter.
    pub(super) async fn cluster_rows(
        self,
        query: &'static str,
        sql: &str,
    ) -> Result<Vec<Record>, CatalogError> {
        self.run(query, sql, &[]).await
    }

    /// Rows of `sql` (as [`Reader::rows`]), each parsed with the relation it
    /// belongs to, named by its `schema` and `table_name` columns.
    pub(super) async fn rows_of_relations<T>(
        self,
        query: &'static str,
        sql: &str,
        parse: fn(&Record) -> Result<T, CatalogError>,
    ) -> Result<Vec<(QualifiedName, T)>, CatalogError> {
        self.rows(query, sql)
            .await?
            .iter()
            .map(|r| Ok((r.name("schema", "table_name")?, parse(r)?)))
            .collect()
    }

    async fn run(
        self,
        query: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Record>, CatalogError> {
        let rows = self
            .client
            .query(sql, params)
            .await
            .map_err(|source| CatalogError::Query { query, source })?;
        Ok(rows.into_iter().map(|row| Record { row, query }).collect())
    }
}

/// One result row, remembering which query it came from for error messages.
pub(super) struct Record {
    row: Row,
    query: &'static str,
}

impl Record {
    /// The value of `column`.
    pub(super) fn get<'r, T: FromSql<'r>>(&'r self, column: &str) -> Result<T, CatalogError> {
        self.row
            .try_get(column)
            .map_err(|source| CatalogError::Decode {
                query: self.query,
                column: column.to_owned(),
                source,
            })
    }

    /// The qualified name in the columns `schema` and `name`.
    pub(super) fn name(&self, schema: &str, name: &str) -> Result<QualifiedName, CatalogError> {
        Ok(QualifiedName::new(
            self.get::<String>(schema)?,
            self.get::<String>(name)?,
        ))
    }

    /// The qualified name in `schema` and `name`, when they are not NULL.
    pub(super) fn optional_name(
        &self,
        schema: &str,
        name: &str,
    ) -> Result<Option<QualifiedName>, CatalogError> {
        let schema: Option<String> = self.get(schema)?;
        let name: Option<String> = self.get(name)?;
        Ok(schema.zip(name).map(|(s, n)| QualifiedName::new(s, n)))
    }

    /// The catalog code in `column` (a `"char"` read as text), decoded.
    pub(super) fn code<T>(
        &self,
        column: &str,
        what: &'static str,
        decode: fn(&str) -> Option<T>,
    ) -> Result<T, CatalogError> {
        let value: String = self.get(column)?;
        decode(&value).ok_or_else(|| self.unrecognised(what, value))
    }

    /// The error for a value this version of rlsctl does not know.
    pub(super) fn unrecognised(&self, what: &'static str, value: String) -> CatalogError {
        CatalogError::Unrecognised {
            query: self.query,
            what,
            value,
        }
    }
}

/// The outcome of queries run together in one transaction.
///
/// The first failure aborts the transaction, and every query still pending
/// then fails with "current transaction is aborted" (25P02), in an order that
/// depends on polling: the error worth reporting is the one that is not that.
#[derive(Default)]
pub(super) struct Failures {
    reported: Option<CatalogError>,
}

impl Failures {
    /// The query's rows, or an empty placeholder after noting its error.
    pub(super) fn take<T: Default>(&mut self, result: Result<T, CatalogError>) -> T {
        match result {
            Ok(value) => value,
            Err(error) => {
                let replace = self
                    .reported
                    .as_ref()
                    .is_none_or(|reported| aborted(reported) && !aborted(&error));
                if replace {
                    self.reported = Some(error);
                }
                T::default()
            }
        }
    }

    /// Err with the root failure if any query failed.
    pub(super) fn check(self) -> Result<(), CatalogError> {
        self.reported.map_or(Ok(()), Err)
    }
}

fn aborted(error: &CatalogError) -> bool {
    matches!(
        error,
        CatalogError::Query { source, .. }
            if source.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION)
    )
}
