//! POL014 `policy_reads_unprotected_table` (RLS-SEMANTICS 6.2, L25, `[E29]`,
//! pgrls SEC025): a policy's sub-select reads a table without RLS (membership,
//! ACL). ERROR when clients can write that table (they grant themselves access).
//! The fix revokes the writes only: the policy reads the table as the querying
//! role, so that role keeps SELECT and must still see the rows it needs.

use super::{Check, Context, PolicyRef, list, roles_sql};
use crate::audit::expr::{names_table, relations};
use crate::audit::{Finding, Level};
use crate::catalog::Privilege;

/// The check.
pub const CHECK: Check = Check {
    id: "POL014",
    name: "policy_reads_unprotected_table",
    level: Level::Error,
    summary: "policy decides on a table without RLS (ERROR when clients can write it)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t) {
            if cx.clients_of(p).is_empty() {
                continue;
            }
            let mut read = Vec::new();
            for e in [&p.using, &p.with_check].into_iter().flatten() {
                for tree in e.sub_selects() {
                    read.extend(relations(tree));
                }
            }
            let mut seen = Vec::new();
            for other in cx
                .catalog
                .tables
                .iter()
                .filter(|o| !o.rls_enabled && o.name != t.name)
            {
                if !read.iter().any(|r| names_table(r, &other.name)) || seen.contains(&other.name) {
                    continue;
                }
                seen.push(other.name.clone());
                let writers = cx.clients_with(other, &[Privilege::Insert, Privilege::Update]);
                let (level, why) = if writers.is_empty() {
                    (
                        Level::Warn,
                        "its rows decide access but it has no RLS".to_string(),
                    )
                } else {
                    (
                        Level::Error,
                        format!(
                            "{} can write it and so grant themselves access",
                            list(&writers)
                        ),
                    )
                };
                // The policies read it as these roles: enabling RLS without a SELECT
                // policy for them, or revoking their SELECT, would break them.
                let readers = cx.policy_readers(other);
                let keep = format!(
                    "the policies read it as {}, which keep SELECT; ENABLE ROW LEVEL SECURITY on it only \
                     together with CREATE POLICY ... FOR SELECT TO {} USING (<the rows they need>)",
                    list(&readers.roles),
                    roles_sql(&readers.roles)
                );
                let fix = if writers.is_empty() {
                    format!("-- {keep}")
                } else {
                    format!(
                        "REVOKE INSERT, UPDATE ON {} FROM {}; -- {keep}",
                        other.name,
                        roles_sql(&writers)
                    )
                };
                out.push(CHECK.finding(
                    level,
                    &PolicyRef(t, &p.policy.name),
                    Some(&other.name.to_string()),
                    format!("reads {} without RLS: {why}", other.name),
                    Some(fix),
                ));
            }
        }
    }
    out
}
