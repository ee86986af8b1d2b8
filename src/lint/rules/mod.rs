//! The rule registry: one file per rule, each with a stable id, a name, a level
//! and its check. Adding a rule is one file and one line in [`RULES`].

mod alter_column_type;
mod constraint_without_not_valid;
mod disable_rls;
mod drop_column;
mod drop_policy;
mod drop_table;
mod grant_tenant_table;
mod index_not_concurrent;
mod meta;
mod no_force_rls;
mod not_null_without_default;
mod permissive_policy;
mod set_not_null;
mod table_without_rls;
mod table_without_tenant;
mod transaction_control;
mod volatile_default;

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableCmd, AlterTableType, ObjectType};

use super::context::{Cx, Hit};
use super::finding::Level;
use super::names;
use crate::sql::QualifiedName;

pub use meta::{ALLOW_MALFORMED, ALLOW_UNUSED, SYNTAX};

/// One lint rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable id (`MIG001`), the one `-- rlsctl:allow` names.
    pub id: &'static str,
    /// Short name (`index-not-concurrent`).
    pub name: &'static str,
    /// Level of its findings (a finding may say otherwise, as MIG015 does without
    /// a declaration).
    pub level: Level,
    /// One line on what it finds.
    pub summary: &'static str,
    /// The check; `None` for the rules the engine applies itself (syntax, allows).
    pub check: Option<fn(&Cx) -> Vec<Hit>>,
}

/// Every rule, in id order.
pub const RULES: &[&Rule] = &[
    &SYNTAX,
    &index_not_concurrent::RULE,
    &volatile_default::RULE,
    &not_null_without_default::RULE,
    &set_not_null::RULE,
    &alter_column_type::RULE,
    &drop_column::RULE,
    &drop_table::RULE,
    &constraint_without_not_valid::RULE,
    &disable_rls::RULE,
    &no_force_rls::RULE,
    &drop_policy::RULE,
    &permissive_policy::RULE,
    &grant_tenant_table::RULE,
    &table_without_rls::RULE,
    &table_without_tenant::RULE,
    &transaction_control::RULE,
    &ALLOW_MALFORMED,
    &ALLOW_UNUSED,
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// The commands of an `ALTER TABLE` statement, with the table they alter.
fn alter_commands<'a>(
    cx: &Cx<'a>,
) -> Option<(QualifiedName, Vec<(&'a AlterTableCmd, AlterTableType)>)> {
    let NodeEnum::AlterTableStmt(a) = cx.node() else {
        return None;
    };
    if a.objtype != ObjectType::ObjectTable as i32 {
        return None;
    }
    let table = cx.table(a.relation.as_ref()?);
    let cmds = a
        .cmds
        .iter()
        .filter_map(|c| match &c.node {
            Some(NodeEnum::AlterTableCmd(cmd)) => Some((
                cmd.as_ref(),
                AlterTableType::try_from(cmd.subtype).unwrap_or(AlterTableType::Undefined),
            )),
            _ => None,
        })
        .collect();
    Some((table, cmds))
}

/// Whether the statement is a `CREATE TABLE IF NOT EXISTS` of a table an earlier
/// statement created: it does nothing.
fn again(cx: &Cx, table: &QualifiedName) -> bool {
    matches!(cx.node(), NodeEnum::CreateStmt(c) if c.if_not_exists)
        && cx.history.table(table).is_some()
}

/// Whether an `ALTER TABLE` of a later statement does `what` to `table`.
fn later_alter(cx: &Cx, table: &QualifiedName, what: AlterTableType) -> bool {
    cx.later().iter().any(|s| match &s.node {
        NodeEnum::AlterTableStmt(a) => {
            a.relation
                .as_ref()
                .is_some_and(|r| r.relname == table.name && cx.table(r) == *table)
                && a.cmds.iter().any(|c| {
                    matches!(&c.node, Some(NodeEnum::AlterTableCmd(cmd)) if cmd.subtype == what as i32)
                })
        }
        _ => false,
    })
}

/// The (table, policy) pairs a `DROP POLICY` statement drops.
fn dropped_policies(node: &NodeEnum, search_path: &str) -> Vec<(QualifiedName, String)> {
    let NodeEnum::DropStmt(d) = node else {
        return vec![];
    };
    if d.remove_type != ObjectType::ObjectPolicy as i32 {
        return vec![];
    }
    d.objects
        .iter()
        .filter_map(|o| {
            let Some(NodeEnum::List(l)) = &o.node else {
                return None;
            };
            let parts = names::strings(&l.items);
            let (policy, table) = parts.split_last()?;
            Some((names::from_parts(table, search_path)?, policy.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_in_order() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        assert!(
            RULES
                .iter()
                .all(|r| r.id.starts_with("MIG") && !r.summary.is_empty())
        );
    }
}
