//! SB003 `pg_graphql_exposed` (RLS-SEMANTICS 6.7 Supabase pack, splinter
//! 0026 `pg_graphql_anon_table_exposed` and 0027
//! `pg_graphql_authenticated_table_exposed`): with pg_graphql present, every
//! relation `anon` or `authenticated` can select (any column) appears in the
//! GraphQL schema's introspection, RLS or not.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "SB003",
    name: "pg_graphql_exposed",
    level: Level::Warn,
    summary: "relation readable by anon/authenticated is visible in pg_graphql introspection (Supabase)",
    run,
};

/// The API roles, with the splinter lint each one's exposure is.
const ROLES: [(&str, &str); 2] = [("anon", "0026"), ("authenticated", "0027")];

fn run(cx: &Context<'_>) -> Vec<Finding> {
    if !cx.scope.supabase || !cx.facts.graphql {
        return Vec::new();
    }
    let mut out = Vec::new();
    let tables = cx.catalog.tables.iter().map(|t| {
        let readers: Vec<&str> = ROLES
            .iter()
            .filter(|(r, _)| cx.access.on_table(r, t, Privilege::Select))
            .map(|(r, _)| *r)
            .collect();
        (t.name.to_string(), readers)
    });
    let views = cx.catalog.views.iter().map(|v| {
        let readers: Vec<&str> = ROLES
            .iter()
            .filter(|(r, _)| cx.access.on_view(r, v, Privilege::Select))
            .map(|(r, _)| *r)
            .collect();
        (v.name.to_string(), readers)
    });
    for (name, readers) in tables.chain(views) {
        for (role, lint) in ROLES.iter().filter(|(r, _)| readers.contains(r)) {
            out.push(CHECK.finding(
                CHECK.level,
                &name,
                Some(role),
                format!(
                    "pg_graphql is present and {role} can select {name}: its name, columns and \
                     relations are listed in GraphQL introspection (splinter {lint})"
                ),
                Some(format!(
                    "REVOKE SELECT ON {name} FROM {role}; -- if {role} must read it, accept \
                     that the GraphQL schema shows it"
                )),
            ));
        }
    }
    out
}
