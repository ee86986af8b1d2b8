//! PRV011 `context_default_in_role_settings` (RLS-SEMANTICS 6.3, L21): an
//! `ALTER ROLE/DATABASE ... SET app.*` or JWT-claims setting that applies to a
//! client role: the context is never absent (a stale default tenant).

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "PRV011",
    name: "context_default_in_role_settings",
    level: Level::Warn,
    summary: "role or database setting gives the session context a default",
    run,
};

fn is_context_setting(name: &str) -> bool {
    name.starts_with("request.jwt")
        || (name.contains('.') && !name.starts_with("pgrst.") && !name.contains("search_path"))
}

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.catalog
        .role_settings
        .iter()
        .filter(|s| is_context_setting(&s.name))
        .filter(|s| s.role.as_ref().is_none_or(|r| cx.clients().contains(r)))
        .map(|s| {
            let (name, setting) = (&s.name, format!("{}={}", s.name, s.value));
            let (object, fix) = match &s.role {
                None => ("database".to_string(), format!("ALTER DATABASE <db> RESET {name};")),
                Some(role) => (format!("role {role}"), format!("ALTER ROLE {} RESET {name};", crate::sql::quote_ident(role))),
            };
            CHECK.finding(
                CHECK.level,
                &object,
                Some(name),
                format!("`{setting}` is set by default: sessions that forget to set the context act as this value"),
                Some(fix),
            )
        })
        .collect()
}
