//! Functions and procedures.

use super::query::{Reader, Record};
use super::tables::{acl, sorted};
use crate::catalog::{
    CatalogError, Dependent, DependentKind, Function, FunctionBody, FunctionKind, Parallel,
    Volatility,
};

/// The functions we read, as a condition on `pg_proc p`: plain functions and
/// procedures (not aggregates or window functions), except those an
/// extension installed (they are the extension's, not the schema's).
pub(super) const USER_FUNCTIONS: &str = "p.prokind IN ('f', 'p') AND NOT EXISTS (
    SELECT 1 FROM pg_depend e
    WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')";

const FUNCTIONS: &str = "
WITH dependent AS (
  SELECT d.refobjid AS oid,
         d.classid::regclass::text AS catalog,
         CASE WHEN d.classid = 'pg_rewrite'::regclass
              THEN pg_describe_object('pg_class'::regclass, r.ev_class, 0)
              ELSE pg_describe_object(d.classid, d.objid, d.objsubid) END AS description
  FROM pg_depend d
  LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
  WHERE d.refclassid = 'pg_proc'::regclass AND d.deptype IN ('n', 'a')
), dependents AS (
  SELECT oid, array_agg(catalog ORDER BY description, catalog) AS catalogs,
         array_agg(description ORDER BY description, catalog) AS descriptions
  FROM (SELECT DISTINCT oid, catalog, description FROM dependent) u
  GROUP BY oid
)
SELECT n.nspname::text AS schema, p.proname::text AS name, p.prokind::text AS kind,
       pg_get_function_identity_arguments(p.oid) AS identity_arguments,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result, p.proretset AS returns_set,
       l.lanname::text AS language, p.provolatile::text AS volatility,
       p.prosecdef AS security_definer, p.proisstrict AS strict, p.proleakproof AS leakproof,
       p.proparallel::text AS parallel, coalesce(p.proconfig, '{}')::text[] AS config,
       p.prosrc AS source, {sql_body} AS sql_body,
       pg_get_userbyid(p.proowner)::text AS owner,
       p.proacl IS NULL AS acl_is_default, d.description AS comment,
       coalesce(dep.catalogs, '{}') AS dependent_catalogs,
       coalesce(dep.descriptions, '{}') AS dependents
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
LEFT JOIN dependents dep ON dep.oid = p.oid
WHERE n.nspname = ANY($1) AND {user_functions}";

/// Every function and procedure of the inspected schemas.
pub(super) async fn functions(
    reader: Reader<'_>,
    server_version_num: i32,
) -> Result<Vec<Function>, CatalogError> {
    // SQL-standard bodies (BEGIN ATOMIC) exist from PostgreSQL 14.
    let sql_body = if server_version_num >= 140_000 {
        "pg_get_function_sqlbody(p.oid)"
    } else {
        "NULL::text"
    };
    let sql = FUNCTIONS
        .replace("{sql_body}", sql_body)
        .replace("{user_functions}", USER_FUNCTIONS);
    reader
        .rows("functions", &sql)
        .await?
        .iter()
        .map(function)
        .collect()
}

fn function(r: &Record) -> Result<Function, CatalogError> {
    let sql_body: Option<String> = r.get("sql_body")?;
    let body = match sql_body {
        Some(body) => FunctionBody::SqlStandard(body),
        None => FunctionBody::Source(r.get("source")?),
    };
    Ok(Function {
        name: r.name("schema", "name")?,
        kind: r.code("kind", "prokind", |code| match code {
            "f" => Some(FunctionKind::Function),
            "p" => Some(FunctionKind::Procedure),
            _ => None,
        })?,
        identity_arguments: r.get("identity_arguments")?,
        arguments: r.get("arguments")?,
        result: r.get("result")?,
        returns_set: r.get("returns_set")?,
        language: r.get("language")?,
        volatility: r.code("volatility", "provolatile", |code| match code {
            "i" => Some(Volatility::Immutable),
            "s" => Some(Volatility::Stable),
            "v" => Some(Volatility::Volatile),
            _ => None,
        })?,
        security_definer: r.get("security_definer")?,
        strict: r.get("strict")?,
        leakproof: r.get("leakproof")?,
        parallel: r.code("parallel", "proparallel", |code| match code {
            "s" => Some(Parallel::Safe),
            "r" => Some(Parallel::Restricted),
            "u" => Some(Parallel::Unsafe),
            _ => None,
        })?,
        config: sorted(r.get("config")?),
        body,
        owner: r.get("owner")?,
        acl: acl(r)?,
        comment: r.get("comment")?,
        dependents: dependents(r)?,
    })
}

/// The function's dependents, each with the kind its catalog says.
fn dependents(r: &Record) -> Result<Vec<Dependent>, CatalogError> {
    let catalogs: Vec<String> = r.get("dependent_catalogs")?;
    let descriptions: Vec<String> = r.get("dependents")?;
    Ok(catalogs
        .iter()
        .zip(descriptions)
        .map(|(catalog, description)| Dependent {
            kind: match catalog.as_str() {
                "pg_trigger" => DependentKind::Trigger,
                "pg_event_trigger" => DependentKind::EventTrigger,
                "pg_policy" => DependentKind::Policy,
                "pg_attrdef" => DependentKind::ColumnDefault,
                "pg_constraint" => DependentKind::Constraint,
                "pg_rewrite" => DependentKind::View,
                "pg_proc" => DependentKind::Function,
                "pg_class" if description.starts_with("index ") => DependentKind::Index,
                _ => DependentKind::Other,
            },
            description,
        })
        .collect())
}
