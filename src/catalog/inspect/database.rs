//! Database-wide facts: the database's ACL, login settings, default
//! privileges; and, per inspected schema, foreign tables and rewrite rules.

use super::query::{Reader, Record};
use super::tables::acl;
use crate::catalog::{
    Acl, CatalogError, Database, DefaultObjectType, DefaultPrivilege, ForeignTable, Grant, Grantee,
    Privilege, RoleSetting, Rule, RuleEvent,
};

// The owner's grants to itself are left out, as for every other ACL.
const DATABASE: &str = "
SELECT pg_get_userbyid(d.datdba)::text AS owner, d.datacl IS NULL AS acl_is_default,
       current_user::text AS connected_as,
       coalesce(ARRAY(SELECT CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee)::text END
                      FROM aclexplode(d.datacl) a
                      WHERE NOT (a.grantee = d.datdba AND a.grantor = d.datdba)
                      ORDER BY 1, a.privilege_type), '{}') AS grantees,
       coalesce(ARRAY(SELECT a.privilege_type
                      FROM aclexplode(d.datacl) a
                      WHERE NOT (a.grantee = d.datdba AND a.grantor = d.datdba)
                      ORDER BY CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee)::text END,
                               a.privilege_type), '{}') AS privileges,
       coalesce(ARRAY(SELECT pg_get_userbyid(a.grantor)::text
                      FROM aclexplode(d.datacl) a
                      WHERE NOT (a.grantee = d.datdba AND a.grantor = d.datdba)
                      ORDER BY CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee)::text END,
                               a.privilege_type), '{}') AS grantors
FROM pg_database d WHERE d.datname = current_database()";

const ROLE_SETTINGS: &str = "
SELECT r.rolname::text AS role, s.setdatabase <> 0 AS this_database_only, c AS setting
FROM pg_db_role_setting s
LEFT JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) AS c
WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
  AND split_part(c, '=', 1) LIKE '%.%'";

const DEFAULT_PRIVILEGES: &str = "
SELECT pg_get_userbyid(d.defaclrole)::text AS owner, n.nspname::text AS schema,
       d.defaclobjtype::text AS object_type,
       CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee)::text END AS grantee,
       a.privilege_type AS privilege
FROM pg_default_acl d
LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a";

const FOREIGN_TABLES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS name,
       pg_get_userbyid(c.relowner)::text AS owner, s.srvname::text AS server,
       c.relacl IS NULL AS acl_is_default
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_foreign_table f ON f.ftrelid = c.oid
JOIN pg_foreign_server s ON s.oid = f.ftserver
WHERE n.nspname = ANY($1) AND c.relkind = 'f'";

const RULES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS table_name, w.rulename::text AS name,
       w.ev_type::text AS event, w.is_instead AS instead, pg_get_ruledef(w.oid) AS definition
FROM pg_rewrite w
JOIN pg_class c ON c.oid = w.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1) AND w.rulename <> '_RETURN'";

/// The inspected database's owner and ACL.
pub(super) async fn database(reader: Reader<'_>) -> Result<Database, CatalogError> {
    let rows = reader.cluster_rows("database", DATABASE).await?;
    let Some(r) = rows.first() else {
        return Ok(Database::default());
    };
    let owner: String = r.get("owner")?;
    let acl = if r.get("acl_is_default")? {
        Acl::Default
    } else {
        let grantees: Vec<String> = r.get("grantees")?;
        let privileges: Vec<String> = r.get("privileges")?;
        let grantors: Vec<String> = r.get("grantors")?;
        let mut grants = Vec::new();
        for ((grantee, privilege), grantor) in grantees.into_iter().zip(privileges).zip(grantors) {
            grants.push(Grant {
                grantee: if grantee.is_empty() {
                    Grantee::Public
                } else {
                    Grantee::Role(grantee)
                },
                privilege: Privilege::from_sql(&privilege)
                    .ok_or_else(|| r.unrecognised("privilege", privilege.clone()))?,
                grantor,
                grantable: false,
            });
        }
        grants.sort();
        Acl::Explicit(grants)
    };
    Ok(Database {
        owner,
        acl,
        connected_as: r.get("connected_as")?,
    })
}

/// Login settings of custom parameters (`app.tenant_id`, `request.jwt.claims`)
/// that apply in this database, sorted.
pub(super) async fn role_settings(reader: Reader<'_>) -> Result<Vec<RoleSetting>, CatalogError> {
    let mut settings = reader
        .cluster_rows("role settings", ROLE_SETTINGS)
        .await?
        .iter()
        .map(|r| {
            let setting: String = r.get("setting")?;
            let (name, value) = setting.split_once('=').unwrap_or((setting.as_str(), ""));
            Ok(RoleSetting {
                role: r.get("role")?,
                this_database_only: r.get("this_database_only")?,
                name: name.to_string(),
                value: value.to_string(),
            })
        })
        .collect::<Result<Vec<_>, CatalogError>>()?;
    settings.sort();
    Ok(settings)
}

/// Default privileges of this database, sorted.
pub(super) async fn default_privileges(
    reader: Reader<'_>,
) -> Result<Vec<DefaultPrivilege>, CatalogError> {
    let mut privileges = reader
        .cluster_rows("default privileges", DEFAULT_PRIVILEGES)
        .await?
        .iter()
        .map(default_privilege)
        .collect::<Result<Vec<_>, CatalogError>>()?;
    privileges.sort();
    Ok(privileges)
}

fn default_privilege(r: &Record) -> Result<DefaultPrivilege, CatalogError> {
    let grantee: Option<String> = r.get("grantee")?;
    Ok(DefaultPrivilege {
        owner: r.get("owner")?,
        schema: r.get("schema")?,
        object_type: r.code("object_type", "defaclobjtype", |code| match code {
            "r" => Some(DefaultObjectType::Tables),
            "S" => Some(DefaultObjectType::Sequences),
            "f" => Some(DefaultObjectType::Functions),
            "T" => Some(DefaultObjectType::Types),
            "n" => Some(DefaultObjectType::Schemas),
            _ => None,
        })?,
        grantee: grantee.map_or(Grantee::Public, Grantee::Role),
        privilege: r.code("privilege", "privilege", Privilege::from_sql)?,
    })
}

/// Foreign tables of the inspected schemas, without grants.
pub(super) async fn foreign_tables(reader: Reader<'_>) -> Result<Vec<ForeignTable>, CatalogError> {
    reader
        .rows("foreign tables", FOREIGN_TABLES)
        .await?
        .iter()
        .map(|r| {
            Ok(ForeignTable {
                name: r.name("schema", "name")?,
                owner: r.get("owner")?,
                server: r.get("server")?,
                acl: acl(r)?,
            })
        })
        .collect()
}

/// Rewrite rules on relations of the inspected schemas.
pub(super) async fn rules(reader: Reader<'_>) -> Result<Vec<Rule>, CatalogError> {
    let mut rules = reader
        .rows("rules", RULES)
        .await?
        .iter()
        .map(|r| {
            Ok(Rule {
                relation: r.name("schema", "table_name")?,
                name: r.get("name")?,
                event: r.code("event", "ev_type", |code| match code {
                    "1" => Some(RuleEvent::Select),
                    "2" => Some(RuleEvent::Update),
                    "3" => Some(RuleEvent::Insert),
                    "4" => Some(RuleEvent::Delete),
                    _ => None,
                })?,
                instead: r.get("instead")?,
                definition: r.get("definition")?,
            })
        })
        .collect::<Result<Vec<_>, CatalogError>>()?;
    rules.sort_by(|a, b| (&a.relation, &a.name).cmp(&(&b.relation, &b.name)));
    Ok(rules)
}
