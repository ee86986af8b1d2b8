//! Enums, domains, composite and range types.

use super::query::Reader;
use crate::catalog::{CatalogError, TypeKind, UserType};

/// Types of the inspected schemas, without the row types of tables and views,
/// multiranges (made with their range) and what extensions installed.
const TYPES: &str = "
SELECT n.nspname::text AS schema, t.typname::text AS name, t.typtype::text AS kind
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class c ON c.oid = t.typrelid
WHERE n.nspname = ANY($1) AND t.typtype IN ('e', 'd', 'c', 'r')
  AND (t.typtype <> 'c' OR c.relkind = 'c')
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend e
    WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')";

/// Every user type of the inspected schemas.
pub(super) async fn types(reader: Reader<'_>) -> Result<Vec<UserType>, CatalogError> {
    reader
        .rows("types", TYPES)
        .await?
        .iter()
        .map(|r| {
            Ok(UserType {
                name: r.name("schema", "name")?,
                kind: r.code("kind", "typtype", |code| match code {
                    "e" => Some(TypeKind::Enum),
                    "d" => Some(TypeKind::Domain),
                    "c" => Some(TypeKind::Composite),
                    "r" => Some(TypeKind::Range),
                    _ => None,
                })?,
            })
        })
        .collect()
}
