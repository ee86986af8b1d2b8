//! Table constraints.

use super::query::{Reader, Record};
use crate::catalog::{
    CatalogError, Constraint, ConstraintKind, ForeignKey, MatchType, QualifiedName,
    ReferentialAction,
};

// NOT NULL constraints (contype 'n', PostgreSQL 18+) are column properties
// here, and constraint triggers ('t') are read as triggers. A foreign key to a
// partitioned table also gets clones pointing at each referenced partition,
// on the same referencing table: Postgres manages those (pg_dump skips them
// too), so they are left out; clones on partitions of a referencing
// partitioned table are kept, marked inherited.
const CONSTRAINTS: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS table_name, k.conname::text AS name,
       k.contype::text AS kind, pg_get_constraintdef(k.oid) AS definition,
       k.convalidated AS validated, k.condeferrable AS deferrable,
       k.condeferred AS initially_deferred, k.coninhcount > 0 AS inherited,
       ARRAY(SELECT a.attname::text
             FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS columns,
       fn.nspname::text AS ref_schema, fc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS ref_columns,
       k.confupdtype::text AS on_update, k.confdeltype::text AS on_delete,
       k.confmatchtype::text AS match_type, d.description AS comment
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = k.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
  AND k.contype IN ('p', 'u', 'c', 'f', 'x')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint parent
                  WHERE parent.oid = k.conparentid AND parent.conrelid = k.conrelid)";

/// Every constraint of the inspected tables, with its table.
pub(super) async fn constraints(
    reader: Reader<'_>,
) -> Result<Vec<(QualifiedName, Constraint)>, CatalogError> {
    reader
        .rows_of_relations("constraints", CONSTRAINTS, constraint)
        .await
}

fn constraint(r: &Record) -> Result<Constraint, CatalogError> {
    let kind: String = r.get("kind")?;
    let kind = match kind.as_str() {
        "p" => ConstraintKind::PrimaryKey,
        "u" => ConstraintKind::Unique,
        "c" => ConstraintKind::Check,
        "x" => ConstraintKind::Exclusion,
        "f" => ConstraintKind::ForeignKey(foreign_key(r)?),
        _ => return Err(r.unrecognised("contype", kind)),
    };
    Ok(Constraint {
        name: r.get("name")?,
        kind,
        columns: r.get("columns")?,
        definition: r.get("definition")?,
        validated: r.get("validated")?,
        deferrable: r.get("deferrable")?,
        initially_deferred: r.get("initially_deferred")?,
        inherited: r.get("inherited")?,
        comment: r.get("comment")?,
    })
}

fn foreign_key(r: &Record) -> Result<ForeignKey, CatalogError> {
    Ok(ForeignKey {
        table: r.name("ref_schema", "ref_table")?,
        columns: r.get("ref_columns")?,
        on_delete: r.code("on_delete", "confdeltype", action)?,
        on_update: r.code("on_update", "confupdtype", action)?,
        match_type: r.code("match_type", "confmatchtype", |code| match code {
            "s" => Some(MatchType::Simple),
            "f" => Some(MatchType::Full),
            "p" => Some(MatchType::Partial),
            _ => None,
        })?,
    })
}

fn action(code: &str) -> Option<ReferentialAction> {
    match code {
        "a" => Some(ReferentialAction::NoAction),
        "r" => Some(ReferentialAction::Restrict),
        "c" => Some(ReferentialAction::Cascade),
        "n" => Some(ReferentialAction::SetNull),
        "d" => Some(ReferentialAction::SetDefault),
        _ => None,
    }
}
