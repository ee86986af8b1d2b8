//! PRV008 `default_privileges_expose_new_objects` (RLS-SEMANTICS 6.3, L13,
//! Supabase guide): `ALTER DEFAULT PRIVILEGES` grants table or sequence
//! privileges to client roles, so new tables and partitions are born exposed
//! (before anyone enables RLS on them).

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::{DefaultObjectType, Grantee};

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
    let wanted = |d: &&crate::catalog::DefaultPrivilege| {
        matches!(
            d.object_type,
            DefaultObjectType::Tables | DefaultObjectType::Sequences
        )
    };
    for d in cx.catalog.default_privileges.iter().filter(wanted) {
        let grantee = match &d.grantee {
            Grantee::Public => "PUBLIC".to_string(),
            Grantee::Role(r) if cx.clients().contains(r) => r.clone(),
            Grantee::Role(_) => continue,
        };
        let schema = d.schema.clone().unwrap_or_else(|| "*".to_string());
        let kind = d.object_type.as_sql().to_lowercase();
        groups
            .entry((d.owner.clone(), schema, kind, grantee))
            .or_default()
            .push(d.privilege.as_sql().to_string());
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
