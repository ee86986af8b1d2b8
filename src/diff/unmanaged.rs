//! Objects of the owned schemas that the declaration cannot express: views and
//! materialized views, triggers, rewrite rules,
//! foreign tables, enums, domains, composite and range types, and the
//! undeclared functions such objects use. The diff lists them and never alters
//! or drops them.

use serde::Serialize;

use super::render::function_signature;
use super::{Options, functions, owned};
use crate::catalog::{Catalog, TypeKind, ViewKind};

/// An object the plan leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmanaged {
    /// `view`, `materialized view`, `trigger`, `rule`, `foreign table`,
    /// `enum`, `domain`, `composite type`, `range type`, `function`.
    pub kind: &'static str,
    /// The object, quoted as SQL names it: `app.v`, `t_touch on app.t`.
    pub name: String,
    /// Why it is left alone.
    pub why: String,
}

const UNDECLARABLE: &str = "rlsctl cannot declare this kind yet; it is left as it is";

/// Every unmanaged object of the owned schemas of `current`, in catalog order.
pub fn unmanaged(current: &Catalog, desired: &Catalog, options: &Options) -> Vec<Unmanaged> {
    let mut out = Vec::new();
    let mut push =
        |kind: &'static str, name: String, why: String| out.push(Unmanaged { kind, name, why });
    for view in current.views.iter().filter(|v| owned(&v.name, options)) {
        if !desired.views.iter().any(|v| v.name == view.name) {
            let kind = match view.kind {
                ViewKind::View => "view",
                ViewKind::MaterializedView => "materialized view",
            };
            push(kind, view.name.to_string(), UNDECLARABLE.to_string());
        }
    }
    // Sequences are declarable (`[sequences]`): an undeclared one is a drop (`sequences`).
    for table in current.tables.iter().filter(|t| owned(&t.name, options)) {
        // The triggers of a table the plan drops go with it (a data-loss hazard).
        let Some(wanted) = desired.tables.iter().find(|t| t.name == table.name) else {
            continue;
        };
        for trigger in &table.triggers {
            if !wanted.triggers.iter().any(|t| t.name == trigger.name) {
                push(
                    "trigger",
                    format!(
                        "{} on {}",
                        crate::sql::quote_ident(&trigger.name),
                        table.name
                    ),
                    format!("{UNDECLARABLE}; it executes {}", trigger.function),
                );
            }
        }
    }
    for rule in current.rules.iter().filter(|r| owned(&r.relation, options)) {
        if !desired.rules.contains(rule) {
            push(
                "rule",
                format!(
                    "{} on {}",
                    crate::sql::quote_ident(&rule.name),
                    rule.relation
                ),
                UNDECLARABLE.to_string(),
            );
        }
    }
    for foreign in current
        .foreign_tables
        .iter()
        .filter(|f| owned(&f.name, options))
    {
        if !desired
            .foreign_tables
            .iter()
            .any(|f| f.name == foreign.name)
        {
            push(
                "foreign table",
                foreign.name.to_string(),
                UNDECLARABLE.to_string(),
            );
        }
    }
    for user_type in current.types.iter().filter(|t| owned(&t.name, options)) {
        if !desired.types.contains(user_type) {
            let kind = match user_type.kind {
                TypeKind::Enum => "enum",
                TypeKind::Domain => "domain",
                TypeKind::Composite => "composite type",
                TypeKind::Range => "range type",
            };
            push(kind, user_type.name.to_string(), UNDECLARABLE.to_string());
        }
    }
    for function in functions::undeclared(current, desired, options) {
        let users = functions::undeclarable_users(function);
        if !users.is_empty() {
            let users: Vec<&str> = users.iter().map(|d| d.description.as_str()).collect();
            push(
                "function",
                function_signature(function),
                format!(
                    "not declared, but used by {}, which rlsctl leaves alone",
                    users.join(", ")
                ),
            );
        }
    }
    out
}
