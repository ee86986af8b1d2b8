//! Triggers.

use serde::{Deserialize, Serialize};

use crate::catalog::QualifiedName;

/// A user-defined trigger (internal ones, such as foreign-key triggers, are not read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// The trigger's name (unique within its table).
    pub name: String,
    /// The trigger function.
    pub function: QualifiedName,
    /// `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub timing: TriggerTiming,
    /// The events that fire it, sorted.
    pub events: Vec<TriggerEvent>,
    /// `FOR EACH ROW` (else `FOR EACH STATEMENT`).
    pub for_each_row: bool,
    /// Whether and when it fires (`ALTER TABLE ... ENABLE/DISABLE TRIGGER`).
    pub enabled: TriggerEnabled,
    /// Cloned from the partitioned parent's trigger.
    pub inherited: bool,
    /// The whole `CREATE TRIGGER` statement as `pg_get_triggerdef` prints it.
    pub definition: String,
}

/// When a trigger fires relative to its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    /// `BEFORE`.
    Before,
    /// `AFTER`.
    After,
    /// `INSTEAD OF` (views only).
    InsteadOf,
}

/// An event that fires a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEvent {
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
    /// `TRUNCATE`.
    Truncate,
}

/// Whether a trigger fires (`tgenabled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEnabled {
    /// Fires in origin and local sessions (`O`, the default).
    Origin,
    /// Disabled (`D`).
    Disabled,
    /// Fires only in replica sessions (`R`).
    Replica,
    /// Fires always (`A`).
    Always,
}

/// A trigger on a table outside the inspected schemas that executes a function
/// of one of them: the project's trigger on a table it does not own
/// (`auth.users` → `public.handle_new_user()`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalTrigger {
    /// The table it is on.
    pub table: QualifiedName,
    /// The trigger.
    pub trigger: Trigger,
}

/// An event trigger (`pg_event_trigger`), database-wide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTrigger {
    /// Its name.
    pub name: String,
    /// The event (`ddl_command_end`, ...).
    pub event: String,
    /// The command tags it is limited to, sorted; empty for all.
    pub tags: Vec<String>,
    /// The function it executes.
    pub function: QualifiedName,
    /// Whether and when it fires (`evtenabled`).
    pub enabled: TriggerEnabled,
}
