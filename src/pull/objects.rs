//! The objects of a schema file other than tables: functions and procedures,
//! views and materialized views, standalone sequences, types, and the triggers
//! on other schemas' tables and event triggers.

use toml_edit::{Array, InlineTable, Item, Table, Value};

use super::Context;
use super::layout::{GrantKind, acl_grants, inline, local, set, string, strings};
use super::text::{arguments, check_expression};
use crate::catalog::{
    EventTrigger, Function, FunctionBody, FunctionKind, Parallel, Sequence, TriggerEnabled,
    TypeKind, UserType, View, ViewKind, Volatility,
};

/// The key of a function: `schema.name`, with its argument types when it has overloads.
pub fn function_key(cx: &Context, f: &Function) -> String {
    let name = format!("{}.{}", f.name.schema, f.name.name);
    if cx.catalog.functions_named(&f.name).count() > 1 {
        // The key names the overload by its argument types alone.
        let types = arguments(&f.arguments).map_or_else(
            |_| f.identity_arguments.clone(),
            |args| {
                args.iter()
                    .map(|a| a.ty.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        format!("{name}({types})")
    } else {
        name
    }
}

/// `[functions."..."]` or `[procedures."..."]`; None (reported) for what the
/// declaration cannot hold.
pub fn function(cx: &mut Context, f: &Function) -> Option<Table> {
    let what = match f.kind {
        FunctionKind::Function => "function",
        FunctionKind::Procedure => "procedure",
    };
    let shown = format!("{}({})", f.name, f.identity_arguments);
    if f.language != "sql" && f.language != "plpgsql" {
        cx.unexpressed(
            what,
            shown,
            format!(
                "language {} (the declaration has sql and plpgsql)",
                f.language
            ),
        );
        return None;
    }
    let args = match arguments(&f.arguments) {
        Ok(args) => args,
        Err(why) => {
            cx.unexpressed(what, shown, why);
            return None;
        }
    };
    let mut out = Table::new();
    if !args.is_empty() {
        let mut list = Array::new();
        for a in &args {
            let mut v = inline(vec![("name", string(&a.name)), ("type", string(&a.ty))]);
            if let Some(d) = &a.default {
                v.insert("default", string(d));
            }
            list.push(Value::InlineTable(v));
        }
        out.insert("args", Item::Value(Value::Array(list)));
    }
    if let Some(result) = &f.result {
        out.insert("returns", Item::Value(string(result)));
    }
    out.insert("language", Item::Value(string(&f.language)));
    if f.kind == FunctionKind::Function {
        let volatility = match f.volatility {
            Volatility::Immutable => Some("immutable"),
            Volatility::Stable => Some("stable"),
            Volatility::Volatile => None,
        };
        set(&mut out, "volatility", volatility.map(string));
        if f.strict {
            out.insert("strict", Item::Value(true.into()));
        }
    }
    if f.security_definer {
        out.insert("security", Item::Value(string("definer")));
    }
    if !f.config.is_empty() {
        let mut settings = InlineTable::new();
        for setting in &f.config {
            let (name, value) = setting.split_once('=').unwrap_or((setting, ""));
            let value = if value == "\"\"" { "" } else { value };
            settings.insert(name, string(value));
        }
        out.insert("set", Item::Value(Value::InlineTable(settings)));
    }
    match &f.body {
        FunctionBody::Source(body) => {
            out.insert("body", Item::Value(string(body)));
        }
        FunctionBody::SqlStandard(body) => {
            let inner = body
                .trim()
                .strip_prefix("BEGIN ATOMIC")
                .and_then(|b| b.strip_suffix("END"))
                .map(|b| b.trim().to_string());
            match inner {
                Some(statements) => {
                    out.insert("body", Item::Value(string(&statements)));
                }
                None => {
                    cx.unexpressed(
                        what,
                        shown.clone(),
                        "a RETURN body (written as BEGIN ATOMIC ... END, which PostgreSQL prints differently)",
                    );
                    out.insert("body", Item::Value(string(body.trim())));
                }
            }
            out.insert("atomic", Item::Value(true.into()));
        }
    }
    if let Some(comment) = &f.comment {
        out.insert("comment", Item::Value(string(comment)));
    }
    if !f.acl.is_default() {
        let grants = acl_grants(&f.acl, GrantKind::Function, cx.catalog.server_version_num);
        cx.note_grants(&grants, &format!("{what} {shown}"));
        // EXECUTE revoked from everyone: `grants = {}` says so.
        let value = grants
            .value()
            .unwrap_or_else(|| Value::InlineTable(InlineTable::new()));
        out.insert("grants", Item::Value(value));
    }
    if f.leakproof {
        cx.unexpressed(what, shown.clone(), "LEAKPROOF");
    }
    if f.parallel != Parallel::Unsafe {
        cx.unexpressed(what, shown, "PARALLEL SAFE / RESTRICTED");
    }
    Some(out)
}

/// `[views."..."]` or `[materialized_views."..."]`.
pub fn view(cx: &mut Context, v: &View) -> Table {
    let mut out = Table::new();
    let query = v.definition.trim().trim_end_matches(';').trim_end();
    out.insert("query", Item::Value(string(query)));
    match v.kind {
        ViewKind::View => {
            if v.security_invoker {
                out.insert("security_invoker", Item::Value(true.into()));
            }
            if v.security_barrier {
                out.insert("security_barrier", Item::Value(true.into()));
            }
            for option in &v.options {
                match option.as_str() {
                    "check_option=local" => {
                        out.insert("check_option", Item::Value(string("local")));
                    }
                    "check_option=cascaded" => {
                        out.insert("check_option", Item::Value(string("cascaded")));
                    }
                    o if o.starts_with("security_invoker=")
                        || o.starts_with("security_barrier=") => {}
                    o => cx.unexpressed("view", v.name.to_string(), format!("option {o}")),
                }
            }
            for t in &v.triggers {
                cx.unexpressed(
                    "trigger",
                    format!("{} on {}", t.name, v.name),
                    "a trigger on a view",
                );
            }
        }
        ViewKind::MaterializedView => {
            let mut indexes = Array::new();
            for i in &v.indexes {
                indexes.push(Value::InlineTable(super::tables::index(cx, &v.name, i)));
            }
            if !indexes.is_empty() {
                out.insert("indexes", Item::Value(Value::Array(indexes)));
            }
            if !v.populated {
                out.insert("with_data", Item::Value(false.into()));
            }
        }
    }
    if let Some(comment) = &v.comment {
        out.insert("comment", Item::Value(string(comment)));
    }
    let grants = acl_grants(&v.acl, GrantKind::Table, cx.catalog.server_version_num);
    cx.note_grants(&grants, &format!("view {}", v.name));
    set(&mut out, "grants", grants.value());
    if !v.column_grants.is_empty() {
        cx.unexpressed("view", v.name.to_string(), "column grants on a view");
    }
    out
}

/// `[sequences."..."]`: only the options that differ from PostgreSQL's defaults.
pub fn sequence(cx: &mut Context, s: &Sequence) -> Table {
    let mut out = Table::new();
    let (type_min, type_max) = match s.data_type.as_str() {
        "smallint" => (i64::from(i16::MIN), i64::from(i16::MAX)),
        "integer" => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    if s.data_type != "bigint" {
        out.insert("type", Item::Value(string(&s.data_type)));
    }
    let ascending = s.increment > 0;
    let (default_min, default_max) = if ascending {
        (1, type_max)
    } else {
        (type_min, -1)
    };
    let default_start = if ascending { s.min_value } else { s.max_value };
    if s.start != default_start {
        out.insert("start", Item::Value(s.start.into()));
    }
    if s.increment != 1 {
        out.insert("increment", Item::Value(s.increment.into()));
    }
    if s.min_value != default_min {
        out.insert("min", Item::Value(s.min_value.into()));
    }
    if s.max_value != default_max {
        out.insert("max", Item::Value(s.max_value.into()));
    }
    if s.cycle {
        out.insert("cycle", Item::Value(true.into()));
    }
    if s.cache != 1 {
        out.insert("cache", Item::Value(s.cache.into()));
    }
    if let Some(owner) = &s.owned_by {
        out.insert(
            "owned_by",
            Item::Value(string(&format!(
                "{}.{}",
                local(&owner.table, &cx.default_schema),
                owner.column
            ))),
        );
    }
    if let Some(comment) = &s.comment {
        out.insert("comment", Item::Value(string(comment)));
    }
    let grants = acl_grants(&s.acl, GrantKind::Sequence, cx.catalog.server_version_num);
    cx.note_grants(&grants, &format!("sequence {}", s.name));
    set(&mut out, "grants", grants.value());
    out
}

/// `[types."..."]`; None (reported) for range types.
pub fn user_type(cx: &mut Context, t: &UserType) -> Option<Table> {
    let mut out = Table::new();
    match t.kind {
        TypeKind::Enum => {
            out.insert("enum", Item::Value(strings(&t.values)));
        }
        TypeKind::Domain => {
            let d = t.domain.as_ref()?;
            out.insert("domain", Item::Value(string(&d.base)));
            if let Some(default) = &d.default {
                out.insert("default", Item::Value(string(default)));
            }
            if d.not_null {
                out.insert("not_null", Item::Value(true.into()));
            }
            if !d.checks.is_empty() {
                let mut checks = Array::new();
                for c in &d.checks {
                    checks.push(Value::InlineTable(inline(vec![
                        ("name", string(&c.name)),
                        ("expr", string(&check_expression(&c.definition))),
                    ])));
                }
                out.insert("checks", Item::Value(Value::Array(checks)));
            }
        }
        TypeKind::Composite => {
            let mut attributes = InlineTable::new();
            for a in &t.attributes {
                attributes.insert(&a.name, string(&a.data_type));
            }
            out.insert("composite", Item::Value(Value::InlineTable(attributes)));
        }
        TypeKind::Range => {
            cx.unexpressed("type", t.name.to_string(), "a range type");
            return None;
        }
    }
    if let Some(comment) = &t.comment {
        out.insert("comment", Item::Value(string(comment)));
    }
    Some(out)
}

/// `[event_triggers.<name>]`.
pub fn event_trigger(cx: &mut Context, e: &EventTrigger) -> Option<Table> {
    let mut out = Table::new();
    if !matches!(
        e.event.as_str(),
        "ddl_command_start" | "ddl_command_end" | "sql_drop" | "table_rewrite"
    ) {
        cx.unexpressed(
            "event trigger",
            e.name.clone(),
            format!("event {}", e.event),
        );
        return None;
    }
    out.insert("event", Item::Value(string(&e.event)));
    if !e.tags.is_empty() {
        out.insert("tags", Item::Value(strings(&e.tags)));
    }
    out.insert(
        "function",
        Item::Value(string(&format!(
            "{}.{}",
            e.function.schema, e.function.name
        ))),
    );
    match e.enabled {
        TriggerEnabled::Origin => {}
        TriggerEnabled::Disabled => {
            out.insert("enabled", Item::Value(false.into()));
        }
        _ => cx.unexpressed("event trigger", e.name.clone(), "ENABLE REPLICA / ALWAYS"),
    }
    Some(out)
}
