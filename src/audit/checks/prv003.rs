//! PRV003 `client_member_of_table_owner` (RLS-SEMANTICS 6.3, pgrls SEC048):
//! a client can become the owner of an RLS table whose RLS is forced: the owner
//! can still `ALTER TABLE ... NO FORCE`/`DISABLE ROW LEVEL SECURITY` or drop
//! policies. (Unforced tables are RLS003.)

use super::{Check, Context, list};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "PRV003",
    name: "client_member_of_table_owner",
    level: Level::Error,
    summary: "client role can act as the owner of an RLS table",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.rls_tables()
        .filter(|t| t.rls_forced)
        .filter_map(|t| {
            let reaching: Vec<String> = cx
                .clients()
                .iter()
                .filter(|r| cx.access.can_act_as(r, &t.owner))
                .cloned()
                .collect();
            (!reaching.is_empty()).then(|| {
                CHECK.finding(
                    CHECK.level,
                    &t.name,
                    None,
                    format!(
                        "{} can act as the owner {}, which may disable RLS or drop policies",
                        list(&reaching),
                        t.owner
                    ),
                    Some(format!(
                        "ALTER TABLE {} OWNER TO <a role no client can become>;",
                        t.name
                    )),
                )
            })
        })
        .collect()
}
