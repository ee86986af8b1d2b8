//! PRV008 `default_privileges_expose_new_objects` (RLS-SEMANTICS 6.3, L13,
//! Supabase guide): `ALTER DEFAULT PRIVILEGES` grants table or sequence
//! privileges to client roles, so new tables and partitions are born exposed
//! (before anyone enables RLS on them).

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "PRV008",
    name: "default_privileges_expose_new_objects",
    level: Level::Warn,
    summary: "default privileges grant new tables/sequences to client roles",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut groups: std::collections::BTreeMap<(String, String, String, String), Vec<String>> =
        Default::default();
    for d in cx
        .facts
        .default_privileges
        .iter()
        .filter(|d| d.object_type == "tables" || d.object_type == "sequences")
    {
        if d.grantee == "PUBLIC" || cx.clients().contains(&d.grantee) {
            let schema = d.schema.clone().unwrap_or_else(|| "*".to_string());
            groups
                .entry((
                    d.owner.clone(),
                    schema,
                    d.object_type.clone(),
                    d.grantee.clone(),
                ))
                .or_default()
                .push(d.privilege.clone());
        }
    }
    groups
        .into_iter()
        .map(|((owner, schema, kind, grantee), privileges)| {
            let in_schema = if schema == "*" { String::new() } else { format!(" IN SCHEMA {}", crate::sql::quote_ident(&schema)) };
            let grantee_sql = if grantee == "PUBLIC" { grantee.clone() } else { crate::sql::quote_ident(&grantee) };
            CHECK.finding(
                CHECK.level,
                &format!("default privileges of {owner} in {schema}"),
                Some(&format!("{kind}:{grantee}")),
                format!("new {kind} created by {owner} get {} for {grantee} before RLS is enabled on them", privileges.join(", ")),
                Some(format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}{in_schema} REVOKE ALL ON {} FROM {grantee_sql};", crate::sql::quote_ident(&owner), kind.to_uppercase())),
            )
        })
        .collect()
}
