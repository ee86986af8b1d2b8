//! Indexes of tables and materialized views.

use super::query::{Reader, Record};
use crate::catalog::{CatalogError, Index, IndexKey, IndexPart, QualifiedName};

// indkey (0-based) holds 0 where the key part is an expression; columns are
// read by name from pg_attribute, and only expressions are deparsed (with
// pg_get_indexdef, the costly part of this query).
// indoption bit 0 is DESC, bit 1 NULLS FIRST (pg_index.h). indclass and
// indcollation cover the key parts; indnullsnotdistinct exists from PostgreSQL 15
// on, so it is read through to_jsonb (NULL, i.e. false, before).
const INDEXES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS table_name, ic.relname::text AS name,
       am.amname::text AS method, i.indisunique AS is_unique, i.indisprimary AS is_primary,
       i.indisvalid AS valid, i.indnkeyatts::int4 AS key_count,
       ARRAY(SELECT a.attname::text
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS u(attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS part_columns,
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0
                         THEN pg_get_indexdef(i.indexrelid, k, true) END
             FROM generate_series(1, i.indnatts::int4) AS k ORDER BY k) AS part_expressions,
       i.indoption::int2[] AS part_options,
       ARRAY(SELECT CASE WHEN oc.opcdefault THEN NULL
                         ELSE quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END
             FROM unnest(i.indclass::oid[]) WITH ORDINALITY AS u(oid, ord)
             JOIN pg_opclass oc ON oc.oid = u.oid
             JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
             ORDER BY u.ord) AS part_opclasses,
       ARRAY(SELECT CASE WHEN u.coll IS NULL OR u.coll = 0
                           OR u.coll = coalesce(nullif(a.attcollation, 0), 100) THEN NULL
                         ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
             FROM unnest(i.indcollation::oid[], i.indkey::int2[]) WITH ORDINALITY AS u(coll, attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum
             LEFT JOIN pg_collation co ON co.oid = u.coll
             LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
             ORDER BY u.ord) AS part_collations,
       coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
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
) -> Result<Vec<(QualifiedName, Index)>, CatalogError> {
    reader.rows_of_relations("indexes", INDEXES, index).await
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
