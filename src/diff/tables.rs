//! Tables: created, altered (columns, constraints, indexes, RLS, grants and
//! comments, each in its own module) or dropped; declared renames first.

use super::constraints::{self, add_constraint, drop_constraint, is_foreign_key};
use super::grants::{self, Kind};
use super::render::{self, comment};
use super::{
    Action, Change, Hazard, Options, Phase, columns, default_privileges, dependencies, indexes,
    owned, rename, replica_identity, rls,
};
use crate::catalog::{Catalog, DefaultObjectType, QualifiedName, Table};
use crate::sql::quote_ident;

pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    recreated_functions: &[QualifiedName],
    changes: &mut Vec<Change>,
) {
    let renames = rename::Renames::planned(current, desired, options);
    let mut matched_old: Vec<QualifiedName> = Vec::new();
    for want in desired
        .tables
        .iter()
        .filter(|t| owned(&t.name, options) && t.partition_of.is_none())
    {
        let have = current.table(&want.name).or_else(|| {
            let old = options.table_renames.get(&want.name)?;
            let old_name = QualifiedName::new(&want.name.schema, old);
            let found = current.table(&old_name)?;
            changes.push(
                Change::new(Action::Rename, format!("table {old_name}"))
                    .detail(format!("renamed to {}", want.name))
                    .step(
                        Phase::Renames,
                        format!(
                            "ALTER TABLE {old_name} RENAME TO {}",
                            quote_ident(&want.name.name)
                        ),
                    ),
            );
            Some(found)
        });
        match have {
            None => create(current, want, options, changes),
            Some(have) => {
                matched_old.push(have.name.clone());
                alter(have, want, options, &renames, recreated_functions, changes);
            }
        }
    }
    let dropped: Vec<QualifiedName> = current
        .tables
        .iter()
        .filter(|t| owned(&t.name, options) && t.partition_of.is_none())
        .filter(|t| {
            desired.table(&t.name).is_none()
                && !matched_old.contains(&t.name)
                && !inheritance(current, t)
        })
        .map(|t| t.name.clone())
        .collect();
    // A table whose policies, triggers or constraints use another goes first.
    for name in dependencies::drop_order(&dropped, current) {
        let Some(have) = current.table(&name) else {
            continue;
        };
        let mut change = Change::new(Action::Drop, format!("table {}", have.name)).hazard(
            Hazard::DataLoss(format!("table {} and all its rows are deleted", have.name)),
        );
        // Its own foreign keys go first, so that tables dropped together drop in any order.
        for fk in have
            .constraints
            .iter()
            .filter(|c| is_foreign_key(c) && !c.inherited)
        {
            change = change.step(
                Phase::DropForeignKeys,
                drop_constraint(&have.name, &fk.name),
            );
        }
        changes.push(change.step(Phase::DropTables, format!("DROP TABLE {}", have.name)));
    }
}

/// Whether `table` is a child or parent by plain inheritance (`INHERITS`), which
/// rlsctl cannot declare: left alone and listed as unmanaged.
pub(super) fn inheritance(current: &Catalog, table: &Table) -> bool {
    !table.inherits.is_empty()
        || current
            .tables
            .iter()
            .any(|t| t.partition_of.is_none() && t.inherits.contains(&table.name))
}

fn create(current: &Catalog, want: &Table, options: &Options, changes: &mut Vec<Change>) {
    let name = &want.name;
    let mut lines: Vec<String> = want
        .columns
        .iter()
        .filter(|c| !c.inherited)
        .map(|c| format!("    {}", render::column(c)))
        .collect();
    for c in want
        .constraints
        .iter()
        .filter(|c| !c.inherited && !is_foreign_key(c))
    {
        lines.push(format!(
            "    CONSTRAINT {} {}",
            quote_ident(&c.name),
            c.definition
        ));
    }
    let partition_by = want
        .partition_key
        .as_ref()
        .map_or(String::new(), |key| format!(" PARTITION BY {key}"));
    let mut change = Change::new(Action::Create, format!("table {name}")).step(
        Phase::CreateTables,
        format!(
            "CREATE TABLE {name} (\n{}\n){partition_by}",
            lines.join(",\n")
        ),
    );
    for fk in want
        .constraints
        .iter()
        .filter(|c| !c.inherited && is_foreign_key(c))
    {
        change = change.step(Phase::AddForeignKeys, add_constraint(name, fk, false));
        if let Some(hazard) = constraints::cross_tenant(name, fk, options) {
            change = change.hazard(hazard);
        }
    }
    for ix in want
        .indexes
        .iter()
        .filter(|i| i.constraint.is_none() && i.parent.is_none())
    {
        change = change.step(Phase::Indexes, ix.definition.clone());
    }
    // Enabling (and forcing) row-level security is part of making the table.
    let rls = rls::create_steps(want);
    match (want.rls_enabled, want.rls_forced) {
        (true, true) => change = change.detail("row-level security enabled and forced"),
        (true, false) => change = change.detail("row-level security enabled"),
        (false, true) => change = change.detail("row-level security forced (not enabled)"),
        (false, false) => {}
    }
    for (phase, sql) in rls {
        change = change.step(phase, sql);
    }
    if want.comment.is_some() {
        change = change.step(
            Phase::Comments,
            comment(&format!("TABLE {name}"), want.comment.as_deref()),
        );
    }
    for c in want.columns.iter().filter(|c| c.comment.is_some()) {
        change = change.step(
            Phase::Comments,
            comment(
                &format!("COLUMN {name}.{}", quote_ident(&c.name)),
                c.comment.as_deref(),
            ),
        );
    }
    changes.push(change);
    replica_identity::diff(None, want, changes);
    rls::diff(None, want, options, false, &[], changes);
    grants::diff(
        &format!("table {name}"),
        &format!("TABLE {name}"),
        // The target's default privileges give the new table these.
        &default_privileges::inherited(current, &name.schema, DefaultObjectType::Tables),
        &grants::effective(&want.acl, Kind::Table),
        None,
        changes,
    );
    grants::diff_columns(
        &format!("table {name}"),
        &format!("TABLE {name}"),
        &[],
        &want.column_grants,
        None,
        changes,
    );
}

fn alter(
    have: &Table,
    want: &Table,
    options: &Options,
    renames: &rename::Renames,
    recreated_functions: &[QualifiedName],
    changes: &mut Vec<Change>,
) {
    let name = &want.name;
    columns::renames(name, renames.columns_of(&have.name), changes);
    // Everything else is compared with the table as it is after the renames.
    let have = &rename::after(have, name, renames);
    let retyped = columns::diff(have, want, changes);
    constraints::diff(have, want, options, changes);
    indexes::diff(have, want, options, changes);
    replica_identity::diff(Some(have), want, changes);
    rls::diff(
        Some(have),
        want,
        options,
        !retyped.is_empty(),
        recreated_functions,
        changes,
    );
    grants::diff(
        &format!("table {name}"),
        &format!("TABLE {name}"),
        &grants::effective(&have.acl, Kind::Table),
        &grants::effective(&want.acl, Kind::Table),
        options.tenant_tables.get(name),
        changes,
    );
    grants::diff_columns(
        &format!("table {name}"),
        &format!("TABLE {name}"),
        &have.column_grants,
        &want.column_grants,
        options.tenant_tables.get(name),
        changes,
    );
    if have.comment != want.comment {
        changes.push(
            Change::new(Action::Alter, format!("comment on table {name}")).step(
                Phase::Comments,
                comment(&format!("TABLE {name}"), want.comment.as_deref()),
            ),
        );
    }
}
