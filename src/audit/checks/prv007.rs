//! PRV007 `client_can_create_objects` (RLS-SEMANTICS 6.3, L30): CREATE on a
//! scanned schema or on the database for a client role (functions, views,
//! triggers, search_path shadowing).

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "PRV007",
    name: "client_can_create_objects",
    level: Level::Warn,
    summary: "client role may CREATE in a scanned schema or the database",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &cx.catalog.schemas {
        let creators: Vec<String> = cx
            .clients()
            .iter()
            .filter(|r| cx.access.holds(r, &s.acl, &s.owner, &[], Privilege::Create))
            .cloned()
            .collect();
        if !creators.is_empty() {
            out.push(CHECK.finding(
                CHECK.level,
                &format!("schema {}", s.name),
                None,
                format!(
                    "{} may create objects in {} (shadowing functions, trojan triggers)",
                    creators.join(", "),
                    s.name
                ),
                Some(format!(
                    "REVOKE CREATE ON SCHEMA {} FROM {};",
                    crate::sql::quote_ident(&s.name),
                    super::roles_sql(&creators)
                )),
            ));
        }
    }
    let database_creators: Vec<String> = cx
        .clients()
        .iter()
        .filter(|r| cx.access.on_database(r, Privilege::Create))
        .cloned()
        .collect();
    if !database_creators.is_empty() {
        out.push(CHECK.finding(
            CHECK.level,
            &"database",
            None,
            format!(
                "{} may create schemas in the database",
                database_creators.join(", ")
            ),
            Some(format!(
                "REVOKE CREATE ON DATABASE <db> FROM {};",
                super::roles_sql(&database_creators)
            )),
        ));
    }
    out
}
