//! Columns of an existing table: added, changed (type, nullability, default,
//! identity, comment), dropped, and the declared renames.

use super::render::{self, comment};
use super::{Action, Change, Hazard, Phase};
use crate::catalog::{Column, Identity, QualifiedName, Table};
use crate::sql::quote_ident;

/// The changes of a table's declared column renames that will run.
pub(super) fn renames(
    table: &QualifiedName,
    renamed: &[(String, String)],
    changes: &mut Vec<Change>,
) {
    for (old, new) in renamed {
        changes.push(
            Change::new(
                Action::Rename,
                format!("column {table}.{}", quote_ident(old)),
            )
            .detail(format!("renamed to {new}"))
            .step(
                Phase::Renames,
                format!(
                    "ALTER TABLE {table} RENAME COLUMN {} TO {}",
                    quote_ident(old),
                    quote_ident(new)
                ),
            ),
        );
    }
}

/// Column changes; returns the columns whose type changes.
pub(super) fn diff(have: &Table, want: &Table, changes: &mut Vec<Change>) -> Vec<String> {
    let table = &want.name;
    let mut retyped = Vec::new();
    let mut matched: Vec<&str> = Vec::new();
    for col in want.columns.iter().filter(|c| !c.inherited) {
        let object = format!("column {table}.{}", quote_ident(&col.name));
        let existing = have.column(&col.name);
        let Some(existing) = existing else {
            let mut change = Change::new(Action::Create, object).step(
                Phase::Columns,
                format!("ALTER TABLE {table} ADD COLUMN {}", render::column(col)),
            );
            if col.not_null
                && col.default.is_none()
                && col.identity.is_none()
                && col.generated.is_none()
            {
                change = change.hazard(Hazard::MayFail(
                    "NOT NULL without a default: fails if the table has rows; add a default, or add the column nullable, backfill, then SET NOT NULL".to_string(),
                ));
            }
            if col.identity.is_some() || col.generated.is_some() {
                change = change.hazard(Hazard::TableRewrite(
                    "an identity or generated column fills every row".to_string(),
                ));
            }
            if let Some(c) = &col.comment {
                change = change.step(
                    Phase::Comments,
                    comment(
                        &format!("COLUMN {table}.{}", quote_ident(&col.name)),
                        Some(c),
                    ),
                );
            }
            changes.push(change);
            continue;
        };
        matched.push(&existing.name);
        column(table, existing, col, changes, &mut retyped);
    }
    for old in have
        .columns
        .iter()
        .filter(|c| !c.inherited && !matched.contains(&c.name.as_str()))
    {
        changes.push(
            Change::new(
                Action::Drop,
                format!("column {table}.{}", quote_ident(&old.name)),
            )
            .hazard(Hazard::DataLoss(format!(
                "column {} and its values are deleted",
                old.name
            )))
            .step(
                Phase::DropColumns,
                format!("ALTER TABLE {table} DROP COLUMN {}", quote_ident(&old.name)),
            ),
        );
    }
    retyped
}

fn column(
    table: &QualifiedName,
    have: &Column,
    want: &Column,
    changes: &mut Vec<Change>,
    retyped: &mut Vec<String>,
) {
    let col = quote_ident(&want.name);
    let object = format!("column {table}.{col}");
    let alter = |what: String| format!("ALTER TABLE {table} ALTER COLUMN {col} {what}");
    // ALTER ... TYPE resets the collation unless it names one.
    let collate = want
        .collation
        .as_ref()
        .map_or_else(String::new, |c| format!(" COLLATE {c}"));
    if have.data_type != want.data_type {
        retyped.push(want.name.clone());
        let mut change = Change::new(Action::Alter, object.clone())
            .detail(format!("type {} → {}", have.data_type, want.data_type))
            .step(
                Phase::Columns,
                alter(format!(
                    "TYPE {}{collate} USING {col}::{}",
                    want.data_type, want.data_type
                )),
            );
        if !is_binary_coercible(&have.data_type, &want.data_type) {
            change = change.hazard(Hazard::TableRewrite(format!(
                "{} → {} rewrites the table under an exclusive lock",
                have.data_type, want.data_type
            )));
        }
        if !is_widening(&have.data_type, &want.data_type) {
            change = change.hazard(Hazard::DataLoss(format!(
                "{} → {} may truncate or reject existing values",
                have.data_type, want.data_type
            )));
        }
        changes.push(change);
    }
    if have.data_type == want.data_type && have.collation != want.collation {
        retyped.push(want.name.clone());
        let name = |c: &Option<QualifiedName>| {
            c.as_ref()
                .map_or_else(|| "default".to_string(), ToString::to_string)
        };
        changes.push(
            Change::new(Action::Alter, object.clone())
                .detail(format!(
                    "collation {} → {}",
                    name(&have.collation),
                    name(&want.collation)
                ))
                .step(
                    Phase::Columns,
                    alter(format!(
                        "TYPE {} COLLATE {}",
                        want.data_type,
                        want.collation.as_ref().map_or_else(
                            || "pg_catalog.\"default\"".to_string(),
                            ToString::to_string
                        )
                    )),
                )
                .hazard(Hazard::LongLock(
                    "indexes on the column are rebuilt under an exclusive lock".into(),
                )),
        );
    }
    if have.not_null != want.not_null {
        let mut change = Change::new(Action::Alter, object.clone());
        if want.not_null {
            change = change
                .detail("NOT NULL")
                .step(Phase::Columns, alter("SET NOT NULL".into()))
                .hazard(Hazard::LongLock(
                    "SET NOT NULL scans the whole table under an exclusive lock".into(),
                ))
                .hazard(Hazard::MayFail("fails if the column holds NULLs".into()));
        } else {
            change = change
                .detail("nullable")
                .step(Phase::Columns, alter("DROP NOT NULL".into()));
        }
        changes.push(change);
    }
    if have.default != want.default && want.identity.is_none() {
        let change = Change::new(Action::Alter, object.clone());
        changes.push(match &want.default {
            Some(d) => change
                .detail(format!("default {d}"))
                .step(Phase::Columns, alter(format!("SET DEFAULT {d}"))),
            None => change
                .detail("no default")
                .step(Phase::Columns, alter("DROP DEFAULT".into())),
        });
    }
    if have.identity != want.identity {
        let change = Change::new(Action::Alter, object.clone());
        let kind = |i: Identity| match i {
            Identity::Always => "ALWAYS",
            Identity::ByDefault => "BY DEFAULT",
        };
        changes.push(match (have.identity, want.identity) {
            (None, Some(i)) => {
                let mut c = change.detail("identity");
                if have.default.is_some() {
                    c = c.step(Phase::Columns, alter("DROP DEFAULT".into()));
                }
                c.step(
                    Phase::Columns,
                    alter(format!("ADD GENERATED {} AS IDENTITY", kind(i))),
                )
            }
            (Some(_), None) => change
                .detail("no identity")
                .step(Phase::Columns, alter("DROP IDENTITY".into()))
                .hazard(Hazard::BehaviourLost(format!(
                    "{} no longer generates values: an insert that leaves it out fails, and its sequence (the counter) is dropped",
                    want.name
                ))),
            (_, Some(i)) => change
                .detail("identity kind")
                .step(Phase::Columns, alter(format!("SET GENERATED {}", kind(i)))),
            (None, None) => change,
        });
    }
    if have.generated != want.generated {
        let change = Change::new(Action::Alter, object.clone());
        changes.push(match &want.generated {
            // The stored values stay; they are just no longer computed.
            None => change
                .detail("not generated")
                .step(Phase::Columns, alter("DROP EXPRESSION".into()))
                .hazard(Hazard::BehaviourLost(format!(
                    "{} keeps its values but is no longer computed: later writes must set it",
                    want.name
                ))),
            // PostgreSQL 15 cannot make a column generated or change its expression in
            // place: the column is dropped and added again, and every row recomputed.
            Some(_) => regenerated(table, have, want, change),
        });
    }
    if have.comment != want.comment {
        changes.push(
            Change::new(Action::Alter, format!("comment on {object}")).step(
                Phase::Comments,
                comment(&format!("COLUMN {table}.{col}"), want.comment.as_deref()),
            ),
        );
    }
}

/// A column made generated, or given another expression: dropped and added again
/// (at the end of the table), its comment restored.
fn regenerated(table: &QualifiedName, have: &Column, want: &Column, change: Change) -> Change {
    let col = quote_ident(&want.name);
    let mut change = change
        .detail("generated expression: column dropped and added again")
        .step(
            Phase::Columns,
            format!("ALTER TABLE {table} DROP COLUMN {col}"),
        )
        .step(
            Phase::Columns,
            format!("ALTER TABLE {table} ADD COLUMN {}", render::column(want)),
        )
        .hazard(Hazard::TableRewrite(
            "adding a generated column computes every row under an exclusive lock".into(),
        ))
        .hazard(Hazard::MayFail(
            "dropping the column fails if a view or policy uses it; indexes on it are dropped with it"
                .into(),
        ));
    if have.generated.is_none() {
        change = change.hazard(Hazard::DataLoss(format!(
            "the stored values of {} are replaced by the expression's",
            want.name
        )));
    }
    // A changed comment is set by the comment's own change.
    if let Some(c) = want
        .comment
        .as_ref()
        .filter(|_| have.comment == want.comment)
    {
        change = change.step(
            Phase::Comments,
            comment(&format!("COLUMN {table}.{col}"), Some(c)),
        );
    }
    change
}

/// The shape of a type as `format_type` prints it, for the type changes
/// rlsctl knows to be safe; everything else is `Other` (assumed to rewrite and
/// possibly lose data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// smallint, integer, bigint: (rank, decimal digits it may need).
    Int(u8, u32),
    /// numeric(precision, scale), or unconstrained.
    Numeric(Option<(u32, u32)>),
    /// character varying(n), or unconstrained.
    Varchar(Option<u32>),
    Text,
    Other,
}

fn shape(t: &str) -> Shape {
    let args = |prefix: &str| -> Option<Vec<u32>> {
        let inner = t
            .strip_prefix(prefix)?
            .strip_prefix('(')?
            .strip_suffix(')')?;
        inner.split(',').map(|n| n.trim().parse().ok()).collect()
    };
    match t {
        "smallint" => Shape::Int(1, 5),
        "integer" => Shape::Int(2, 10),
        "bigint" => Shape::Int(3, 19),
        "numeric" => Shape::Numeric(None),
        "character varying" => Shape::Varchar(None),
        "text" => Shape::Text,
        _ => match (
            args("numeric").as_deref(),
            args("character varying").as_deref(),
        ) {
            (Some([p, s]), _) => Shape::Numeric(Some((*p, *s))),
            (Some([p]), _) => Shape::Numeric(Some((*p, 0))),
            (_, Some([n])) => Shape::Varchar(Some(*n)),
            _ => Shape::Other,
        },
    }
}

/// Type changes PostgreSQL makes without rewriting the table.
fn is_binary_coercible(from: &str, to: &str) -> bool {
    use Shape::*;
    match (shape(from), shape(to)) {
        (Varchar(Some(a)), Varchar(Some(b))) => a <= b,
        (Varchar(_) | Text, Varchar(None) | Text) => true,
        (Numeric(Some((p, s))), Numeric(Some((p2, s2)))) => s == s2 && p <= p2,
        (Numeric(_), Numeric(None)) => true,
        _ => false,
    }
}

/// Type changes that keep every value (as `format_type` prints the types).
fn is_widening(from: &str, to: &str) -> bool {
    use Shape::*;
    match (shape(from), shape(to)) {
        (Int(a, _), Int(b, _)) => a < b,
        (Int(..), Numeric(None)) => true,
        (Int(_, digits), Numeric(Some((p, s)))) => p - s >= digits,
        (Numeric(Some((p, s))), Numeric(Some((p2, s2)))) => s2 >= s && p2 - s2 >= p - s,
        (Numeric(_), Numeric(None)) => true,
        (Varchar(Some(a)), Varchar(Some(b))) => a <= b,
        (Varchar(_) | Text, Varchar(None) | Text) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{is_binary_coercible, is_widening};

    #[test]
    fn widening_types_are_recognised_and_narrowing_is_not() {
        assert!(is_widening("integer", "bigint"));
        assert!(is_widening(
            "character varying(10)",
            "character varying(20)"
        ));
        assert!(is_widening("character varying(10)", "text"));
        assert!(is_widening("numeric(10,2)", "numeric(14,2)"));
        assert!(is_widening("integer", "numeric(12,2)"));
        assert!(!is_widening("integer", "numeric(8,2)"));
        assert!(!is_widening("numeric(10,4)", "numeric(10,2)"));
        assert!(!is_widening("bigint", "integer"));
        assert!(!is_widening("text", "character varying(20)"));
        assert!(!is_widening(
            "character varying(20)",
            "character varying(10)"
        ));
        assert!(!is_widening("text", "uuid"));
    }

    #[test]
    fn only_typmod_relaxations_skip_the_rewrite() {
        assert!(is_binary_coercible("character varying(10)", "text"));
        assert!(is_binary_coercible("numeric(10,2)", "numeric(14,2)"));
        assert!(!is_binary_coercible("numeric(10,2)", "numeric(14,4)"));
        assert!(!is_binary_coercible("integer", "bigint"));
    }
}
