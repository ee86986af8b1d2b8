//! MIG011: `DROP POLICY` without a `CREATE POLICY` of the same name on the same
//! table later in the file. Dropping a restrictive policy widens access; dropping
//! a permissive one may lock users out. Dropping and creating again (to change
//! what ALTER POLICY cannot) is the clean form.

use pg_query::NodeEnum;

use super::{Rule, dropped_policies};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::sql::quote_ident;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG011",
    name: "drop-policy",
    level: Level::Error,
    summary: "DROP POLICY without a CREATE POLICY of the same name on the same table later in the file",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    dropped_policies(cx.node(), cx.search_path)
        .into_iter()
        .filter(|(table, policy)| {
            !cx.later().iter().any(|s| {
                matches!(&s.node, NodeEnum::CreatePolicyStmt(p)
                    if p.policy_name == *policy
                        && p.table.as_ref().is_some_and(|r| cx.table(r) == *table))
            })
        })
        .map(|(table, policy)| {
            cx.hit(
                format!(
                    "DROP POLICY {} ON {table} without a CREATE POLICY of that name on it later in this file: what the policy enforced is gone",
                    quote_ident(&policy)
                ),
                "create its replacement in the same file (or use ALTER POLICY); if the policy is no longer needed, say why: `-- rlsctl:allow MIG011 <reason>`",
            )
        })
        .collect()
}
