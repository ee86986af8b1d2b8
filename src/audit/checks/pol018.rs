//! POL018 `dead_permissive_policy` (RLS-SEMANTICS 6.2, `[E5c]`, `[E5e]`;
//! corrects sp 0024 / pgrls SEC006): a permissive policy without the expression
//! its command needs admits nothing: INSERT without WITH CHECK, or
//! SELECT/UPDATE/DELETE/ALL without USING. Not an open door.

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};
use crate::catalog::PolicyCommand;

/// The check.
pub const CHECK: Check = Check {
    id: "POL018",
    name: "dead_permissive_policy",
    level: Level::Info,
    summary: "permissive policy without the expression its command needs: admits nothing",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for p in cx.policies(t).iter().filter(|p| p.permissive()) {
            let pol = p.policy;
            let dead = match pol.command {
                PolicyCommand::Insert => pol.with_check.is_none(),
                PolicyCommand::All => pol.using.is_none() && pol.with_check.is_none(),
                _ => pol.using.is_none(),
            };
            if dead {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &pol.name),
                    None,
                    format!(
                        "permissive {} policy without {}: it admits no row (dead, not open)",
                        pol.command.keyword(),
                        if pol.command == PolicyCommand::Insert {
                            "WITH CHECK"
                        } else {
                            "USING"
                        }
                    ),
                    Some(format!(
                        "DROP POLICY {} ON {}; -- or give it its expression",
                        crate::sql::quote_ident(&pol.name),
                        t.name
                    )),
                ));
            }
        }
    }
    out
}
