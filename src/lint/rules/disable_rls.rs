//! MIG009: `DISABLE ROW LEVEL SECURITY` turns every policy of the table off:
//! whoever has a privilege on it sees and writes every tenant's rows. Not a
//! finding when the declaration says the table runs without RLS.

use pg_query::protobuf::AlterTableType;

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG009",
    name: "disable-rls",
    level: Level::Error,
    summary: "ALTER TABLE ... DISABLE ROW LEVEL SECURITY",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let Some((table, cmds)) = alter_commands(cx) else {
        return vec![];
    };
    if cx.scope.table(&table).is_some_and(|t| !t.rls_enabled) {
        return vec![];
    }
    cmds.iter()
        .filter(|(_, t)| *t == AlterTableType::AtDisableRowSecurity)
        .map(|_| {
            cx.hit(
                format!(
                    "DISABLE ROW LEVEL SECURITY on {table} turns its policies off: every role with a privilege on it reaches every tenant's rows"
                ),
                "keep RLS enabled and change the policies instead; if the table is really public, declare it so (`tenant = false`, `public = \"...\"`)",
            )
        })
        .collect()
}
