//! BYP008 `filtering_view_without_barrier` (RLS-SEMANTICS 6.4, L12, `[E34]`,
//! rules-privileges): a client-readable view that filters rows by the session
//! context without `security_barrier`: a cheap caller-supplied function in the
//! caller's WHERE runs before the view's filter and sees every row.

use super::{Check, Context, list};
use crate::audit::expr::{Expr, function_names};
use crate::audit::{Finding, Level};
use crate::catalog::{Privilege, ViewKind};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP008",
    name: "filtering_view_without_barrier",
    level: Level::Warn,
    summary: "context-filtering view without security_barrier",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for v in cx
        .catalog
        .views
        .iter()
        .filter(|v| v.kind == ViewKind::View && !v.security_barrier)
    {
        let Ok(tree) = pg_query::parse(&v.definition, 0) else {
            continue;
        };
        let Ok(json) = serde_json::to_value(&tree.protobuf) else {
            continue;
        };
        let filters = function_names(&json)
            .into_iter()
            .any(|name| Expr::Call(name, Vec::new()).is_context_call(&cx.helpers));
        if !filters {
            continue;
        }
        let readers: Vec<String> = cx
            .clients()
            .iter()
            .filter(|r| cx.access.on_view(r, v, Privilege::Select))
            .cloned()
            .collect();
        if readers.is_empty() {
            continue;
        }
        out.push(CHECK.finding(
            CHECK.level,
            &v.name,
            None,
            format!("filters by the session context without security_barrier; {} can push a leaky function below the filter", list(&readers)),
            Some(format!("ALTER VIEW {} SET (security_barrier = true); -- or use RLS on the table", v.name)),
        ));
    }
    out
}
