//! Catalog facts the audit needs that the `catalog` model does not hold:
//! database-level privileges, role settings, default privileges, foreign
//! tables and rewrite rules. One set-based query each, for every client role
//! at once, in one read-only transaction.

use tokio_postgres::Client;

use super::{AuditError, Scope};
use crate::sql::QualifiedName;

/// What the facts queries returned.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Client roles with CREATE on the current database.
    pub database_create: Vec<String>,
    /// `ALTER ROLE/DATABASE ... SET` settings that apply to a client role:
    /// (role or `*` for the database, `name=value`).
    pub role_settings: Vec<(String, String)>,
    /// Default privileges granting to a client role or PUBLIC.
    pub default_privileges: Vec<DefaultPrivilege>,
    /// Foreign tables of the scanned schemas, with the client roles that may SELECT them.
    pub foreign_tables: Vec<(QualifiedName, Vec<String>)>,
    /// Non-SELECT rewrite rules on relations of the scanned schemas: (relation, rule, event).
    pub rules: Vec<(QualifiedName, String, String)>,
}

/// One `ALTER DEFAULT PRIVILEGES` grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultPrivilege {
    /// The role whose new objects get it.
    pub owner: String,
    /// The schema it is limited to, if any.
    pub schema: Option<String>,
    /// Object type (`tables`, `sequences`, `functions`, ...).
    pub object_type: String,
    /// The grantee (`PUBLIC` or a role).
    pub grantee: String,
    /// The privilege.
    pub privilege: String,
}

const DATABASE_CREATE: &str = "
SELECT r::text AS role FROM unnest($1::text[]) AS r
WHERE has_database_privilege(r, current_database(), 'CREATE')";

const ROLE_SETTINGS: &str = "
SELECT coalesce(r.rolname::text, '*') AS role, c AS setting
FROM pg_db_role_setting s
LEFT JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) AS c
WHERE (s.setdatabase = 0 OR s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()))
  AND (s.setrole = 0 OR r.rolname = ANY($1))";

const DEFAULT_PRIVILEGES: &str = "
SELECT pg_get_userbyid(d.defaclrole)::text AS owner, n.nspname::text AS schema,
       CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
            WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END AS object_type,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END AS grantee,
       a.privilege_type AS privilege
FROM pg_default_acl d
LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
WHERE a.grantee = 0 OR pg_get_userbyid(a.grantee) = ANY($1)";

const FOREIGN_TABLES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS name,
       ARRAY(SELECT r FROM unnest($1::text[]) AS r
             WHERE has_table_privilege(r, c.oid, 'SELECT')
               AND has_schema_privilege(r, n.oid, 'USAGE')) AS readers
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'f' AND n.nspname = ANY($2)";

const RULES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS name, w.rulename::text AS rule,
       CASE w.ev_type WHEN '2' THEN 'UPDATE' WHEN '3' THEN 'INSERT' WHEN '4' THEN 'DELETE'
            ELSE 'SELECT' END AS event
FROM pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE w.rulename <> '_RETURN' AND w.ev_type <> '1' AND n.nspname = ANY($1)";

/// Reads the facts in one read-only transaction.
pub async fn read(client: &Client, scope: &Scope) -> Result<Facts, AuditError> {
    let err = |query: &'static str| move |source| AuditError::Query { query, source };
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(err("begin"))?;
    let roles = &scope.client_roles;
    let schemas = &scope.schemas;
    let result = async {
        let by_role: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [roles];
        let by_schema: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [schemas];
        let by_both: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [roles, schemas];
        let (create, settings, defaults, foreign, rules) = tokio::join!(
            client.query(DATABASE_CREATE, &by_role),
            client.query(ROLE_SETTINGS, &by_role),
            client.query(DEFAULT_PRIVILEGES, &by_role),
            client.query(FOREIGN_TABLES, &by_both),
            client.query(RULES, &by_schema),
        );
        let mut facts = Facts::default();
        for row in create.map_err(err("database privileges"))? {
            facts
                .database_create
                .push(row.try_get("role").map_err(err("database privileges"))?);
        }
        for row in settings.map_err(err("role settings"))? {
            let get = |c: &str| row.try_get::<_, String>(c).map_err(err("role settings"));
            facts.role_settings.push((get("role")?, get("setting")?));
        }
        for row in defaults.map_err(err("default privileges"))? {
            let get = |c: &str| {
                row.try_get::<_, String>(c)
                    .map_err(err("default privileges"))
            };
            facts.default_privileges.push(DefaultPrivilege {
                owner: get("owner")?,
                schema: row.try_get("schema").map_err(err("default privileges"))?,
                object_type: get("object_type")?,
                grantee: get("grantee")?,
                privilege: get("privilege")?,
            });
        }
        for row in foreign.map_err(err("foreign tables"))? {
            let get = |c: &str| row.try_get::<_, String>(c).map_err(err("foreign tables"));
            let name = QualifiedName::new(get("schema")?, get("name")?);
            let readers = row.try_get("readers").map_err(err("foreign tables"))?;
            facts.foreign_tables.push((name, readers));
        }
        for row in rules.map_err(err("rules"))? {
            let get = |c: &str| row.try_get::<_, String>(c).map_err(err("rules"));
            let name = QualifiedName::new(get("schema")?, get("name")?);
            facts.rules.push((name, get("rule")?, get("event")?));
        }
        Ok::<_, AuditError>(facts)
    }
    .await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = client.batch_execute(end).await.map_err(err("commit"));
    let facts = result?;
    ended?;
    Ok(facts)
}
