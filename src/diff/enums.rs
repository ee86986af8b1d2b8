//! Enum values: renamed (`renamed_values`) and added in place, at their
//! declared position; a removed or reordered value rebuilds the type (a new
//! type, the columns moved to it, the old one dropped).
//!
//! `ADD VALUE` runs inside the apply transaction (PostgreSQL 12+), but a value
//! added there cannot be used before the transaction commits ("unsafe use of
//! new value"): a plan that adds a value and also creates something naming it
//! (a default, a check, a policy) is refused at plan time, with the reason.

use super::type_dependents::{changed_with_the_plan, described};
use super::{Action, Change, Hazard, Options, Phase};
use crate::catalog::{Catalog, DependentKind, UserType};
use crate::sql::{QualifiedName, quote_ident, quote_literal};

/// Changes of the values of `want`, on the target as `have`.
pub(super) fn diff(
    have: &UserType,
    want: &UserType,
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let object = format!("type {}", want.name);
    let alter = |what: String| format!("ALTER TYPE {} {what}", want.name);
    // The target's values after the declared renames.
    let mut values = have.values.clone();
    let mut renames = Vec::new();
    for (old, new) in options
        .enum_value_renames
        .get(&want.name)
        .into_iter()
        .flatten()
    {
        if let Some(v) = values.iter_mut().find(|v| *v == old)
            && !have.values.contains(new)
        {
            *v = new.clone();
            renames.push(alter(format!(
                "RENAME VALUE {} TO {}",
                quote_literal(old),
                quote_literal(new)
            )));
        }
    }
    if !renames.is_empty() {
        let mut change = Change::new(Action::Alter, object.clone()).detail("values renamed");
        for sql in renames {
            change = change.step(Phase::Renames, sql);
        }
        changes.push(change);
    }
    if values == want.values {
        return;
    }
    let kept: Vec<&String> = values.iter().filter(|v| want.values.contains(v)).collect();
    let declared_kept: Vec<&String> = want.values.iter().filter(|v| values.contains(v)).collect();
    if kept.len() < values.len() || kept != declared_kept {
        changes.push(rebuild(have, want, &values, current, desired, options));
        return;
    }
    let added: Vec<&String> = want.values.iter().filter(|v| !values.contains(v)).collect();
    let mut change = Change::new(Action::Alter, object).detail(format!(
        "value{} {} added",
        if added.len() == 1 { "" } else { "s" },
        added
            .iter()
            .map(|v| quote_literal(v))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for (i, v) in want.values.iter().enumerate() {
        if values.contains(v) {
            continue;
        }
        let position = match (i.checked_sub(1), kept.first()) {
            (Some(before), _) => format!(" AFTER {}", quote_literal(&want.values[before])),
            (None, Some(first)) => format!(" BEFORE {}", quote_literal(first)),
            (None, None) => String::new(),
        };
        change = change.step(
            Phase::Types,
            alter(format!("ADD VALUE {}{position}", quote_literal(v))),
        );
    }
    let used: Vec<&String> = added
        .iter()
        .copied()
        .filter(|v| names_value(desired, &want.name, v))
        .collect();
    if !used.is_empty() {
        change = change.hazard(Hazard::Refused(format!(
            "the plan adds {} to {} and also creates something using it (a default, check, policy or index), but PostgreSQL cannot use a value added in the same transaction: apply the new value alone first (declare it without using it), then its use",
            used.iter().map(|v| quote_literal(v)).collect::<Vec<_>>().join(", "),
            want.name
        )));
    }
    changes.push(change);
}

/// Whether an expression of the desired database (anything but a function
/// body, which is not checked at creation) names `value` of `type_name` as
/// PostgreSQL prints a constant: `'admin'::app.member_role`. The target cannot
/// hold such an expression, since it does not have the value yet.
fn names_value(desired: &Catalog, type_name: &QualifiedName, value: &str) -> bool {
    let mut catalog = desired.clone();
    catalog.functions.clear();
    let constant = format!("{}::{type_name}", quote_literal(value));
    serde_json::to_string(&catalog).is_ok_and(|json| {
        serde_json::to_string(&constant).is_ok_and(|quoted| json.contains(quoted.trim_matches('"')))
    })
}

/// Removing (or reordering) values: the type is renamed away, the declared one
/// created, the columns storing it moved over (a removed value becomes NULL),
/// and the old type dropped. Refused when anything but table columns and their
/// defaults uses it: those would block the move or the drop.
fn rebuild(
    have: &UserType,
    want: &UserType,
    values: &[String],
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
) -> Change {
    let removed: Vec<&String> = values.iter().filter(|v| !want.values.contains(v)).collect();
    let old_name = renamed_away(&want.name.name);
    let old = QualifiedName::new(&want.name.schema, &old_name);
    let mut change =
        Change::new(Action::Alter, format!("type {}", want.name)).detail(if removed.is_empty() {
            "values reordered: rebuilt".to_string()
        } else {
            format!(
                "value{} {} removed: rebuilt",
                if removed.len() == 1 { "" } else { "s" },
                removed
                    .iter()
                    .map(|v| quote_literal(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    let columns: Vec<(QualifiedName, &str)> = current
        .tables
        .iter()
        .filter(|t| super::owned(&t.name, options))
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| c.data_type == want.name.to_string())
                .map(move |c| (t.name.clone(), c.name.as_str()))
        })
        .collect();
    let blocking: Vec<_> = have
        .dependents
        .iter()
        .filter(|d| {
            !(matches!(d.kind, DependentKind::Column | DependentKind::ColumnDefault)
                && changed_with_the_plan(d, options))
        })
        .cloned()
        .collect();
    let mut refusals = Vec::new();
    if !blocking.is_empty() {
        refusals.push(format!("{} use it", described(&blocking)));
    }
    if have
        .dependents
        .iter()
        .any(|d| d.kind == DependentKind::Column)
        && have
            .dependents
            .iter()
            .filter(|d| d.kind == DependentKind::Column)
            .count()
            > columns.len()
    {
        refusals.push("a column stores an array of it".to_string());
    }
    for (table, column) in &columns {
        let policies = current
            .table(table)
            .map(|t| {
                t.policies
                    .iter()
                    .filter(|p| {
                        [p.using.as_deref(), p.with_check.as_deref()]
                            .into_iter()
                            .flatten()
                            .any(|text| mentions(text, column))
                    })
                    .map(|p| format!("policy {} on table {table}", quote_ident(&p.name)))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if !policies.is_empty() {
            refusals.push(format!(
                "{} use column {table}.{}, whose type cannot change under a policy",
                policies.join(", "),
                quote_ident(column)
            ));
        }
    }
    if !refusals.is_empty() {
        return change.hazard(Hazard::Refused(format!(
            "rebuilding {} to remove or reorder values moves its columns to a new type, which fails: {}; drop or change them first",
            want.name,
            refusals.join("; ")
        )));
    }
    if !removed.is_empty() && !columns.is_empty() {
        change = change.hazard(Hazard::DataLoss(format!(
            "rows of {} holding a removed value lose it (set to NULL; a NOT NULL column fails the apply)",
            columns
                .iter()
                .map(|(t, c)| format!("{t}.{}", quote_ident(c)))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if !columns.is_empty() {
        change = change.hazard(Hazard::TableRewrite(
            "each column storing the type is rewritten under an exclusive lock".into(),
        ));
    }
    change = change
        .step(
            Phase::Types,
            format!(
                "ALTER TYPE {} RENAME TO {}",
                want.name,
                quote_ident(&old_name)
            ),
        )
        .step(Phase::Types, super::render::create_type(want));
    let removed_list: Vec<String> = removed.iter().map(|v| quote_literal(v)).collect();
    for (table, column) in &columns {
        let col = quote_ident(column);
        let alter = |what: String| format!("ALTER TABLE {table} ALTER COLUMN {col} {what}");
        let had_default = current
            .table(table)
            .and_then(|t| t.columns.iter().find(|c| c.name == *column))
            .is_some_and(|c| c.default.is_some());
        if had_default {
            change = change.step(Phase::Types, alter("DROP DEFAULT".into()));
        }
        let using = if removed_list.is_empty() {
            format!("{col}::text::{}", want.name)
        } else {
            format!(
                "CASE WHEN {col}::text IN ({}) THEN NULL ELSE {col}::text END::{}",
                removed_list.join(", "),
                want.name
            )
        };
        change = change.step(
            Phase::Types,
            alter(format!("TYPE {} USING {using}", want.name)),
        );
        let default = desired
            .table(table)
            .and_then(|t| t.columns.iter().find(|c| c.name == *column))
            .and_then(|c| c.default.clone());
        if let Some(default) = default
            && had_default
        {
            change = change.step(Phase::Types, alter(format!("SET DEFAULT {default}")));
        }
    }
    change.step(Phase::Types, format!("DROP TYPE {old}"))
}

/// Whether `text` names `column` as a whole word.
fn mentions(text: &str, column: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(column).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(is_word)
            && !text[i + column.len()..].chars().next().is_some_and(is_word)
    })
}

/// The name the old type takes while its columns move: `<name>__rlsctl_old`,
/// the name cut (at a character) so that the whole fits 63 bytes.
fn renamed_away(name: &str) -> String {
    const SUFFIX: &str = "__rlsctl_old";
    let mut end = name.len().min(63 - SUFFIX.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{SUFFIX}", &name[..end])
}
