//! RLS003 `owner_bypass_reachable` (RLS-SEMANTICS 6.1, L03, `[E1]`, pgrls
//! SEC002/SEC048): RLS is on but not forced, so the owner bypasses it. ERROR
//! when a client role is the owner or can act as it; INFO otherwise (the
//! application login may still be the owner).

use super::{Check, Context, list};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "RLS003",
    name: "owner_bypass_reachable",
    level: Level::Error,
    summary: "RLS not forced and the table owner is reachable: owner reads bypass policies",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.rls_tables()
        .filter(|t| !t.rls_forced)
        .filter_map(|t| {
            let reaching: Vec<String> = cx
                .clients()
                .iter()
                .filter(|r| cx.access.can_act_as(r, &t.owner))
                .cloned()
                .collect();
            let fix = Some(format!("ALTER TABLE {} FORCE ROW LEVEL SECURITY;", t.name));
            if !reaching.is_empty() {
                Some(CHECK.finding(
                    Level::Error,
                    &t.name,
                    None,
                    format!(
                        "owner {} bypasses RLS (not forced) and client roles {} can act as it",
                        t.owner,
                        list(&reaching)
                    ),
                    fix,
                ))
            } else if !cx.row_clients(t).is_empty() {
                Some(CHECK.finding(
                    Level::Info,
                    &t.name,
                    None,
                    format!(
                        "RLS is not forced: the owner {} (and any login that is it) bypasses every policy",
                        t.owner
                    ),
                    fix,
                ))
            } else {
                None
            }
        })
        .collect()
}
