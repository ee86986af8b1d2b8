//! MIG010: `NO FORCE ROW LEVEL SECURITY` exempts the table's owner from its
//! policies again; code running as the owner (migrations, definer functions,
//! the owner's own login) then reaches every tenant's rows. Not a finding when the
//! declaration says the table is not forced (`force = false` with a reason).

use pg_query::protobuf::AlterTableType;

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG010",
    name: "no-force-rls",
    level: Level::Error,
    summary: "ALTER TABLE ... NO FORCE ROW LEVEL SECURITY",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let Some((table, cmds)) = alter_commands(cx) else {
        return vec![];
    };
    if cx.scope.table(&table).is_some_and(|t| !t.rls_forced) {
        return vec![];
    }
    cmds.iter()
        .filter(|(_, t)| *t == AlterTableType::AtNoForceRowSecurity)
        .map(|_| {
            cx.hit(
                format!(
                    "NO FORCE ROW LEVEL SECURITY on {table} exempts its owner from the policies: definer functions and the owner's sessions reach every tenant's rows"
                ),
                "keep FORCE ROW LEVEL SECURITY; if the owner must bypass, declare `force = false` with `force_reason` for the table",
            )
        })
        .collect()
}
