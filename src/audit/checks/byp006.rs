//! BYP006 `view_calls_secdef_reading_rls` (RLS-SEMANTICS 6.4, pgrls VIEW004):
//! a client-readable view (even `security_invoker`) calls a SECURITY DEFINER
//! function whose owner bypasses RLS on a table its body names.

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::{FunctionBody, Privilege};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP006",
    name: "view_calls_secdef_reading_rls",
    level: Level::Warn,
    summary: "view calls a SECURITY DEFINER function that reads RLS tables",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for v in &cx.catalog.views {
        let readers: Vec<String> = cx
            .clients()
            .iter()
            .filter(|r| cx.access.on_view(r, v, Privilege::Select))
            .cloned()
            .collect();
        if readers.is_empty() {
            continue;
        }
        for call in &v.calls {
            let Some(f) = cx
                .catalog
                .function(&call.name, &call.identity_arguments)
                .filter(|f| f.security_definer)
            else {
                continue;
            };
            let body = match &f.body {
                FunctionBody::Source(s) | FunctionBody::SqlStandard(s) => s.to_lowercase(),
            };
            let bypassed_tables: Vec<&crate::catalog::Table> = cx
                .rls_tables()
                .filter(|t| {
                    body.contains(&t.name.name.to_lowercase())
                        && cx.access.reads_without_rls(&f.owner, t)
                })
                .collect();
            let bypassed: Vec<String> =
                bypassed_tables.iter().map(|t| t.name.to_string()).collect();
            // SECURITY INVOKER must not break the policies that call the function.
            let callers = super::byp004::policy_callers(cx, f);
            let fix = match (!callers.roles.is_empty())
                .then(|| super::byp004::invoker_breaks(cx, f, &callers, &bypassed_tables))
                .flatten()
            {
                None => format!(
                    "ALTER FUNCTION {call} SECURITY INVOKER; -- or drop the call from the view"
                ),
                Some(why) => format!(
                    "-- drop the call from the view, or scope the function's body by the caller; \
                     not SECURITY INVOKER: {why}{}",
                    callers.note("call")
                ),
            };
            if !bypassed.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &v.name,
                    Some(&call.to_string()),
                    format!(
                        "{} read it; it calls {call}, which runs as {} and reads {} without RLS",
                        list(&readers),
                        f.owner,
                        bypassed.join(", ")
                    ),
                    Some(fix),
                ));
            }
        }
    }
    out
}
