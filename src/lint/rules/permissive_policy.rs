//! MIG012: a permissive policy added to a table that already has policies.
//! Permissive policies are OR-ed: the new one widens what every role it names may
//! see or write, whatever the others say.
//!
//! Not a finding: the policies of a table created in the same file, or the first
//! policies of a table an earlier migration created without any (that is the
//! table's initial set); `AS RESTRICTIVE` (AND-ed: it only narrows); a policy
//! replacing one of the same name dropped earlier in the file. A table the
//! migrations never create is assumed to have policies.

use pg_query::NodeEnum;

use super::{Rule, dropped_policies};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::sql::quote_ident;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG012",
    name: "permissive-policy-added",
    level: Level::Warning,
    summary: "CREATE POLICY without AS RESTRICTIVE on a table that already has policies",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let NodeEnum::CreatePolicyStmt(p) = cx.node() else {
        return vec![];
    };
    let Some(rel) = &p.table else {
        return vec![];
    };
    let table = cx.table(rel);
    if !p.permissive || !cx.existing(&table) {
        return vec![];
    }
    let replaces = cx.earlier().iter().any(|s| {
        dropped_policies(&s.node, cx.search_path)
            .iter()
            .any(|(t, name)| *t == table && *name == p.policy_name)
    });
    let first = cx.history.table(&table).is_some() && !cx.history.had_policies(&table);
    if replaces || first {
        return vec![];
    }
    vec![cx.hit(
        format!(
            "permissive policy {} added to {table}, which already has policies: permissive policies are OR-ed, so it widens access for the roles it names",
            quote_ident(&p.policy_name)
        ),
        "make it AS RESTRICTIVE if it should narrow access, or make sure its expression keeps the tenant predicate (`rlsctl verify` proves isolation)",
    )]
}
