//! Triggers and event triggers: created, replaced (`CREATE OR REPLACE TRIGGER`
//! on PostgreSQL 14+, else dropped and created), enabled or disabled, and the
//! undeclared triggers of declared tables dropped with a hazard (an audit trail's
//! trigger with `BehaviourLost`: auditing stops). What the
//! project does not own is left alone: triggers on tables of other schemas and
//! event triggers are changed only when declared, never dropped.

use super::{Action, Change, Hazard, Options, Phase, owned};
use crate::catalog::{Catalog, EventTrigger, QualifiedName, Trigger, TriggerEnabled};
use crate::spec::declaration::AUDIT_TRIGGER;
use crate::sql::{quote_ident, quote_literal};

/// The first server version with `CREATE OR REPLACE TRIGGER`.
const OR_REPLACE_SINCE: i32 = 140000;

/// Trigger and event trigger changes.
pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let or_replace = current.server_version_num >= OR_REPLACE_SINCE;
    for want in desired
        .tables
        .iter()
        .filter(|t| owned(&t.name, options) && t.partition_of.is_none())
    {
        let have = current.table(&want.name).or_else(|| {
            let old = options.table_renames.get(&want.name)?;
            current.table(&QualifiedName::new(&want.name.schema, old))
        });
        let have_triggers: &[Trigger] = have.map_or(&[], |t| &t.triggers);
        table(
            &want.name,
            have_triggers,
            &want.triggers,
            true,
            or_replace,
            changes,
        );
    }
    let mut external: Vec<&QualifiedName> =
        desired.external_triggers.iter().map(|e| &e.table).collect();
    external.dedup();
    for name in external {
        let of = |c: &Catalog| -> Vec<Trigger> {
            c.external_triggers
                .iter()
                .filter(|e| &e.table == name)
                .map(|e| e.trigger.clone())
                .collect()
        };
        table(name, &of(current), &of(desired), false, or_replace, changes);
    }
    for want in desired
        .event_triggers
        .iter()
        .filter(|e| projects(e, options))
    {
        let have = current.event_triggers.iter().find(|e| e.name == want.name);
        event_trigger(have, want, changes);
    }
}

/// The triggers of one table; `drop_undeclared` for a table the project owns.
fn table(
    name: &QualifiedName,
    have: &[Trigger],
    want: &[Trigger],
    drop_undeclared: bool,
    or_replace: bool,
    changes: &mut Vec<Change>,
) {
    for w in want.iter().filter(|t| !t.inherited) {
        let object = format!("trigger {} on {name}", quote_ident(&w.name));
        match have.iter().find(|h| h.name == w.name) {
            None => {
                let mut change =
                    Change::new(Action::Create, object).step(Phase::Triggers, w.definition.clone());
                if w.enabled != TriggerEnabled::Origin {
                    change = change.step(Phase::Triggers, set_enabled(name, w));
                }
                changes.push(change);
            }
            Some(h) if h.definition != w.definition => {
                let mut change = Change::new(Action::Alter, object)
                    .detail("definition")
                    .text("definition", Some(&h.definition), Some(&w.definition));
                if or_replace && w.definition.starts_with("CREATE TRIGGER ") {
                    change = change.step(
                        Phase::Triggers,
                        w.definition
                            .replacen("CREATE TRIGGER ", "CREATE OR REPLACE TRIGGER ", 1),
                    );
                } else {
                    change = change
                        .step(Phase::DropConstraints, drop_trigger(name, &h.name))
                        .step(Phase::Triggers, w.definition.clone());
                }
                // A created (or replaced) trigger fires on origin.
                if w.enabled != TriggerEnabled::Origin {
                    change = change.step(Phase::Triggers, set_enabled(name, w));
                }
                changes.push(change);
            }
            Some(h) if h.enabled != w.enabled => changes.push(
                Change::new(Action::Alter, object)
                    .detail(format!(
                        "{} → {}",
                        enabled_word(h.enabled),
                        enabled_word(w.enabled)
                    ))
                    .step(Phase::Triggers, set_enabled(name, w)),
            ),
            Some(_) => {}
        }
    }
    if !drop_undeclared {
        return;
    }
    for h in have
        .iter()
        .filter(|h| !h.inherited && !want.iter().any(|w| w.name == h.name))
    {
        let hazard = if h.name == AUDIT_TRIGGER {
            // Turning auditing off: the data stays, the trail stops.
            Hazard::BehaviourLost(format!(
                "auditing of {name} stops: its changes are no longer recorded (the entries so far are kept; it executes {}())",
                h.function
            ))
        } else {
            Hazard::BreaksDependents(format!(
                "the trigger exists on the target and is not declared; what it does stops (it executes {}())",
                h.function
            ))
        };
        changes.push(
            Change::new(
                Action::Drop,
                format!("trigger {} on {name}", quote_ident(&h.name)),
            )
            .hazard(hazard)
            .step(Phase::DropConstraints, drop_trigger(name, &h.name)),
        );
    }
}

fn drop_trigger(table: &QualifiedName, name: &str) -> String {
    format!("DROP TRIGGER {} ON {table}", quote_ident(name))
}

fn set_enabled(table: &QualifiedName, t: &Trigger) -> String {
    format!(
        "ALTER TABLE {table} {} TRIGGER {}",
        enable_keyword(t.enabled),
        quote_ident(&t.name)
    )
}

fn enable_keyword(enabled: TriggerEnabled) -> &'static str {
    match enabled {
        TriggerEnabled::Origin => "ENABLE",
        TriggerEnabled::Disabled => "DISABLE",
        TriggerEnabled::Replica => "ENABLE REPLICA",
        TriggerEnabled::Always => "ENABLE ALWAYS",
    }
}

fn enabled_word(enabled: TriggerEnabled) -> &'static str {
    match enabled {
        TriggerEnabled::Origin => "enabled",
        TriggerEnabled::Disabled => "disabled",
        TriggerEnabled::Replica => "enabled on replicas",
        TriggerEnabled::Always => "enabled always",
    }
}

/// Whether an event trigger is the project's: its function is in an owned
/// schema (those of `dev_setup`, an extension's, the platform's are not).
pub(super) fn projects(e: &EventTrigger, options: &Options) -> bool {
    owned(&e.function, options)
}

fn event_trigger(have: Option<&EventTrigger>, want: &EventTrigger, changes: &mut Vec<Change>) {
    let name = quote_ident(&want.name);
    let object = format!("event trigger {name}");
    let enable = format!(
        "ALTER EVENT TRIGGER {name} {}",
        match want.enabled {
            TriggerEnabled::Origin => "ENABLE",
            TriggerEnabled::Disabled => "DISABLE",
            TriggerEnabled::Replica => "ENABLE REPLICA",
            TriggerEnabled::Always => "ENABLE ALWAYS",
        }
    );
    match have {
        None => {
            let mut change = Change::new(Action::Create, object)
                .step(Phase::Triggers, create_event_trigger(want));
            if want.enabled != TriggerEnabled::Origin {
                change = change.step(Phase::Triggers, enable);
            }
            changes.push(change);
        }
        Some(h)
            if (&h.event, &h.tags, &h.function) != (&want.event, &want.tags, &want.function) =>
        {
            // There is no CREATE OR REPLACE EVENT TRIGGER; both run in the one transaction.
            let mut change = Change::new(Action::Alter, object)
                .detail("event, tags or function")
                .step(Phase::DropConstraints, format!("DROP EVENT TRIGGER {name}"))
                .step(Phase::Triggers, create_event_trigger(want));
            if want.enabled != TriggerEnabled::Origin {
                change = change.step(Phase::Triggers, enable);
            }
            changes.push(change);
        }
        Some(h) if h.enabled != want.enabled => changes.push(
            Change::new(Action::Alter, object)
                .detail(format!(
                    "{} → {}",
                    enabled_word(h.enabled),
                    enabled_word(want.enabled)
                ))
                .step(Phase::Triggers, enable),
        ),
        Some(_) => {}
    }
}

fn create_event_trigger(e: &EventTrigger) -> String {
    let mut sql = format!(
        "CREATE EVENT TRIGGER {} ON {}",
        quote_ident(&e.name),
        quote_ident(&e.event)
    );
    if !e.tags.is_empty() {
        let tags: Vec<String> = e.tags.iter().map(|t| quote_literal(t)).collect();
        sql.push_str(&format!(" WHEN TAG IN ({})", tags.join(", ")));
    }
    sql.push_str(&format!(" EXECUTE FUNCTION {}()", e.function));
    sql
}

/// The triggers the diff leaves alone that execute `function`, described as
/// PostgreSQL does: undeclared ones on tables of other schemas and on views, and
/// every event trigger (never dropped). An undeclared function they use is kept.
pub(super) fn left_alone_users(
    current: &Catalog,
    desired: &Catalog,
    function: &QualifiedName,
) -> Vec<String> {
    let mut out = Vec::new();
    for e in current
        .external_triggers
        .iter()
        .filter(|e| &e.trigger.function == function)
    {
        if !desired
            .external_triggers
            .iter()
            .any(|d| d.table == e.table && d.trigger.name == e.trigger.name)
        {
            out.push(format!(
                "trigger {} on table {}",
                quote_ident(&e.trigger.name),
                e.table
            ));
        }
    }
    for v in &current.views {
        for t in v.triggers.iter().filter(|t| &t.function == function) {
            out.push(format!(
                "trigger {} on view {}",
                quote_ident(&t.name),
                v.name
            ));
        }
    }
    for e in current
        .event_triggers
        .iter()
        .filter(|e| &e.function == function)
    {
        out.push(format!("event trigger {}", quote_ident(&e.name)));
    }
    out
}

/// The undeclared triggers on tables of other schemas, `(name, table, function)`:
/// listed as unmanaged, never dropped.
pub(super) fn unmanaged_external<'a>(
    current: &'a Catalog,
    desired: &'a Catalog,
) -> impl Iterator<Item = (&'a Trigger, &'a QualifiedName)> {
    current.external_triggers.iter().filter_map(move |e| {
        let declared = desired
            .external_triggers
            .iter()
            .any(|d| d.table == e.table && d.trigger.name == e.trigger.name);
        (!declared).then_some((&e.trigger, &e.table))
    })
}

/// The project's event triggers (see [`projects`]) that are not declared:
/// listed as unmanaged, never dropped.
pub(super) fn unmanaged_event_triggers<'a>(
    current: &'a Catalog,
    desired: &'a Catalog,
    options: &'a Options,
) -> impl Iterator<Item = &'a EventTrigger> {
    current.event_triggers.iter().filter(move |e| {
        projects(e, options) && !desired.event_triggers.iter().any(|d| d.name == e.name)
    })
}
