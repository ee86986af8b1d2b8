//! SB005 `insecure_queue_exposed_in_api` (RLS-SEMANTICS 6.7 Supabase pack,
//! splinter 0019, extended to partitioned tables): a pgmq queue table
//! (`pgmq.q_*`) without RLS while pgmq's API schema `pgmq_public` is exposed:
//! API clients can read, send and delete every queue's messages. pgmq_public's
//! functions run as the caller: with SELECT, INSERT, UPDATE and DELETE revoked
//! from the client roles, reach `none`.

use super::{Check, Context};
use crate::audit::{Finding, Level, Reach};

/// The check.
pub const CHECK: Check = Check {
    id: "SB005",
    name: "insecure_queue_exposed_in_api",
    level: Level::Error,
    summary: "pgmq queue table without RLS while pgmq_public is exposed in the API (Supabase)",
    run,
};

/// pgmq's API schema (wrappers over the `pgmq` schema's functions).
const API_SCHEMA: &str = "pgmq_public";

fn run(cx: &Context<'_>) -> Vec<Finding> {
    if !cx.scope.supabase || !cx.scope.schemas.iter().any(|s| s == API_SCHEMA) {
        return Vec::new();
    }
    cx.facts
        .open_queues
        .iter()
        .map(|q| {
            let name = format!("pgmq.{}", crate::sql::quote_ident(&q.name));
            let finding = CHECK.finding(
                CHECK.level,
                &name,
                None,
                if q.clients.is_empty() {
                    format!(
                        "{}queue table without RLS while {API_SCHEMA} is exposed in the API, but no \
                         client role holds SELECT, INSERT, UPDATE or DELETE on it",
                        if q.partitioned { "partitioned " } else { "" }
                    )
                } else {
                    format!(
                        "{}queue table without RLS while {API_SCHEMA} is exposed in the API: \
                         {} can read, send and delete its messages",
                        if q.partitioned { "partitioned " } else { "" },
                        super::list(&q.clients)
                    )
                },
                Some(format!("ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;")),
            );
            if q.clients.is_empty() {
                finding.with_reach(Reach::None)
            } else {
                finding.with_reach(Reach::Api)
            }
        })
        .collect()
}
