//! SB006 `sensitive_columns_exposed` (RLS-SEMANTICS 6.7 Supabase pack,
//! splinter 0023, L36): a table without RLS that the API roles can read has
//! columns whose names suggest secrets (password, token, ssn, ...).

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "SB006",
    name: "sensitive_columns_exposed",
    level: Level::Error,
    summary: "API-readable table without RLS holds sensitive-looking columns (Supabase)",
    run,
};

const SENSITIVE: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "ssn",
    "social_security",
    "credit_card",
    "card_number",
    "cvv",
    "iban",
    "private_key",
    "totp",
];

fn run(cx: &Context<'_>) -> Vec<Finding> {
    if !cx.scope.supabase {
        return Vec::new();
    }
    let mut out = Vec::new();
    for t in cx.catalog.tables.iter().filter(|t| !t.rls_enabled) {
        let readers = cx.clients_with(t, &[Privilege::Select]);
        if readers.is_empty() {
            continue;
        }
        let columns: Vec<String> = t
            .columns
            .iter()
            .filter(|c| {
                let name = c.name.to_lowercase();
                SENSITIVE.iter().any(|s| name.contains(s))
            })
            .map(|c| c.name.clone())
            .collect();
        if !columns.is_empty() {
            out.push(CHECK.finding(
                CHECK.level,
                &t.name,
                None,
                format!(
                    "{} can read columns {} of every row (no RLS)",
                    list(&readers),
                    columns.join(", ")
                ),
                Some(format!(
                    "ALTER TABLE {} ENABLE ROW LEVEL SECURITY; -- and REVOKE SELECT ({}) from the API roles",
                    t.name,
                    columns.join(", ")
                )),
            ));
        }
    }
    out
}
