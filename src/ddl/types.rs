//! `CREATE TYPE` / `CREATE DOMAIN` for the declared types, before the functions
//! and tables that use them: enums first, then domains (which may be over an
//! enum), then composite types (whose attributes may be either).

use super::{Located, Script};
use crate::spec::Declaration;
use crate::spec::declaration::{TypeDefinition, UserType};
use crate::sql::{quote_ident, quote_literal};

/// Adds the `types` section: each type and its comment.
pub(super) fn render(declaration: &Declaration, script: &mut Script) {
    let rank = |t: &&UserType| match t.definition {
        TypeDefinition::Enum { .. } => 0,
        TypeDefinition::Domain { .. } => 1,
        TypeDefinition::Composite(_) | TypeDefinition::Dropped => 2,
    };
    let mut types: Vec<&UserType> = declaration
        .types
        .iter()
        .filter(|t| !matches!(t.definition, TypeDefinition::Dropped))
        .collect();
    types.sort_by_key(rank);
    for t in types {
        let object = format!("type {}", t.name);
        script.push_located("types", object.clone(), create(t), t.origin.as_ref());
        if let Some(c) = &t.comment {
            script.push(
                "types",
                format!("comment on {object}"),
                format!(
                    "COMMENT ON {} {} IS {}",
                    keyword(t),
                    t.name,
                    quote_literal(c)
                ),
            );
        }
    }
}

/// `TYPE` or `DOMAIN`, as `COMMENT ON` and `ALTER` name the type.
fn keyword(t: &UserType) -> &'static str {
    match t.definition {
        TypeDefinition::Domain { .. } => "DOMAIN",
        _ => "TYPE",
    }
}

/// The statement creating `t`.
fn create(t: &UserType) -> Located {
    let mut out = Located::default();
    match &t.definition {
        TypeDefinition::Enum { values, .. } => {
            let values: Vec<String> = values.iter().map(|v| quote_literal(v)).collect();
            out.push(&format!(
                "CREATE TYPE {} AS ENUM ({})",
                t.name,
                values.join(", ")
            ));
        }
        TypeDefinition::Domain {
            base,
            default,
            not_null,
            checks,
        } => {
            out.push(&format!("CREATE DOMAIN {} AS ", t.name));
            out.push(base);
            if let Some(d) = default {
                out.push(&format!(" DEFAULT ({d})"));
            }
            if *not_null {
                out.push(" NOT NULL");
            }
            for c in checks {
                out.push(&format!(" CONSTRAINT {} CHECK (", quote_ident(&c.name)));
                out.push_from(&c.expr, c.origin.as_ref());
                out.push(")");
            }
        }
        TypeDefinition::Dropped => {}
        TypeDefinition::Composite(attributes) => {
            let attributes: Vec<String> = attributes
                .iter()
                .map(|(name, ty)| format!("{} {ty}", quote_ident(name)))
                .collect();
            out.push(&format!(
                "CREATE TYPE {} AS ({})",
                t.name,
                attributes.join(", ")
            ));
        }
    }
    out
}
