//! BYP010 `rewrite_rule_on_client_table` (RLS-SEMANTICS 6.4, L31, `[E35]`):
//! a non-SELECT rewrite rule (`ON INSERT/UPDATE/DELETE DO ALSO/INSTEAD`) on a
//! relation; its actions run with the owner's rights.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::RuleEvent;

/// The check.
pub const CHECK: Check = Check {
    id: "BYP010",
    name: "rewrite_rule_on_client_table",
    level: Level::Warn,
    summary: "rewrite rule whose actions run with the table owner's rights",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.catalog
        .rules
        .iter()
        .filter(|r| r.event != RuleEvent::Select)
        .filter(|r| cx.catalog.table(&r.relation).is_none_or(|t| !cx.row_clients(t).is_empty()))
        .map(|r| {
            let (name, rule, event) = (&r.relation, &r.name, format!("{:?}", r.event).to_uppercase());
            CHECK.finding(
                CHECK.level,
                name,
                Some(rule),
                format!("rule {rule} ON {event} runs its actions as the owner, outside the caller's policies"),
                Some(format!("DROP RULE {} ON {name}; -- use a SECURITY INVOKER trigger", crate::sql::quote_ident(rule))),
            )
        })
        .collect()
}
