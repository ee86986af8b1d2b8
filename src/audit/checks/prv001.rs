//! PRV001 `client_role_bypasses_rls` (RLS-SEMANTICS 6.3, `[E2]`, pgrls SEC016):
//! a client role is a superuser or has BYPASSRLS: no policy ever applies to it.

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "PRV001",
    name: "client_role_bypasses_rls",
    level: Level::Error,
    summary: "client role is superuser or BYPASSRLS",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.clients()
        .iter()
        .filter_map(|r| cx.access.role(r))
        .filter(|r| r.superuser || r.bypass_rls)
        .map(|r| {
            let what = if r.superuser {
                "SUPERUSER"
            } else {
                "BYPASSRLS"
            };
            CHECK.finding(
                CHECK.level,
                &format!("role {}", r.name),
                None,
                format!(
                    "client role {} is {what}: row-level security never applies to it",
                    r.name
                ),
                Some(format!(
                    "ALTER ROLE {} NO{what};",
                    crate::sql::quote_ident(&r.name)
                )),
            )
        })
        .collect()
}
