//! MIG002: a column added to an existing table with a default PostgreSQL must
//! compute per row (a volatile function such as `random()`, `gen_random_uuid()`,
//! `clock_timestamp()`; a serial, identity or stored generated column) rewrites
//! the whole table under ACCESS EXCLUSIVE. A stable or immutable default
//! (`now()`, a constant) is stored once in the catalog, without a rewrite.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ColumnDef, ConstrType};

use super::{Rule, alter_commands};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::lint::names;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG002",
    name: "volatile-default",
    level: Level::Error,
    summary: "ADD COLUMN with a volatile default (or serial, identity, stored generated) on an existing table",
    check: Some(check),
};

/// Built-in and extension functions that are VOLATILE (`pg_proc.provolatile =
/// 'v'`) and turn up in defaults; `now()` and its kin are STABLE and are not here.
const VOLATILE: &[&str] = &[
    "random",
    "random_normal",
    "gen_random_uuid",
    "uuidv4",
    "uuidv7",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "gen_random_bytes",
    "txid_current",
    "pg_current_xact_id",
    "setseed",
];

const SERIAL: &[&str] = &[
    "serial",
    "serial4",
    "bigserial",
    "serial8",
    "smallserial",
    "serial2",
];

fn check(cx: &Cx) -> Vec<Hit> {
    let Some((table, cmds)) = alter_commands(cx) else {
        return vec![];
    };
    if !cx.existing(&table) {
        return vec![];
    }
    cmds.iter()
        .filter(|(_, t)| *t == AlterTableType::AtAddColumn)
        .filter_map(|(cmd, _)| match cmd.def.as_ref()?.node.as_ref()? {
            NodeEnum::ColumnDef(d) => {
                let why = per_row(cx, d)?;
                Some(cx.hit(
                        format!(
                            "column {} added to existing table {table} with {why}: PostgreSQL rewrites the whole table under ACCESS EXCLUSIVE",
                            crate::sql::quote_ident(&d.colname)
                        ),
                        "add the column without a default (or with a constant one), SET DEFAULT afterwards for new rows, and fill existing rows in batches",
                ))
            }
            _ => None,
        })
        .collect()
}

/// Why the column's value is computed per row, if it is.
fn per_row(cx: &Cx, d: &ColumnDef) -> Option<String> {
    if let Some(t) = &d.type_name {
        let parts = names::strings(&t.names);
        if let Some(last) = parts.last()
            && SERIAL.contains(&last.as_str())
        {
            return Some(format!("type {last}"));
        }
    }
    for k in &d.constraints {
        let Some(NodeEnum::Constraint(k)) = &k.node else {
            continue;
        };
        match ConstrType::try_from(k.contype).unwrap_or(ConstrType::Undefined) {
            ConstrType::ConstrIdentity => return Some("an identity".into()),
            // PostgreSQL 18's virtual generated columns are computed on read.
            ConstrType::ConstrGenerated if k.generated_kind == "s" => {
                return Some("a stored generated expression".into());
            }
            ConstrType::ConstrDefault => {
                if let Some(f) = k
                    .raw_expr
                    .as_ref()
                    .and_then(|e| volatile_call(cx, e.node.as_ref()?))
                {
                    return Some(format!("the volatile default {f}()"));
                }
            }
            _ => {}
        }
    }
    None
}

/// The first volatile function the expression calls.
fn volatile_call(cx: &Cx, expr: &NodeEnum) -> Option<String> {
    let mut calls: Vec<(i32, String)> = expr
        .nodes()
        .into_iter()
        .filter_map(|(node, ..)| match node {
            pg_query::NodeRef::FuncCall(f) => {
                let parts = names::strings(&f.funcname);
                let (name, schema) = parts.split_last()?;
                let schema = schema.last().map(String::as_str);
                // A function the migrations or the declaration define says itself;
                // else the built-ins and the extensions' functions (uuid-ossp and
                // pgcrypto live in whatever schema they were installed in).
                let volatile = cx
                    .history
                    .function_volatile(schema, name)
                    .or_else(|| cx.scope.declared_volatile(schema, name))
                    .unwrap_or_else(|| VOLATILE.contains(&name.as_str()));
                volatile.then(|| (f.location, parts.join(".")))
            }
            _ => None,
        })
        .collect();
    calls.sort();
    calls.into_iter().next().map(|(_, name)| name)
}
