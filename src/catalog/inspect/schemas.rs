//! Schemas.

use super::query::Reader;
use super::tables::acl;
use crate::catalog::{CatalogError, Schema};

const SCHEMAS: &str = "
SELECT n.nspname::text AS name, pg_get_userbyid(n.nspowner)::text AS owner,
       n.nspacl IS NULL AS acl_is_default, d.description AS comment
FROM pg_namespace n
LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1)";

/// The inspected schemas that exist.
pub(super) async fn schemas(reader: Reader<'_>) -> Result<Vec<Schema>, CatalogError> {
    reader
        .rows("schemas", SCHEMAS)
        .await?
        .iter()
        .map(|r| {
            Ok(Schema {
                name: r.get("name")?,
                owner: r.get("owner")?,
                comment: r.get("comment")?,
                acl: acl(r)?,
            })
        })
        .collect()
}
