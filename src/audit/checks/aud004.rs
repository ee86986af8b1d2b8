//! AUD004 `audit_trigger_records_definer` (issue 15; RLS-SEMANTICS 6.4): a
//! SECURITY DEFINER trigger function that writes an audit log (see `trail`)
//! and reads `current_user` (or `current_role`). Inside a definer function
//! that is the function's owner, never the caller: every entry names the
//! definer, and who did it is lost. The caller is the role the session acts as
//! (`current_setting('role')`, `session_user` without SET ROLE) and the actor
//! the request's user (`auth.uid()`, the user setting).

use super::trail::{audit_logs, mentions_word};
use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::FunctionBody;

/// The check.
pub const CHECK: Check = Check {
    id: "AUD004",
    name: "audit_trigger_records_definer",
    level: Level::Error,
    summary: "SECURITY DEFINER audit trigger records current_user (its owner), not the caller",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for log in audit_logs(cx) {
        for f in log.writers.iter().filter(|f| f.security_definer) {
            let (FunctionBody::Source(body) | FunctionBody::SqlStandard(body)) = &f.body;
            let Some(word) = ["current_user", "current_role"]
                .into_iter()
                .find(|w| mentions_word(body, w))
            else {
                continue;
            };
            let signature = format!("{}({})", f.name, f.identity_arguments);
            if seen.contains(&signature) {
                continue;
            }
            seen.push(signature.clone());
            out.push(CHECK.finding(
                CHECK.level,
                &signature,
                None,
                format!(
                    "writes the audit log {} and reads {word}, which in a SECURITY DEFINER function is its owner {}: every entry names the definer, not the caller",
                    log.table.name, f.owner
                ),
                Some(format!(
                    "-- in {signature}, record coalesce(nullif(current_setting('role'), 'none'), session_user) as the caller and the request's user (auth.uid(), current_setting('app.user_id', true)) as the actor"
                )),
            ));
        }
    }
    out
}
