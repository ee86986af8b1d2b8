//! Indexes of tables and materialized views.

use super::query::{Reader, Record};
use crate::catalog::{CatalogError, Index, IndexKey, IndexPart, QualifiedName};

// The key parts come from one pass over indkey, indclass and indcollation
// (unnest pads the shorter two, which cover only the key columns, with NULL):
// indkey holds 0 where the part is an expression; columns are read by name
// from pg_attribute, and only expressions are deparsed (with pg_get_indexdef,
// the costly part of this query). Operator classes and collations are looked
// up by OID in scalar sub-selects: joined to the unnested arrays, the planner
// scans all of pg_collation and pg_opclass once per index.
// indoption bit 0 is DESC, bit 1 NULLS FIRST (pg_index.h).
// indnullsnotdistinct exists from PostgreSQL 15 on ({nulls_not_distinct}).
const INDEXES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS table_name, ic.relname::text AS name,
       am.amname::text AS method, i.indisunique AS is_unique, i.indisprimary AS is_primary,
       i.indisvalid AS valid, i.indnkeyatts::int4 AS key_count,
       parts.columns AS part_columns, parts.expressions AS part_expressions,
       i.indoption::int2[] AS part_options,
       parts.opclasses AS part_opclasses, parts.collations AS part_collations,
       {nulls_not_distinct} AS nulls_not_distinct,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       pg_get_indexdef(i.indexrelid) AS definition,
       con.conname::text AS constraint_name,
       pn.nspname::text AS parent_schema, pc.relname::text AS parent_name,
       d.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL (
  SELECT array_agg(a.attname::text ORDER BY u.ord) AS columns,
         array_agg(CASE WHEN u.attnum = 0
                        THEN pg_get_indexdef(i.indexrelid, u.ord::int4, true) END
                   ORDER BY u.ord) AS expressions,
         array_agg((SELECT CASE WHEN oc.opcdefault THEN NULL
                                ELSE quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END
                    FROM pg_opclass oc JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
                    WHERE oc.oid = u.opclass) ORDER BY u.ord)
           FILTER (WHERE u.ord <= i.indnkeyatts) AS opclasses,
         array_agg(CASE WHEN u.coll IS NULL OR u.coll = 0
                          OR u.coll = coalesce(nullif(a.attcollation, 0), 100) THEN NULL
                        ELSE (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                              FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                              WHERE co.oid = u.coll) END ORDER BY u.ord) AS collations
  FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[])
       WITH ORDINALITY AS u(attnum, opclass, coll, ord)
  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum
) parts
LEFT JOIN pg_constraint con
       ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
      AND con.contype IN ('p', 'u', 'x')
LEFT JOIN pg_inherits inh ON inh.inhrelid = i.indexrelid
LEFT JOIN pg_class pc ON pc.oid = inh.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'm')";

const DESC: i16 = 1;
const NULLS_FIRST: i16 = 2;

/// Every index of the inspected tables and materialized views, with its relation.
pub(super) async fn indexes(
    reader: Reader<'_>,
    server_version_num: i32,
) -> Result<Vec<(QualifiedName, Index)>, CatalogError> {
    let nulls_not_distinct = if server_version_num >= 150_000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    let sql = INDEXES.replace("{nulls_not_distinct}", nulls_not_distinct);
    reader.rows_of_relations("indexes", &sql, index).await
}

fn index(r: &Record) -> Result<Index, CatalogError> {
    let columns: Vec<Option<String>> = r.get("part_columns")?;
    let expressions: Vec<Option<String>> = r.get("part_expressions")?;
    let options: Vec<i16> = r.get("part_options")?;
    let opclasses: Vec<Option<String>> = r.get("part_opclasses")?;
    let collations: Vec<Option<String>> = r.get("part_collations")?;
    let key_count = usize::try_from(r.get::<i32>("key_count")?).unwrap_or(0);
    let mut parts = columns
        .into_iter()
        .zip(expressions)
        .map(|(column, expression)| match (column, expression) {
            (Some(name), _) => Ok(IndexPart::Column(name)),
            (None, Some(text)) => Ok(IndexPart::Expression(text)),
            (None, None) => {
                Err(r.unrecognised("index key part", "neither column nor expression".into()))
            }
        })
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    // indoption covers only the key parts, not the INCLUDE columns.
    let keys = parts
        .by_ref()
        .take(key_count)
        .zip(options.into_iter().chain(std::iter::repeat(0)))
        .zip(opclasses.into_iter().chain(std::iter::repeat(None)))
        .zip(collations.into_iter().chain(std::iter::repeat(None)))
        .map(|(((part, option), opclass), collation)| IndexKey {
            part,
            descending: option & DESC != 0,
            nulls_first: option & NULLS_FIRST != 0,
            opclass,
            collation,
        })
        .collect();
    let include = parts
        .map(|part| match part {
            IndexPart::Column(name) | IndexPart::Expression(name) => name,
        })
        .collect();
    Ok(Index {
        name: r.get("name")?,
        method: r.get("method")?,
        unique: r.get("is_unique")?,
        nulls_not_distinct: r.get("nulls_not_distinct")?,
        primary: r.get("is_primary")?,
        keys,
        include,
        predicate: r.get("predicate")?,
        definition: r.get("definition")?,
        constraint: r.get("constraint_name")?,
        valid: r.get("valid")?,
        parent: r.optional_name("parent_schema", "parent_name")?,
        comment: r.get("comment")?,
    })
}
