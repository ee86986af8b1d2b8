//! POL011 `no_row_reference` (RLS-SEMANTICS 6.2, pgrls SEC005): USING or WITH
//! CHECK references no column of its table: it gates by who, not which row.
//! Permissive policies only: a restrictive one gating by caller (`role in
//! ('owner', 'admin')`) narrows the permissive tenant policies, as intended.
//! Constant expressions are POL001/POL002/POL020's.

use super::{Check, Context, PolicyRef};
use crate::audit::eval::{always_false, always_true};
use crate::audit::expr::{Expr, column_refs};
use crate::audit::{Finding, Level};
use crate::catalog::Table;

/// The check.
pub const CHECK: Check = Check {
    id: "POL011",
    name: "no_row_reference",
    level: Level::Warn,
    summary: "policy expression references no column of its table",
    run,
};

/// Whether the expression reads a column of `table` (directly, or from a
/// sub-select, qualified by the table's name or unqualified).
fn references_row(e: &Expr, table: &Table) -> bool {
    if e.columns().iter().any(|c| table.column(c).is_some()) {
        return true;
    }
    // `(select private.is_member(org_id))`: a sub-select without FROM that reads
    // the row is correlated, evaluated per row.
    let mut in_wrapper = false;
    e.walk_deep(&mut |x| {
        if let Expr::Column(parts) = x
            && parts.last().is_some_and(|c| table.column(c).is_some())
        {
            in_wrapper = true;
        }
    });
    if in_wrapper {
        return true;
    }
    e.sub_selects().iter().any(|tree| {
        column_refs(tree)
            .iter()
            .any(|parts| match parts.as_slice() {
                [qualifier, column] => {
                    *qualifier == table.name.name && table.column(column).is_some()
                }
                [column] => table.column(column).is_some() && column != "id",
                _ => false,
            })
    })
}

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        for p in cx.policies(t).iter().filter(|p| p.permissive()) {
            if cx.clients_of(p).is_empty() {
                continue;
            }
            for (clause, parsed) in [("USING", &p.using), ("WITH CHECK", &p.with_check)] {
                let Some(e) = parsed else { continue };
                if always_true(e) || always_false(e) || references_row(e, t) {
                    continue;
                }
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    Some(clause),
                    format!("{clause} references no column of {}: every row passes or none does, depending only on the caller", t.name),
                    Some("-- compare the row's owner/tenant column with the caller's context".to_string()),
                ));
            }
        }
    }
    out
}
