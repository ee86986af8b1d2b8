//! Indexes of an existing table (not those backing constraints): compared by
//! structure, renamed, rebuilt, built CONCURRENTLY after the transaction on
//! request, dropped.

use super::constraints::renamed;
use super::{Action, Change, Hazard, Options, Phase};
use crate::catalog::{Index, QualifiedName, Table};
use crate::sql::quote_ident;

pub(super) fn diff(have: &Table, want: &Table, options: &Options, changes: &mut Vec<Change>) {
    let table = &want.name;
    let own = |t: &Table| {
        t.indexes
            .iter()
            .filter(|i| i.constraint.is_none() && i.parent.is_none())
            .cloned()
            .collect::<Vec<_>>()
    };
    let (have_ix, want_ix) = (own(have), own(want));
    let renamed = renamed(
        &have_ix.iter().collect::<Vec<_>>(),
        &want_ix.iter().collect::<Vec<_>>(),
        |i| &i.name,
        same_index,
    );
    for (old, new) in &renamed {
        changes.push(
            Change::new(
                Action::Rename,
                format!("index {}", QualifiedName::new(&table.schema, old)),
            )
            .detail(format!("renamed to {new}"))
            .step(
                Phase::Renames,
                format!(
                    "ALTER INDEX {} RENAME TO {}",
                    QualifiedName::new(&table.schema, old),
                    quote_ident(new)
                ),
            ),
        );
    }
    for ix in &want_ix {
        if renamed.iter().any(|(_, new)| *new == ix.name) {
            continue;
        }
        let object = format!("index {}", QualifiedName::new(&table.schema, &ix.name));
        let existing = have_ix.iter().find(|h| h.name == ix.name);
        // Compared by structure: the definition names the table, which a rename changes.
        if existing.is_some_and(|h| same_index(h, ix) && h.valid) {
            continue;
        }
        let mut change = match existing {
            // Same structure but INVALID: a CREATE INDEX CONCURRENTLY failed and left
            // it; PostgreSQL never uses it, yet keeps maintaining it on every write.
            Some(h) if same_index(h, ix) => Change::new(Action::Alter, object)
                .detail("INVALID (left by a failed CREATE INDEX CONCURRENTLY): dropped and rebuilt")
                .step(Phase::DropConstraints, drop_index(table, &ix.name)),
            Some(h) => {
                let mut change = Change::new(Action::Alter, object)
                    .detail("definition changed: dropped and rebuilt")
                    .text("definition", Some(&h.definition), Some(&ix.definition))
                    .step(Phase::DropConstraints, drop_index(table, &ix.name));
                if h.unique && h.nulls_not_distinct && !(ix.unique && ix.nulls_not_distinct) {
                    change = change.hazard(Hazard::BehaviourLost(format!(
                        "{} no longer treats NULLs as equal: rows with the same NULL keys are allowed",
                        ix.name
                    )));
                }
                change
            }
            None => Change::new(Action::Create, object),
        };
        if options.concurrent_indexes {
            let concurrent = ix.definition.replacen(" INDEX ", " INDEX CONCURRENTLY ", 1);
            change = change
                .step(Phase::Concurrently, concurrent)
                .hazard(Hazard::MayFail("built CONCURRENTLY after the transaction commits; a failure leaves an INVALID index to drop".into()));
        } else {
            change = change
                .step(Phase::Indexes, ix.definition.clone())
                .hazard(Hazard::LongLock("the index is built while writes to the table are blocked (use --concurrent-indexes)".into()));
        }
        changes.push(change);
    }
    for h in have_ix.iter().filter(|h| {
        !want_ix.iter().any(|w| w.name == h.name) && !renamed.iter().any(|(old, _)| *old == h.name)
    }) {
        let mut change = Change::new(
            Action::Drop,
            format!("index {}", QualifiedName::new(&table.schema, &h.name)),
        );
        if !h.valid {
            change = change.detail("INVALID (left by a failed CREATE INDEX CONCURRENTLY)");
        } else if h.unique {
            change = change.hazard(Hazard::BehaviourLost(format!(
                "unique index {} goes: duplicate values are accepted",
                h.name
            )));
        }
        changes.push(change.step(Phase::DropConstraints, drop_index(table, &h.name)));
    }
}

fn same_index(a: &Index, b: &Index) -> bool {
    a.method == b.method
        && a.unique == b.unique
        && a.nulls_not_distinct == b.nulls_not_distinct
        && a.keys == b.keys
        && a.include == b.include
        && a.predicate == b.predicate
}

fn drop_index(table: &QualifiedName, name: &str) -> String {
    format!("DROP INDEX {}", QualifiedName::new(&table.schema, name))
}
