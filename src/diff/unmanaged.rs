//! Objects of the owned schemas that the declaration cannot express: rewrite rules, foreign tables,
//! enums, domains, composite and range types, and the undeclared functions such
//! objects use; and the project's objects it leaves alone although they are not
//! declared: triggers on tables of other schemas that run its functions, and
//! event triggers (database-wide) that do. The diff lists them and never alters
//! or drops them.

use serde::Serialize;

use super::render::function_signature;
use super::{Options, extensions, functions, owned, publications, tables, triggers};
use crate::catalog::{Catalog, TypeKind};

/// An object the plan leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmanaged {
    /// `trigger`, `event trigger`, `rule`, `foreign table`, `enum`, `domain`,
    /// `composite type`, `range type`, `function`, ...
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
    // Sequences are declarable (`[sequences]`): an undeclared one is a drop (`sequences`).
    for (trigger, table) in triggers::unmanaged_external(current, desired) {
        push(
            "trigger",
            format!("{} on {table}", crate::sql::quote_ident(&trigger.name)),
            format!(
                "on a table of a schema the project does not own, and not declared; it executes {}",
                trigger.function
            ),
        );
    }
    for e in triggers::unmanaged_event_triggers(current, desired, options) {
        push(
            "event trigger",
            crate::sql::quote_ident(&e.name),
            format!(
                "not declared; event triggers are database-wide and never dropped; it executes {}",
                e.function
            ),
        );
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
        // A declared type (or one declared `drop = true`) is the diff's.
        let declared = desired.types.iter().any(|t| t.name == user_type.name)
            || options.dropped_types.contains(&user_type.name);
        if !declared {
            let kind = match user_type.kind {
                TypeKind::Enum => "enum",
                TypeKind::Domain => "domain",
                TypeKind::Composite => "composite type",
                TypeKind::Range => "range type",
            };
            let why = if user_type.kind == TypeKind::Range {
                UNDECLARABLE.to_string()
            } else {
                "not declared; a type is dropped only when declared `drop = true` (in use, it would \
                 take its columns' data with it), so it is left as it is"
                    .to_string()
            };
            push(kind, user_type.name.to_string(), why);
        }
    }
    for (name, why) in super::default_privileges::unmanaged(current, options) {
        push("default privileges", name, why);
    }
    for table in current.tables.iter().filter(|t| owned(&t.name, options)) {
        if table.partition_of.is_none() && desired.table(&table.name).is_none() {
            if let Some(parent) = table.inherits.first() {
                push(
                    "inheritance child",
                    table.name.to_string(),
                    format!(
                        "inherits {parent}; rlsctl cannot declare plain inheritance (INHERITS); it is left as it is"
                    ),
                );
            } else if tables::inheritance(current, table) {
                push(
                    "inheritance parent",
                    table.name.to_string(),
                    "other tables inherit it (INHERITS); it is left as it is".to_string(),
                );
            }
        }
    }
    for extension in extensions::undeclared(current, options) {
        push(
            "extension",
            crate::sql::quote_ident(&extension.name),
            format!(
                "installed in {} but not declared in [extensions]; never dropped",
                extension.schema
            ),
        );
    }
    for publication in publications::undeclared(current, options) {
        push(
            "publication",
            crate::sql::quote_ident(&publication.name),
            "publishes tables of the owned schemas but is not declared in [publications]"
                .to_string(),
        );
    }
    for function in functions::undeclared(current, desired, options) {
        let mut users: Vec<String> = functions::undeclarable_users(function)
            .iter()
            .map(|d| d.description.clone())
            .collect();
        for user in triggers::left_alone_users(current, desired, &function.name) {
            if !users.contains(&user) {
                users.push(user);
            }
        }
        if !users.is_empty() {
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
