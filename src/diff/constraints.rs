//! Constraints of an existing table: added (checks and foreign keys NOT VALID,
//! then validated), changed (dropped and added), renamed, validated, dropped.

use super::{Action, Change, Hazard, Options, Phase};
use crate::catalog::{Constraint, ConstraintKind, QualifiedName, Table};
use crate::sql::quote_ident;

pub(super) fn diff(have: &Table, want: &Table, options: &Options, changes: &mut Vec<Change>) {
    let table = &want.name;
    let renamed = renamed(
        &have
            .constraints
            .iter()
            .filter(|c| !c.inherited)
            .collect::<Vec<_>>(),
        &want
            .constraints
            .iter()
            .filter(|c| !c.inherited)
            .collect::<Vec<_>>(),
        |c| &c.name,
        |a, b| a.kind == b.kind && definition(a) == definition(b) && a.deferrable == b.deferrable,
    );
    for (old, new) in &renamed {
        changes.push(
            Change::new(
                Action::Rename,
                format!("constraint {} on {table}", quote_ident(old)),
            )
            .detail(format!("renamed to {new}"))
            .step(
                Phase::Renames,
                format!(
                    "ALTER TABLE {table} RENAME CONSTRAINT {} TO {}",
                    quote_ident(old),
                    quote_ident(new)
                ),
            ),
        );
    }
    for c in want.constraints.iter().filter(|c| !c.inherited) {
        let object = format!("constraint {} on {table}", quote_ident(&c.name));
        let existing = renamed
            .iter()
            .find(|(_, new)| *new == c.name)
            .map_or(c.name.as_str(), |(old, _)| old.as_str());
        match have.constraint(existing).filter(|h| !h.inherited) {
            Some(h)
                if definition(h) == definition(c)
                    && h.deferrable == c.deferrable
                    && h.initially_deferred == c.initially_deferred =>
            {
                if !h.validated && c.validated {
                    changes.push(
                        Change::new(Action::Alter, object)
                            .detail("validate")
                            .step(Phase::Validate, validate(table, &c.name))
                            .hazard(Hazard::MayFail(
                                "validation fails if existing rows violate it".into(),
                            )),
                    );
                }
            }
            // Only when a foreign key is checked changes: altered in place.
            Some(h)
                if is_foreign_key(h)
                    && is_foreign_key(c)
                    && without_deferral(h) == without_deferral(c) =>
            {
                let mut change = Change::new(Action::Alter, object)
                    .detail(deferral_words(c))
                    .step(
                        Phase::AddForeignKeys,
                        format!(
                            "ALTER TABLE {table} ALTER CONSTRAINT {} {}",
                            quote_ident(&c.name),
                            deferral_sql(c)
                        ),
                    );
                if let Some(lost) = lost_behaviour(h, c) {
                    change = change.hazard(lost);
                }
                changes.push(change);
            }
            Some(h) => {
                let phase = if is_foreign_key(h) {
                    Phase::DropForeignKeys
                } else {
                    Phase::DropConstraints
                };
                let mut change = Change::new(Action::Alter, object)
                    .detail("definition changed")
                    .text("definition", Some(&h.definition), Some(&c.definition));
                if let Some(lost) = lost_behaviour(h, c) {
                    change = change.hazard(lost);
                }
                changes.push(
                    added(table, c, options, change).step(phase, drop_constraint(table, &c.name)),
                );
            }
            None => changes.push(added(
                table,
                c,
                options,
                Change::new(Action::Create, object),
            )),
        }
    }
    let kept = |h: &Constraint| {
        want.constraint(&h.name).is_some() || renamed.iter().any(|(old, _)| *old == h.name)
    };
    for h in have.constraints.iter().filter(|c| !c.inherited && !kept(c)) {
        let phase = if is_foreign_key(h) {
            Phase::DropForeignKeys
        } else {
            Phase::DropConstraints
        };
        let mut change = Change::new(
            Action::Drop,
            format!("constraint {} on {table}", quote_ident(&h.name)),
        )
        .step(phase, drop_constraint(table, &h.name));
        // A constraint that exists on the target guards its rows: dropping it
        // is a hazard like any drop, named for what is then accepted.
        let accepted = match &h.kind {
            ConstraintKind::Exclusion => {
                "conflicting rows (overlapping ranges, double bookings) are accepted"
            }
            ConstraintKind::PrimaryKey => "duplicate and NULL keys are accepted",
            ConstraintKind::Unique => "duplicate values are accepted",
            ConstraintKind::Check => "rows that fail the check are accepted",
            ConstraintKind::ForeignKey(_) => {
                "rows pointing at missing parents are accepted, and deletes no longer cascade or are refused"
            }
        };
        change = change.hazard(Hazard::BehaviourLost(format!(
            "constraint {} goes: {accepted}",
            h.name
        )));
        changes.push(change);
    }
}

/// What a constraint that replaces `have` no longer does: checked at commit
/// (deferrable, initially deferred), or NULLs counted as equal.
fn lost_behaviour(have: &Constraint, want: &Constraint) -> Option<Hazard> {
    let mut lost = Vec::new();
    if have.deferrable && !want.deferrable {
        lost.push("is no longer deferrable: a transaction that relies on checking it at commit (SET CONSTRAINTS ... DEFERRED) fails");
    } else if have.initially_deferred && !want.initially_deferred {
        lost.push("is checked at each statement instead of at commit: a transaction that passes through a violating state fails");
    }
    if nulls_not_distinct(have) && !nulls_not_distinct(want) {
        lost.push("no longer treats NULLs as equal: rows with the same NULL keys are allowed");
    }
    (!lost.is_empty())
        .then(|| Hazard::BehaviourLost(format!("{} {}", want.name, lost.join("; it "))))
}

/// `UNIQUE NULLS NOT DISTINCT` (or a primary key, whose columns are never NULL).
fn nulls_not_distinct(c: &Constraint) -> bool {
    c.kind == ConstraintKind::Unique && definition(c).starts_with("UNIQUE NULLS NOT DISTINCT")
}

/// The definition without its deferral clause, which `pg_get_constraintdef` puts
/// last (before ` NOT VALID`).
fn without_deferral(c: &Constraint) -> &str {
    let d = definition(c);
    d.strip_suffix(" DEFERRABLE INITIALLY DEFERRED")
        .or_else(|| d.strip_suffix(" DEFERRABLE"))
        .unwrap_or(d)
}

fn deferral_sql(c: &Constraint) -> &'static str {
    match (c.deferrable, c.initially_deferred) {
        (false, _) => "NOT DEFERRABLE",
        (true, false) => "DEFERRABLE INITIALLY IMMEDIATE",
        (true, true) => "DEFERRABLE INITIALLY DEFERRED",
    }
}

fn deferral_words(c: &Constraint) -> &'static str {
    match (c.deferrable, c.initially_deferred) {
        (false, _) => "not deferrable",
        (true, false) => "deferrable, initially immediate",
        (true, true) => "deferrable, initially deferred",
    }
}

/// Adds a constraint to an existing table: checks and foreign keys NOT VALID,
/// then validated (a weaker lock while existing rows are scanned).
fn added(table: &QualifiedName, c: &Constraint, options: &Options, mut change: Change) -> Change {
    if let Some(hazard) = cross_tenant(table, c, options) {
        change = change.hazard(hazard);
    }
    match &c.kind {
        ConstraintKind::Check | ConstraintKind::ForeignKey(_) => {
            let phase = if is_foreign_key(c) {
                Phase::AddForeignKeys
            } else {
                Phase::AddConstraints
            };
            change
                .step(phase, add_constraint(table, c, true))
                .step(Phase::Validate, validate(table, &c.name))
                .hazard(Hazard::MayFail(
                    "validation fails if existing rows violate it".into(),
                ))
        }
        _ => change
            .step(Phase::AddConstraints, add_constraint(table, c, false))
            .hazard(Hazard::LongLock(format!(
                "{} builds an index while writes are blocked",
                c.name
            )))
            .hazard(Hazard::MayFail("fails if existing rows violate it".into())),
    }
}

/// Objects that only changed name: (old, new) pairs of a `have` object no wanted
/// object is named after and a wanted one no `have` object is named after, equal
/// otherwise. PostgreSQL keeps constraint and index names when a table or column
/// is renamed, so the declared names of a renamed table arrive this way; renaming
/// keeps the index instead of rebuilding it.
pub(super) fn renamed<T>(
    have: &[&T],
    want: &[&T],
    name: impl Fn(&T) -> &String,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for w in want
        .iter()
        .filter(|w| !have.iter().any(|h| name(h) == name(w)))
    {
        let candidate = have.iter().find(|h| {
            !want.iter().any(|o| name(o) == name(h))
                && !pairs.iter().any(|(old, _)| old == name(h))
                && same(h, w)
        });
        if let Some(h) = candidate {
            pairs.push((name(h).clone(), name(w).clone()));
        }
    }
    pairs
}

/// The definition without the ` NOT VALID` that `pg_get_constraintdef` appends
/// to a constraint not yet validated: validation is compared on its own.
fn definition(c: &Constraint) -> &str {
    c.definition
        .strip_suffix(" NOT VALID")
        .unwrap_or(&c.definition)
}

pub(super) fn add_constraint(table: &QualifiedName, c: &Constraint, not_valid: bool) -> String {
    format!(
        "ALTER TABLE {table} ADD CONSTRAINT {} {}{}",
        quote_ident(&c.name),
        definition(c),
        if not_valid { " NOT VALID" } else { "" }
    )
}

fn validate(table: &QualifiedName, name: &str) -> String {
    format!(
        "ALTER TABLE {table} VALIDATE CONSTRAINT {}",
        quote_ident(name)
    )
}

pub(super) fn drop_constraint(table: &QualifiedName, name: &str) -> String {
    format!("ALTER TABLE {table} DROP CONSTRAINT {}", quote_ident(name))
}

/// The cross-tenant hazard of adding `c` to `table`, when the declaration says it
/// is one.
pub(super) fn cross_tenant(
    table: &QualifiedName,
    c: &Constraint,
    options: &Options,
) -> Option<Hazard> {
    if !is_foreign_key(c) {
        return None;
    }
    options
        .cross_tenant_keys
        .get(&(table.clone(), c.name.clone()))
        .map(|reason| Hazard::CrossTenant(reason.clone()))
}

pub(super) fn is_foreign_key(c: &Constraint) -> bool {
    matches!(c.kind, ConstraintKind::ForeignKey(_))
}

#[cfg(test)]
mod tests {
    use super::{lost_behaviour, without_deferral};
    use crate::catalog::{Constraint, ConstraintKind};

    fn unique(definition: &str, deferrable: bool, initially_deferred: bool) -> Constraint {
        Constraint {
            name: "k".into(),
            kind: ConstraintKind::Unique,
            columns: vec!["a".into()],
            definition: definition.into(),
            validated: true,
            deferrable,
            initially_deferred,
            inherited: false,
            comment: None,
        }
    }

    #[test]
    fn weaker_checking_loses_behaviour_and_stronger_does_not() {
        let plain = unique("UNIQUE (a)", false, false);
        let deferrable = unique("UNIQUE (a) DEFERRABLE", true, false);
        let deferred = unique("UNIQUE (a) DEFERRABLE INITIALLY DEFERRED", true, true);
        let nnd = unique("UNIQUE NULLS NOT DISTINCT (a)", false, false);
        assert!(lost_behaviour(&deferrable, &plain).is_some());
        assert!(lost_behaviour(&deferred, &deferrable).is_some());
        assert!(lost_behaviour(&nnd, &plain).is_some());
        assert!(lost_behaviour(&plain, &deferrable).is_none());
        assert!(lost_behaviour(&deferrable, &deferred).is_none());
        assert!(lost_behaviour(&plain, &nnd).is_none());
        assert!(lost_behaviour(&plain, &plain).is_none());
    }

    #[test]
    fn the_deferral_clause_is_cut_off_the_definition() {
        let fk = |d: &str| Constraint {
            definition: d.into(),
            ..unique("", false, false)
        };
        assert_eq!(
            without_deferral(&fk(
                "FOREIGN KEY (a) REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED NOT VALID"
            )),
            "FOREIGN KEY (a) REFERENCES t(id)"
        );
        assert_eq!(
            without_deferral(&fk("FOREIGN KEY (a) REFERENCES t(id) DEFERRABLE")),
            "FOREIGN KEY (a) REFERENCES t(id)"
        );
        assert_eq!(
            without_deferral(&fk("FOREIGN KEY (a) REFERENCES t(id)")),
            "FOREIGN KEY (a) REFERENCES t(id)"
        );
    }
}
