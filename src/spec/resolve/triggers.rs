//! Triggers (in a table, or `[triggers."schema.table.name"]` for a table of a
//! schema the project does not own) and `[event_triggers.*]`.

use super::context::{Context, check_identifier};
use crate::spec::declaration::{
    EventTrigger, Function, Table, Trigger, TriggerEvent, TriggerTiming,
};
use crate::spec::diagnostic::FileId;
use crate::spec::load::Spec;
use crate::spec::model::Text;
use crate::spec::triggers::{EventTriggerDecl, TriggerDecl, TriggerLevel};
use crate::sql::QualifiedName;

/// Resolves every trigger, checking its table, function and clauses.
pub(super) fn resolve(
    cx: &mut Context,
    spec: &Spec,
    tables: &[Table],
    functions: &[Function],
) -> Vec<Trigger> {
    let mut out: Vec<Trigger> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (table_key, table) in &schema_file.tables {
            let Some(table_name) = quiet_qualify(cx, table_key.get_ref()) else {
                continue;
            };
            for (key, decl) in &table.get_ref().triggers {
                let declared = tables.iter().find(|t| t.name == table_name);
                if let Some(t) = trigger(
                    cx,
                    *file,
                    &table_name,
                    declared,
                    key,
                    key.get_ref(),
                    decl.get_ref(),
                    functions,
                    &out,
                ) {
                    out.push(t);
                }
            }
        }
        for (key, decl) in &schema_file.triggers {
            let parts: Vec<&str> = key.get_ref().split('.').collect();
            let (table_name, name) = match parts.as_slice() {
                [table, name] if !table.is_empty() && !name.is_empty() => {
                    (QualifiedName::new(&cx.default_schema, *table), *name)
                }
                [schema, table, name]
                    if !schema.is_empty() && !table.is_empty() && !name.is_empty() =>
                {
                    (QualifiedName::new(*schema, *table), *name)
                }
                _ => {
                    cx.error_help(
                        *file,
                        key.span(),
                        format!("invalid trigger key {:?}", key.get_ref()),
                        "write the key as \"schema.table.trigger_name\", e.g. [triggers.\"auth.users.on_auth_user_created\"]",
                    );
                    continue;
                }
            };
            let declared = tables.iter().find(|t| t.name == table_name);
            if declared.is_none() && cx.schemas.contains(&table_name.schema) {
                cx.error_help(
                    *file,
                    key.span(),
                    format!("trigger {name:?} is on table {table_name}, which is not declared"),
                    "declare the table in [tables], with the trigger in it (triggers.NAME = { ... }); [triggers.\"schema.table.name\"] is for tables of schemas the project does not own",
                );
                continue;
            }
            if let Some(t) = trigger(
                cx,
                *file,
                &table_name,
                declared,
                key,
                name,
                decl.get_ref(),
                functions,
                &out,
            ) {
                out.push(t);
            }
        }
    }
    out
}

/// `name` or `schema.name` with the default schema, without diagnostics (the
/// table's own resolution reports a bad name).
fn quiet_qualify(cx: &Context, raw: &str) -> Option<QualifiedName> {
    match raw.split('.').collect::<Vec<_>>().as_slice() {
        [name] if !name.is_empty() => Some(QualifiedName::new(&cx.default_schema, *name)),
        [schema, name] if !schema.is_empty() && !name.is_empty() => {
            Some(QualifiedName::new(*schema, *name))
        }
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn trigger(
    cx: &mut Context,
    file: FileId,
    table: &QualifiedName,
    declared: Option<&Table>,
    key: &Text,
    name: &str,
    d: &TriggerDecl,
    functions: &[Function],
    so_far: &[Trigger],
) -> Option<Trigger> {
    check_identifier(cx, file, key, name);
    if so_far.iter().any(|t| &t.table == table && t.name == name) {
        cx.error_help(
            file,
            key.span(),
            format!("trigger {name:?} on {table} is declared twice"),
            "trigger names are unique per table; rename one",
        );
        return None;
    }
    let mut ok = true;
    let timing = *d.timing.get_ref();
    let for_each_row = *d.level.get_ref() == TriggerLevel::Row;
    let mut events: Vec<TriggerEvent> = Vec::new();
    for e in d.events.get_ref() {
        if events.contains(e.get_ref()) {
            cx.error(
                file,
                e.span(),
                format!(
                    "event {:?} is listed twice",
                    e.get_ref().keyword().to_lowercase()
                ),
            );
            ok = false;
        } else {
            events.push(*e.get_ref());
        }
    }
    // An event the file misspelt is reported where it is, and left out here.
    let written_empty = cx
        .sources
        .get(file)
        .text
        .get(d.events.span())
        .is_some_and(|t| {
            t.trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                .is_empty()
        });
    if events.is_empty() && written_empty {
        cx.error_help(
            file,
            d.events.span(),
            "a trigger needs at least one event",
            "list its events: events = [\"insert\", \"update\", \"delete\", \"truncate\"]",
        );
        ok = false;
    }
    if timing == TriggerTiming::InsteadOf {
        cx.error_help(
            file,
            d.timing.span(),
            format!("INSTEAD OF triggers are for views, and {table} is a table"),
            "use \"before\" or \"after\"",
        );
        ok = false;
    }
    if events.contains(&TriggerEvent::Truncate) && for_each_row {
        cx.error_help(
            file,
            d.level.span(),
            "a TRUNCATE trigger fires once per statement",
            "use level = \"statement\", or leave \"truncate\" out of events",
        );
        ok = false;
    }
    if !d.columns.is_empty() && !events.contains(&TriggerEvent::Update) {
        cx.error_help(
            file,
            d.columns[0].span(),
            "columns (UPDATE OF) need the update event",
            "add \"update\" to events, or remove columns",
        );
        ok = false;
    }
    if let Some(t) = declared {
        for c in &d.columns {
            if !t.columns.iter().any(|col| &col.name == c.get_ref()) {
                cx.error(
                    file,
                    c.span(),
                    format!("table {table} has no column {:?}", c.get_ref()),
                );
                ok = false;
            }
        }
    }
    let (mut new_table, mut old_table) = (None, None);
    if let Some(r) = &d.referencing {
        if timing != TriggerTiming::After {
            cx.error_help(
                file,
                r.span(),
                "transition tables (referencing) are for AFTER triggers",
                "use timing = \"after\"",
            );
            ok = false;
        }
        new_table = r.get_ref().new_table.as_ref().map(|t| t.get_ref().clone());
        old_table = r.get_ref().old_table.as_ref().map(|t| t.get_ref().clone());
        if new_table.is_none() && old_table.is_none() {
            cx.error_help(
                file,
                r.span(),
                "referencing names no transition table",
                "write referencing = { new_table = \"inserted\" } or old_table",
            );
            ok = false;
        }
    }
    let when = d.when.as_ref().map(|w| {
        ok &= cx.expression(file, w, "trigger condition").is_some();
        w.get_ref().clone()
    });
    let function = function_of(cx, file, &d.function, "trigger", functions);
    if declared.is_none()
        && function
            .as_ref()
            .is_some_and(|f| !cx.schemas.contains(&f.schema))
    {
        cx.error_help(
            file,
            d.function.span(),
            format!("trigger {name:?} on {table} runs {}, a function of a schema the project does not own", d.function.get_ref()),
            "a trigger on a table the project does not declare must run one of the project's functions (rlsctl reads such triggers by their function)",
        );
        ok = false;
    }
    let function = function?;
    if !ok {
        return None;
    }
    Some(Trigger {
        table: table.clone(),
        name: name.to_string(),
        timing,
        events,
        for_each_row,
        columns: d.columns.iter().map(|c| c.get_ref().clone()).collect(),
        new_table,
        old_table,
        when,
        when_origin: d.when.as_ref().map(|w| cx.value_origin(file, w)),
        function,
        args: d.args.iter().map(|a| a.get_ref().clone()).collect(),
        enabled: d.enabled.unwrap_or(true),
        origin: Some(cx.origin(file, key.span())),
    })
}

/// The trigger's (`what` = "trigger") or event trigger's function: a declared
/// function returning `trigger` / `event_trigger`, or one of a schema the project
/// does not own (an extension's, such as `extensions.moddatetime`).
fn function_of(
    cx: &mut Context,
    file: FileId,
    text: &Text,
    what: &str,
    functions: &[Function],
) -> Option<QualifiedName> {
    let name = quiet_qualify(cx, text.get_ref()).or_else(|| {
        cx.error_help(
            file,
            text.span(),
            format!("invalid function name {:?}", text.get_ref()),
            "write the function as `name` or `schema.name`",
        );
        None
    })?;
    let returns = if what == "trigger" {
        "trigger"
    } else {
        "event_trigger"
    };
    if !cx.schemas.contains(&name.schema) {
        return Some(name);
    }
    match functions.iter().find(|f| f.name == name) {
        None => {
            cx.error_help(
                file,
                text.span(),
                format!("function {name} is not declared"),
                format!("declare it in [functions.\"{name}\"] with returns = \"{returns}\""),
            );
            None
        }
        Some(f) if !f.returns.eq_ignore_ascii_case(returns) => {
            cx.error_help(
                file,
                text.span(),
                format!("function {name} returns {}, not {returns}", f.returns),
                format!(
                    "{what} functions are declared with returns = \"{returns}\" and no arguments"
                ),
            );
            None
        }
        Some(_) => Some(name),
    }
}

/// Resolves `[event_triggers.*]`.
pub(super) fn event_triggers(
    cx: &mut Context,
    spec: &Spec,
    functions: &[Function],
) -> Vec<EventTrigger> {
    let mut out: Vec<EventTrigger> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (key, decl) in &schema_file.event_triggers {
            let name = key.get_ref();
            check_identifier(cx, *file, key, name);
            if out.iter().any(|e| &e.name == name) {
                cx.error(
                    *file,
                    key.span(),
                    format!("event trigger {name:?} is declared twice"),
                );
                continue;
            }
            let d: &EventTriggerDecl = decl.get_ref();
            let Some(function) = function_of(cx, *file, &d.function, "event trigger", functions)
            else {
                continue;
            };
            if !cx.schemas.contains(&function.schema) {
                // The diff knows the project's event triggers by their function.
                cx.error_help(
                    *file,
                    d.function.span(),
                    format!("event trigger {name:?} runs {function}, a function of a schema the project does not own"),
                    "an event trigger runs one of the project's functions: declare it in [functions.\"schema.name\"] with returns = \"event_trigger\"",
                );
                continue;
            }
            out.push(EventTrigger {
                name: name.clone(),
                event: *d.event.get_ref(),
                tags: d.tags.iter().map(|t| t.get_ref().to_uppercase()).collect(),
                function,
                enabled: d.enabled.unwrap_or(true),
                origin: Some(cx.origin(*file, key.span())),
            });
        }
    }
    out
}
