//! Becoming a principal: `SET LOCAL ROLE`, transaction-local settings,
//! PostgREST/Supabase JWT claims, and owner-run setup SQL.

use serde::Serialize;

use crate::spec::declaration::Impersonation;
use crate::sql::{quote_ident, quote_literal};

/// The request context a principal carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// The impersonation profile filled in for one tenant and user.
    User,
    /// Nothing set, on a connection where nothing was ever set.
    None,
    /// Every setting and the claims set to `''`.
    Empty,
    /// Set in an earlier (rolled back) transaction on the same connection.
    Stale,
}

/// Back to the connecting role after a probe: the session user (a `login`) first, then the role.
pub const RESET: &str = "reset session authorization; reset role;\n";

/// Someone the proof acts as.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    /// Name in reports (`user of A`, `no-context`, ...).
    pub name: String,
    /// The role for `SET LOCAL ROLE`, when any.
    pub role: Option<String>,
    /// The login the request arrives as (`SET LOCAL SESSION AUTHORIZATION`), when any.
    pub login: Option<String>,
    /// Which context it carries.
    pub context: Context,
    /// Its own tenant's value; `None` for the synthetic principals, who own nothing.
    pub tenant: Option<String>,
    /// Its user id (`{user}`).
    pub user: Option<String>,
    /// Other tenants it is a member of too (their rows are its own).
    pub also: Vec<String>,
    /// Settings, placeholders filled in.
    pub settings: Vec<(String, String)>,
    /// JWT claims as JSON text, placeholders filled in.
    pub jwt: Option<String>,
    /// Owner-run setup SQL, placeholders filled in.
    pub setup: Vec<String>,
}

impl Principal {
    /// A user of `tenant` per the impersonation profile.
    pub fn user(
        name: &str,
        profile: &Impersonation,
        role: Option<&str>,
        tenant: &str,
        user: &str,
    ) -> Principal {
        let fill = |s: &str| s.replace("{tenant}", tenant).replace("{user}", user);
        Principal {
            name: name.to_string(),
            role: profile.role.as_deref().or(role).map(&fill),
            login: profile.login.clone(),
            context: Context::User,
            tenant: Some(tenant.to_string()),
            user: Some(user.to_string()),
            also: Vec::new(),
            settings: profile
                .settings
                .iter()
                .map(|(k, v)| (k.clone(), fill(v)))
                .collect(),
            jwt: profile
                .jwt
                .as_ref()
                .map(|j| fill_json(j, &fill).to_string()),
            setup: profile.setup.iter().map(|s| fill(s)).collect(),
        }
    }

    /// `sql` with this user's `{tenant}` and `{user}` filled in.
    pub fn fill(&self, sql: &str) -> String {
        sql.replace("{tenant}", self.tenant.as_deref().unwrap_or_default())
            .replace("{user}", self.user.as_deref().unwrap_or_default())
    }

    /// A named identity for a hand-written test (no placeholders).
    pub fn identity(name: &str, profile: &Impersonation) -> Principal {
        Principal {
            name: name.to_string(),
            role: profile.role.clone(),
            login: profile.login.clone(),
            context: Context::User,
            tenant: None,
            user: None,
            also: Vec::new(),
            settings: profile.settings.clone(),
            jwt: profile.jwt.as_ref().map(|j| j.to_string()),
            setup: profile.setup.clone(),
        }
    }

    /// A synthetic principal without a usable context, for `role`.
    pub fn synthetic(context: Context, profile: &Impersonation, role: &str) -> Principal {
        let label = match context {
            Context::None => "no-context",
            Context::Empty => "empty-context",
            Context::Stale => "stale-context",
            Context::User => "user",
        };
        let name = format!("{label} ({role})");
        let empty = context == Context::Empty;
        Principal {
            name,
            role: Some(role.to_string()),
            login: profile.login.clone(),
            context,
            tenant: None,
            user: None,
            also: Vec::new(),
            settings: if empty {
                profile
                    .settings
                    .iter()
                    .map(|(k, _)| (k.clone(), String::new()))
                    .collect()
            } else {
                Vec::new()
            },
            jwt: (empty && profile.jwt.is_some()).then(String::new),
            setup: Vec::new(),
        }
    }

    /// SQL that makes the current transaction act as this principal.
    pub fn become_sql(&self) -> String {
        let mut sql = String::new();
        let mut configs: Vec<String> = self
            .settings
            .iter()
            .map(|(k, v)| {
                format!(
                    "set_config({}, {}, true)",
                    quote_literal(k),
                    quote_literal(v)
                )
            })
            .collect();
        if let Some(jwt) = &self.jwt {
            configs.push(format!(
                "set_config('request.jwt.claims', {}, true)",
                quote_literal(jwt)
            ));
            if let Ok(serde_json::Value::Object(claims)) = serde_json::from_str(jwt) {
                for (k, v) in claims {
                    let v = match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    configs.push(format!(
                        "set_config({}, {}, true)",
                        quote_literal(&format!("request.jwt.claim.{k}")),
                        quote_literal(&v)
                    ));
                }
            }
        }
        if !configs.is_empty() {
            sql.push_str(&format!("select {};\n", configs.join(", ")));
        }
        if let Some(login) = &self.login {
            sql.push_str(&format!(
                "set local session authorization {};\n",
                quote_ident(login)
            ));
        }
        if let Some(role) = &self.role {
            sql.push_str(&format!("set local role {};\n", quote_ident(role)));
        }
        sql
    }
}

fn fill_json(value: &serde_json::Value, fill: &dyn Fn(&str) -> String) -> serde_json::Value {
    match value {
        serde_json::Value::String(s) => serde_json::Value::String(fill(s)),
        serde_json::Value::Array(a) => a.iter().map(|v| fill_json(v, fill)).collect(),
        serde_json::Value::Object(o) => o
            .iter()
            .map(|(k, v)| (k.clone(), fill_json(v, fill)))
            .collect(),
        other => other.clone(),
    }
}

/// A fresh value for a tenant column of this type.
pub fn tenant_value(data_type: &str, label: char) -> String {
    let id = uuid::Uuid::new_v4();
    match data_type {
        "uuid" => id.to_string(),
        "integer" | "bigint" | "smallint" | "numeric" => {
            let n = (id.as_u128() % 20_000) as u32 + 10_000;
            if label == 'b' {
                (n + 1).to_string()
            } else {
                n.to_string()
            }
        }
        _ => format!("tenant-{label}-{}", &id.simple().to_string()[..8]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_fills_placeholders_in_settings_claims_and_setup() {
        let profile = Impersonation {
            role: Some("authenticated".into()),
            settings: vec![("app.tenant_id".into(), "{tenant}".into())],
            jwt: Some(
                serde_json::json!({ "sub": "{user}", "app_metadata": { "org": "{tenant}" } }),
            ),
            setup: vec!["insert into m values ('{tenant}', '{user}')".into()],
            ..Impersonation::default()
        };
        let p = Principal::user("user of A", &profile, None, "t-a", "u-1");
        assert_eq!(
            p.settings,
            vec![("app.tenant_id".to_string(), "t-a".to_string())]
        );
        assert_eq!(
            p.setup,
            vec!["insert into m values ('t-a', 'u-1')".to_string()]
        );
        let sql = p.become_sql();
        assert!(sql.contains(r#"set_config('request.jwt.claims', '{"sub":"u-1","app_metadata":{"org":"t-a"}}', true)"#), "{sql}");
        assert!(
            sql.contains("set_config('request.jwt.claim.sub', 'u-1', true)"),
            "{sql}"
        );
        assert!(sql.ends_with("set local role authenticated;\n"), "{sql}");
    }

    #[test]
    fn a_login_becomes_the_session_user_before_the_role_and_per_tenant_roles_are_filled() {
        let profile = Impersonation {
            role: Some("tenant_{tenant}".into()),
            login: Some("authenticator".into()),
            ..Impersonation::default()
        };
        let sql = Principal::user("user of A", &profile, None, "acme", "u").become_sql();
        assert_eq!(
            sql,
            "set local session authorization authenticator;\nset local role tenant_acme;\n"
        );
        assert!(RESET.starts_with("reset session authorization; reset role;"));
    }

    #[test]
    fn values_and_roles_are_quoted() {
        let profile = Impersonation {
            role: Some("App User".into()),
            settings: vec![("app.name".into(), "o'brien".into())],
            ..Impersonation::default()
        };
        let sql = Principal::user("u", &profile, None, "t", "u").become_sql();
        assert!(
            sql.contains("set_config('app.name', 'o''brien', true)"),
            "{sql}"
        );
        assert!(sql.contains(r#"set local role "App User";"#), "{sql}");
    }

    #[test]
    fn synthetic_principals_set_nothing_or_empty_strings() {
        let profile = Impersonation {
            role: Some("r".into()),
            settings: vec![("app.tenant_id".into(), "{tenant}".into())],
            jwt: Some(serde_json::json!({ "sub": "{user}" })),
            ..Impersonation::default()
        };
        let none = Principal::synthetic(Context::None, &profile, "r").become_sql();
        assert_eq!(none, "set local role r;\n");
        let empty = Principal::synthetic(Context::Empty, &profile, "r").become_sql();
        assert!(
            empty.contains("set_config('app.tenant_id', '', true)"),
            "{empty}"
        );
        assert!(
            empty.contains("set_config('request.jwt.claims', '', true)"),
            "{empty}"
        );
    }
}
