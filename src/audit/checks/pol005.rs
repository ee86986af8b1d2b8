//! POL005 `dml_using_broader_than_select` (RLS-SEMANTICS 6.2, L09, `[E8]`,
//! `[E8b]`): an UPDATE/DELETE policy whose USING mentions no session context
//! (e.g. `USING (true)`) while the SELECT policies do: a targeted statement
//! touches nothing, an unqualified one rewrites or deletes every tenant's rows.

use super::{Check, Context, PolicyRef};
use crate::audit::{Finding, Level};
use crate::catalog::{PolicyCommand, Privilege};

/// The check.
pub const CHECK: Check = Check {
    id: "POL005",
    name: "dml_using_broader_than_select",
    level: Level::Error,
    summary: "UPDATE/DELETE policy admits rows the SELECT policies do not",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for role in cx.clients() {
            let select = cx.effective(t, role, PolicyCommand::Select);
            let select_scoped = !select.permissive.is_empty()
                && select.permissive.iter().all(|p| {
                    p.using
                        .as_ref()
                        .is_some_and(|u| u.mentions_context(&cx.helpers))
                });
            if !select_scoped {
                continue;
            }
            for (command, privilege) in [
                (PolicyCommand::Update, Privilege::Update),
                (PolicyCommand::Delete, Privilege::Delete),
            ] {
                if !cx.access.on_table(role, t, privilege) {
                    continue;
                }
                for p in cx.effective(t, role, command).permissive {
                    if p.policy.command != command {
                        continue;
                    }
                    let Some(using) = &p.using else { continue };
                    if using.mentions_context(&cx.helpers) || !using.sub_selects().is_empty() {
                        continue;
                    }
                    out.push(CHECK.finding(
                        CHECK.level,
                        &PolicyRef(t, &p.policy.name),
                        Some(role),
                        format!(
                            "{} USING ({}) is not scoped to the caller while SELECT is {}: an unqualified {} as {role} reaches every tenant's rows",
                            privilege.as_sql(),
                            p.policy.using.as_deref().unwrap_or(""),
                            select.render(),
                            privilege.as_sql()
                        ),
                        Some(format!("-- ALTER POLICY {} ON {} USING (<the SELECT policy's tenant predicate>);", crate::sql::quote_ident(&p.policy.name), t.name)),
                    ));
                }
            }
        }
    }
    out
}
