//! Declared enums, domains and composite types: created, altered in place
//! (domain defaults, NOT NULL and checks; composite attributes; comments),
//! dropped when the project says `drop = true`. Enum values are `enums`'.
//! Undeclared types are `unmanaged`'s: never altered or dropped here.

use super::render::{comment, create_type, type_keyword as keyword};
use super::type_dependents::{changed_with_the_plan, described};
use super::{Action, Change, Hazard, Options, Phase, enums, owned};
use crate::catalog::{Catalog, Dependent, DependentKind, TypeKind, UserType};
use crate::sql::quote_ident;

/// Type changes, in the desired catalog's order, then the declared drops.
pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    for want in desired.types.iter().filter(|t| owned(&t.name, options)) {
        match current.types.iter().find(|t| t.name == want.name) {
            None => changes.push(create(want)),
            Some(have) if have.kind != want.kind => changes.push(
                Change::new(Action::Alter, format!("type {}", want.name))
                    .detail(format!("{} → {}", kind_word(have.kind), kind_word(want.kind)))
                    .hazard(Hazard::Refused(format!(
                        "{} is a {} on the target: declare the {} under another name, or drop it first (drop = true) and declare it in a later apply",
                        want.name,
                        kind_word(have.kind),
                        kind_word(want.kind)
                    ))),
            ),
            Some(have) => {
                match want.kind {
                    TypeKind::Enum => enums::diff(have, want, current, desired, options, changes),
                    TypeKind::Domain => domain(have, want, changes),
                    TypeKind::Composite => composite(have, want, changes),
                    TypeKind::Range => {}
                }
                if have.comment != want.comment {
                    changes.push(
                        Change::new(Action::Alter, format!("comment on type {}", want.name)).step(
                            Phase::Comments,
                            comment(
                                &format!("{} {}", keyword(want), want.name),
                                want.comment.as_deref(),
                            ),
                        ),
                    );
                }
            }
        }
    }
    for name in &options.dropped_types {
        if let Some(have) = current.types.iter().find(|t| &t.name == name) {
            changes.push(drop(have, options));
        }
    }
}

fn kind_word(kind: TypeKind) -> &'static str {
    match kind {
        TypeKind::Enum => "enum",
        TypeKind::Domain => "domain",
        TypeKind::Composite => "composite type",
        TypeKind::Range => "range type",
    }
}

fn create(want: &UserType) -> Change {
    let mut change = Change::new(Action::Create, format!("type {}", want.name))
        .detail(kind_word(want.kind))
        .step(Phase::Types, create_type(want));
    if want.comment.is_some() {
        change = change.step(
            Phase::Comments,
            comment(
                &format!("{} {}", keyword(want), want.name),
                want.comment.as_deref(),
            ),
        );
    }
    change
}

/// A declared drop (`drop = true`).
fn drop(have: &UserType, options: &Options) -> Change {
    let what = kind_word(have.kind);
    let mut change = Change::new(Action::Drop, format!("type {}", have.name));
    change = if have.dependents.is_empty() {
        change.hazard(Hazard::BreaksDependents(format!(
            "the {what} exists on the target; nothing in the database uses it, but clients casting to it will fail"
        )))
    } else {
        change.hazard(Hazard::BreaksDependents(format!(
            "the {what} exists on the target; used by {}",
            described(&have.dependents)
        )))
    };
    let staying: Vec<&Dependent> = have
        .dependents
        .iter()
        .filter(|d| !changed_with_the_plan(d, options))
        .collect();
    if !staying.is_empty() {
        let staying: Vec<Dependent> = staying.into_iter().cloned().collect();
        change = change.hazard(Hazard::Refused(format!(
            "DROP {} would fail: {} still use it and the plan does not change them; drop or change them first",
            keyword(have),
            described(&staying)
        )));
    }
    change.step(
        Phase::DropTypes,
        format!("DROP {} {}", keyword(have), have.name),
    )
}

/// Whether columns of tables store values of the type.
fn stored(t: &UserType) -> bool {
    t.dependents
        .iter()
        .any(|d| d.kind == DependentKind::Column && d.description.contains(" of table "))
}

fn domain(have: &UserType, want: &UserType, changes: &mut Vec<Change>) {
    let (Some(h), Some(w)) = (&have.domain, &want.domain) else {
        return;
    };
    let object = format!("type {}", want.name);
    let alter = |what: String| format!("ALTER DOMAIN {} {what}", want.name);
    if h.base != w.base {
        changes.push(
            Change::new(Action::Alter, object.clone())
                .detail(format!("base type {} → {}", h.base, w.base))
                .hazard(Hazard::Refused(format!(
                    "PostgreSQL cannot change the base type of a domain in place; declare a new domain over {}, move the columns to it, then drop {}",
                    w.base, want.name
                ))),
        );
        return;
    }
    if h.default != w.default {
        let sql = match &w.default {
            Some(d) => alter(format!("SET DEFAULT {d}")),
            None => alter("DROP DEFAULT".into()),
        };
        changes.push(
            Change::new(Action::Alter, object.clone())
                .detail("default")
                .text("default", h.default.as_deref(), w.default.as_deref())
                .step(Phase::Types, sql),
        );
    }
    if h.not_null != w.not_null {
        let mut change = Change::new(Action::Alter, object.clone());
        if w.not_null {
            change = change
                .detail("NOT NULL")
                .step(Phase::Types, alter("SET NOT NULL".into()));
            if stored(have) {
                change = change.hazard(Hazard::MayFail(format!(
                    "SET NOT NULL fails if a column of {} holds NULL ({})",
                    want.name,
                    described(&have.dependents)
                )));
            }
        } else {
            change = change
                .detail("NULL allowed")
                .step(Phase::Types, alter("DROP NOT NULL".into()));
        }
        changes.push(change);
    }
    for c in &h.checks {
        let kept = w.checks.iter().find(|x| x.name == c.name);
        if kept.is_none_or(|k| k.definition != c.definition) {
            changes.push(
                Change::new(
                    Action::Drop,
                    format!("check {} on type {}", quote_ident(&c.name), want.name),
                )
                .step(
                    Phase::DropConstraints,
                    alter(format!("DROP CONSTRAINT {}", quote_ident(&c.name))),
                ),
            );
        }
    }
    for c in &w.checks {
        let had = h.checks.iter().find(|x| x.name == c.name);
        let name = quote_ident(&c.name);
        let object = format!("check {name} on type {}", want.name);
        match had {
            Some(had) if had.definition == c.definition => {
                if !had.validated && c.validated {
                    changes.push(Change::new(Action::Alter, object).detail("validated").step(
                        Phase::Validate,
                        alter(format!("VALIDATE CONSTRAINT {name}")),
                    ));
                }
            }
            _ => {
                let mut change = Change::new(Action::Create, object)
                    .text(
                        "definition",
                        had.map(|h| h.definition.as_str()),
                        Some(&c.definition),
                    )
                    .step(
                        Phase::Types,
                        alter(format!("ADD CONSTRAINT {name} {} NOT VALID", c.definition)),
                    )
                    .step(
                        Phase::Validate,
                        alter(format!("VALIDATE CONSTRAINT {name}")),
                    );
                if stored(have) {
                    change = change.hazard(Hazard::MayFail(format!(
                        "VALIDATE fails if a stored value of {} violates it ({})",
                        want.name,
                        described(&have.dependents)
                    )));
                }
                changes.push(change);
            }
        }
    }
}

fn composite(have: &UserType, want: &UserType, changes: &mut Vec<Change>) {
    let alter = |what: String| format!("ALTER TYPE {} {what}", want.name);
    let kept: Vec<&str> = have
        .attributes
        .iter()
        .filter(|a| want.attributes.iter().any(|w| w.name == a.name))
        .map(|a| a.name.as_str())
        .collect();
    let declared_kept: Vec<&str> = want
        .attributes
        .iter()
        .filter(|w| kept.contains(&w.name.as_str()))
        .map(|w| w.name.as_str())
        .collect();
    // PostgreSQL appends added attributes and cannot reorder them.
    let first_new = want
        .attributes
        .iter()
        .position(|w| !kept.contains(&w.name.as_str()));
    let last_kept = want
        .attributes
        .iter()
        .rposition(|w| kept.contains(&w.name.as_str()));
    if kept != declared_kept || first_new.zip(last_kept).is_some_and(|(n, k)| n < k) {
        changes.push(
            Change::new(Action::Alter, format!("type {}", want.name))
                .detail("attribute order")
                .hazard(Hazard::Refused(format!(
                    "PostgreSQL adds attributes of a composite type at the end and cannot reorder them; declare {}'s attributes in the target's order ({}) with new ones last",
                    want.name,
                    have.attributes.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
                ))),
        );
        return;
    }
    for a in &have.attributes {
        let object = format!("attribute {} of type {}", quote_ident(&a.name), want.name);
        match want.attributes.iter().find(|w| w.name == a.name) {
            None => {
                let mut change = Change::new(Action::Drop, object).step(
                    Phase::Types,
                    alter(format!("DROP ATTRIBUTE {}", quote_ident(&a.name))),
                );
                if stored(have) {
                    change = change.hazard(Hazard::DataLoss(format!(
                        "the attribute's values are deleted from {}",
                        described(&have.dependents)
                    )));
                }
                changes.push(change);
            }
            Some(w) if w.data_type != a.data_type => {
                let mut change = Change::new(Action::Alter, object)
                    .detail(format!("type {} → {}", a.data_type, w.data_type))
                    .step(
                        Phase::Types,
                        alter(format!(
                            "ALTER ATTRIBUTE {} TYPE {}",
                            quote_ident(&a.name),
                            w.data_type
                        )),
                    );
                if stored(have) {
                    change = change.hazard(Hazard::Refused(format!(
                        "PostgreSQL cannot change an attribute's type while columns store the type ({}); add a new attribute, copy the values, then drop the old one",
                        described(&have.dependents)
                    )));
                }
                changes.push(change);
            }
            Some(_) => {}
        }
    }
    for w in &want.attributes {
        if !have.attributes.iter().any(|a| a.name == w.name) {
            changes.push(
                Change::new(
                    Action::Create,
                    format!("attribute {} of type {}", quote_ident(&w.name), want.name),
                )
                .step(
                    Phase::Types,
                    alter(format!(
                        "ADD ATTRIBUTE {} {}",
                        quote_ident(&w.name),
                        w.data_type
                    )),
                ),
            );
        }
    }
}
