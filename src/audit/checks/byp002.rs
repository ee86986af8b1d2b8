//! BYP002 `matview_exposed` (RLS-SEMANTICS 6.4, L28, `[E22]`, sp 0016): a
//! materialized view selectable by clients; RLS can't be enabled on it. ERROR
//! when it reads RLS tables.

use super::{Check, Context, list};
use crate::audit::{Finding, Level};
use crate::catalog::{Privilege, ViewKind};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP002",
    name: "matview_exposed",
    level: Level::Warn,
    summary: "materialized view selectable by a client role (no RLS possible)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for v in cx
        .catalog
        .views
        .iter()
        .filter(|v| v.kind == ViewKind::MaterializedView)
    {
        let readers: Vec<String> = cx
            .clients()
            .iter()
            .filter(|r| cx.access.on_view(r, v, Privilege::Select))
            .cloned()
            .collect();
        if readers.is_empty() {
            continue;
        }
        let rls: Vec<String> = v
            .depends_on
            .iter()
            .filter_map(|d| cx.catalog.table(d))
            .filter(|t| t.rls_enabled)
            .map(|t| t.name.to_string())
            .collect();
        let (level, extra) = if rls.is_empty() {
            (Level::Warn, String::new())
        } else {
            (
                Level::Error,
                format!(", and it copies RLS tables {}", rls.join(", ")),
            )
        };
        out.push(CHECK.finding(
            level,
            &v.name,
            None,
            format!(
                "{} can read it and RLS cannot apply to a materialized view{extra}",
                list(&readers)
            ),
            Some(format!(
                "REVOKE SELECT ON {} FROM {};",
                v.name,
                super::roles_sql(&readers)
            )),
        ));
    }
    out
}
