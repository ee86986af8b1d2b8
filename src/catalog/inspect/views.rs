//! Views, materialized views, and what their queries read.

use super::query::{Reader, Record};
use super::tables::{acl, sorted};
use crate::catalog::{CatalogError, QualifiedName, RoutineRef, View, ViewColumn, ViewKind};

// The boolean options are parsed by Postgres (a text to bool cast uses the
// same parser as reloptions), so `on`, `1` or `t` all read as true.
const VIEWS: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
       pg_get_userbyid(c.relowner)::text AS owner,
       pg_get_viewdef(c.oid, true) AS definition,
       coalesce(c.reloptions, '{}')::text[] AS options,
       coalesce((SELECT o.option_value::bool FROM pg_options_to_table(c.reloptions) o
                 WHERE o.option_name = 'security_invoker'), false) AS security_invoker,
       coalesce((SELECT o.option_value::bool FROM pg_options_to_table(c.reloptions) o
                 WHERE o.option_name = 'security_barrier'), false) AS security_barrier,
       c.relispopulated AS populated,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS column_names,
       ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS column_types,
       c.relacl IS NULL AS acl_is_default, d.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1) AND c.relkind IN ('v', 'm')";

// A view's query is its _RETURN rule; what the rule depends on is what the
// query reads. Built-in functions (pg_catalog) are left out: they are not
// where a bypass hides, and every view calls some.
const DEPENDENCIES: &str = "
SELECT DISTINCT n.nspname::text AS schema, v.relname::text AS view_name,
       rn.nspname::text AS ref_schema, coalesce(rc.relname, rp.proname)::text AS ref_name,
       CASE WHEN rp.oid IS NOT NULL
            THEN pg_get_function_identity_arguments(rp.oid) END AS ref_arguments
FROM pg_class v
JOIN pg_namespace n ON n.oid = v.relnamespace
JOIN pg_rewrite w ON w.ev_class = v.oid
JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = w.oid
LEFT JOIN pg_class rc ON dep.refclassid = 'pg_class'::regclass AND rc.oid = dep.refobjid
LEFT JOIN pg_proc rp ON dep.refclassid = 'pg_proc'::regclass AND rp.oid = dep.refobjid
JOIN pg_namespace rn ON rn.oid = coalesce(rc.relnamespace, rp.pronamespace)
WHERE n.nspname = ANY($1) AND v.relkind IN ('v', 'm') AND dep.refobjid <> v.oid
  AND (rp.oid IS NULL OR rn.nspname <> 'pg_catalog')";

/// What a view's query reads or calls.
pub(super) enum Dependency {
    /// A table, view, sequence, ...
    Relation(QualifiedName),
    /// A function outside `pg_catalog`.
    Routine(RoutineRef),
}

/// Every view and materialized view of the inspected schemas, without dependencies.
pub(super) async fn views(reader: Reader<'_>) -> Result<Vec<View>, CatalogError> {
    reader
        .rows("views", VIEWS)
        .await?
        .iter()
        .map(view)
        .collect()
}

/// What every inspected view reads and calls, with the view.
pub(super) async fn dependencies(
    reader: Reader<'_>,
) -> Result<Vec<(QualifiedName, Dependency)>, CatalogError> {
    reader
        .rows("view dependencies", DEPENDENCIES)
        .await?
        .iter()
        .map(|r| {
            let referenced = r.name("ref_schema", "ref_name")?;
            let arguments: Option<String> = r.get("ref_arguments")?;
            let dependency = match arguments {
                Some(identity_arguments) => Dependency::Routine(RoutineRef {
                    name: referenced,
                    identity_arguments,
                }),
                None => Dependency::Relation(referenced),
            };
            Ok((r.name("schema", "view_name")?, dependency))
        })
        .collect()
}

fn view(r: &Record) -> Result<View, CatalogError> {
    let names: Vec<String> = r.get("column_names")?;
    let types: Vec<String> = r.get("column_types")?;
    Ok(View {
        columns: names
            .into_iter()
            .zip(types)
            .map(|(name, data_type)| ViewColumn { name, data_type })
            .collect(),
        name: r.name("schema", "name")?,
        kind: r.code("kind", "relkind", |code| match code {
            "v" => Some(ViewKind::View),
            "m" => Some(ViewKind::MaterializedView),
            _ => None,
        })?,
        owner: r.get("owner")?,
        definition: r.get("definition")?,
        options: sorted(r.get("options")?),
        security_invoker: r.get("security_invoker")?,
        security_barrier: r.get("security_barrier")?,
        depends_on: Vec::new(),
        calls: Vec::new(),
        populated: r.get("populated")?,
        indexes: Vec::new(),
        triggers: Vec::new(),
        acl: acl(r)?,
        column_grants: Vec::new(),
        comment: r.get("comment")?,
    })
}
