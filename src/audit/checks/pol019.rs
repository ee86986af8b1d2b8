//! POL019 `restrictive_noop` (RLS-SEMANTICS 6.2, `[E5b]`, `[E5e]`): a
//! restrictive policy without expressions restricts nothing (INSERT without
//! WITH CHECK; ALL with neither).

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};
use crate::catalog::PolicyCommand;

/// The check.
pub const CHECK: Check = Check {
    id: "POL019",
    name: "restrictive_noop",
    level: Level::Warn,
    summary: "restrictive policy without expressions: restricts nothing",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for p in cx.policies(t).iter().filter(|p| !p.permissive()) {
            let pol = p.policy;
            let noop = match pol.command {
                PolicyCommand::Insert => pol.with_check.is_none(),
                PolicyCommand::All => pol.using.is_none() && pol.with_check.is_none(),
                _ => pol.using.is_none(),
            };
            if noop {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &pol.name),
                    None,
                    format!(
                        "restrictive {} policy without an expression restricts nothing",
                        pol.command.keyword()
                    ),
                    Some(format!(
                        "ALTER POLICY {} ON {} WITH CHECK (<the restriction>);",
                        crate::sql::quote_ident(&pol.name),
                        t.name
                    )),
                ));
            }
        }
    }
    out
}
