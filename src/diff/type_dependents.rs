//! What uses a type, and whether the plan changes it before the type is
//! dropped or rebuilt (shared by `types` and `enums`).

use super::Options;
use crate::catalog::{Dependent, DependentKind};
use crate::sql::quote_ident;

/// Whether the plan itself drops or changes the dependent before the type goes:
/// what the declaration expresses, in an owned schema (the desired database,
/// built without the type, cannot hold it).
pub(super) fn changed_with_the_plan(d: &Dependent, options: &Options) -> bool {
    let declarable = match d.kind {
        // Views and triggers are declarable: one of an owned schema that uses a
        // dropped type cannot be declared (the desired build would fail), so
        // the plan drops it first (`Phase::DropViews`).
        DependentKind::Column => {
            d.description.contains(" of table ") || d.description.contains(" of view ")
        }
        DependentKind::View
        | DependentKind::Trigger
        | DependentKind::ColumnDefault
        | DependentKind::Policy
        | DependentKind::Constraint
        | DependentKind::Index
        | DependentKind::Function => true,
        _ => false,
    };
    declarable
        && options
            .schemas
            .iter()
            .any(|s| d.description.contains(&format!(" {}.", quote_ident(s))))
}

/// `column r of table app.u, default value for column r of table app.u`.
pub(super) fn described(dependents: &[Dependent]) -> String {
    dependents
        .iter()
        .map(|d| d.description.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
