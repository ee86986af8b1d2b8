//! Grants on every inspected object, from its exploded ACL.

use super::functions::USER_FUNCTIONS;
use super::query::{Reader, Record};
use crate::catalog::{CatalogError, Grant, Grantee, Privilege, QualifiedName, RoutineRef};

// One query for every kind of ACL. The owner's grants to itself are left out:
// they are implicit in ownership and appear in any ACL that is not NULL.
// The object filters match those of the queries that read the objects, so
// that every grant finds its object.
const GRANTS: &str = "
WITH acl AS (
    SELECT 'schema' AS object, n.nspname::text AS schema, NULL::text AS name,
           NULL::text AS detail, n.nspowner AS owner, a.grantor, a.grantee,
           a.privilege_type, a.is_grantable
    FROM pg_namespace n, aclexplode(n.nspacl) a
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT 'relation', n.nspname::text, c.relname::text, NULL, c.relowner,
           a.grantor, a.grantee, a.privilege_type, a.is_grantable
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  UNION ALL
    SELECT 'column', n.nspname::text, c.relname::text, att.attname::text, c.relowner,
           a.grantor, a.grantee, a.privilege_type, a.is_grantable
    FROM pg_attribute att
    JOIN pg_class c ON c.oid = att.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(att.attacl) a
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm')
      AND att.attnum > 0 AND NOT att.attisdropped
  UNION ALL
    SELECT 'function', n.nspname::text, p.proname::text,
           pg_get_function_identity_arguments(p.oid), p.proowner,
           a.grantor, a.grantee, a.privilege_type, a.is_grantable
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, aclexplode(p.proacl) a
    WHERE n.nspname = ANY($1) AND {user_functions}
)
SELECT object, schema, name, detail,
       CASE WHEN grantee = 0 THEN NULL ELSE pg_get_userbyid(grantee)::text END AS grantee,
       pg_get_userbyid(grantor)::text AS grantor, privilege_type AS privilege,
       is_grantable AS grantable
FROM acl
WHERE NOT (grantee = owner AND grantor = owner)";

/// The object a grant is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Target {
    /// A schema, by name.
    Schema(String),
    /// A table, view, materialized view, sequence or foreign table.
    Relation(QualifiedName),
    /// A column of a table or view.
    Column(QualifiedName, String),
    /// A function or procedure.
    Routine(RoutineRef),
}

/// Every grant on the inspected objects, with its object.
pub(super) async fn grants(reader: Reader<'_>) -> Result<Vec<(Target, Grant)>, CatalogError> {
    let sql = GRANTS.replace("{user_functions}", USER_FUNCTIONS);
    reader
        .rows("grants", &sql)
        .await?
        .iter()
        .map(|r| Ok((target(r)?, grant(r)?)))
        .collect()
}

fn target(r: &Record) -> Result<Target, CatalogError> {
    let object: String = r.get("object")?;
    let schema: String = r.get("schema")?;
    Ok(match object.as_str() {
        "schema" => Target::Schema(schema),
        "relation" => Target::Relation(QualifiedName::new(schema, r.get::<String>("name")?)),
        "column" => Target::Column(
            QualifiedName::new(schema, r.get::<String>("name")?),
            r.get("detail")?,
        ),
        "function" => Target::Routine(RoutineRef {
            name: QualifiedName::new(schema, r.get::<String>("name")?),
            identity_arguments: r.get("detail")?,
        }),
        _ => return Err(r.unrecognised("object kind", object)),
    })
}

fn grant(r: &Record) -> Result<Grant, CatalogError> {
    let grantee: Option<String> = r.get("grantee")?;
    Ok(Grant {
        grantee: grantee.map_or(Grantee::Public, Grantee::Role),
        privilege: r.code("privilege", "privilege", Privilege::from_sql)?,
        grantor: r.get("grantor")?,
        grantable: r.get("grantable")?,
    })
}
