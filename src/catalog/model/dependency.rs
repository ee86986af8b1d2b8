//! What uses the relations and columns of the inspected schemas (`pg_depend`):
//! the graph that orders drops and rebuilds, and names what a change would break.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::RoutineRef;
use crate::catalog::QualifiedName;

/// One `pg_depend` edge onto a relation of the inspected schemas: `dependent`
/// uses `relation` (its `column`, when the edge names one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Dependency {
    /// The relation used (table, view, materialized view, foreign table).
    pub relation: QualifiedName,
    /// The column used, when the edge names one (`refobjsubid`).
    pub column: Option<String>,
    /// The object that uses it (in any schema).
    pub dependent: DependentObject,
    /// The dependent as PostgreSQL describes it (`pg_describe_object`):
    /// `view app.v`, `policy p on table app.t`.
    pub description: String,
}

/// An object that uses a relation, with the names that identify it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DependentObject {
    /// A view (its query reads the relation).
    View {
        /// The view.
        name: QualifiedName,
    },
    /// A materialized view.
    MaterializedView {
        /// The materialized view.
        name: QualifiedName,
    },
    /// A policy (on `table`) whose expressions read the relation, or a policy of the relation.
    Policy {
        /// The table the policy is on.
        table: QualifiedName,
        /// The policy.
        name: String,
    },
    /// A trigger (on `table`).
    Trigger {
        /// The table or view the trigger is on.
        table: QualifiedName,
        /// The trigger.
        name: String,
    },
    /// A constraint (on `table`): a check, or a foreign key referencing the relation.
    Constraint {
        /// The table the constraint is on.
        table: QualifiedName,
        /// The constraint.
        name: String,
    },
    /// A column default (of `table`).
    ColumnDefault {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: String,
    },
    /// A rewrite rule other than a view's own.
    Rule {
        /// The relation the rule is on.
        relation: QualifiedName,
        /// The rule.
        name: String,
    },
    /// A function whose SQL-standard body reads the relation.
    Function {
        /// The function.
        routine: RoutineRef,
    },
}

impl DependentObject {
    /// The relation the object belongs to (a view is its own); None for a function.
    pub fn relation(&self) -> Option<&QualifiedName> {
        match self {
            DependentObject::View { name } | DependentObject::MaterializedView { name } => {
                Some(name)
            }
            DependentObject::Policy { table, .. }
            | DependentObject::Trigger { table, .. }
            | DependentObject::Constraint { table, .. }
            | DependentObject::ColumnDefault { table, .. } => Some(table),
            DependentObject::Rule { relation, .. } => Some(relation),
            DependentObject::Function { .. } => None,
        }
    }

    /// The view or materialized view this is, if it is one.
    pub fn view(&self) -> Option<&QualifiedName> {
        match self {
            DependentObject::View { name } | DependentObject::MaterializedView { name } => {
                Some(name)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Dependency {
    /// `view app.v`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description)
    }
}
