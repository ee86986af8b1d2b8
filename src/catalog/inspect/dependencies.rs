//! What uses the relations and columns of the inspected schemas (`pg_depend`).

use super::query::{Reader, Record};
use crate::catalog::{CatalogError, Dependency, DependentObject, RoutineRef};

// Edges onto tables, views, materialized views and foreign tables of the
// inspected schemas, from the kinds of objects a change can break: views and
// rules (pg_rewrite), policies, triggers, constraints, column defaults and
// functions with SQL-standard bodies. Indexes and owned sequences go with their
// table and are left out, as is a view's own rule on itself.
const DEPENDENCIES: &str = "
WITH edges AS (
  SELECT DISTINCT d.classid, d.objid, d.refobjid, d.refobjsubid
  FROM pg_depend d
  JOIN pg_class rc ON rc.oid = d.refobjid
  JOIN pg_namespace rn ON rn.oid = rc.relnamespace
  WHERE d.refclassid = 'pg_class'::regclass AND d.deptype IN ('n', 'a')
    AND rn.nspname = ANY($1) AND rc.relkind IN ('r', 'p', 'v', 'm', 'f')
    AND d.classid IN ('pg_rewrite'::regclass, 'pg_policy'::regclass, 'pg_trigger'::regclass,
                      'pg_constraint'::regclass, 'pg_attrdef'::regclass, 'pg_proc'::regclass)
)
SELECT e.classid::regclass::text AS catalog,
       rn.nspname::text AS ref_schema, rc.relname::text AS ref_name,
       a.attname::text AS ref_column,
       on_n.nspname::text AS on_schema, on_c.relname::text AS on_name,
       on_c.relkind::text AS on_kind,
       coalesce(w.rulename, pol.polname, tg.tgname, con.conname, da.attname)::text AS object_name,
       pn.nspname::text AS fn_schema, p.proname::text AS fn_name,
       CASE WHEN p.oid IS NOT NULL THEN pg_get_function_identity_arguments(p.oid) END AS fn_args,
       CASE WHEN w.rulename = '_RETURN'
            THEN pg_describe_object('pg_class'::regclass, w.ev_class, 0)
            ELSE pg_describe_object(e.classid, e.objid, 0) END AS description
FROM edges e
JOIN pg_class rc ON rc.oid = e.refobjid
JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_attribute a
       ON e.refobjsubid > 0 AND a.attrelid = e.refobjid AND a.attnum = e.refobjsubid
LEFT JOIN pg_rewrite w ON e.classid = 'pg_rewrite'::regclass AND w.oid = e.objid
LEFT JOIN pg_policy pol ON e.classid = 'pg_policy'::regclass AND pol.oid = e.objid
LEFT JOIN pg_trigger tg ON e.classid = 'pg_trigger'::regclass AND tg.oid = e.objid
LEFT JOIN pg_constraint con ON e.classid = 'pg_constraint'::regclass AND con.oid = e.objid
LEFT JOIN pg_attrdef ad ON e.classid = 'pg_attrdef'::regclass AND ad.oid = e.objid
LEFT JOIN pg_attribute da ON da.attrelid = ad.adrelid AND da.attnum = ad.adnum
LEFT JOIN pg_proc p ON e.classid = 'pg_proc'::regclass AND p.oid = e.objid
LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
LEFT JOIN pg_class on_c
       ON on_c.oid = coalesce(w.ev_class, pol.polrelid, tg.tgrelid, con.conrelid, ad.adrelid)
LEFT JOIN pg_namespace on_n ON on_n.oid = on_c.relnamespace
WHERE (w.oid IS NULL OR w.ev_class <> e.refobjid)
  AND (con.oid IS NULL OR con.conrelid <> 0)";

/// Every edge onto a relation of the inspected schemas.
pub(super) async fn dependencies(reader: Reader<'_>) -> Result<Vec<Dependency>, CatalogError> {
    reader
        .rows("dependencies", DEPENDENCIES)
        .await?
        .iter()
        .map(dependency)
        .collect()
}

fn dependency(r: &Record) -> Result<Dependency, CatalogError> {
    let catalog: String = r.get("catalog")?;
    let dependent = if catalog == "pg_proc" {
        DependentObject::Function {
            routine: RoutineRef {
                name: r.name("fn_schema", "fn_name")?,
                identity_arguments: r.get("fn_args")?,
            },
        }
    } else {
        let on = r.name("on_schema", "on_name")?;
        let name: String = r.get("object_name")?;
        match catalog.as_str() {
            "pg_rewrite" if name == "_RETURN" => {
                let kind: String = r.get("on_kind")?;
                if kind == "m" {
                    DependentObject::MaterializedView { name: on }
                } else {
                    DependentObject::View { name: on }
                }
            }
            "pg_rewrite" => DependentObject::Rule { relation: on, name },
            "pg_policy" => DependentObject::Policy { table: on, name },
            "pg_trigger" => DependentObject::Trigger { table: on, name },
            "pg_constraint" => DependentObject::Constraint { table: on, name },
            "pg_attrdef" => DependentObject::ColumnDefault {
                table: on,
                column: name,
            },
            _ => return Err(r.unrecognised("dependent catalog", catalog)),
        }
    };
    Ok(Dependency {
        relation: r.name("ref_schema", "ref_name")?,
        column: r.get("ref_column")?,
        dependent,
        description: r.get("description")?,
    })
}
