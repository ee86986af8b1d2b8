//! The TOML shape of triggers and event triggers.
//!
//! A trigger is declared in its table (`[tables.tasks] triggers.set_updated_at =
//! { ... }`) or, for a table the project does not declare (Supabase's
//! `auth.users`), at the top of a schema file keyed by `schema.table.name`
//! (`[triggers."auth.users.on_auth_user_created"]`). Event triggers are
//! database-wide: `[event_triggers.<name>]`.

use serde::{Deserialize, Serialize};
use toml::Spanned;

type Text = Spanned<String>;

/// One trigger.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerDecl {
    /// `before`, `after` or `instead of`.
    pub timing: Spanned<TriggerTiming>,
    /// The events that fire it (`insert`, `update`, `delete`, `truncate`).
    pub events: Spanned<Vec<Spanned<TriggerEvent>>>,
    /// `row` (`FOR EACH ROW`) or `statement`; required, since PostgreSQL's default
    /// (statement) leaves `new` and `old` null, which is rarely what is meant.
    pub level: Spanned<TriggerLevel>,
    /// The trigger function (`schema.name` or `name`), which returns `trigger`.
    pub function: Text,
    /// Arguments passed to the function (`TG_ARGV`), as string literals.
    #[serde(default)]
    pub args: Vec<Text>,
    /// `WHEN (...)`: the condition, in terms of `old` and `new`.
    pub when: Option<Text>,
    /// `UPDATE OF` these columns.
    #[serde(default)]
    pub columns: Vec<Text>,
    /// Transition tables of an AFTER trigger.
    pub referencing: Option<Spanned<ReferencingDecl>>,
    /// Whether it fires (default true): false is `ALTER TABLE ... DISABLE TRIGGER`.
    pub enabled: Option<bool>,
}

/// `referencing = { new_table = "...", old_table = "..." }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferencingDecl {
    /// `REFERENCING NEW TABLE AS ...`.
    pub new_table: Option<Text>,
    /// `REFERENCING OLD TABLE AS ...`.
    pub old_table: Option<Text>,
}

/// When a trigger fires relative to its event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum TriggerTiming {
    /// `BEFORE`.
    #[serde(rename = "before")]
    Before,
    /// `AFTER`.
    #[serde(rename = "after")]
    After,
    /// `INSTEAD OF` (views only).
    #[serde(rename = "instead of", alias = "instead_of")]
    InsteadOf,
}

impl TriggerTiming {
    /// The SQL keyword(s).
    pub fn keyword(self) -> &'static str {
        match self {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
            TriggerTiming::InsteadOf => "INSTEAD OF",
        }
    }
}

/// An event that fires a trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
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

impl TriggerEvent {
    /// The SQL keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            TriggerEvent::Insert => "INSERT",
            TriggerEvent::Update => "UPDATE",
            TriggerEvent::Delete => "DELETE",
            TriggerEvent::Truncate => "TRUNCATE",
        }
    }
}

/// `FOR EACH ROW` or `FOR EACH STATEMENT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TriggerLevel {
    /// Once per row.
    Row,
    /// Once per statement.
    Statement,
}

/// `[event_triggers.<name>]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTriggerDecl {
    /// The event (`ddl_command_start`, `ddl_command_end`, `sql_drop`, `table_rewrite`).
    pub event: Spanned<EventTriggerEvent>,
    /// Command tags it is limited to (`WHEN TAG IN (...)`), e.g. `"CREATE TABLE"`.
    #[serde(default)]
    pub tags: Vec<Text>,
    /// The function (`schema.name`), which returns `event_trigger`.
    pub function: Text,
    /// Whether it fires (default true).
    pub enabled: Option<bool>,
}

/// The event of an event trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventTriggerEvent {
    /// Before a DDL command.
    DdlCommandStart,
    /// After a DDL command.
    DdlCommandEnd,
    /// After objects are dropped.
    SqlDrop,
    /// Before a table is rewritten.
    TableRewrite,
}

impl EventTriggerEvent {
    /// The event's name in SQL.
    pub fn name(self) -> &'static str {
        match self {
            EventTriggerEvent::DdlCommandStart => "ddl_command_start",
            EventTriggerEvent::DdlCommandEnd => "ddl_command_end",
            EventTriggerEvent::SqlDrop => "sql_drop",
            EventTriggerEvent::TableRewrite => "table_rewrite",
        }
    }
}
