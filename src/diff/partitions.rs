//! Partitions of the declared partitioned tables: created (`PARTITION OF`), moved
//! to a new bound (detach, attach: refused by PostgreSQL when rows do not fit),
//! dropped (data loss). Each keeps its own row-level security switches, since a
//! partition queried directly applies only its own.

use super::{Action, Change, Hazard, Options, Phase, owned, rls};
use crate::catalog::{Catalog, PartitionOf, Table};

pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    for want in desired.tables.iter().filter(|t| owned(&t.name, options)) {
        let Some(of) = &want.partition_of else {
            continue;
        };
        match current.table(&want.name) {
            None => create(current, want, of, options, changes),
            Some(have) => {
                if have.partition_of.as_ref() != Some(of) {
                    move_bound(have, want, of, changes);
                }
                rls::diff(Some(have), want, options, false, &[], changes);
            }
        }
    }
    for have in current.tables.iter().filter(|t| owned(&t.name, options)) {
        let Some(of) = &have.partition_of else {
            continue;
        };
        // A partition of a dropped parent goes with it (the parent's data loss).
        if desired.table(&have.name).is_some() || desired.table(&of.parent).is_none() {
            continue;
        }
        changes.push(
            Change::new(
                Action::Drop,
                format!("partition {} of {}", have.name, of.parent),
            )
            .hazard(Hazard::DataLoss(format!(
                "partition {} and all its rows are deleted",
                have.name
            )))
            .step(Phase::DropColumns, format!("DROP TABLE {}", have.name)),
        );
    }
}

fn create(
    current: &Catalog,
    want: &Table,
    of: &PartitionOf,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let mut change = Change::new(
        Action::Create,
        format!("partition {} of {}", want.name, of.parent),
    )
    .detail(of.bound.clone())
    .step(
        Phase::CreateTables,
        format!(
            "CREATE TABLE {} PARTITION OF {} {}",
            want.name, of.parent, of.bound
        ),
    );
    let default_has_rows = of.bound != "DEFAULT"
        && current.tables.iter().any(|t| {
            t.partition_of
                .as_ref()
                .is_some_and(|p| p.parent == of.parent && p.bound == "DEFAULT")
        });
    if default_has_rows {
        change = change.hazard(Hazard::MayFail(format!(
            "PostgreSQL refuses the new partition if rows of {}'s default partition fall within its bound",
            of.parent
        )));
    }
    for (phase, sql) in rls::create_steps(want) {
        change = change.step(phase, sql);
    }
    changes.push(change);
    rls::diff(None, want, options, false, &[], changes);
}

fn move_bound(have: &Table, want: &Table, of: &PartitionOf, changes: &mut Vec<Change>) {
    let mut change = Change::new(
        Action::Alter,
        format!("partition {} of {}", want.name, of.parent),
    );
    match &have.partition_of {
        Some(old) => {
            change = change.detail(format!("{} → {}", old.bound, of.bound)).step(
                Phase::DropConstraints,
                format!("ALTER TABLE {} DETACH PARTITION {}", old.parent, have.name),
            );
        }
        None => change = change.detail(format!("attached: {}", of.bound)),
    }
    changes.push(
        change
            .hazard(Hazard::MayFail(format!(
                "ATTACH PARTITION refuses {} if a row does not fit {}",
                want.name, of.bound
            )))
            .hazard(Hazard::LongLock(format!(
                "{} is scanned to check its rows against the bound",
                want.name
            )))
            .step(
                Phase::CreateTables,
                format!(
                    "ALTER TABLE {} ATTACH PARTITION {} {}",
                    of.parent, want.name, of.bound
                ),
            ),
    );
}
