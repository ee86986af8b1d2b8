//! SB001 `auth_users_exposed` (RLS-SEMANTICS 6.7 Supabase pack, splinter 0002):
//! a view readable by `anon`/`authenticated` reads `auth.users` (emails,
//! metadata of every user) with its owner's rights, in a Supabase-shaped database.

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::{Privilege, QualifiedName};

/// The check.
pub const CHECK: Check = Check {
    id: "SB001",
    name: "auth_users_exposed",
    level: Level::Error,
    summary: "view exposes auth.users to API roles (Supabase)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    if !cx.scope.supabase {
        return Vec::new();
    }
    let users = QualifiedName::new("auth", "users");
    let mut out = Vec::new();
    for v in cx
        .catalog
        .views
        .iter()
        .filter(|v| v.depends_on.contains(&users))
    {
        let readers: Vec<String> = ["anon", "authenticated"]
            .iter()
            .map(|r| r.to_string())
            .filter(|r| cx.access.on_view(r, v, Privilege::Select))
            .collect();
        // A security_invoker view reads auth.users with the caller's rights, which API roles lack.
        if readers.is_empty() || v.security_invoker {
            continue;
        }
        out.push(CHECK.finding(
            CHECK.level,
            &v.name,
            None,
            format!("reads auth.users and {} can select it: every user's email and metadata", list(&readers)),
            Some(format!("REVOKE SELECT ON {} FROM anon, authenticated; -- or ALTER VIEW ... SET (security_invoker = true)", v.name)),
        ));
    }
    out
}
