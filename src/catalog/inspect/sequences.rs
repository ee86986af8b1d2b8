//! Sequences.

use super::query::{Reader, Record};
use super::tables::acl;
use crate::catalog::{CatalogError, Sequence, SequenceOwner};

// The owning column is an auto ('a', OWNED BY / serial) or internal ('i',
// identity) dependency of the sequence on a table column.
const SEQUENCES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS name,
       pg_get_userbyid(c.relowner)::text AS owner, format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start, s.seqincrement AS increment, s.seqmin AS min_value,
       s.seqmax AS max_value, s.seqcache AS cache, s.seqcycle AS cycle,
       tn.nspname::text AS table_schema, t.relname::text AS table_name,
       a.attname::text AS column_name, dep.deptype = 'i' AS identity,
       c.relacl IS NULL AS acl_is_default, d.description AS comment
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend dep
       ON dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
      AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0
      AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = dep.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1) AND c.relkind = 'S'";

/// Every sequence of the inspected schemas.
pub(super) async fn sequences(reader: Reader<'_>) -> Result<Vec<Sequence>, CatalogError> {
    reader
        .rows("sequences", SEQUENCES)
        .await?
        .iter()
        .map(sequence)
        .collect()
}

fn sequence(r: &Record) -> Result<Sequence, CatalogError> {
    let owned_by = match r.optional_name("table_schema", "table_name")? {
        Some(table) => Some(SequenceOwner {
            table,
            column: r.get("column_name")?,
            identity: r.get("identity")?,
        }),
        None => None,
    };
    Ok(Sequence {
        name: r.name("schema", "name")?,
        owner: r.get("owner")?,
        data_type: r.get("data_type")?,
        start: r.get("start")?,
        increment: r.get("increment")?,
        min_value: r.get("min_value")?,
        max_value: r.get("max_value")?,
        cache: r.get("cache")?,
        cycle: r.get("cycle")?,
        owned_by,
        acl: acl(r)?,
        comment: r.get("comment")?,
    })
}
