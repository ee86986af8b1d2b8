//! The audit's scope: the client roles end users act as, and the schemas
//! scanned. Resolved from the configuration, else detected; never empty.

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
    /// How the client roles were found (`configured`, `supabase`, `set role`).
    pub roles_source: String,
    /// Scanned schemas that exist, sorted.
    pub schemas: Vec<String>,
    /// How the schemas were found (`configured`, `pgrst.db_schemas`, `default`).
    pub schemas_source: String,
    /// Supabase-shaped: an `auth` schema and `anon`/`authenticated` roles.
    pub supabase: bool,
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

/// Resolves the scope; an error when no client role or no schema remains.
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

    let (mut client_roles, roles_source) = if !config.client_roles.is_empty() {
        let missing: Vec<&String> = config
            .client_roles
            .iter()
            .filter(|r| !roles.contains(r))
            .collect();
        if !missing.is_empty() {
            return Err(AuditError::ScopeUnresolved(format!(
                "configured client roles do not exist: {}",
                missing
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        (config.client_roles.clone(), "configured")
    } else if supabase {
        (
            vec!["anon".to_string(), "authenticated".to_string()],
            "supabase",
        )
    } else if !login_super {
        (get("settable")?, "set role")
    } else {
        (Vec::new(), "none")
    };
    client_roles.sort();
    client_roles.dedup();
    if client_roles.is_empty() {
        return Err(AuditError::ScopeUnresolved(format!(
            "no client roles: none configured (`[audit] client_roles` or `[tenancy] roles` in \
             rlsctl.toml), no Supabase/PostgREST roles (anon, authenticated), and the login \
             {login} {}",
            if login_super {
                "is a superuser (every role is reachable, so none is detected)"
            } else {
                "can SET ROLE to no other role"
            }
        )));
    }

    let pgrst: Vec<String> = get("pgrst_schemas")?
        .iter()
        .flat_map(|s| s.split(',').map(|p| p.trim().trim_matches('"').to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    let (wanted, schemas_source): (Vec<String>, &str) = if !config.schemas.is_empty() {
        (config.schemas.clone(), "configured")
    } else if supabase && !pgrst.is_empty() {
        (pgrst, "pgrst.db_schemas")
    } else if supabase {
        (
            vec!["public".into(), "graphql_public".into()],
            "supabase default",
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
        let all = existing_schemas
            .iter()
            .filter(|s| !internal.contains(&s.as_str()))
            .cloned()
            .collect();
        (all, "every user schema")
    };
    let mut schemas: Vec<String> = wanted
        .into_iter()
        .filter(|s| existing_schemas.contains(s))
        .collect();
    schemas.sort();
    schemas.dedup();
    if schemas.is_empty() {
        return Err(AuditError::ScopeUnresolved(
            "no scanned schema exists (set `[audit] schemas` in rlsctl.toml)".to_string(),
        ));
    }
    Ok(Scope {
        login,
        client_roles,
        roles_source: roles_source.to_string(),
        schemas,
        schemas_source: schemas_source.to_string(),
        supabase,
    })
}
