//! BYP001 `definer_view_over_rls` (RLS-SEMANTICS 6.4, L11, `[E10]`, sp 0010,
//! pgrls VIEW001): a view without `security_invoker` reads an RLS table as its
//! owner, who bypasses RLS there (superuser, BYPASSRLS, or the table owner
//! without FORCE), and a client role can select from the view.

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::{Privilege, ViewKind};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP001",
    name: "definer_view_over_rls",
    level: Level::Error,
    summary: "view runs as an owner that bypasses RLS on the tables it reads",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for v in cx
        .catalog
        .views
        .iter()
        .filter(|v| v.kind == ViewKind::View && !v.security_invoker)
    {
        let bypassed: Vec<String> = v
            .depends_on
            .iter()
            .filter_map(|d| cx.catalog.table(d))
            .filter(|t| t.rls_enabled && cx.access.reads_without_rls(&v.owner, t))
            .map(|t| t.name.to_string())
            .collect();
        if bypassed.is_empty() {
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
            format!(
                "runs as {} which bypasses RLS on {}; {} read every tenant's rows through it",
                v.owner,
                bypassed.join(", "),
                list(&readers)
            ),
            Some(format!(
                "ALTER VIEW {} SET (security_invoker = true);",
                v.name
            )),
        ));
    }
    out
}
