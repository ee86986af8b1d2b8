//! Enums, domains, composite and range types.

use super::query::{Reader, Record};
use crate::catalog::{
    Attribute, CatalogError, Dependent, DependentKind, Domain, DomainCheck, TypeKind, UserType,
};

/// Types of the inspected schemas, without the row types of tables and views,
/// multiranges (made with their range) and what extensions installed; with enum
/// labels, domain definitions, composite attributes, comments and what depends
/// on each type or its array type (normal `pg_depend` entries).
const TYPES: &str = "
WITH dependent AS (
  SELECT t.oid,
         d.classid::regclass::text AS catalog,
         d.objsubid,
         CASE WHEN d.classid = 'pg_rewrite'::regclass
              THEN pg_describe_object('pg_class'::regclass, r.ev_class, 0)
              ELSE pg_describe_object(d.classid, d.objid, d.objsubid) END AS description
  FROM pg_type t
  JOIN pg_depend d ON d.refclassid = 'pg_type'::regclass
                  AND d.refobjid IN (t.oid, t.typarray) AND d.deptype = 'n'
  LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
  WHERE NOT (d.classid = 'pg_type'::regclass AND d.objid IN (t.oid, t.typarray))
), dependents AS (
  SELECT oid,
         array_agg(catalog || ':' || (objsubid > 0)::text ORDER BY description, catalog) AS catalogs,
         array_agg(description ORDER BY description, catalog) AS descriptions
  FROM (SELECT DISTINCT oid, catalog, objsubid, description FROM dependent) u
  GROUP BY oid
)
SELECT n.nspname::text AS schema, t.typname::text AS name, t.typtype::text AS kind,
       coalesce((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
                 FROM pg_enum e WHERE e.enumtypid = t.oid), '{}') AS enum_values,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base,
       t.typnotnull AS not_null,
       pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       coalesce((SELECT array_agg(c.conname::text ORDER BY c.conname)
                 FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '{}')
         AS check_names,
       coalesce((SELECT array_agg(replace(pg_get_constraintdef(c.oid), ' NOT VALID', '')
                                  ORDER BY c.conname)
                 FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '{}')
         AS check_definitions,
       coalesce((SELECT array_agg(c.convalidated ORDER BY c.conname)
                 FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '{}')
         AS check_validated,
       coalesce((SELECT array_agg(a.attname::text ORDER BY a.attnum)
                 FROM pg_attribute a
                 WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0
                   AND NOT a.attisdropped), '{}') AS attribute_names,
       coalesce((SELECT array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
                 FROM pg_attribute a
                 WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0
                   AND NOT a.attisdropped), '{}') AS attribute_types,
       d.description AS comment,
       coalesce(dep.catalogs, '{}') AS dependent_catalogs,
       coalesce(dep.descriptions, '{}') AS dependents
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class c ON c.oid = t.typrelid
LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
LEFT JOIN dependents dep ON dep.oid = t.oid
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
        .map(user_type)
        .collect()
}

fn user_type(r: &Record) -> Result<UserType, CatalogError> {
    let kind = r.code("kind", "typtype", |code| match code {
        "e" => Some(TypeKind::Enum),
        "d" => Some(TypeKind::Domain),
        "c" => Some(TypeKind::Composite),
        "r" => Some(TypeKind::Range),
        _ => None,
    })?;
    let domain = match kind {
        TypeKind::Domain => {
            let names: Vec<String> = r.get("check_names")?;
            let definitions: Vec<String> = r.get("check_definitions")?;
            let validated: Vec<bool> = r.get("check_validated")?;
            Some(Domain {
                base: r.get::<Option<String>>("base")?.unwrap_or_default(),
                not_null: r.get("not_null")?,
                default: r.get("default_expr")?,
                checks: names
                    .into_iter()
                    .zip(definitions)
                    .zip(validated)
                    .map(|((name, definition), validated)| DomainCheck {
                        name,
                        definition,
                        validated,
                    })
                    .collect(),
            })
        }
        _ => None,
    };
    let names: Vec<String> = r.get("attribute_names")?;
    let types: Vec<String> = r.get("attribute_types")?;
    Ok(UserType {
        name: r.name("schema", "name")?,
        kind,
        values: r.get("enum_values")?,
        domain,
        attributes: names
            .into_iter()
            .zip(types)
            .map(|(name, data_type)| Attribute { name, data_type })
            .collect(),
        comment: r.get("comment")?,
        dependents: dependents(r)?,
    })
}

/// The type's dependents, each with the kind its catalog says.
fn dependents(r: &Record) -> Result<Vec<Dependent>, CatalogError> {
    let catalogs: Vec<String> = r.get("dependent_catalogs")?;
    let descriptions: Vec<String> = r.get("dependents")?;
    Ok(catalogs
        .iter()
        .zip(descriptions)
        .map(|(catalog, description)| Dependent {
            kind: match catalog.as_str() {
                "pg_class:true" => DependentKind::Column,
                "pg_class:false" if description.starts_with("index ") => DependentKind::Index,
                "pg_policy:false" => DependentKind::Policy,
                "pg_attrdef:false" => DependentKind::ColumnDefault,
                "pg_constraint:false" => DependentKind::Constraint,
                "pg_rewrite:false" => DependentKind::View,
                "pg_proc:false" => DependentKind::Function,
                "pg_trigger:false" => DependentKind::Trigger,
                _ => DependentKind::Other,
            },
            description,
        })
        .collect())
}
