//! Which way a policy change goes. A change whose new expressions imply the old
//! ones (on pg_query trees of PostgreSQL's normalised text, never on the text) only
//! narrows what the policy admits (a permissive one) or lets through (a
//! restrictive one): it is not a weakening. Anything else on a tenant relation is
//! an [`RlsWidened`](super::Hazard::RlsWidened) hazard that `plan` decides with
//! the isolation proof ([`Proof`]).

use pg_query::NodeEnum;
use pg_query::protobuf::{BoolExprType, Node};
use serde::Serialize;
use serde_json::Value;

use crate::catalog::{Policy, PolicyCommand};
use crate::sql::QualifiedName;

/// A change that may let more rows through the RLS of a tenant relation, in a
/// way the diff cannot judge: the isolation proof decides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Widening {
    /// The tenant relation whose policies, RLS or grants change.
    pub relation: QualifiedName,
    /// Why it may admit more rows.
    pub reason: String,
    /// What the proof said, once run.
    pub proof: Proof,
}

/// The isolation proof's decision on a [`Widening`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Proof {
    /// Not run (or it could not decide): a weakening until reviewed.
    Needed {
        /// Why no decision was reached, when the proof ran.
        #[serde(skip_serializing_if = "Option::is_none")]
        why: Option<String>,
    },
    /// The declared state was proven isolated: access widened within the tenant only.
    Isolated,
    /// The declared state leaks across tenants: refused with the witnesses.
    Leaks {
        /// Each LEAK the proof found on the relation.
        witnesses: Vec<Witness>,
    },
}

/// One LEAK of the proof, as the plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Witness {
    /// The probe (`read`, `update-targeted`, ...).
    pub probe: String,
    /// Who ran it (`user of A`).
    pub principal: String,
    /// What happened, in a sentence.
    pub detail: String,
    /// A runnable script that shows it (it rolls back).
    pub repro: Option<String>,
    /// The policies that applied.
    pub policies: Vec<String>,
}

impl Widening {
    /// A widening of `relation` the proof has yet to decide.
    pub fn unproven(relation: &QualifiedName, reason: impl Into<String>) -> Widening {
        Widening {
            relation: relation.clone(),
            reason: reason.into(),
            proof: Proof::Needed { why: None },
        }
    }
}

/// Whether `new`'s USING and (effective) WITH CHECK each imply `old`'s: the policy
/// admits (permissive) or lets through (restrictive) no row it did not before.
/// Commands, roles and modes are judged by the caller.
pub(super) fn expressions_narrowed(old: &Policy, new: &Policy) -> bool {
    // A policy without WITH CHECK checks new rows with USING (commands that write).
    let check = |p: &Policy| match p.command {
        PolicyCommand::All | PolicyCommand::Insert | PolicyCommand::Update => {
            p.with_check.clone().or_else(|| p.using.clone())
        }
        _ => p.with_check.clone(),
    };
    narrowed(old.using.as_deref(), new.using.as_deref())
        && narrowed(check(old).as_deref(), check(new).as_deref())
}

fn narrowed(old: Option<&str>, new: Option<&str>) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some(old), Some(new)) => implies_text(new, old),
        // An expression added or removed: what its absence means depends on the
        // command and the other policies; the proof decides.
        _ => false,
    }
}

/// Whether the expression `a` implies `b`, as far as the syntax trees show; false
/// when it cannot tell (or either fails to parse).
pub(super) fn implies_text(a: &str, b: &str) -> bool {
    match (expression(a), expression(b)) {
        (Some(a), Some(b)) => implies(&a, &b),
        _ => false,
    }
}

fn expression(sql: &str) -> Option<Node> {
    // One expression, nested no deeper than `MAX_NESTING` (the trees are walked
    // recursively); the checked tree is private to `sql::parse`, so parse again.
    crate::sql::parse::parse_expression(sql).ok()?;
    let tree = pg_query::parse(&format!("SELECT {sql}"), 0).ok()?;
    let stmt = tree.protobuf.stmts.first()?.stmt.as_ref()?.node.as_ref()?;
    let NodeEnum::SelectStmt(select) = stmt else {
        return None;
    };
    let NodeEnum::ResTarget(target) = select.target_list.first()?.node.as_ref()? else {
        return None;
    };
    target.val.as_deref().cloned()
}

/// `a ⇒ b`: `b` is true, or a conjunct of `a` implies `b`, or `a` implies every
/// conjunct of `b` or some disjunct of `b`, or every disjunct of `a` implies `b`,
/// or they are the same tree.
fn implies(a: &Node, b: &Node) -> bool {
    if constant(b) == Some(true) || constant(a) == Some(false) {
        return true;
    }
    if let Some(parts) = bool_args(b, BoolExprType::AndExpr) {
        return parts.iter().all(|c| implies(a, c));
    }
    if let Some(parts) = bool_args(a, BoolExprType::OrExpr) {
        return parts.iter().all(|d| implies(d, b));
    }
    if let Some(parts) = bool_args(a, BoolExprType::AndExpr)
        && parts.iter().any(|c| implies(c, b))
    {
        return true;
    }
    if let Some(parts) = bool_args(b, BoolExprType::OrExpr)
        && parts.iter().any(|d| implies(a, d))
    {
        return true;
    }
    same(a, b)
}

fn bool_args(node: &Node, op: BoolExprType) -> Option<&[Node]> {
    match node.node.as_ref()? {
        NodeEnum::BoolExpr(b) if b.boolop() == op => Some(&b.args),
        _ => None,
    }
}

fn constant(node: &Node) -> Option<bool> {
    match node.node.as_ref()? {
        NodeEnum::AConst(c) => match c.val.as_ref()? {
            pg_query::protobuf::a_const::Val::Boolval(b) => Some(b.boolval),
            _ => None,
        },
        _ => None,
    }
}

/// The same tree but for token positions.
fn same(a: &Node, b: &Node) -> bool {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(mut a), Ok(mut b)) => {
            strip_locations(&mut a);
            strip_locations(&mut b);
            a == b
        }
        _ => false,
    }
}

fn strip_locations(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("location");
            map.values_mut().for_each(strip_locations);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_locations),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::implies_text;

    #[test]
    fn a_conjunct_added_narrows() {
        assert!(implies_text(
            "((owner = CURRENT_USER) AND (NOT archived))",
            "(owner = CURRENT_USER)"
        ));
        assert!(implies_text("(owner_id IS NOT NULL)", "true"));
    }

    #[test]
    fn a_disjunct_added_or_a_conjunct_removed_does_not() {
        assert!(!implies_text(
            "((owner = CURRENT_USER) OR (owner = 'shared'::text))",
            "(owner = CURRENT_USER)"
        ));
        assert!(!implies_text(
            "(owner = CURRENT_USER)",
            "((owner = CURRENT_USER) AND (NOT archived))"
        ));
        assert!(!implies_text("true", "(owner_id IS NOT NULL)"));
        assert!(!implies_text(
            "(owner = SESSION_USER)",
            "(owner = CURRENT_USER)"
        ));
    }

    #[test]
    fn a_disjunct_removed_narrows_and_parentheses_do_not_matter() {
        assert!(implies_text("(a = 1)", "((a = 1) OR (b = 2))"));
        assert!(implies_text(
            "((a = 1) AND ((b = 2) AND (c = 3)))",
            "(((c = 3)) AND (a = 1))"
        ));
        assert!(!implies_text("not valid sql (", "true"));
    }
}
