//! The target's real dependencies (`Catalog::dependencies`, read from
//! `pg_depend`) applied to the diff: which columns and tables change, the order
//! in which relations that use each other are dropped, and the refusal of a
//! change that an object rlsctl does not manage depends on.
//!
//! Decision: a column drop or type change, or a table drop, that an unmanaged
//! object (an undeclared view, trigger, rule or function, or one in a schema
//! the project does not own) depends on is a `Hazard::HarmsUnmanaged` on that
//! change, which no flag allows: the plan is still shown whole, and `apply`
//! refuses it up front instead of failing mid-apply with 2BP01 (or, for
//! automatic dependencies, dropping the object silently).

use std::collections::BTreeSet;

use super::{Action, Change, Hazard, Options, owned};
use crate::catalog::{Catalog, Dependency, DependentObject, QualifiedName};
use crate::sql::quote_ident;

/// A column of the target that the plan drops or retypes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ChangedColumn {
    /// Its table, by its current name.
    pub table: QualifiedName,
    /// Its current name.
    pub column: String,
    /// True when it is dropped; false when its type changes.
    pub dropped: bool,
}

/// The owned tables of `current` that `desired` neither declares nor renames to.
pub(super) fn dropped_tables(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
) -> Vec<QualifiedName> {
    current
        .tables
        .iter()
        .filter(|t| owned(&t.name, options) && t.partition_of.is_none())
        .filter(|t| {
            desired.table(&t.name).is_none() && renamed_to(&t.name, desired, options).is_none()
        })
        .map(|t| t.name.clone())
        .collect()
}

/// The declared table that `old` is renamed to, if any.
fn renamed_to<'a>(
    old: &QualifiedName,
    desired: &'a Catalog,
    options: &Options,
) -> Option<&'a crate::catalog::Table> {
    options
        .table_renames
        .iter()
        .find(|(new, from)| new.schema == old.schema && **from == old.name)
        .and_then(|(new, _)| desired.table(new))
}

/// The columns of kept tables that are dropped or change type.
pub(super) fn changed_columns(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
) -> Vec<ChangedColumn> {
    let mut out = Vec::new();
    for have in current
        .tables
        .iter()
        .filter(|t| owned(&t.name, options) && t.partition_of.is_none())
    {
        let Some(want) = desired
            .table(&have.name)
            .or_else(|| renamed_to(&have.name, desired, options))
        else {
            continue;
        };
        for col in have.columns.iter().filter(|c| !c.inherited) {
            let declared = want.column(&col.name).or_else(|| {
                want.columns.iter().find(|c| {
                    options
                        .column_renames
                        .get(&(want.name.clone(), c.name.clone()))
                        == Some(&col.name)
                })
            });
            let dropped = match declared {
                None => true,
                Some(c) if c.data_type != col.data_type => false,
                Some(_) => continue,
            };
            out.push(ChangedColumn {
                table: have.name.clone(),
                column: col.name.clone(),
                dropped,
            });
        }
    }
    out
}

/// `names` (relations all dropped by the plan) in an order that drops each
/// before the relations it uses (through its policies, constraints, triggers,
/// or its query), so that no DROP fails on a dependent that goes later.
/// Otherwise the given order; a cycle keeps it too.
pub(super) fn drop_order(names: &[QualifiedName], catalog: &Catalog) -> Vec<QualifiedName> {
    let mut pending: Vec<QualifiedName> = names.to_vec();
    let mut out = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        // The first not used by another pending relation goes first.
        let next = pending
            .iter()
            .position(|y| !pending.iter().any(|x| uses(catalog, x, y)))
            .unwrap_or(0);
        out.push(pending.remove(next));
    }
    out
}

/// `names` (relations all created by the plan) in an order that creates each
/// after the relations it uses; otherwise the given order.
pub(super) fn create_order(names: &[QualifiedName], catalog: &Catalog) -> Vec<QualifiedName> {
    let mut pending: Vec<QualifiedName> = names.to_vec();
    let mut out = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        // The first that uses no other pending relation goes first.
        let next = pending
            .iter()
            .position(|x| !pending.iter().any(|y| uses(catalog, x, y)))
            .unwrap_or(0);
        out.push(pending.remove(next));
    }
    out
}

/// Whether an object of relation `x` (its query, a policy, a trigger, a
/// constraint) uses relation `y`.
fn uses(catalog: &Catalog, x: &QualifiedName, y: &QualifiedName) -> bool {
    x != y
        && catalog
            .dependents_of(y, None)
            .any(|d| d.dependent.relation() == Some(x))
}

/// Whether the diff itself takes care of `dependency` when what it uses changes:
/// a declared view is rebuilt, a policy, constraint or default of an owned table
/// is declared (and changes) or is dropped, a declared trigger, rule or function
/// is changed with the declaration.
pub(super) fn managed(dependency: &Dependency, desired: &Catalog, options: &Options) -> bool {
    match &dependency.dependent {
        DependentObject::View { name } | DependentObject::MaterializedView { name } => {
            owned(name, options) && desired.view(name).is_some()
        }
        DependentObject::Policy { table, .. }
        | DependentObject::Constraint { table, .. }
        | DependentObject::ColumnDefault { table, .. } => owned(table, options),
        DependentObject::Trigger { table, name } => {
            owned(table, options)
                && (desired
                    .table(table)
                    .is_some_and(|t| t.triggers.iter().any(|g| &g.name == name))
                    || desired
                        .view(table)
                        .is_some_and(|v| v.triggers.iter().any(|g| &g.name == name)))
        }
        DependentObject::Rule { relation, name } => {
            owned(relation, options)
                && desired
                    .rules
                    .iter()
                    .any(|r| &r.relation == relation && &r.name == name)
        }
        DependentObject::Function { routine } => {
            owned(&routine.name, options)
                && desired
                    .function(&routine.name, &routine.identity_arguments)
                    .is_some()
        }
    }
}

/// The reason of a `HarmsUnmanaged` hazard: what `what` is used by.
pub(super) fn harm_reason(what: &str, users: &BTreeSet<String>) -> String {
    let users: Vec<&str> = users.iter().map(String::as_str).collect();
    format!(
        "{what} is used by {}, which rlsctl does not manage (not declared): the change would fail or drop it; declare it, or change or drop it yourself first",
        users.join(", ")
    )
}

/// Marks each column or table change that an unmanaged object depends on with
/// `Hazard::HarmsUnmanaged`, naming the dependents.
pub(super) fn refuse_harm_to_unmanaged(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let dropped = dropped_tables(current, desired, options);
    for table in &dropped {
        let users: BTreeSet<String> = current
            .dependents_of(table, None)
            // What belongs to a dropped table goes with it.
            .filter(|d| d.dependent.relation().is_none_or(|r| !dropped.contains(r)))
            .filter(|d| !managed(d, desired, options))
            .map(|d| d.description.clone())
            .collect();
        if !users.is_empty() {
            let hazard = Hazard::HarmsUnmanaged(harm_reason(&format!("table {table}"), &users));
            attach(changes, Action::Drop, &format!("table {table}"), hazard);
        }
    }
    for changed in changed_columns(current, desired, options) {
        let users: BTreeSet<String> = current
            .dependents_of(&changed.table, Some(&changed.column))
            .filter(|d| !managed(d, desired, options))
            .map(|d| d.description.clone())
            .collect();
        if !users.is_empty() {
            let object = format!("column {}.{}", changed.table, quote_ident(&changed.column));
            let hazard = Hazard::HarmsUnmanaged(harm_reason(&object, &users));
            let action = if changed.dropped {
                Action::Drop
            } else {
                Action::Alter
            };
            attach(changes, action, &object, hazard);
        }
    }
}

/// Adds `hazard` to the first change of `object` with `action` (a change of
/// its own when there is none).
fn attach(changes: &mut Vec<Change>, action: Action, object: &str, hazard: Hazard) {
    match changes
        .iter_mut()
        .find(|c| c.action == action && c.object == object)
    {
        Some(change) => change.hazards.push(hazard),
        None => changes.push(Change::new(action, object).hazard(hazard)),
    }
}
