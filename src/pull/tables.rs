//! A table of the catalog as `[tables.<name>]`: columns in table order (with the
//! single-column keys, checks and references PostgreSQL would name as the
//! declaration does written on the column), then keys, checks, foreign keys,
//! indexes, exclusion constraints, triggers, grants, RLS switches, replica
//! identity and partitions.

use toml_edit::{Array, InlineTable, Item, Table, Value};

use super::Context;
use super::layout::{
    GrantKind, acl_grants, dotted, grants_of, inline, inline_or_table, local, put, set, string,
    strings,
};
use super::tenancy::TableTenancy;
use super::text::{check_expression, exclusion_parts, index_key, trigger_parts};
use crate::catalog::{
    Column, Constraint, ConstraintKind, ForeignKey, Generated, Identity, Index, MatchType,
    ReferentialAction, ReplicaIdentity, Sequence, Table as CatalogTable, TableKind, Trigger,
    TriggerEnabled, TriggerEvent, TriggerTiming,
};
use crate::sql::{QualifiedName, quote_ident};

/// The reason written for a table that is not tenant-scoped, for a person to replace.
pub const PUBLIC_TODO: &str = "TODO: say why this table is public";
/// The reason written for row-level security that is not forced.
pub const FORCE_TODO: &str = "TODO: say why the owner may bypass the policies";

/// `[tables.<name>]` of `table`.
pub fn table(cx: &mut Context, t: &CatalogTable, tenancy: &TableTenancy) -> Table {
    let name = t.name.name.as_str();
    let mut out = Table::new();
    match tenancy {
        TableTenancy::Tenant(form) => {
            out.insert("tenant", Item::Value(form.value()));
        }
        TableTenancy::Public => {
            out.insert("public", Item::Value(string(PUBLIC_TODO)));
        }
    }
    let pk = t
        .constraints
        .iter()
        .find(|c| c.kind == ConstraintKind::PrimaryKey && !c.inherited);
    let mut used: Vec<&str> = Vec::new();
    let mut columns = dotted();
    for c in &t.columns {
        let value = column(cx, t, c, pk, &mut used);
        columns.insert(&c.name, Item::Value(Value::InlineTable(value)));
    }
    out.insert("columns", Item::Table(columns));
    if let Some(pk) = pk
        && !used.contains(&pk.name.as_str())
    {
        let named = pk.name != format!("{name}_pkey");
        let value = if pk.deferrable || named {
            let mut v = InlineTable::new();
            if named {
                v.insert("name", string(&pk.name));
            }
            v.insert("columns", strings(&pk.columns));
            deferral(&mut v, pk);
            Value::InlineTable(v)
        } else {
            strings(&pk.columns)
        };
        out.insert("primary_key", Item::Value(value));
    }
    let mut unique = Array::new();
    let mut checks = Array::new();
    let mut foreign_keys = Array::new();
    let mut exclude = Array::new();
    for c in &t.constraints {
        if c.inherited || used.contains(&c.name.as_str()) {
            continue;
        }
        if c.comment.is_some() {
            cx.unexpressed(
                "constraint",
                format!("{} on {}", c.name, t.name),
                "COMMENT ON CONSTRAINT",
            );
        }
        if !c.validated {
            cx.unexpressed(
                "constraint",
                format!("{} on {}", c.name, t.name),
                "NOT VALID: the declaration's constraints are validated; plan will validate it",
            );
        }
        match &c.kind {
            ConstraintKind::PrimaryKey => {}
            ConstraintKind::Unique => {
                if c.definition.contains(" INCLUDE (") {
                    cx.unexpressed(
                        "constraint",
                        format!("{} on {}", c.name, t.name),
                        "UNIQUE ... INCLUDE: the declaration's unique constraints have no include columns",
                    );
                }
                let mut v = InlineTable::new();
                if c.name != generated(name, &c.columns, "key") {
                    v.insert("name", string(&c.name));
                }
                v.insert("columns", strings(&c.columns));
                if t.index(&c.name).is_some_and(|i| i.nulls_not_distinct) {
                    v.insert("nulls_not_distinct", true.into());
                }
                deferral(&mut v, c);
                unique.push(Value::InlineTable(v));
            }
            ConstraintKind::Check => {
                checks.push(Value::InlineTable(inline(vec![
                    ("name", string(&c.name)),
                    ("expr", string(&check_expression(&c.definition))),
                ])));
            }
            ConstraintKind::ForeignKey(fk) => {
                let mut v = InlineTable::new();
                if c.name != generated(name, &c.columns, "fkey") {
                    v.insert("name", string(&c.name));
                }
                v.insert("columns", strings(&c.columns));
                v.insert("references", string(&local(&fk.table, &cx.default_schema)));
                v.insert("ref_columns", strings(&fk.columns));
                actions(&mut v, fk);
                deferral(&mut v, c);
                match_type(cx, t, c, fk);
                foreign_keys.push(Value::InlineTable(v));
            }
            ConstraintKind::Exclusion => match exclusion(c) {
                Some(v) => exclude.push(Value::InlineTable(v)),
                None => cx.unexpressed(
                    "exclusion constraint",
                    format!("{} on {}", c.name, t.name),
                    "its definition could not be read back into elements",
                ),
            },
        }
    }
    array(&mut out, "unique", unique);
    array(&mut out, "checks", checks);
    array(&mut out, "foreign_keys", foreign_keys);
    let mut indexes = Array::new();
    for i in &t.indexes {
        if i.constraint.is_some() || i.parent.is_some() {
            continue;
        }
        indexes.push(Value::InlineTable(index(cx, &t.name, i)));
    }
    array(&mut out, "indexes", indexes);
    array(&mut out, "exclude", exclude);
    if let Some(comment) = &t.comment {
        out.insert("comment", Item::Value(string(comment)));
    }
    let grants = acl_grants(&t.acl, GrantKind::Table, cx.catalog.server_version_num);
    cx.note_grants(&grants, &format!("table {}", t.name));
    set(&mut out, "grants", grants.value());
    rls(&mut out, t, tenancy);
    match &t.replica_identity {
        ReplicaIdentity::Default => {}
        ReplicaIdentity::Full => {
            out.insert("replica_identity", Item::Value(string("full")));
        }
        ReplicaIdentity::Nothing => {
            out.insert("replica_identity", Item::Value(string("nothing")));
        }
        ReplicaIdentity::Index(index) => {
            out.insert(
                "replica_identity",
                Item::Value(Value::InlineTable(inline(vec![("index", string(index))]))),
            );
        }
    }
    partitions(cx, t, &mut out);
    let mut triggers = dotted();
    for trigger in t.triggers.iter().filter(|tr| !tr.inherited) {
        if let Some(v) = self::trigger(cx, &t.name, trigger) {
            triggers.insert(&trigger.name, inline_or_table(v));
        }
    }
    if !triggers.is_empty() {
        out.insert("triggers", Item::Table(triggers));
    }
    if t.unlogged {
        cx.unexpressed("table option", t.name.to_string(), "UNLOGGED");
    }
    for option in &t.options {
        cx.unexpressed(
            "table option",
            t.name.to_string(),
            format!("storage parameter {option}"),
        );
    }
    out
}

/// One column, with the constraints that read as its own.
fn column<'a>(
    cx: &mut Context,
    t: &'a CatalogTable,
    c: &Column,
    pk: Option<&'a Constraint>,
    used: &mut Vec<&'a str>,
) -> InlineTable {
    let table = t.name.name.as_str();
    let mut v = InlineTable::new();
    let serial = serial(cx, t, c);
    v.insert(
        "type",
        string(serial.map_or(c.data_type.as_str(), |(ty, _)| ty)),
    );
    if !c.not_null && pk.is_none_or(|pk| pk.columns != [c.name.clone()]) {
        v.insert("nullable", true.into());
    }
    if let Some(default) = &c.default
        && serial.is_none()
    {
        v.insert("default", string(default));
    }
    match c.identity {
        Some(Identity::Always) => {
            v.insert("identity", string("always"));
        }
        Some(Identity::ByDefault) => {
            v.insert("identity", string("by default"));
        }
        None => {}
    }
    match &c.generated {
        Some(Generated::Stored(expr)) => {
            v.insert("generated", string(expr));
        }
        Some(Generated::Virtual(_)) => cx.unexpressed(
            "column",
            format!("{}.{}", t.name, quote_ident(&c.name)),
            "a VIRTUAL generated column (the declaration has STORED ones)",
        ),
        None => {}
    }
    if c.collation.is_some() {
        cx.unexpressed(
            "column",
            format!("{}.{}", t.name, quote_ident(&c.name)),
            "a column collation (COLLATE) other than its type's",
        );
    }
    let single = |k: &ConstraintKind, suffix: &str| {
        t.constraints.iter().find(|con| {
            !con.inherited
                && std::mem::discriminant(&con.kind) == std::mem::discriminant(k)
                && con.columns == [c.name.clone()]
                && con.name == generated(table, &con.columns, suffix)
                && !con.deferrable
                && con.validated
        })
    };
    if let Some(pk) = pk
        && pk.columns == [c.name.clone()]
        && pk.name == format!("{table}_pkey")
        && !pk.deferrable
    {
        v.insert("primary_key", true.into());
        used.push(pk.name.as_str());
    }
    if let Some(u) = single(&ConstraintKind::Unique, "key")
        && !t.index(&u.name).is_some_and(|i| i.nulls_not_distinct)
    {
        v.insert("unique", true.into());
        used.push(u.name.as_str());
    }
    let fk_kind = t
        .constraints
        .iter()
        .find(|con| matches!(con.kind, ConstraintKind::ForeignKey(_)))
        .map(|con| con.kind.clone());
    if let Some(kind) = fk_kind
        && let Some(fk) = single(&kind, "fkey")
        && let ConstraintKind::ForeignKey(target) = &fk.kind
        && target.match_type == MatchType::Simple
        && let [ref_column] = target.columns.as_slice()
    {
        v.insert(
            "references",
            string(&format!(
                "{}.{ref_column}",
                local(&target.table, &cx.default_schema)
            )),
        );
        actions(&mut v, target);
        referenced_schema(cx, t, fk, target);
        used.push(fk.name.as_str());
    }
    if let Some(check) = single(&ConstraintKind::Check, "check") {
        v.insert("check", string(&check_expression(&check.definition)));
        used.push(check.name.as_str());
    }
    if let Some(comment) = &c.comment {
        v.insert("comment", string(comment));
    }
    let grants = grants_of(
        t.column_grants
            .iter()
            .filter(|g| g.column == c.name)
            .map(|g| (&g.grant.grantee, g.grant.privilege, g.grant.grantable)),
        GrantKind::Column,
        cx.catalog.server_version_num,
    );
    cx.note_grants(
        &grants,
        &format!("column {}.{}", t.name, quote_ident(&c.name)),
    );
    put(&mut v, "grants", grants.value());
    v
}

/// `("serial", sequence)` when the column is a serial one: an integer column
/// whose default takes the next value of the sequence PostgreSQL made for it,
/// with that sequence's default options and no grants of its own.
fn serial<'a>(
    cx: &mut Context<'a>,
    t: &CatalogTable,
    c: &Column,
) -> Option<(&'static str, &'a Sequence)> {
    let default = c.default.as_deref()?;
    let ty = match c.data_type.as_str() {
        "integer" => "serial",
        "bigint" => "bigserial",
        "smallint" => "smallserial",
        _ => return None,
    };
    let name = QualifiedName::new(&t.name.schema, format!("{}_{}_seq", t.name.name, c.name));
    let sequence = cx.catalog.sequence(&name)?;
    let owned = sequence
        .owned_by
        .as_ref()
        .is_some_and(|o| o.table == t.name && o.column == c.name && !o.identity);
    let expected = format!(
        "nextval({}::regclass)",
        crate::sql::quote_literal(&name.sql())
    );
    let plain = sequence.start == 1
        && sequence.increment == 1
        && sequence.min_value == 1
        && sequence.cache == 1
        && !sequence.cycle
        && sequence.data_type == c.data_type
        && sequence.acl.grants().is_empty()
        && sequence.comment.is_none();
    let unqualified = format!(
        "nextval({}::regclass)",
        crate::sql::quote_literal(&quote_ident(&name.name))
    );
    if owned && plain && (default == expected || default == unqualified) {
        cx.serial_sequences.push(name);
        Some((ty, sequence))
    } else {
        None
    }
}

fn generated(table: &str, columns: &[String], suffix: &str) -> String {
    let parts: Vec<&str> = columns.iter().map(String::as_str).collect();
    crate::spec::resolve::generated_name(table, &parts, suffix, &[])
}

fn deferral(v: &mut InlineTable, c: &Constraint) {
    if c.deferrable {
        v.insert("deferrable", true.into());
        if c.initially_deferred {
            v.insert("initially_deferred", true.into());
        }
    }
}

fn actions(v: &mut InlineTable, fk: &ForeignKey) {
    let word = |a: ReferentialAction| match a {
        ReferentialAction::NoAction => None,
        ReferentialAction::Restrict => Some("restrict"),
        ReferentialAction::Cascade => Some("cascade"),
        ReferentialAction::SetNull => Some("set null"),
        ReferentialAction::SetDefault => Some("set default"),
    };
    put(v, "on_delete", word(fk.on_delete).map(string));
    put(v, "on_update", word(fk.on_update).map(string));
}

/// A foreign key's referenced table must exist in dev databases too: in an
/// owned schema, or in Supabase's stand-in.
fn referenced_schema(cx: &mut Context, t: &CatalogTable, c: &Constraint, fk: &ForeignKey) {
    let schema = fk.table.schema.as_str();
    let stand_in = cx.supabase && matches!(schema, "auth" | "storage");
    if !cx.owned.iter().any(|s| s == schema) && !stand_in {
        cx.unexpressed(
            "foreign key",
            format!("{} on {}", c.name, t.name),
            format!(
                "references {}, in schema {schema}, which dev databases do not have: add the schema with --schema, or a dev_setup script that creates the table",
                fk.table
            ),
        );
    }
}

fn match_type(cx: &mut Context, t: &CatalogTable, c: &Constraint, fk: &ForeignKey) {
    referenced_schema(cx, t, c, fk);
    if fk.match_type != MatchType::Simple {
        cx.unexpressed(
            "foreign key",
            format!("{} on {}", c.name, t.name),
            "MATCH FULL / PARTIAL (the declaration's foreign keys are MATCH SIMPLE)",
        );
    }
}

fn array(out: &mut Table, key: &str, items: Array) {
    if items.is_empty() {
        return;
    }
    let mut items = items;
    if items.len() > 1 || items.to_string().len() > 80 {
        for item in items.iter_mut() {
            item.decor_mut().set_prefix("\n  ");
        }
        items.set_trailing("\n");
        items.set_trailing_comma(true);
    }
    out.insert(key, Item::Value(Value::Array(items)));
}

/// One index that backs no constraint.
pub fn index(cx: &mut Context, table: &QualifiedName, i: &Index) -> InlineTable {
    let mut v = InlineTable::new();
    let keys: Vec<String> = i.keys.iter().map(index_key).collect();
    let columns: Option<Vec<&str>> = i
        .keys
        .iter()
        .map(|k| match &k.part {
            crate::catalog::IndexPart::Column(c) if k.opclass.is_none() => Some(c.as_str()),
            _ => None,
        })
        .collect();
    let generated_name =
        columns.map(|cols| crate::spec::resolve::generated_name(&table.name, &cols, "idx", &[]));
    if generated_name.as_deref() != Some(i.name.as_str()) {
        v.insert("name", string(&i.name));
    }
    v.insert("columns", strings(&keys));
    if i.unique {
        v.insert("unique", true.into());
    }
    if i.nulls_not_distinct {
        v.insert("nulls_not_distinct", true.into());
    }
    if let Some(predicate) = &i.predicate {
        v.insert("where", string(predicate));
    }
    if i.method != "btree" {
        v.insert("method", string(&i.method));
    }
    if !i.include.is_empty() {
        v.insert("include", strings(&i.include));
    }
    if !i.valid {
        cx.unexpressed(
            "index",
            format!("{} on {table}", i.name),
            "INVALID (a CREATE INDEX CONCURRENTLY failed): plan will rebuild it",
        );
    }
    if i.comment.is_some() {
        cx.unexpressed(
            "index",
            format!("{} on {table}", i.name),
            "COMMENT ON INDEX",
        );
    }
    v
}

fn exclusion(c: &Constraint) -> Option<InlineTable> {
    let parts = exclusion_parts(&c.definition)?;
    let mut v = InlineTable::new();
    v.insert("name", string(&c.name));
    if parts.method != "gist" {
        v.insert("using", string(&parts.method));
    }
    let mut elements = Array::new();
    for (key, with) in &parts.elements {
        elements.push(Value::InlineTable(inline(vec![
            ("key", string(key)),
            ("with", string(with)),
        ])));
    }
    v.insert("elements", Value::Array(elements));
    put(&mut v, "where", parts.predicate.as_deref().map(string));
    deferral(&mut v, c);
    Some(v)
}

fn rls(out: &mut Table, t: &CatalogTable, tenancy: &TableTenancy) {
    let tenant = matches!(tenancy, TableTenancy::Tenant(_));
    if !tenant && (t.rls_enabled || !t.policies.is_empty()) {
        out.insert("rls", Item::Value(t.rls_enabled.into()));
    }
    if t.rls_enabled && !t.rls_forced {
        out.insert("force", Item::Value(false.into()));
        out.insert("force_reason", Item::Value(string(FORCE_TODO)));
    }
}

fn partitions(cx: &mut Context, t: &CatalogTable, out: &mut Table) {
    if t.kind != TableKind::Partitioned {
        return;
    }
    if let Some(key) = &t.partition_key {
        let (method, rest) = key.split_once(' ').unwrap_or((key.as_str(), ""));
        out.insert(
            "partition_by",
            Item::Value(string(&format!("{} {rest}", method.to_lowercase()))),
        );
    }
    let mut partitions = dotted();
    for p in &cx.catalog.tables {
        let Some(of) = &p.partition_of else { continue };
        if of.parent != t.name {
            continue;
        }
        if p.name.schema != t.name.schema {
            cx.unexpressed(
                "partition",
                p.name.to_string(),
                "a partition in another schema than its table",
            );
            continue;
        }
        if p.kind == TableKind::Partitioned {
            cx.unexpressed(
                "partition",
                p.name.to_string(),
                "a partition that is partitioned itself",
            );
        }
        partition_extras(cx, t, p);
        partitions.insert(
            &p.name.name,
            Item::Value(string(&of.bound.to_lowercase_keyword())),
        );
    }
    if !partitions.is_empty() {
        out.insert("partitions", Item::Table(partitions));
    }
}

/// What a partition has of its own, which the declaration (whose partitions
/// take their parent's RLS switches and nothing else) cannot say.
fn partition_extras(cx: &mut Context, parent: &CatalogTable, p: &CatalogTable) {
    let mut own = Vec::new();
    if p.rls_enabled != parent.rls_enabled || p.rls_forced != parent.rls_forced {
        own.push("row-level security switches other than its parent's".to_string());
    }
    if !p.policies.is_empty() {
        own.push("policies".to_string());
    }
    if p.indexes
        .iter()
        .any(|i| i.parent.is_none() && i.constraint.is_none())
    {
        own.push("indexes".to_string());
    }
    if p.constraints.iter().any(|c| !c.inherited) {
        own.push("constraints".to_string());
    }
    if p.triggers.iter().any(|t| !t.inherited) {
        own.push("triggers".to_string());
    }
    if !p.acl.grants().is_empty() || !p.column_grants.is_empty() {
        own.push("grants".to_string());
    }
    if !own.is_empty() {
        cx.unexpressed(
            "partition",
            p.name.to_string(),
            format!(
                "its own {} (declared partitions have their parent's)",
                own.join(", ")
            ),
        );
    }
}

/// The bound as written in the declaration: PostgreSQL's text, whose leading
/// `FOR VALUES` / `DEFAULT` the declaration also reads in lower case.
trait BoundText {
    fn to_lowercase_keyword(&self) -> String;
}

impl BoundText for String {
    fn to_lowercase_keyword(&self) -> String {
        if self == "DEFAULT" {
            "default".to_string()
        } else {
            self.clone()
        }
    }
}

/// A trigger as `{ timing, events, level, function, ... }`; None (reported) when
/// its definition cannot be read back.
pub fn trigger(cx: &mut Context, table: &QualifiedName, tr: &Trigger) -> Option<InlineTable> {
    let Some(parts) = trigger_parts(&tr.definition) else {
        cx.unexpressed(
            "trigger",
            format!("{} on {table}", tr.name),
            "its definition could not be read back",
        );
        return None;
    };
    let mut v = InlineTable::new();
    let timing = match tr.timing {
        TriggerTiming::Before => "before",
        TriggerTiming::After => "after",
        TriggerTiming::InsteadOf => "instead of",
    };
    v.insert("timing", string(timing));
    let events: Vec<&str> = tr
        .events
        .iter()
        .map(|e| match e {
            TriggerEvent::Insert => "insert",
            TriggerEvent::Update => "update",
            TriggerEvent::Delete => "delete",
            TriggerEvent::Truncate => "truncate",
        })
        .collect();
    v.insert("events", strings(events));
    v.insert(
        "level",
        string(if tr.for_each_row { "row" } else { "statement" }),
    );
    v.insert("function", string(&local(&tr.function, &cx.default_schema)));
    if !parts.args.is_empty() {
        v.insert("args", strings(&parts.args));
    }
    put(&mut v, "when", parts.when.as_deref().map(string));
    if !parts.columns.is_empty() {
        v.insert("columns", strings(&parts.columns));
    }
    if parts.new_table.is_some() || parts.old_table.is_some() {
        let mut r = InlineTable::new();
        put(&mut r, "new_table", parts.new_table.as_deref().map(string));
        put(&mut r, "old_table", parts.old_table.as_deref().map(string));
        v.insert("referencing", Value::InlineTable(r));
    }
    match tr.enabled {
        TriggerEnabled::Origin => {}
        TriggerEnabled::Disabled => {
            v.insert("enabled", false.into());
        }
        TriggerEnabled::Replica | TriggerEnabled::Always => cx.unexpressed(
            "trigger",
            format!("{} on {table}", tr.name),
            "ENABLE REPLICA / ALWAYS (the declaration has enabled = true or false)",
        ),
    }
    Some(v)
}
