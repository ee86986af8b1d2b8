//! The audit's scope: the client roles end users act as, and the schemas
//! scanned. Resolved from the configuration, else detected; never empty.
//! The schemas come from `--schema`, `[audit] schemas`, `[project] schemas`
//! (the command picks the first that is set), then detection.

use serde::Serialize;
use tokio_postgres::Client;

use super::{AuditConfig, AuditError};

/// What the audit covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The role the audit connected as (`session_user`).
    pub login: String,
    /// Roles end users act as, sorted.
    pub client_roles: Vec<String>,
    /// How the client roles were found (`--client-role`, `[audit] client_roles`,
    /// `[tenancy] roles`, `configured`, `supabase`, `set role`).
    pub roles_source: String,
    /// Scanned schemas that exist, sorted.
    pub schemas: Vec<String>,
    /// How the schemas were found (`--schema`, `[audit] schemas`, `[project] schemas`,
    /// `configured`, `pgrst.db_schemas`, `supabase default`, `every user schema`).
    pub schemas_source: String,
    /// Supabase-shaped: an `auth` schema and `anon`/`authenticated` roles.
    pub supabase: bool,
    /// Schemas an HTTP API exposes (PostgREST's `db_schemas`, else Supabase's
    /// defaults); empty when no API was detected (clients then run SQL directly).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub api_schemas: Vec<String>,
}

const SCOPE: &str = "
SELECT session_user::text AS login,
       coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) AS login_super,
       ARRAY(SELECT rolname::text FROM pg_roles ORDER BY 1) AS roles,
       EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'auth') AS has_auth,
       ARRAY(SELECT g.rolname::text FROM pg_roles g
             WHERE g.rolname <> session_user AND g.rolname !~ '^pg_'
               AND NOT g.rolsuper AND NOT g.rolbypassrls
               AND pg_has_role(session_user, g.oid, 'MEMBER') ORDER BY 1) AS settable,
       ARRAY(SELECT substr(c, length('pgrst.db_schemas=') + 1)
             FROM pg_db_role_setting s JOIN pg_roles a ON a.oid = s.setrole,
                  unnest(s.setconfig) AS c
             WHERE a.rolname = 'authenticator' AND c LIKE 'pgrst.db\\_schemas=%'
               AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
             ORDER BY s.setdatabase DESC LIMIT 1) AS pgrst_schemas,
       ARRAY(SELECT nspname::text FROM pg_namespace
             WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1) AS schemas";

/// Resolves the scope: the schemas first (a configured schema that does not
/// exist is named as such), then the client roles; an error when either is empty.
pub async fn resolve(client: &Client, config: &AuditConfig) -> Result<Scope, AuditError> {
    let row = client
        .query_one(SCOPE, &[])
        .await
        .map_err(|source| AuditError::Query {
            query: "scope",
            source,
        })?;
    let get = |column: &str| -> Result<Vec<String>, AuditError> {
        row.try_get(column).map_err(|source| AuditError::Query {
            query: "scope",
            source,
        })
    };
    let login: String = row.try_get("login").map_err(|source| AuditError::Query {
        query: "scope",
        source,
    })?;
    let login_super: bool = row.try_get("login_super").unwrap_or(false);
    let has_auth: bool = row.try_get("has_auth").unwrap_or(false);
    let roles = get("roles")?;
    let existing_schemas = get("schemas")?;
    let supabase = has_auth
        && ["anon", "authenticated"]
            .iter()
            .all(|r| roles.iter().any(|x| x == r));
    let pgrst: Vec<String> = get("pgrst_schemas")?
        .iter()
        .flat_map(|s| s.split(',').map(|p| p.trim().trim_matches('"').to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    let api_schemas: Vec<String> = if !pgrst.is_empty() {
        pgrst.clone()
    } else if supabase {
        SUPABASE_API_SCHEMAS.iter().map(|s| s.to_string()).collect()
    } else {
        Vec::new()
    };
    let (schemas, schemas_source) = schemas(config, supabase, pgrst, &existing_schemas)?;
    let (client_roles, roles_source) = client_roles(
        config,
        supabase,
        &roles,
        || get("settable"),
        &login,
        login_super,
    )?;
    Ok(Scope {
        login,
        client_roles,
        roles_source,
        schemas,
        schemas_source,
        supabase,
        api_schemas,
    })
}

/// The scanned schemas and where they came from: configured (each must
/// exist), else PostgREST's `db_schemas`, else Supabase's defaults, else every
/// user schema.
fn schemas(
    config: &AuditConfig,
    supabase: bool,
    pgrst: Vec<String>,
    existing: &[String],
) -> Result<(Vec<String>, String), AuditError> {
    let (wanted, source): (Vec<String>, String) = if !config.schemas.is_empty() {
        let source = source_or_configured(&config.schemas_source);
        let missing: Vec<String> = config
            .schemas
            .iter()
            .filter(|s| !existing.contains(s))
            .map(|s| crate::sql::quote_ident(s))
            .collect();
        match missing.as_slice() {
            [] => {}
            [one] => {
                return Err(AuditError::ScopeUnresolved(format!(
                    "schema {one} does not exist (from {source})"
                )));
            }
            many => {
                return Err(AuditError::ScopeUnresolved(format!(
                    "schemas {} do not exist (from {source})",
                    many.join(", ")
                )));
            }
        }
        (config.schemas.clone(), source)
    } else if supabase && !pgrst.is_empty() {
        (pgrst, "pgrst.db_schemas".to_string())
    } else if supabase {
        (
            SUPABASE_API_SCHEMAS.iter().map(|s| s.to_string()).collect(),
            "supabase default".to_string(),
        )
    } else {
        let internal = [
            "auth",
            "storage",
            "realtime",
            "extensions",
            "graphql",
            "vault",
        ];
        let all = existing
            .iter()
            .filter(|s| !internal.contains(&s.as_str()))
            .cloned()
            .collect();
        (all, "every user schema".to_string())
    };
    let mut schemas: Vec<String> = wanted
        .into_iter()
        .filter(|s| existing.contains(s))
        .collect();
    schemas.sort();
    schemas.dedup();
    if schemas.is_empty() {
        return Err(AuditError::ScopeUnresolved(format!(
            "no scanned schema exists ({source}): {}",
            CHOOSE_SCHEMAS
        )));
    }
    Ok((schemas, source))
}

/// The schemas Supabase's API exposes unless `pgrst.db_schemas` says otherwise.
const SUPABASE_API_SCHEMAS: [&str; 2] = ["public", "graphql_public"];

/// How to choose the schemas, for RC000 messages.
const CHOOSE_SCHEMAS: &str = "pass `--schema SCHEMA` (repeatable), or set `schemas = [\"...\"]` \
     under `[audit]` (or `[project]`) in rlsctl.toml";

/// The client roles and where they came from: configured (each must exist),
/// else Supabase's `anon` and `authenticated`, else the roles a non-superuser
/// login can become.
fn client_roles(
    config: &AuditConfig,
    supabase: bool,
    roles: &[String],
    settable: impl FnOnce() -> Result<Vec<String>, AuditError>,
    login: &str,
    login_super: bool,
) -> Result<(Vec<String>, String), AuditError> {
    let (mut client_roles, source) = if !config.client_roles.is_empty() {
        let source = source_or_configured(&config.client_roles_source);
        let missing: Vec<String> = config
            .client_roles
            .iter()
            .filter(|r| !roles.contains(r))
            .map(|r| crate::sql::quote_ident(r))
            .collect();
        if !missing.is_empty() {
            return Err(AuditError::ScopeUnresolved(format!(
                "client roles from {source} do not exist: {}",
                missing.join(", ")
            )));
        }
        (config.client_roles.clone(), source)
    } else if supabase {
        (
            vec!["anon".to_string(), "authenticated".to_string()],
            "supabase".to_string(),
        )
    } else if !login_super {
        (settable()?, "set role".to_string())
    } else {
        (Vec::new(), "none".to_string())
    };
    client_roles.sort();
    client_roles.dedup();
    if client_roles.is_empty() {
        return Err(AuditError::ScopeUnresolved(format!(
            "no client roles (the roles end users act as): pass `--client-role ROLE` \
             (repeatable), or set `client_roles = [\"ROLE\"]` under `[audit]` (or `roles` under \
             `[tenancy]`) in rlsctl.toml; none detected: no Supabase/PostgREST roles (anon, \
             authenticated), and the login {} {}",
            crate::sql::quote_ident(login),
            if login_super {
                "is a superuser (every role is reachable, so none is detected)"
            } else {
                "can SET ROLE to no other role"
            }
        )));
    }
    Ok((client_roles, source))
}

fn source_or_configured(source: &str) -> String {
    if source.is_empty() {
        "configured".to_string()
    } else {
        source.to_string()
    }
}

/// RC000 for a scope whose schemas hold no table: auditing nothing is never "clean".
pub fn no_tables(scope: &Scope) -> AuditError {
    AuditError::ScopeUnresolved(format!(
        "no tables in the scanned schemas {} ({}): nothing would be audited; {CHOOSE_SCHEMAS}",
        scope
            .schemas
            .iter()
            .map(|s| crate::sql::quote_ident(s))
            .collect::<Vec<_>>()
            .join(", "),
        scope.schemas_source
    ))
}
