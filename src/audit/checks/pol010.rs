//! POL010 `client_controlled_authority` (RLS-SEMANTICS 6.2, L24, sp 0015,
//! pgrls SEC033): a policy reads inputs the client controls: Supabase
//! `user_metadata` / `raw_user_meta_data`, PostgREST `request.headers`,
//! `request.header.*`, `request.cookies`.

use super::{Check, Context, PolicyRef};
use crate::audit::expr::all_strings;
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL010",
    name: "client_controlled_authority",
    level: Level::Error,
    summary: "policy trusts client-controlled input (user_metadata, request headers, cookies)",
    run,
};

const MARKERS: &[&str] = &[
    "user_metadata",
    "raw_user_meta_data",
    "request.headers",
    "request.header.",
    "request.cookies",
    "request.cookie.",
];

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for p in cx.policies(t) {
            let strings: Vec<String> = [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .flat_map(all_strings)
                .collect();
            let hits: Vec<&str> = MARKERS
                .iter()
                .copied()
                .filter(|m| strings.iter().any(|s| s.contains(m)))
                .collect();
            if !hits.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    format!("decides on {}, which the client can set itself", hits.join(", ")),
                    Some("-- decide on server-issued claims (auth.uid(), app_metadata) or membership rows".to_string()),
                ));
            }
        }
    }
    out
}
