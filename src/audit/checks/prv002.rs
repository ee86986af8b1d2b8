//! PRV002 `bypass_role_reachable` (RLS-SEMANTICS 6.3, sql-set-role): a client
//! role can `SET ROLE` to a superuser or BYPASSRLS role (membership on any
//! path, NOINHERIT included; on PG 16+ only grants with SET).

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "PRV002",
    name: "bypass_role_reachable",
    level: Level::Error,
    summary: "client role can SET ROLE to a role that bypasses RLS",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for client in cx.clients() {
        let bypass: Vec<String> = cx
            .access
            .reachable(client)
            .iter()
            .filter(|r| *r != client && cx.access.bypasses_rls(r))
            .cloned()
            .collect();
        if !bypass.is_empty() {
            out.push(
                CHECK.finding(
                    CHECK.level,
                    &format!("role {client}"),
                    None,
                    format!(
                        "{client} can SET ROLE to {} (bypasses RLS)",
                        bypass.join(", ")
                    ),
                    Some(
                        bypass
                            .iter()
                            .map(|b| {
                                format!(
                                    "REVOKE {} FROM {};",
                                    crate::sql::quote_ident(b),
                                    crate::sql::quote_ident(client)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                ),
            );
        }
    }
    out
}
