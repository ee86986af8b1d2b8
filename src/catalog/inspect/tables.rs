//! Tables and their columns.

use super::query::{Reader, Record};
use crate::catalog::{
    Acl, CatalogError, Column, Generated, Identity, PartitionOf, QualifiedName, ReplicaIdentity,
    Table, TableKind,
};

const TABLES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
       pg_get_userbyid(c.relowner)::text AS owner, c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       c.relispartition AS is_partition,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       parents.schemas AS parent_schemas, parents.names AS parent_names,
       coalesce(c.reloptions, '{}')::text[] AS options,
       c.relacl IS NULL AS acl_is_default, d.description AS comment,
       c.relreplident::text AS replident,
       (SELECT ic.relname::text FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
        WHERE x.indrelid = c.oid AND x.indisreplident) AS replident_index
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(pn.nspname::text ORDER BY i.inhseqno), '{}') AS schemas,
           coalesce(array_agg(p.relname::text ORDER BY i.inhseqno), '{}') AS names
    FROM pg_inherits i
    JOIN pg_class p ON p.oid = i.inhparent
    JOIN pg_namespace pn ON pn.oid = p.relnamespace
    WHERE i.inhrelid = c.oid
) parents
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')";

const COLUMNS: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS table_name, a.attnum,
       a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS data_type,
       a.attnotnull AS not_null, pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       a.attidentity::text AS identity, a.attgenerated::text AS generated,
       cn.nspname::text AS collation_schema, co.collname::text AS collation_name,
       a.attinhcount > 0 AS inherited, d.description AS comment
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped";

/// Every table of the inspected schemas, without its parts (columns, ...).
pub(super) async fn tables(reader: Reader<'_>) -> Result<Vec<Table>, CatalogError> {
    reader
        .rows("tables", TABLES)
        .await?
        .iter()
        .map(table)
        .collect()
}

/// Every column of those tables, with its table and position (attnum).
pub(super) async fn columns(
    reader: Reader<'_>,
) -> Result<Vec<(QualifiedName, i16, Column)>, CatalogError> {
    reader
        .rows("columns", COLUMNS)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.name("schema", "table_name")?,
                r.get("attnum")?,
                column(r)?,
            ))
        })
        .collect()
}

fn table(r: &Record) -> Result<Table, CatalogError> {
    let parent_schemas: Vec<String> = r.get("parent_schemas")?;
    let parent_names: Vec<String> = r.get("parent_names")?;
    let mut parents = parent_schemas
        .into_iter()
        .zip(parent_names)
        .map(|(schema, name)| QualifiedName::new(schema, name));
    let is_partition: bool = r.get("is_partition")?;
    let name = r.name("schema", "name")?;
    let partition_of = if is_partition {
        let Some(parent) = parents.next() else {
            return Err(r.unrecognised("partition without a parent", name.to_string()));
        };
        let bound: String = r.get("partition_bound")?;
        Some(PartitionOf { parent, bound })
    } else {
        None
    };
    Ok(Table {
        name,
        kind: r.code("kind", "relkind", |code| match code {
            "r" => Some(TableKind::Ordinary),
            "p" => Some(TableKind::Partitioned),
            _ => None,
        })?,
        owner: r.get("owner")?,
        unlogged: r.get("unlogged")?,
        rls_enabled: r.get("rls_enabled")?,
        rls_forced: r.get("rls_forced")?,
        partition_key: r.get("partition_key")?,
        partition_of,
        inherits: parents.collect(),
        options: sorted(r.get("options")?),
        comment: r.get("comment")?,
        columns: Vec::new(),
        constraints: Vec::new(),
        indexes: Vec::new(),
        policies: Vec::new(),
        triggers: Vec::new(),
        acl: acl(r)?,
        column_grants: Vec::new(),
        replica_identity: replica_identity(r)?,
    })
}

fn replica_identity(r: &Record) -> Result<ReplicaIdentity, CatalogError> {
    let index: Option<String> = r.get("replident_index")?;
    let code: String = r.get("replident")?;
    match (code.as_str(), index) {
        ("d", _) => Ok(ReplicaIdentity::Default),
        ("f", _) => Ok(ReplicaIdentity::Full),
        ("n", _) => Ok(ReplicaIdentity::Nothing),
        ("i", Some(index)) => Ok(ReplicaIdentity::Index(index)),
        _ => Err(r.unrecognised("relreplident", code)),
    }
}

fn column(r: &Record) -> Result<Column, CatalogError> {
    let default: Option<String> = r.get("default_expr")?;
    let generated = r.code("generated", "attgenerated", |code| match code {
        "" => Some(None),
        "s" => Some(Some(Generated::Stored as fn(String) -> Generated)),
        "v" => Some(Some(Generated::Virtual)),
        _ => None,
    })?;
    let (default, generated) = match generated {
        // A generated column's expression is stored where defaults are.
        Some(kind) => (None, default.map(kind)),
        None => (default, None),
    };
    Ok(Column {
        name: r.get("name")?,
        data_type: r.get("data_type")?,
        not_null: r.get("not_null")?,
        default,
        identity: r.code("identity", "attidentity", |code| match code {
            "" => Some(None),
            "a" => Some(Some(Identity::Always)),
            "d" => Some(Some(Identity::ByDefault)),
            _ => None,
        })?,
        generated,
        collation: r.optional_name("collation_schema", "collation_name")?,
        inherited: r.get("inherited")?,
        comment: r.get("comment")?,
    })
}

/// The object's ACL from its `acl_is_default` column; grants are added later.
pub(super) fn acl(r: &Record) -> Result<Acl, CatalogError> {
    Ok(if r.get("acl_is_default")? {
        Acl::Default
    } else {
        Acl::Explicit(Vec::new())
    })
}

/// A list sorted so that order as stored (which users do not control) never shows.
pub(super) fn sorted(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items
}
